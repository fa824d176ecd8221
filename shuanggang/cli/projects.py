"""`shuanggang projects import|list`: communities' project ledgers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import (
    Context,
    command,
)
from shuanggang.domain.labels import Outcome

app = typer.Typer(help="社区《为民服务实事台账》：导入、查看。", no_args_is_help=True)


@app.command("import")
@command()
def import_(
    ctx: Context,
    files: Annotated[
        list[Path], typer.Argument(help="《为民服务实事台账》文件", show_default=False)
    ],
    community: Annotated[
        str | None,
        typer.Option(help="社区（默认从表头说明、标题或文件名识别）", show_default=False),
    ] = None,
) -> None:
    """导入项目台账；再次导入修改过的台账会更新项目，已认领的不受影响。"""
    from shuanggang.workflow.projects import import_ledgers

    ui = ctx.ui
    with ctx.opened() as (ws, settings, store):
        results = import_ledgers(ws, store, settings, files, community)
    ui.emit([r.as_json() for r in results])
    for r in results:
        if r.status == Outcome.IMPORTED:
            kept = f"；已认领、新台账未列的项目保留：{'、'.join(r.kept)}" if r.kept else ""
            counts = f"新增 {r.added} 个、更新 {r.updated} 个项目"
            ui.say(f"{r.file.name}：{r.community}社区，{counts}{kept}")
        for f in r.findings:
            ui.finding(f, f"{r.file.name} ")
    if any(r.status == "rejected" for r in results):
        raise typer.Exit(1)


@app.command("list")
@command()
def list_(
    ctx: Context,
    community: Annotated[str | None, typer.Option(help="只看这个社区", show_default=False)] = None,
) -> None:
    """列出各社区的服务项目及认领情况。"""
    from shuanggang.cli.common import safe_table
    from shuanggang.domain.model import org_labels
    from shuanggang.errors import ShuanggangError
    from shuanggang.store import registry
    from shuanggang.store.records import ProjectRecord
    from shuanggang.workflow.projects import resolve_community

    ui = ctx.ui
    with ctx.reading() as (_, settings, store):
        if community:
            found, problem = resolve_community(community, settings)
            if found is None:
                raise ShuanggangError(problem)
            projects = registry.projects_of(store, found.short)
        else:
            projects = registry.all_projects(store)
        labels = org_labels(o.ref for o in registry.orgs(store))

    def claimed_by(p: ProjectRecord) -> str:
        return "、".join(labels[o] for o in p.claimed_by)

    ui.emit(
        [
            {
                "community": p.community,
                "project_no": p.project_no,
                "title": p.title,
                "category": p.category,
                "schedule": p.schedule,
                "needed": p.needed,
                "claimed_by": claimed_by(p),
            }
            for p in projects
        ]
    )
    table = safe_table(title="为民服务项目", title_justify="left")
    for column in ("社区", "编号", "项目名称", "类别", "服务时间", "需求人数", "认领单位"):
        table.add_column(column, overflow="fold")
    for p in projects:
        table.add_row(
            p.community,
            p.project_no,
            p.title,
            p.category,
            p.schedule,
            str(p.needed or ""),
            claimed_by(p) or "（未认领）",
        )
    ui.show(table)
