"""`services import` and `report` through the CLI: both log shapes, names that cannot be
told apart, overlaps, re-import and --replace; the workbook read back; feedback letters."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from openpyxl import load_workbook
from test_letters import docx_text, golden
from test_register import ID_D, LEDGER, member_sheet

from shuanggang.domain import assessment as a
from shuanggang.domain.model import OrgRef
from shuanggang.render.letters import (
    FeedbackLetter,
    MemberLine,
    ScorePart,
    docx_template,
    render_html,
)
from shuanggang.settings import Settings
from shuanggang.store import Workspace
from shuanggang.workflow.report import letter_wording

PER_MEMBER: list[list[Any]] = [
    ["2026年服务活动台账"],
    ["日期", "社区", "项目名称", "报到单位", "姓名", "身份证号", "服务时长（小时）", "社区评价"],
    ["2026-03-14", "海岸路社区", "健康义诊进社区", "烟台山医院团委", "张伟", sm.ID_A, 2, "满意"],
    ["2026-04-11", "海岸路社区", "2026-01", "烟台山医院团委", "李娜", sm.ID_B, 1.5, "满意"],
]
PER_ACTIVITY: list[list[Any]] = [
    ["日期", "社区", "报到单位", "参加人员", "服务时长（小时）", "服务对象人数"],
    ["2026-05-16", "海岸路", "烟台山医院团委", "张伟、李娜，王强", 3, 40],
]


@pytest.fixture
def year(cli, ws: Workspace, tmp_path: Path):
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    cli(
        "register", member_sheet(tmp_path), "--claim", "2026-01", "--letters", "none", "-w", ws.root
    )
    other = member_sheet(
        tmp_path,
        "银行.xlsx",
        org="某银行团支部",
        rows=[[1, "张伟", "女", ID_D, "2002.03", "13905350001", "金融", "周末", "是"]],
    )
    cli("register", other, "--letters", "none", "-w", ws.root)

    def run(*args: object):
        result = cli(*map(str, args), "--json", "-w", ws.root)
        return result, (json.loads(result.stdout) if result.stdout.strip() else None)

    return run


def test_both_log_shapes(year, tmp_path: Path) -> None:
    result, data = year(
        "services",
        "import",
        sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER),
        sm.write_xlsx(tmp_path / "b.xlsx", PER_ACTIVITY),
    )
    assert result.exit_code == 0, result.stdout
    assert [(d["kind"], d["status"], d["rows"]) for d in data] == [
        ("services", "imported", 2),
        ("services", "imported", 3),
    ]


def test_same_name_in_two_orgs_needs_the_org_or_id(year, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["日期", "社区", "参加人员", "服务时长（小时）"],
        ["2026-06-01", "海岸路", "张伟", 2],
    ]
    result, data = year("services", "import", sm.write_xlsx(tmp_path / "c.xlsx", rows))
    assert result.exit_code == 1 and data[0]["status"] == "rejected"
    (finding,) = data[0]["findings"]
    assert (finding["code"], finding["cell"]) == ("name-ambiguous", "C2")
    rows[0].insert(1, "报到单位")
    rows[1].insert(1, "某银行团支部")
    result, data = year("services", "import", sm.write_xlsx(tmp_path / "d.xlsx", rows))
    assert result.exit_code == 0 and data[0]["rows"] == 1


def test_unknown_name_rejects_the_file(year, cli, ws: Workspace, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["日期", "报到单位", "参加人员", "服务时长（小时）"],
        ["2026-06-01", "烟台山医院团委", "张伟、赵子虚", 2],
    ]
    result, data = year("services", "import", sm.write_xlsx(tmp_path / "e.xlsx", rows))
    assert result.exit_code == 1
    (finding,) = data[0]["findings"]
    assert (finding["code"], finding["cell"]) == ("name-unknown", "C2")
    assert "赵子虚" in finding["message"]  # names who was not found, not 张伟
    status = json.loads(cli("status", "--json", "-w", ws.root).stdout)
    assert status["counts"]["services"] == 0


def test_overlap_is_a_warning(year, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        *PER_MEMBER,
        ["2026-03-14", "海岸路社区", "", "烟台山医院团委", "张伟", sm.ID_A, 1, ""],
    ]
    result, data = year("services", "import", sm.write_xlsx(tmp_path / "f.xlsx", rows))
    assert result.exit_code == 0
    (warning,) = data[0]["findings"]
    assert (warning["code"], warning["severity"]) == ("service-duplicate", "warning")


def test_reimport_and_replace(year, tmp_path: Path) -> None:
    first = sm.write_xlsx(tmp_path / "log.xlsx", PER_MEMBER)
    year("services", "import", first)
    _, again = year("services", "import", first)
    assert again[0]["status"] == "unchanged"
    corrected = [row[:] for row in PER_MEMBER]
    corrected[2][6] = 3
    (tmp_path / "修正").mkdir()
    path = sm.write_xlsx(tmp_path / "修正" / "log.xlsx", corrected)  # the same source
    result, data = year("services", "import", path)
    assert result.exit_code == 1
    assert [f["code"] for f in data[0]["findings"]] == ["log-already-imported"]
    result, data = year("services", "import", path, "--replace")
    assert (data[0]["status"], data[0]["replaced"], data[0]["rows"]) == ("replaced", 2, 2)


def test_replace_touches_only_the_same_source(year, tmp_path: Path) -> None:
    """A file under another name that repeats a ledger is refused, --replace or not; one
    that shares a single person-day with it is imported with a warning, and --replace
    removes nothing of the other ledger."""
    ledger = [row[:] for row in PER_MEMBER]
    ledger += [[f"2026-05-{d:02d}", *PER_MEMBER[3][1:]] for d in range(1, 6)]
    year("services", "import", sm.write_xlsx(tmp_path / "全年台账.xlsx", ledger))
    resaved = [row[:] for row in ledger]
    resaved[3][6] = 2  # saved again with one change: another file, mostly the same rows
    copy = sm.write_xlsx(tmp_path / "台账副本.xlsx", resaved)
    result, data = year("services", "import", copy, "--replace")
    assert result.exit_code == 1
    assert [f["code"] for f in data[0]["findings"]] == ["log-overlaps"]
    one: list[list[Any]] = [PER_MEMBER[1], [*PER_MEMBER[2][:6], 1, ""]]
    result, data = year(
        "services", "import", sm.write_xlsx(tmp_path / "一条.xlsx", one), "--replace"
    )
    assert result.exit_code == 0
    assert (data[0]["status"], data[0]["replaced"], data[0]["rows"]) == ("imported", 0, 1)
    assert [f["code"] for f in data[0]["findings"]] == ["service-duplicate"]
    _, status = year("status")
    assert status["counts"]["services"] == 8  # the ledger's seven and the new one


def test_consultations(year, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["日期", "社区", "报到单位", "形式", "内容摘要"],
        ["2026-06-30", "海岸路社区", "烟台山医院团委", "座谈", "上半年"],
        ["2026-12-20", "海岸路", "烟台山医院团委", "电话", "下半年"],
    ]
    result, data = year("services", "import", sm.write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.exit_code == 0 and (data[0]["kind"], data[0]["rows"]) == ("consultations", 2)


def test_report_workbook_and_letters(year, tmp_path: Path) -> None:
    year(
        "services",
        "import",
        sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER),
        sm.write_xlsx(tmp_path / "b.xlsx", PER_ACTIVITY),
    )
    result, data = year("report", "--date", "2026-12-28")
    assert result.exit_code == 0, result.stdout
    grades = {o["org"]: o for o in data["orgs"]}
    assert grades["某银行团支部"]["grade"] == "不合格"
    assert grades["某银行团支部"]["note"] == "全年没有服务记录"
    book_path = next(Path(p) for p in data["outputs"] if p.endswith("综合考评.xlsx"))
    book = load_workbook(book_path)
    assert book.sheetnames[:6] == [
        "组织考评",
        "团员参与",
        "推优名单",
        "表彰推荐",
        "支部统计",
        "社区统计",
    ]
    header = [c.value for c in book["组织考评"][1]]
    assert header[:11] == [
        "报到单位",
        "报到社区",
        "团员数",
        "参与人数",
        "参与率",
        "服务次数",
        "服务时长（小时）",
        "协商次数",
        "社区评价",
        "得分",
        "等次",
    ]
    rows = list(book["组织考评"].iter_rows(min_row=2, values_only=True))
    assert sum(r[5] for r in rows) == 5 and sum(r[6] for r in rows) == 2 + 1.5 + 3 * 3
    with zipfile.ZipFile(book_path) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 3
    letters = [Path(p) for p in data["outputs"] if "考评结果反馈函" in p]
    bank = next(p for p in letters if p.name == "某银行团支部_考评结果反馈函.html")
    text = bank.read_text(encoding="utf-8")
    assert "本年度没有服务记录" in text and "芝团反〔2026〕" in text
    secrets = [sm.ID_A, sm.ID_B, sm.ID_C, ID_D, "13805351234"]
    for path in letters:
        raw = (
            path.read_text(encoding="utf-8")
            if path.suffix == ".html"
            else zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
        )
        assert not [s for s in secrets if s in raw], path.name
    _, again = year("report", "--date", "2027-01-05")
    assert {o["org"] for o in again["orgs"]} == set(grades)


def test_every_grade_explained_in_the_sheet_and_json(year, tmp_path: Path) -> None:
    year("services", "import", sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER))
    _, data = year("report", "--letters", "none", "--date", "2026-12-28")
    orgs = {o["org"]: o for o in data["orgs"]}
    bank, hospital = orgs["某银行团支部"], orgs["烟台山医院团委"]
    items = {i["item"]: i for i in bank["items"]}
    assert list(items) == [
        "participation",
        "hours",
        "activities",
        "projects",
        "consultations",
        "rating",
    ]
    assert items["rating"] == {
        "item": "rating",
        "label": "社区评价",
        "raw": None,
        "score": None,
        "weight": 0.0,
        "applicable": False,
    }
    assert bank["parts"]["rating"] is None
    rated = {i["item"]: i for i in hospital["items"]}["rating"]
    assert rated["applicable"] and rated["raw"] == 5.0  # 满意 twice: 5 of 5
    assert sum(i["weight"] for i in hospital["items"]) == pytest.approx(100, abs=0.02)
    assert hospital["note"].startswith("失分最多：") and hospital["note"].count("（失 ") == 2
    book = load_workbook(next(p for p in data["outputs"] if p.endswith(".xlsx")))
    sheet = book["组织考评"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)}
    assert header[11] == "说明" and "认领项目开展情况（原始值）" in header
    assert rows["某银行团支部"]["说明"] == "全年没有服务记录"
    assert rows["某银行团支部"]["社区评价（得分）"] == "不适用"
    assert rows["烟台山医院团委"]["说明"] == hospital["note"]
    assert rows["烟台山医院团委"]["社区评价（原始值）"] == 5.0
    assert rows["烟台山医院团委"]["团员参与率（权重）"] == rated_weight(hospital, "participation")


def test_empty_lists_say_which_threshold_nobody_reached(year, tmp_path: Path) -> None:
    year(
        "services",
        "import",
        sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER),
        sm.write_xlsx(tmp_path / "b.xlsx", PER_ACTIVITY),
    )
    # 张伟 2 services, 5 h; 李娜 2, 4.5 h; 王强 1, 3 h: nobody reaches 4 services / 12 h.
    _, data = year("report", "--letters", "none", "--date", "2026-12-28")
    book = load_workbook(next(p for p in data["outputs"] if p.endswith(".xlsx")))
    (row,) = book["推优名单"].iter_rows(min_row=2, values_only=True)
    assert row[0].startswith(
        "无人符合推优入党条件：服务次数最多 2 次（需 4 次）；服务时长最多 5 小时（需 12 小时）。"
        "最接近的是张伟（"
    )
    awards = {r[0]: r for r in book["表彰推荐"].iter_rows(min_row=2, values_only=True)}
    assert awards["优秀团员"][1] == "（无）"
    assert awards["优秀团员"][3] == (
        "无人达到优秀团员条件（服务 ≥ 6 次且 ≥ 20 小时）：服务次数最多 2 次、服务时长最多 5 小时。"
        "最接近的是张伟（烟台山医院团委）：服务 2 次、5 小时"
    )
    assert awards["五四红旗团委（支部）"][3].startswith("须考评为优秀，没有优秀单位；得分最高的是")


def rated_weight(org: dict[str, Any], key: str) -> float:
    return float(next(i["weight"] for i in org["items"] if i["item"] == key))


def test_no_services_is_a_clear_message(year) -> None:
    result, _ = year("report")
    assert result.exit_code == 1 and "2026 年没有任何服务记录" in result.stderr


LETTER = FeedbackLetter(
    number="芝团反〔2026〕005号",
    year=2026,
    org="烟台山医院团委",
    community_name="海岸路社区",
    issuer="海岸路社区团支部",
    issued_on="2026年12月28日",
    members=2,
    active=1,
    inactive=1,
    participation="50.0%",
    services=3,
    hours="6",
    consultations=2,
    score=71.5,
    grade="合格",
    note="",
    parts=(ScorePart("团员参与率", 30, 15.0), ScorePart("社区评价", 10, 10.0)),
    recommended=("张伟",),
    roster=(
        MemberLine(1, "张伟", "370602********1235", 3, "6", "符合"),
        MemberLine(2, "李娜", "370602********246X", 0, "0", ""),
    ),
    verdict="感谢贵单位团员青年一年来参加社区为民服务。"
    "在团员参与率方面还有提升空间：团员参与率 50.0%。",
    recommend_text="经考评，团员张伟符合推优入党的服务条件，请在推优工作中优先考虑。",
    expectation="建议贵单位来年动员尚未参加活动的 1 名团员参加服务，共同做好团员教育管理。",
)


def test_feedback_letters_match_golden(tmp_path: Path) -> None:
    golden("feedback.html", render_html([LETTER], None, "feedback.html.j2"))
    data = docx_template(None, "feedback.docx").render(letters=[LETTER])
    golden("feedback.docx.txt", docx_text(data, tmp_path))


def graded(grade: str, **kw: Any) -> tuple[a.OrgGrade, a.OrgYear]:
    base = a.OrgYear(
        OrgRef("某单位团委", "海岸路", 1),
        members=10,
        active=8,
        services=30,
        minutes=90 * 60,
        claimed=2,
        served=1,
        consultations=1,
        ratings=(5.0,),
    )
    facts = replace(base, **kw)
    w = a.Weights(shrink_members=0)
    its = a.items(facts, w)
    value = round(sum(i.points or 0 for i in its), 1)
    return a.OrgGrade(facts.org, value, {i.key: i.points for i in its}, grade, "", its), facts


def test_letter_wording_fits_the_grade() -> None:
    s = Settings()
    # 优秀: praises its two best items by name.
    g, f = graded("优秀", active=10, minutes=10 * 12 * 60, services=40, served=2, consultations=2)
    words = letter_wording(g, f, s, [])
    assert words["verdict"].startswith("贵单位团员青年积极履行“双岗双责”，团员参与率 100.0%，")
    assert "团员参与率、人均服务时长表现突出" in words["verdict"]
    # 合格: thanks, and the item that cost the most points (hours: 6.25 lost).
    g, f = graded("合格")
    words = letter_wording(g, f, s, [])
    assert "积极履行" not in words["verdict"]
    assert words["verdict"] == (
        "感谢贵单位团员青年一年来参加社区为民服务。在人均服务时长方面还有提升空间："
        "人均服务 9.0 小时（目标 12 小时）。"
    )
    assert words["expectation"] == "建议贵单位来年人均服务时长达到 12 小时，共同做好团员教育管理。"
    # 基本合格 / 不合格: the shortfalls plainly, and what next year expects.
    g, f = graded("基本合格", active=3, minutes=20 * 60, services=8, served=0, consultations=0)
    words = letter_wording(g, f, s, [])
    assert "积极履行" not in words["verdict"] and "感谢" not in words["verdict"]
    assert words["verdict"].startswith("考评等次为“基本合格”，主要差距是：团员参与率 30.0%；")
    assert "与社区互通协商 0 次（应 2 次）" in words["verdict"]
    assert words["expectation"].startswith("请贵单位来年动员尚未参加活动的 7 名团员参加服务，")
    assert words["expectation"].endswith("达到合格以上。")
    g, f = graded("不合格", active=0, minutes=0, services=0, consultations=0, ratings=())
    assert "没有服务记录" in letter_wording(g, f, s, [])["verdict"]


def test_recommended_names_in_roster_order_without_a_stray_space() -> None:
    g, f = graded("合格")
    s = Settings()
    two = letter_wording(g, f, s, ["张伟", "李娜"])["recommend_text"]
    assert two.startswith("经考评，张伟、李娜等 2 名团员符合推优入党的服务条件")
    one = letter_wording(g, f, s, ["张伟"])["recommend_text"]
    assert one.startswith("经考评，团员张伟符合推优入党的服务条件")
    assert letter_wording(g, f, s, [])["recommend_text"] == ""


def test_the_roster_is_read_once_for_many_logs(year, ws: Workspace, tmp_path: Path) -> None:
    """Every log is matched against the registered members; at a million members that
    read is seconds, so a batch of logs reads them once."""
    from shuanggang.workflow.services import import_logs

    logs = [
        sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER),
        sm.write_xlsx(tmp_path / "b.xlsx", PER_ACTIVITY),
        sm.write_xlsx(
            tmp_path / "c.xlsx",
            [
                PER_MEMBER[1],
                [
                    *PER_MEMBER[2][:1],
                    "海岸路社区",
                    "健康义诊进社区",
                    "烟台山医院团委",
                    "王强",
                    sm.ID_C,
                    1,
                    "满意",
                ],
            ],
        ),
    ]
    reads: list[str] = []
    with ws.open_store() as store:
        store.conn.set_trace_callback(
            lambda sql: reads.append(sql) if "FROM members m JOIN orgs" in sql else None
        )
        done = import_logs(ws, store, ws.settings(), logs)
    assert [d.status for d in done] == ["imported"] * 3, [d.findings for d in done]
    assert len(reads) == 1


def test_org_figures_take_the_same_queries_for_any_number_of_orgs(
    year, cli, ws: Workspace, tmp_path: Path
) -> None:
    """The report's per-organisation figures come from grouped queries: a query per
    organisation scanned every service each time (minutes at 6,400 organisations)."""
    from test_register import ID_E

    from shuanggang.store import yearly

    year("services", "import", sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER))

    def statements() -> tuple[int, dict[str, tuple[int, int, int]]]:
        seen: list[str] = []
        with ws.open_store() as store:
            store.conn.set_trace_callback(seen.append)
            facts = yearly.org_years(store, 2026)
        return len(seen), {k.name: (f.members, f.services, f.minutes) for k, f in facts.items()}

    before, facts = statements()
    assert facts["烟台山医院团委"] == (3, 2, 210)  # 2 h and 1.5 h of service
    third = member_sheet(
        tmp_path,
        "第三.xlsx",
        org="第三团支部",
        rows=[[1, "孙丽", "女", ID_E, "2003.04", "13905350002", "舞蹈", "周末", "是"]],
    )
    cli("register", third, "--letters", "none", "-w", ws.root)
    after, facts = statements()
    assert len(facts) == 3 and facts["第三团支部"] == (1, 0, 0)
    assert after == before


def test_register_replace_says_how_many_service_records_it_drops(
    year, cli, ws: Workspace, tmp_path: Path
) -> None:
    year("services", "import", sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER))
    from test_register import member_sheet

    only_zhang = member_sheet(tmp_path, "医院_新.xlsx", rows=[sm.MEMBERS[0]])
    result = cli("register", only_zhang, "--replace", "--letters", "none", "--json", "-w", ws.root)
    (data,) = json.loads(result.stdout)
    assert (data["dropped_members"], data["dropped_services"]) == (2, 1)  # 李娜's one record
    backups = list((ws.root / "backups").rglob("*.zip")) if (ws.root / "backups").exists() else []
    assert backups or list(ws.root.rglob("自动备份*.zip"))
