"""What the store says that only SQLite understands, in one place.

The rest of `shuanggang/store/` writes SQL that PostgreSQL reads too (`ON CONFLICT`,
`RETURNING`, `CREATE TEMP TABLE IF NOT EXISTS`, `coalesce`, window-free grouping); what
would differ on a server database is here, and in the schema's migrations
(`store/schema.py`, SQLite DDL and triggers). docs/server-store.md says what a
PostgreSQL dialect would put in place of each.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# SQL for a new random identity (32 hex digits), used by the schema's migration 8.
NEW_IDENTITY = "lower(hex(randomblob(16)))"


def connect(path: Path) -> sqlite3.Connection:
    """A connection as every command uses it: autocommit (transactions are explicit),
    rows by name, WAL so readers never wait for a writer, foreign keys enforced."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    # The log is copied back into the database (a checkpoint, with its syncs) once it
    # holds 64 MiB rather than SQLite's 4 MiB: a batch of 300 registrations checkpoints
    # a few times, not at every other commit.
    conn.execute("PRAGMA wal_autocheckpoint = 16384")
    # Rows that INSERT OR REPLACE deletes fire the undo triggers too.
    conn.execute("PRAGMA recursive_triggers = ON")
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def set_schema_version(version: int) -> str:
    """The statement that records the schema version, inside a migration's script."""
    return f"PRAGMA user_version = {int(version)};"


def data_version(conn: sqlite3.Connection) -> int:
    """Changes whenever another connection commits."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def defer_foreign_keys(conn: sqlite3.Connection) -> None:
    """Foreign keys checked at COMMIT for the rest of this transaction."""
    conn.execute("PRAGMA defer_foreign_keys = ON")


def undo_triggers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every undo trigger, by name."""
    return [
        (r[0], r[1])
        for r in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'undo_*'"
            " ORDER BY name"
        )
    ]


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def integrity_ok(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def joined(expression: str) -> str:
    """An aggregate: the group's values of `expression` in one text, separated by U+001F."""
    return f"group_concat({expression}, char(31))"
