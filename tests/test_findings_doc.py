"""docs/findings.md lists every finding code: the codes written in the source, and the codes
findings really carry when `check` reads bad sheets."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm

import shuanggang
from shuanggang.domain.findings import JSON_KEYS, Finding, Severity
from shuanggang.settings import defaults
from shuanggang.sheets.reader import read_sheet

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "findings.md"
PACKAGE = Path(shuanggang.__file__).resolve().parent
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+")


def documented() -> set[str]:
    """The codes in the first column of the doc's tables (the JSON keys' table aside)."""
    text = DOC.read_text(encoding="utf-8")
    first = re.findall(r"^\| `([a-z0-9_-]+)` \|", text, flags=re.MULTILINE)
    return {c for c in first if KEBAB.fullmatch(c)}


def _values(node: ast.expr) -> list[str]:
    """The string constants an expression can evaluate to (`"a" if x else "b"`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _values(node.body) + _values(node.orelse)
    return []


def in_source() -> dict[str, list[str]]:
    """Each code literal passed as `code=` anywhere in the package → where."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "code":
                for code in _values(node.value):
                    found.setdefault(code, []).append(f"{path.name}:{node.value.lineno}")
    return found


def test_the_scan_sees_codes_of_every_layer() -> None:
    codes = in_source()
    # values, rules, the reader, the workbook and a workflow: the scan is not blind
    for code in ("id-checksum", "gender-mismatch", "member-duplicate", "file-empty"):
        assert code in codes
    assert "member-registered-elsewhere" in codes


def test_every_code_in_the_source_is_documented() -> None:
    missing = {c: w for c, w in in_source().items() if c not in documented()}
    assert not missing, f"add these codes to docs/findings.md: {missing}"


def test_every_documented_code_is_still_used() -> None:
    stale = documented() - set(in_source())
    assert not stale, f"docs/findings.md lists codes nothing emits: {sorted(stale)}"


def test_codes_are_kebab_case() -> None:
    assert [c for c in in_source() if not KEBAB.fullmatch(c)] == []


def test_the_doc_lists_the_json_keys_in_order() -> None:
    text = DOC.read_text(encoding="utf-8")
    first = re.findall(r"^\| `([a-z0-9_-]+)` \|", text, flags=re.MULTILINE)
    assert [c for c in first if not KEBAB.fullmatch(c)] == list(JSON_KEYS)


def test_a_finding_cannot_be_made_without_a_code() -> None:
    with pytest.raises(TypeError):
        Finding(Severity.ERROR, "x")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        Finding(Severity.ERROR, "x", code="")


def test_finding_api() -> None:
    f = Finding("warning", "固定电话", field="phone", cell="F5", code="phone-landline")  # type: ignore[arg-type]
    assert f.severity is Severity.WARNING and f.severity.label == "警告"
    assert Severity.ERROR.label == "错误" and not f.is_error
    assert f.field_label == "手机号码"
    assert f.as_dict() == {
        "file": "",
        "sheet": "",
        "cell": "F5",
        "field": "phone",
        "field_label": "手机号码",
        "code": "phone-landline",
        "severity": "warning",
        "message": "固定电话",
        "hint": "",
        "value": "",
    }
    assert Finding(Severity.ERROR, "x", code="file-empty").field_label == ""


def _bad_sheets(tmp_path: Path) -> list[tuple[Path, str | None]]:
    from datetime import date

    from shuanggang.domain.idnumber import make

    members = sm.office_rows(
        rows=[
            [1, "张伟", "女", sm.ID_A, "2001-05", "0535-6612345", "", "", "也许"],
            [2, "", "男", sm.ID_A[:17], "明年", "12345", "", "", ""],
            [3, "老李", "男", sm.ID_OLD, "1990.01", "13805351235", "", "", ""],
            [4, "王强", "男", make("999999", date(2000, 1, 1), 11), "", "13805351236", "", "", ""],
            [5, "张伟伟", "男", sm.ID_A, "", "13805350000", "", "", ""],
        ]
    )
    members[2] = ["报到社区：海防赢社区"]
    services: list[list[Any]] = [
        ["日期", "姓名", "服务时长（小时）", "社区评价"],
        ["2026-06-01", "", 2, "很好"],
        ["2026-06", "张伟", "两个钟", 7],
        ["2020-06-01", "张伟", 13, ""],
    ]
    (tmp_path / "空.xlsx").write_bytes(b"")
    (tmp_path / "报告.xlsx").write_bytes(b"%PDF-1.4 ...")
    return [
        (sm.write_xlsx(tmp_path / "members.xlsx", members), None),
        (sm.write_xlsx(tmp_path / "services.xlsx", services), "services"),
        (sm.write_xlsx(tmp_path / "缺列.xlsx", [["姓名", "性别"], ["张伟", "男"]]), "members"),
        (sm.write_xlsx(tmp_path / "无表头.xlsx", [["今天天气很好"]]), None),
        (tmp_path / "空.xlsx", None),
        (tmp_path / "报告.xlsx", None),
        (tmp_path / "没有.xlsx", None),
    ]


def test_findings_of_bad_sheets_carry_documented_codes(tmp_path: Path) -> None:
    emitted: set[str] = set()
    for path, kind in _bad_sheets(tmp_path):
        for f in read_sheet(path, defaults(), kind=kind).findings:
            assert f.code, f
            emitted.add(f.code)
    assert emitted - documented() == set()
    assert len(emitted) >= 20  # the sheets above really are bad in many ways


def test_check_json_carries_codes_and_labels(cli, tmp_path: Path) -> None:
    paths = [str(p) for p, kind in _bad_sheets(tmp_path) if kind is None]
    data = json.loads(cli("check", *paths, "--json").stdout)
    findings = [f for file in data for f in file["findings"]]
    assert findings and {f["code"] for f in findings} <= documented()
    assert all(bool(f["field"]) == bool(f["field_label"]) for f in findings)
