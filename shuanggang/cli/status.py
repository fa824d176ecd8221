"""`shuanggang status`: what the workspace holds and what is stale."""

from __future__ import annotations

from shuanggang.cli.common import (
    Context,
    command,
)
from shuanggang.store import SCHEMA_VERSION, find_workspace
from shuanggang.workflow.status import workspace_status


@command()
def run(
    ctx: Context,
) -> None:
    """显示工作区中已有的数据，以及哪些结果需要更新。"""
    from shuanggang.cli.common import safe_table

    ui = ctx.ui
    ws = find_workspace(ctx.workspace)
    settings = ws.settings()
    with ws.open_store() as store, store.reading():
        status = workspace_status(store, settings.year)
    ui.emit(
        {
            "workspace": str(ws.root),
            "district": settings.district,
            "year": settings.year,
            "schema_version": SCHEMA_VERSION,
            "counts": status.counts,
            "last": status.last,
            "todo": status.todo,
        }
    )
    table = safe_table(title=f"{settings.district} {settings.year} 年度工作区：{ws.root}")
    table.add_column("内容")
    table.add_column("数量", justify="right")
    for label, n in status.labelled_counts():
        table.add_row(label, str(n))
    ui.show(table)
    for item in status.todo:
        ui.say(f"· {item}", style="yellow")
