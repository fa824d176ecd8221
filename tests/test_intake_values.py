"""Values as offices send them, read from real-shaped files (title, preamble, footer):
which problems refuse a file and which are warnings that leave a field empty, old
15-digit IDs, dates with their precision, text kept as written, messages without the
field's name. Checked by code, cell and value, not by wording."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from hypothesis import given
from hypothesis import strategies as st

from shuanggang.domain import idnumber
from shuanggang.domain.privacy import mask_id
from shuanggang.domain.values import LooseDate, ValueProblem, half_year, parse_date, parse_name
from shuanggang.settings import defaults
from shuanggang.sheets.reader import SheetRead, read_sheet

SETTINGS = defaults()
YEAR = SETTINGS.year

# The sheetmaker header with 入团年月 and 备注 after it.
HEADER = [*sm.HEADER, "入团年月", "备注"]


def member(*, name: str = "张伟", **cells: Any) -> list[Any]:
    """One member row of HEADER: the first sheetmaker member, with some cells replaced."""
    row = [*sm.MEMBERS[0], "2015.05", ""]
    row[1] = name
    for column, value in cells.items():
        row[HEADER.index(column)] = value
    return row


def other(**cells: Any) -> list[Any]:
    """A second member, clean: 李娜 of sheetmaker."""
    base = {"性别": "女", "身份证号码": sm.ID_B, "出生年月": "2001.08", "手机号码": "13805354321"}
    return member(name="李娜", **{**base, **cells})


def read(tmp_path: Path, header: list[Any], rows: list[list[Any]], **kw: Any) -> SheetRead:
    path = sm.write_xlsx(tmp_path / "表.xlsx", sm.office_rows(header, rows))
    return read_sheet(path, SETTINGS, **kw)


def found(result: SheetRead) -> set[tuple[str, str, str]]:
    return {(str(f.severity), f.cell, f.code) for f in result.findings}


# Title, two preamble rows, header: the first data row is row 5.
FIRST = 5


# --- required versus optional ------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "cell", "code"),
    [
        ("入团年月", "J", "date-no-month"),  # 2017年: a year alone
        ("入团年月", "J", "date-invalid"),
        ("性别", "C", "gender-invalid"),
        ("出生年月", "E", "date-nonexistent"),
        ("同意合编", "I", "yesno-invalid"),
    ],
)
def test_a_bad_optional_member_value_is_a_warning_and_left_empty(
    tmp_path: Path, column: str, cell: str, code: str
) -> None:
    bad = {
        "date-no-month": "2017年",
        "date-invalid": "团校毕业后",
        "gender-invalid": "未知",
        "date-nonexistent": "2000.13",
        "yesno-invalid": "看情况",
    }[code]
    field = {"入团年月": "joined", "性别": "gender", "出生年月": "birth", "同意合编": "consent"}
    result = read(tmp_path, HEADER, [member(**{column: bad}), other()])
    assert ("warning", f"{cell}{FIRST}", code) in found(result)
    assert result.ok and len(result.records) == 2  # the record is kept
    assert result.records[0].values.get(field[column]) is None
    assert result.records[0].values["id_number"] == sm.ID_A


def test_problems_in_required_fields_still_refuse(tmp_path: Path) -> None:
    rows = [member(手机号码="12345"), member(name="", 身份证号码=sm.ID_B, 手机号码="13805354321")]
    result = read(tmp_path, HEADER, rows)
    assert ("error", f"F{FIRST}", "phone-invalid") in found(result)
    assert ("error", f"B{FIRST + 1}", "required-missing") in found(result)
    assert not result.ok


def test_optional_fields_contradicting_the_id_are_warnings_the_id_wins(tmp_path: Path) -> None:
    row = member(性别="女", 出生年月="1999.01", 入团年月=f"{YEAR + 1}.03")
    result = read(tmp_path, HEADER, [row])
    assert {
        ("warning", f"C{FIRST}", "gender-mismatch"),
        ("warning", f"E{FIRST}", "birth-mismatch"),
        ("warning", f"J{FIRST}", "joined-after-year"),
    } <= found(result)
    assert result.ok
    values = result.records[0].values
    assert "gender" not in values and "birth" not in values and "joined" not in values


def test_project_ledger_optional_values(tmp_path: Path) -> None:
    header = ["序号", "项目名称", "服务内容", "需求人数", "联系人", "联系电话"]
    rows = [
        [1, "爱心义诊", "测血压", "若干", "陈月", "6612"],
        [2, "", "辅导作业", "3", "", ""],
    ]
    result = read(tmp_path, header, rows, kind="projects")
    assert {
        ("warning", f"D{FIRST}", "count-invalid"),
        ("warning", f"F{FIRST}", "tel-invalid"),
        ("error", f"B{FIRST + 1}", "required-missing"),
    } <= found(result)
    values = result.records[0].values
    assert "needed" not in values and "contact_phone" not in values
    assert values["title"] == "爱心义诊"


def test_service_log_required_and_optional(tmp_path: Path) -> None:
    header = ["序号", "日期", "姓名", "身份证号", "时长", "受益人数", "满意度"]
    rows = [
        [1, f"{YEAR}-05-17", "张伟", sm.ID_A, "2小时", "若干", "很好"],
        [2, f"{YEAR}年5月", "李娜", sm.ID_B, "两个钟", 10, "满意"],
        [3, f"{YEAR}-05-18", "王强", "37060219991230357", 1, 5, 5],
    ]
    result = read(tmp_path, header, rows, kind="services")
    assert {
        ("warning", f"F{FIRST}", "count-invalid"),
        ("warning", f"G{FIRST}", "rating-invalid"),
        ("error", f"B{FIRST + 1}", "date-no-day"),
        ("error", f"E{FIRST + 1}", "hours-invalid"),
        ("error", f"D{FIRST + 2}", "id-length"),  # an ID says who: never optional
    } <= found(result)
    first = result.records[0].values
    assert "beneficiaries" not in first and "rating" not in first and first["hours"] == 120


def test_consultation_dates_by_month(tmp_path: Path) -> None:
    header = ["序号", "协商日期", "接收社区", "报到单位", "协商内容"]
    rows = [
        [1, f"{YEAR}.05", "海岸路社区", "烟台山医院团委", "共商义诊"],
        [2, f"{YEAR}年", "海岸路社区", "烟台山医院团委", "共商"],
        [3, f"{YEAR}年9月3号", "海岸路社区", "烟台山医院团委", "共商"],
    ]
    result = read(tmp_path, header, rows, kind="consultations")
    assert ("error", f"B{FIRST + 1}", "date-no-month") in found(result)
    by_month = result.records[0].values["date"]
    assert by_month.precision == "month" and half_year(by_month) == 0
    assert result.records[-1].values["date"] == LooseDate(YEAR, 9, 3)


def test_date_fields_are_never_stored_as_text(tmp_path: Path) -> None:
    rows = [
        member(出生年月=shape, 入团年月=shape)
        for shape in ("2000.05", "2000年5月", "2000", "两千年", "2000-02-30", 200005, 36662)
    ]
    for row, id_number in zip(
        rows, (idnumber.make("370602", date(2000, 5, d), 123) for d in range(1, 8)), strict=True
    ):
        row[HEADER.index("身份证号码")] = id_number
    result = read(tmp_path, HEADER, rows)
    for record in result.records:
        for name in ("birth", "joined"):
            assert name not in record.values or type(record.values[name]) is LooseDate


# --- old IDs ---------------------------------------------------------------------------


def test_a_15_digit_id_is_refused_with_its_18_digit_number(tmp_path: Path) -> None:
    new = idnumber.make("370602", date(1975, 3, 4), 123)
    old = new[:6] + new[8:17]
    rows = [
        member(身份证号码=old),
        member(name="李娜", 身份证号码=int(old), 手机号码="13805354321"),
    ]
    path = sm.write_xlsx(tmp_path / "旧号.xlsx", sm.office_rows(HEADER, rows), text_ids=False)
    result = read_sheet(path, SETTINGS)
    olds = [f for f in result.findings if f.code == "id-15-digit"]
    assert [(f.severity, f.cell) for f in olds] == [
        ("error", f"D{FIRST}"),
        ("error", f"D{FIRST + 1}"),
    ]
    for f in olds:
        assert f.fix == new  # for the annotated copy only
        assert mask_id(new) in f.hint
        assert new not in json.dumps(f.as_dict(), ensure_ascii=False)
    assert "id-length" not in {f.code for f in result.findings}


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), st.integers(0, 999))
def test_upgrade_inverts_the_1999_conversion(born: date, seq: int) -> None:
    new = idnumber.make("370602", born, seq)
    assert idnumber.upgrade(new[:6] + new[8:17]) == new


def test_upgrade_refuses_what_is_not_an_old_id() -> None:
    assert idnumber.upgrade("370602751304123") is None  # month 13
    assert idnumber.upgrade("37060275030412") is None


# --- text as written ---------------------------------------------------------------------


def test_free_text_keeps_full_width_punctuation(tmp_path: Path) -> None:
    written = "临床医学（烟台），护理；急救"
    result = read(tmp_path, HEADER, [member(专业特长=written, 备注="在职　研究生")])
    values = result.records[0].values
    assert values["specialty"] == written
    assert values["remark"] == "在职 研究生"  # runs of white space fold to one
    assert result.findings == [] or all(f.field != "specialty" for f in result.findings)


@pytest.mark.parametrize("written", ["王　芳", "王 芳", " 王  芳 "])
def test_spaces_inside_a_chinese_name_are_taken_out(tmp_path: Path, written: str) -> None:
    result = read(tmp_path, HEADER, [member(name=written)])
    assert found(result) == {("warning", f"B{FIRST}", "name-spaces")}
    assert result.records[0].values["name"] == "王芳"


def test_latin_names_keep_their_spaces() -> None:
    assert parse_name("John  Smith") == "John Smith"
    assert parse_name("阿依古丽·买买提") == "阿依古丽·买买提"
    with pytest.raises(ValueProblem) as err:
        parse_name("欧阳 娜娜")
    assert (err.value.severity, err.value.code, err.value.keep) == (
        "warning",
        "name-spaces",
        "欧阳娜娜",
    )


# --- dates and their precision -------------------------------------------------------------


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_from_iso_round_trips_iso(day: date, by_month: bool) -> None:
    loose = LooseDate(day.year, day.month, None if by_month else day.day)
    assert LooseDate.from_iso(loose.iso()) == loose
    assert loose.precision == ("month" if by_month else "day")
    assert half_year(loose) == half_year(day) == (0 if day.month <= 6 else 1)
    assert loose.as_date() == (None if by_month else day)


@pytest.mark.parametrize("text", ["2017", "2017-5", "2017-13", "2017-02-30", "abc", "2017-05-"])
def test_from_iso_refuses_what_iso_never_writes(text: str) -> None:
    with pytest.raises(ValueError):
        LooseDate.from_iso(text)


@pytest.mark.parametrize(
    ("shape", "iso"),
    [
        ("2017年5月17号", "2017-05-17"),
        ("2017年5月份", "2017-05"),
        ("2017-05-17T08:30:00", "2017-05-17"),
        ("2017/5/17 0:00:00", "2017-05-17"),
        ("２０１７．０５", "2017-05"),
    ],
)
def test_odd_date_shapes(shape: str, iso: str) -> None:
    assert parse_date(shape).iso() == iso


@pytest.mark.parametrize("shape", ["2017年", "2017年度", "2017", 2017])
def test_a_year_alone_is_no_month(shape: object) -> None:
    with pytest.raises(ValueProblem) as err:
        parse_date(shape)
    assert err.value.code == "date-no-month"


# --- messages ------------------------------------------------------------------------------


def test_no_message_repeats_its_field_label(tmp_path: Path) -> None:
    rows = [
        member(性别="未知", 出生年月="1999.13", 入团年月="入团了", 同意合编="再说"),
        member(name="", 身份证号码="370602", 手机号码="123"),
        member(
            name="王 芳", 身份证号码=sm.ID_B, 性别="男", 出生年月="1999.01", 手机号码="05356612345"
        ),
        member(name="李四", 身份证号码=sm.ID_B, 手机号码="13805354321"),
    ]
    result = read(tmp_path, HEADER, rows)
    labelled = [f for f in result.findings if f.field_label]
    assert len(labelled) >= 10
    for f in labelled:
        assert f.field_label not in f.message, (f.code, f.message)


# --- end to end: what is kept as written still finds what the store holds ----------------


def test_full_width_brackets_still_find_the_org_and_the_project(cli, ws, tmp_path: Path) -> None:
    org = "烟台山医院团委（本部）"
    ledger: list[list[Any]] = [
        ["海岸路社区为民服务实事台账"],
        ["编号", "项目名称", "需求人数"],
        ["2026-01", "健康义诊（每月）", 6],
    ]
    imported = cli(
        "projects",
        "import",
        sm.write_xlsx(tmp_path / "海岸路社区_台账.xlsx", ledger),
        "-w",
        ws.root,
    )
    assert imported.exit_code == 0, imported.stderr
    members = [[f"填表单位：{org}"], ["报到社区：海岸路社区"], sm.HEADER, *sm.MEMBERS]
    registered = cli(
        "register",
        sm.write_xlsx(tmp_path / "名单.xlsx", members),
        "--letters",
        "none",
        "-w",
        ws.root,
    )
    assert registered.exit_code == 0, registered.stderr
    log: list[list[Any]] = [
        ["日期", "社区", "报到单位", "项目名称", "姓名", "服务时长（小时）"],
        ["2026-03-14", "海岸路社区", org, "健康义诊（每月）", "张　伟", 2],
    ]
    result = cli(
        "services", "import", sm.write_xlsx(tmp_path / "服务.xlsx", log), "--json", "-w", ws.root
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    (entry,) = json.loads(result.stdout)
    assert [f["code"] for f in entry["findings"]] == ["name-spaces"]
