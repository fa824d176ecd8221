"""`history` and `undo`: every step taken back leaves every data table exactly as it was
(same rows, same ids), refusals are clear, and stores from before undo still work."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from shuanggang.resources import samples_dir
from shuanggang.store import Store, Workspace
from shuanggang.store.history import UndoRefused, changes, next_to_undo, undo
from shuanggang.store.schema import MIGRATIONS, UNDO_TABLES_AT_6

SHEETS = sorted(p for p in samples_dir().iterdir() if "团员信息汇总表" in p.name)
LOGS = sorted(p for p in samples_dir().iterdir() if "服务活动台账" in p.name)
NOT_DATA = {"audit", "undo_log", "undo_start"}


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every data table's rows with their rowids, in rowid order."""
    conn = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            if r[0] not in NOT_DATA
        ]
        return {
            t: [tuple(r) for r in conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid")]
            for t in tables
        }
    finally:
        conn.close()


def register(cli, ws: Workspace, sheets: list[Path] = SHEETS, *extra: str) -> None:
    for path in sheets:
        where = ["--community", "民生"] if "百纳瑞汀" in path.name else []
        result = cli("register", path, "--letters", "none", "-q", "-w", ws.root, *where, *extra)
        assert result.exit_code == 0, result.stderr


def run(cli, ws: Workspace, *args: str | Path) -> dict:
    result = cli(*args, "--json", "-w", ws.root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_every_step_taken_back_leaves_the_store_as_it_was(cli, ws: Workspace) -> None:
    register(cli, ws, SHEETS[:-1])
    dumps = [dump(ws.db_path)]
    register(cli, ws, SHEETS[-1:])
    dumps.append(dump(ws.db_path))
    assert cli("services", "import", LOGS[0], "-q", "-w", ws.root).exit_code == 0
    dumps.append(dump(ws.db_path))
    assert cli("assign-branches", "-q", "-w", ws.root).exit_code == 0
    dumps.append(dump(ws.db_path))
    assert dumps[1]["members"] and dumps[2]["services"] and dumps[3]["branch_members"]
    for expected, command in zip(
        reversed(dumps[:-1]), ("assign-branches", "services import", "register"), strict=True
    ):
        data = run(cli, ws, "undo")
        assert data["undone"]["command"] == command
        assert dump(ws.db_path) == expected
    assert (ws.out_dir / "活动团支部编组表.xlsx").exists()  # outputs are never deleted
    # the undone changes' entries are gone, and the undos logged none of their own
    conn = sqlite3.connect(ws.db_path)
    logged = {r[0] for r in conn.execute("SELECT DISTINCT audit_id FROM undo_log")}
    kept = {r[0] for r in conn.execute("SELECT id FROM audit WHERE command != 'undo'")}
    undone = {r[0] for r in conn.execute("SELECT id FROM audit WHERE undone_by IS NOT NULL")}
    assert len(undone) == 3 and logged == kept - undone


def test_undo_names_the_outputs_the_undone_command_wrote(cli, ws: Workspace) -> None:
    register(cli, ws, SHEETS[:2])
    assert cli("assign-branches", "-q", "-w", ws.root).exit_code == 0
    data = run(cli, ws, "undo")
    assert [Path(p).name for p in data["outputs"]] == ["活动团支部编组表.xlsx"]
    assert data["backup"] and Path(data["backup"]).exists()
    result = cli("undo", "-w", ws.root)
    assert result.exit_code == 0
    assert "已撤销 #" in result.stderr and "register" in result.stderr


def test_dry_run_changes_nothing(cli, ws: Workspace) -> None:
    register(cli, ws, SHEETS[:2])
    before = dump(ws.db_path)
    audits = sqlite3.connect(ws.db_path).execute("SELECT count(*) FROM audit").fetchone()
    data = run(cli, ws, "undo", "--dry-run")
    assert data["dry_run"] and data["undone"]["number"] == 3
    assert data["undone"]["rows"]["added"]["members"] > 0
    assert dump(ws.db_path) == before
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("SELECT count(*) FROM audit").fetchone() == audits
    assert conn.execute("SELECT count(*) FROM audit WHERE undone_by IS NOT NULL").fetchone() == (0,)
    assert not (ws.root / "backups").exists()


def test_history_lists_newest_first_and_marks_undone(cli, ws: Workspace) -> None:
    register(cli, ws, SHEETS[:2])
    run(cli, ws, "undo")
    listed = run(cli, ws, "history")
    assert [c["command"] for c in listed] == ["undo", "register", "register", "init"]
    undo_row, undone, kept, _ = listed
    assert undone["undone_by"] == undo_row["number"] and undo_row["undoes"] == undone["number"]
    assert undo_row["detail"].startswith(f"#{undone['number']} register")
    assert kept["file"] == SHEETS[0].name and kept["undone_by"] is None
    assert kept["rows"]["added"]["members"] > 0
    assert len(run(cli, ws, "history", "--limit", "2")) == 2
    shown = cli("history", "-w", ws.root).stdout
    assert f"撤销于 #{undo_row['number']}" in shown and SHEETS[0].name[:4] in shown


def test_undo_goes_further_back_and_refuses_at_init(cli, ws: Workspace) -> None:
    register(cli, ws, SHEETS[:2])
    first = run(cli, ws, "undo")["undone"]["number"]
    second = run(cli, ws, "undo")["undone"]["number"]
    assert (first, second) == (3, 2)  # not the undo just made
    refused = cli("undo", "-w", ws.root)
    assert refused.exit_code == 1
    assert "init" in refused.stderr and "不能撤销" in refused.stderr


def test_nothing_to_undo(tmp_path: Path) -> None:
    with (
        Store.open(tmp_path / "s.db") as store,
        pytest.raises(UndoRefused, match="没有可以撤销的更改"),
    ):
        next_to_undo(store)


def test_updates_deletes_and_cascades_come_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        with store.change("setup"):
            c = store.conn
            c.execute("INSERT INTO streets (name, code) VALUES ('东山街道', '001')")
            c.execute("INSERT INTO communities (street_id, short, name) VALUES (1, '海岸路', 'x')")
            c.execute("INSERT INTO files VALUES ('h''1', 'a.xlsx', 'members', 1, 't')")
            c.execute(
                "INSERT INTO orgs (name, community_id, file_hash, registered_at)"
                " VALUES ('医院', 1, 'h''1', 't')"
            )
            c.executemany(
                "INSERT INTO members (org_id, id_number, name, remark) VALUES (1, ?, ?, ?)",
                [(str(i), f"团员{i}", "备注\n'引号'" if i % 2 else None) for i in range(5)],
            )
            c.execute("INSERT INTO projects (community_id, project_no, title) VALUES (1, '1', 'p')")
            c.execute("INSERT INTO claims (project_id, org_id, claimed_at) VALUES (1, 1, 't')")
            c.execute(
                "INSERT INTO services (file_hash, date, member_id, minutes, rating)"
                " VALUES ('h''1', '2026-01-02', 2, 30, 0.1 + 0.2)"
            )
        before = dump(path)
        with store.change("edit"):
            c.execute("UPDATE streets SET code = '', name = '新名'")
            c.execute("UPDATE members SET remark = 'x' WHERE id > 2")
            c.execute("UPDATE members SET remark = remark")  # nothing changes: nothing logged
            c.execute("DELETE FROM orgs")  # cascades to members, services, claims
            c.execute("DELETE FROM files")
            c.execute("INSERT INTO orgs (name, community_id, registered_at) VALUES ('新', 1, 't')")
        (edit, _) = changes(store)
        assert edit.counts is not None
        assert edit.counts.changed == {"streets": 1, "members": 3}
        assert edit.counts.removed["members"] == 5 and edit.counts.added == {"orgs": 1}
        assert dump(path) != before
        undo(store)
        assert dump(path) == before
        assert store.conn.execute("SELECT rating FROM services").fetchone()[0] == 0.1 + 0.2


def test_undo_refuses_and_changes_nothing_when_the_store_has_moved_on(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        with store.change("setup"):
            store.conn.execute("INSERT INTO streets (name) VALUES ('东山街道')")
        # a write that bypasses Store.change and the log: taking 'setup' back would
        # leave a community without its street
        store.conn.execute("PRAGMA foreign_keys = OFF")
        store.conn.execute("DROP TRIGGER undo_communities_insert")
        store.conn.execute("INSERT INTO communities (street_id, short, name) VALUES (1, 'a', 'a')")
        store.conn.execute("PRAGMA foreign_keys = ON")
        before = dump(path)
        with pytest.raises(UndoRefused, match="不一致"):
            undo(store)
        assert dump(path) == before
        assert store.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
        assert not store.conn.in_transaction


def test_a_store_from_before_undo_keeps_working(cli, ws: Workspace) -> None:
    # rebuild the workspace's store as schema 6 would have, with a registration in it
    ws.db_path.unlink()
    v5 = MIGRATIONS[:6]
    with Store.open(ws.db_path, migrations=v5) as old, old.change("init", "芝罘区 2026"):
        old.sync_divisions(ws.settings().streets)
    opened = Store.open.__func__  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as patch:  # this program before undo
        patch.setattr(Store, "open", classmethod(lambda cls, p: opened(cls, p, migrations=v5)))
        register(cli, ws, SHEETS[:1])
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (6,)
    Store.open(ws.db_path).close()  # migrated (a migration is not a change undo takes back)
    before = dump(ws.db_path)
    register(cli, ws, SHEETS[1:2])  # this one is logged
    taken = run(cli, ws, "undo")["undone"]
    assert taken["file"] == SHEETS[1].name
    after = dump(ws.db_path)  # the tables later migrations added are there, and empty
    assert {t: rows for t, rows in after.items() if t in before or rows} == before
    refused = cli("undo", "-w", ws.root)
    assert refused.exit_code == 1
    assert "#2" in refused.stderr and "启用撤销功能" in refused.stderr
    listed = run(cli, ws, "history")
    assert listed[2]["rows"] is None and listed[2]["command"] == "register"
    assert "启用撤销前" in cli("history", "-w", ws.root).stdout


def test_the_trigger_columns_are_the_tables_columns() -> None:
    """The column lists written into migration 7 are those of schema 6; and every data
    table of the current schema has its three triggers naming all its columns (a later
    migration that adds a table or a column must add or replace them)."""
    conn = sqlite3.connect(":memory:")
    for migration in MIGRATIONS[:6]:
        conn.executescript(migration)
    for table, (columns, _) in UNDO_TABLES_AT_6.items():
        assert tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})")) == columns
    for migration in MIGRATIONS[6:]:
        conn.executescript(migration)
    tables = {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    } - NOT_DATA
    assert tables >= set(UNDO_TABLES_AT_6)
    for table in tables:
        for when in ("insert", "update", "delete"):
            row = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                (f"undo_{table}_{when}",),
            ).fetchone()
            assert row is not None, f"undo_{table}_{when}"
        sql = row[0]
        for (column,) in conn.execute(f"SELECT name FROM pragma_table_info('{table}')"):
            assert f"old.{column}" in sql, (table, column)
