"""Styled table workbooks: the one writer for every export (roster, projects, branches,
assessment). Bold frozen header, filters, column widths, text-formatted ID columns, and
every string stored as a string."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuanggang.render.xlsx import cleaned, put, save_streamed

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
    return save_streamed(build_tables(tables), target)


def build_tables(tables: Sequence[Table]) -> Workbook:
    """The styled workbook, for callers that add charts before saving it. Write-only:
    rows stream to disk as they come, so a sheet of a million members neither holds a
    million cell objects nor takes minutes (openpyxl's normal mode did both)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for table in tables:
        ws = wb.create_sheet(table.title[:31])
        for c, column in enumerate(table.columns, 1):  # widths and panes before any row
            ws.column_dimensions[get_column_letter(c)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=column.label)
            cell.font, cell.fill, cell.alignment = bold, header_fill, centred
            header.append(cell)
        ws.append(header)
        formats = [("@" if col.text else col.number_format) for col in table.columns]
        count = 0
        for row in table.rows:
            count += 1
            ws.append([_cell(ws, WriteOnlyCell, value, formats[c]) for c, value in enumerate(row)])
        last = get_column_letter(max(len(table.columns), 1))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
    return wb


def _cell(ws: Any, make: Callable[..., Any], value: Any, number_format: str) -> Any:
    """A plain value where openpyxl stores it as it is; a cell (`make`: WriteOnlyCell)
    for a number format, or for text openpyxl would take for a formula (put keeps it
    text)."""
    if value is None or value == "":
        return None
    value = cleaned(str(value) if number_format == "@" else value)
    if not number_format and not (type(value) is str and value.startswith("=")):
        return value
    cell = put(make(ws), value)
    if number_format:
        cell.number_format = number_format
    return cell
