"""Opening whatever file people hand over, safely.

The format is told by the file's first bytes, not its name. Size limits are checked
before anything is parsed: a zip's unpacked size is read from its directory, so a zip
bomb is refused without being inflated. Every failure is a `FileRejected` with its
own Chinese message and the code of the finding it becomes.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from shuanggang.errors import InputRejected
from shuanggang.settings import Limits

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
FORMAT_LABEL = {
    "xlsx": "Excel 工作簿",
    "xls": "Excel 97-2003 工作簿",
    "ods": "ODS 表格",
    "csv": "CSV 文本",
}


HEAD_ROWS = 24  # enough for the header search (20 rows, and the row below)

# Hidden rows as runs: (first, past the last) 0-based row indices, in order.
Runs = tuple[tuple[int, int], ...]


def _no_hidden_rows() -> Runs:
    return ()


@dataclass(frozen=True, slots=True)
class RawSheet:
    """One sheet's cells, row r + 1 and column c + 1 at `[r][c]`: the first rows kept
    for finding the table, every row streamed on demand (a million-row sheet is never
    held as Python objects at once)."""

    name: str
    visible: bool
    head: list[list[Any]]
    height: int
    stream: Callable[[], Iterator[list[Any]]]
    # The hidden rows, looked up when asked (xlsx and ods; never in CSV, not read in xls)
    hidden_rows: Callable[[], Runs] = _no_hidden_rows

    @classmethod
    def of(cls, name: str, visible: bool, rows: list[list[Any]]) -> RawSheet:
        return cls(name, visible, rows[:HEAD_ROWS], len(rows), lambda: iter(rows))

    def rows_from(self, start: int) -> Iterator[list[Any]]:
        return itertools.islice(self.stream(), start, None)


@dataclass(frozen=True, slots=True)
class Book:
    path: Path
    format: str  # xlsx xls ods csv
    sheets: list[RawSheet]
    encoding: str = ""  # for CSV: the encoding it was read in


class FileRejected(InputRejected):
    """A file refused as a whole; `code` is its finding's stable code (docs/findings.md)."""

    def __init__(self, message: str, hint: str = "", *, code: str) -> None:
        super().__init__(message, hint)
        self.code = code


def _reject(path: Path, message: str, hint: str, *, code: str) -> FileRejected:
    return FileRejected(f"{path.name}：{message}", hint, code=code)


def sniff_format(path: Path, head: bytes) -> str:
    if not head:
        raise _reject(path, "文件是空的（0 字节）", "重新导出或另存后再交", code="file-empty")
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        raise _reject(
            path,
            "这是 PDF 文件，不是表格",
            "请交 Excel（.xlsx/.xls）、WPS 表格或 CSV 文件",
            code="file-not-spreadsheet",
        )
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _reject(
            path,
            "不是表格文件（无法识别的二进制格式）",
            "请交 Excel（.xlsx/.xls）、WPS 表格（.et 请另存为 .xlsx）、.ods 或 CSV 文件",
            code="file-not-spreadsheet",
        )
    return "text"


def _check_zip(path: Path, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, EOFError, OSError):
        raise _reject(
            path,
            "文件已损坏或不完整（压缩包无法打开）",
            "可能是下载或拷贝不完整；请让对方重新发送，或用 Excel/WPS 打开后另存",
            code="file-corrupt",
        ) from None
    if unpacked > limits.max_unpacked_mb * MB:
        raise _reject(
            path,
            f"解压后超过 {limits.max_unpacked_mb} MB，拒收（可能是压缩炸弹）",
            "正常的名单远小于此；如确需处理，请拆分文件或调整设置 limits.max_unpacked_mb",
            code="file-too-large",
        )
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if any(n.startswith("word/") for n in names):
        raise _reject(
            path,
            "这是 Word 文档，不是表格",
            "请把名单放在 Excel/WPS 表格中再交",
            code="file-not-spreadsheet",
        )
    raise _reject(
        path,
        "不是表格文件（压缩包中没有工作簿）",
        "请交 .xlsx、.xls、.ods 或 .csv 文件",
        code="file-not-spreadsheet",
    )


def _check_ole(path: Path) -> str:
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _reject(
            path,
            "工作簿设置了打开密码，无法读取",
            "请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存再交",
            code="file-encrypted",
        )
    return "xls"


