"""`shuanggang status`: what the workspace holds and what is stale."""

from __future__ import annotations

from pathlib import Path

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
            "sources": [
                {
                    "streets": s.label,
                    "kind": s.kind,
                    "source": s.path,
                    "changed_at": s.changed_at,
                    "merged_at": s.merged_at,
                    "counts": s.counts,
                    "held": s.held,
                }
                for s in status.holdings.sources
            ],
        }
    )
    table = safe_table(title=f"{settings.district} {settings.year} 年度工作区：{ws.root}")
    table.add_column("内容")
    table.add_column("数量", justify="right")
    for label, n in status.labelled_counts():
        table.add_row(label, str(n))
    ui.show(table)
    if status.holdings.sources:
        merged = safe_table(title="各街道合并来的数据")
        for column in (
            "街道",
            "来源",
            "最后更改",
            "合并时间",
            "单位",
            "团员",
            "服务记录",
            "暂不合并",
        ):
            merged.add_column(column)
        for s in status.holdings.sources:
            merged.add_row(
                s.label,
                Path(s.path).name,
                s.changed_at[:16].replace("T", " "),
                s.merged_at[:16].replace("T", " "),
                str(s.counts.get("orgs", 0)),
                str(s.counts.get("members", 0)),
                str(s.counts.get("services", 0)),
                str(s.held),
            )
        ui.show(merged)
    for item in status.todo:
        ui.say(f"· {item}", style="yellow")
