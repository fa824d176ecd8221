"""`shuanggang register`: check organisations in at a launch ceremony."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shuanggang.cli.common import (
    Context,
    IncludeHiddenOpt,
    Ui,
    command,
    letter_date,
    letter_formats,
    split_list,
)
from shuanggang.domain.labels import Outcome

if TYPE_CHECKING:
    from shuanggang.workflow.register import RegisterOptions, Registration


@command()
def run(
    ctx: Context,
    files: Annotated[
        list[Path], typer.Argument(help="各单位的《团员信息汇总表》", show_default=False)
    ],
    community: Annotated[
        str | None, typer.Option(help="报到社区（默认取表中“报到社区：”一行）", show_default=False)
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(help="报到单位名称（默认取表中“填表单位”、标题或文件名）", show_default=False),
    ] = None,
    claim: Annotated[
        list[str] | None,
        typer.Option(
            help="现场认领的项目编号，如 2026-01,2026-03；多个文件各认各的："
            "--claim 医院.xlsx=2026-01 --claim 某银行团支部=2026-03（可重复，文件名或单位名）",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[bool, typer.Option(help="已报到单位更换名单（介绍信编号不变）")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只演练：不入库、不写文件")] = False,
    letters: Annotated[
        str, typer.Option(help="介绍信格式：html、docx、pdf，逗号分隔；none 不生成")
    ] = "html,docx",
    on: Annotated[
        str | None,
        typer.Option(
            "--date", help="报到日期（介绍信落款），默认今天，如 2026-03-05", show_default=False
        ),
    ] = None,
    strict: Annotated[bool, typer.Option(help="把警告也当作错误")] = False,
    include_hidden: IncludeHiddenOpt = False,
) -> None:
    """单位报到：校验名单、入库、归档原表、认领项目、生成《团组织报到介绍信》。"""
    from shuanggang.workflow.register import RegisterOptions, register_files

    formats, day = letter_formats(letters), letter_date(on)
    options = RegisterOptions(
        community=community,
        org=org,
        replace=replace,
        dry_run=dry_run,
        letters=formats,
        strict=strict,
        include_hidden=include_hidden,
        on=day,
    )
    ui = ctx.ui
    jobs = _claims_per_file(files, claim or [], options)
    saved: list[Registration] = []
    with ctx.opened() as (ws, settings, store):
        try:
            if len(files) > 1 and not (ctx.ui.json or ctx.ui.quiet):
                results = _with_progress(ws, store, settings, jobs, saved.append)
            else:
                results = register_files(ws, store, settings, jobs, progress=saved.append)
        except KeyboardInterrupt:
            _interrupted(ui, files, saved, dry_run)
            raise
    ui.emit([r.as_json() for r in results])
    _show(ui, results, dry_run)
    if any(r.status == "rejected" for r in results):
        raise typer.Exit(1)


def _claims_per_file(
    files: list[Path], claims: list[str], options: RegisterOptions
) -> list[tuple[Path, RegisterOptions]]:
    """--claim NUMS for every file; --claim FILE=NUMS for one file; --claim ORG=NUMS for
    the file that turns out to be that organisation's."""
    every: list[str] = []
    by_file: dict[Path, list[str]] = {}
    by_org: list[tuple[str, tuple[str, ...]]] = []
    for text in claims:
        key, _, numbers = text.rpartition("=")
        if not key.strip():
            every += split_list(numbers)
            continue
        matching = [p for p in files if key.strip() in (p.name, p.stem, str(p))]
        for path in matching:
            by_file.setdefault(path, []).extend(split_list(numbers))
        if not matching:
            by_org.append((key.strip(), split_list(numbers)))
    return [
        (
            path,
            dataclasses.replace(
                options, claim=(*every, *by_file.get(path, [])), claim_by_org=tuple(by_org)
            ),
        )
        for path in files
    ]


def _with_progress(ws, store, settings, jobs, done):  # type: ignore[no-untyped-def]
    from rich.progress import Progress

    from shuanggang.cli.common import stderr
    from shuanggang.workflow.register import register_files

    def step(result: Registration) -> None:
        done(result)
        progress.advance(task)

    with Progress(console=stderr(), transient=True) as progress:
        task = progress.add_task("报到登记", total=len(jobs))
        return register_files(ws, store, settings, jobs, progress=step)


def _interrupted(ui: Ui, files: list[Path], saved: list[Registration], dry_run: bool) -> None:
    """After Ctrl-C: exactly which files were saved and which were not."""
    if dry_run:
        return
    kept = [r for r in saved if r.status != "rejected"]
    done = {r.file for r in saved}
    rest = [p for p in files if p not in done]
    if kept:
        names = "、".join(
            f"{r.file.name}（{Outcome(r.status).label}"
            f"{'' if r.outputs or not r.letters_due else '，介绍信未写出'}）"
            for r in kept
        )
        ui.error(f"已保存：{names}")
    if rest:
        ui.error(
            f"未保存：{'、'.join(p.name for p in rest)}。再运行同一条命令即可补上："
            "已保存的不会重复登记，缺少的介绍信会补写"
        )


_SOURCE = {
    "--org": "命令行 --org",
    "填表单位": "表中“填表单位”一行",
    "标题": "表格标题",
    "文件名": "文件名",
    "--community": "命令行 --community",
    "报到社区": "表中“报到社区”一行",
}


def _show(ui: Ui, results, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    from shuanggang.cli.common import safe_table

    table = safe_table(
        title="报到登记（演练，未保存）" if dry_run else "报到登记", title_justify="left"
    )
    for column in ("文件", "结果", "报到单位", "社区", "人数", "介绍信编号", "认领项目"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            r.file.name,
            Outcome(r.status).label,
            r.org,
            r.community,
            str(r.members),
            r.letter_number,
            "；".join(r.claimed),
            style="red" if r.status == "rejected" else None,
        )
    ui.show(table)
    for r in results:
        if r.org:
            ui.say(
                f"  {r.file.name}：单位名称取自{_SOURCE[r.org_source]}，"
                f"报到社区取自{_SOURCE.get(r.community_source, '（未确定）')}"
            )
        if r.dropped_members:
            ui.say(
                f"  {r.file.name}：新名单中没有的 {r.dropped_members} 名团员已移除，"
                f"连同其 {r.dropped_services} 条服务记录（更换前已自动备份）",
                style="yellow",
            )
        for f in r.findings:
            ui.finding(f, f"  {r.file.name} ")
        if r.suggestions and r.status != "rejected":
            ui.say(f"  {r.org} 可认领的项目（按匹配程度排序，用 --claim 编号 认领）：")
            for s in r.suggestions[:5]:
                ui.say(f"    {s.project.project_no} {s.project.title}：{s.reason}")
    outputs = sorted({p for r in results for p in r.outputs})
    for path in outputs:
        ui.say(f"  介绍信：{path}")
