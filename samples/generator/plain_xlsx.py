"""A minimal one-sheet xlsx writer for the scale mode: shared strings as Excel writes
them, text-formatted columns, dates as date serials, fixed zip entry times. Some twenty
times faster than openpyxl's write-only mode, and byte-stable."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from openpyxl.utils import get_column_letter

from .common import Cell

ZIP_DATE_TIME = (2026, 1, 1, 0, 0, 0)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XF = 'fontId="0" fillId="0" borderId="0" xfId="0"'
PLAIN_XLSX_PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">'
        '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (  # style 1: text (@), style 2: yyyy-mm-dd
        f'{_XML}<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="3"/>'
        '<charset val="134"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="3"><xf numFmtId="0" {_XF}/>'
        f'<xf numFmtId="49" {_XF} applyNumberFormat="1"/>'
        f'<xf numFmtId="164" {_XF} applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
EXCEL_EPOCH = date(1899, 12, 30)
PRESERVE = ' xml:space="preserve"'


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_plain_xlsx(
    path: Path, sheet: str, rows: Iterable[Sequence[Cell]], text_cols: Iterable[int] = ()
) -> Path:
    """The scale mode's fast path: a minimal one-sheet xlsx written directly (shared
    strings as Excel writes them, `@` on `text_cols`, dates as date serials), some
    twenty times faster than openpyxl's write-only mode."""
    strings: dict[str, int] = {}
    text = set(text_cols)
    letters = [get_column_letter(c) for c in range(1, 65)]
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for r, values in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{letters[c]}{r}"
            style = ' s="1"' if c in text else ""
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}"{style} t="s"><v>{index}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="2"><v>{(value - EXCEL_EPOCH).days}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    shared = "".join(
        f"<si><t{PRESERVE if s != s.strip() else ''}>{xml_text(s)}</t></si>" for s in strings
    )
    parts = {
        name: body.replace("{sheet}", xml_text(sheet)) for name, body in PLAIN_XLSX_PARTS.items()
    }
    parts["xl/worksheets/sheet1.xml"] = "".join(out)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 3
            archive.writestr(entry, body.encode("utf-8"))
    return path


def write_fast_xlsx(
    path: Path,
    sheet: str,
    preamble: Sequence[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    text_col: int | None = None,
) -> Path:
    """Plain layout: preamble lines, header, data."""
    lines: list[Sequence[Cell]] = [[line] for line in preamble]
    return write_plain_xlsx(
        path, sheet, [*lines, header, *rows], () if text_col is None else (text_col,)
    )
