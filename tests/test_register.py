"""`register`, `projects` and `export` through the CLI: statuses, conflicts, --replace,
--dry-run, claims, letter numbers, and a rejected file leaving the store as it was."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm

from shuanggang.domain.idnumber import make
from shuanggang.store import Workspace

LEDGER: list[list[Any]] = [
    ["海岸路社区为民服务实事台账"],
    ["填报单位：东山街道海岸路社区团支部"],
    ["编号", "项目名称", "服务类别", "服务时间", "需求人数", "联系人", "联系电话"],
    ["2026-01", "健康义诊进社区", "义诊服务", "每月第二个周六上午", 6, "陈月可", "0535-6218227"],
    ["2026-02", "法律咨询服务站", "法律服务", "每月第一个周六上午", 3, "陈月可", "0535-6218227"],
    ["2026-03", "小家电义务维修", "科技服务", "周日上午", 4, "陈月可", "17792306451"],
    [],
    ["社区团支部书记：陈月可    联系电话：17792306451"],
]
ID_D = make("370602", date(2002, 3, 9), 554)
ID_E = make("370602", date(2003, 4, 10), 664)


def member_sheet(
    folder: Path,
    name: str = "医院.xlsx",
    rows=None,
    community: str = "海岸路社区",
    org: str = "烟台山医院团委",
) -> Path:
    table = sm.office_rows(rows=rows or sm.MEMBERS)
    table[1] = [f"填表单位（盖章）：{org}      填表日期：2026年3月5日"]
    table[2] = [f"报到社区：{community}"]
    return sm.write_xlsx(folder / name, table)


@pytest.fixture
def ceremony(cli, ws: Workspace, tmp_path: Path):
    ledger = sm.write_xlsx(tmp_path / "海岸路社区_为民服务实事台账.xlsx", LEDGER)
    result = cli("projects", "import", ledger, "-w", ws.root)
    assert result.exit_code == 0, result.stderr

    def register(*args: object, json_out: bool = True):
        extra = ["--json"] if json_out else []
        outcome = cli("register", *map(str, args), "-w", ws.root, "--date", "2026-03-05", *extra)
        data = json.loads(outcome.stdout) if json_out and outcome.stdout.strip() else None
        return outcome, data

    return register


def store_dump(ws: Workspace) -> list[tuple]:
    """Every row of every table but the audit trail: the store's content."""
    conn = sqlite3.connect(ws.db_path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit')"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    dump = [(t, *row) for t in tables for row in conn.execute(f"SELECT * FROM {t} ORDER BY 1")]
    conn.close()
    return dump


def test_register_stores_archives_and_writes_letters(ceremony, ws: Workspace, tmp_path: Path):
    result, data = ceremony(member_sheet(tmp_path), "--claim", "2026-01")
    assert result.exit_code == 0, result.stdout + result.stderr
    (entry,) = data
    assert entry["status"] == "registered"
    assert (entry["org"], entry["community"], entry["members"]) == ("烟台山医院团委", "海岸路", 3)
    assert entry["letter_number"] == "芝团报〔2026〕001号"
    assert entry["claimed"] == ["2026-01 健康义诊进社区"]
    outputs = [Path(p) for p in entry["outputs"]]
    assert sorted(p.suffix for p in outputs) == [".docx", ".html"]
    assert all(p.is_file() and p.is_relative_to(ws.out_dir) for p in outputs)
    assert len(list(ws.archive_dir.rglob("*.xlsx"))) == 2  # the ledger and the member sheet
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 3
    assert conn.execute("SELECT consent FROM orgs").fetchone()[0] == 1  # 2 是, 1 否


def test_same_file_again_is_unchanged_and_changes_nothing(
    ceremony, ws: Workspace, tmp_path: Path
) -> None:
    path = member_sheet(tmp_path)
    ceremony(path)
    before = store_dump(ws)
    audits = sqlite3.connect(ws.db_path).execute("SELECT count(*) FROM audit").fetchone()[0]
    result, data = ceremony(path)
    assert result.exit_code == 0 and data[0]["status"] == "unchanged"
    assert data[0]["letter_number"] == "芝团报〔2026〕001号"
    assert store_dump(ws) == before
    assert sqlite3.connect(ws.db_path).execute("SELECT count(*) FROM audit").fetchone()[0] == audits


def test_changed_sheet_needs_replace_and_keeps_the_number(
    ceremony, ws: Workspace, tmp_path: Path
) -> None:
    ceremony(member_sheet(tmp_path))
    conn = sqlite3.connect(ws.db_path)
    kept_row = conn.execute("SELECT id FROM members WHERE id_number = ?", (sm.ID_A,)).fetchone()
    changed = member_sheet(
        tmp_path,
        "医院_新.xlsx",
        rows=[
            sm.MEMBERS[0],
            [2, "赵敏", "女", ID_D, "2002.03", "13905350001", "护理", "周末", "是"],
        ],
    )
    before = store_dump(ws)
    refused, data = ceremony(changed)
    assert refused.exit_code == 1 and data[0]["status"] == "rejected"
    assert "--replace" in json.dumps(data, ensure_ascii=False)
    assert store_dump(ws) == before
    replaced, data = ceremony(changed, "--replace")
    assert replaced.exit_code == 0, replaced.stdout
    assert (data[0]["status"], data[0]["letter_number"]) == ("replaced", "芝团报〔2026〕001号")
    assert (data[0]["dropped_members"], data[0]["dropped_services"]) == (2, 0)
    ids = {r[0] for r in conn.execute("SELECT id_number FROM members")}
    assert ids == {sm.ID_A, ID_D}
    assert (
        conn.execute("SELECT id FROM members WHERE id_number = ?", (sm.ID_A,)).fetchone()
        == kept_row
    )  # the member who stayed kept their row


def test_member_of_another_org_rejects_the_file(
    ceremony, cli, ws: Workspace, tmp_path: Path
) -> None:
    ceremony(member_sheet(tmp_path))
    export_before = tmp_path / "before.xlsx"
    cli("export", "roster", "-o", export_before, "-w", ws.root)
    other = member_sheet(
        tmp_path,
        "银行.xlsx",
        org="中国银行烟台分行团委",
        rows=[
            [1, "赵敏", "女", ID_D, "2002.03", "13905350001", "金融", "周末", "是"],
            [2, "王强", "男", sm.ID_C, "199912", "13905356789", "家电维修", "周六上午", "否"],
        ],
    )
    result, data = ceremony(other)
    assert result.exit_code == 1 and data[0]["status"] == "rejected"
    (finding,) = [f for f in data[0]["findings"] if f["field"] == "id_number"]
    assert (finding["code"], finding["cell"]) == ("member-registered-elsewhere", "D6")
    assert "烟台山医院团委" in finding["message"]  # names the org that registered them
    assert sm.ID_C not in result.stdout and finding["value"].startswith("370613")
    export_after = tmp_path / "after.xlsx"
    cli("export", "roster", "-o", export_after, "-w", ws.root)
    assert export_after.read_bytes() == export_before.read_bytes()


def test_dry_run_changes_and_writes_nothing(ceremony, ws: Workspace, tmp_path: Path) -> None:
    before = store_dump(ws)
    archived = sorted(ws.archive_dir.rglob("*"))
    result, data = ceremony(member_sheet(tmp_path), "--dry-run", "--claim", "2026-02")
    assert result.exit_code == 0
    assert data[0]["status"] == "registered" and data[0]["outputs"] == []
    assert data[0]["claimed"] == ["2026-02 法律咨询服务站"]
    assert store_dump(ws) == before
    assert list(ws.out_dir.rglob("*")) == [] and sorted(ws.archive_dir.rglob("*")) == archived


def test_unknown_or_missing_community(ceremony, ws: Workspace, tmp_path: Path) -> None:
    result, data = ceremony(member_sheet(tmp_path, community="海防赢社区"))
    assert result.exit_code == 1
    (unknown,) = [f for f in data[0]["findings"] if f["code"] == "community-unknown"]
    assert "海防营社区" in unknown["hint"]  # the closest known community
    bare = sm.write_xlsx(tmp_path / "无社区.xlsx", [sm.HEADER, *sm.MEMBERS])
    result, data = ceremony(bare)
    assert result.exit_code == 1
    assert [f["code"] for f in data[0]["findings"]] == ["community-missing"]
    result, data = ceremony(bare, "--community", "海岸路", "--org", "某公司团支部")
    assert result.exit_code == 0 and data[0]["org"] == "某公司团支部"


def test_claims(ceremony, cli, ws: Workspace, tmp_path: Path) -> None:
    result, data = ceremony(member_sheet(tmp_path), "--claim", "2026-09")
    assert result.exit_code == 1
    (finding,) = data[0]["findings"]
    assert finding["code"] == "claim-unknown" and "2026-09" in finding["message"]
    assert all(n in finding["hint"] for n in ("2026-01", "2026-02", "2026-03"))  # claimable
    result, data = ceremony(member_sheet(tmp_path))
    assert data[0]["suggested_projects"][0]["project_no"] == "2026-01"
    listing = cli("projects", "list", "--json", "-w", ws.root)
    assert [p["claimed_by"] for p in json.loads(listing.stdout)] == ["", "", ""]
    result, data = ceremony(member_sheet(tmp_path), "--claim", "2026-01，2026-03")
    assert data[0]["status"] == "unchanged" and len(data[0]["claimed"]) == 2
    assert data[0]["outputs"], "new claims rewrite the letter"
    listing = json.loads(cli("projects", "list", "--json", "-w", ws.root).stdout)
    assert [p["claimed_by"] for p in listing] == ["烟台山医院团委", "", "烟台山医院团委"]


def test_ledger_reimport_keeps_claims(ceremony, cli, ws: Workspace, tmp_path: Path) -> None:
    ceremony(member_sheet(tmp_path), "--claim", "2026-01")
    changed = [row[:] for row in LEDGER]
    changed[3][1] = "健康义诊进社区（每月）"
    del changed[3 + 1 : 3 + 3]  # drop 2026-02 (unclaimed) and 2026-03
    path = sm.write_xlsx(tmp_path / "海岸路社区_为民服务实事台账_v2.xlsx", changed)
    result = cli("projects", "import", path, "--json", "-w", ws.root)
    assert result.exit_code == 0
    (entry,) = json.loads(result.stdout)
    assert (entry["added"], entry["updated"], entry["kept_claimed"]) == (0, 1, [])
    listing = json.loads(cli("projects", "list", "--json", "-w", ws.root).stdout)
    assert [(p["project_no"], p["title"], p["claimed_by"]) for p in listing] == [
        ("2026-01", "健康义诊进社区（每月）", "烟台山医院团委")
    ]  # as written: full-width brackets kept


def test_wrong_kind_of_sheet(ceremony, tmp_path: Path) -> None:
    ledger = sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER)
    result, data = ceremony(ledger)
    assert result.exit_code == 1
    assert data[0]["findings"][-1]["code"] == "file-wrong-kind"


