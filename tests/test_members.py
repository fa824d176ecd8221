"""`members find|show|update|leave|return` through the CLI: masked output, --dry-run,
coded refusals, audited changes; a member who left and the year's participation."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from openpyxl import load_workbook
from test_register import ID_D, store_dump
from test_report import (
    PER_MEMBER,
    year,  # noqa: F401  (the fixture: two orgs registered)
)

from shuanggang.store import Workspace

A, B, C = sm.ID_A, sm.ID_B, sm.ID_C  # 张伟, 李娜, 王强 of 烟台山医院团委
SECRETS = (A, B, C, ID_D, "13805351234", "13805354321")


@pytest.fixture(autouse=True)
def _late_in_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shuanggang.clock.today", lambda: date(2026, 12, 20))


@pytest.fixture
def members(year, ws: Workspace, tmp_path: Path):  # noqa: F811
    """The report fixture's year (two orgs, four members) with its service log imported;
    runs `members …` and returns (result, parsed --json or None)."""
    result, _ = year("services", "import", sm.write_xlsx(tmp_path / "log.xlsx", PER_MEMBER))
    assert result.exit_code == 0

    def run(*args: object):
        return year("members", *args)

    return run


def audit(ws: Workspace, command: str) -> int:
    conn = sqlite3.connect(ws.db_path)
    (n,) = conn.execute("SELECT count(*) FROM audit WHERE command = ?", (command,)).fetchone()
    conn.close()
    return int(n)


def unmasked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


# --- find and show ---------------------------------------------------------------------


def test_find_by_name_id_tail_and_phone_tail_masked(members, cli, ws: Workspace) -> None:
    result, data = members("find", "张伟")
    assert result.exit_code == 0 and len(data) == 2  # one in each organisation
    assert {d["org"] for d in data} == {"烟台山医院团委", "某银行团支部"}
    _, by_id = members("find", A[-6:])
    assert [d["name"] for d in by_id] == ["张伟"] and by_id[0]["id_number"] != A
    _, by_phone = members("find", "4321")
    assert [d["name"] for d in by_phone] == ["李娜"] and by_phone[0]["phone"] == "138****4321"
    shown = cli("members", "find", "张", "-w", ws.root)
    assert shown.exit_code == 0 and "李娜" not in shown.stdout and "张伟" in shown.stdout
    for text in (json.dumps(data, ensure_ascii=False), shown.stdout):
        assert not unmasked(text)


def test_find_refuses_a_tail_too_short(members) -> None:
    result, data = members("find", "123")
    assert result.exit_code == 1 and data["code"] == "find-text-too-short"


def test_show_every_field_status_and_totals(members, cli, ws: Workspace) -> None:
    result, data = members("show", A)
    assert result.exit_code == 0
    assert data["fields"]["name"] == "张伟" and data["fields"]["birth"] == "2000-05"
    assert data["fields"]["id_number"] == "370602********" + A[-4:]
    assert set(data["fields"]) >= {"joined", "home_branch", "education", "ethnicity", "remark"}
    assert (data["status"], data["services"], data["hours"]) == ("在册", 1, 2.0)
    assert data["org"] == "烟台山医院团委" and data["community"] == "海岸路"
    screen = cli("members", "show", A, "-w", ws.root)
    assert screen.exit_code == 0 and "服务合计" in screen.stdout
    assert not unmasked(screen.stdout + json.dumps(data, ensure_ascii=False))


def test_an_unknown_id_is_refused_with_the_nearest_masked(members) -> None:
    wrong = A[:-2] + ("0" if A[-2] != "0" else "1") + A[-1]
    result, data = members("show", wrong)
    assert result.exit_code == 1 and data["code"] == "member-unknown"
    assert "370602********" + A[-4:] in data["nearest"]
    assert not unmasked(result.stdout)


# --- update ----------------------------------------------------------------------------


def test_update_recomputes_category_and_releases_the_branch(members, year, ws: Workspace) -> None:  # noqa: F811
    assert year("assign-branches")[0].exit_code == 0
    before = store_dump(ws)
    result, data = members("update", A, "--specialty", "律师", "--dry-run")
    assert result.exit_code == 0 and data["dry_run"] and data["released"]
    assert store_dump(ws) == before and audit(ws, "members update") == 0
    result, data = members("update", A, "--specialty", "律师", "--availability", "工作日晚上")
    assert result.exit_code == 0 and data["status"] == "changed" and data["released"]
    changed = {c["field"]: c["after"] for c in data["changes"]}
    assert changed["category"] == "法律服务" and changed["slots"] == "工作日晚上"
    assert audit(ws, "members update") == 1
    _, shown = members("show", A)
    assert (shown["category"], shown["branch"]) == ("法律服务", "")


def test_update_a_remark_keeps_the_branch(members, year, ws: Workspace) -> None:  # noqa: F811
    year("assign-branches")
    _, placed = members("show", B)
    result, data = members("update", B, "--remark", "已换岗", "--league-post", "组织委员")
    assert result.exit_code == 0 and not data["released"]
    _, shown = members("show", B)
    assert shown["branch"] == placed["branch"] != ""
    assert shown["fields"]["remark"] == "已换岗"


def test_update_validates_as_the_reader_does(members, ws: Workspace) -> None:
    before = store_dump(ws)
    result, data = members("update", A, "--phone", "12345")
    assert result.exit_code == 1 and data["code"] == "phone-invalid"
    result, data = members("update", A, "--name", " ")
    assert result.exit_code == 1 and data["code"] == "required-missing"
    assert store_dump(ws) == before
    result, data = members("update", A, "--phone", "+86 139-0535-0000")
    assert result.exit_code == 0 and data["changes"][0]["after"] == "139****0000"
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("SELECT phone FROM members WHERE id_number = ?", (A,)).fetchone() == (
        "13905350000",
    )
    conn.close()
    result, data = members("update", A, "--phone", "0535-6612345")
    assert result.exit_code == 0 and [f["code"] for f in data["findings"]] == ["phone-landline"]


def test_an_update_that_changes_nothing_is_not_recorded(members, ws: Workspace) -> None:
    result, data = members("update", A, "--specialty", "临床医学")
    assert result.exit_code == 0 and data["status"] == "unchanged"
    assert audit(ws, "members update") == 0


def test_update_needs_something_to_change(members) -> None:
    result, _ = members("update", A)
    assert result.exit_code == 2


# --- leave and return ------------------------------------------------------------------


def test_leave_and_return(members, year, ws: Workspace, tmp_path: Path) -> None:  # noqa: F811
    year("assign-branches")
    before = store_dump(ws)
    result, data = members("leave", C, "--date", "2026-05-01", "--dry-run")
    assert result.exit_code == 0 and data["dry_run"] and store_dump(ws) == before
    result, data = members("leave", C, "--date", "2026-05-01", "--reason", "调离")
    assert result.exit_code == 0 and data["member"]["status"] == "已调离（2026-05-01）"
    assert data["released"] and audit(ws, "members leave") == 1
    result, data = members("leave", C, "--date", "2026-06-01")
    assert result.exit_code == 1 and data["code"] == "member-already-left"
    # assign-branches places only members still 在册; the history stays
    _, plan = year("assign-branches")
    assert sum(b["members"] for b in plan["branches"]) == 3
    roster = tmp_path / "名册.xlsx"
    assert year("export", "roster", "-o", roster)[0].exit_code == 0
    sheet = load_workbook(roster)["团员名册"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("身份证号")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[C][header.index("状态")] == "已调离（2026-05-01）"
    assert rows[C][header.index("离团原因")] == "调离"
    assert rows[A][header.index("状态")] == "在册"
    assert {"入团年月", "所在团支部", "团内职务", "工作单位及职务", "学历", "政治面貌"} <= set(
        header
    )
    assert {"居住社区", "兴趣爱好", "备注", "民族", "团员编号", "服务意向"} <= set(header)
    # return
    result, data = members("return", C, "--dry-run")
    assert result.exit_code == 0 and data["member"]["status"] == "在册"
    assert members("show", C)[1]["status"] == "已调离（2026-05-01）"
    result, data = members("return", C)
    assert result.exit_code == 0 and audit(ws, "members return") == 1
    assert members("show", C)[1]["status"] == "在册"
    result, data = members("return", C)
    assert result.exit_code == 1 and data["code"] == "member-not-left"


@pytest.mark.parametrize(
    ("day", "code"),
    [
        ("2026-12-21", "leave-date-future"),
        ("2025-12-31", "leave-date-before-year"),
        ("2026-02-30", "leave-date-invalid"),
        ("五月", "leave-date-invalid"),
    ],
)
def test_a_leaving_date_out_of_sense_is_refused(members, ws: Workspace, day, code) -> None:
    before = store_dump(ws)
    result, data = members("leave", A, "--date", day)
    assert result.exit_code == 1 and data["code"] == code
    assert store_dump(ws) == before


def test_an_unknown_reason_is_a_usage_error(members) -> None:
    result, _ = members("leave", A, "--date", "2026-05-01", "--reason", "不想干了")
    assert result.exit_code == 2


# --- the year's participation ----------------------------------------------------------


def hospital(report: dict[str, Any]) -> dict[str, Any]:
    (org,) = [o for o in report["orgs"] if o["org"] == "烟台山医院团委"]
    return org


def test_a_member_who_left_mid_year_changes_participation(members, year) -> None:  # noqa: F811
    """The hospital has 3 members; 张伟 (2 h, March) and 李娜 (1.5 h, April) served.
    李娜 leaving in May, having served, still counts; 王强 leaving in May without having
    served is out of the year: 2 members, both active."""
    _, first = year("report", "--letters", "none", "--date", "2026-12-28")
    raw = figures(first)
    assert raw["participation"] == round(2 / 3, 4)
    assert raw["hours"] == round(3.5 / 3, 4)
    members("leave", B, "--date", "2026-05-01")
    _, same = year("report", "--letters", "none", "--date", "2026-12-28")
    assert figures(same) == raw and hospital(same)["parts"] == hospital(first)["parts"]
    members("leave", C, "--date", "2026-05-01", "--reason", "超龄离团")
    _, after = year("report", "--letters", "none", "--date", "2026-12-28")
    raw = figures(after)
    assert raw["participation"] == 1.0
    assert raw["hours"] == round(3.5 / 2, 4)
    assert raw["activities"] == round(2 / 2, 4)


def figures(report: dict[str, Any]) -> dict[str, Any]:
    """The hospital's raw figures (before shrinking and scoring)."""
    return {i["item"]: i["raw"] for i in hospital(report)["items"]}


