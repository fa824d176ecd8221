"""A sheet as offices lay it out — title, preamble lines, header (one row, or two with
merged group cells), data, a blank row and footer lines — and the three ways to write
it: `.xlsx` with openpyxl (`write_xlsx`), legacy `.xls` with xlwt (`write_xls`) and CSV
as Excel saves it (`write_csv`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shuanggang.render.xlsx import reproducible_bytes

from .common import Cell

Line = str | tuple[str, str]  # a tuple is two cells on one row: left and right


@dataclass(slots=True)
class Table:
    """A sheet the way offices lay it out: title, preamble, header, data, footer."""

    header: list[str]
    rows: list[list[Cell]]
    title: str | None = None
    preamble: list[Line] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    groups: list[str] | None = None  # two-row header: group above each column, "" = none
    formats: dict[int, str] = field(default_factory=dict)  # column → number format
    sheet_name: str = "Sheet1"


THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def display_width(value: Cell) -> int:
    text = value.isoformat() if isinstance(value, date) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def column_widths(table: Table) -> list[float]:
    widths: list[float] = []
    for c, head in enumerate(table.header):
        longest = max([display_width(head)] + [display_width(r[c]) for r in table.rows[:200]])
        widths.append(min(40, max(6, longest + 2)))
    return widths


def _merge_line(ws: Worksheet, row: int, first: int, last: int, text: str, **style: Any) -> None:
    cell = ws.cell(row, first, text)
    for key, value in style.items():
        setattr(cell, key, value)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def fill_sheet(ws: Worksheet, table: Table) -> tuple[int, int]:
    """Write `table` into `ws`; returns the first and last data rows."""
    n = len(table.header)
    r = 1
    if table.title:
        _merge_line(ws, r, 1, n, table.title, font=TITLE_FONT, alignment=CENTER)
        ws.row_dimensions[r].height = 30
        r += 1
    for line in table.preamble:
        if isinstance(line, tuple):
            half = max(1, n // 2)
            _merge_line(ws, r, 1, half, line[0], font=BODY_FONT)
            _merge_line(
                ws, r, half + 1, n, line[1], font=BODY_FONT, alignment=Alignment(horizontal="right")
            )
        else:
            _merge_line(ws, r, 1, n, line, font=BODY_FONT)
        r += 1
    r = _write_header(ws, r, table)
    first = r
    for values in table.rows:
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c, value)
            cell.border = BORDER
            cell.font = BODY_FONT
            if (c - 1) in table.formats:
                cell.number_format = table.formats[c - 1]
        r += 1
    last = r - 1
    if table.footer:
        r += 1  # the blank row offices leave before the signatures
        for line in table.footer:
            _merge_line(ws, r, 1, n, line, font=BODY_FONT)
            r += 1
    for c, width in enumerate(column_widths(table), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return first, last


def _write_header(ws: Worksheet, r: int, table: Table) -> int:
    """The header at row `r`, one row or two with merged groups; returns the next row."""
    header_style = {"font": HEADER_FONT, "alignment": CENTER, "fill": HEADER_FILL, "border": BORDER}
    groups = table.groups
    depth = 2 if groups else 1
    for c, head in enumerate(table.header, 1):
        for rr in range(r, r + depth):
            for key, value in header_style.items():
                setattr(ws.cell(rr, c), key, value)
        if groups and groups[c - 1]:
            ws.cell(r + 1, c, head)
        else:
            ws.cell(r, c, head)
            if depth == 2:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
    if groups:
        for label, first, last in group_spans(groups):
            ws.cell(r, first, label)
            if last > first:
                ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
    ws.row_dimensions[r].height = 24
    return r + depth


def group_spans(groups: Sequence[str]) -> list[tuple[str, int, int]]:
    """Runs of equal, non-empty group labels as (label, first column, last column)."""
    spans: list[tuple[str, int, int]] = []
    for c, label in enumerate(groups, 1):
        if not label:
            continue
        if spans and spans[-1][0] == label and spans[-1][2] == c - 1:
            spans[-1] = (label, spans[-1][1], c)
        else:
            spans.append((label, c, c))
    return spans


def new_workbook() -> tuple[Workbook, Worksheet]:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    return wb, ws


def save_xlsx(wb: Workbook, path: Path) -> Path:
    """Save byte-stable output with the product's own reproducible writer."""
    path.write_bytes(reproducible_bytes(wb, author="Administrator"))
    return path


def write_xlsx(path: Path, table: Table) -> Path:
    wb, ws = new_workbook()
    ws.title = table.sheet_name
    fill_sheet(ws, table)
    return save_xlsx(wb, path)


def write_xls(path: Path, table: Table) -> Path:
    """A legacy .xls (BIFF8) with the same layout, written with xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(table.sheet_name)
    font = "font: name 宋体, height 220"
    center = "align: horiz center, vert center, wrap on"
    borders = "borders: left thin, right thin, top thin, bottom thin"
    title_style = xlwt.easyxf(f"font: name 宋体, height 320, bold on; {center}")
    line_style = xlwt.easyxf(font)
    head_style = xlwt.easyxf(
        f"{font}, bold on; {center}; {borders}; pattern: pattern solid, fore_colour gray25"
    )
    body = f"{font}; {borders}"
    body_style = xlwt.easyxf(body)
    formats = {c: xlwt.easyxf(body, num_format_str=f) for c, f in table.formats.items()}
    n = len(table.header)
    r = 0
    if table.title:
        sheet.write_merge(r, r, 0, n - 1, table.title, title_style)
        sheet.row(r).height_mismatch = True
        sheet.row(r).height = 600
        r += 1
    for line in table.preamble:
        text = "　　".join(line) if isinstance(line, tuple) else line
        sheet.write_merge(r, r, 0, n - 1, text, line_style)
        r += 1
    for c, head in enumerate(table.header):
        sheet.write(r, c, head, head_style)
    r += 1
    for values in table.rows:
        for c, value in enumerate(values):
            sheet.write(r, c, value, formats.get(c, body_style))
        r += 1
    if table.footer:
        r += 1
        for line in table.footer:
            sheet.write_merge(r, r, 0, n - 1, line, line_style)
            r += 1
    for c, width in enumerate(column_widths(table)):
        sheet.col(c).width = int(width * 256)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        raise TypeError("a CSV holds text: format dates before writing them")
    return str(value)


def write_csv(path: Path, table: Table, encoding: str) -> Path:
    """A CSV as Excel saves one: CRLF, every row padded to the table's width."""
    n = len(table.header)

    def line(text: str) -> list[str]:
        return [text] + [""] * (n - 1)

    rows: list[list[str]] = []
    if table.title:
        rows.append(line(table.title))
    rows += [line("　　".join(p) if isinstance(p, tuple) else p) for p in table.preamble]
    rows.append(list(table.header))
    rows += [[csv_text(v) for v in values] for values in table.rows]
    if table.footer:
        rows.append([""] * n)
        rows += [line(text) for text in table.footer]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