def open_book(path: Path, limits: Limits) -> Book:
    """Read every sheet of `path`; refuse what is too big, broken or not a sheet."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except FileNotFoundError:
        raise FileRejected(
            f"找不到文件 {path}", "检查文件名和路径", code="file-not-found"
        ) from None
    except IsADirectoryError:
        raise FileRejected(
            f"{path} 是文件夹，不是文件", "请给出表格文件的路径", code="file-is-folder"
        ) from None
    if size > limits.max_file_mb * MB:
        raise _reject(
            path,
            f"文件大小 {size // MB} MB，超过上限 {limits.max_file_mb} MB",
            "请拆分文件，或调整设置 limits.max_file_mb",
            code="file-too-large",
        )
    kind = sniff_format(path, head)
    if kind == "text":
        return _read_csv(path, limits)
    fmt = _check_zip(path, limits) if kind == "zip" else _check_ole(path)
    return Book(path, fmt, _read_workbook(path, fmt, limits))


def _read_workbook(path: Path, fmt: str, limits: Limits) -> list[RawSheet]:
    import python_calamine as pc

    hidden = _measure_before_reading(path, fmt, limits)
    try:
        book = _calamine_open(pc, path, fmt)
        sheets = []
        for meta in book.sheets_metadata:
            sheet = book.get_sheet_by_name(meta.name)
            height, width = _extent(sheet)
            _check_size(path, meta.name, height, width, limits)
            _check_cells(path, meta.name, height, width, limits)
            visible = str(meta.visible).endswith("Visible") and "Hidden" not in str(meta.visible)
            runs = hidden.get(meta.name)
            look = _hidden_rows(path, fmt, meta.name) if runs is None else _known(runs)
            sheets.append(_streamed(meta.name, visible, sheet, look))
    except pc.PasswordError:
        raise _reject(
            path,
            "工作簿设置了密码，无法读取",
            "请在 Excel/WPS 中取消密码后另存再交",
            code="file-encrypted",
        ) from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError) as exc:
        raise _reject(
            path,
            f"{FORMAT_LABEL[fmt]}已损坏，无法读取（{type(exc).__name__}）",
            "用 Excel/WPS 打开后另存为 .xlsx 再交；打不开则请对方重新发送",
            code="file-corrupt",
        ) from None
    if not sheets:
        raise _reject(path, "工作簿中没有工作表", "请检查是否交错了文件", code="file-no-sheets")
    return sheets


# python-calamine picks its reader by the file's extension (from_path); the format was
# told by content, so a file whose name says otherwise is handed over as bytes, which
# calamine reads by content.
_SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",)}


def _calamine_open(pc: Any, path: Path, fmt: str) -> Any:
    if path.suffix.lower() in _SUFFIXES[fmt]:
        return pc.CalamineWorkbook.from_path(str(path))
    with open(path, "rb") as fh:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))


def _streamed(name: str, visible: bool, sheet: Any, hidden: Callable[[], Runs]) -> RawSheet:
    """python-calamine's iter_rows starts at row 1 but at the first used column:
    pad each row back to column A so every cell keeps its address."""
    if sheet.start is None:
        return RawSheet.of(name, visible, [])
    pad = [""] * sheet.start[1]

    def stream() -> Iterator[list[Any]]:
        rows: Iterator[list[Any]] = sheet.iter_rows()
        return (pad + row for row in rows) if pad else rows

    head = list(itertools.islice(stream(), HEAD_ROWS))
    return RawSheet(name, visible, head, sheet.end[0] + 1, stream, hidden)


# --- hidden rows -----------------------------------------------------------------------
# python-calamine does not say which rows are hidden. The sheet's XML does: an xlsx
# `<row r="7" hidden="1">`, an ods `<table:table-row table:visibility="collapse">`. The
# XML is streamed and only row tags are looked at, so a million-row sheet costs one
# pass and memory for its hidden runs only. A legacy .xls keeps hidden rows in binary
# ROW records, which are not read: its hidden rows are read like the others.

_CHUNK = 1 << 20


def _hidden_rows(path: Path, fmt: str, name: str) -> Callable[[], Runs]:
    def look() -> Runs:
        try:
            if fmt == "xlsx":
                part = _xlsx_sheet_parts(path).get(name)
                return _xlsx_hidden_rows(path, part) if part else ()
            if fmt == "ods":
                return _ods_hidden_rows(path, name)
        except (KeyError, ValueError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
            pass  # the cells were read; a part we cannot follow hides no row
        return ()

    return look


def _known(runs: Runs) -> Callable[[], Runs]:
    return lambda: runs


def _add_run(runs: list[tuple[int, int]], first: int, count: int = 1) -> None:
    if runs and runs[-1][1] == first:
        runs[-1] = (runs[-1][0], first + count)
    else:
        runs.append((first, first + count))


def _xml_chunks(path: Path | zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in pieces that each end after a tag's `>`: no tag is split.
    `path`: the file, or the archive already open."""
    if isinstance(path, zipfile.ZipFile):
        yield from _chunks_of(path, part)
        return
    with zipfile.ZipFile(path) as archive:
        yield from _chunks_of(archive, part)


