"""`shuanggang merge`: street workspaces into the district's."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import Context, command

# What each source brought, in the order a table shows it.
SHOWN = {
    "orgs": "单位",
    "members": "团员",
    "projects": "项目",
    "branches": "支部",
    "services": "服务记录",
    "consultations": "协商",
    "letters": "文书编号",
}


@command()
def run(
    ctx: Context,
    sources: Annotated[
        list[Path],
        typer.Argument(
            help="街道工作区目录，或 shuanggang backup 生成的 .zip（可给多个）",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="演练：只列出冲突和会合并的数量，不保存")
    ] = False,
) -> None:
    """把各街道的工作区（或备份文件）合并到本工作区（区级）。

    再次合并同一街道的新备份，会整体替换它上次带来的数据。两处都有的团员、单位和重复的
    文书编号列为冲突，暂不合并，其余照常合并。整个合并是一次更改，可用 history 查看、undo 撤销。
    """
    from shuanggang.cli.common import safe_table
    from shuanggang.workflow.merge import merge

    ui = ctx.ui
    with ctx.opened() as (ws, settings, store):
        result = merge(ws, store, settings, sources, dry_run=dry_run)
    ui.emit(
        {
            "dry_run": result.dry_run,
            "sources": [
                {
                    "source": str(s.path),
                    "kind": s.kind,
                    "streets": s.label,
                    "replaced": s.replaced,
                    "counts": s.counts,
                    "held": s.held,
                    "findings": [f.as_dict() for f in s.findings],
                }
                for s in result.sources
            ],
        }
    )
    title = "合并演练（未保存）" if result.dry_run else "已合并"
    table = safe_table(title=title, title_justify="left")
    for column in ("来源", "街道", *SHOWN.values(), "暂不合并"):
        table.add_column(column)
    for s in result.sources:
        again = "（替换上次合并）" if s.replaced else ""
        table.add_row(
            f"{s.path.name}{again}",
            s.label,
            *(str(s.counts.get(t, 0)) for t in SHOWN),
            str(s.held),
        )
    ui.show(table)
    for s in result.sources:
        for f in s.findings:
            ui.finding(f, prefix=f"{s.path.name}：")
    if any(f.is_error for f in result.findings):
        raise typer.Exit(1)
