"""The reader on real-shaped files: every layout and value rule. Findings are checked by
code and cell, not by their Chinese wording."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from shuanggang.domain.privacy import mask_id
from shuanggang.settings import Settings, defaults
from shuanggang.sheets.reader import SheetRead, read_sheet

SETTINGS = defaults()


def read(path: Path, settings: Settings = SETTINGS, **kw) -> SheetRead:
    return read_sheet(path, settings, **kw)


def codes(result: SheetRead) -> list[tuple[str, str, str]]:
    return [(f.severity, f.cell, f.code) for f in result.findings]


def assert_clean_members(result: SheetRead) -> None:
    assert result.kind == "members"
    assert [f for f in result.findings if f.severity == "error"] == []
    assert [r.values["name"] for r in result.records] == ["张伟", "李娜", "王强"]
    assert [r.values["id_number"] for r in result.records] == [sm.ID_A, sm.ID_B, sm.ID_C]
    assert [r.values["phone"] for r in result.records] == [
        "13805351234",
        "13805354321",
        "13905356789",
    ]


def test_office_layout_xlsx(tmp_path: Path) -> None:
    path = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows(), instructions=True, hidden=True)
    result = read(path)
    assert_clean_members(result)
    assert result.sheet == "团员名单"  # not the instructions, not the hidden sheet
    assert result.org_name == "烟台山医院团委"
    assert result.preamble["community"] == "海岸路社区"
    assert result.preamble["date"] == "2026年3月5日"
    # title row 1, preamble rows 2-3, header row 4: the first member is on row 5
    assert [r.row for r in result.records] == [5, 6, 7]
    assert result.records[0].cells["id_number"] == "D5"
    assert result.records[0].values["birth"].iso() == "2000-05"
    assert result.records[2].values["consent"] is False


def test_two_row_merged_header(tmp_path: Path) -> None:
    result = read(sm.write_two_row_header_xlsx(tmp_path / "两行表头.xlsx"))
    assert_clean_members(result)
    assert result.layout is not None and result.layout.header_height == 2
    assert result.records[0].cells["id_number"] == "D5"
    assert result.records[0].values["availability"] == "周末"


def test_legacy_xls(tmp_path: Path) -> None:
    assert_clean_members(read(sm.write_xls(tmp_path / "名单.xls", sm.office_rows())))


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = sm.write_csv(tmp_path / "名单.csv", sm.office_rows(), encoding)
    result = read(path)
    assert_clean_members(result)
    assert result.org_name == "烟台山医院团委"


def test_ods(tmp_path: Path) -> None:
    assert_clean_members(read(sm.write_ods(tmp_path / "名单.ods", sm.office_rows())))


def test_org_from_title_then_file_name(tmp_path: Path) -> None:
    rows = [["鲁东大学法学院团委团员信息汇总表"], sm.HEADER, *sm.MEMBERS]
    assert read(sm.write_xlsx(tmp_path / "a.xlsx", rows)).org_name == "鲁东大学法学院团委"
    bare = read(
        sm.write_xlsx(
            tmp_path / "中国银行烟台分行团委_团员信息汇总表.xlsx", [sm.HEADER, *sm.MEMBERS]
        )
    )
    assert bare.org_name == "中国银行烟台分行团委"


def test_header_found_below_many_preamble_rows(tmp_path: Path) -> None:
    rows = [[f"备忘 {i}"] for i in range(15)] + [sm.HEADER, *sm.MEMBERS]
    result = read(sm.write_xlsx(tmp_path / "deep.xlsx", rows))
    assert len(result.records) == 3 and result.records[0].row == 17


def test_id_stored_as_number_says_format_as_text(tmp_path: Path) -> None:
    rows = sm.office_rows(
        rows=[[1, "张伟", "男", int(sm.ID_A[:-1] + "0"), "2000.05", "13805351234", "", "", ""]]
    )
    result = read(sm.write_xlsx(tmp_path / "n.xlsx", rows, text_ids=False))
    (finding,) = [f for f in result.findings if f.field == "id_number"]
    assert (finding.severity, finding.cell) == ("error", "D5")
    assert finding.code == "id-stored-as-number"
    assert finding.value.startswith("370602") and "*" in finding.value
    assert not result.ok


def test_id_as_scientific_text_from_csv(tmp_path: Path) -> None:
    rows = [sm.HEADER, [1, "张伟", "男", "3.70602E+17", "", "13805351234", "", "", ""]]
    result = read(sm.write_csv(tmp_path / "s.csv", rows))
    assert ("error", "D2", "id-stored-as-number") in codes(result)


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        (sm.ID_A[:-1] + ("0" if sm.ID_A[-1] != "0" else "1"), "id-checksum"),
        (sm.ID_A[:10] + "1399" + sm.ID_A[14:], "id-birth-date"),
        (sm.ID_A[:17], "id-length"),
        (sm.ID_A[:5] + "A" + sm.ID_A[6:], "id-characters"),
    ],
)
def test_bad_ids(tmp_path: Path, id_number: str, code: str) -> None:
    rows = [sm.HEADER, [1, "张伟", "男", id_number, "", "13805351234", "", "", ""]]
    result = read(sm.write_xlsx(tmp_path / "b.xlsx", rows))
    (finding,) = [f for f in result.findings if f.field == "id_number"]
    assert (finding.code, finding.cell, finding.field_label) == (code, "D2", "身份证号")
    assert id_number not in finding.value  # masked


def test_lower_case_x_is_accepted(tmp_path: Path) -> None:
    from datetime import date

    from shuanggang.domain.idnumber import make

    with_x = next(
        make("370602", date(2000, 1, d), 11)
        for d in range(1, 29)
        if make("370602", date(2000, 1, d), 11).endswith("X")
    )
    rows = [sm.HEADER, [1, "张伟", "男", with_x.lower(), "", "13805351234", "", "", ""]]
    result = read(sm.write_xlsx(tmp_path / "x.xlsx", rows))
    assert result.ok and result.records[0].values["id_number"] == with_x


def test_gender_and_birth_against_id_and_age(tmp_path: Path) -> None:
    rows = [
        sm.HEADER,
        [1, "张伟", "女", sm.ID_A, "2001-05", "13805351234", "", "", ""],
        [2, "老李", "男", sm.ID_OLD, "1990.01", "13805351235", "", "", ""],
    ]
    result = read(sm.write_xlsx(tmp_path / "g.xlsx", rows))
    found = codes(result)
    # optional fields against the ID: warnings, the ID wins (tests/test_intake_values.py)
    assert ("warning", "C2", "gender-mismatch") in found
    assert ("warning", "E2", "birth-mismatch") in found
    assert ("warning", "D3", "age-out-of-range") in found


def test_phones(tmp_path: Path) -> None:
    rows = [
        sm.HEADER,
        [1, "张伟", "男", sm.ID_A, "", 13805351234, "", "", ""],
        [2, "李娜", "女", sm.ID_B, "", "0535-6612345", "", "", ""],
        [3, "王强", "男", sm.ID_C, "", "1380535", "", "", ""],
    ]
    result = read(sm.write_xlsx(tmp_path / "p.xlsx", rows))
    assert result.records[0].values["phone"] == "13805351234"
    assert ("warning", "F3", "phone-landline") in codes(result)
    assert ("error", "F4", "phone-invalid") in codes(result)
    assert all("1380535" not in f.value or "*" in f.value for f in result.findings)


def test_duplicate_id_is_an_error_on_the_second_cell(tmp_path: Path) -> None:
    rows = [
        sm.HEADER,
        sm.MEMBERS[0],
        sm.MEMBERS[1],
        [4, "张伟伟", "男", sm.ID_A, "", "13805350000", "", "", ""],
    ]
    result = read(sm.write_xlsx(tmp_path / "d.xlsx", rows))
    dup = [f for f in result.findings if f.code == "member-duplicate"]
    assert [(f.cell, f.field) for f in dup] == [("D4", "id_number")]
    assert "D2" in dup[0].message  # points at the first row
    assert dup[0].value == mask_id(sm.ID_A)


def test_missing_required_column_lists_found_and_aliases(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["序号", "姓名", "性别", "手机号码"], [1, "张伟", "男", "13805351234"]]
    result = read(sm.write_xlsx(tmp_path / "m.xlsx", rows), kind="members")
    (finding,) = result.findings
    assert (finding.code, finding.cell) == ("column-missing", "A1")
    assert "身份证号" in finding.message  # which column is missing
    assert all(h in finding.hint for h in ("序号", "姓名", "性别", "手机号码"))  # found
    assert "公民身份号码" in finding.hint and "证件号码" in finding.hint  # other names for it


def test_required_cell_empty(tmp_path: Path) -> None:
    rows = [sm.HEADER, [1, "张伟", "男", sm.ID_A, "", "", "", "", ""]]
    result = read(sm.write_xlsx(tmp_path / "e.xlsx", rows))
    assert ("error", "F2", "required-missing") in codes(result)


def test_unknown_community_suggests_the_closest(tmp_path: Path) -> None:
    rows = sm.office_rows()
    rows[2] = ["报到社区：海防赢社区"]
    result = read(sm.write_xlsx(tmp_path / "c.xlsx", rows))
    (finding,) = [f for f in result.findings if f.field == "community"]
    assert (finding.code, finding.field_label) == ("community-unknown", "社区")
    assert "海防营社区" in finding.hint


def test_footer_and_blank_rows_are_not_members(tmp_path: Path) -> None:
    rows = [sm.HEADER, sm.MEMBERS[0], [], [2], sm.MEMBERS[1], ["填表人：钱七"], ["说明：以上"]]
    result = read(sm.write_xlsx(tmp_path / "f.xlsx", rows))
    assert len(result.records) == 2 and result.ok


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    rows = [sm.HEADER, [1, "张伟", "男", sm.ID_A, "", "0535-6612345", "", "", ""]]
    path = sm.write_xlsx(tmp_path / "w.xlsx", rows)
    assert read(path).ok
    assert not read(path, strict=True).ok


def test_dates_in_every_office_shape(tmp_path: Path) -> None:
    from datetime import datetime

    header = ["姓名", "身份证号", "手机号码", "入团年月"]
    shapes = [
        datetime(2015, 5, 17),
        "2015-05-17",
        "2015/5/17",
        "2015.05",
        "2015.5",
        2015.1,
        "2015年5月",
        201505,
    ]
    rows = [header] + [
        [f"人{i}", sm.ID_A if i == 0 else "", "13805351234", s] for i, s in enumerate(shapes)
    ]
    result = read(sm.write_xlsx(tmp_path / "dates.xlsx", rows), kind="members")
    joined = [r.values.get("joined") for r in result.records]
    assert [j.iso() if j else None for j in joined] == [
        "2015-05-17",
        "2015-05-17",
        "2015-05-17",
        "2015-05",
        "2015-05",
        "2015-10",
        "2015-05",
        "2015-05",
    ]


def test_availability_and_category(tmp_path: Path) -> None:
    result = read(sm.write_xlsx(tmp_path / "a.xlsx", sm.office_rows()))
    first, second, third = (r.values for r in result.records)
    assert first["category"] == "义诊服务" and first["slots"] == {
        "sat_am",
        "sat_pm",
        "sun_am",
        "sun_pm",
    }
    assert second["category"] == "金融服务" and second["slots"] == {"weekday_evening"}
    assert third["category"] == "科技服务" and third["slots"] == {"sat_am"}


def test_keyword_table_comes_from_settings(tmp_path: Path) -> None:
    from shuanggang.settings import Category

    custom = replace(SETTINGS, categories=(Category("护理服务", ("临床",)), Category("其他", ())))
    result = read(sm.write_xlsx(tmp_path / "k.xlsx", sm.office_rows()), custom)
    assert [r.values["category"] for r in result.records] == ["护理服务", "其他", "其他"]


@pytest.mark.parametrize(
    ("kind", "header", "row"),
    [
        (
            "projects",
            ["编号", "项目名称", "服务类别", "需求人数", "联系电话"],
            ["HAL-01", "老年人健康义诊", "义诊服务", 5, "13805351234"],
        ),
        (
            "services",
            ["日期", "报到单位", "姓名", "身份证号", "服务时长（小时）", "社区评价"],
            ["2026-05-17", "烟台山医院团委", "张伟", sm.ID_A, 1.5, "满意"],
        ),
        (
            "services",
            ["活动日期", "参加人员", "时长", "满意度"],
            ["2026/6/1", "张伟、李娜，王强", "2小时", 4],
        ),
        (
            "consultations",
            ["日期", "社区", "报到单位", "形式", "内容摘要"],
            ["2026-06-30", "海岸路", "烟台山医院团委", "座谈", "上半年工作交流"],
        ),
    ],
)
def test_kind_detected_from_headers(tmp_path: Path, kind: str, header: list, row: list) -> None:
    result = read(sm.write_xlsx(tmp_path / f"{kind}.xlsx", [["台账"], header, row]))
    assert result.kind == kind, result.findings
    assert result.ok, result.findings
    assert len(result.records) == 1


def test_service_values(tmp_path: Path) -> None:
    header = ["日期", "参加人员", "服务时长（小时）", "社区评价"]
    rows = [header, ["2026-06-01", "张伟、李娜，王强 赵六", "1小时30分", "基本满意"]]
    (record,) = read(sm.write_xlsx(tmp_path / "s.xlsx", rows)).records
    assert record.values["participants"] == ("张伟", "李娜", "王强", "赵六")
    assert record.values["hours"] == 90
    assert record.values["rating"] == 3.0


def test_service_without_anyone_or_with_bad_hours(tmp_path: Path) -> None:
    header = ["日期", "姓名", "服务时长（小时）"]
    rows: list[list[Any]] = [
        header,
        ["2026-06-01", "", 2],
        ["2026-06-02", "张伟", "两个钟"],
        ["2026-06", "张伟", 1],
    ]
    result = read(sm.write_xlsx(tmp_path / "s.xlsx", rows), kind="services")
    found = codes(result)
    assert ("error", "B2", "service-member-missing") in found
    assert ("error", "C3", "hours-invalid") in found
    assert ("error", "A4", "date-no-day") in found


# --- files that cannot be read ---------------------------------------------------------


def only_error(result: SheetRead) -> str:
    """The code of a file's one finding: an error, with no records read."""
    (finding,) = result.findings
    assert finding.severity == "error" and result.records == [] and finding.message
    return finding.code


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "空.xlsx").write_bytes(b"")
    assert only_error(read(tmp_path / "空.xlsx")) == "file-empty"


