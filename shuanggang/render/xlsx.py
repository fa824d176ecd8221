"""The one place our workbooks are saved: atomically, byte-for-byte reproducible, and
with every user-supplied text stored as text (never as a formula)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuanggang import fsutil
from shuanggang.render import ooxml

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell

FIXED_TIME = datetime(2000, 1, 1)


def cleaned(value: Any) -> Any:
    """A value from a user's file without the control characters a workbook cannot hold."""
    return _illegal_characters().sub("", value) if isinstance(value, str) else value


@cache
def _illegal_characters() -> re.Pattern[str]:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl only once it is used

    return ILLEGAL_CHARACTERS_RE


def put(cell: Cell, value: Any) -> Cell:
    """Set a cell to a value from a user's file: text that looks like a formula stays text,
    and control characters a workbook cannot hold are dropped."""
    value = cleaned(value)
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
        if hasattr(sheet, "merged_cells"):  # a write-only sheet merges nothing
            sheet.merged_cells = SortedRanges(sheet.merged_cells.ranges)


def reproducible_bytes(workbook: Workbook, author: str = "shuanggang") -> bytes:
    """The workbook as .xlsx bytes that depend on its content only."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    _sort_merged_cells(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ooxml.normalise(buffer.getvalue(), FIXED_TIME)


def save(workbook: Workbook, target: Path) -> Path:
    return fsutil.write_bytes(target, reproducible_bytes(workbook))


def save_streamed(workbook: Workbook, target: Path) -> Path:
    """`save` for a workbook of any size: the same bytes, but each part streams from a
    temporary file to the target in pieces, so a sheet of a million rows is never held
    in memory (as bytes, it is most of a gigabyte)."""
    import tempfile
    import zipfile

    for stamp in ("created", "modified"):
        setattr(workbook.properties, stamp, FIXED_TIME)
    workbook.properties.creator = workbook.properties.lastModifiedBy = "shuanggang"
    _sort_merged_cells(workbook)
    with fsutil.atomic_path(target) as tmp, tempfile.TemporaryFile() as raw:
        workbook.save(raw)
        raw.seek(0)
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(tmp, "w") as dst:
            for info in src.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=ooxml.ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = info.external_attr
                entry.create_system = 3  # as ooxml.normalise writes them
                if info.filename == "docProps/core.xml":
                    dst.writestr(entry, ooxml.fixed_core_times(src.read(info), FIXED_TIME))
                    continue
                big = info.file_size * 1.05 > zipfile.ZIP64_LIMIT  # as writestr decides
                with src.open(info) as part, dst.open(entry, "w", force_zip64=big) as out:
                    while chunk := part.read(_CHUNK):
                        out.write(chunk)
    return target


_CHUNK = 1 << 20
