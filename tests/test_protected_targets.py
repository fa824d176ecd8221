"""No command writes over, or into, the workspace's own files: the database and SQLite's
files beside it, shuanggang.toml, archive/ and templates/ (README “数据安全与可靠性”)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from shuanggang import fsutil, settings
from shuanggang.fsutil import ProtectedTarget, refuse_workspace_target
from shuanggang.store import Workspace
from shuanggang.store.workspace import DB_FILE

PROTECTED = [
    "shuanggang.db",
    "shuanggang.db-wal",
    "shuanggang.db-shm",
    "shuanggang.db-journal",
    "shuanggang.toml",
    "archive/x.zip",
    "archive/ab/deep/x.xlsx",
    "templates/x.xlsx",
    "SHUANGGANG.DB",  # a case-insensitive file system would write the database
    "Archive/x.zip",
    "out/../shuanggang.db",
]


def test_the_guard_knows_the_workspace_names() -> None:
    assert fsutil.DB_NAME == DB_FILE and fsutil.SETTINGS_NAME == settings.SETTINGS_FILE


@pytest.mark.parametrize("name", PROTECTED)
def test_workspace_files_are_refused(ws: Workspace, name: str) -> None:
    with pytest.raises(ProtectedTarget, match="工作区"):
        refuse_workspace_target(ws.root, ws.root / name)
    # the same path found from the workspace it lies in, without being told the workspace
    with pytest.raises(ProtectedTarget):
        refuse_workspace_target(None, ws.root / name)


@pytest.mark.parametrize("name", ["out/名册.xlsx", "backups/备份.zip", "名册.xlsx", "."])
def test_other_paths_are_allowed(ws: Workspace, name: str) -> None:
    refuse_workspace_target(ws.root, ws.root / name)


def test_templates_may_be_written_by_templates_copy(ws: Workspace) -> None:
    refuse_workspace_target(ws.root, ws.root / "templates" / "x.j2", allow_templates=True)
    with pytest.raises(ProtectedTarget):
        refuse_workspace_target(ws.root, ws.root / "archive" / "x", allow_templates=True)


@pytest.mark.skipif(os.name != "posix", reason="symlinks and hard links")
def test_links_to_workspace_files_are_refused(ws: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "db.zip").symlink_to(ws.db_path)
    (elsewhere / "into_archive").symlink_to(ws.archive_dir)
    os.link(ws.settings_path, elsewhere / "hard.toml")
    for path in (
        elsewhere / "db.zip",
        elsewhere / "into_archive" / "x.zip",
        elsewhere / "hard.toml",
    ):
        with pytest.raises(ProtectedTarget):
            refuse_workspace_target(ws.root, path)


def _sound(ws: Workspace) -> None:
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    settings.load(ws.settings_path)


@pytest.mark.parametrize("name", ["shuanggang.db", "shuanggang.toml", "archive/x.zip"])
def test_backup_does_not_write_over_the_workspace(cli, ws: Workspace, name: str) -> None:
    before = sorted(p.relative_to(ws.root) for p in ws.root.rglob("*"))
    result = cli("backup", "-o", ws.root / name, "-w", ws.root)
    assert result.exit_code == 1 and name.split("/")[0] in result.stderr
    _sound(ws)
    assert sorted(p.relative_to(ws.root) for p in ws.root.rglob("*")) == before


def test_backup_relative_to_the_workspace_folder(cli, ws: Workspace, monkeypatch) -> None:
    monkeypatch.chdir(ws.root)
    for name in ("shuanggang.db", "shuanggang.toml", "archive/x.zip"):
        assert cli("backup", "-o", name).exit_code == 1
    _sound(ws)
    assert not (ws.archive_dir / "x.zip").exists()


@pytest.mark.parametrize("command", ["export", "blank"])
@pytest.mark.parametrize("name", ["archive/x.xlsx", "templates/x.xlsx", "ARCHIVE/x"])
def test_export_and_blank_do_not_write_into_the_workspace(
    cli, ws: Workspace, command: str, name: str
) -> None:
    what = "roster" if command == "export" else "members"
    result = cli(command, what, "-o", ws.root / name, "-w", ws.root)
    assert result.exit_code == 1 and "工作区" in result.stderr
    assert not (ws.root / name).with_suffix(".xlsx").exists()
    _sound(ws)


def test_every_output_option_refuses_the_workspace_files(
    cli, ws: Workspace, tmp_path: Path
) -> None:
    """check --annotate -o, report -o and demo cannot write into a workspace's archive/."""
    import sheetmaker as sm

    sheet = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows())
    before = sorted(ws.archive_dir.rglob("*"))
    result = cli("check", sheet, "--annotate", "-o", ws.archive_dir / "x")
    assert result.exit_code == 1 and "archive" in result.stderr
    result = cli("report", "-o", ws.archive_dir, "-w", ws.root)
    assert result.exit_code == 1 and "archive" in result.stderr
    result = cli("demo", ws.archive_dir / "demo")
    assert result.exit_code == 1 and "archive" in result.stderr
    assert sorted(ws.archive_dir.rglob("*")) == before