def test_pdf_and_binary_are_not_spreadsheets(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"%PDF-1.7\n...")
    (tmp_path / "b.xls").write_bytes(bytes(range(256)) * 10)
    assert only_error(read(tmp_path / "a.xlsx")) == "file-not-spreadsheet"
    assert only_error(read(tmp_path / "b.xls")) == "file-not-spreadsheet"


def test_word_document_is_not_a_spreadsheet(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "名单.xlsx", "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert only_error(read(tmp_path / "名单.xlsx")) == "file-not-spreadsheet"


def test_truncated_workbook(tmp_path: Path) -> None:
    good = sm.write_xlsx(tmp_path / "good.xlsx", sm.office_rows())
    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert only_error(read(tmp_path / "cut.xlsx")) == "file-corrupt"


def test_corrupt_workbook_part(tmp_path: Path) -> None:
    good = sm.write_xlsx(tmp_path / "good.xlsx", sm.office_rows())
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b"<broken" if info.filename.endswith("sheet1.xml") else data)
    assert only_error(read(tmp_path / "bad.xlsx")) == "file-corrupt"


def test_encrypted_workbook(tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE compound file holding an EncryptedPackage stream.
    body = b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    (tmp_path / "密码.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body)
    assert only_error(read(tmp_path / "密码.xlsx")) == "file-encrypted"


def test_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(24):
                sheet.write(b"\x00" * (1 << 20))
    assert path.stat().st_size < 1 << 20
    tight = replace(SETTINGS, limits=replace(SETTINGS.limits, max_unpacked_mb=16))
    assert only_error(read(path, tight)) == "file-too-large"


def test_too_many_rows_columns_and_chars(tmp_path: Path) -> None:
    small = replace(
        SETTINGS, limits=replace(SETTINGS.limits, max_rows=5, max_columns=6, max_cell_chars=10)
    )
    rows = sm.office_rows()
    assert only_error(read(sm.write_xlsx(tmp_path / "r.xlsx", rows), small)) == "sheet-too-large"
    tall = replace(SETTINGS, limits=replace(SETTINGS.limits, max_rows=5))
    assert only_error(read(sm.write_csv(tmp_path / "r.csv", rows), tall)) == "sheet-too-large"
    wide = [sm.HEADER, sm.MEMBERS[0]]
    assert only_error(read(sm.write_xlsx(tmp_path / "c.xlsx", wide), small)) == "sheet-too-large"
    roomy = replace(SETTINGS, limits=replace(SETTINGS.limits, max_cell_chars=10))
    long = [sm.HEADER, [1, "张伟", "男", sm.ID_A, "", "13805351234", "很长" * 20, "", ""]]
    result = read(sm.write_xlsx(tmp_path / "l.xlsx", long), roomy)
    assert ("error", "D2", "cell-too-long") in codes(result)  # required: refused
    assert ("warning", "G2", "cell-too-long") in codes(result)  # optional: left empty


def test_undetectable_encoding(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(bytes(range(128, 256)) * 40)
    assert only_error(read(tmp_path / "x.csv")) == "file-encoding"


def test_noise_that_decodes_has_no_header(tmp_path: Path) -> None:
    import random

    noise = bytes(random.Random(7).randrange(128, 256) for _ in range(4000))
    (tmp_path / "x.csv").write_bytes(noise)
    assert only_error(read(tmp_path / "x.csv")) == "header-missing"


def test_no_header_anywhere(tmp_path: Path) -> None:
    rows = [["今天天气很好"], ["明天也很好"]]
    assert only_error(read(sm.write_xlsx(tmp_path / "n.xlsx", rows))) == "header-missing"


def test_named_sheet_must_exist(tmp_path: Path) -> None:
    path = sm.write_xlsx(tmp_path / "s.xlsx", sm.office_rows(), instructions=True)
    assert only_error(read(path, sheet="数据")) == "sheet-not-found"
    assert read(path, sheet="团员名单").ok


def test_missing_file(tmp_path: Path) -> None:
    assert only_error(read(tmp_path / "nope.xlsx")) == "file-not-found"


def test_unknown_area_code_is_a_warning_and_stdnum_gaps_are_tolerated(tmp_path: Path) -> None:
    from datetime import date

    from shuanggang.domain.idnumber import make

    nowhere = make("999999", date(2000, 1, 1), 11)
    gap = make("340524", date(2000, 1, 1), 13)  # python-stdnum raises KeyError for it
    rows = [
        sm.HEADER,
        [1, "张伟", "男", nowhere, "", "13805351234", "", "", ""],
        [2, "李强", "男", gap, "", "13805351235", "", "", ""],
    ]
    result = read(sm.write_xlsx(tmp_path / "area.xlsx", rows))
    assert result.ok
    assert [(f.severity, f.cell) for f in result.findings if f.code == "id-area-code"] == [
        ("warning", "D2")
    ]


def test_ledger_footer_and_landline_contacts(tmp_path: Path) -> None:
    rows = [
        ["海岸路社区为民服务实事台账"],
        ["填报单位：东山街道海岸路社区团支部"],
        ["编号", "项目名称", "服务类别", "联系人", "联系电话"],
        ["2026-01", "健康义诊进社区", "义诊服务", "陈月可", "0535-6218227"],
        ["2026-02", "法律咨询服务站", "法律服务", "陈月可", "177 9230 6451"],
        [],
        ["社区团支部书记：陈月可    联系电话：17792306451"],
        ["说明：认领单位一栏由社区填写。"],
    ]
    result = read(sm.write_xlsx(tmp_path / "ledger.xlsx", rows))
    assert result.kind == "projects" and result.findings == []
    assert [r.values["contact_phone"] for r in result.records] == ["05356218227", "17792306451"]


@pytest.mark.parametrize("writer", [sm.write_xlsx, sm.write_xls, sm.write_ods])
def test_a_table_not_starting_in_column_a_keeps_its_cell_addresses(tmp_path: Path, writer) -> None:
    # Blank rows and columns before the table: python-calamine streams rows from row 1
    # but from the first used column, and the reader pads them back.
    rows = [[], [], *([None, None, *r] for r in [sm.HEADER, *sm.MEMBERS])]
    suffix = {"write_xlsx": "xlsx", "write_xls": "xls", "write_ods": "ods"}[writer.__name__]
    result = read(writer(tmp_path / f"offset.{suffix}", rows))
    assert result.ok and [r.row for r in result.records] == [4, 5, 6]
    assert result.records[0].cells["id_number"] == "F4"
    assert result.records[0].values["id_number"] == sm.ID_A


def test_counting_without_keeping_records(tmp_path: Path) -> None:
    path = sm.write_xlsx(tmp_path / "c.xlsx", sm.office_rows())
    kept, counted = read(path), read(path, keep=False)
    assert kept.rows_read == counted.rows_read == 3
    assert len(kept.records) == 3 and counted.records == []
    assert counted.findings == kept.findings and counted.as_json() == kept.as_json()


def test_the_header_search_filter_never_hides_a_header() -> None:
    """`may_be_header` lets the search skip data cells; every way an office writes a
    header that `match_field` understands must pass it."""
    import unicodedata

    from shuanggang.sheets.fields import KINDS, header_key, match_field, may_be_header

    for kind in KINDS.values():
        for f in kind.fields:
            for alias in (f.label, *f.aliases):
                for text in (
                    alias,
                    f" {alias} ",
                    f"{alias}（必填）",
                    f"【必填】{alias}",
                    f"(选填){alias}",
                    f"{alias}18位",
                    f"*{alias}",
                ):
                    if match_field(kind.name, text) is None:
                        continue
                    normal = unicodedata.normalize("NFKC", text).strip()
                    assert may_be_header(header_key(text), normal), (kind.name, text)


SHORT_CELLS = replace(SETTINGS, limits=replace(SETTINGS.limits, max_cell_chars=500))
_CELLS: dict[str, list[Any]] = {
    "姓名": ["张伟", " 李娜 ", "", "王　强", "x" * 600],
    "性别": ["男", "女", "", "未知", "M"],
    "身份证号码": [sm.ID_A, sm.ID_B, sm.ID_C, sm.ID_OLD, sm.ID_A.lower(), "370602", "", 3.70602e17],
    "出生年月": ["2000.05", "2001年8月", "199912", "", "不详", 36666, "2000-13"],
    "手机号码": ["13805351234", "138-0535-4321", "0535-6612345", "12345", "", 13905356789],
    "专业特长": ["临床医学", "会计", "", "  ", "家电维修"],
    "可服务时间": ["周末", "工作日晚上", "", "随时"],
    "同意合编": ["是", "否", "", "也许"],
}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(*(st.sampled_from(v) for v in _CELLS.values()), st.integers(0, 9)),
        max_size=30,
    ),
    st.integers(1, 7),
)
def test_column_wise_rows_read_exactly_as_cell_by_cell(
    rows: list[tuple[Any, ...]], chunk: int
) -> None:
    """Rows come in chunks and clean rows are assembled column by column; whatever the
    chunk size, values and findings must be what the careful cell-by-cell path gives, in
    the same order, footer and blank rows included. An overlong 备注 on every filled row
    sends each row down the careful path; apart from its own cell-too-long findings, the
    file must read the same."""
    import tempfile

    from shuanggang.sheets import reader

    def blank(value: Any) -> bool:
        return value is None or value == "" or (isinstance(value, str) and not value.strip())

    body = [[i + 1, *row[:-1]] if row[-1] else [] for i, row in enumerate(rows)]
    remarked = [[*r, "长" * 501] if any(not blank(c) for c in r[1:]) else r for r in body]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "plain").mkdir()
        (Path(tmp) / "careful").mkdir()
        plain_path = sm.write_csv(
            Path(tmp) / "plain" / "名单.csv", sm.office_rows(["序号", *_CELLS], body), "utf-8"
        )
        careful_path = sm.write_csv(
            Path(tmp) / "careful" / "名单.csv",
            sm.office_rows(["序号", *_CELLS, "备注"], remarked),
            "utf-8",
        )

        def outcome(path: Path) -> tuple[list[Any], list[Any]]:
            result = read(path, SHORT_CELLS)
            findings = [f.as_dict() for f in result.findings if f.field != "remark"]
            for finding in findings:
                del finding["file"]
            return [(r.row, r.values) for r in result.records], findings

        plain = outcome(plain_path)
        careful = outcome(careful_path)
        remarks = [f for f in read(careful_path, SHORT_CELLS).findings if f.field == "remark"]
        assert len(remarks) == len(careful[0])  # every row took the careful path
        original = reader.CHUNK_ROWS
        try:
            reader.CHUNK_ROWS = chunk
            chunked = outcome(plain_path)
            careful_chunked = outcome(careful_path)
        finally:
            reader.CHUNK_ROWS = original
    assert plain == chunked == careful == careful_chunked


