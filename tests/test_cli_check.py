"""`shuanggang check` and `shuanggang blank` from the command line: exit codes, messages,
JSON, the annotated copy read back, and a filled-in blank passing check. Findings are
checked by code and cell, not by their Chinese wording."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import sheetmaker as sm
from openpyxl import load_workbook

from shuanggang.domain.findings import JSON_KEYS
from shuanggang.store import Workspace


def codes(stdout: str, file: int = 0) -> list[tuple[str, str, str]]:
    """(severity, cell, code) of each finding of one file in `check --json` output."""
    return [(f["severity"], f["cell"], f["code"]) for f in json.loads(stdout)[file]["findings"]]


def bad_members(tmp_path: Path) -> Path:
    rows = sm.office_rows(
        rows=[
            sm.MEMBERS[0],
            [2, "李娜", "男", sm.ID_B, "2001年8月", "0535-6612345", "会计", "工作日晚上", "是"],
            [3, "王强", "男", sm.ID_A, "199912", "13905356789", "家电维修", "周六上午", "否"],
        ]
    )
    return sm.write_xlsx(tmp_path / "有问题的名单.xlsx", rows)


def test_clean_file_passes(cli, tmp_path: Path) -> None:
    path = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows())
    result = cli("check", path)
    assert result.exit_code == 0, result.stderr
    assert "通过：3 条记录，0 个错误，0 个警告" in result.stderr


def test_errors_exit_1_with_cells_and_masked_values(cli, tmp_path: Path) -> None:
    result = cli("check", bad_members(tmp_path))
    assert result.exit_code == 1
    out = result.stdout
    assert "未通过：3 条记录，1 个错误，3 个警告" in out
    assert "C6" in out and "D7" in out
    assert sm.ID_A not in out + result.stderr and sm.ID_B not in out + result.stderr
    assert "Traceback" not in out + result.stderr
    found = codes(cli("check", bad_members(tmp_path), "--json").stdout)
    assert ("warning", "C6", "gender-mismatch") in found  # optional field: a warning
    assert ("error", "D7", "member-duplicate") in found


def test_json_output_shape(cli, tmp_path: Path) -> None:
    good = sm.write_xlsx(tmp_path / "good.xlsx", sm.office_rows())
    result = cli("check", good, bad_members(tmp_path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [d["records"] for d in data] == [3, 3]
    columns = data[0].pop("columns")
    assert data[0] == {
        "file": str(good),
        "kind": "members",
        "sheet": "团员名单",
        "records": 3,
        "ignored_columns": [],
        "findings": [],
    }
    assert columns[0] == {"cell": "B4", "header": "姓名", "field": "name", "field_label": "姓名"}
    assert [(c["cell"], c["field"]) for c in columns][1:3] == [
        ("C4", "gender"),
        ("D4", "id_number"),
    ]
    assert [c["field_label"] for c in columns][-3:] == ["专业特长", "可服务时间", "同意合编"]
    finding = next(f for f in data[1]["findings"] if f["field"] == "phone")
    assert list(finding) == list(JSON_KEYS)
    assert {"code", "field_label", "severity", "cell"} <= set(finding)
    assert (finding["field"], finding["field_label"]) == ("phone", "手机号码")
    assert (finding["file"], finding["code"]) == ("有问题的名单.xlsx", "phone-landline")
    assert all(sm.ID_A not in json.dumps(f, ensure_ascii=False) for f in data[1]["findings"])


def test_strict_fails_on_warnings(cli, tmp_path: Path) -> None:
    rows = sm.office_rows(rows=[[1, "张伟", "男", sm.ID_A, "", "0535-6612345", "", "", ""]])
    path = sm.write_xlsx(tmp_path / "w.xlsx", rows)
    assert cli("check", path).exit_code == 0
    strict = cli("check", path, "--strict", "--json")
    assert strict.exit_code == 1 and codes(strict.stdout) == [("error", "F5", "phone-landline")]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("空.xlsx", b"", "file-empty"),
        ("报告.xlsx", b"%PDF-1.4 ...", "file-not-spreadsheet"),
        ("乱码.csv", bytes(range(128, 256)) * 40, "file-encoding"),
        (
            "密码.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "file-encrypted",
        ),
        ("截断.xlsx", b"PK\x03\x04" + b"\x00" * 40, "file-corrupt"),
    ],
)
def test_unreadable_files_exit_1_with_their_own_message(
    cli, tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("check", path)
    assert result.exit_code == 1
    assert name in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    (finding,) = json.loads(cli("check", path, "--json").stdout)[0]["findings"]
    assert finding["severity"] == "error" and finding["message"] and finding["file"] == name
    assert finding["code"] == code


def test_missing_column_and_wrong_kind(cli, tmp_path: Path) -> None:
    rows = [["姓名", "性别", "手机号码"], ["张伟", "男", "13805351234"]]
    path = sm.write_xlsx(tmp_path / "缺列.xlsx", rows)
    result = cli("check", path, "--kind", "members", "--json")
    assert result.exit_code == 1 and codes(result.stdout) == [("error", "A1", "column-missing")]
    assert cli("check", path, "--kind", "teachers").exit_code == 2


def test_unknown_community(cli, tmp_path: Path) -> None:
    rows = sm.office_rows()
    rows[2] = ["报到社区：海防赢"]
    path = sm.write_xlsx(tmp_path / "c.xlsx", rows)
    result = cli("check", path)
    assert result.exit_code == 1 and "海防营社区" in result.stdout  # the suggestion
    assert codes(cli("check", path, "--json").stdout) == [("error", "", "community-unknown")]


def test_check_uses_the_workspace_settings(cli, ws: Workspace, tmp_path: Path) -> None:
    text = ws.settings_path.read_text(encoding="utf-8").replace(
        "max_rows = 1048576", "max_rows = 4"
    )
    ws.settings_path.write_text(text, encoding="utf-8")
    path = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows())
    assert cli("check", path).exit_code == 0  # outside: defaults
    limited = cli("check", path, "-w", ws.root, "--json")
    assert limited.exit_code == 1
    assert codes(limited.stdout) == [("error", "", "sheet-too-large")]


def test_annotated_copy_marks_cells(cli, tmp_path: Path) -> None:
    source = bad_members(tmp_path)
    before = source.read_bytes()
    out = tmp_path / "校验"
    result = cli("check", source, "--annotate", "-o", out)
    assert result.exit_code == 1
    copy = out / "有问题的名单_校验结果.xlsx"
    assert copy.is_file() and source.read_bytes() == before
    wb = load_workbook(copy)
    assert wb.sheetnames == ["校验结果", "团员名单"]
    data = wb["团员名单"]
    assert data["D5"].value == sm.ID_A and data["B5"].value == "张伟"  # same cells as the input
    assert data["D7"].fill.fgColor.rgb.endswith("FFC7CE")  # error: red
    assert data["C6"].fill.fgColor.rgb.endswith("FFEB9C")  # warning: yellow
    assert "“男”与身份证号不符" in data["C6"].comment.text
    assert "D5" in data["D7"].comment.text
    summary = wb["校验结果"]
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4 and {r[1] for r in rows} == {"C6", "F6", "E7", "D7"}
    link = next(c for c in summary["B"][1:] if c.value == "C6")
    assert link.hyperlink.location == "'团员名单'!C6" or "C6" in str(link.hyperlink.target)


def test_annotated_copy_is_reproducible_and_keeps_formulas_as_text(cli, tmp_path: Path) -> None:
    rows = sm.office_rows(
        rows=[[1, '=HYPERLINK("http://x")', "男", sm.ID_A, "", "13805351234", "", "", ""]]
    )
    path = sm.write_xlsx(tmp_path / "f.xlsx", rows)
    cli("check", path, "--annotate", "-o", tmp_path / "a")
    cli("check", path, "--annotate", "-o", tmp_path / "b")
    first = (tmp_path / "a" / "f_校验结果.xlsx").read_bytes()
    assert first == (tmp_path / "b" / "f_校验结果.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "f_校验结果.xlsx") as zf:
        sheets = "".join(zf.read(n).decode() for n in zf.namelist() if "worksheets/sheet" in n)
    assert "<f>" not in sheets


def test_xls_csv_ods_annotate_as_xlsx(cli, tmp_path: Path) -> None:
    for path in (
        sm.write_xls(tmp_path / "a.xls", sm.office_rows()),
        sm.write_csv(tmp_path / "b.csv", sm.office_rows()),
        sm.write_ods(tmp_path / "c.ods", sm.office_rows()),
    ):
        result = cli("check", path, "--annotate", "-o", tmp_path / "out")
        assert result.exit_code == 0, result.stdout
        copy = load_workbook(tmp_path / "out" / f"{path.stem}_校验结果.xlsx")
        assert copy.worksheets[1]["D5"].value == sm.ID_A


def test_blank_then_filled_passes_check(cli, tmp_path: Path) -> None:
    target = tmp_path / "空白.xlsx"
    result = cli("blank", "members", "-o", target)
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(target)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[5]]
    assert headers[:4] == ["序号", "姓名*", "性别", "身份证号*"]
    assert ws["D6"].number_format == "@"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("男,女" in f for f in lists.values())
    assert any("共青团员" in f for f in lists.values())
    assert any("义诊服务" in f for f in lists.values())
    assert any("周末" in f for f in lists.values())
    assert any("是,否" in f for f in lists.values())
    assert ws.freeze_panes == "B6"
    assert "填表说明" in wb.sheetnames
    ws["A2"] = "填表单位（盖章）：烟台第十中学团委"
    ws["A3"] = "报到社区：民生社区"
    values = {
        "姓名*": "张伟",
        "性别": "男",
        "身份证号*": sm.ID_A,
        "手机号码*": "13805351234",
        "专业特长": "数学辅导",
        "可服务时间": "周末",
        "同意合编": "是",
    }
    for c, header in enumerate(headers, 1):
        if header in values:
            ws.cell(6, c, values[header])
    ws.cell(6, 1, 1)
    wb.save(target)
    checked = cli("check", target, "--json")
    assert checked.exit_code == 0, checked.stdout
    (data,) = json.loads(checked.stdout)
    assert (data["kind"], data["records"], data["findings"]) == ("members", 1, [])


@pytest.mark.parametrize("kind", ["projects", "services", "consultations"])
def test_other_blanks_are_recognised(cli, tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"{kind}.xlsx"
    assert cli("blank", kind, "-o", target).exit_code == 0
    result = cli("check", target, "--json")
    assert json.loads(result.stdout)[0]["kind"] == kind


def test_blank_refuses_to_overwrite(cli, tmp_path: Path) -> None:
    target = tmp_path / "已有.xlsx"
    target.write_bytes(b"keep")
    result = cli("blank", "members", "-o", target)
    assert result.exit_code == 1 and "已存在" in result.stderr
    assert target.read_bytes() == b"keep"


def _member_row(**change: object) -> list[object]:
    row: dict[str, object] = {
        "序号": 1,
        "姓名": "张伟",
        "性别": "男",
        "身份证号码": sm.ID_A,
        "出生年月": "2000.05",
        "手机号码": "13805351234",
        "专业特长": "临床医学",
        "可服务时间": "周末",
        "同意合编": "是",
    }
    row.update(change)
    return list(row.values())


@pytest.mark.parametrize(
    ("row", "severity", "cell", "code"),
    [
        (_member_row(身份证号码=int(sm.ID_B[:17] + "0")), "error", "D5", "id-stored-as-number"),
        (
            _member_row(身份证号码=sm.ID_A[:-1] + ("1" if sm.ID_A[-1] != "1" else "2")),
            "error",
            "D5",
            "id-checksum",
        ),
        # optional fields: a bad value is a warning and the field is left empty
        (_member_row(出生年月="明年"), "warning", "E5", "date-invalid"),
        (_member_row(出生年月="1999.05"), "warning", "E5", "birth-mismatch"),
        (_member_row(性别="女"), "warning", "C5", "gender-mismatch"),
        (_member_row(性别="未知"), "warning", "C5", "gender-invalid"),
        (_member_row(手机号码="12345"), "error", "F5", "phone-invalid"),
        (_member_row(手机号码="0535-6612345"), "warning", "F5", "phone-landline"),
        (
            _member_row(身份证号码=sm.ID_OLD, 出生年月="1990.01"),
            "warning",
            "D5",
            "age-out-of-range",
        ),
        (_member_row(同意合编="也许"), "warning", "I5", "yesno-invalid"),
        (_member_row(姓名=""), "error", "B5", "required-missing"),
    ],
)
def test_every_cell_finding_through_the_cli(
    cli, tmp_path: Path, row: list, severity: str, cell: str, code: str
) -> None:
    path = sm.write_xlsx(tmp_path / "one.xlsx", sm.office_rows(rows=[row]), text_ids=True)
    result = cli("check", path, "--json")
    assert result.exit_code == (1 if severity == "error" else 0)
    (finding,) = [f for f in json.loads(result.stdout)[0]["findings"] if f["cell"] == cell]
    assert (finding["severity"], finding["code"]) == (severity, code)
    assert finding["hint"] and finding["sheet"] == "团员名单"
    assert sm.ID_A not in result.stdout and sm.ID_B not in result.stdout


def test_blank_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """openpyxl keeps merged ranges in a hash-ordered set: our writer must not care."""
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"blank_{seed}.xlsx"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "shuanggang", "blank", "members", "-o", str(target)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


# --- columns, hidden rows, words for people -----------------------------------------------


def _specialty_sheet(tmp_path: Path) -> Path:
    header = [*sm.HEADER[:6], "个人专长"]
    rows = [r[:7] for r in sm.MEMBERS]
    return sm.write_xlsx(tmp_path / "专长.xlsx", sm.office_rows(header, rows))


def test_workspace_header_aliases(cli, ws: Workspace, tmp_path: Path) -> None:
    path = _specialty_sheet(tmp_path)
    plain = json.loads(cli("check", path, "--json").stdout)[0]
    assert plain["ignored_columns"] == [
        {"cell": "G4", "header": "个人专长", "nearest": "specialty", "nearest_label": "专业特长"}
    ]
    assert codes(json.dumps([plain])) == [("warning", "G4", "column-ignored")]
    text = ws.settings_path.read_text(encoding="utf-8").replace(
        "[aliases.headers]\n", '[aliases.headers]\n"个人专长" = "specialty"\n'
    )
    ws.settings_path.write_text(text, encoding="utf-8")
    result = cli("check", path, "-w", ws.root, "--json")
    assert result.exit_code == 0, result.stdout
    (data,) = json.loads(result.stdout)
    assert data["ignored_columns"] == [] and data["findings"] == []
    assert data["columns"][-1] == {
        "cell": "G4",
        "header": "个人专长",
        "field": "specialty",
        "field_label": "专业特长",
    }


def test_human_output_names_the_columns_and_totals_the_files(cli, tmp_path: Path) -> None:
    good = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows())
    result = cli("check", _specialty_sheet(tmp_path), good, bad_members(tmp_path))
    assert result.exit_code == 1
    shown = result.stdout + result.stderr
    assert "身份证号码→身份证号" in shown
    assert "个人专长（G4）" in shown
    assert "3 个文件（1 个未通过），9 条记录，1 个错误，4 个警告" in shown
    single = cli("check", good)
    assert "个文件" not in single.stdout + single.stderr  # one file: no totals line


def test_findings_come_in_reading_order(cli, tmp_path: Path) -> None:
    header = [*sm.HEADER, "微信号"]
    rows = [
        [1, "张伟", "男", sm.ID_A, "2000.05", "0535-6612345", "", "", "是", ""],
        [2, "李娜", "男", sm.ID_B, "1999.01", "13805354321", "", "", "也许", ""],
    ]
    path = sm.write_xlsx(tmp_path / "序.xlsx", sm.office_rows(header, rows))
    found = codes(cli("check", path, "--json").stdout)
    assert [cell for _, cell, _ in found] == ["J4", "F5", "C6", "E6", "I6"]


def test_include_hidden_and_the_annotated_copy(cli, tmp_path: Path) -> None:
    rows = sm.office_rows(
        rows=[*sm.MEMBERS[:2], [3, "王强", "女", sm.ID_C, "199912", "13905356789", "", "", ""]]
    )
    path = sm.write_xlsx(tmp_path / "隐.xlsx", rows, hidden_rows=[6])
    hidden = cli("check", path, "--json", "--annotate", "-o", tmp_path / "out")
    (data,) = json.loads(hidden.stdout)
    assert data["records"] == 2
    assert codes(hidden.stdout) == [
        ("warning", "A6:I6", "row-hidden"),
        ("warning", "C7", "gender-mismatch"),
    ]
    everything = json.loads(cli("check", path, "--json", "--include-hidden").stdout)[0]
    assert everything["records"] == 3 and "row-hidden" not in str(everything["findings"])
    copy = load_workbook(tmp_path / "out" / "隐_校验结果.xlsx")
    summary = list(copy["校验结果"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2]) for r in summary] == [("A6:I6", None), ("C7", "性别")]
    data_sheet = copy["团员名单"]
    assert data_sheet["A6"].comment is not None
    assert data_sheet["I6"].fill.fgColor.rgb.endswith("FFEB9C")


def test_annotated_copy_names_fields_in_chinese(cli, tmp_path: Path) -> None:
    out = tmp_path / "a"
    cli("check", bad_members(tmp_path), "--annotate", "-o", out)
    copy = load_workbook(out / "有问题的名单_校验结果.xlsx")
    labels = {r[2] for r in copy["校验结果"].iter_rows(min_row=2, values_only=True)}
    assert labels == {"性别", "手机号码", "出生年月", "身份证号"}
    assert not any(label and re.search(r"[a-z_]", label) for label in labels)
