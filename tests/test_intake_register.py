"""What offices really send to `register`: a 报到社区 line in a short form, names in file
names with 修改后 and the like, and the person at the desk deciding with --org/--community."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from test_register import member_sheet

from shuanggang.domain.checkin import org_name_from
from shuanggang.store import Workspace


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("附件2-烟台山医院团委_团员信息汇总表（修改后）(1)", "烟台山医院团委"),
        ("芝罘区文化馆团支部（修改后）", "芝罘区文化馆团支部"),
        ("2026年鲁东大学法学院团委团员信息汇总表（终稿）", "鲁东大学法学院团委"),
        ("烟台港团委-团员名单 - 副本", "烟台港团委"),
        ("第十中学团委（定稿）20260305", "第十中学团委"),
        ("中国银行（烟台分行）团委", "中国银行（烟台分行）团委"),  # a bracket that is the name's
    ],
)
def test_org_name_from_titles_and_file_names(written: str, name: str) -> None:
    assert org_name_from(written) == name


def bare_sheet(path: Path) -> Path:
    """No title, no 填表单位 or 报到社区 line: the header and the members only."""
    return sm.write_xlsx(path, [sm.HEADER, *sm.MEMBERS])


def register(cli, ws: Workspace, *args: Any) -> tuple[int, dict[str, Any]]:
    result = cli("register", *map(str, args), "--letters", "none", "--json", "-w", ws.root)
    return result.exit_code, json.loads(result.stdout)[0]


def test_org_from_the_file_name_drops_draft_marks(cli, ws: Workspace, tmp_path: Path) -> None:
    path = bare_sheet(tmp_path / "芝罘区文化馆团支部（修改后）.xlsx")
    code, data = register(cli, ws, path, "--community", "海岸路")
    assert code == 0, data["findings"]
    assert (data["org"], data["org_source"]) == ("芝罘区文化馆团支部", "文件名")
    assert (data["community"], data["community_source"]) == ("海岸路", "--community")


def test_community_option_wins_over_the_sheet(cli, ws: Workspace, tmp_path: Path) -> None:
    path = member_sheet(tmp_path, community="毓东社区")
    code, data = register(cli, ws, path, "--dry-run")
    assert code == 1
    (finding,) = [f for f in data["findings"] if f["code"] == "community-unknown"]
    assert "毓璜顶东" in finding["hint"]  # the nearest match, by abbreviation
    code, data = register(cli, ws, path, "--community", "毓璜顶东", "--org", "某医院团委")
    assert code == 0, data["findings"]
    assert (data["community"], data["org"], data["org_source"]) == (
        "毓璜顶东",
        "某医院团委",
        "--org",
    )


def test_workspace_aliases_name_communities_and_orgs(cli, ws: Workspace, tmp_path: Path) -> None:
    text = ws.settings_path.read_text(encoding="utf-8")
    text = text.replace('# "毓东" = "毓璜顶东"', '"毓东" = "毓璜顶东"')
    text = text.replace('# "烟台山医院" = "烟台山医院团委"', '"烟台山医院" = "烟台山医院团委"')
    ws.settings_path.write_text(text, encoding="utf-8")
    path = member_sheet(tmp_path, community="毓东社区", org="烟台山医院")
    code, data = register(cli, ws, path)
    assert code == 0, data["findings"]
    assert (data["community"], data["org"]) == ("毓璜顶东", "烟台山医院团委")


def test_hidden_rows_are_left_out_unless_asked_for(cli, ws: Workspace, tmp_path: Path) -> None:
    table = sm.office_rows()
    path = sm.write_xlsx(tmp_path / "名单.xlsx", table, hidden_rows=[6])  # the third member
    code, data = register(cli, ws, path, "--dry-run")
    assert code == 0 and data["members"] == 2
    (hidden,) = [f for f in data["findings"] if f["code"] == "row-hidden"]
    assert hidden["cell"].startswith("A6")
    code, data = register(cli, ws, path, "--dry-run", "--include-hidden")
    assert code == 0 and data["members"] == 3
    assert not [f for f in data["findings"] if f["code"] == "row-hidden"]


def test_names_are_kept_as_written_and_matched_either_way(
    cli, ws: Workspace, tmp_path: Path
) -> None:
    name = "中国银行（烟台芝罘）团支部"
    code, data = register(cli, ws, member_sheet(tmp_path, org=name))
    assert code == 0 and data["org"] == name  # full-width brackets kept for the letters
    talks: list[list[Any]] = [
        ["日期", "社区", "报到单位", "形式", "内容摘要"],
        [
            "2026-05-20",
            "海岸路社区",
            "中国银行(烟台芝罘)团支部",
            "座谈",
            "上半年活动总结，商定安排",
        ],
    ]
    result = cli(
        "services", "import", sm.write_xlsx(tmp_path / "协商.xlsx", talks), "--json", "-w", ws.root
    )
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)[0]["rows"] == 1


def test_register_says_everything_in_one_run(cli, ws: Workspace, tmp_path: Path) -> None:
    code, _ = register(cli, ws, member_sheet(tmp_path))  # 张伟 is now 烟台山医院团委's
    assert code == 0
    bad_id = sm.ID_B[:-1] + ("0" if sm.ID_B[-1] != "0" else "1")
    rows = [
        [1, "张伟", "男", sm.ID_A, "2000.05", "13805351234", "", "", "是"],  # registered
        [2, "李娜", "女", bad_id, "2001.08", "13805354321", "", "", "是"],  # bad check digit
    ]
    other = member_sheet(tmp_path, "银行.xlsx", rows=rows, org="某银行团支部")
    code, data = register(cli, ws, other, "--claim", "2099-01")
    assert code == 1 and data["status"] == "rejected"
    assert {f["code"] for f in data["findings"]} >= {
        "member-registered-elsewhere",
        "id-checksum",
        "claim-unknown",
    }


def test_a_corrected_sheet_releases_members_whose_category_changed(
    cli, ws: Workspace, tmp_path: Path
) -> None:
    header = [("个人专长" if h == "专业特长" else h) for h in sm.HEADER]
    path = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows(header=header))
    code, data = register(cli, ws, path)
    assert code == 0
    assert [f["cell"] for f in data["findings"] if f["code"] == "column-ignored"] == ["G4"]
    assert cli("assign-branches", "-w", ws.root).exit_code == 0
    placed = json.loads(cli("status", "--json", "-w", ws.root).stdout)["counts"]
    assert placed["branch_members"] == placed["members"] == 3
    text = ws.settings_path.read_text(encoding="utf-8")
    text = text.replace('# "个人专长" = "specialty"', '"个人专长" = "specialty"')
    ws.settings_path.write_text(text, encoding="utf-8")
    code, data = register(cli, ws, path, "--replace")
    assert code == 0 and data["status"] == "replaced"
    status = json.loads(cli("status", "--json", "-w", ws.root).stdout)
    # At first the organisation's name (烟台山医院) gave all three 义诊服务; 会计 and
    # 家电维修 now give two of them another category: they wait for a branch again, so a
    # plain assign-branches places them anew, and 临床医学 keeps its member where he is.
    assert status["counts"]["branch_members"] == 1
    assert any("尚未编入" in item for item in status["todo"])
