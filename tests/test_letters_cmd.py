"""`letters checkin|feedback|list`: letters made again from what the store holds now, one
combined print file per set (replaced, not piled up), and the letters' register."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
import test_orgs
from test_orgs import BANK
from test_register import member_sheet

from shuanggang.store import Workspace

run = test_orgs.run  # the fixture: a workspace with the ledger imported


def _today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    from shuanggang import clock

    monkeypatch.setattr(clock, "today", lambda: day)


def test_combined_checkin_file_lists_a_later_claim_and_replaces_the_last(
    run, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = member_sheet(tmp_path)
    assert run("register", sheet, "--date", "2026-03-05")[0].exit_code == 0
    bank = member_sheet(tmp_path, "b.xlsx", rows=BANK, org="某银行团支部")
    assert run("register", bank, "--date", "2026-03-06")[0].exit_code == 0
    # a claim made afterwards, with the same sheet
    assert run("register", sheet, "--claim", "2026-02")[0].exit_code == 0

    _today(monkeypatch, date(2026, 11, 28))
    result, first = run("letters", "checkin", "--community", "海岸路")
    assert result.exit_code == 0, result.stderr
    assert first["set"] == "海岸路社区" and len(first["numbers"]) == 2
    names = sorted(Path(p).name for p in first["combined"])
    assert names == ["合并打印_海岸路社区_2026-11-28.docx", "合并打印_海岸路社区_2026-11-28.html"]
    html = Path(next(p for p in first["combined"] if p.endswith(".html")))
    text = html.read_text(encoding="utf-8")
    assert "法律咨询服务站" in text and text.count('class="sheet letter"') == 2
    assert text.index(first["numbers"][0]) < text.index(first["numbers"][1])

    _today(monkeypatch, date(2026, 11, 29))
    result, second = run("letters", "checkin", "--community", "海岸路", "--letters", "html")
    assert result.exit_code == 0
    assert [Path(p).name for p in second["combined"]] == ["合并打印_海岸路社区_2026-11-29.html"]
    assert sorted(Path(p).name for p in second["removed"]) == names
    combined = sorted(p.name for p in html.parent.glob("合并打印_*"))
    assert combined == ["合并打印_海岸路社区_2026-11-29.html"]

    # one org's set is another set: the community's file stays
    result, one = run("letters", "checkin", "--org", "某银行团支部")
    assert result.exit_code == 0 and one["numbers"] == first["numbers"][1:]
    assert one["removed"] == []
    assert len(list(html.parent.glob("合并打印_*"))) == 3


def test_checkin_selection_is_required_and_checked(run, ws: Workspace, tmp_path: Path) -> None:
    assert run("register", member_sheet(tmp_path))[0].exit_code == 0
    result, _ = run("letters", "checkin")
    assert result.exit_code == 2
    result, data = run("letters", "checkin", "--community", "民生")
    assert result.exit_code == 1 and data["findings"][0]["code"] == "org-not-registered"
    result, data = run("letters", "checkin", "--org", "没有")
    assert result.exit_code == 1 and data["findings"][0]["code"] == "org-not-registered"
    result, data = run("letters", "checkin", "--all")
    assert result.exit_code == 0 and data["set"] == "全部"
    assert run("orgs", "withdraw", "烟台山医院团委", "--reason", "误报")[0].exit_code == 0
    result, data = run("letters", "checkin", "--org", "烟台山医院团委")
    assert result.exit_code == 1 and data["findings"][0]["code"] == "org-withdrawn"
    result, data = run("letters", "checkin", "--all")
    assert result.exit_code == 1 and data["findings"][0]["code"] == "org-not-registered"


def _services(tmp_path: Path) -> Path:
    rows: list[list[Any]] = [
        ["日期", "社区", "报到单位", "姓名", "身份证号", "服务时长（小时）", "社区评价"],
        ["2026-06-01", "海岸路", "烟台山医院团委", "张伟", sm.ID_A, 3, "满意"],
        ["2026-07-01", "海岸路", "某银行团支部", "钱红", BANK[0][3], 2, "满意"],
    ]
    return sm.write_xlsx(tmp_path / "服务台账.xlsx", rows)


def test_feedback_letters_need_the_report_and_keep_its_numbers(
    run, ws: Workspace, tmp_path: Path
) -> None:
    assert run("register", member_sheet(tmp_path))[0].exit_code == 0
    bank = member_sheet(tmp_path, "b.xlsx", rows=BANK, org="某银行团支部")
    assert run("register", bank)[0].exit_code == 0
    result, _ = run("services", "import", _services(tmp_path))
    assert result.exit_code == 0, result.stderr
    result, _ = run("letters", "feedback", "--all")
    assert result.exit_code == 1  # no report yet: its numbers come first

    result, report = run("report", "--date", "2026-12-28")
    assert result.exit_code == 0, result.stderr
    _, register = run("letters", "list")
    numbered = {x["org"]: x["number"] for x in register if x["kind"] == "feedback"}
    result, data = run("letters", "feedback", "--org", "某银行团支部", "--date", "2026-12-30")
    assert result.exit_code == 0, result.stderr
    assert data["numbers"] == [numbered["某银行团支部"]]
    html = Path(next(p for p in data["combined"] if p.endswith(".html")))
    assert html.name == "合并打印_海岸路社区_某银行团支部_2026-12-30.html"
    text = html.read_text(encoding="utf-8")
    assert "某银行团支部" in text and "2026年12月30日" in text
    grades = {o["org"]: o["grade"] for o in report["orgs"]}
    assert grades["某银行团支部"] in text

    # a withdrawn org leaves the assessment; the others keep their numbers
    assert run("orgs", "withdraw", "烟台山医院团委", "--reason", "撤并")[0].exit_code == 0
    result, data = run("letters", "feedback", "--all")
    assert result.exit_code == 0 and data["numbers"] == [numbered["某银行团支部"]]
    result, again = run("report")
    assert [o["org"] for o in again["orgs"]] == ["某银行团支部"]
    _, register = run("letters", "list")
    assert {(x["kind"], x["status"]) for x in register if x["org"] == "烟台山医院团委"} == {
        ("checkin", "void"),
        ("feedback", "void"),
    }
