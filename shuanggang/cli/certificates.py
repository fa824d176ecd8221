"""`shuanggang certificates`: 志愿服务记录证明, its register and the publicity list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from shuanggang.cli.common import Context, command, letter_date, letter_formats


def _day(text: str | None, hint: str) -> date | None:
    """--from/--to 2026-03-05 (None: the workspace year's first or last day)."""
    try:
        return letter_date(text)
    except typer.BadParameter:
        raise typer.BadParameter("日期应写成 2026-03-05 这样的格式", param_hint=hint) from None


@command()
def run(
    ctx: Context,
    member: Annotated[
        str | None,
        typer.Option("--member", help="只为这名团员出具（身份证号或团员编号）", show_default=False),
    ] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="为这个单位的团员出具", show_default=False)
    ] = None,
    community: Annotated[
        str | None,
        typer.Option("--community", help="与 --org 同用：单位所在社区", show_default=False),
    ] = None,
    branch: Annotated[
        str | None, typer.Option("--branch", help="为这个活动团支部的团员出具", show_default=False)
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="为有服务记录的全部团员出具")] = False,
    min_hours: Annotated[
        float, typer.Option("--min-hours", help="服务时长不少于此值（小时）的才出具", min=0)
    ] = 0.0,
    start: Annotated[
        str | None,
        typer.Option("--from", help="服务期间起（默认工作区年度 1 月 1 日）", show_default=False),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="服务期间止（默认工作区年度 12 月 31 日）", show_default=False),
    ] = None,
    letters: Annotated[str, typer.Option("--letters", help="格式：html、docx，逗号分隔")] = (
        "html,docx"
    ),
    publicity: Annotated[
        bool, typer.Option("--publicity", help="同时生成公示名单（HTML 和 Excel）")
    ] = False,
    date: Annotated[
        str | None, typer.Option("--date", help="出具日期（默认今天）", show_default=False)
    ] = None,
) -> None:
    """出具《志愿服务记录证明》：按服务记录逐人出具，编号登记，可生成公示名单。"""
    from shuanggang import clock
    from shuanggang.cli.orgs import refused
    from shuanggang.workflow.certificates import Request, issue
    from shuanggang.workflow.orgs import Refused

    chosen = [x for x in (member, org, branch) if x]
    if len(chosen) > 1:
        raise typer.BadParameter("--member、--org、--branch 只能用一个", param_hint="--member")
    formats = letter_formats(letters)
    on = letter_date(date) or clock.today()
    request = Request(
        member=member,
        org=org,
        community=community,
        branch=branch,
        everyone=all_,
        min_hours=min_hours,
        start=_day(start, "--from"),
        end=_day(end, "--to"),
    )
    ui = ctx.ui
    try:
        with ctx.opened() as (ws, settings, store):
            result = issue(
                ws, store, settings, request, formats=formats, on=on, publicity=publicity
            )
    except Refused as exc:
        refused(ctx, exc)
        return
    counts = result.as_json()
    ui.emit(counts)
    for f in result.findings:
        ui.finding(f)
    ui.say(
        f"志愿服务记录证明（{result.label}）：{len(result.issued)} 份，"
        f"其中新出具 {counts['new']} 份、沿用 {counts['same']} 份、重新出具 {counts['reissued']} 份"
    )
    for one in result.issued:
        if one.state == "reissued":
            ui.say(f"  {one.number} {one.name}：数据有变化，原证明 {one.replaces} 已作废")
    for path in result.combined:
        ui.say(f"  合并打印：{path}")
    if result.register:
        ui.say(f"  登记簿：{result.register}")
    for path in result.publicity:
        ui.say(f"  公示名单：{path}")
    if not result.issued and not result.findings:
        ui.say("  所选范围内没有服务记录，未出具证明")
