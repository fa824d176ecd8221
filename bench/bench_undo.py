"""Benchmark: what the undo log costs the commands that write, and what undo takes.

    python bench/bench_undo.py [--scale 1] [--repeat 3]

A district's year (`samples/generate.py --scale 1`: 50,862 members in 320 sheets, then
100,000 service rows) is registered and imported into fresh workspaces, in turns with and
without the undo triggers (dropped from the fresh store: the same program otherwise, so
the difference is the logging alone). Median of `repeat` runs each; target: logging
costs at most 10 % (ratio ≤ 1.10). Then the services import and the last registration
are undone, and the store's size with and without the log is compared.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


@dataclass
class Overhead:
    members: int = 0
    sheets: int = 0
    service_rows: int = 0
    # wall-clock seconds, and CPU seconds (less shaken by other work on a shared machine)
    logged: dict[str, list[float]] = field(default_factory=lambda: {"register": [], "services": []})
    bare: dict[str, list[float]] = field(default_factory=lambda: {"register": [], "services": []})
    cpu_logged: dict[str, list[float]] = field(
        default_factory=lambda: {"register": [], "services": []}
    )
    cpu_bare: dict[str, list[float]] = field(
        default_factory=lambda: {"register": [], "services": []}
    )
    undo_services: float = 0.0
    undo_register: float = 0.0
    store_mb: dict[str, float] = field(default_factory=dict)

    def ratio(self, stage: str) -> float:
        return statistics.median(self.logged[stage]) / statistics.median(self.bare[stage])

    def cpu_ratio(self, stage: str) -> float:
        return statistics.median(self.cpu_logged[stage]) / statistics.median(self.cpu_bare[stage])


def _drop_triggers(db: Path) -> None:
    conn = sqlite3.connect(db)
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'undo_*'"
        )
    ]
    for name in names:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.commit()
    conn.close()


def _year(root: Path, inputs: Path, logged: bool, result: Overhead, undo: bool) -> None:
    from bench_register import fresh_workspace

    from shuanggang.store.history import undo as take_back
    from shuanggang.workflow.projects import import_ledgers
    from shuanggang.workflow.register import RegisterOptions, register_files
    from shuanggang.workflow.services import import_logs

    ws = fresh_workspace(root)
    if not logged:
        _drop_triggers(ws.db_path)
    settings = ws.settings()
    times = result.logged if logged else result.bare
    cpu = result.cpu_logged if logged else result.cpu_bare
    if undo:  # a run to undo in, not timed for the ratio
        times, cpu = {"register": [], "services": []}, {"register": [], "services": []}
    with ws.open_store() as store:
        import_ledgers(ws, store, settings, sorted(inputs.rglob("*为民服务实事台账*.xlsx")))
        jobs = [
            (p, RegisterOptions(letters=())) for p in sorted(inputs.rglob("*团员信息汇总表*.xlsx"))
        ]
        start, cpu_start = time.perf_counter(), time.process_time()
        registered = register_files(ws, store, settings, jobs)
        times["register"].append(time.perf_counter() - start)
        cpu["register"].append(time.process_time() - cpu_start)
        result.sheets = len(jobs)
        assert not [r for r in registered if r.status == "rejected"]
        logs = sorted(inputs.rglob("*服务活动台账*.xlsx"))
        start, cpu_start = time.perf_counter(), time.process_time()
        imported = import_logs(ws, store, settings, logs)
        times["services"].append(time.perf_counter() - start)
        cpu["services"].append(time.process_time() - cpu_start)
        assert not [r for r in imported if r.status == "rejected"]
        result.members = store.counts()["members"]
        result.service_rows = sum(r.rows for r in imported)
        if undo:
            start = time.perf_counter()
            for _ in logs:
                take_back(store)
            result.undo_services = time.perf_counter() - start
            start = time.perf_counter()
            take_back(store)
            result.undo_register = time.perf_counter() - start
    if not undo:
        result.store_mb["logged" if logged else "bare"] = ws.db_path.stat().st_size / 2**20


def overhead(inputs: Path, repeat: int = 3) -> Overhead:
    result = Overhead()
    with tempfile.TemporaryDirectory() as tmp:
        # the untimed run to undo in comes first: it warms imports and caches for both
        _year(Path(tmp) / "undo", inputs, True, result, undo=True)
        for turn in range(repeat):  # in turns, first one then the other: noise hits both
            for logged in (True, False) if turn % 2 else (False, True):
                _year(Path(tmp) / f"{turn}-{logged}", inputs, logged, result, undo=False)
    return result


def rows(result: Overhead) -> list[tuple[str, str, str, str]]:
    """The lines for RESULTS.md: (what, ours, alternative, ratio)."""
    out = []
    for stage, what in (
        ("register", f"register {result.members:,} members ({result.sheets} sheets), undo log on"),
        ("services", f"services import {result.service_rows:,} rows, undo log on"),
    ):
        logged = statistics.median(result.logged[stage])
        bare = statistics.median(result.bare[stage])
        out.append(
            (
                what,
                f"{logged:.2f} s",
                f"without the undo triggers: {bare:.2f} s",
                f"{result.ratio(stage):.2f}× (CPU time {result.cpu_ratio(stage):.2f}×;"
                " target ≤ 1.10×)",
            )
        )
    out.append(
        (
            "undo",
            f"services import ({result.service_rows:,} rows): {result.undo_services:.2f} s",
            f"one registration: {result.undo_register:.2f} s",
            "measured",
        )
    )
    mb = result.store_mb
    out.append(
        (
            "store size after register + services import",
            f"{mb['logged']:.0f} MB with the undo log",
            f"{mb['bare']:.0f} MB without",
            f"{mb['logged'] / mb['bare']:.2f}×",
        )
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from bench_report import scale_inputs

    result = overhead(scale_inputs(args.scale), args.repeat)
    print("| what | ours | alternative | ratio (target) |\n|---|---|---|---|")
    for line in rows(result):
        print("| " + " | ".join(line) + " |")
    for stage in ("register", "services"):
        print(
            f"{stage}: logged {[f'{t:.2f}' for t in result.logged[stage]]},"
            f" bare {[f'{t:.2f}' for t in result.bare[stage]]};"
            f" CPU logged {[f'{t:.2f}' for t in result.cpu_logged[stage]]},"
            f" bare {[f'{t:.2f}' for t in result.cpu_bare[stage]]}"
        )


if __name__ == "__main__":
    main()
