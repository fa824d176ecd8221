"""`shuanggang liaisons assign` and `shuanggang consultations plan`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import (
    Context,
    command,
)

liaisons = typer.Typer(help="团干部基层联系点。", no_args_is_help=True)
consultations = typer.Typer(help="互通协商：每个报到单位与社区每半年一次。", no_args_is_help=True)


@liaisons.command("assign")
@command()
def assign(
    ctx: Context,
    file: Annotated[
        Path, typer.Argument(help="干部名单：姓名、层级、职务、所在街道、不联系、优先联系")
    ],
    per_cadre: Annotated[int, typer.Option(help="每人联系几个街道（社区）")] = 2,
    rebuild: Annotated[bool, typer.Option(help="全部重新安排（默认保留已有的联系点）")] = False,
) -> None:
    """安排联系点：团区委干部联系街道，街道团工委负责人联系本街道的社区。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.liaisons import LEVEL_LABEL, assign_liaisons

    if per_cadre < 1:
        raise typer.BadParameter("至少为 1", param_hint="--per-cadre")
    ui = ctx.ui
    with ctx.opened() as (ws, settings, store):
        run = assign_liaisons(ws, store, settings, file, per_cadre, rebuild)
    ui.emit(run.as_json())
    table = safe_table(title="团干部基层联系点", title_justify="left")
    for column in ("姓名", "层级", "职务", "联系点"):
        table.add_column(column)
    for c, place in run.links:
        table.add_row(c.name, LEVEL_LABEL[c.level], c.post, place)
    ui.show(table)
    for f in run.findings:
        ui.finding(f)
    for path in run.outputs:
        ui.say(f"  输出：{path}")
    if any(f.is_error for f in run.findings):
        raise typer.Exit(1)


@consultations.command("plan")
@command()
def plan(
    ctx: Context,
    year: Annotated[int | None, typer.Option(help="年度（默认取设置）", show_default=False)] = None,
) -> None:
    """列出每个报到单位与社区上半年、下半年应开展的互通协商，标出已记录的，生成计划表。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.store.registry import consultation_plan
    from shuanggang.workflow.liaisons import write_plan

    ui = ctx.ui
    with ctx.reading() as (ws, settings, store):
        the_year = year or settings.year
        plans = consultation_plan(store, the_year)
        output = write_plan(plans, ws.out_dir / f"{the_year}年互通协商计划.xlsx")
    ui.emit(
        {
            "year": the_year,
            "pairs": [
                {
                    "org": p.org,
                    "community": p.community,
                    "first_half": p.recorded[0],
                    "second_half": p.recorded[1],
                }
                for p in plans
            ],
            "output": str(output),
        }
    )
    table = safe_table(title=f"{the_year} 年互通协商计划", title_justify="left")
    for column in ("社区", "报到单位", "上半年", "下半年"):
        table.add_column(column)
    for p in plans:
        table.add_row(
            p.community, p.org, *(f"已协商 {n} 次" if n else "待协商" for n in p.recorded)
        )
    ui.show(table)
    ui.say(f"计划表：{output}")