def _chunks_of(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    with archive.open(part) as fh:
        tail = b""
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            cut = data.rfind(b">") + 1
            tail = data[cut:]
            if cut:
                yield data[:cut]
        if tail:
            yield tail


_OOXML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx_sheet_parts(path: Path | zipfile.ZipFile) -> dict[str, str]:
    """sheet name → its XML part (xl/worksheets/sheet1.xml), from the workbook's rels."""
    if not isinstance(path, zipfile.ZipFile):
        with zipfile.ZipFile(path) as archive:
            return _xlsx_sheet_parts(archive)
    workbook = ElementTree.fromstring(path.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(path.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter():
        if sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        target = targets.get(sheet.get(f"{{{_OOXML_REL}}}id"), "")
        if target:
            parts[sheet.get("name", "")] = (
                target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            )
    return parts


_XLSX_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb'(?:^|\s)r="(\d+)"')
_HIDDEN = re.compile(rb'(?:^|\s)hidden="(?:1|true)"')


def _xlsx_hidden_rows(path: Path, part: str) -> Runs:
    """Rows with hidden="1". Excel and WPS number every row (r="7"): only the tags
    around a `hidden="` are looked at. A row without its number sends the scan back
    to count every row tag."""
    runs: list[tuple[int, int]] = []
    for data in _xml_chunks(path, part):
        if not _numbered_hidden_rows(data, runs):
            return _xlsx_hidden_rows_counted(path, part)
    return tuple(runs)


def _numbered_hidden_rows(data: bytes, runs: list[tuple[int, int]]) -> bool:
    """Add the hidden rows of one piece of a sheet's XML to `runs`; False when a hidden
    row carries no number (the rows must then be counted)."""
    at = data.find(b'hidden="')
    while at >= 0:
        tag = _XLSX_ROW.match(data, data.rfind(b"<", 0, at))
        if tag is not None and tag.end() > at and _HIDDEN.search(tag.group(1)):
            number = _ROW_NUMBER.search(tag.group(1))
            if number is None:
                return False
            _add_run(runs, int(number.group(1)) - 1)
        at = data.find(b'hidden="', at + 8)
    return True


def _xlsx_hidden_rows_counted(path: Path, part: str) -> Runs:
    runs: list[tuple[int, int]] = []
    row = -1
    for data in _xml_chunks(path, part):
        for tag in _XLSX_ROW.finditer(data):
            number = _ROW_NUMBER.search(tag.group(1))
            row = int(number.group(1)) - 1 if number else row + 1
            if _HIDDEN.search(tag.group(1)):
                _add_run(runs, row)
    return tuple(runs)


_ODS_TAG = re.compile(
    rb"<table:table-row(?=[\s/>])([^>]*)>|<table:table(?=[\s/>])([^>]*)>|</table:table>"
)
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_HIDDEN = re.compile(rb'table:visibility="(?:collapse|filter)"')


def _ods_hidden_rows(path: Path, name: str) -> Runs:
    """Rows of the named table with table:visibility="collapse" (or "filter"), a row
    repeated n times counting n."""
    runs: list[tuple[int, int]] = []
    inside, row = False, 0
    for data in _xml_chunks(path, "content.xml"):
        for tag in _ODS_TAG.finditer(data):
            attrs, table = tag.group(1), tag.group(2)
            if table is not None:
                found = _ODS_NAME.search(table)
                inside = found is not None and html.unescape(found.group(1).decode()) == name
                row = 0
            elif attrs is None:
                if inside:
                    return tuple(runs)
            elif inside:
                repeated = _ODS_REPEATED.search(attrs)
                count = int(repeated.group(1)) if repeated else 1
                if _ODS_HIDDEN.search(attrs):
                    _add_run(runs, row, count)
                row += count
    return tuple(runs)


def _extent(sheet: Any) -> tuple[int, int]:
    """Rows and columns counted from A1 to the last used cell."""
    end = sheet.end
    return (end[0] + 1, end[1] + 1) if end else (0, 0)


def _check_size(path: Path, sheet: str, height: int, width: int, limits: Limits) -> None:
    if height > limits.max_rows:
        raise _reject(
            path,
            f"工作表“{sheet}”有 {height} 行，超过上限 {limits.max_rows} 行",
            "请拆分文件，或调整设置 limits.max_rows",
            code="sheet-too-large",
        )
    if width > limits.max_columns:
        raise _reject(
            path,
            f"工作表“{sheet}”有 {width} 列，超过上限 {limits.max_columns} 列",
            "多余的列可能是误操作填满的；删除空白列后另存，或调整设置 limits.max_columns",
            code="sheet-too-large",
        )


def _column_name(index: int) -> str:
    """1 → A, 16384 → XFD."""
    name = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index


def _check_cells(path: Path, sheet: str, height: int, width: int, limits: Limits) -> None:
    if height * width > limits.max_cells:
        raise _reject(
            path,
            f"工作表“{sheet}”有内容的区域 A1:{_column_name(width)}{height} 共 "
            f"{height * width:,} 个单元格，超过上限 {limits.max_cells:,} 个",
            "请删除空白行列或远处的零星内容（Ctrl+End 可找到最后一个单元格）后另存，"
            "或拆分文件、调整设置 limits.max_cells",
            code="sheet-too-large",
        )


# --- measuring a sheet before it is read --------------------------------------------------
# python-calamine builds each sheet as a dense rectangle from its first to its last cell
# that holds something (about 32 bytes a cell): A1 and XFD1048576 alone are 17 billion
# cells, and Rust aborts the process. So the sheet XML is measured first, streamed from
# the zip without a DOM, and a sheet over the limits, or whose rectangle is mostly empty
# (a stray cell far from the table), is refused before calamine sees it.
# A legacy .xls is at most 65,536 x 256 cells, which calamine can build; it is measured
# after (`_check_cells`).

SPARSE_FROM = 1_000_000  # cells: a rectangle below this costs too little to matter
SPARSE_RATIO = 16  # a rectangle this many times the cells that hold something is refused


@dataclass(slots=True)
class _Extent:
    """A sheet's rectangle from A1, and the cells that (may) hold something."""

    height: int = 0
    width: int = 0
    filled: int = 0
    far: str = ""  # the cell that sets the rectangle's far edge, as A1


def _measure_before_reading(path: Path, fmt: str, limits: Limits) -> dict[str, Runs]:
    """Refuse a sheet past the limits before calamine allocates it. Returns the hidden
    rows of the sheets the quick look read whole (found in the same pass)."""
    hidden: dict[str, Runs] = {}
    try:
        if fmt == "xlsx":
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                for name, part in _xlsx_sheet_parts(archive).items():
                    if part not in names:
                        continue
                    fits, runs = _xlsx_fits(archive, part, limits)
                    if not fits:
                        _judge(path, name, _xlsx_extent(path, part, limits), limits)
                    elif runs is not None:
                        hidden[name] = runs
        elif fmt == "ods":
            for name, extent in _ods_extents(path, limits).items():
                _judge(path, name, extent, limits)
    except FileRejected:
        raise
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        pass  # a part we cannot follow: calamine refuses it as corrupt, or reads it
    return hidden


def _judge(path: Path, sheet: str, extent: _Extent, limits: Limits) -> None:
    _check_size(path, sheet, extent.height, extent.width, limits)
    _check_cells(path, sheet, extent.height, extent.width, limits)
    cells = extent.height * extent.width
    if cells > SPARSE_FROM and cells > SPARSE_RATIO * extent.filled:
        raise _reject(
            path,
            f"工作表“{sheet}”的 {extent.far} 处有内容，远离其他数据：区域 A1:{extent.far} "
            f"共 {cells:,} 个单元格，有内容的只有约 {extent.filled:,} 个",
            "多半是误输入的零星内容：按 Ctrl+End 找到它，删除该行列后另存再交",
            code="sheet-sparse",
        )


def _gt_number(n: int) -> bytes:
    """A regex for the decimal numbers greater than n (no leading zeros)."""
    digits = str(n)
    alts = [rb"[1-9]\d{%d,}" % len(digits)]
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            alts.append(f"{digits[:i]}[{int(d) + 1}-9]".encode() + (rb"\d{%d}" % rest))
    return b"(?:" + b"|".join(alts) + b")"


def _gt_letters(n: int) -> bytes:
    """A regex for the column letters after column n (A = 1)."""
    letters = _column_name(n) if n > 0 else ""
    alts = [rb"[A-Z]{%d,}" % (len(letters) + 1)]
    for i, ch in enumerate(letters):
        if ch != "Z":
            rest = len(letters) - i - 1
            alts.append(f"{letters[:i]}[{chr(ord(ch) + 1)}-Z]".encode() + (rb"[A-Z]{%d}" % rest))
    return b"(?:" + b"|".join(alts) + b")"


_TAG_NAME = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)\b")


def _tag_at(data: bytes, at: int) -> tuple[bytes, bool]:
    """The name of the tag around position `at` (b"c", b"row" or b"") and whether it is
    self-closing (`<c r="A1" s="1"/>`: a cell that holds nothing)."""
    start = data.rfind(b"<", 0, at)
    end = data.find(b">", at)
    found = _TAG_NAME.match(data, start) if start >= 0 else None
    return (found.group(1) if found else b""), end > 0 and data[end - 1 : end] == b"/"


# A cell or row tag without its own reference (r="B7"): its place depends on the tags
# before it. Excel, WPS and LibreOffice always write r, and first; a sheet with one
# such tag is measured tag by tag instead.
_UNNUMBERED = re.compile(rb'<(?:c|row|[A-Za-z_][\w.-]*:(?:c|row))(?=[\s/>])(?! r=")(?![^>]*\sr=")')


class _Unnumbered(Exception):
    pass


# The quick look (`_xlsx_fits`) accepts a sheet in one pass of a few scans in C and
# otherwise leaves it to the careful measure below. It needs every cell and row tag to
# carry its reference first, no namespace prefix on them, rows numbered upwards.
_PREFIXED = re.compile(rb":(?:c|row)(?=[\s/>])")
_CELL_UNNUMBERED = re.compile(rb'<c(?=[\s/>])(?! r=")')
_ROW_UNNUMBERED = re.compile(rb'<row(?=[\s/>])(?! r=")')
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
# references as shapes: every column letter an A, every digit a 0 (r="AB12" → r="AA00")
_SHAPES = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0" * 10 + b"A" * 26)


def _wider(data: bytes, width: int) -> Iterator[int]:
    """Each wider column, in order, that a cell holding something reaches in `data`
    past column `width`: only references past the widest seen are looked for (an empty
    styled cell, `<c r="Z9" s="1"/>`, widens nothing, as in calamine)."""
    column_past = re.compile(rb'r="(' + _gt_letters(width) + rb")\d")
    at = 0
    while found := column_past.search(data, at):
        at = found.end()
        name, empty = _tag_at(data, found.start())
        if name == b"c" and empty:
            continue
        width = _column_index(found.group(1))
        yield width
        column_past = re.compile(rb'r="(' + _gt_letters(width) + rb")\d")


def _xlsx_fits(archive: zipfile.ZipFile, part: str, limits: Limits) -> tuple[bool, Runs | None]:
    """True when the sheet is surely within every limit: the careful measure would find
    nothing past its row bound. The width is found as there (only references past the
    widest column seen are looked at); the rows are bounded by their digits: no cell
    reference has more digits than the last row tag seen so far, so none is past the
    next power of ten above the last row. False sends the sheet to `_xlsx_extent`.
    With True come the sheet's hidden rows, read in the same pass (None: not found
    here, as when a hidden row carries no number)."""
    width, filled, last_row = 0, 0, 0
    runs: list[tuple[int, int]] | None = []
    for data in _xml_chunks(archive, part):
        if _PREFIXED.search(data) or _CELL_UNNUMBERED.search(data) or _ROW_UNNUMBERED.search(data):
            return False, None
        if runs is not None and not _numbered_hidden_rows(data, runs):
            runs = None
        filled += data.count(b"</c>")
        for wider in _wider(data, width):
            if wider > limits.max_columns or wider > 26:
                return False, None
            width = wider
        last = data.rfind(b'<row r="')
        if last >= 0:
            number = _LAST_ROW.match(data, last)
            last_row = max(last_row, int(number.group(1))) if number else last_row
        digits = len(str(last_row)) if last_row else 0
        if b'r="A' + b"0" * (digits + 1) in data.translate(_SHAPES):
            return False, None
    rows = 10 ** len(str(last_row)) - 1 if last_row else 0
    by_cells = limits.max_cells // max(width, 1)
    by_sparse = max(SPARSE_FROM, SPARSE_RATIO * filled) // max(width, 1)
    fits = rows <= min(limits.max_rows, by_cells, by_sparse)
    return fits, (None if runs is None or not fits else tuple(runs))


def _xlsx_extent(path: Path, part: str, limits: Limits) -> _Extent:
    """The rectangle from A1 to the last cell that holds something, without looking at
    each cell in Python: counts are taken by bytes.count, and regexes look only for
    references past the widest column seen so far, or past the rows the limits allow
    for that width. Empty cells (`<c r="Z9" s="1"/>`, a border) and empty rows count
    nothing, as in calamine. A sheet is read once; a second time when it turned out
    emptier than the first pass assumed."""
    extent = _Extent()
    width = 0

    def scan(rows_limit: int, first_pass: bool) -> tuple[int, int] | None:
        """Widen `width` (first pass), and find a cell that holds something below
        `rows_limit`: its (row, column)."""
        nonlocal width
        row_past = re.compile(rb'r="([A-Z]{1,3})(' + _gt_number(rows_limit) + rb')"')
        for data in _xml_chunks(path, part):
            if first_pass:
                if _UNNUMBERED.search(data):
                    raise _Unnumbered
                extent.filled += data.count(b"</c>") + data.count(b":c>")
                for wider in _wider(data, width):
                    if wider > limits.max_columns:
                        return 1, wider
                    width = wider
            for found in row_past.finditer(data):
                name, empty = _tag_at(data, found.start())
                if not (name == b"c" and empty):
                    return int(found.group(2)), _column_index(found.group(1))
        return None

    try:
        far = scan(limits.max_rows, True)
        if far is None:
            by_cells = limits.max_cells // max(width, 1)
            by_sparse = max(SPARSE_FROM, SPARSE_RATIO * extent.filled) // max(width, 1)
            rows = min(limits.max_rows, by_cells, by_sparse)
            if rows < limits.max_rows:
                far = scan(rows, False)
    except _Unnumbered:
        return _xlsx_extent_tag_by_tag(path, part, limits)
    extent.width = width
    if far is not None:
        extent.height, extent.width = far[0], max(width, far[1])
        extent.far = f"{_column_name(extent.width)}{extent.height}"
    return extent


_XLSX_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])([^>]*?)(/?)>")
_CELL_REF = re.compile(rb'(?:^|\s)r="([A-Z]{1,3})(\d+)"')