def test_a_check_holds_no_records_while_it_reads(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`keep=False` (how `check` reads a million rows) must not keep each row alive
    anywhere, the duplicate-ID index included: memory stays flat however long the sheet."""
    import gc

    from shuanggang.domain import rules
    from shuanggang.domain.idnumber import make
    from shuanggang.sheets.reader import Record

    rows = [
        [i, f"人{i}", "", make("370602", date(2000, 1, 1) + timedelta(days=i), 100), "13805351234"]
        for i in range(1, 3001)
    ]
    path = sm.write_csv(
        tmp_path / "长名单.csv",
        sm.office_rows(["序号", "姓名", "性别", "身份证号码", "手机号码"], rows),
        "utf-8",
    )
    alive: list[int] = []
    real = rules.RULES["members"]
    calls = 0

    def counting(values, year):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls % 1000 == 0:
            alive.append(sum(1 for o in gc.get_objects() if type(o) is Record))
        return real(values, year)

    monkeypatch.setitem(rules.RULES, "members", counting)
    gc.collect()
    before = sum(1 for o in gc.get_objects() if type(o) is Record)  # left by earlier tests
    result = read(path, keep=False)
    assert result.rows_read == 3000 and result.records == []
    assert alive and max(alive) - before < 50, (before, alive)
