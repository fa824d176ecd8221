"""Two organisations of the same name in two communities stay two: in the report, the
workbook, the feedback letters, the branches and the roster export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from openpyxl import load_workbook
from test_register import member_sheet

from shuanggang.domain.idnumber import make
from shuanggang.fsutil import safe_filename
from shuanggang.store import Workspace

NAME = "烟台山医院团委"
# A second hospital branch of the same name, registered at 民生 with its own members.
SECOND = [
    [
        1,
        "赵敏",
        "女",
        make("370602", date(1998, 2, 3), 402),
        "1998.02",
        "13905351111",
        "护理",
        "周末",
        "是",
    ],
    [
        2,
        "钱坤",
        "男",
        make("370602", date(1997, 6, 7), 511),
        "1997.06",
        "13905352222",
        "药学",
        "周末",
        "是",
    ],
    [
        3,
        "孙悦",
        "女",
        make("370602", date(1999, 9, 9), 622),
        "1999.09",
        "13905353333",
        "护理",
        "周末",
        "是",
    ],
    [
        4,
        "周航",
        "男",
        make("370602", date(1996, 1, 1), 733),
        "1996.01",
        "13905354444",
        "内科",
        "周末",
        "是",
    ],
]


@pytest.fixture
def twins(cli, ws: Workspace, tmp_path: Path):
    first = member_sheet(tmp_path, "海岸路.xlsx", community="海岸路社区", org=NAME)
    second = member_sheet(tmp_path, "民生.xlsx", rows=SECOND, community="民生社区", org=NAME)
    for sheet in (first, second):
        result = cli("register", sheet, "--letters", "none", "-w", ws.root)
        assert result.exit_code == 0, result.stderr
    # Services for the 海岸路 hospital only: the 民生 one has none.
    log: list[list[Any]] = [
        ["日期", "社区", "报到单位", "姓名", "身份证号", "服务时长（小时）"],
        ["2026-03-14", "海岸路社区", NAME, "张伟", sm.ID_A, 2],
        ["2026-04-11", "海岸路社区", NAME, "李娜", sm.ID_B, 3],
    ]
    result = cli("services", "import", sm.write_xlsx(tmp_path / "台账.xlsx", log), "-w", ws.root)
    assert result.exit_code == 0, result.stderr

    def run(*args: object, exit_code: int = 0) -> dict | list:
        result = cli(*map(str, args), "--json", "-w", ws.root)
        assert result.exit_code == exit_code, result.stderr
        return json.loads(result.stdout)

    return run


def test_report_assesses_each_separately(twins, ws: Workspace) -> None:
    data = twins("report", "--date", "2026-12-28")
    orgs = {(o["org"], o["community"]): o for o in data["orgs"]}
    assert set(orgs) == {(NAME, "海岸路"), (NAME, "民生")}
    assert orgs[(NAME, "民生")]["note"] == "全年没有服务记录"
    assert orgs[(NAME, "海岸路")]["parts"]["participation"] > 0
    letters = sorted(
        p.name for p in (ws.out_dir / "2026年度考评" / "考评结果反馈函").glob("*.html")
    )
    for community in ("海岸路", "民生"):
        assert f"{safe_filename(f'{NAME}（{community}社区）_考评结果反馈函')}.html" in letters
    book = load_workbook(ws.out_dir / "2026年度考评" / "综合考评.xlsx", read_only=True)
    rows: list[list[Any]] = [
        r for r in book["组织考评"].iter_rows(min_row=2, values_only=True) if r[0]
    ]
    assert sorted((r[0], r[1], r[2]) for r in rows) == [(NAME, "民生", 4), (NAME, "海岸路", 3)]
    members = {r[0]: r[2] for r in book["团员参与"].iter_rows(min_row=2, values_only=True)}
    book.close()
    assert members["张伟"] == f"{NAME}（海岸路社区）" and members["赵敏"] == f"{NAME}（民生社区）"


def test_feedback_numbers_are_one_per_org(twins, ws: Workspace) -> None:
    import sqlite3

    twins("report", "--date", "2026-12-28")
    with sqlite3.connect(ws.db_path) as db:
        rows = db.execute("SELECT org_id, number FROM letters WHERE kind = 'feedback'").fetchall()
    assert len({org for org, _ in rows}) == 2 and len({n for _, n in rows}) == 2


def test_branches_and_roster_keep_them_apart(twins, ws: Workspace, tmp_path: Path) -> None:
    data = twins("assign-branches")
    orgs = {o for b in data["branches"] for o in b["orgs"]}
    assert orgs == {f"{NAME}（海岸路社区）", f"{NAME}（民生社区）"}
    by_org: dict[str, int] = {}
    for b in data["branches"]:
        for p in b["placements"]:
            by_org[p["org"]] = by_org.get(p["org"], 0) + p["members"]
    assert by_org == {f"{NAME}（海岸路社区）": 3, f"{NAME}（民生社区）": 4}
    out = tmp_path / "名册.xlsx"
    twins("export", "roster", "-o", out)
    book = load_workbook(out, read_only=True)
    rows = list(book["团员名册"].iter_rows(min_row=2, values_only=True))
    book.close()
    assert {(r[0], r[1]) for r in rows} == {
        (f"{NAME}（海岸路社区）", "海岸路"),
        (f"{NAME}（民生社区）", "民生"),
    }
    assert sum(1 for r in rows if r[1] == "民生") == 4


def test_pins_name_an_org_by_community_when_the_name_is_shared(
    twins, ws: Workspace, tmp_path: Path
) -> None:
    pins = [["报到单位", "活动团支部"], [NAME, "医护活动团支部"]]
    result = twins(
        "assign-branches",
        "--dry-run",
        "--pins",
        sm.write_xlsx(tmp_path / "p.xlsx", pins),
        exit_code=1,
    )
    assert [(f["code"], f["cell"]) for f in result["findings"]] == [("org-ambiguous", "A2")]
    pins = [["报到单位", "报到社区", "活动团支部"], [NAME, "民生社区", "医护活动团支部"]]
    result = twins(
        "assign-branches", "--dry-run", "--pins", sm.write_xlsx(tmp_path / "q.xlsx", pins)
    )
    assert result["findings"] == []
    (pinned,) = [b for b in result["branches"] if b["name"] == "医护活动团支部"]
    assert pinned["orgs"] == [f"{NAME}（民生社区）"] and pinned["members"] == 4