def _xlsx_extent_tag_by_tag(path: Path, part: str, limits: Limits) -> _Extent:
    """As calamine places cells: a cell without a reference takes the column after the
    one before it, a row without one the row after the one before it."""
    extent = _Extent()
    row = column = 0  # 0-based, as calamine counts
    for data in _xml_chunks(path, part):
        for tag in _XLSX_TAG.finditer(data):
            closing, name, attrs, empty = tag.groups()
            if name == b"row":
                if not closing:
                    number = _ROW_NUMBER.search(attrs)
                    row = int(number.group(1)) - 1 if number else row
                if closing or empty:
                    row, column = row + 1, 0
                continue
            if closing:
                continue
            ref = _CELL_REF.search(attrs)
            at = (int(ref.group(2)) - 1, _column_index(ref.group(1)) - 1) if ref else (row, column)
            column = at[1] + 1
            if empty:
                continue
            extent.filled += 1
            extent.height = max(extent.height, at[0] + 1)
            extent.width = max(extent.width, at[1] + 1)
            if (
                extent.height > limits.max_rows
                or extent.width > limits.max_columns
                or extent.height * extent.width > limits.max_cells
            ):
                break
        else:
            continue
        break
    extent.far = f"{_column_name(extent.width)}{extent.height}"
    return extent


