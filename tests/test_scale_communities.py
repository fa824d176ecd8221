"""Scale inputs with invented communities (`samples/generate.py --communities N`, the
city preset): the streets and communities come in a settings file a workspace accepts,
and every organisation, ledger and service of the inputs lands in one of them.

The generator runs in its own process: it pins openpyxl's XML writer on import."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shuanggang.settings import Community, Settings, from_mapping
from shuanggang.store import init_workspace
from shuanggang.workflow.branches import BranchOptions, assign
from shuanggang.workflow.projects import import_ledgers
from shuanggang.workflow.register import RegisterOptions, register_files
from shuanggang.workflow.report import ReportOptions, make_report
from shuanggang.workflow.services import import_logs

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
COMMUNITIES = 15


def _generate(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SAMPLES / "generate.py"), *args, "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city")
    args = ("--scale", "0.05", "--communities", str(COMMUNITIES), "--service-rows", "600")
    done = _generate(out, *args)
    assert done.returncode == 0, done.stderr
    return out


def test_the_settings_file_names_every_invented_community(inputs: Path) -> None:
    raw = tomllib.loads((inputs / "shuanggang.toml").read_text(encoding="utf-8"))
    settings = from_mapping(raw)
    shorts = [c.short for c in settings.communities()]
    assert len(shorts) == len(set(shorts)) == COMMUNITIES
    for street in settings.streets:
        assert re.fullmatch(r"3706\d{5}", street.code), street
        assert street.name.endswith("街道")
        for c in street.communities:
            assert re.fullmatch(re.escape(street.code) + r"\d{3}", c.code), c
    manifest = json.loads((inputs / "scale_manifest.json").read_text(encoding="utf-8"))
    assert manifest["communities"] == COMMUNITIES  # each has an organisation
    assert manifest["settings"] == "shuanggang.toml"


def test_a_workspace_with_the_settings_file_takes_the_whole_year(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = init_workspace(tmp_path / "ws", district="芝罘区", year=2026)
    shutil.copyfile(inputs / "shuanggang.toml", ws.settings_path)
    settings = ws.settings()
    invented = {c.short for c in settings.communities()}
    results: list[Any] = []
    with ws.open_store() as store:
        results += import_ledgers(
            ws, store, settings, sorted(inputs.rglob("*为民服务实事台账*.xlsx"))
        )
        sheets = sorted(inputs.rglob("*团员信息汇总表*.xlsx"))
        results += register_files(
            ws, store, settings, [(p, RegisterOptions(letters=())) for p in sheets]
        )
        assign(ws, store, settings, BranchOptions())
        # Finding a community compares every community of the settings (1,510 in a
        # city): a log's import looks each name up once, not once a row.
        looked_up = []
        named = Settings.community_named

        def counted(self: Settings, text: str) -> Community | None:
            looked_up.append(text)
            return named(self, text)

        monkeypatch.setattr(Settings, "community_named", counted)
        logs = sorted(inputs.rglob("*服务活动台账*.xlsx"))
        results += import_logs(ws, store, settings, logs)
        assert len(looked_up) <= COMMUNITIES + 2 * len(logs)
        assert [r for r in results if r.status == "rejected"] == []
        conn = store.conn
        org_places = {
            r[0]
            for r in conn.execute(
                "SELECT c.short FROM orgs o JOIN communities c ON c.id = o.community_id"
            )
        }
        ledger_places = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT c.short FROM projects p"
                " JOIN communities c ON c.id = p.community_id"
            )
        }
        service_places = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT c.short FROM services s"
                " JOIN communities c ON c.id = s.community_id"
            )
        }
        (services,) = conn.execute("SELECT count(*) FROM services").fetchone()
        report = make_report(ws, store, settings, ReportOptions(on=date(2026, 12, 28), letters=()))
    assert org_places == ledger_places == service_places == invented
    assert services == 600
    assert {g.org.community for g in report.grades} == invented


def test_more_communities_than_organisations_is_refused(tmp_path: Path) -> None:
    done = _generate(tmp_path / "out", "--scale", "0.01", "--communities", "100")
    assert done.returncode == 2
    assert "100 个社区" in done.stderr
    assert not (tmp_path / "out").exists()


def test_the_city_has_1510_unique_communities_in_streets_of_about_15() -> None:
    code = (
        "import json, random, sys; sys.path.insert(0, sys.argv[1]);"
        "from generator.city import city_streets;"
        "s = city_streets(random.Random(7), 1510);"
        "print(json.dumps([[d.name, d.code, d.communities] for d in s], ensure_ascii=False))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    streets = json.loads(done.stdout)
    shorts = [c for _, _, cs in streets for c, _ in cs]
    codes = [code for _, _, cs in streets for _, code in cs]
    assert len(shorts) == len(set(shorts)) == 1510
    assert len(set(codes)) == 1510 and all(re.fullmatch(r"\d{12}", c) for c in codes)
    assert len({name for name, _, _ in streets}) == len(streets) == round(1510 / 15)
