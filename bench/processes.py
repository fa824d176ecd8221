"""Whole-process timings taken side by side, reported as medians with their spread
(in-process timings are `timing.py`'s)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, str, str, str]  # what, ours, alternative, ratio / target


def _compiled() -> None:
    """Our modules' bytecode, as an installed package has it: pip compiles every module at
    install time, so a user's process never compiles our source, and neither do the
    libraries we are compared with. A checkout under PYTHONDONTWRITEBYTECODE would
    compile ours in every timed run."""
    import compileall

    compileall.compile_dir(str(ROOT / "shuanggang"), quiet=1)


_compiled()


def process_seconds(command: Sequence[str], cwd: Path | None = None) -> float:
    """Wall time of one run of `command` in a fresh process (output discarded), with the
    bytecode Python would read as installed (see `_compiled`)."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    start = time.perf_counter()
    subprocess.run(
        list(command),
        cwd=cwd,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def side_by_side(commands: Sequence[Sequence[str]], turns: int) -> list[list[float]]:
    """Each command once per turn, in turn, so all see the same machine noise."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(turns):
        for i, command in enumerate(commands):
            times[i].append(process_seconds(command))
    return times


def median(times: Sequence[float]) -> float:
    return statistics.median(times)


def shown(times: Sequence[float]) -> str:
    """`1.23 s (1.20–1.31, n=5)`: the median and the range."""
    return f"{median(times):.3f} s ({min(times):.3f}–{max(times):.3f}, n={len(times)})"


def ratio(ours: Sequence[float], other: Sequence[float], target: str) -> str:
    return f"{median(ours) / median(other):.2f}× (target {target})"


PYTHON = sys.executable
