"""`check --annotate`: a copy of the data sheet with bad cells coloured and commented,
after a first sheet 校验结果 that lists every finding with a link to its cell."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from shuanggang.domain.findings import ERROR, Severity
from shuanggang.render.xlsx import put, save
from shuanggang.sheets.reader import SheetRead

RED, YELLOW = "FFC7CE", "FFEB9C"
SUMMARY = "校验结果"


def _sheet_title(name: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "数据"
    return "数据" if title == SUMMARY else title


def annotated_name(source: Path) -> str:
    return f"{source.stem}_校验结果.xlsx"


def write_annotated(result: SheetRead, target: Path) -> Path:
    """Write the annotated copy; every value stays at its original cell (D7 is D7)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY
    data = wb.create_sheet(_sheet_title(result.sheet or result.file.stem))
    if result.layout is not None:
        for r, row in enumerate(result.layout.sheet.stream(), 1):
            for c, value in enumerate(row, 1):
                if value in ("", None):
                    continue
                if isinstance(value, datetime | date):
                    put(data.cell(r, c), value).number_format = "yyyy-mm-dd"
                else:
                    put(data.cell(r, c), value)

    header = ["等级", "单元格", "字段", "问题", "修改建议"]
    summary.append(header)
    for cell in summary[1]:
        cell.font = Font(bold=True)
    fills = {ERROR: PatternFill("solid", fgColor=RED)}
    warn_fill = PatternFill("solid", fgColor=YELLOW)
    notes: dict[str, list[str]] = {}
    worst: dict[str, Severity] = {}
    for f in result.findings:
        row = [f.severity.label, f.cell, f.field_label, f.message, f.hint]
        summary.append([None] * len(row))
        for c, value in enumerate(row, 1):
            put(summary.cell(summary.max_row, c), value)
        if f.cell:
            link = summary.cell(summary.max_row, 2)
            link.hyperlink = f"#'{data.title}'!{f.cell}"
            link.font = Font(color="0563C1", underline="single")
            fix = f"\n改为：{f.fix}" if f.fix else ""  # the copy goes back to the office
            notes.setdefault(f.cell, []).append(f"{f.severity.label}：{f.message}\n{f.hint}{fix}")
            if worst.get(f.cell) != ERROR:
                worst[f.cell] = f.severity
    for ref, texts in notes.items():
        fill = fills.get(worst[ref], warn_fill)
        if ":" in ref:  # a range of rows (row-hidden): coloured across, noted at its start
            for row in data[ref]:
                for each in row:
                    each.fill = fill
            ref = ref.split(":", 1)[0]
        cell = data[ref]
        cell.fill = fill
        comment = Comment("\n".join(texts), "shuanggang")
        comment.width, comment.height = 300, 80 + 40 * len(texts)
        cell.comment = comment
    for column, width in zip("ABCDE", (8, 10, 14, 50, 60), strict=True):
        summary.column_dimensions[column].width = width
    summary.freeze_panes = "A2"
    return save(wb, target)
