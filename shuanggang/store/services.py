"""Service records and consultations in the store, and the roster a log is matched to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shuanggang.domain.model import OrgRef
from shuanggang.domain.values import text_key
from shuanggang.store.db import Store, now

# The tables a log fills, with the column that says whose record a row is.
LOG_TABLES = {"services": "member_id", "consultations": "org_id"}


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A registered member as a service log may name them."""

    id: int
    id_number: str
    member_no: str
    name: str
    org: OrgRef
    branch_id: int | None
    branch: str

    @property
    def community(self) -> str:
        return self.org.community


def roster(store: Store) -> list[RosterEntry]:
    rows = store.conn.execute(
        "SELECT m.id, m.id_number, m.member_no, m.name, o.name, c.short, o.id,"
        " bm.branch_id, b.name FROM members m JOIN orgs o ON o.id = m.org_id"
        " JOIN communities c ON c.id = o.community_id"
        " LEFT JOIN branch_members bm ON bm.member_id = m.id"
        " LEFT JOIN branches b ON b.id = bm.branch_id"
    )
    return [
        RosterEntry(r[0], r[1], r[2] or "", r[3], OrgRef(r[4], r[5], r[6]), r[7], r[8] or "")
        for r in rows
    ]


def project_index(store: Store) -> dict[tuple[str, str], int]:
    """(community, project number or title) → project key; numbers and titles compared as
    `text_key` (full-width or half-width brackets, spaces)."""
    return {
        (r[3], text_key(key)): r[0]
        for r in store.conn.execute(
            "SELECT p.id, p.project_no, p.title, c.short FROM projects p"
            " JOIN communities c ON c.id = p.community_id"
        )
        for key in (r[1], r[2])
    }


def community_ids(store: Store) -> dict[str, int]:
    return {r[1]: r[0] for r in store.conn.execute("SELECT id, short FROM communities")}


def records_from(store: Store, digest: str) -> int | None:
    """How many records the file with this hash brought in; None if it was never
    imported. Asked inside the import's own transaction."""
    if not store.conn.execute(
        "SELECT 1 FROM log_imports WHERE file_hash = ?", (digest,)
    ).fetchone():
        return None
    (n,) = store.conn.execute(
        "SELECT (SELECT count(*) FROM services WHERE file_hash = ?)"
        " + (SELECT count(*) FROM consultations WHERE file_hash = ?)",
        (digest, digest),
    ).fetchone()
    return int(n)


@dataclass(frozen=True, slots=True)
class EarlierFile:
    """A file imported before whose records some incoming rows repeat."""

    digest: str
    name: str
    repeated: int  # incoming rows that repeat one of its records (same person, same day)
    records: int  # all the records it brought in


def earlier_files(
    store: Store, table: str, rows: Sequence[Mapping[str, Any]], digest: str
) -> list[EarlierFile]:
    if not rows:
        return []
    key = LOG_TABLES[table]
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS incoming (k INTEGER, d TEXT)")
    conn.execute("DELETE FROM incoming")
    conn.executemany("INSERT INTO incoming VALUES (?, ?)", [(r[key], r["date"]) for r in rows])
    return [
        EarlierFile(r[0], r[1], r[2], r[3])
        for r in conn.execute(
            f"SELECT t.file_hash, f.name, count(DISTINCT i.rowid),"
            f" (SELECT count(*) FROM {table} x WHERE x.file_hash = t.file_hash)"
            f" FROM {table} t JOIN files f ON f.hash = t.file_hash"
            f" JOIN incoming i ON i.k = t.{key} AND i.d = t.date WHERE t.file_hash != ?"
            " GROUP BY t.file_hash ORDER BY f.name",
            (digest,),
        )
    ]


def remove_file_records(store: Store, table: str, digest: str) -> int:
    """Take back what one file brought into `table`; returns how many rows went."""
    LOG_TABLES[table]  # only the log tables
    store.conn.execute("DELETE FROM log_imports WHERE file_hash = ?", (digest,))
    return store.conn.execute(f"DELETE FROM {table} WHERE file_hash = ?", (digest,)).rowcount


def insert_records(
    store: Store, table: str, rows: Sequence[Mapping[str, Any]], digest: str
) -> None:
    """Record the file as imported (once: its hash is the key) and insert its rows."""
    LOG_TABLES[table]
    store.conn.execute(
        "INSERT INTO log_imports (file_hash, kind, imported_at) VALUES (?, ?, ?)",
        (digest, table, now()),
    )
    if not rows:
        return  # an empty log is still imported once
    columns = ["file_hash", *rows[0]]
    store.conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [(digest, *r.values()) for r in rows],
    )
