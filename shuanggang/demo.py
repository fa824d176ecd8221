"""`shuanggang demo`: the whole year on the shipped samples, in a fresh workspace.

Each stage of the year adds itself here as it is built, so the demo always shows
everything the tool can do.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from shuanggang.errors import WorkspaceError
from shuanggang.resources import samples_dir
from shuanggang.store import Workspace, init_workspace

MARKER = ".shuanggang-demo"
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}
INPUTS = "样例输入"


@dataclass(slots=True)
class DemoRun:
    workspace: Workspace
    steps: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


def _fresh(folder: Path) -> None:
    """Clear a previous demo in `folder`; refuse any other non-empty folder."""
    from shuanggang.fsutil import refuse_workspace_target

    refuse_workspace_target(None, folder / MARKER)  # not inside a workspace's own folders
    if not folder.exists() or not any(folder.iterdir()):
        return
    if not (folder / MARKER).is_file():
        raise WorkspaceError(
            f"{folder} 不是空目录，演示不会覆盖其中的文件",
            "换一个新目录名，例如 shuanggang demo demo-out",
        )
    shutil.rmtree(folder)


def run_demo(folder: Path, *, district: str = "芝罘区", year: int = 2026) -> DemoRun:
    folder = folder.expanduser().resolve()
    _fresh(folder)
    ws = init_workspace(folder, district=district, year=year)
    (folder / MARKER).write_text("shuanggang demo\n", encoding="utf-8")
    run = DemoRun(ws, steps=[f"创建工作区（{district} {year} 年度）"])

    inputs = folder / INPUTS
    shutil.copytree(
        samples_dir(), inputs, ignore=shutil.ignore_patterns("*.py", "__pycache__", "generator")
    )
    run.steps.append(f"复制样例输入：{sum(1 for p in inputs.rglob('*') if p.is_file())} 个文件")
    run.outputs.append(inputs)
    _check(run, inputs)
    played = play_year(ws, inputs)
    run.steps += played.steps
    run.outputs += played.outputs
    return run


def play_year(ws: Workspace, inputs: Path) -> DemoRun:
    """The year's stages on the sheets in `inputs`, in a workspace made before: the launch
    ceremony, branches, liaison points and the year's end (the demo's, or one street's
    share of the samples)."""
    run = DemoRun(ws)
    _launch_ceremony(run, inputs)
    _assign_branches(run)
    _liaisons(run, inputs)
    _year_end(run, inputs)
    _certificates(run)
    return run


def _check(run: DemoRun, inputs: Path) -> None:
    """Stage: check every sample sheet; annotated copies for those with findings."""
    from shuanggang.domain.findings import ERROR, WARNING
    from shuanggang.fsutil import inside
    from shuanggang.render.annotate import annotated_name, write_annotated
    from shuanggang.sheets.reader import read_sheet

    settings = run.workspace.settings()
    files = sorted(p for p in inputs.iterdir() if p.suffix.lower() in SHEET_SUFFIXES)
    results = [read_sheet(path, settings) for path in files]
    skipped = [r for r in results if not r.kind]
    results = [r for r in results if r.kind]
    out = run.workspace.out_dir / "校验"
    for result in results:
        if result.findings and result.layout is not None:
            out.mkdir(parents=True, exist_ok=True)
            run.outputs.append(write_annotated(result, inside(out, annotated_name(result.file))))
    records = sum(r.rows_read for r in results)
    errors = sum(r.count(ERROR) for r in results)
    warnings = sum(r.count(WARNING) for r in results)
    unread = f"（{len(skipped)} 个表格未能识别）" if skipped else ""
    run.steps.append(
        f"校验样例表格：{len(results)} 个文件，{records} 条记录，{errors} 个错误，{warnings} 个警告"
        + unread
    )


# The hotel's CSV has no 报到社区 line: at the ceremony staff say where it checks in.
COMMUNITY_BY_FILE = {"百纳瑞汀酒店团支部_团员信息汇总表.csv": "民生"}
CEREMONY = date(2026, 3, 5)


def _launch_ceremony(run: DemoRun, inputs: Path) -> None:
    """Stage: load the ledgers, check every organisation in, claim the best-fitting
    project on the spot, print the check-in letters."""
    from shuanggang.workflow.projects import import_ledgers
    from shuanggang.workflow.register import RegisterOptions, register_file, register_files

    ws = run.workspace
    settings = ws.settings()
    ledgers = sorted(inputs.glob("*为民服务实事台账*"))
    sheets = sorted(inputs.glob("*团员信息汇总表*"))
    with ws.open_store() as store:
        imported = import_ledgers(ws, store, settings, ledgers)
        projects = sum(r.added for r in imported)
        run.steps.append(f"导入 {len(imported)} 个社区的《为民服务实事台账》：{projects} 个项目")
        jobs = []
        for path in sheets:
            options = RegisterOptions(community=COMMUNITY_BY_FILE.get(path.name), on=CEREMONY)
            trial = register_file(ws, store, settings, path, replace(options, dry_run=True))
            best = [s.project.project_no for s in trial.suggestions[:1] if s.score > 0]
            jobs.append((path, replace(options, claim=tuple(best))))
        results = register_files(ws, store, settings, jobs)
    registered = [r for r in results if r.status == "registered"]
    members = sum(r.members for r in registered)
    claims = sum(len(r.claimed) for r in registered)
    numbers = sorted(r.letter_number for r in registered)
    span = f"{numbers[0]} 至 {numbers[-1]}" if numbers else "无"
    run.steps.append(
        f"启动仪式：{len(registered)} 个单位报到，{members} 名团员，"
        f"认领项目 {claims} 项，介绍信 {span}"
    )
    run.outputs.extend(sorted({p for r in results for p in r.outputs}))


def _assign_branches(run: DemoRun) -> None:
    """Stage: group everyone registered into activity branches."""
    from shuanggang.workflow.branches import BranchOptions, assign

    ws = run.workspace
    with ws.open_store() as store:
        result = assign(ws, store, ws.settings(), BranchOptions())
    joint = sum(1 for b in result.plan.branches if b.joint)
    run.steps.append(
        f"编组登记活动团支部：{len(result.plan.branches)} 个（联合 {joint} 个），"
        f"待处理 {len(result.flags)} 项"
    )
    if result.output:
        run.outputs.append(result.output)


YEAR_END = date(2026, 12, 28)


def _year_end(run: DemoRun, inputs: Path) -> None:
    """Stage: the year's service logs and consultations, then the assessment."""
    from shuanggang.store.registry import consultation_plan
    from shuanggang.workflow.liaisons import write_plan
    from shuanggang.workflow.report import ReportOptions, make_report
    from shuanggang.workflow.services import import_logs

    ws = run.workspace
    settings = ws.settings()
    logs = sorted(inputs.glob("*服务活动台账*")) + sorted(inputs.glob("*互通协商记录*"))
    with ws.open_store() as store:
        imported = import_logs(ws, store, settings, logs)
        services = sum(r.rows for r in imported if r.kind == "services")
        talks = sum(r.rows for r in imported if r.kind == "consultations")
        run.steps.append(f"导入服务记录 {services} 条、互通协商记录 {talks} 条")
        report = make_report(ws, store, settings, ReportOptions(on=YEAR_END))
        plans = consultation_plan(store, settings.year)
        run.outputs.append(write_plan(plans, ws.out_dir / f"{settings.year}年互通协商计划.xlsx"))
        owed = sum(sum(p.due) for p in plans)
        run.steps.append(f"互通协商计划：{len(plans)} 对单位与社区，尚缺 {owed} 次")
    grades = [g.grade for g in report.grades]
    summary = "、".join(
        f"{g} {grades.count(g)} 个"
        for g in ("优秀", "合格", "基本合格", "不合格")
        if grades.count(g)
    )
    recommended = sum(1 for m in report.members if m.eligible)
    run.steps.append(f"年终考评：{summary}；符合推优条件 {recommended} 名；反馈函 {len(grades)} 份")
    run.outputs.extend(p for p in report.outputs if p.suffix == ".xlsx" or "合并打印" in p.name)


