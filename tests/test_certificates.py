"""`certificates`: who gets one (a member, an org, a branch, everyone above a floor), the
numbers on reissue, the register, the publicity list, golden files and privacy."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from openpyxl import load_workbook
from test_letters import docx_text, golden
from test_report import PER_MEMBER, year  # noqa: F401  (the fixture: two orgs registered)

from shuanggang.domain import certificates as cert
from shuanggang.render.certificates import Certificate, CertificateLine, HtmlCertificates
from shuanggang.store import Workspace

FOLDER = "志愿服务记录证明"
ON = "2026-12-01"


@pytest.fixture
def served(year, tmp_path: Path):  # noqa: F811
    """The two-org year with 张伟 (2 h) and 李娜 (1.5 h) of the hospital served."""
    result, _ = year("services", "import", sm.write_xlsx(tmp_path / "服务台账.xlsx", PER_MEMBER))
    assert result.exit_code == 0
    return year


def issue(run: Any, *args: object, exit_code: int = 0) -> dict[str, Any]:
    result, data = run("certificates", "--date", ON, *args)
    assert result.exit_code == exit_code, result.stderr
    assert data is not None
    return data


def codes(data: dict[str, Any]) -> list[str]:
    return [f["code"] for f in data["findings"]]


def test_one_member_by_id_number_gets_a_certificate_with_their_full_id(
    served, ws: Workspace
) -> None:
    data = issue(served, "--member", sm.ID_A)
    (one,) = data["certificates"]
    assert (one["name"], one["number"], one["state"]) == ("张伟", "芝团证〔2026〕0001号", "new")
    assert (one["minutes"], one["hours"], one["services"]) == (120, "2.0", 1)
    assert one["id_number"] != sm.ID_A and one["id_number"].endswith(sm.ID_A[-4:])
    html = next(Path(p) for p in one["outputs"] if p.endswith(".html"))
    assert html.parent == ws.out_dir / FOLDER
    text = html.read_text(encoding="utf-8")
    assert sm.ID_A in text  # the certificate goes to the member: the rules ask for the number
    assert "健康义诊进社区" in text and "120 分钟" in text


def test_an_org_gets_certificates_for_those_who_served_and_a_finding_for_the_rest(
    served,
) -> None:
    data = issue(served, "--org", "烟台山医院团委", "--letters", "html")
    assert [c["name"] for c in data["certificates"]] == ["张伟", "李娜"]
    assert [c["number"] for c in data["certificates"]] == [
        "芝团证〔2026〕0001号",
        "芝团证〔2026〕0002号",
    ]
    assert codes(data) == ["certificate-no-service"]  # 王强 served nothing: no zero-hour proof
    assert data["combined"] and all("合并打印" in p for p in data["combined"])


def test_everyone_with_at_least_min_hours(served) -> None:
    data = issue(served, "--min-hours", "1.6", "--letters", "html")
    assert [c["name"] for c in data["certificates"]] == ["张伟"]
    assert codes(data) == []  # everyone is a set, not a list of names: no finding per member
    data = issue(served, "--all", "--letters", "html")
    assert sorted(c["name"] for c in data["certificates"]) == ["张伟", "李娜"]


def test_a_branch(served, cli, ws: Workspace) -> None:
    assert cli("assign-branches", "-w", ws.root).exit_code == 0
    con = sqlite3.connect(ws.db_path)
    (branch,) = con.execute(
        "SELECT b.name FROM branches b JOIN branch_members bm ON bm.branch_id = b.id"
        " JOIN members m ON m.id = bm.member_id WHERE m.id_number = ?",
        (sm.ID_A,),
    ).fetchone()
    placed = {
        r[0]
        for r in con.execute(
            "SELECT m.name FROM members m JOIN branch_members bm ON bm.member_id = m.id"
            " JOIN branches b ON b.id = bm.branch_id"
            " WHERE b.name = ? AND EXISTS (SELECT 1 FROM services s WHERE s.member_id = m.id)",
            (branch,),
        )
    }
    con.close()
    data = issue(served, "--branch", branch, "--letters", "html")
    assert {c["name"] for c in data["certificates"]} == placed
    assert "张伟" in placed


def test_a_period_outside_the_service_gives_findings_not_certificates(served) -> None:
    data = issue(served, "--member", sm.ID_A, "--from", "2026-06-01", "--to", "2026-12-31")
    assert data["certificates"] == []
    assert codes(data) == ["certificate-no-service"]


def test_refusals_carry_codes(served) -> None:
    refused = issue(served, "--member", "370602200005170000", exit_code=1)
    assert [f["code"] for f in refused["findings"]] == ["member-unknown"]
    refused = issue(served, "--branch", "不存在的支部", exit_code=1)
    assert [f["code"] for f in refused["findings"]] == ["branch-unknown"]
    refused = issue(served, "--all", "--from", "2026-12-01", "--to", "2026-01-01", exit_code=1)
    assert [f["code"] for f in refused["findings"]] == ["certificate-period-reversed"]
    refused = issue(served, exit_code=1)
    assert [f["code"] for f in refused["findings"]] == ["certificate-no-selection"]


def test_issuing_again_unchanged_gives_the_same_number_and_the_same_file(served) -> None:
    first = issue(served, "--all")
    files = {p: Path(p).read_bytes() for c in first["certificates"] for p in c["outputs"]}
    assert {Path(p).suffix for p in files} == {".html", ".docx"}
    result, again = served("certificates", "--all", "--date", "2026-12-20")
    assert result.exit_code == 0
    assert [(c["number"], c["state"]) for c in again["certificates"]] == [
        (c["number"], "same") for c in first["certificates"]
    ]
    for path, data in files.items():
        assert Path(path).read_bytes() == data, path  # the date printed is the first one's


def test_changed_data_gets_a_new_number_and_voids_the_old(served, ws: Workspace, tmp_path) -> None:
    first = issue(served, "--all", "--letters", "html")
    old = {c["name"]: c for c in first["certificates"]}
    more: list[list[Any]] = [
        ["日期", "社区", "报到单位", "姓名", "身份证号", "服务时长（小时）"],
        ["2026-09-20", "海岸路社区", "烟台山医院团委", "张伟", sm.ID_A, 1],
    ]
    result, _ = served("services", "import", sm.write_xlsx(tmp_path / "九月.xlsx", more))
    assert result.exit_code == 0
    again = issue(served, "--all", "--letters", "html")
    new = {c["name"]: c for c in again["certificates"]}
    assert new["李娜"]["number"] == old["李娜"]["number"] and new["李娜"]["state"] == "same"
    assert new["张伟"]["state"] == "reissued"
    assert new["张伟"]["replaces"] == old["张伟"]["number"]
    assert new["张伟"]["number"] == "芝团证〔2026〕0003号"
    assert new["张伟"]["minutes"] == 180
    assert all(not Path(p).exists() for p in old["张伟"]["outputs"])  # the void one is gone
    sheet = load_workbook(ws.out_dir / FOLDER / "证明登记簿.xlsx").active
    assert sheet is not None
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[old["张伟"]["number"]][10] == "作废"
    assert rows[old["张伟"]["number"]][11] == ON
    assert rows[new["张伟"]["number"]][10] == "有效"
    assert rows[old["李娜"]["number"]][10] == "有效"
    assert all(sm.ID_A not in str(cell) for r in rows.values() for cell in r)  # masked


def test_hours_are_the_stored_minutes_to_the_minute(served, ws: Workspace) -> None:
    data = issue(served, "--all", "--letters", "none")
    con = sqlite3.connect(ws.db_path)
    for one in data["certificates"]:
        (minutes, count) = con.execute(
            "SELECT sum(s.minutes), count(*) FROM services s JOIN members m"
            " ON m.id = s.member_id WHERE m.name = ? AND m.org_id ="
            " (SELECT id FROM orgs WHERE name = ?)",
            (one["name"], one["org"]),
        ).fetchone()
        assert (one["minutes"], one["services"]) == (minutes, count)
        assert one["hours"] == cert.hours(minutes)
    con.close()


def test_publicity_list_masks_names_and_spans_seven_days(served, ws: Workspace) -> None:
    data = issue(served, "--all", "--publicity", "--letters", "none")
    html, xlsx = (Path(p) for p in data["publicity"])
    text = html.read_text(encoding="utf-8")
    assert "张*" in text and "李*" in text
    assert "张伟" not in text and "李娜" not in text
    assert "2026年12月1日至2026年12月7日" in text
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    names = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["张*", "李*"]


def test_no_full_id_on_the_terminal(served, cli, ws: Workspace) -> None:
    for args in (("--all",), ("--member", sm.ID_A), ("--all", "--json")):
        result = cli("certificates", *args, "--publicity", "-w", ws.root)
        assert result.exit_code == 0
        for number in (sm.ID_A, sm.ID_B):
            assert number not in result.stdout + result.stderr


def test_undo_takes_certificates_back(served, cli, ws: Workspace) -> None:
    issue(served, "--all", "--letters", "none")
    assert cli("undo", "-w", ws.root).exit_code == 0
    con = sqlite3.connect(ws.db_path)
    assert con.execute("SELECT count(*) FROM certificates").fetchone() == (0,)
    con.close()


# --- the pure parts and the golden files ----------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "hours"), [(0, "0.0"), (3, "0.1"), (90, "1.5"), (100, "1.7"), (125, "2.1")]
)
def test_hours_round_half_up_to_one_decimal(minutes: int, hours: str) -> None:
    assert cert.hours(minutes) == hours


@pytest.mark.parametrize(
    ("name", "shown"), [("张伟", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜"), ("李", "李")]
)
def test_masked_name(name: str, shown: str) -> None:
    assert cert.masked_name(name) == shown


def test_publicity_span_is_inclusive() -> None:
    assert cert.publicity_span(date(2026, 12, 28), 7) == (date(2026, 12, 28), date(2027, 1, 3))


def test_id_document() -> None:
    assert cert.id_document(sm.ID_A) == "居民身份证"
    assert cert.id_document("H12345678") == "其他有效身份证件"


LINES = tuple(
    CertificateLine(i, f"2026-03-{i:02d}", "海岸路", "健康义诊进社区", "测血压、讲解用药", "2.0")
    for i in range(1, 13)
)
CERTIFICATE = Certificate(
    number="芝团证〔2026〕0007号",
    name="张伟",
    id_document="居民身份证",
    id_number="370602200005171235",
    member_no="2016370602001",
    org="烟台山医院团委",
    community="海岸路",
    places="海岸路社区",
    period="2026年1月1日至2026年12月31日",
    services=12,
    hours="24.0",
    minutes=1440,
    lines=LINES[:10],
    annex=LINES,
    issuer="共青团东山街道工作委员会",
    person_in_charge="王芳",
    handler="刘洋",
    contact="0535-6601234",
    issued_on="2026年12月1日",
    remarks="本证明依据团组织的志愿服务记录出具。",
)


def test_html_certificate_matches_golden() -> None:
    golden("certificate.html", HtmlCertificates(None).render([CERTIFICATE]))


def test_docx_certificate_matches_golden_text(tmp_path: Path) -> None:
    from shuanggang.render.letters import docx_template

    data = docx_template(None, "certificate.docx").render(letters=[CERTIFICATE])
    text = docx_text(data, tmp_path)
    golden("certificate.docx.txt", text)
    assert CERTIFICATE.id_number in text and "附件" in text
    short = replace(CERTIFICATE, lines=LINES[:3], annex=())
    text = docx_text(docx_template(None, "certificate.docx").render(letters=[short]), tmp_path)
    assert "附件" not in text and text.count("测血压") == 3


def test_hostile_text_is_escaped() -> None:
    hostile = replace(CERTIFICATE, name="<script>alert(1)</script>", org="=HYPERLINK(1)")
    html = HtmlCertificates(None).render([hostile])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_named_set_says_who_fell_below_the_floor(served) -> None:
    data = issue(served, "--org", "烟台山医院团委", "--min-hours", "1.6", "--letters", "none")
    assert [c["name"] for c in data["certificates"]] == ["张伟"]
    assert sorted(codes(data)) == ["certificate-below-min-hours", "certificate-no-service"]


def test_each_issuing_body_posts_its_own_publicity_list(
    served, cli, ws: Workspace, tmp_path: Path
) -> None:
    from test_register import member_sheet

    settings = ws.settings_path.read_text(encoding="utf-8")
    ws.settings_path.write_text(
        settings.replace('issuer = "street"', 'issuer = "community"'), encoding="utf-8"
    )
    someone = sm.make("370602", date(1998, 1, 1), 555)
    sheet = member_sheet(
        tmp_path,
        "民生.xlsx",
        rows=[[1, "赵强", "男", someone, "2014.05", "13905350002", "会计", "周末", "是"]],
        community="民生社区",
        org="民生会计师事务所团支部",
    )
    assert cli("register", sheet, "--letters", "none", "-w", ws.root).exit_code == 0
    log: list[list[Any]] = [
        ["日期", "社区", "报到单位", "姓名", "身份证号", "服务时长（小时）"],
        ["2026-05-09", "民生社区", "民生会计师事务所团支部", "赵强", someone, 2],
    ]
    result, _ = served("services", "import", sm.write_xlsx(tmp_path / "民生台账.xlsx", log))
    assert result.exit_code == 0
    data = issue(served, "--all", "--publicity", "--letters", "none")
    assert {c["community"] for c in data["certificates"]} == {"海岸路", "民生"}
    lists = sorted(Path(p).name for p in data["publicity"] if p.endswith(".html"))
    assert len(lists) == 2 and "海岸路社区团支部" in lists[0] + lists[1]
    for name in lists:
        text = (ws.out_dir / FOLDER / name).read_text(encoding="utf-8")
        assert ("赵*" in text) == ("民生" in name)  # each body lists its own members


def test_a_period_that_is_not_a_date_is_a_usage_error(served) -> None:
    result, _ = served("certificates", "--all", "--from", "2026年3月")
    assert result.exit_code == 2 and "--from" in result.stderr
    result, data = served("certificates", "--all", "--letters", "none", "--to", "2026-06-30")
    assert result.exit_code == 0 and data["period"] == ["2026-01-01", "2026-06-30"]


def test_a_certificate_whose_records_are_gone_is_voided(
    served, ws: Workspace, tmp_path: Path
) -> None:
    first = {c["name"]: c for c in issue(served, "--all", "--letters", "html")["certificates"]}
    (tmp_path / "改").mkdir()
    only_him = [row for row in PER_MEMBER if "李娜" not in row]
    log = sm.write_xlsx(tmp_path / "改" / "服务台账.xlsx", only_him)
    result, _ = served("services", "import", log, "--replace")
    assert result.exit_code == 0
    again = issue(served, "--all", "--letters", "html")
    assert [c["name"] for c in again["certificates"]] == ["张伟"]
    assert again["certificates"][0]["state"] == "same"
    assert codes(again) == ["certificate-voided"]
    assert all(not Path(p).exists() for p in first["李娜"]["outputs"])
    sheet = load_workbook(ws.out_dir / FOLDER / "证明登记簿.xlsx").active
    assert sheet is not None
    status = {r[0]: r[10] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert status[first["李娜"]["number"]] == "作废"
    assert status[first["张伟"]["number"]] == "有效"
