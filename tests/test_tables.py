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
