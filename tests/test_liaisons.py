"""Liaison points and the half-year consultation plan."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sheetmaker as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from shuanggang.domain.liaisons import Cadre, assign_links, plan_consultations
from shuanggang.resources import samples_dir
from shuanggang.store import Workspace

PLACES = [f"街道{i:02d}" for i in range(8)]


def cadre(name: str, excluded=(), preferred=()) -> Cadre:
    return Cadre(name, "district", excluded=frozenset(excluded), preferred=tuple(preferred))


def test_every_active_place_covered_and_loads_balanced() -> None:
    cadres = [cadre(f"干部{i}") for i in range(5)]
    links = assign_links(cadres, PLACES, PLACES[:6], 2)
    assert links.uncovered == ()
    assert all(links.coverage[p] for p in PLACES[:6])
    assert all(len(v) == 2 for v in links.links.values())  # 8 places: room for everyone
    counts = [len(links.coverage[p]) for p in PLACES]
    assert max(counts) - min(counts) <= 1  # 10 links over 8 places: balanced


def test_exclusions_and_preferences() -> None:
    cadres = [cadre("甲", excluded=[PLACES[0]]), cadre("乙", preferred=[PLACES[3]]), cadre("丙")]
    links = assign_links(cadres, PLACES[:4], PLACES[:4], 2)
    assert PLACES[0] not in links.links["甲"]
    assert PLACES[3] in links.links["乙"]


def test_too_few_cadres_lists_what_is_uncovered() -> None:
    links = assign_links([cadre("甲")], PLACES, PLACES[:4], 2)
    assert links.uncovered == (PLACES[2], PLACES[3])


def test_rerun_keeps_links_and_is_deterministic() -> None:
    cadres = [cadre(f"干部{i}") for i in range(4)]
    first = assign_links(cadres, PLACES, PLACES[:5], 2)
    assert assign_links(list(reversed(cadres)), PLACES, PLACES[:5], 2) == first
    moved = {"干部0": [PLACES[7], PLACES[6]]}
    again = assign_links(cadres, PLACES, PLACES[:5], 2, existing=moved)
    assert again.links["干部0"] == (PLACES[7], PLACES[6])
    assert again.uncovered == ()


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 8), st.integers(1, 3), st.integers(0, 8), st.data())
def test_links_respect_capacity_and_exclusions(n: int, per: int, active: int, data) -> None:
    cadres = [
        cadre(f"干部{i}", excluded=data.draw(st.sets(st.sampled_from(PLACES), max_size=3)))
        for i in range(n)
    ]
    links = assign_links(cadres, PLACES, PLACES[:active], per)
    for c in cadres:
        assert len(links.links[c.name]) <= per
        assert not set(links.links[c.name]) & c.excluded
        assert len(set(links.links[c.name])) == len(links.links[c.name])
    for place in PLACES[:active]:
        assert links.coverage[place] or place in links.uncovered


def test_consultation_plan_marks_halves() -> None:
    plans = plan_consultations(
        [("医院", "海岸路"), ("银行", "民生")],
        [
            ("医院", "海岸路", date(2026, 3, 1)),
            ("医院", "海岸路", date(2026, 9, 1)),
            ("银行", "民生", date(2025, 9, 1)),
        ],
        2026,
    )
    by_org = {p.org: p for p in plans}
    hospital, bank = by_org["医院"], by_org["银行"]
    assert hospital.recorded == (1, 1) and hospital.due == (False, False)
    assert bank.recorded == (0, 0) and bank.overdue(date(2026, 8, 1), 2026)
    assert not hospital.overdue(date(2026, 8, 1), 2026)


@pytest.fixture
def registered(cli, ws: Workspace) -> Workspace:
    sheets = sorted(p for p in samples_dir().iterdir() if "团员信息汇总表" in p.name)
    for path in sheets:
        extra = ["--community", "民生"] if "百纳瑞汀" in path.name else []
        cli("register", path, "--letters", "none", "-q", "-w", ws.root, *extra)
    return ws


def test_cli_assign_on_the_sample_cadre_sheet(cli, registered: Workspace) -> None:
    sheet = samples_dir() / "联系点干部名单.xlsx"
    result = cli("liaisons", "assign", sheet, "--json", "-w", registered.root)
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    places = {p for c in data["cadres"] for p in c["places"]}
    assert {"东山街道", "海岸路", "民生", "进德"} <= places and data["uncovered"] == []
    excluded = next(c for c in data["cadres"] if c["name"] == "衣鑫")
    assert "东山街道" not in excluded["places"]
    assert all(len(c["places"]) == 2 for c in data["cadres"])
    assert all(Path(p).exists() for p in data["outputs"])
    again = json.loads(cli("liaisons", "assign", sheet, "--json", "-w", registered.root).stdout)
    assert again["cadres"] == data["cadres"]


def test_cli_assign_errors(cli, registered: Workspace, tmp_path: Path) -> None:
    bad = sm.write_xlsx(
        tmp_path / "干部.xlsx", [["姓名", "层级", "所在街道"], ["张三", "居委会", ""]]
    )
    result = cli("liaisons", "assign", bad, "--json", "-w", registered.root)
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["cell"]) == ("cadre-level-unknown", "B2")
    few = sm.write_xlsx(
        tmp_path / "少.xlsx", [["姓名", "层级", "所在街道"], ["李四", "街道团工委", "东山街道"]]
    )
    result = cli("liaisons", "assign", few, "--per-cadre", "1", "--json", "-w", registered.root)
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["uncovered"]
    assert data["findings"][-1]["code"] == "liaison-uncovered"
    assert cli("liaisons", "assign", few, "--per-cadre", "0", "-w", registered.root).exit_code == 2


def test_cli_plan_marks_recorded(cli, registered: Workspace) -> None:
    log = samples_dir() / "东山街道_2026年互通协商记录.xlsx"
    assert cli("services", "import", log, "-q", "-w", registered.root).exit_code == 0
    result = cli("consultations", "plan", "--json", "-w", registered.root)
    data = json.loads(result.stdout)
    firm = next(p for p in data["pairs"] if p["org"] == "山东泓信律师事务所团支部")
    hospital = next(p for p in data["pairs"] if p["org"] == "烟台山医院团委")
    assert (firm["first_half"], firm["second_half"]) == (0, 0)
    assert hospital["first_half"] >= 1 and hospital["second_half"] >= 1
    assert Path(data["output"]).exists()


def test_status_checks_the_workspace_year(cli, registered: Workspace) -> None:
    text = registered.settings_path.read_text(encoding="utf-8").replace(
        "year = 2026", "year = 2020"
    )
    registered.settings_path.write_text(text, encoding="utf-8")
    todo = json.loads(cli("status", "--json", "-w", registered.root).stdout)["todo"]
    owing = [t for t in todo if "尚未互通协商" in t]
    assert owing and owing[0].startswith("2020年尚未互通协商")


def test_a_consultation_log_looks_each_community_up_once(
    cli, registered: Workspace, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Finding a community compares every community of the settings (1,510 in a city):
    the rows of a log naming the same few communities look each up once."""
    from shuanggang.settings import Settings

    log = samples_dir() / "东山街道_2026年互通协商记录.xlsx"
    named = Settings.community_named
    looked_up: list[str] = []

    def counted(self: Settings, text: str):  # type: ignore[no-untyped-def]
        looked_up.append(text)
        return named(self, text)

    monkeypatch.setattr(Settings, "community_named", counted)
    assert cli("services", "import", log, "-q", "-w", registered.root).exit_code == 0
    said = [looked for looked in looked_up if looked]
    assert len(said) == len(set(said)) >= 2  # 21 rows, a few communities, each once