_ODS_EXTENT_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_ROWS = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_COLUMNS = re.compile(rb'table:number-columns-repeated="(\d+)"')


def _ods_extents(path: Path, limits: Limits) -> dict[str, _Extent]:
    """Each table's rectangle as calamine builds it: a row or cell repeated n times
    counts n when it holds something; empty ones count only before one that does (the
    trailing empty repeats LibreOffice writes to the sheet's end count nothing). A table
    over the limits is measured no further."""
    extents: dict[str, _Extent] = {}
    extent, name, over = _Extent(), "", False
    row = column = last = filled = repeat = 0
    for data in _xml_chunks(path, "content.xml"):
        for tag in _ODS_EXTENT_TAG.finditer(data):
            closing, kind, attrs, empty = tag.groups()
            if kind == b"table":
                if closing:
                    extents[name] = extent
                else:
                    found = _ODS_NAME.search(attrs)
                    name = html.unescape(found.group(1).decode()) if found else ""
                    extent, row, over = _Extent(), 0, False
                continue
            if over:
                continue
            if kind == b"table-row" and not closing:
                counted = _ODS_ROWS.search(attrs)
                repeat = int(counted.group(1)) if counted else 1
                column = last = filled = 0
            elif not closing:  # a cell
                counted = _ODS_COLUMNS.search(attrs)
                span = int(counted.group(1)) if counted else 1
                if not empty or b"value-type=" in attrs:
                    last, filled = column + span, filled + span
                column += span
            if kind == b"table-row" and (closing or empty):
                if last:
                    extent.height = row + repeat
                    extent.width = max(extent.width, last)
                    extent.filled += filled * repeat
                    extent.far = f"{_column_name(extent.width)}{extent.height}"
                    over = (
                        extent.height > limits.max_rows
                        or extent.width > limits.max_columns
                        or extent.height * extent.width > limits.max_cells
                    )
                row += repeat
    return extents


