"""The styled table writer every export uses: what a user's text becomes in the
workbook, and that a big table streams instead of being held cell by cell."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from openpyxl import load_workbook

from shuanggang.render.tables import Column, Table, write_tables

COLUMNS = [
    Column("姓名"),
    Column("身份证号", 20, text=True),
    Column("备注", 30),
    Column("时长", number_format="0.0"),
]


def test_user_text_stays_text_and_the_sheet_keeps_its_styling(tmp_path: Path) -> None:
    rows = [
        ("张伟", 370602200005171234, '=HYPERLINK("http://x")', 1.5),
        ("李娜\x07", "370602200108022460", "", None),
    ]
    path = write_tables(tmp_path / "t.xlsx", [Table("名册", COLUMNS, rows)])
    ws = load_workbook(path)["名册"]
    assert [c.value for c in ws[1]] == ["姓名", "身份证号", "备注", "时长"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D3"
    assert ws.column_dimensions["C"].width == 30
    assert (ws["B2"].value, ws["B2"].number_format) == ("370602200005171234", "@")
    assert (ws["C2"].value, ws["C2"].data_type) == ('=HYPERLINK("http://x")', "s")
    assert ws["A3"].value == "李娜" and ws["C3"].value is None
    assert (ws["D2"].value, ws["D2"].number_format) == (1.5, "0.0")


def test_a_big_table_streams(tmp_path: Path) -> None:
    """A member sheet of a million rows must not hold a cell object per value: the
    writer's own memory stays far below the rows' cells."""
    rows = [
        (f"人{i}", f"{370602200001010000 + i}", f"单位{i // 150}", i % 13 / 2) for i in range(8_000)
    ]
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        write_tables(tmp_path / "big.xlsx", [Table("名册", COLUMNS, rows)])
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 11 * 2**20, f"{peak / 2**20:.1f} MiB for 32,000 cells"
    book = load_workbook(tmp_path / "big.xlsx", read_only=True)
    try:
        assert sum(1 for _ in book["名册"].iter_rows()) == 8_001
    finally:
        book.close()


def _openpyxl_appends(target: Path, tables: list[Table]) -> bytes:
    """The same workbook written row by row with openpyxl's own `ws.append`: what the
    writer's fast rows must equal byte for byte."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from shuanggang.render import tables as module
    from shuanggang.render.xlsx import save

    wb = Workbook(write_only=True)
    for table in tables:
        ws = wb.create_sheet(table.title)
        for c, column in enumerate(table.columns, 1):
            ws.column_dimensions[get_column_letter(c)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=column.label)
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        ws.append(header)
        formats = [("@" if col.text else col.number_format) for col in table.columns]
        count = 0
        for row in table.rows:
            count += 1
            ws.append([module._cell(ws, WriteOnlyCell, v, formats[c]) for c, v in enumerate(row)])
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{count + 1}"
    return save(wb, target).read_bytes()


def test_the_fast_rows_are_the_bytes_openpyxl_writes(tmp_path: Path) -> None:
    """Every kind of value a table holds, the awkward ones too: text with spaces around,
    markup, formula- and error-looking text, control and astral characters, numbers of
    every shape, empty cells and an empty row, a short row, and a long text."""
    rows = [
        ("张伟", 370602200005171234, "普通文字", 1.5),
        (" 前后空格 ", "370602200108022460", "<b>&amp;</b> \"引号\" 'x'", 0),
        ("=SUM(A1:A2)", "=1+1", "#N/A", -0.0),
        ("#REF!", "#DIV/0!", "换行\n制表\t回车\r", 12345678901234567890),
        ("\x07响铃", "𠀀𡃁 astral", "   ", float("inf")),
        (None, None, None, None),
        ("", "", "", ""),
        ("短行", "1"),
        ("长" * 40000, True, 2.5e-12, 1e300),
        ("=", "=", "", 7),
    ]
    other = [(i, f"第{i}行", i / 3) for i in range(50)]
    tables = [
        Table("名册", COLUMNS, rows),
        Table(
            "其他",
            [Column("序号"), Column("内容", text=True), Column("比例", number_format="0.00%")],
            other,
        ),
    ]
    ours = write_tables(tmp_path / "ours.xlsx", tables).read_bytes()
    assert ours == _openpyxl_appends(tmp_path / "theirs.xlsx", tables)
