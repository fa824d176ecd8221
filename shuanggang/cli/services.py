"""`shuanggang services import`: service logs and consultation records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import Context, IncludeHiddenOpt, command
from shuanggang.domain.labels import Outcome

app = typer.Typer(help="服务活动台账与互通协商记录。", no_args_is_help=True)


@app.command("import")
@command()
def import_(
    ctx: Context,
    files: Annotated[
        list[Path], typer.Argument(help="《服务活动台账》或《互通协商记录》", show_default=False)
    ],
    replace: Annotated[bool, typer.Option(help="修正后的文件：替换原文件导入的记录")] = False,
    include_hidden: IncludeHiddenOpt = False,
) -> None:
    """导入服务记录（每人每次一行，或每次活动一行列出参加人员）和互通协商记录。"""
    from shuanggang.workflow.services import import_logs

    ui = ctx.ui
    with ctx.opened() as (ws, settings, store):
        results = import_logs(
            ws, store, settings, files, replace=replace, include_hidden=include_hidden
        )
    ui.emit([r.as_json() for r in results])
    for r in results:
        what = {"services": "服务记录", "consultations": "协商记录"}.get(r.kind, "")
        extra = f"（替换原有 {r.replaced} 条）" if r.replaced else ""
        ui.say(
            f"{r.file.name}：{Outcome(r.status).label} {r.rows} 条{what}{extra}",
            style="red" if r.status == "rejected" else None,
        )
        for f in r.findings:
            ui.finding(f, "  ")
    if any(r.status == "rejected" for r in results):
        raise typer.Exit(1)