def test_who_a_year_counts(members, ws: Workspace) -> None:
    """Left before the year: not counted. Left on the day of their only service: that
    service was not before leaving, so not counted. Left after the year: 在册."""
    from shuanggang.store import yearly

    conn = sqlite3.connect(ws.db_path)
    with conn:
        conn.execute("UPDATE members SET left_on = '2025-12-31' WHERE id_number = ?", (C,))
        conn.execute("UPDATE members SET left_on = '2026-04-11' WHERE id_number = ?", (B,))
        conn.execute("UPDATE members SET left_on = '2027-01-05' WHERE id_number = ?", (A,))
    conn.close()
    store = ws.open_store()
    try:
        facts = {o.name: f for o, f in yearly.org_years(store, 2026).items()}
        people = {m.id_number: m for m in yearly.member_years(store, 2026)}
        communities = {c.community: c.members for c in yearly.community_years(store, 2026)}
    finally:
        store.close()
    hospital = facts["烟台山医院团委"]
    assert (hospital.members, hospital.active, hospital.services) == (1, 1, 2)
    assert set(people) == {A, ID_D} and people[A].left_on == ""
    assert communities["海岸路"] == 2  # 张伟 of the hospital, 张伟 of the bank


def test_a_member_who_left_is_not_recommended(members, ws: Workspace) -> None:
    from shuanggang.workflow.report import _member_years

    settings = ws.settings()
    settings = replace(
        settings,
        recommendation=replace(settings.recommendation, min_activities=1, min_hours=1),
    )
    members("leave", B, "--date", "2026-05-01")
    store = ws.open_store()
    try:
        eligible = {m.key: (m.eligible, m.why_not) for m in _member_years(store, settings, 2026)}
    finally:
        store.close()
    assert eligible[A] == (True, "")
    assert eligible[B] == (False, "已于 2026-05-01 离团")


def test_a_new_list_without_a_member_who_left_keeps_their_history(cli, ws, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    import sheetmaker as sm
    from test_register import member_sheet
    from test_report import PER_MEMBER

    cli("register", member_sheet(tmp_path), "--letters", "none", "-w", ws.root)
    cli("services", "import", sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER), "-w", ws.root)
    assert cli("members", "leave", sm.ID_B, "--date", "2026-05-01", "--reason", "调离",
               "-w", ws.root).exit_code == 0  # fmt: skip
    without = member_sheet(tmp_path, "新.xlsx", rows=[sm.MEMBERS[0], sm.MEMBERS[2]])
    result = cli("register", without, "--letters", "none", "--json", "-w", ws.root)
    (data,) = json.loads(result.stdout)
    assert data["status"] == "unchanged"  # the list says what the store says: she left
    status = json.loads(cli("status", "--json", "-w", ws.root).stdout)
    assert status["counts"]["members"] == 3 and status["counts"]["services"] == 2
