"""`merge`: street workspaces (folders or backups) into a district's, with provenance,
re-merges that replace a street's share exactly, conflicts held out and reported, a dry
run, one undoable change, and a district year equal to the one-workspace year."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_register import member_sheet
from test_undo import dump

from shuanggang.demo import play_year, run_demo
from shuanggang.domain.idnumber import make
from shuanggang.resources import samples_dir
from shuanggang.store import Workspace, init_workspace
from shuanggang.store.backup import backup

POSIX = os.name == "posix"
# The demo year's communities, split between two street committees' laptops.
SHARES = {"a": ("民生",), "b": ("海岸路", "进德")}
REPORT_DAY = "2026-12-28"


def _share(samples: Path, folder: Path, communities: tuple[str, ...], single: Path) -> Path:
    """The sample files one street holds: its ledgers, its organisations' sheets, its
    service logs, its rows of the shared consultation log, and the cadre list."""
    with sqlite3.connect(single / "shuanggang.db") as conn:
        mine = {
            r[0]
            for r in conn.execute(
                "SELECT o.name FROM orgs o JOIN communities c ON c.id = o.community_id"
                f" WHERE c.short IN ({','.join('?' * len(communities))})",
                communities,
            )
        }
    folder.mkdir(parents=True)
    for path in samples.iterdir():
        name = path.name
        if (
            (
                ("为民服务实事台账" in name or "服务活动台账" in name)
                and any(f"{c}社区" in name for c in communities)
            )
            or ("团员信息汇总表" in name and name.split("_")[0] in mine)
            or name == "联系点干部名单.xlsx"
        ):
            shutil.copy(path, folder / name)
    for log in samples.glob("*互通协商记录*"):
        book = openpyxl.load_workbook(log)
        sheet = book.active
        assert sheet is not None
        for row in range(sheet.max_row, 3, -1):
            if str(sheet.cell(row, 3).value).removesuffix("社区") not in communities:
                sheet.delete_rows(row)
        book.save(folder / log.name)
    return folder


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo year in one workspace, and the same year kept by two streets."""
    root = tmp_path_factory.mktemp("year")
    single = run_demo(root / "single").workspace.root
    made = {"single": single}
    for key, communities in SHARES.items():
        ws = init_workspace(root / f"street_{key}", district="芝罘区", year=2026)
        play_year(ws, _share(samples_dir(), root / f"in_{key}", communities, single))
        made[key] = ws.root
    made["b.zip"] = backup(Workspace(made["b"]), root / "street_b.zip")
    return made


@pytest.fixture
def district(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "district", district="芝罘区", year=2026)


def run(cli, ws: Workspace, *args: object) -> tuple[int, Any]:
    result = cli(*map(str, args), "-w", ws.root, "--json")
    assert result.exception is None, result.exception
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def counts(db: Path, where: str = "") -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t} {where}").fetchone()[0]
            for t in (
                *("orgs", "members", "projects", "claims", "branches", "services"),
                *("consultations", "branch_members", "liaisons"),
            )
        }


def codes(data: dict[str, Any]) -> list[str]:
    return [f["code"] for s in data["sources"] for f in s["findings"]]


def without_outputs(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "outputs"}


def test_two_streets_a_folder_and_a_backup_make_the_one_workspace_year(
    cli, year: dict[str, Path], district: Workspace
) -> None:
    code, data = run(cli, district, "merge", year["a"], year["b.zip"])
    # both streets numbered their check-in letters from 001: those are the only conflicts
    assert set(codes(data)) == {"merge-letter-number"} and code == 1
    kinds = [s["kind"] for s in data["sources"]]
    assert kinds == ["workspace", "backup"]
    single = year["single"] / "shuanggang.db"
    merged = counts(district.db_path)
    # liaison points are planned over the places each workspace saw, so the streets' own
    # plans differ from one district plan; everything else is the same year
    assert {**merged, "liaisons": 0} == {**counts(single), "liaisons": 0}
    # every row a street brought names it
    assert counts(district.db_path, "WHERE source_id IS NULL") == dict.fromkeys(merged, 0)
    with sqlite3.connect(district.db_path) as conn:
        archived = {r[0] for r in conn.execute("SELECT hash FROM files")}
    for digest in archived:
        assert list(district.archive_dir.glob(f"{digest[:2]}/{digest}*"))
    _, alone = run(
        cli, Workspace(year["single"]), "report", "--date", REPORT_DAY, "--letters", "none"
    )
    code, together = run(cli, district, "report", "--date", REPORT_DAY, "--letters", "none")
    assert code == 0
    assert without_outputs(together) == without_outputs(alone)
    # status: what each street brought, and when
    _, status = run(cli, district, "status")
    shares = {s["streets"]: s for s in status["sources"]}
    assert len(status["sources"]) == 2 and set(shares) == {"东山街道"}
    by_kind = {s["kind"]: s for s in status["sources"]}
    assert by_kind["backup"]["counts"]["members"] == counts(year["b"] / "shuanggang.db")["members"]
    assert by_kind["workspace"]["merged_at"] and by_kind["workspace"]["changed_at"]
    # export reads across streets
    result = cli("export", "roster", "-o", district.root.parent / "名册.xlsx", "-w", district.root)
    assert result.exit_code == 0
    # certificates: the same as the single workspace's, for members of both streets
    args = ("certificates", "--all", "--letters", "none", "--date", REPORT_DAY)
    _, single = run(cli, Workspace(year["single"]), *args)
    code, merged_proofs = run(cli, district, *args)
    assert code == 0

    def proofs(data: dict) -> list[tuple]:
        return sorted(
            (c["org"], c["name"], c["minutes"], c["services"]) for c in data["certificates"]
        )

    assert proofs(merged_proofs) == proofs(single) and len(single["certificates"]) > 100


