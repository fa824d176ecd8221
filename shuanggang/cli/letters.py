"""`shuanggang letters checkin|feedback|list`: letters made again from the store, and the
letters' register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from shuanggang.cli.common import Context, command, letter_date, letter_formats

if TYPE_CHECKING:
    from shuanggang.workflow.letters import Remade

app = typer.Typer(
    help="文书：按数据库现状重新生成介绍信、反馈函及合并打印文件；查看文书登记。",
    no_args_is_help=True,
)

OrgOpt = Annotated[str | None, typer.Option("--org", help="只生成这个单位的", show_default=False)]
CommunityOpt = Annotated[
    str | None,
    typer.Option(
        "--community",
        help="只生成这个社区的（与 --org 同用时指明单位所在社区）",
        show_default=False,
    ),
]
AllOpt = Annotated[bool, typer.Option("--all", help="生成全部在册单位的")]
LettersOpt = Annotated[str, typer.Option("--letters", help="格式：html、docx、pdf，逗号分隔")]


def _select(ctx: Context, org: str | None, community: str | None, everyone: bool) -> None:
    if not (org or community or everyone):
        raise typer.BadParameter("请指定 --org、--community 或 --all 之一", param_hint="--all")


def _said(ctx: Context, result: Remade) -> None:
    ui = ctx.ui
    ui.emit(result.as_json())
    kind = "介绍信" if result.kind == "checkin" else "反馈函"
    numbers = "、".join(result.numbers)
    ui.say(f"已重新生成{kind} {len(result.numbers)} 份（{result.label}）：{numbers}")
    for path in result.combined:
        ui.say(f"  合并打印：{path}")
    for path in result.removed:
        ui.say(f"  已替换：{path}")


@app.command("checkin")
@command()
def checkin(
    ctx: Context,
    org: OrgOpt = None,
    community: CommunityOpt = None,
    all_: AllOpt = False,
    letters: LettersOpt = "html,docx",
) -> None:
    """按现状重新生成报到介绍信（含认领项目）和一份合并打印文件（编号、日期不变）。"""
    from shuanggang.cli.orgs import refused
    from shuanggang.workflow.letters import remake_checkin
    from shuanggang.workflow.orgs import Refused, select

    _select(ctx, org, community, all_)
    formats = letter_formats(letters) or ("html",)
    try:
        with ctx.opened() as (ws, settings, store):
            ids, label = select(store, settings, org=org, community=community, everyone=all_)
            result = remake_checkin(ws, store, settings, ids, label, formats)
    except Refused as exc:
        refused(ctx, exc)
        return
    _said(ctx, result)


@app.command("feedback")
@command()
def feedback(
    ctx: Context,
    org: OrgOpt = None,
    community: CommunityOpt = None,
    all_: AllOpt = False,
    year: Annotated[int | None, typer.Option(help="考评年度（默认工作区年度）")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="落款日期（默认今天）", show_default=False)
    ] = None,
    letters: LettersOpt = "html,docx",
) -> None:
    """按现有数据重新生成考评结果反馈函和一份合并打印文件（编号沿用 report 发放的）。"""
    from shuanggang import clock
    from shuanggang.cli.orgs import refused
    from shuanggang.workflow.letters import remake_feedback
    from shuanggang.workflow.orgs import Refused, select

    _select(ctx, org, community, all_)
    formats = letter_formats(letters) or ("html",)
    on = letter_date(date) or clock.today()
    try:
        with ctx.opened() as (ws, settings, store):
            ids, label = select(store, settings, org=org, community=community, everyone=all_)
            result = remake_feedback(
                ws, store, settings, ids, label, formats, year=year or settings.year, on=on
            )
    except Refused as exc:
        refused(ctx, exc)
        return
    _said(ctx, result)


@app.command("list")
@command()
def list_(ctx: Context) -> None:
    """文书登记：每个编号、种类、单位、社区、日期、状态（有效/作废/已重印）。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.cli.orgs import KINDS, STATUSES
    from shuanggang.store import orgs as store_orgs

    ui = ctx.ui
    with ctx.reading() as (_, _settings, store):
        entries = store_orgs.letter_register(store)
    ui.emit(
        [
            {
                "number": e.number,
                "kind": e.kind,
                "year": e.year,
                "org": e.org.name if e.org else None,
                "community": e.org.community if e.org else None,
                "issued": e.issued_at,
                "status": e.status,
                "note": e.note,
            }
            for e in entries
        ]
    )
    table = safe_table(title="文书登记", title_justify="left")
    for column in ("编号", "种类", "单位", "社区", "日期", "状态", "备注"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(
            e.number,
            KINDS[e.kind],
            e.org.name if e.org else "（见备注）",
            e.org.community if e.org else "",
            e.issued_at,
            STATUSES[e.status],
            e.note,
        )
    ui.show(table)
