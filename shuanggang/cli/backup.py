"""`shuanggang backup` and `shuanggang restore`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import (
    Context,
    command,
)


@command()
def backup(
    ctx: Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="备份文件（.zip），默认 backups/ 下按时间命名",
            show_default=False,
        ),
    ] = None,
) -> None:
    """备份工作区：数据库（运行中也能一致地备份）、设置和归档的原始文件，打包为一个 zip。"""
    from shuanggang.store import find_workspace
    from shuanggang.store.backup import backup as make

    ui = ctx.ui
    ws = find_workspace(ctx.workspace)
    path = make(ws, output)
    ui.say(f"已备份：{path}（含完整个人信息，请妥善保管）")
    ui.emit({"output": str(path)})


@command()
def restore(
    ctx: Context,
    file: Annotated[Path, typer.Argument(help="shuanggang backup 生成的 .zip")],
) -> None:
    """从备份恢复数据库、设置和归档（恢复前自动备份当前状态）。"""
    from shuanggang.errors import ShuanggangError
    from shuanggang.store import find_workspace
    from shuanggang.store.backup import restore as put_back

    ui = ctx.ui
    if not file.is_file():
        raise ShuanggangError(f"找不到备份文件 {file}")
    ws = find_workspace(ctx.workspace)
    put_back(ws, file)
    ui.say(f"已从 {file.name} 恢复；恢复前的状态已自动备份到 backups/")
    ui.emit({"restored": str(file)})
