"""A service log with several kinds of problem says all of them in one run, each with the
nearest match where one exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sheetmaker as sm
from test_report import year  # noqa: F401  (the fixture: two orgs registered)


def test_every_kind_of_problem_in_one_run(year, tmp_path: Path) -> None:  # noqa: F811
    rows: list[list[Any]] = [
        ["2026年服务活动台账"],
        ["日期", "社区", "报到单位", "姓名", "服务时长（小时）"],
        ["2026-03-14", "海岸路社区", "烟台山医院团委", "李那", 2],  # 李娜, mistyped
        ["2026-03-15", "海岸路社区", "", "张伟", 2],  # two 张伟 in two orgs
        ["2026-03-16", "海岸路社区", "烟台山医院", "王强", 2],  # no such org
        ["2026-13-40", "海岸路社区", "烟台山医院团委", "王强", 2],  # no such date
    ]
    result, data = year("services", "import", sm.write_xlsx(tmp_path / "台账.xlsx", rows))
    assert result.exit_code == 1
    (log,) = data
    found = [(f["code"], f["cell"]) for f in log["findings"] if f["severity"] == "error"]
    assert found == [
        ("name-unknown", "D3"),
        ("name-ambiguous", "D4"),
        ("org-not-registered", "C5"),
        ("date-nonexistent", "A6"),
    ]
    unknown = log["findings"][0]
    assert "李娜" in unknown["hint"] and "烟台山医院团委" in unknown["hint"]
    org = next(f for f in log["findings"] if f["code"] == "org-not-registered")
    assert "烟台山医院团委" in org["hint"]


def test_a_consultation_dated_by_month_counts_for_its_half_year(
    year,  # noqa: F811
    cli,
    ws,
    tmp_path: Path,
) -> None:
    from test_report import PER_MEMBER

    talks: list[list[Any]] = [
        ["日期", "社区", "报到单位", "形式", "内容摘要"],
        ["2026年6月", "海岸路社区", "烟台山医院团委", "座谈", "上半年活动总结，商定下半年安排"],
    ]
    result, data = year("services", "import", sm.write_xlsx(tmp_path / "协商.xlsx", talks))
    assert result.exit_code == 0, data
    year("services", "import", sm.write_xlsx(tmp_path / "服务.xlsx", PER_MEMBER))
    result, status = year("status")
    assert status["counts"]["consultations"] == 1
    assert result.exit_code == 0
    result, plan = year("consultations", "plan", "--year", "2026")
    assert result.exit_code == 0
    pair = next(p for p in plan["pairs"] if p["org"] == "烟台山医院团委")
    assert (pair["first_half"], pair["second_half"]) == (1, 0)
    result, report = year("report", "--letters", "none")
    assert result.exit_code == 0
    (hospital,) = [o for o in report["orgs"] if o["org"] == "烟台山医院团委"]
    assert hospital["parts"]["consultations"] > 0
