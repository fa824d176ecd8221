"""`shuanggang history` and `shuanggang undo`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from shuanggang.cli.common import (
    Context,
    command,
)

if TYPE_CHECKING:
    from shuanggang.store.history import Change


def _state(change: Change) -> str:
    if change.undone_by is not None:
        return f"撤销于 #{change.undone_by}"
    return ""


def _counts(change: Change) -> str:
    if change.command == "undo" or change.undone_by is not None:
        return ""  # an undone change's log went with it
    if change.counts is None:
        return "（启用撤销前，无记录）"
    return change.counts.text() or "（数据无变化）"


def _as_json(change: Change) -> dict[str, Any]:
    return {
        "number": change.id,
        "at": change.at,
        "user": change.user,
        "command": change.command,
        "detail": change.detail,
        "file": change.file_name,
        "file_hash": change.file_hash,
        "rows": change.counts.as_dict() if change.counts is not None else None,
        "undone_by": change.undone_by,
        "undoes": change.undoes,
    }


@command()
def history(
    ctx: Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="最多显示多少条", min=1)] = 20,
) -> None:
    """列出工作区的更改记录（最新的在前）：编号、时间、命令、说明、文件、改动行数，已撤销的注明。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.history import history as read

    ui = ctx.ui
    with ctx.opened() as (_, _, store):
        changes = read(store, limit)
    ui.emit([_as_json(c) for c in changes])
    if not changes:
        ui.say("还没有任何更改记录")
        return
    table = safe_table(title="更改记录（最新的在前）")
    for header in ("编号", "时间", "命令", "说明", "文件", "改动", "状态"):
        table.add_column(header)
    for c in changes:
        table.add_row(
            f"#{c.id}",
            c.at.replace("T", " ")[:19],
            c.command,
            c.detail,
            c.file_label,
            _counts(c),
            _state(c),
        )
    ui.show(table)


@command()
def undo(
    ctx: Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只说明将撤销哪次更改，不做改动")
    ] = False,
) -> None:
    """撤销最近一次尚未撤销的更改，数据库恢复到那次更改之前的样子；再次运行继续往前撤销。"""
    from shuanggang.workflow.history import undo as take_back

    ui = ctx.ui
    with ctx.opened() as (ws, settings, store):
        result = take_back(ws, store, settings, dry_run=dry_run)
    change = result.change
    ui.emit(
        {
            "dry_run": dry_run,
            "undone": _as_json(change),
            "outputs": [str(p) for p in result.outputs],
            "backup": str(result.backup) if result.backup else None,
        }
    )
    what = f"#{change.id}（{change.command}{' ' + change.detail if change.detail else ''}，"
    what += f"{change.at.replace('T', ' ')[:19]}）"
    rows = change.counts.text() if change.counts else ""
    if dry_run:
        ui.say(f"将撤销 {what}")
        ui.say(f"这次更改的改动：{rows}" if rows else "这次更改没有改动数据库中的数据")
        ui.say("（演练：未做任何改动）")
    else:
        ui.say(f"已撤销 {what}")
        ui.say(
            f"收回了这些改动：{rows}" if rows else "这次更改没有改动数据库中的数据，只标记为已撤销"
        )
        if result.backup:
            ui.say(f"撤销前的状态已自动备份：{result.backup.name}")
    if result.outputs:
        ui.say("以下文件由被撤销的命令写出，内容可能已过时（撤销不会删除文件）：", style="yellow")
        for path in result.outputs:
            shown = path.relative_to(ws.root) if path.is_relative_to(ws.root) else path
            ui.say(f"  {shown}", style="yellow")
