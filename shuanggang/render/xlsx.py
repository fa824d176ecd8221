"""The one place our workbooks are saved: atomically, byte-for-byte reproducible, and
with every user-supplied text stored as text (never as a formula)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuanggang import fsutil

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell

FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def put(cell: Cell, value: Any) -> Cell:
    """Set a cell to a value from a user's file; text that looks like a formula stays text."""
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _sort_merged_cells(workbook: Workbook) -> None:
    """openpyxl keeps merged ranges in a set, written in hash order: sort them."""
    from openpyxl.worksheet.cell_range import MultiCellRange

    class SortedRanges(MultiCellRange):
        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(self.sorted())

    for sheet in workbook.worksheets:
        sheet.merged_cells = SortedRanges(sheet.merged_cells.ranges)


def _normalise_zip(data: bytes) -> bytes:
    """Fixed entry times and host, and the save time openpyxl stamps in core.xml."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            entry.create_system = 3
            dst.writestr(entry, body)
    return out.getvalue()


def reproducible_bytes(workbook: Workbook, author: str = "shuanggang") -> bytes:
    """The workbook as .xlsx bytes that depend on its content only."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    _sort_merged_cells(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_zip(buffer.getvalue())


def save(workbook: Workbook, target: Path) -> Path:
    return fsutil.write_bytes(target, reproducible_bytes(workbook))
