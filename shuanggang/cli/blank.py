"""`shuanggang blank`: write an input template to fill in."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.check import load_settings
from shuanggang.cli.common import (
    Context,
    command,
)


class BlankKind(StrEnum):
    members = "members"
    projects = "projects"
    services = "services"
    consultations = "consultations"


@command()
def run(
    ctx: Context,
    kind: Annotated[
        BlankKind,
        typer.Argument(
            help="members 团员信息汇总表；projects 为民服务实事台账；"
            "services 服务活动台账；consultations 互通协商记录"
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="保存为（.xlsx）")],
) -> None:
    """生成空白模板：带标题、填表说明、下拉选项，身份证号列为文本格式。"""
    from shuanggang.errors import NoWorkspace, ShuanggangError
    from shuanggang.fsutil import refuse_workspace_target
    from shuanggang.render.blank import write_blank
    from shuanggang.store import find_workspace

    ui = ctx.ui
    if output.suffix.lower() != ".xlsx":
        output = output.with_suffix(".xlsx")
    try:
        root = find_workspace(ctx.workspace).root
    except NoWorkspace:
        root = None  # no workspace here; one that `output` lies in is still looked for
    refuse_workspace_target(root, output)
    if output.exists():
        raise ShuanggangError(f"{output} 已存在，不会覆盖", "换一个文件名，或先删除旧文件")
    path = write_blank(kind.value, load_settings(ctx.workspace), output)
    ui.say(f"已生成空白模板：{path}")
    ui.emit({"kind": kind.value, "output": str(path)})