def test_numbers_run_per_street(ceremony, ws: Workspace, tmp_path: Path) -> None:
    _, first = ceremony(member_sheet(tmp_path, "a.xlsx"))
    _, other_street = ceremony(
        member_sheet(
            tmp_path,
            "b.xlsx",
            org="向阳小学团委",
            community="友谊街社区",
            rows=[[1, "赵敏", "女", ID_D, "2002.03", "13905350001", "课业辅导", "周末", "是"]],
        )
    )
    _, second = ceremony(
        member_sheet(
            tmp_path,
            "c.xlsx",
            org="某银行团支部",
            rows=[[1, "钱红", "女", ID_E, "2003.04", "13905350002", "金融", "周末", "是"]],
        )
    )
    numbers = [d[0]["letter_number"] for d in (first, other_street, second)]
    assert numbers == ["芝团报〔2026〕001号", "芝团报〔2026〕001号", "芝团报〔2026〕002号"]
    conn = sqlite3.connect(ws.db_path)
    assert sorted(conn.execute("SELECT issuer, seq FROM letters")) == [
        ("东山街道", 1),
        ("东山街道", 2),
        ("向阳街道", 1),
    ]


def test_several_files_get_a_combined_print_file(ceremony, ws: Workspace, tmp_path: Path) -> None:
    a = member_sheet(tmp_path, "a.xlsx")
    b = member_sheet(
        tmp_path,
        "b.xlsx",
        org="某银行团支部",
        rows=[[1, "钱红", "女", ID_E, "2003.04", "13905350002", "金融", "周末", "是"]],
    )
    result, data = ceremony(a, b)
    assert result.exit_code == 0
    combined = [p for p in data[0]["outputs"] if "合并打印" in p]
    assert len(combined) == 2 and combined == [p for p in data[1]["outputs"] if "合并打印" in p]
    html = Path(next(p for p in combined if p.endswith(".html"))).read_text(encoding="utf-8")
    assert html.count('class="sheet letter"') == 2


