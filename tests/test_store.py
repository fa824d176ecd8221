from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shuanggang.errors import StoreError
from shuanggang.store import SCHEMA_VERSION, Store, Workspace
from shuanggang.store.archive import archive, file_hash
from shuanggang.store.schema import MIGRATIONS

TABLES = {
    "streets",
    "communities",
    "files",
    "orgs",
    "members",
    "projects",
    "claims",
    "branches",
    "branch_members",
    "services",
    "consultations",
    "letters",
    "audit",
}


def test_fresh_store_is_at_the_latest_version(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        assert store.version == SCHEMA_VERSION == len(MIGRATIONS)
        names = {
            r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert names >= TABLES
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_run_forward_and_keep_data(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path, migrations=MIGRATIONS) as store, store.change("test"):
        store.conn.execute("INSERT INTO streets (name) VALUES ('向阳街道')")
    later = [*MIGRATIONS, "ALTER TABLE streets ADD COLUMN leader TEXT;"]
    with Store.open(path, migrations=later) as store:
        assert store.version == len(MIGRATIONS) + 1
        row = store.conn.execute("SELECT name, leader FROM streets").fetchone()
        assert tuple(row) == ("向阳街道", None)


def test_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()
    broken = [*MIGRATIONS, "CREATE TABLE extra (x); INSERT INTO nowhere VALUES (1);"]
    with pytest.raises(StoreError):
        Store.open(path, migrations=broken)
    with Store.open(path) as store:
        assert store.version == len(MIGRATIONS)
        assert (
            store.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'extra'"
            ).fetchone()[0]
            == 0
        )


def test_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="高于本程序支持的版本"):
        Store.open(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="无法打开工作区数据库"):
        Store.open(path)


def test_change_is_one_transaction_with_an_audit_row(ws: Workspace) -> None:
    with ws.open_store() as store:
        audits = store.counts()
        with pytest.raises(RuntimeError), store.change("register", "坏文件"):
            store.conn.execute("INSERT INTO streets (name) VALUES ('半截街道')")
            raise RuntimeError("midway")
        assert (
            store.conn.execute("SELECT count(*) FROM streets WHERE name='半截街道'").fetchone()[0]
            == 0
        )
        assert (
            store.conn.execute("SELECT count(*) FROM audit WHERE command='register'").fetchone()[0]
            == 0
        )
        with store.change("register", "好文件", file_hash="abc"):
            store.conn.execute("INSERT INTO streets (name) VALUES ('整街道')")
        row = store.last_run("register")
        assert row is not None and row["command"] == "register"
        assert store.counts()["streets"] == audits["streets"] + 1


def test_foreign_keys_are_enforced(ws: Workspace) -> None:
    with ws.open_store() as store, pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO orgs (name, community_id, registered_at) VALUES ('某单位', 99999, 'x')"
        )


def test_archive_keeps_one_copy_per_content(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "名单.xlsx"
    source.write_bytes(b"PK fake workbook bytes")
    copy = tmp_path / "名单 (1).xlsx"
    copy.write_bytes(source.read_bytes())
    digest = file_hash(source)
    with ws.open_store() as store, store.change("register", file_hash=digest) as conn:
        first = archive(conn, ws.archive_dir, source, "members", digest)
        second = archive(conn, ws.archive_dir, copy, "members", file_hash(copy))
    assert first == second and first.read_bytes() == source.read_bytes()
    assert first.is_relative_to(ws.archive_dir) and first.name.startswith(digest)
    with ws.open_store() as store:
        assert store.counts()["files"] == 1
    assert [p for p in ws.archive_dir.rglob("*") if p.is_file()] == [first]


def test_sync_divisions_never_deletes(ws: Workspace) -> None:
    from shuanggang.settings import Community, Street

    with ws.open_store() as store, store.change("sync"):
        store.sync_divisions([Street("测试街道", "", (Community("海岸路", "海岸路社区"),))])
    with ws.open_store() as store:
        row = store.conn.execute(
            "SELECT s.name FROM communities c JOIN streets s ON s.id = c.street_id"
            " WHERE c.short = '海岸路'"
        ).fetchone()
        assert row[0] == "测试街道"
        assert store.counts()["communities"] == 151


def test_sync_divisions_writes_nothing_when_the_store_already_agrees(ws: Workspace) -> None:
    streets = ws.settings().streets
    with ws.open_store() as store:
        with store.change("sync"):
            store.sync_divisions(streets)  # init stored them: nothing to write
        before = store.conn.total_changes
        for _ in range(3):
            with store.change("sync"):
                store.sync_divisions(streets)
        # Only the three audit rows; no street or community row is rewritten.
        assert store.conn.total_changes - before == 3


def test_the_store_refuses_dates_and_minutes_of_the_wrong_shape(ws: Workspace) -> None:
    import sqlite3

    with ws.open_store() as store:
        conn = store.conn
        for bad in ("2026年6月", "2026-6-1", "June"):
            with pytest.raises(sqlite3.IntegrityError, match="wrong shape"):
                conn.execute(
                    "INSERT INTO consultations (date, community_id, org_id) VALUES (?, 1, 1)",
                    (bad,),
                )
        conn.execute("PRAGMA foreign_keys = OFF")
        for good in ("2026-06", "2026-06-30"):
            conn.execute(
                "INSERT INTO consultations (date, community_id, org_id) VALUES (?, 1, 1)", (good,)
            )
        with pytest.raises(sqlite3.IntegrityError, match="wrong shape"):
            conn.execute(
                "INSERT INTO services (file_hash, date, member_id, minutes)"
                " VALUES ('x', '2026-06-01', 1, 1.5)"
            )
