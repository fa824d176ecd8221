"""`shuanggang assign-branches`: form activity branches."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import (
    Context,
    command,
)
from shuanggang.domain.branches import Rules as BranchRules

_DEFAULT = BranchRules()


class Scope(StrEnum):
    community = "community"
    street = "street"


@command()
def run(
    ctx: Context,
    scope: Annotated[
        Scope | None,
        typer.Option(
            help="在社区内编组（community），或在街道内跨社区编组（street）"
            f"（默认取设置 branch.scope，出厂为 {_DEFAULT.scope}）",
            show_default=False,
        ),
    ] = None,
    min_size: Annotated[
        int | None,
        typer.Option(
            help=f"每个支部最少人数（默认取设置 branch.min_size，出厂为 {_DEFAULT.min_size}）",
            min=1,
            show_default=False,
        ),
    ] = None,
    max_size: Annotated[
        int | None,
        typer.Option(
            help=f"每个支部最多人数（默认取设置 branch.max_size，出厂为 {_DEFAULT.max_size}）",
            min=1,
            show_default=False,
        ),
    ] = None,
    pins: Annotated[
        Path | None,
        typer.Option(help="指定表：报到单位或身份证号 → 活动团支部", show_default=False),
    ] = None,
    rebuild: Annotated[bool, typer.Option(help="全部重新编组（默认保留已编入的团员）")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只演练：不入库、不写文件")] = False,
) -> None:
    """编组登记活动团支部：按服务类别、可服务时间、居住地编组，小单位联合编组，生成编组表。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.branches import BranchOptions, assign

    ui = ctx.ui
    options = BranchOptions(
        scope=scope.value if scope else None,
        min_size=min_size,
        max_size=max_size,
        pins=pins,
        rebuild=rebuild,
        dry_run=dry_run,
    )
    with ctx.opened() as (ws, settings, store):
        low = settings.branch.min_size if min_size is None else min_size
        high = settings.branch.max_size if max_size is None else max_size
        if low > high:
            raise typer.BadParameter(
                f"最少人数 {low} 大于最多人数 {high}", param_hint="--min-size/--max-size"
            )
        result = assign(ws, store, settings, options)
    ui.emit(result.as_json())
    data = result.as_json()
    table = safe_table(
        title="活动团支部（演练，未保存）" if dry_run else "活动团支部", title_justify="left"
    )
    for column in (
        "活动团支部",
        "类别",
        "人数",
        "报到单位",
        "共同可服务时间",
        "建议书记",
        "待处理",
    ):
        table.add_column(column, overflow="fold")
    for b in data["branches"]:
        table.add_row(
            b["name"],
            b["category"],
            str(b["members"]),
            "、".join(b["orgs"]),
            b["slots"],
            b["secretary"],
            b["flag"],
            style="yellow" if b["flag"] else None,
        )
    ui.show(table)
    for f in result.findings:
        ui.finding(f, f"{f.file} ")
    if result.output:
        ui.say(f"编组表：{result.output}")
    if any(f.is_error for f in result.findings):
        raise typer.Exit(1)
