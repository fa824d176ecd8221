"""Styled table workbooks: the one writer for every export (roster, projects, branches,
assessment). Bold frozen header, filters, column widths, text-formatted ID columns, and
every string stored as a string."""

from __future__ import annotations

import math
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
        formats = [("@" if col.text else col.number_format) for col in table.columns]
        rows = _RowWriter(ws, formats)
        rows.send(header, cells=True)
        for row in table.rows:
            rows.send(row)
        rows.close()
        last = get_column_letter(max(len(table.columns), 1))
        ws.auto_filter.ref = f"A1:{last}{rows.count}"
    return wb


class _RowWriter:
    """Rows into a write-only sheet: the same bytes as `ws.append` writes, a few times
    faster. A row of plain text and numbers (nearly every row) becomes one XML element
    without openpyxl's cell object per value; any other row takes openpyxl's own path.
    A million-row member list spent most of its time in openpyxl's per-cell work.
    (This drives the sheet's stream as `ws.append` does; `test_tables` compares the
    bytes with openpyxl's own writing, so a change inside openpyxl shows there.)"""

    def __init__(self, ws: Any, formats: Sequence[str]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES
        from openpyxl.compat import safe_string
        from openpyxl.utils import get_column_letter
        from openpyxl.xml.functions import XML_NS, Element, SubElement

        self.ws, self.formats, self.count = ws, formats, 0
        self.make, self.errors, self.safe_string = (
            WriteOnlyCell,
            frozenset(ERROR_CODES),
            safe_string,
        )
        self.element, self.sub = Element, SubElement
        self.space = f"{{{XML_NS}}}space"
        self.letters = [get_column_letter(c) for c in range(1, len(formats) + 1)]
        self.styles: dict[int, str] = {}  # column → style id, taken at first use as openpyxl does
        ws._get_writer()
        self.rows = self._rows()
        next(self.rows)
        ws._rows = self.rows  # ws.close() closes it again: a no-op

    def send(self, row: Sequence[Any], *, cells: bool = False) -> None:
        self.count += 1
        self.rows.send((row, cells))

    def close(self) -> None:
        self.rows.close()

    def _rows(self) -> Any:
        ws = self.ws
        xf = ws._writer.xf.send(True)
        with xf.element("sheetData"):
            index = 1
            try:
                while True:
                    row, cells = yield
                    element = None if cells else self._fast(row, index)
                    if element is not None:
                        xf.write(element)
                    else:  # openpyxl's own path, as ws.append takes it
                        if not cells:
                            row = [
                                _cell(ws, self.make, value, self.formats[c])
                                for c, value in enumerate(row)
                            ]
                        ws._writer.write_row(xf, ws._values_to_row(row, index), index)
                    index += 1
            except GeneratorExit:
                pass
        ws._writer.xf.send(None)

    def _fast(self, row: Sequence[Any], index: int) -> Any:
        """The row as openpyxl would write it, or None where only openpyxl knows how."""
        if self.ws.row_dimensions.get(index):
            return None
        r = str(index)
        element = self.element("row", {"r": r})
        written = False
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            number_format = self.formats[c]
            kind = type(value)
            if number_format == "@":
                value, kind = cleaned(str(value)), str
            elif kind is str:
                value = cleaned(value)
            if kind is str:
                if len(value) > 32767 or value in self.errors:
                    return None
                if value.startswith("=") and not number_format:
                    return None  # openpyxl's cell keeps it text (put)
                cell_type = "inlineStr"
            elif kind is int or (kind is float and math.isfinite(value)):
                cell_type = "n"
            else:
                return None
            attrs = {"r": self.letters[c] + r}
            if number_format:
                style = self._style(c)
                if style is None:
                    return None
                attrs["s"] = style
            attrs["t"] = cell_type
            cell = self.sub(element, "c", attrs)
            if cell_type == "n":
                self.sub(cell, "v").text = self.safe_string(value)
            else:
                text = self.sub(
                    self.sub(cell, "is"),
                    "t",
                    {self.space: "preserve"} if value != value.strip() else {},
                )
                text.text = value
            written = True
        return element if written else None  # an empty row: openpyxl writes <row></row>

    def _style(self, column: int) -> str | None:
        """The style id of a cell with the column's number format; registered the first
        time a row needs it, as openpyxl registers it when writing the cell."""
        if column not in self.styles:
            cell = self.make(self.ws)
            cell.number_format = self.formats[column]
            self.styles[column] = f"{cell.style_id}"
        return self.styles[column]


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
