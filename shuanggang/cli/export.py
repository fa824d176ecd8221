"""`shuanggang export`: Excel views of the store."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import (
    Context,
    command,
)


class View(StrEnum):
    roster = "roster"
    projects = "projects"
    branches = "branches"


@command()
def run(
    ctx: Context,
    view: Annotated[
        View,
        typer.Argument(help="roster 团员名册；projects 服务项目及认领；branches 活动团支部编组表"),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="保存为（.xlsx）")],
) -> None:
    """导出 Excel（内部使用：含完整身份证号和手机号，请勿外传）。"""
    from shuanggang.workflow.exports import EXPORTS

    ui = ctx.ui
    if output.suffix.lower() != ".xlsx":
        output = output.with_suffix(".xlsx")
    with ctx.reading() as (ws, _, store):
        from shuanggang.fsutil import refuse_workspace_target

        refuse_workspace_target(ws.root, output)
        path = EXPORTS[view.value](store, output)
    ui.say(f"已导出：{path}（含完整身份证号和手机号，仅供内部使用）")
    ui.emit({"view": view.value, "output": str(path)})
