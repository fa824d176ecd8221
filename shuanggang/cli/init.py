"""`shuanggang init`: create a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang import clock
from shuanggang.cli.common import Context, command
from shuanggang.store import init_workspace


@command(workspace=False)
def run(
    ctx: Context,
    directory: Annotated[Path, typer.Argument(help="工作区目录（默认：当前目录）")] = Path("."),
    district: Annotated[str, typer.Option(help="区（县）名称")] = "芝罘区",
    year: Annotated[
        int | None,
        typer.Option(help="工作年度（默认：今年）", min=2000, max=2100, show_default=False),
    ] = None,
) -> None:
    """创建工作区：写入带注释的默认设置 shuanggang.toml 和数据库 shuanggang.db。"""
    ui = ctx.ui
    ws = init_workspace(directory, district=district, year=year or clock.this_year())
    ui.say(f"已创建工作区：{ws.root}")
    ui.say(f"设置文件：{ws.settings_path}（可按本地情况修改街道、社区、考评标准等）")
    ui.emit(
        {
            "workspace": str(ws.root),
            "settings": str(ws.settings_path),
            "district": district,
            "year": ws.settings().year,
        }
    )
