"""`orgs list|show|rename|move|withdraw`: corrections after check-in, each one audited
change with a dry run; refusals carry finding codes; withdrawn orgs leave every list and
their letter numbers are never handed out again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from test_register import ID_D, ID_E, LEDGER, member_sheet, store_dump

from shuanggang.store import Workspace

BANK = [[1, "钱红", "女", ID_E, "2003.04", "13905350002", "金融", "周末", "是"]]


@pytest.fixture
def run(cli, ws: Workspace, tmp_path: Path):
    ledger = sm.write_xlsx(tmp_path / "海岸路社区_为民服务实事台账.xlsx", LEDGER)
    assert cli("projects", "import", ledger, "-w", ws.root).exit_code == 0

    def invoke(*args: object) -> tuple[Any, Any]:
        result = cli(*map(str, args), "-w", ws.root, "--json")
        data = json.loads(result.stdout) if result.stdout.strip() else None
        return result, data

    return invoke


def register(run, path: Path, *extra: str) -> dict[str, Any]:
    result, data = run("register", path, "--date", "2026-03-05", *extra)
    assert result.exit_code == 0, result.stderr
    return data[0]


def codes(data: dict[str, Any]) -> list[str]:
    return [f["code"] for f in data["findings"]]


def audit(ws: Workspace) -> list[str]:
    with sqlite3.connect(ws.db_path) as conn:
        return [r[0] for r in conn.execute("SELECT command FROM audit ORDER BY id")]


def test_list_and_show(run, ws: Workspace, tmp_path: Path) -> None:
    first = register(run, member_sheet(tmp_path), "--claim", "2026-01")
    result, data = run("orgs", "list")
    assert result.exit_code == 0
    (org,) = data
    assert org["org"] == "烟台山医院团委" and org["community"] == "海岸路"
    assert org["status"] == "active" and org["members"] == 3 and org["placed"] == 0
    assert org["claims"] == ["2026-01 健康义诊进社区"]
    assert [x["number"] for x in org["letters"]] == [first["letter_number"]]
    result, shown = run("orgs", "show", "烟台山医院团委")
    assert result.exit_code == 0 and shown == org
    result, _ = run("orgs", "show", "烟台山医院")
    assert result.exit_code == 1  # names are not guessed


def test_an_unknown_or_shared_name_is_refused_with_the_candidates(
    run, ws: Workspace, tmp_path: Path
) -> None:
    register(run, member_sheet(tmp_path))
    other = member_sheet(tmp_path, "b.xlsx", rows=BANK, community="民生社区")
    register(run, other, "--org", "烟台山医院团委")
    result, data = run("orgs", "show", "没有这个单位")
    assert result.exit_code == 1 and codes(data) == ["org-not-registered"]
    result, data = run("orgs", "rename", "烟台山医院团委", "新名")
    assert result.exit_code == 1 and codes(data) == ["org-ambiguous"]
    assert "海岸路" in data["findings"][0]["message"] and "民生" in data["findings"][0]["message"]
    result, data = run("orgs", "show", "烟台山医院团委", "--community", "民生")
    assert result.exit_code == 0 and data["members"] == 1
    result, data = run("orgs", "show", "烟台山医院团委", "--community", "没有社区")
    assert result.exit_code == 1 and codes(data) == ["community-unknown"]


def test_rename_keeps_the_number_and_reprints_the_letter(
    run, ws: Workspace, tmp_path: Path
) -> None:
    first = register(run, member_sheet(tmp_path), "--claim", "2026-01")
    old = [Path(p) for p in first["outputs"]]
    assert all(p.exists() for p in old)
    before = store_dump(ws)
    result, data = run("orgs", "rename", "烟台山医院团委", "烟台山医院团委（本部）", "--dry-run")
    assert result.exit_code == 0 and data["status"] == "dry-run" and data["changes"]
    assert store_dump(ws) == before and all(p.exists() for p in old)

    result, data = run("orgs", "rename", "烟台山医院团委", "烟台山医院团委（本部）")
    assert result.exit_code == 0 and data["status"] == "done"
    assert data["letter_number"] == first["letter_number"]
    assert sorted(map(Path, data["removed"])) == sorted(old)
    assert not any(p.exists() for p in old)
    html = next(Path(p) for p in data["outputs"] if p.endswith(".html"))
    assert "烟台山医院团委(本部)" in html.name  # file names are NFKC
    text = html.read_text(encoding="utf-8")
    assert first["letter_number"] in text and "健康义诊进社区" in text
    _, letters = run("letters", "list")
    assert [(x["number"], x["org"], x["status"]) for x in letters] == [
        (first["letter_number"], "烟台山医院团委（本部）", "reprinted")
    ]
    assert audit(ws)[-1] == "orgs rename"
    # the same name again: nothing to do
    result, data = run("orgs", "rename", "烟台山医院团委（本部）", "烟台山医院团委（本部）")
    assert result.exit_code == 0 and data["status"] == "unchanged"


def test_rename_refuses_a_name_taken_in_the_community(run, ws: Workspace, tmp_path: Path) -> None:
    register(run, member_sheet(tmp_path))
    register(run, member_sheet(tmp_path, "b.xlsx", rows=BANK, org="某银行团支部"))
    before = store_dump(ws)
    result, data = run("orgs", "rename", "某银行团支部", "烟台山医院团委")
    assert result.exit_code == 1 and codes(data) == ["org-name-taken"]
    result, data = run("orgs", "rename", "某银行团支部", "  ")
    assert result.exit_code == 1 and codes(data) == ["org-name-empty"]
    assert store_dump(ws) == before


def test_move_releases_claims_and_placements_and_keeps_the_number(
    run, ws: Workspace, tmp_path: Path
) -> None:
    first = register(run, member_sheet(tmp_path), "--claim", "2026-01")
    assert run("assign-branches")[0].exit_code == 0
    _, shown = run("orgs", "show", "烟台山医院团委")
    assert shown["placed"] == 3
    before = store_dump(ws)
    result, data = run("orgs", "move", "烟台山医院团委", "--to", "民生", "--dry-run")
    assert result.exit_code == 0 and data["status"] == "dry-run"
    assert any("2026-01" in line for line in data["changes"])
    assert store_dump(ws) == before

    result, data = run("orgs", "move", "烟台山医院团委", "--to", "民生")
    assert result.exit_code == 0 and data["status"] == "done" and data["community"] == "海岸路"
    assert data["letter_number"] == first["letter_number"]
    assert any("民生_烟台山医院团委" in p for p in data["outputs"])
    assert all("海岸路_" in p for p in data["removed"]) and data["removed"]
    _, shown = run("orgs", "show", "烟台山医院团委")
    assert shown["community"] == "民生" and shown["claims"] == [] and shown["placed"] == 0
    assert shown["letters"][0]["status"] == "reprinted"
    _, projects = run("projects", "list", "--community", "海岸路")
    assert all(p["claimed_by"] == "" for p in projects)
    # the next assign-branches places them in their new community
    _, plan = run("assign-branches")
    assert {b["community"] for b in plan["branches"]} == {"民生"}

    result, data = run("orgs", "move", "烟台山医院团委", "--to", "民生")
    assert result.exit_code == 0 and data["status"] == "unchanged"
    result, data = run("orgs", "move", "烟台山医院团委", "--to", "没有社区")
    assert result.exit_code == 1 and codes(data) == ["community-unknown"]


def test_move_refuses_a_community_where_the_name_is_taken(
    run, ws: Workspace, tmp_path: Path
) -> None:
    register(run, member_sheet(tmp_path))
    register(run, member_sheet(tmp_path, "b.xlsx", rows=BANK, community="民生社区"))
    result, data = run("orgs", "move", "烟台山医院团委", "--community", "海岸路", "--to", "民生")
    assert result.exit_code == 1 and codes(data) == ["org-name-taken"]


def _roster(run, tmp_path: Path, name: str) -> list[tuple]:
    from openpyxl import load_workbook

    target = tmp_path / name
    result, _ = run("export", "roster", "-o", target)
    assert result.exit_code == 0
    rows = load_workbook(target)["团员名册"].iter_rows(min_row=2, values_only=True)
    return [tuple(r[:5]) for r in rows]


def test_register_rename_withdraw_round_trip(run, ws: Workspace, tmp_path: Path) -> None:
    register(run, member_sheet(tmp_path), "--claim", "2026-01")
    register(run, member_sheet(tmp_path, "b.xlsx", rows=BANK, org="某银行团支部"))
    start = _roster(run, tmp_path, "1.xlsx")
    assert {r[0] for r in start} == {"烟台山医院团委", "某银行团支部"} and len(start) == 4

    assert run("orgs", "rename", "烟台山医院团委", "烟台山医院")[0].exit_code == 0
    renamed = _roster(run, tmp_path, "2.xlsx")
    assert [r[2:] for r in renamed] == [r[2:] for r in start]
    assert {r[0] for r in renamed} == {"烟台山医院", "某银行团支部"}

    before = store_dump(ws)
    result, data = run("orgs", "withdraw", "烟台山医院", "--reason", "单位撤并", "--dry-run")
    assert result.exit_code == 0 and data["status"] == "dry-run" and store_dump(ws) == before
    result, data = run(
        "orgs", "withdraw", "烟台山医院", "--reason", "单位撤并", "--date", "2026-05-01"
    )
    assert result.exit_code == 0 and data["status"] == "done"
    assert data["removed"] and not any(Path(p).exists() for p in data["removed"])
    after = _roster(run, tmp_path, "3.xlsx")
    assert after == [r for r in renamed if r[0] == "某银行团支部"]
    _, shown = run("orgs", "show", "烟台山医院")
    assert shown["status"] == "withdrawn" and shown["withdrawn_on"] == "2026-05-01"
    assert shown["members"] == 3 and shown["claims"] == []  # members stay as history
    assert [x["status"] for x in shown["letters"]] == ["void"]
    _, status = run("status")
    assert status["counts"]["orgs"] == 1 and status["counts"]["members"] == 1
    _, projects = run("projects", "list")
    assert all(p["claimed_by"] == "" for p in projects)
    _, plan = run("assign-branches")
    placed = {o for b in plan["branches"] for o in b["orgs"]} | set(plan["flags"])
    assert not any("烟台山医院" in str(o) for o in placed)
    # a withdrawn org is not corrected again
    result, data = run("orgs", "withdraw", "烟台山医院", "--reason", "再次")
    assert result.exit_code == 1 and codes(data) == ["org-withdrawn"]
    result, data = run("orgs", "rename", "烟台山医院", "别的")
    assert result.exit_code == 1 and codes(data) == ["org-withdrawn"]
    assert audit(ws)[-3:] == ["orgs rename", "orgs withdraw", "assign-branches"]


def test_withdrawn_numbers_are_never_reused(run, ws: Workspace, tmp_path: Path) -> None:
    sheet = member_sheet(tmp_path)
    first = register(run, sheet)
    second = register(run, member_sheet(tmp_path, "b.xlsx", rows=BANK, org="某银行团支部"))
    assert run("orgs", "withdraw", "某银行团支部", "--reason", "并入他单位")[0].exit_code == 0
    assert run("orgs", "withdraw", "烟台山医院团委", "--reason", "误报")[0].exit_code == 0
    # a new org gets the next number, not a voided one
    rows = [[1, "赵敏", "女", ID_D, "2002.03", "13905350001", "护理", "周末", "是"]]
    third = register(run, member_sheet(tmp_path, "c.xlsx", rows=rows, org="某学校团委"))
    # the withdrawn org's name again: reactivated, with a new number; its members are free
    again = register(run, sheet)
    numbers = [first["letter_number"], second["letter_number"], third["letter_number"]]
    numbers.append(again["letter_number"])
    assert len(set(numbers)) == 4 and numbers == sorted(numbers)
    assert again["status"] == "registered"
    _, letters = run("letters", "list")
    assert [(x["number"], x["status"]) for x in letters] == [
        (numbers[0], "void"),
        (numbers[1], "void"),
        (numbers[2], "valid"),
        (numbers[3], "valid"),
    ]
    assert letters[0]["org"] is None and "烟台山医院团委" in letters[0]["note"]
    _, orgs = run("orgs", "list")
    assert [(o["org"], o["status"]) for o in orgs] == [
        ("某学校团委", "active"),
        ("某银行团支部", "withdrawn"),
        ("烟台山医院团委", "active"),
    ]


def test_a_member_of_a_withdrawn_org_may_register_with_another(
    run, ws: Workspace, tmp_path: Path
) -> None:
    register(run, member_sheet(tmp_path, "b.xlsx", rows=BANK, org="某银行团支部"))
    elsewhere = member_sheet(tmp_path, "c.xlsx", rows=BANK, org="某学校团委")
    result, data = run("register", elsewhere)
    assert result.exit_code == 1
    assert codes(data[0]) == ["member-registered-elsewhere"]
    assert run("orgs", "withdraw", "某银行团支部", "--reason", "撤并")[0].exit_code == 0
    moved = register(run, elsewhere)
    assert moved["status"] == "registered" and moved["members"] == 1
    _, shown = run("orgs", "show", "某学校团委")
    assert shown["members"] == 1
