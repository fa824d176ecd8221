"""`shuanggang check`: validate sheets without storing anything."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shuanggang.cli.common import Context, IncludeHiddenOpt, Ui, command
from shuanggang.domain.findings import ERROR, WARNING, Finding
from shuanggang.domain.labels import Kind

_CHECKED_KINDS = (Kind.MEMBERS, Kind.PROJECTS, Kind.SERVICES, Kind.CONSULTATIONS)
KindOpt = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help=f"表格种类：{'、'.join(f'{k.value}（{k.label}）' for k in _CHECKED_KINDS)}；"
        "默认按表头识别",
        show_default=False,
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option("--sheet", help="只读这个工作表（默认自动选择数据表）", show_default=False),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="把警告也当作错误")]


def load_settings(workspace: Path | None):  # type: ignore[no-untyped-def]
    """The workspace's settings when there is one; the defaults otherwise."""
    from shuanggang import settings
    from shuanggang.errors import WorkspaceError
    from shuanggang.store import find_workspace

    try:
        return find_workspace(workspace).settings()
    except WorkspaceError:
        if workspace is not None:
            raise
        return settings.defaults()


@command()
def run(
    ctx: Context,
    files: Annotated[list[Path], typer.Argument(help="要校验的表格文件", show_default=False)],
    kind: KindOpt = None,
    sheet: SheetOpt = None,
    annotate: Annotated[
        bool, typer.Option("--annotate", help="另存一份标注了问题单元格的副本")
    ] = False,
    out: Annotated[Path, typer.Option("-o", "--output", help="--annotate 副本的保存目录")] = Path(
        "."
    ),
    strict: StrictOpt = False,
    include_hidden: IncludeHiddenOpt = False,
) -> None:
    """校验表格（不入库）：指出有问题的文件、工作表和单元格。可在工作区外使用。"""
    from shuanggang.sheets.fields import KINDS
    from shuanggang.sheets.reader import read_sheet

    if kind is not None and kind not in KINDS:
        raise typer.BadParameter(f"应为 {'、'.join(KINDS)} 之一", param_hint="--kind")
    ui = ctx.ui
    settings = load_settings(ctx.workspace)
    results = []
    for path in files:
        result = read_sheet(
            path,
            settings,
            kind=kind,
            sheet=sheet,
            strict=strict,
            keep=False,
            include_hidden=include_hidden,
        )
        result.findings.sort(key=_place)
        results.append(result)
        annotated = _annotate(result, out) if annotate and result.layout is not None else None
        _show(ui, result, annotated)
    if len(results) > 1:
        _totals(ui, results)
    ui.emit([r.as_json() for r in results])
    if any(not r.ok for r in results):
        raise typer.Exit(1)


def _place(f: Finding) -> tuple[str, str, int, int]:
    """Findings in reading order: by file, sheet, then row and column of their cell
    (a range such as A7:I8 by its first cell); whole-file findings first."""
    first = f.cell.split(":", 1)[0]
    letters = first.rstrip("0123456789")
    digits = first[len(letters) :]
    col = 0
    for char in letters.upper():
        col = col * 26 + ord(char) - 64
    return (f.file, f.sheet, int(digits) if digits else 0, col)


def _totals(ui: Ui, results: list) -> None:  # type: ignore[type-arg]
    failed = sum(1 for r in results if not r.ok)
    records = sum(r.rows_read for r in results)
    errors = sum(r.count(ERROR) for r in results)
    warnings = sum(r.count(WARNING) for r in results)
    ui.say(
        f"合计：{len(results)} 个文件（{failed} 个未通过），{records} 条记录，"
        f"{errors} 个错误，{warnings} 个警告",
        style="red" if failed else "green",
    )


def _columns_line(result) -> str:  # type: ignore[no-untyped-def]
    """读取的列：姓名、身份证号码→身份证号…；未读取：个人专长（G4）"""
    read = "、".join(
        c["header"] if c["header"] == c["field_label"] else f"{c['header']}→{c['field_label']}"
        for c in result.columns
    )
    line = f"  读取的列：{read}" if read else ""
    if result.ignored_columns:
        ignored = "、".join(f"{c['header']}（{c['cell']}）" for c in result.ignored_columns)
        line += f"；未读取的列：{ignored}"
    return line


def _annotate(result, out: Path) -> Path:  # type: ignore[no-untyped-def]
    from shuanggang.fsutil import inside
    from shuanggang.render.annotate import annotated_name, write_annotated

    target = inside(out, annotated_name(result.file)) if out.is_dir() else out / "x"
    from shuanggang.fsutil import refuse_workspace_target

    refuse_workspace_target(None, target)  # never into a workspace's archive/ or templates/
    out.mkdir(parents=True, exist_ok=True)
    target = inside(out, annotated_name(result.file))
    if target.resolve() == result.file.resolve():
        raise ValueError("annotated copy would overwrite its input")
    return write_annotated(result, target)


def _show(ui: Ui, result, annotated: Path | None) -> None:  # type: ignore[no-untyped-def]
    from shuanggang.cli.common import safe_table

    kind = Kind(result.kind).label if result.kind else "未识别"
    errors, warnings = result.count(ERROR), result.count(WARNING)
    verdict = "通过" if result.ok else "未通过"
    title = (
        f"{result.file.name}  [{kind}{' · ' + result.sheet if result.sheet else ''}]  "
        f"{verdict}：{result.rows_read} 条记录，{errors} 个错误，{warnings} 个警告"
    )
    columns = _columns_line(result)
    if not result.findings:
        ui.say(title, style="green")
        if columns:
            ui.say(columns)
    else:
        table = safe_table(title=title, title_justify="left", show_lines=False)
        for column in ("等级", "单元格", "字段", "值", "问题", "修改建议"):
            table.add_column(column, overflow="fold")
        for f in result.findings:
            table.add_row(  # as text: a hint may hold [aliases.headers], not markup
                f.severity.label,
                f.cell,
                f.field_label,
                f.value,
                f.message,
                f.hint,
                style="red" if f.severity == ERROR else "yellow",
            )
        ui.show(table)
        if columns:
            ui.show(columns)
    if annotated is not None:
        ui.say(f"  标注副本：{annotated}")