def _street_b_rows(db: Path) -> dict[str, list[tuple]]:
    whole = dump(db)
    with sqlite3.connect(db) as conn:
        (sid,) = conn.execute("SELECT id FROM sources WHERE path LIKE '%street_b%'").fetchone()
    return {
        table: [r for r in rows if sid in r[-1:]]
        for table, rows in whole.items()
        if table not in ("sources", "workspace")
    }


def test_merging_an_updated_street_again_replaces_its_share_exactly(
    cli, year: dict[str, Path], district: Workspace, tmp_path: Path
) -> None:
    street = Workspace(shutil.copytree(year["a"], tmp_path / "street_a"))
    run(cli, district, "merge", street.root, year["b.zip"])
    before = counts(district.db_path)
    theirs = _street_b_rows(district.db_path)
    code, data = run(cli, district, "merge", street.root)
    assert code == 0 and data["sources"][0]["replaced"] is True
    assert counts(district.db_path) == before  # nothing twice
    # the street withdraws an organisation and sends its workspace again
    code, _ = run(cli, street, "orgs", "withdraw", "中国银行烟台分行团委", "--reason", "撤销")
    assert code == 0
    code, data = run(cli, district, "merge", street.root)
    assert code == 0
    _, orgs = run(cli, district, "orgs", "list")
    assert {o["org"]: o["status"] for o in orgs}["中国银行烟台分行团委"] == "withdrawn"
    with sqlite3.connect(district.db_path) as conn, sqlite3.connect(street.db_path) as mine:
        for table in ("members", "services", "letters", "claims", "consultations"):
            (n,) = conn.execute(
                f"SELECT count(*) FROM {table} WHERE source_id ="
                " (SELECT id FROM sources WHERE path LIKE '%street_a%')"
            ).fetchone()
            assert n == mine.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    assert _street_b_rows(district.db_path) == theirs  # the other street untouched
    # one merge, one change: history lists it and undo takes it back
    _, history = run(cli, district, "history")
    assert history[0]["command"] == "merge"
    state = dump(district.db_path)
    run(cli, district, "merge", year["b"])
    code, _ = run(cli, district, "undo")
    assert code == 0 and dump(district.db_path) == state


def _intruder(folder: Path, id_number: str, name: str) -> Workspace:
    """A street (向阳) whose organisation registered someone street a registered too."""
    ws = init_workspace(folder / "ws", district="芝罘区", year=2026)
    newcomer = make("370602", date(2001, 2, 3), 17)
    rows = [
        [1, name, "女", id_number, "2003.04", "13905350002", "金融", "周末", "是"],
        [2, "新人", "男", newcomer, "", "13905350003", "教育", "周末", "是"],
    ]
    sheet = member_sheet(folder, "岛.xlsx", rows=rows, community="所城里社区", org="海岛渔业团支部")
    result = subprocess_free_register(ws, sheet)
    assert result, "registered"
    return ws


def subprocess_free_register(ws: Workspace, sheet: Path) -> bool:
    from typer.testing import CliRunner

    from shuanggang.cli import app

    outcome = CliRunner().invoke(app, ["register", str(sheet), "-w", str(ws.root), "-q"])
    return outcome.exit_code == 0


def _a_member(street: Path) -> tuple[str, str, str]:
    with sqlite3.connect(street / "shuanggang.db") as conn:
        row = conn.execute(
            "SELECT m.id_number, m.name, o.name FROM members m JOIN orgs o ON o.id = m.org_id"
            " ORDER BY m.id LIMIT 1"
        ).fetchone()
    return row[0], row[1], row[2]


