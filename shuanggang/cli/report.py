"""`shuanggang report`: the year-end assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import (
    Context,
    command,
    letter_date,
    letter_formats,
)


@command()
def run(
    ctx: Context,
    year: Annotated[
        int | None, typer.Option(help="考评年度（默认取设置）", show_default=False)
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="输出目录（默认 out/<年度>年度考评）", show_default=False
        ),
    ] = None,
    letters: Annotated[
        str, typer.Option(help="反馈函格式：html、docx、pdf，逗号分隔；none 不生成")
    ] = "html,docx",
    on: Annotated[
        str | None, typer.Option("--date", help="反馈函落款日期，默认今天", show_default=False)
    ] = None,
) -> None:
    """年终综合考评：考评表（含图表）、考评结果反馈函、推优名单和表彰推荐名单。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.report import ReportOptions, make_report

    formats, day = letter_formats(letters), letter_date(on)
    ui = ctx.ui
    with ctx.opened() as (ws, settings, store):
        if out is not None:
            from shuanggang.fsutil import refuse_workspace_target

            refuse_workspace_target(ws.root, out / "综合考评.xlsx")
        report = make_report(ws, store, settings, ReportOptions(year, out, formats, day))
    ui.emit(report.as_json())
    table = safe_table(title=f"{report.year} 年度综合考评", title_justify="left")
    for column in ("报到单位", "得分", "等次", "团员", "参与", "服务次数", "时长（小时）"):
        table.add_column(column)
    for g in report.grades:
        f = report.facts[g.org]
        table.add_row(
            report.labels[g.org],
            f"{g.score}",
            g.grade,
            str(f.members),
            str(f.active),
            str(f.services),
            f"{f.minutes / 60:g}",
        )
    ui.show(table)
    ui.say(f"符合推优条件的团员：{sum(1 for m in report.members if m.eligible)} 名")
    for path in report.outputs:
        if "合并打印" in path.name or path.suffix == ".xlsx":
            ui.say(f"  输出：{path}")
