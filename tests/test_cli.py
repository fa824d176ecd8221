from __future__ import annotations

import json
from pathlib import Path

from shuanggang.store import Workspace


def test_init_then_status(cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "w", "--district", "芝罘区", "--year", "2026")
    assert result.exit_code == 0, result.stderr
    assert "已创建工作区" in result.stderr
    status = cli("status", "-w", tmp_path / "w")
    assert status.exit_code == 0
    assert "社区" in status.stdout and "151" in status.stdout
    assert "还没有单位报到" in status.stderr


def test_status_json(cli, ws: Workspace) -> None:
    result = cli("status", "--json", "-w", ws.root)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["workspace"] == str(ws.root)
    assert (data["district"], data["year"]) == ("芝罘区", 2026)
    assert data["counts"]["streets"] == 13 and data["counts"]["members"] == 0
    assert data["last"]["init"] is not None and data["last"]["report"] is None


def test_status_found_from_env(cli, ws: Workspace) -> None:
    result = cli("status", "--json", env={"SHUANGGANG_WORKSPACE": str(ws.root)})
    assert result.exit_code == 0 and json.loads(result.stdout)["workspace"] == str(ws.root)


def test_outside_a_workspace_exits_1_in_chinese(cli) -> None:
    result = cli("status")
    assert result.exit_code == 1
    assert "错误：当前目录" in result.stderr and "没有找到工作区" in result.stderr
    assert "提示：" in result.stderr and "shuanggang init" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exception is None


def test_debug_shows_the_traceback(cli) -> None:
    result = cli("status", "--debug")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "NoWorkspace" in result.stderr


def test_broken_settings_exit_1_naming_the_key(cli, ws: Workspace) -> None:
    ws.settings_path.write_text("[branch]\nmax_size = 'many'\n", encoding="utf-8")
    result = cli("status", "-w", ws.root)
    assert result.exit_code == 1
    assert "shuanggang.toml：branch.max_size 应为整数" in result.stderr


def test_unexpected_failure_hides_details_without_debug(cli, ws: Workspace, monkeypatch) -> None:
    from shuanggang.workflow import status as status_module

    def boom(*args):
        raise ValueError("370602199801011234 leaked")

    monkeypatch.setattr(status_module, "workspace_status", boom)
    monkeypatch.setattr("shuanggang.cli.status.workspace_status", boom)
    result = cli("status", "-w", ws.root)
    assert result.exit_code == 1
    assert "程序内部错误（ValueError）" in result.stderr
    assert "370602199801011234" not in result.stderr + result.stdout


def test_usage_errors_exit_2(cli) -> None:
    assert cli("status", "--no-such-option").exit_code == 2
    assert cli("no-such-command").exit_code == 2
    assert cli("init", "--year", "二〇二六").exit_code == 2


def test_init_twice_exits_1(cli, ws: Workspace) -> None:
    result = cli("init", ws.root)
    assert result.exit_code == 1 and "已经是一个工作区" in result.stderr


def test_quiet_prints_nothing_on_success(cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "q", "--quiet")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_demo_builds_a_workspace_and_reruns(cli, tmp_path: Path) -> None:
    target = tmp_path / "demo-out"
    first = cli("demo", target, "--json")
    assert first.exit_code == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["workspace"] == str(target.resolve())
    assert (target / "shuanggang.toml").is_file()
    assert all(Path(p).exists() for p in data["outputs"])
    letters = [p for p in data["outputs"] if p.endswith("_报到介绍信.docx")]
    assert len(letters) == 12
    status = json.loads(cli("status", "--json", "-w", target).stdout)
    assert (status["counts"]["orgs"], status["counts"]["members"]) == (12, 204)
    assert status["counts"]["claims"] >= 1
    assert status["counts"]["branch_members"] == 204
    assert (status["counts"]["services"], status["counts"]["consultations"]) == (414, 21)
    assert any(p.endswith("综合考评.xlsx") for p in data["outputs"])
    assert any(p.endswith("证明登记簿.xlsx") for p in data["outputs"])
    proofs = [p for p in data["outputs"] if "志愿服务记录证明" in p and "合并打印" in p]
    assert {Path(p).suffix for p in proofs} == {".html", ".docx"}
    again = cli("demo", target)
    assert again.exit_code == 0, again.stderr


def test_demo_refuses_a_folder_with_other_files(cli, tmp_path: Path) -> None:
    target = tmp_path / "documents"
    target.mkdir()
    (target / "工作总结.docx").write_bytes(b"precious")
    result = cli("demo", target)
    assert result.exit_code == 1 and "不是空目录" in result.stderr
    assert (target / "工作总结.docx").read_bytes() == b"precious"


def test_piped_output_is_never_wrapped(cli, tmp_path) -> None:
    folder = tmp_path / ("很长的目录名" * 6) / ("另一层目录" * 6) / "工作区"
    result = cli("status", "-w", folder)
    assert result.exit_code == 1
    assert str(folder) in result.stderr  # one line, not split at the console width


def test_a_piped_table_is_one_tab_separated_line_per_row(cli, ws: Workspace) -> None:
    """Into a pipe or a file a table is its title, its header and its rows, the cells
    separated by tabs: a spreadsheet or a script reads the columns, nothing is boxed or
    folded at the console width."""
    lines = cli("status", "-w", ws.root).stdout.splitlines()
    header = lines.index("内容\t数量")
    rows = dict(line.split("\t") for line in lines[header + 1 :] if "\t" in line)
    assert rows["街道（园区）"] == "13" and rows["团员"] == "0"
    assert not any(char in "".join(lines) for char in "│┃━─")


def test_a_table_on_a_terminal_is_still_drawn_by_rich(cli, ws: Workspace) -> None:
    result = cli("status", "-w", ws.root, env={"FORCE_COLOR": "1"})
    assert "内容\t数量" not in result.stdout
    assert "内容" in result.stdout and any(char in result.stdout for char in "│┃━─")
