"""`shuanggang orgs list|show|rename|move|withdraw`: organisations after check-in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from shuanggang.cli.common import Context, command, letter_date, letter_formats

if TYPE_CHECKING:
    from shuanggang.store.orgs import LetterEntry, OrgState
    from shuanggang.workflow.orgs import Correction, Refused

app = typer.Typer(
    help="报到单位：查看、更名、迁移社区、撤回（每项更正都记入审计，可先 --dry-run）。",
    no_args_is_help=True,
)

OrgArg = Annotated[str, typer.Argument(help="单位名称", show_default=False)]
CommunityOpt = Annotated[
    str | None,
    typer.Option(
        "--community", help="单位所在社区（同名单位不止一个时必须指定）", show_default=False
    ),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="演练：只显示会有哪些变化，不保存")]
LettersOpt = Annotated[
    str, typer.Option("--letters", help="重印介绍信的格式：html、docx、pdf，逗号分隔；none 不生成")
]

KINDS = {"checkin": "介绍信", "feedback": "反馈函"}
STATUSES = {"valid": "有效", "void": "作废", "reprinted": "已重印"}


def refused(ctx: Context, exc: Refused) -> None:
    """A refusal: its finding as JSON and on stderr, exit code 1."""
    ctx.ui.emit({"status": "refused", "findings": [exc.finding.as_dict()]})
    ctx.ui.finding(exc.finding)
    raise typer.Exit(1)


def _letter_json(entry: LetterEntry) -> dict[str, object]:
    return {
        "number": entry.number,
        "kind": entry.kind,
        "year": entry.year,
        "issued": entry.issued_at,
        "status": entry.status,
        "note": entry.note,
    }


def _state_json(o: OrgState) -> dict[str, object]:
    return {
        "org": o.ref.name,
        "community": o.ref.community,
        "street": o.street,
        "status": "active" if o.active else "withdrawn",
        "registered": o.registered_at,
        "withdrawn_on": o.withdrawn_on or None,
        "withdraw_reason": o.withdraw_reason or None,
        "members": o.members,
        "placed": o.placed,
        "left": o.left,
        "claims": [f"{n} {t}" for n, t in o.claims],
        "letters": [_letter_json(e) for e in o.letters],
    }


def _numbers(o: OrgState, kind: str) -> str:
    return "、".join(e.number for e in o.letters if e.kind == kind and e.status != "void") or (
        "、".join(f"{e.number}（作废）" for e in o.letters if e.kind == kind)
    )


@app.command("list")
@command()
def list_(ctx: Context) -> None:
    """列出报到单位（含已撤回的）：团员数、认领、文书编号。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.store import orgs as store_orgs

    ui = ctx.ui
    with ctx.reading() as (_, _settings, store):
        states = store_orgs.org_states(store)
    ui.emit([_state_json(o) for o in states])
    table = safe_table(title="报到单位", title_justify="left")
    for column in ("单位", "社区", "街道", "团员", "已编组", "认领", "介绍信", "反馈函", "状态"):
        table.add_column(column, overflow="fold")
    for o in states:
        table.add_row(
            o.ref.name,
            o.ref.community,
            o.street,
            str(o.members),
            str(o.placed),
            str(len(o.claims)),
            _numbers(o, "checkin"),
            _numbers(o, "feedback"),
            "在册" if o.active else f"已撤回（{o.withdrawn_on}）",
        )
    ui.show(table)
    if not states:
        ui.say("还没有单位报到")


