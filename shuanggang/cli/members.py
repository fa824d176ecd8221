"""`shuanggang members find|show|update|leave|return`: one member at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shuanggang.cli.common import Context, command, report_error

if TYPE_CHECKING:
    from shuanggang.workflow.members import MemberChange

app = typer.Typer(
    help="团员：查找、查看、更正信息、离团（调离）与回到本单位。", no_args_is_help=True
)

KeyArg = Annotated[str, typer.Argument(help="身份证号或团员编号", show_default=False)]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只演练：显示会改什么，不入库")]


class Reason(StrEnum):
    transferred = "调离"
    over_age = "超龄离团"
    other = "其他"


@contextmanager
def _refusals(ctx: Context) -> Iterator[None]:
    """A refusal: its JSON (with the code) under --json, the message otherwise; exit 1."""
    from shuanggang.workflow.members import MemberRefused

    try:
        yield
    except MemberRefused as refused:
        ctx.ui.emit(refused.as_json())
        if not ctx.ui.json:
            report_error(refused.message, refused.hint)
        raise typer.Exit(1) from None


def _show_change(ctx: Context, result: MemberChange) -> None:
    from shuanggang.cli.common import safe_table

    ui = ctx.ui
    ui.emit(result.as_json())
    m = result.member
    who = f"{m['name']}（{m['id_number']}，{m['org']}）"
    if result.status == "unchanged":
        ui.say(f"{who}：无变化")
    else:
        table = safe_table(
            title=f"{who}{'（演练，未保存）' if result.dry_run else ''}", title_justify="left"
        )
        for column in ("项目", "原来", "现在"):
            table.add_column(column, overflow="fold")
        for c in result.changes:
            table.add_row(c["label"], c["before"], c["after"])
        ui.show(table)
        if result.released:
            ui.say("服务类别或可服务时间有变化（或已离团）：已移出原活动团支部", style="yellow")
    for f in result.findings:
        ui.finding(f)


@app.command("find")
@command()
def find(
    ctx: Context,
    text: Annotated[
        str, typer.Argument(help="姓名（或其中几个字）、身份证号或手机号的后 4–6 位、团员编号")
    ],
) -> None:
    """查找团员（身份证号、手机号打码显示）。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.members import find_members

    ui = ctx.ui
    with _refusals(ctx), ctx.reading() as (_, _, store):
        found = find_members(store, text)
    ui.emit(found)
    if not found:
        ui.say("没有找到")
        return
    table = safe_table(title=f"找到 {len(found)} 名团员", title_justify="left")
    columns: tuple[tuple[str, str], ...] = (
        ("姓名", "name"),
        ("身份证号", "id_number"),
        ("手机号码", "phone"),
        ("报到单位", "org"),
        ("社区", "community"),
        ("活动团支部", "branch"),
        ("状态", "status"),
    )
    for label, _ in columns:
        table.add_column(label, overflow="fold")
    for m in found:
        table.add_row(*(m[key] for _, key in columns))
    ui.show(table)


@app.command("show")
@command()
def show(ctx: Context, key: KeyArg) -> None:
    """查看一名团员：名单中的每一项、状态、单位、活动团支部、服务合计（打码显示）。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.members import show_member

    ui = ctx.ui
    with _refusals(ctx), ctx.reading() as (_, _, store):
        view = show_member(store, key)
    ui.emit(view.as_json())
    data = view.as_json()
    table = safe_table(title=f"{data['name']}（{data['id_number']}）", title_justify="left")
    table.add_column("项目")
    table.add_column("内容", overflow="fold")
    for label, value in view.fields():
        table.add_row(label, value)
    extra: tuple[tuple[str, Any], ...] = (
        ("报到单位", f"{data['org']}（{data['community']}社区）"),
        ("活动团支部", data["branch"] or "未编组"),
        ("服务类别", data["category"]),
        ("时段", data["slots"]),
        ("状态", data["status"] + (f"，{data['left_reason']}" if data["left_reason"] else "")),
        ("服务合计", f"{data['services']} 次、{data['hours']:g} 小时"),
        (
            "服务日期",
            f"{data['first_service']} 至 {data['last_service']}" if data["services"] else "",
        ),
    )
    for label, value in extra:
        table.add_row(label, str(value))
    ui.show(table)


def _option(help_text: str) -> Any:
    return typer.Option(help=help_text, show_default=False)


@app.command("update")
@command()
def update(
    ctx: Context,
    key: KeyArg,
    name: Annotated[str | None, _option("姓名")] = None,
    phone: Annotated[str | None, _option("手机号码")] = None,
    residence: Annotated[str | None, _option("居住社区")] = None,
    specialty: Annotated[str | None, _option("专业特长（重新归入服务类别）")] = None,
    willingness: Annotated[str | None, _option("服务意向（重新归入服务类别）")] = None,
    availability: Annotated[str | None, _option("可服务时间（重新解析时段）")] = None,
    league_post: Annotated[str | None, _option("团内职务")] = None,
    political_status: Annotated[str | None, _option("政治面貌")] = None,
    occupation: Annotated[str | None, _option("工作单位及职务（重新归入服务类别）")] = None,
    interests: Annotated[str | None, _option("兴趣爱好（重新归入服务类别）")] = None,
    remark: Annotated[str | None, _option("备注")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """更正一名团员的信息（按读表的同一规则校验）；服务类别或时段变了的，移出原活动团支部。"""
    from shuanggang.workflow.members import update_member

    given = {
        k: value
        for k, value in {
            "name": name,
            "phone": phone,
            "residence": residence,
            "specialty": specialty,
            "willingness": willingness,
            "availability": availability,
            "league_post": league_post,
            "political_status": political_status,
            "occupation": occupation,
            "interests": interests,
            "remark": remark,
        }.items()
        if value is not None
    }
    if not given:
        raise typer.BadParameter("请至少给出一项要更正的信息，如 --phone 13805351234")
    _change(
        ctx, lambda store, settings: update_member(store, settings, key, given, dry_run=dry_run)
    )


@app.command("leave")
@command()
def leave(
    ctx: Context,
    key: KeyArg,
    on: Annotated[str, typer.Option("--date", help="离团（调离）日期，如 2026-05-01")],
    reason: Annotated[Reason, typer.Option(help="离团原因")] = Reason.transferred,
    dry_run: DryRunOpt = False,
) -> None:
    """登记团员离团（调离、超龄离团）：自该日起不计入参与率，服务记录保留。"""
    from shuanggang.workflow.members import leave_member

    _change(
        ctx,
        lambda store, settings: leave_member(
            store, settings, key, on, reason.value, dry_run=dry_run
        ),
    )


@app.command("return")
@command()
def return_(ctx: Context, key: KeyArg, dry_run: DryRunOpt = False) -> None:
    """撤销离团登记：团员恢复在册（下次编组时编入活动团支部）。"""
    from shuanggang.workflow.members import return_member

    _change(ctx, lambda store, _: return_member(store, key, dry_run=dry_run))


def _change(ctx: Context, run: Callable[[Any, Any], MemberChange]) -> None:
    with _refusals(ctx), ctx.opened() as (_, settings, store):
        result = run(store, settings)
    _show_change(ctx, result)
