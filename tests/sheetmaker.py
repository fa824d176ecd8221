"""Writing real-shaped office files for tests: the same rows as .xlsx (with title,
preamble, two-row header, footer, instruction and hidden sheets), .xls, .ods and CSV in
GBK or UTF-8."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from shuanggang.domain.idnumber import make

Row = Sequence[Any]

ID_A = make("370602", date(2000, 5, 17), 123)  # 男
ID_B = make("370602", date(2001, 8, 2), 246)  # 女
ID_C = make("370613", date(1999, 12, 30), 357)  # 男
ID_OLD = make("370602", date(1990, 1, 1), 111)  # 超龄

HEADER: list[Any] = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "出生年月",
    "手机号码",
    "专业特长",
    "可服务时间",
    "同意合编",
]
MEMBERS: list[list[Any]] = [
    [1, "张伟", "男", ID_A, "2000.05", "13805351234", "临床医学", "周末", "是"],
    [2, "李娜", "女", ID_B, "2001年8月", "138-0535-4321", "会计", "工作日晚上", "是"],
    [3, "王强", "男", ID_C, "199912", "+86 139 0535 6789", "家电维修", "周六上午", "否"],
]
TITLE = "烟台山医院团委团员信息汇总表"
PREAMBLE = ["填表单位（盖章）：烟台山医院团委      填表日期：2026年3月5日", "报到社区：海岸路社区"]
FOOTER = ["负责人：赵六      填表人：钱七      联系电话：0535-6612345", "说明：本表一式两份。"]


def office_rows(header: Row = HEADER, rows: Sequence[Row] = MEMBERS) -> list[list[Any]]:
    """Title, preamble, header, data, a blank row, footer — as offices lay them out."""
    return [
        [TITLE],
        *([p] for p in PREAMBLE),
        list(header),
        *map(list, rows),
        [],
        *([f] for f in FOOTER),
    ]


def write_xlsx(
    path: Path,
    rows: Sequence[Row],
    *,
    sheet: str = "团员名单",
    instructions: bool = False,
    hidden: bool = False,
    text_ids: bool = True,
    hidden_rows: Sequence[int] = (),
    hide_data_sheet: bool = False,
) -> Path:
    """`hidden_rows`: 1-based rows of the data sheet hidden as Excel hides them;
    `hide_data_sheet`: the data sheet itself hidden (another sheet left visible)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if instructions:
        ws.title = "填表说明"
        ws["A1"] = "请按以下要求填写：姓名、身份证号、手机号码为必填项。"
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is None or value == "":
                continue
            cell = ws.cell(r, c, value)
            if isinstance(value, str) and cell.data_type == "f":
                cell.data_type = "s"  # typed text such as =1+2 in a text cell, not a formula
            if text_ids and isinstance(value, str) and len(value) == 18 and value[:17].isdigit():
                cell.number_format = "@"
    if rows and len(rows[0]) == 1 and len(rows) > 3:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    if hide_data_sheet:
        if not instructions:
            wb.create_sheet("封面", 0)["A1"] = "2026 年报送材料"
        ws.sheet_state = "hidden"
        wb.active = 0
    if hidden:
        secret = wb.create_sheet("隐藏数据")
        secret.append(["姓名", "身份证号", "手机号码"])
        secret.append(["隐藏人", ID_OLD, "13800000000"])
        secret.sheet_state = "hidden"
    wb.save(path)
    return path


def write_two_row_header_xlsx(path: Path) -> Path:
    """序号/姓名 merged down two rows; 基本信息, 联系方式, 服务意向 merged across."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([TITLE])
    ws.append([PREAMBLE[0]])
    ws.append(["序号", "姓名", "基本信息", None, None, "联系方式", "服务意向", None])
    ws.append([None, None, "性别", "公民身份号码", "出生日期", "联系电话", "特长", "活动时间"])
    for row in MEMBERS:
        ws.append([row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]])
    ws.append([FOOTER[0]])
    for merged in ("A1:H1", "A3:A4", "B3:B4", "C3:E3", "G3:H3"):
        ws.merge_cells(merged)
    for r in range(5, 8):
        ws.cell(r, 4).number_format = "@"
    wb.save(path)
    return path


def write_xls(path: Path, rows: Sequence[Row]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value != "":
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: Sequence[Row], encoding: str = "gbk") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_ods(path: Path, rows: Sequence[Row], hidden_rows: Sequence[int] = ()) -> Path:
    """A minimal but valid OpenDocument spreadsheet, as LibreOffice/WPS save it;
    `hidden_rows` (1-based) collapsed as LibreOffice hides rows."""

    def cell(value: Any) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    def row_tag(r: int) -> str:
        return (
            '<table:table-row table:visibility="collapse">'
            if r in hidden_rows
            else "<table:table-row>"
        )

    body = "".join(
        f"{row_tag(r)}{''.join(cell(v) for v in row)}</table:table-row>"
        for r, row in enumerate(rows, 1)
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