def test_a_member_registered_in_two_streets_is_held_out_and_named(
    cli, year: dict[str, Path], district: Workspace, tmp_path: Path
) -> None:
    id_number, name, org = _a_member(year["a"])
    island = _intruder(tmp_path, id_number, name)
    run(cli, district, "merge", year["a"])
    state = dump(district.db_path)
    code, data = run(cli, district, "merge", island.root, "--dry-run")
    assert code == 1 and codes(data) == ["merge-member-twice"]
    assert dump(district.db_path) == state  # a dry run changes nothing
    code, data = run(cli, district, "merge", island.root)
    assert code == 1 and codes(data) == ["merge-member-twice"]
    (finding,) = data["sources"][0]["findings"]
    assert org in finding["message"] and "海岛渔业团支部" in finding["message"]
    assert id_number not in json.dumps(data, ensure_ascii=False)  # masked
    assert data["sources"][0]["held"] == 1
    with sqlite3.connect(district.db_path) as conn:
        holder = conn.execute(
            "SELECT o.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE id_number = ?",
            (id_number,),
        ).fetchone()
        assert holder == (org,)
        (n,) = conn.execute(
            "SELECT count(*) FROM members m JOIN orgs o ON o.id = m.org_id"
            " WHERE o.name = '海岛渔业团支部'"
        ).fetchone()
        assert n == 1  # the rest of the organisation came across
    # once one side withdraws, the other side's member comes across
    code, _ = run(cli, district, "orgs", "withdraw", org, "--reason", "重复报到")
    assert code == 0
    code, data = run(cli, district, "merge", island.root)
    assert code == 0 and codes(data) == []
    with sqlite3.connect(district.db_path) as conn:
        holder = conn.execute(
            "SELECT o.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE id_number = ?",
            (id_number,),
        ).fetchone()
    assert holder == ("海岛渔业团支部",)


def test_an_org_registered_in_two_streets_is_held_out(
    cli, year: dict[str, Path], district: Workspace, tmp_path: Path
) -> None:
    twin = init_workspace(tmp_path / "twin", district="芝罘区", year=2026)
    sheet = member_sheet(tmp_path, "twin.xlsx", community="所城里社区", org="中国银行烟台分行团委")
    assert subprocess_free_register(twin, sheet)
    run(cli, district, "merge", year["a"])
    code, data = run(cli, district, "merge", twin.root)
    assert code == 1 and codes(data) == ["merge-org-twice"]
    assert "民生" in data["sources"][0]["findings"][0]["message"]


def test_a_workspace_is_not_merged_into_itself_nor_another_year(
    cli, district: Workspace, tmp_path: Path
) -> None:
    copy = shutil.copytree(district.root, tmp_path / "copy")
    code, _ = run(cli, district, "merge", copy)
    assert code == 1
    other = init_workspace(tmp_path / "2025", district="芝罘区", year=2025)
    result = cli("merge", other.root, "-w", district.root)
    assert result.exit_code == 1 and "2025" in result.stderr
    result = cli("merge", tmp_path / "nothing", "-w", district.root)
    assert result.exit_code == 1 and result.exception is None


def _big_street(folder: Path, year: dict[str, Path]) -> Path:
    """Street a with its services repeated until a merge of it takes a while."""
    street = shutil.copytree(year["a"], folder)
    with sqlite3.connect(street / "shuanggang.db") as conn:
        for _ in range(9):  # 2**9 times the services
            conn.execute(
                "INSERT INTO services (file_hash, source_cell, date, community_id, org_id,"
                " branch_id, project_id, member_id, minutes, beneficiaries, content, rating)"
                " SELECT file_hash, source_cell, date, community_id, org_id, branch_id,"
                " project_id, member_id, minutes, beneficiaries, content, rating FROM services"
            )
    return street


@pytest.mark.skipif(not POSIX, reason="SIGKILL is POSIX")
def test_a_merge_killed_midway_leaves_the_district_as_it_was(
    cli, year: dict[str, Path], district: Workspace, tmp_path: Path
) -> None:
    run(cli, district, "merge", year["b"])
    street = _big_street(tmp_path / "big", year)
    before = dump(district.db_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "shuanggang", "merge", str(street), "-q", "-w", str(district.root)]
    )
    probe = sqlite3.connect(district.db_path, timeout=0, isolation_level=None)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:  # the merge holds the write lock while it writes: kill it then
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    probe.close()
    assert proc.returncode == -signal.SIGKILL, "the merge ended before it could be killed"
    with sqlite3.connect(district.db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert dump(district.db_path) == before
    _, data = run(cli, district, "merge", street)
    assert set(codes(data)) == {"merge-letter-number"}  # both streets numbered from 001
    assert data["sources"][0]["counts"]["services"] > 10_000
