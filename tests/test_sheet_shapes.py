"""Sheets as offices really send them: every column accounted for (read, or reported as
unused with the field it may have meant), the aliases offices write, a workspace's own
header aliases, footers of any shape, hidden rows and hidden sheets. Findings are
checked by code, cell and value, not by their Chinese wording."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm

from shuanggang.domain.idnumber import make
from shuanggang.settings import Aliases, defaults
from shuanggang.sheets.fields import KINDS, header_key, match_field, nearest_field
from shuanggang.sheets.layout import is_footer
from shuanggang.sheets.reader import SheetRead, read_sheet

SETTINGS = defaults()
ID_D = make("370602", date(2002, 3, 9), 468)  # 女


def read(path: Path, settings=SETTINGS, **kw: Any) -> SheetRead:  # type: ignore[no-untyped-def]
    return read_sheet(path, settings, **kw)


def found(result: SheetRead, code: str) -> list[tuple[str, str]]:
    """(cell, value) of each finding with `code`."""
    return [(f.cell, f.value) for f in result.findings if f.code == code]


# --- columns accounted for ---------------------------------------------------------------


def test_every_header_is_read_or_reported_with_the_field_it_may_mean(tmp_path: Path) -> None:
    header = [*sm.HEADER, "个人专长", "微信号", "联系电话"]
    rows = [[*r, "书法", "wx123", "13805350000"] for r in sm.MEMBERS]
    result = read(sm.write_xlsx(tmp_path / "多列.xlsx", sm.office_rows(header, rows)))
    assert result.ok and len(result.records) == 3
    # 序号 numbers the rows: neither read nor reported
    assert [c["field"] for c in result.columns] == [
        "name",
        "gender",
        "id_number",
        "birth",
        "phone",
        "specialty",
        "availability",
        "consent",
    ]
    assert result.columns[2] == {
        "cell": "D4",
        "header": "身份证号码",
        "field": "id_number",
        "field_label": "身份证号",
    }
    assert result.ignored_columns == [
        {"cell": "J4", "header": "个人专长", "nearest": "specialty", "nearest_label": "专业特长"},
        {"cell": "K4", "header": "微信号", "nearest": "", "nearest_label": ""},
        # a second column for the phone: 手机号码 is read, this one is not
        {"cell": "L4", "header": "联系电话", "nearest": "phone", "nearest_label": "手机号码"},
    ]
    warnings = [f for f in result.findings if f.code == "column-ignored"]
    assert [(f.severity, f.cell, f.value) for f in warnings] == [
        ("warning", "J4", "个人专长"),
        ("warning", "K4", "微信号"),
        ("warning", "L4", "联系电话"),
    ]
    assert "专业特长" in warnings[0].hint and "F 列" in warnings[2].hint


def test_two_row_header_cells_are_where_the_text_is(tmp_path: Path) -> None:
    result = read(sm.write_two_row_header_xlsx(tmp_path / "两行.xlsx"))
    cells = {c["field"]: c["cell"] for c in result.columns}
    assert cells["name"] == "B3"  # merged down from the upper row
    assert cells["id_number"] == "D4" and cells["availability"] == "H4"
    assert result.ignored_columns == []  # 基本信息, 联系方式 group columns; 序号 numbers rows


def test_a_missing_required_column_still_lists_the_unused_ones(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["姓名", "身分证号", "手机号码"], ["张伟", sm.ID_A, "13805351234"]]
    result = read(sm.write_xlsx(tmp_path / "错字.xlsx", rows), kind="members")
    assert {f.code for f in result.findings} == {"column-missing", "column-ignored"}
    assert result.ignored_columns[0]["nearest"] == "id_number"


# --- aliases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("个人特长", "specialty"),
        ("特长爱好", "specialty"),
        ("特长", "specialty"),
        ("空闲时间", "availability"),
        ("服务时段", "availability"),
        ("时间安排", "availability"),
        ("可服务时段", "availability"),
        ("现居住地址", "residence"),
        ("居住地", "residence"),
        ("现住址", "residence"),
        ("居住小区", "residence"),
        ("居民身份证号码", "id_number"),
        ("联系手机", "phone"),
    ],
)
def test_what_offices_write(tmp_path: Path, header: str, field: str) -> None:
    assert match_field("members", header) is not None
    given = {"name": ("姓名", "张伟"), "id_number": ("身份证号", sm.ID_A)}
    given |= {"phone": ("手机号码", "13805351234"), field: (header, "周末")}
    if field == "id_number":
        given[field] = (header, sm.ID_A)
    elif field == "phone":
        given[field] = (header, "13805351234")
    rows = [[h for h, _ in given.values()], [v for _, v in given.values()]]
    result = read(sm.write_xlsx(tmp_path / "a.xlsx", rows))
    assert result.kind == "members" and result.ignored_columns == [] and result.ok
    assert result.records[0].values[field] == given[field][1]


def test_no_header_names_two_fields_of_one_kind() -> None:
    for kind in KINDS.values():
        owner: dict[str, str] = {}
        for f in kind.fields:
            for alias in (f.label, *f.aliases):
                key = header_key(alias)
                assert owner.setdefault(key, f.name) == f.name, (kind.name, alias)
                match = match_field(kind.name, alias)
                assert match is not None and match[0].name == f.name, (kind.name, alias)


def test_nearest_field_only_when_close() -> None:
    assert nearest_field("members", "个人专长") == KINDS["members"].field("specialty")
    assert nearest_field("members", "联系人电话（必填）") == KINDS["members"].field("phone")
    for unrelated in ("微信号", "籍贯", "家庭成员", "邮箱"):
        assert nearest_field("members", unrelated) is None, unrelated


def test_workspace_aliases_extend_the_kinds_with_that_field(tmp_path: Path) -> None:
    header = [*sm.HEADER[:6], "个人专长"]
    rows = [r[:7] for r in sm.MEMBERS]
    path = sm.write_xlsx(tmp_path / "专长.xlsx", sm.office_rows(header, rows))
    assert [c["header"] for c in read(path).ignored_columns] == ["个人专长"]
    own = replace(SETTINGS, aliases=Aliases(headers=(("个人专长", "specialty"),)))
    result = read(path, own)
    assert result.ignored_columns == [] and result.ok
    assert result.records[0].values["specialty"] == "临床医学"
    assert match_field("projects", "个人专长", own.aliases.headers) is None  # no such field
    assert [c["header"] for c in read(path).ignored_columns] == ["个人专长"]  # cache keyed


# --- footers -----------------------------------------------------------------------------


def test_a_ledger_ending_in_a_signature_line(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["海岸路社区为民服务实事台账"],
        ["填报单位：东山街道海岸路社区团支部"],
        ["编号", "项目名称", "服务类别", "联系人", "联系电话"],
        ["2026-01", "健康义诊进社区", "义诊服务", "陈月可", "0535-6218227"],
        ["2026-02", "法律咨询服务站", "法律服务", "陈月可", "17792306451"],
        ["社区团支部书记：陈月可", None, None, None, "填报日期：2026年3月5日"],
        [None, "审核人:", None, "（盖章）"],
        [],
    ]
    result = read(sm.write_xlsx(tmp_path / "ledger.xlsx", rows))
    assert result.kind == "projects" and result.findings == []
    assert [r.row for r in result.records] == [4, 5]


@pytest.mark.parametrize("writer", [sm.write_xlsx, sm.write_csv, sm.write_ods])
def test_a_member_sheet_with_a_footer_across_the_row(tmp_path: Path, writer) -> None:  # type: ignore[no-untyped-def]
    rows = [
        sm.HEADER,
        *sm.MEMBERS,
        ["负责人：赵六", None, "填表人:钱七", None, None, "单位（盖章）：", None, "盖章："],
        [None, "联系电话：0535-6612345", None, None, None, None, "2026年3月5日"],
    ]
    suffix = {"write_xlsx": "xlsx", "write_csv": "csv", "write_ods": "ods"}[writer.__name__]
    result = read(writer(tmp_path / f"f.{suffix}", rows))
    assert result.ok and result.findings == []
    assert [r.row for r in result.records] == [2, 3, 4]


def test_footer_lines_and_data_rows_told_apart() -> None:
    assert is_footer(["社区团支部书记：陈月可", None, "", None, "填报日期：2026年3月5日"])
    assert is_footer([None, "制表人：李四", "审核日期：  年  月  日"])
    assert is_footer(["单位（盖章）：", "年  月  日"])
    assert is_footer(["社区团支部书记:陈月可 联系电话:17792306451"])
    assert not is_footer(["张伟", "男", sm.ID_A])
    assert not is_footer([1, "负责人：赵六"])  # a 序号 first: data
    assert not is_footer(["服务内容：量血压", "2026-05-17", 2])
    assert not is_footer(["籍贯：山东", "张伟"])
    assert not is_footer([None, "", None])


# --- hidden rows and sheets --------------------------------------------------------------

FOUR = [*sm.MEMBERS, [4, "赵敏", "女", ID_D, "2002.03", "13805358888", "", "", "是"]]


@pytest.mark.parametrize("writer", [sm.write_xlsx, sm.write_ods])
def test_hidden_rows_are_left_out_and_reported(tmp_path: Path, writer) -> None:  # type: ignore[no-untyped-def]
    rows = [*sm.office_rows(rows=FOUR)]  # header on row 4, members on rows 5-8
    suffix = "xlsx" if writer is sm.write_xlsx else "ods"
    # rows 6 and 7 hidden together; the blank row 9 hidden too, which holds nothing
    path = writer(tmp_path / f"隐藏行.{suffix}", rows, hidden_rows=[6, 7, 9])
    result = read(path)
    assert [r.row for r in result.records] == [5, 8] and result.ok
    assert found(result, "row-hidden") == [("A6:I7", "")]
    everything = read(path, include_hidden=True)
    assert [r.row for r in everything.records] == [5, 6, 7, 8]
    assert found(everything, "row-hidden") == []


def test_hidden_rows_apart_are_reported_apart_across_chunks(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from shuanggang.sheets import reader

    monkeypatch.setattr(reader, "CHUNK_ROWS", 2)
    path = sm.write_xlsx(tmp_path / "h.xlsx", sm.office_rows(rows=FOUR), hidden_rows=[5, 6, 8])
    result = read(path)
    assert [r.row for r in result.records] == [7]
    assert found(result, "row-hidden") == [("A5:I6", ""), ("A8:I8", "")]


def test_hidden_rows_of_a_sheet_that_does_not_number_its_rows(tmp_path: Path) -> None:
    """Some writers leave out <row r="…">: the rows are counted instead."""
    made = sm.write_xlsx(tmp_path / "made.xlsx", sm.office_rows(rows=FOUR), hidden_rows=[7])
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(bare, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'(<row\b[^>]*?) r="\d+"', rb"\1", data)
                assert b'hidden="1"' in data and b'<row r="' not in data
            dst.writestr(info, data)
    result = read(bare)
    assert [r.row for r in result.records] == [5, 6, 8]
    assert found(result, "row-hidden") == [("A7:I7", "")]


def test_a_hidden_sheet_with_a_table_is_reported(tmp_path: Path) -> None:
    path = sm.write_xlsx(tmp_path / "两表.xlsx", sm.office_rows(), hidden=True)
    result = read(path)
    assert result.sheet == "团员名单" and len(result.records) == 3
    (hidden,) = [f for f in result.findings if f.code == "sheet-hidden"]
    assert (hidden.severity, hidden.sheet, hidden.cell) == ("warning", "隐藏数据", "")
    assert read(path, sheet="团员名单").findings == []  # a sheet asked for by name: no search


def test_only_a_hidden_data_sheet(tmp_path: Path) -> None:
    path = sm.write_xlsx(tmp_path / "藏.xlsx", sm.office_rows(), hide_data_sheet=True)
    result = read(path)
    assert {(f.severity, f.code) for f in result.findings} == {
        ("error", "header-missing"),
        ("warning", "sheet-hidden"),
    }
    everything = read(path, include_hidden=True)
    assert everything.ok and everything.sheet == "团员名单" and len(everything.records) == 3


def test_docs_list_every_header_the_reader_knows() -> None:
    """docs/fields.md's tables give each field's headers (canonical and other names) as
    shuanggang/sheets/fields.py has them, kind by kind."""
    text = (Path(__file__).parent.parent / "docs" / "fields.md").read_text(encoding="utf-8")
    documented: dict[tuple[str, str], set[str]] = {}
    kind = ""
    for line in text.splitlines():
        heading = re.match(r"^## .*`(\w+)`\s*$", line)
        if heading:
            kind = heading.group(1)
        row = re.match(r"^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|", line)
        if kind in KINDS and row:
            others = {a for a in row.group(3).strip().split("、") if a != "—"}
            documented[(kind, row.group(1))] = {row.group(2).strip(), *others}
    for kind_name, sheet_kind in KINDS.items():
        for f in sheet_kind.fields:
            known = {f.label, *f.aliases}
            assert documented[(kind_name, f.name)] == known, (kind_name, f.name)


def test_rows_below_a_footer_are_reported_not_dropped_in_silence(tmp_path: Path) -> None:
    from shuanggang.settings import defaults
    from shuanggang.sheets.reader import read_sheet

    rows = sm.office_rows(rows=sm.MEMBERS[:2])
    footer_at = next(i for i, row in enumerate(rows) if row and str(row[0]).startswith("负责人"))
    rows.insert(footer_at + 1, list(sm.MEMBERS[2]))  # a member below the signature line
    result = read_sheet(sm.write_xlsx(tmp_path / "尾.xlsx", rows), defaults())
    assert result.rows_read == 2
    (below,) = [f for f in result.findings if f.code == "row-after-footer"]
    assert below.cell.startswith(f"A{footer_at + 2}:")
