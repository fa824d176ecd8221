"""`shuanggang demo`: the whole year on the shipped samples, in a fresh workspace.

Each stage of the year adds itself here as it is built, so the demo always shows
everything the tool can do.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from shuanggang.errors import WorkspaceError
from shuanggang.resources import samples_dir
from shuanggang.store import Workspace, init_workspace

MARKER = ".shuanggang-demo"
INPUTS = "样例输入"


@dataclass(slots=True)
class DemoRun:
    workspace: Workspace
    steps: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


def _fresh(folder: Path) -> None:
    """Clear a previous demo in `folder`; refuse any other non-empty folder."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    if not (folder / MARKER).is_file():
        raise WorkspaceError(
            f"{folder} 不是空目录，演示不会覆盖其中的文件",
            "换一个新目录名，例如 shuanggang demo demo-out",
        )
    shutil.rmtree(folder)


def run_demo(folder: Path, *, district: str = "芝罘区", year: int = 2026) -> DemoRun:
    folder = folder.expanduser().resolve()
    _fresh(folder)
    ws = init_workspace(folder, district=district, year=year)
    (folder / MARKER).write_text("shuanggang demo\n", encoding="utf-8")
    run = DemoRun(ws, steps=[f"创建工作区（{district} {year} 年度）"])

    inputs = folder / INPUTS
    shutil.copytree(samples_dir(), inputs, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    run.steps.append(f"复制样例输入：{sum(1 for p in inputs.rglob('*') if p.is_file())} 个文件")
    run.outputs.append(inputs)
    return run
