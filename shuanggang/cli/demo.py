"""`shuanggang demo`: run the whole year on the shipped samples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import Context, command


@command(workspace=False)
def run(
    ctx: Context,
    directory: Annotated[
        Path, typer.Argument(help="演示工作区目录（新建；旧的演示目录会被清空重建）")
    ] = Path("demo-out"),
) -> None:
    """用自带样例演示一整年的工作：建工作区、报到、编组、服务、考评，输出到 DIRECTORY。"""
    from shuanggang.demo import run_demo

    ui = ctx.ui
    result = run_demo(directory)
    for i, step in enumerate(result.steps, 1):
        ui.say(f"{i}. {step}")
    ui.say(f"工作区：{result.workspace.root}")
    for path in result.outputs:
        ui.say(f"  输出：{path}")
    ui.say(f"查看概况：shuanggang status -w {result.workspace.root}")
    ui.emit(
        {
            "workspace": str(result.workspace.root),
            "steps": result.steps,
            "outputs": [str(p) for p in result.outputs],
        }
    )
