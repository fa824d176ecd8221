"""Styled table workbooks: the one writer for every export (roster, projects, branches,
assessment). Bold frozen header, filters, column widths, text-formatted ID columns, and
every string stored as a string."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuanggang.render.xlsx import put, save

if TYPE_CHECKING:
    from openpyxl import Workbook


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    width: float = 12
    text: bool = False  # keep as text (ID numbers, phones): never a number in Excel
    number_format: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    title: str  # the sheet name
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def write_tables(target: Path, tables: Sequence[Table]) -> Path:
    return save(build_tables(tables), target)


def build_tables(tables: Sequence[Table]) -> Workbook:
    """The styled workbook, for callers that add charts before saving it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for table in tables:
        ws = wb.create_sheet(table.title[:31])
        for c, column in enumerate(table.columns, 1):
            cell = ws.cell(1, c, column.label)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(c)].width = column.width
        formats = [("@" if col.text else col.number_format) for col in table.columns]
        count = 0
        for r, row in enumerate(table.rows, 2):
            count += 1
            for c, value in enumerate(row, 1):
                if value is None or value == "":
                    continue
                cell = put(ws.cell(r, c), str(value) if formats[c - 1] == "@" else value)
                if formats[c - 1]:
                    cell.number_format = formats[c - 1]
        ws.freeze_panes = "A2"
        last = get_column_letter(max(len(table.columns), 1))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
    return wb