@app.command("show")
@command()
def show(ctx: Context, org: OrgArg, community: CommunityOpt = None) -> None:
    """一个单位的详情：社区、状态、文书、认领、团员人数。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.orgs import Refused, resolve

    ui = ctx.ui
    try:
        with ctx.reading() as (_, settings, store):
            o = resolve(store, settings, org, community)
    except Refused as exc:
        refused(ctx, exc)
        return
    ui.emit(_state_json(o))
    facts = safe_table(title=o.ref.qualified(), title_justify="left", show_header=False)
    facts.add_column("项目")
    facts.add_column("内容", overflow="fold")
    consent = {None: "未填", True: "是", False: "否"}[o.consent]
    status = "在册" if o.active else f"已撤回（{o.withdrawn_on}：{o.withdraw_reason}）"
    for label, value in (
        ("街道", o.street),
        ("报到日期", o.registered_at),
        ("状态", status),
        ("同意合编", consent),
        (
            "团员",
            f"{o.members} 名：已编组 {o.placed}，未编组 {o.members - o.placed - o.left}"
            f"，已离开 {o.left}",
        ),
        ("认领项目", "、".join(f"{n} {t}" for n, t in o.claims) or "（无）"),
    ):
        facts.add_row(label, value)
    ui.show(facts)
    if o.letters:
        letters = safe_table(title="文书", title_justify="left")
        for column in ("编号", "种类", "日期", "状态", "备注"):
            letters.add_column(column, overflow="fold")
        for e in o.letters:
            letters.add_row(e.number, KINDS[e.kind], e.issued_at, STATUSES[e.status], e.note)
        ui.show(letters)


def _report(ctx: Context, result: Correction) -> None:
    ui = ctx.ui
    ui.emit(result.as_json())
    for f in result.findings:
        ui.finding(f)
    if result.status == "refused":
        raise typer.Exit(1)
    name = result.org.qualified() if result.org else ""
    if result.status == "unchanged":
        ui.say(f"{name}：无变化")
        return
    head = "演练（未保存）" if result.status == "dry-run" else "已保存"
    ui.say(f"{head}：{name}")
    for line in result.changes:
        ui.say(f"  {line}")
    for path in result.outputs:
        ui.say(f"  已生成：{path}")
    for path in result.removed:
        ui.say(f"  已删除：{path}")
    why = (
        "该单位已撤回，这份反馈函作废"
        if result.action == "withdraw"
        else "用 shuanggang letters feedback 重新生成"
    )
    for path in result.stale:
        ui.say(f"  已过时：{path}（{why}）", "yellow")


@app.command("rename")
@command()
def rename(
    ctx: Context,
    org: OrgArg,
    new_name: Annotated[str, typer.Argument(help="新名称", show_default=False)],
    community: CommunityOpt = None,
    dry_run: DryRunOpt = False,
    letters: LettersOpt = "html,docx",
) -> None:
    """单位更名：介绍信编号不变，按新名称重印介绍信。"""
    from shuanggang.workflow import orgs

    formats = letter_formats(letters)
    with ctx.opened() as (ws, settings, store):
        result = orgs.rename(
            ws, store, settings, org, community, new_name, dry_run=dry_run, formats=formats
        )
    _report(ctx, result)


@app.command("move")
@command()
def move(
    ctx: Context,
    org: OrgArg,
    to: Annotated[str, typer.Option("--to", help="新的报到社区", show_default=False)],
    community: CommunityOpt = None,
    dry_run: DryRunOpt = False,
    letters: LettersOpt = "html,docx",
) -> None:
    """单位改到另一个社区报到：释放原社区的认领和编组，介绍信编号不变、重印。"""
    from shuanggang.workflow import orgs

    formats = letter_formats(letters)
    with ctx.opened() as (ws, settings, store):
        result = orgs.move(
            ws, store, settings, org, community, to, dry_run=dry_run, formats=formats
        )
    _report(ctx, result)


@app.command("withdraw")
@command()
def withdraw(
    ctx: Context,
    org: OrgArg,
    reason: Annotated[str, typer.Option("--reason", help="撤回原因", show_default=False)],
    community: CommunityOpt = None,
    date: Annotated[
        str | None, typer.Option("--date", help="撤回日期（默认今天）", show_default=False)
    ] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """单位撤回：释放认领和编组，文书编号作废（不再使用），团员不再计入编组、考评和导出。"""
    from shuanggang.workflow import orgs

    if not reason.strip():
        raise typer.BadParameter("请写明撤回原因", param_hint="--reason")
    on = letter_date(date)
    with ctx.opened() as (ws, settings, store):
        result = orgs.withdraw(ws, store, settings, org, community, reason, on=on, dry_run=dry_run)
    _report(ctx, result)
