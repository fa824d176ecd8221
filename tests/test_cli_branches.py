"""`assign-branches` and `export branches` through the CLI on registered sample sheets."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuanggang.resources import samples_dir
from shuanggang.store import Workspace, init_workspace

SHEETS = sorted(p for p in samples_dir().iterdir() if "团员信息汇总表" in p.name)


def register_all(cli, ws: Workspace, sheets: list[Path]) -> None:
    for path in sheets:
        extra = ["--community", "民生"] if "百纳瑞汀" in path.name else []
        result = cli("register", path, "--letters", "none", "-q", "-w", ws.root, *extra)
        assert result.exit_code == 0, result.stderr


@pytest.fixture
def registered(cli, ws: Workspace) -> Workspace:
    register_all(cli, ws, SHEETS)
    return ws


def test_assign_writes_workbook_and_stores(cli, registered: Workspace) -> None:
    result = cli("assign-branches", "--json", "-w", registered.root)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert sum(b["members"] for b in data["branches"]) == 204
    assert data["output"].endswith("活动团支部编组表.xlsx")
    book = load_workbook(data["output"])
    assert book.sheetnames == ["支部一览", "成员名单", "待处理"]
    assert book["成员名单"].max_row == 205
    status = json.loads(cli("status", "--json", "-w", registered.root).stdout)
    assert status["counts"]["branch_members"] == 204
    assert not any("尚未编入" in t for t in status["todo"])
    refused = [b for b in data["branches"] if "烟台星韵文化传媒有限公司团支部" in b["orgs"]]
    assert len(refused) == 1 and refused[0]["orgs"] == ["烟台星韵文化传媒有限公司团支部"]
    exported = registered.root / "导出.xlsx"
    assert cli("export", "branches", "-o", exported, "-w", registered.root).exit_code == 0
    rows = list(load_workbook(exported)["支部一览"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [b["name"] for b in data["branches"]]


def test_json_is_identical_whatever_the_registration_order(cli, tmp_path: Path) -> None:
    outputs = []
    for name, order in (("a", SHEETS), ("b", list(reversed(SHEETS)))):
        ws = init_workspace(tmp_path / name, district="芝罘区", year=2026)
        register_all(cli, ws, order)
        result = cli("assign-branches", "--json", "-w", ws.root)
        data = json.loads(result.stdout)
        data["output"] = Path(data["output"]).name
        outputs.append(json.dumps(data, ensure_ascii=False))
    assert outputs[0] == outputs[1]


def test_rerun_keeps_placements_and_rebuild_starts_over(cli, ws: Workspace) -> None:
    register_all(cli, ws, SHEETS[:-3])
    first = json.loads(cli("assign-branches", "--json", "-w", ws.root).stdout)
    register_all(cli, ws, SHEETS[-3:])
    status = json.loads(cli("status", "--json", "-w", ws.root).stdout)
    assert any("尚未编入" in t for t in status["todo"])
    assert any("编组之后又有单位报到" in t for t in status["todo"])
    second = json.loads(cli("assign-branches", "--json", "-w", ws.root).stdout)

    def placements(data):
        return {
            (b["name"], p["org"]): p["members"] for b in data["branches"] for p in b["placements"]
        }

    kept = placements(second)
    for (name, org), n in placements(first).items():
        assert kept.get((name, org), 0) >= n or any(k[1] == org and k[0] == name for k in kept), (
            name,
            org,
        )
    assert sum(b["members"] for b in second["branches"]) == 204
    rebuilt = json.loads(cli("assign-branches", "--rebuild", "--json", "-w", ws.root).stdout)
    assert sum(b["members"] for b in rebuilt["branches"]) == 204


def test_dry_run_stores_nothing(cli, registered: Workspace) -> None:
    result = cli("assign-branches", "--dry-run", "--json", "-w", registered.root)
    assert result.exit_code == 0 and json.loads(result.stdout)["output"] is None
    status = json.loads(cli("status", "--json", "-w", registered.root).stdout)
    assert status["counts"]["branches"] == 0
    assert not (registered.out_dir / "活动团支部编组表.xlsx").exists()


def test_pins_and_bad_pins(cli, registered: Workspace, tmp_path: Path) -> None:
    import sheetmaker as sm

    pins = sm.write_xlsx(
        tmp_path / "指定.xlsx",
        [
            ["报到单位", "活动团支部"],
            ["山东泓信律师事务所团支部", "海岸路法律援助活动团支部"],
        ],
    )
    result = cli("assign-branches", "--pins", pins, "--json", "-w", registered.root)
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    (pinned,) = [b for b in data["branches"] if b["name"] == "海岸路法律援助活动团支部"]
    firm = [p for p in pinned["placements"] if p["org"] == "山东泓信律师事务所团支部"]
    assert firm and firm[0]["reason"].startswith("按指定编入")
    assert sum(p["members"] for p in firm) == 4  # the whole firm, as pinned
    bad = sm.write_xlsx(
        tmp_path / "错.xlsx", [["报到单位", "活动团支部"], ["不存在的单位", "某支部"]]
    )
    result = cli("assign-branches", "--pins", bad, "--json", "-w", registered.root)
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["code"] == "org-not-registered" and finding["cell"].endswith("2")


def test_sizes_from_the_command_line(cli, registered: Workspace) -> None:
    result = cli(
        "assign-branches", "--max-size", "20", "--json", "--dry-run", "-w", registered.root
    )
    data = json.loads(result.stdout)
    assert all(b["members"] <= 20 or b["flag"] for b in data["branches"])
    assert (
        cli(
            "assign-branches", "--min-size", "9", "--max-size", "5", "-w", registered.root
        ).exit_code
        == 2  # a usage error, like any option out of its range
    )


def test_outside_workspace(cli) -> None:
    assert cli("assign-branches").exit_code == 1


def test_demo_samples_copy_is_untouched(tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in SHEETS}
    shutil.copytree(samples_dir(), tmp_path / "s")
    assert {p.name: p.read_bytes() for p in SHEETS} == before


# --- a new street, as a first user tries it ---------------------------------------------


def office_sheet(path: Path, org: str, rows: list[list[str]]) -> Path:
    import sheetmaker as sm

    header = ["序号", "姓名", "身份证号码", "手机号码", "专业特长", "可服务时间", "同意合编"]
    return sm.write_xlsx(
        path,
        [
            [f"{org}团员信息汇总表"],
            [f"填表单位（盖章）：{org}      填表日期：2026年3月5日"],
            ["报到社区：海岸路社区"],
            header,
            *[[i, *r] for i, r in enumerate(rows, 1)],
        ],
    )


def person_row(name: str, born: date, serial: int, specialty: str, consent: str = "是") -> list:
    from shuanggang.domain.idnumber import make

    return [
        name,
        make("370602", born, serial),
        f"1380535{serial:04d}",
        specialty,
        "周六上午",
        consent,
    ]


@pytest.fixture
def street(cli, ws: Workspace, tmp_path: Path) -> Workspace:
    """A law firm whose lawyers wrote their specialties as offices do, one whose members
    left them empty, and a 2-member clinic that refused merging."""
    sheets = [
        office_sheet(
            tmp_path / "律所.xlsx",
            "山东明法律师事务所团支部",
            [
                person_row("赵律", date(1995, 1, 1), 11, "诉讼代理"),
                person_row("钱律", date(1996, 1, 1), 12, "合同审查"),
                person_row("孙律", date(1997, 1, 1), 13, "诉讼代理、合同审查"),
            ],
        ),
        office_sheet(
            tmp_path / "律所二.xlsx",
            "烟台正衡律师事务所团支部",
            [person_row(f"李{i}", date(1998, 1, 1), 20 + i, "") for i in range(3)],
        ),
        office_sheet(
            tmp_path / "诊所.xlsx",
            "东山惠民诊所团支部",
            [person_row(f"周{i}", date(1999, 1, 1), 30 + i, "", "否") for i in range(2)],
        ),
    ]
    register_all(cli, ws, sheets)
    return ws


def test_categories_come_from_specialties_and_org_names(cli, street: Workspace) -> None:
    data = json.loads(cli("assign-branches", "--json", "-w", street.root).stdout)
    (law,) = [b for b in data["branches"] if "山东明法律师事务所团支部" in b["orgs"]]
    assert law["category"] == "法律服务" and "烟台正衡律师事务所团支部" in law["orgs"]
    (clinic,) = [b for b in data["branches"] if b["orgs"] == ["东山惠民诊所团支部"]]
    assert clinic["category"] == "义诊服务"
    rows = list(load_workbook(data["output"])["成员名单"].iter_rows(min_row=2, values_only=True))
    reasons = {r[1]: r[6] for r in rows}
    assert "专业特长含“诉讼”" in reasons["赵律"] and "专业特长含“合同”" in reasons["钱律"]
    assert "报到单位名称含“律师”" in reasons["李0"]
    assert "报到单位名称含“诊所”" in reasons["周0"]
    from shuanggang.domain.idnumber import make

    key = make("370602", date(1998, 1, 1), 20)  # 李0
    shown = json.loads(cli("members", "show", key, "--json", "-w", street.root).stdout)
    assert shown["category"] == "法律服务"  # registration reads the org's name as well


def test_summary_and_a_refusing_clinics_reason_on_every_run(cli, street: Workspace) -> None:
    first = json.loads(cli("assign-branches", "--json", "-w", street.root).stdout)
    (summary,) = first["summary"]
    assert summary["scope"] == "海岸路"
    assert summary["branches"] == len(first["branches"]) == 2
    assert sorted(summary["sizes"]) == [2, 6] and summary["orgs_split"] == 0
    again = json.loads(cli("assign-branches", "--json", "-w", street.root).stdout)
    assert first["flags"] == again["flags"]
    assert any("不足 3 人（单位不同意合编）" in f for f in again["flags"])


def test_two_runs_give_identical_files_whatever_the_hash_seed(
    cli, registered: Workspace, tmp_path: Path
) -> None:
    """The same workspace assigned in two processes with different string hashing: the
    same JSON and byte-identical workbooks."""
    import os
    import subprocess
    import sys

    import shuanggang

    outputs = []
    for hashing in ("1", "2"):
        copy = tmp_path / f"ws{hashing}"
        shutil.copytree(registered.root, copy)
        env = {
            **os.environ,
            "PYTHONHASHSEED": hashing,
            "PYTHONPATH": str(Path(shuanggang.__file__).parents[1]),
        }
        done = subprocess.run(
            [sys.executable, "-m", "shuanggang", "assign-branches", "--json", "-w", str(copy)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(done.stdout)
        workbook = Path(data.pop("output")).read_bytes()
        outputs.append((data, workbook))
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][1] == outputs[1][1]
