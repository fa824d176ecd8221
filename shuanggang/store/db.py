"""Opening, migrating and changing the SQLite store.

One `Store.change()` is one transaction and one audit row: a command's change is either
all in the store or not at all. From schema 7 on, triggers log how to take back every row
the change writes (`undo_log`), and the change's audit row owns those entries: see
`shuanggang.store.history`. Every write to a data table belongs inside a `change()`.
"""

from __future__ import annotations

import contextlib
import getpass
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from shuanggang.errors import StoreError
from shuanggang.settings import Street
from shuanggang.store import dialect
from shuanggang.store.schema import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)
UNDO_VERSION = 7  # the schema version whose triggers fill undo_log

# Tables `status` counts, with their Chinese labels.
COUNTED = {
    "streets": "街道（园区）",
    "communities": "社区",
    "orgs": "报到单位",
    "members": "团员",
    "projects": "服务项目",
    "claims": "认领",
    "branches": "活动团支部",
    "branch_members": "已编组团员",
    "services": "服务记录",
    "consultations": "互通协商",
    "letters": "已编号文书",
    "liaisons": "联系点",
    "files": "归档文件",
}


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows services and containers
        return "unknown"


class Store:
    """The workspace database."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._in_sync: tuple[Street, ...] = ()  # the divisions last found already stored

    @classmethod
    def open(cls, path: Path, *, migrations: Sequence[str] = MIGRATIONS) -> Store:
        try:
            conn = dialect.connect(path)
            store = cls(conn, path)
            store.migrate(migrations)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"无法打开工作区数据库 {path.name}：{exc}",
                "文件可能已损坏；可用 archive/ 中归档的原始文件重建，或从备份恢复",
            ) from None
        return store

    @classmethod
    def snapshot(cls, path: Path, *, migrations: Sequence[str] = MIGRATIONS) -> Store:
        """A private copy in memory of the store at one moment, for reading at leisure.

        The file is opened read-only and copied page by page in one backup step, which
        holds one read transaction throughout: a change another process commits meanwhile
        is in the copy whole or not at all, and nothing committed later reaches it. An
        older schema is migrated in the copy only; the file is never written."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            try:
                source.backup(conn)  # pages=-1: the whole database in one step
            finally:
                source.close()
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA recursive_triggers = ON")
            store = cls(conn, path)
            store.migrate(migrations)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"无法读取工作区数据库 {path.name}：{exc}",
                "文件可能已损坏；可用 archive/ 中归档的原始文件重建，或从备份恢复",
            ) from None
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return dialect.schema_version(self.conn)

    def migrate(self, migrations: Sequence[str] = MIGRATIONS) -> None:
        current = self.version
        if current > len(migrations):
            raise StoreError(
                f"工作区数据库版本（{current}）高于本程序支持的版本（{len(migrations)}）",
                "请升级 shuanggang 后再使用这个工作区",
            )
        for version in range(current, len(migrations)):
            # executescript commits anything pending first; the script is its own
            # transaction, so a failing step leaves the previous version intact.
            # A migration's own row changes are not a command's: undo never takes them back.
            unlogged = "DELETE FROM undo_log WHERE audit_id IS NULL;" if version >= 5 else ""
            try:
                self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{migrations[version]}\n{unlogged}\n"
                    f"{dialect.set_schema_version(version + 1)}\nCOMMIT;"
                )
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def change(
        self,
        command: str,
        detail: str = "",
        file_hash: str | None = None,
        *,
        undoes: int | None = None,
    ) -> Iterator[Store]:
        """One transaction for one command's change, recorded in the audit table.

        BEGIN IMMEDIATE takes the write lock first, so every decision made inside (is this
        file known, which number comes next) sees what it will write over. The undo log
        the triggers wrote meanwhile is given to the new audit row; `undoes`: this change
        takes back audit row `undoes` (its log goes, and the change itself logs nothing).
        """
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            audit_id = self.conn.execute(
                "INSERT INTO audit (at, user, command, detail, file_hash) VALUES (?,?,?,?,?)",
                (now(), _user(), command, detail, file_hash),
            ).lastrowid
            if self.version >= UNDO_VERSION:
                if undoes is None:
                    self.conn.execute(
                        "UPDATE undo_log SET audit_id = ? WHERE audit_id IS NULL", (audit_id,)
                    )
                else:
                    self.conn.execute(
                        "DELETE FROM undo_log WHERE audit_id IS NULL OR audit_id = ?", (undoes,)
                    )
                    self.conn.execute(
                        "UPDATE audit SET undone_by = ? WHERE id = ?", (audit_id, undoes)
                    )
            # Inside: a COMMIT refused (a deferred foreign key) must not leave it open.
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # --- reading ----------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[Store]:
        """One consistent snapshot for everything read inside: a command that reads while
        another commits sees the store before or after that commit, never half of it."""
        if self.conn.in_transaction:  # already inside a change or a snapshot
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            self.conn.execute("SELECT 1 FROM audit LIMIT 1").fetchall()  # the snapshot starts
            yield self
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def data_version(self) -> int:
        """Changes whenever another connection commits: what was read before is stale."""
        return dialect.data_version(self.conn)

    def counts(self) -> dict[str, int]:
        return {
            table: int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED
        }

    def last_run(self, *commands: str) -> sqlite3.Row | None:
        """The newest audit row of any of `commands` (audit ids only grow)."""
        marks = ",".join("?" * len(commands))
        # A change taken back by undo is as if it never ran.
        live = " AND undone_by IS NULL" if self.version >= 5 else ""
        return self.conn.execute(
            f"SELECT id, at, command FROM audit WHERE command IN ({marks}){live}"
            " ORDER BY id DESC LIMIT 1",
            commands,
        ).fetchone()

    def sync_divisions(self, streets: Sequence[Street]) -> None:
        """Mirror the settings' streets and communities; rows are added or renamed,
        never deleted, so nothing registered loses its community. Writes only when the
        settings differ from the store (every change command calls this)."""
        if tuple(streets) == self._in_sync:
            return  # a batch (300 sheets registered one by one) need not compare again
        stored = {
            tuple(row)  # a sqlite3.Row never equals a tuple
            for row in self.conn.execute(
                "SELECT s.name, s.code, c.short, c.name, c.code FROM communities c"
                " JOIN streets s ON s.id = c.street_id"
            )
        }
        wanted = {(s.name, s.code, c.short, c.name, c.code) for s in streets for c in s.communities}
        known_streets = {r[0] for r in self.conn.execute("SELECT name FROM streets")}
        if wanted <= stored and {s.name for s in streets} <= known_streets:
            # Read at the start of a transaction, so committed: safe to remember.
            self._in_sync = tuple(streets)
            return
        for street in streets:
            self.conn.execute(
                "INSERT INTO streets (name, code) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET code = excluded.code",
                (street.name, street.code),
            )
            (street_id,) = self.conn.execute(
                "SELECT id FROM streets WHERE name = ?", (street.name,)
            ).fetchone()
            self.conn.executemany(
                "INSERT INTO communities (street_id, short, name, code) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (short) DO UPDATE SET street_id = excluded.street_id,"
                " name = excluded.name, code = excluded.code",
                [(street_id, c.short, c.name, c.code) for c in street.communities],
            )