# --- CSV -------------------------------------------------------------------------------


def decode_text(path: Path, raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 (GBK), else what
    charset-normalizer is sure of; otherwise the file is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return raw.decode(encoding), "gbk" if encoding == "gb18030" else encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw[: 4 * MB]).best()
    if best is not None and best.encoding and best.chaos < 0.1:
        try:
            return raw.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise _reject(
        path,
        "无法识别文件编码",
        "请用 Excel/WPS 打开后另存为 .xlsx，或另存为“CSV UTF-8”格式",
        code="file-encoding",
    )


def _read_csv(path: Path, limits: Limits) -> Book:
    raw = path.read_bytes()
    text, encoding = decode_text(path, raw)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    # A longer cell is reported by the reader with its cell; past 4x that, csv refuses.
    csv.field_size_limit(max(limits.max_cell_chars * 4, 131072))
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            if len(rows) >= limits.max_rows:
                raise _reject(
                    path,
                    f"超过 {limits.max_rows} 行，拒收",
                    "请拆分文件，或调整设置 limits.max_rows",
                    code="sheet-too-large",
                )
            if len(row) > limits.max_columns:
                raise _reject(
                    path,
                    f"第 {len(rows) + 1} 行有 {len(row)} 列，超过上限 {limits.max_columns} 列",
                    "检查分隔符是否正确，或调整设置 limits.max_columns",
                    code="sheet-too-large",
                )
            rows.append(row)
    except csv.Error:
        raise _reject(
            path,
            f"第 {reader.line_num} 行无法读取："
            f"单元格内容超过 {limits.max_cell_chars} 个字符或引号不配对",
            "用 Excel/WPS 打开检查该行，删去多余内容后另存",
            code="csv-line-unreadable",
        ) from None
    return Book(path, "csv", [RawSheet.of(path.stem, True, rows)], encoding)