def test_outside_a_workspace(cli, tmp_path: Path) -> None:
    result = cli("register", member_sheet(tmp_path))
    assert result.exit_code == 1 and "没有找到工作区" in result.stderr


def test_roster_export_is_styled_and_keeps_ids_as_text(
    ceremony, cli, ws: Workspace, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    ceremony(member_sheet(tmp_path), "--claim", "2026-01")
    target = tmp_path / "名册.xlsx"
    result = cli("export", "roster", "-o", target, "--json", "-w", ws.root)
    assert result.exit_code == 0 and json.loads(result.stdout)["output"] == str(target)
    sheet = load_workbook(target)["团员名册"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["报到单位", "报到社区", "姓名", "性别", "身份证号", "手机号码"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:AA4"
    assert sheet["A1"].font.bold
    ids = [sheet.cell(r, 5) for r in range(2, 5)]
    assert {c.value for c in ids} == {sm.ID_A, sm.ID_B, sm.ID_C}
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    projects = tmp_path / "项目.xlsx"
    cli("export", "projects", "-o", projects, "-w", ws.root)
    rows = list(load_workbook(projects).active.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[10]) for r in rows] == [
        ("2026-01", "烟台山医院团委"),
        ("2026-02", None),
        ("2026-03", None),
    ]


def test_letters_are_derived_missing_ones_are_written_again(
    ceremony, ws: Workspace, tmp_path: Path
) -> None:
    sheet = member_sheet(tmp_path)
    _, data = ceremony(sheet, "--letters", "html")
    (letter,) = [Path(p) for p in data[0]["outputs"]]
    written = letter.read_bytes()
    letter.unlink()
    result, data = ceremony(sheet, "--letters", "html")
    assert result.exit_code == 0
    assert data[0]["status"] == "unchanged" and letter.exists()
    letter.write_bytes(b"")  # a power cut before its batch was synced leaves it empty
    result, data = ceremony(sheet, "--letters", "html")
    assert data[0]["status"] == "unchanged" and letter.read_bytes() == written


def test_ctrl_c_says_what_was_saved_and_a_rerun_completes_it(
    cli, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shuanggang.workflow import letters

    first = member_sheet(tmp_path)
    rows = [[1, "赵敏", "女", ID_D, "2002.03", "13905350001", "护理", "周末", "是"]]
    second = member_sheet(tmp_path, "银行.xlsx", rows=rows, org="某银行团支部")

    def interrupted(self: object, letter: object) -> list[Path]:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(letters.LetterWriter, "one", interrupted)
        result = cli("register", first, second, "--letters", "html", "-w", ws.root)
    assert result.exit_code == 1
    assert "已保存：医院.xlsx（已报到，介绍信未写出）" in result.stderr
    assert "未保存：银行.xlsx" in result.stderr
    result = cli("register", first, second, "--letters", "html", "--json", "-w", ws.root)
    assert result.exit_code == 0
    done = json.loads(result.stdout)
    assert [d["status"] for d in done] == ["unchanged", "registered"]
    assert all(Path(p).exists() for d in done for p in d["outputs"])
    assert len(list((ws.out_dir / "报到介绍信").glob("海岸路_*报到介绍信.html"))) == 2
