from __future__ import annotations

from pathlib import Path

import pytest

from shuanggang.errors import NoWorkspace, WorkspaceError
from shuanggang.store import Workspace, find_workspace, init_workspace


def test_init_writes_settings_and_store(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "新工作区", district="芝罘区", year=2026)
    assert ws.settings_path.is_file() and ws.db_path.is_file()
    assert ws.archive_dir.is_dir() and ws.out_dir.is_dir()
    assert ws.settings().year == 2026
    with ws.open_store() as store:
        assert store.counts()["communities"] == 151
        assert store.last_run("init") is not None


def test_init_refuses_an_existing_workspace(ws: Workspace) -> None:
    before = ws.settings_path.read_bytes()
    with pytest.raises(WorkspaceError, match="已经是一个工作区"):
        init_workspace(ws.root, district="芝罘区", year=2027)
    assert ws.settings_path.read_bytes() == before


def test_init_rejects_a_two_digit_year(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="年度 26 不合理"):
        init_workspace(tmp_path / "w", district="芝罘区", year=26)
    assert not (tmp_path / "w").exists()


def test_found_from_a_subfolder(ws: Workspace) -> None:
    deep = ws.root / "out" / "某社区"
    deep.mkdir(parents=True)
    assert find_workspace(env={}, cwd=deep).root == ws.root


def test_explicit_folder_wins_over_env_and_cwd(ws: Workspace, tmp_path: Path) -> None:
    other = init_workspace(tmp_path / "other", district="芝罘区", year=2026)
    env = {"SHUANGGANG_WORKSPACE": str(other.root)}
    assert find_workspace(ws.root, env=env, cwd=other.root).root == ws.root
    assert find_workspace(None, env=env, cwd=ws.root).root == other.root


def test_env_pointing_nowhere_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="SHUANGGANG_WORKSPACE 指定的"):
        find_workspace(env={"SHUANGGANG_WORKSPACE": str(tmp_path)}, cwd=tmp_path)


def test_no_workspace_anywhere(cli, tmp_path: Path) -> None:
    with pytest.raises(NoWorkspace):
        find_workspace(env={}, cwd=tmp_path)
    # The store names no command; the command line says what to run.
    result = cli("status")
    assert result.exit_code == 1 and "shuanggang init" in result.stderr


def test_missing_database_is_reported(ws: Workspace) -> None:
    ws.db_path.unlink()
    with pytest.raises(WorkspaceError, match="缺少数据库"):
        ws.open_store()


def test_init_takes_the_year_from_the_clock(cli, monkeypatch, tmp_path: Path) -> None:
    from datetime import date

    from shuanggang import clock, settings

    monkeypatch.setattr(clock, "today", lambda: date(2027, 3, 1))
    result = cli("init", tmp_path / "next")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "next" / "shuanggang.toml").read_text(encoding="utf-8")
    assert "\nyear = 2027\n" in text
    assert settings.defaults().year == 2027  # check outside a workspace judges 2027 too


def test_out_of_range_options_are_usage_errors(cli, ws) -> None:
    for args in (("--min-size", "0"), ("--max-size", "0"), ("--min-size", "9", "--max-size", "4")):
        result = cli("assign-branches", *args, "-w", ws.root)
        assert result.exit_code == 2, args