def _liaisons(run: DemoRun, inputs: Path) -> None:
    """Stage: liaison points from the cadre sheet."""
    from shuanggang.workflow.liaisons import assign_liaisons

    ws = run.workspace
    with ws.open_store() as store:
        result = assign_liaisons(ws, store, ws.settings(), inputs / "联系点干部名单.xlsx")
    cadres = len({c.name for c, _ in result.links})
    run.steps.append(f"安排团干部基层联系点：{cadres} 名干部，{len(result.links)} 个联系点")
    run.outputs.extend(result.outputs)


def _certificates(run: DemoRun) -> None:
    """Stage: a certificate of service for every member who served, with the register and
    the publicity list."""
    from shuanggang.workflow.certificates import Request, issue

    ws = run.workspace
    with ws.open_store() as store:
        result = issue(
            ws,
            store,
            ws.settings(),
            Request(everyone=True),
            formats=("html", "docx"),
            on=YEAR_END,
            publicity=True,
        )
    hours = sum(c.minutes for c in result.issued) / 60
    run.steps.append(
        f"出具志愿服务记录证明 {len(result.issued)} 份（合计 {hours:.1f} 小时），附登记簿、公示名单"
    )
    run.outputs.extend(result.combined)
    if result.register:
        run.outputs.append(result.register)
    run.outputs.extend(result.publicity)
