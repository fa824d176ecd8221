"""Organisations, members, projects, claims and letter numbers in the store.

Every function works inside the caller's transaction (`Store.change`): none commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from shuanggang.domain.liaisons import PairPlan, plan_consultations
from shuanggang.domain.values import LooseDate

MEMBER_COLUMNS = (
    "name",
    "gender",
    "birth",
    "member_no",
    "ethnicity",
    "political_status",
    "joined",
    "education",
    "home_branch",
    "league_post",
    "phone",
    "residence",
    "occupation",
    "specialty",
    "willingness",
    "interests",
    "availability",
    "slots",
    "category",
    "consent",
    "remark",
    "source_cell",
)
PROJECT_COLUMNS = (
    "title",
    "category",
    "content",
    "schedule",
    "place",
    "needed",
    "contact",
    "contact_phone",
)


_TO_COLUMN: dict[type, Callable[[Any], Any]] = {
    LooseDate: LooseDate.iso,
    frozenset: lambda value: ",".join(sorted(value)),
    set: lambda value: ",".join(sorted(value)),
    bool: int,
}


def _column_value(value: Any) -> Any:
    """A parsed value as SQLite stores it: dates as ISO text, slot sets joined, flags 0/1."""
    convert = _TO_COLUMN.get(type(value))
    return value if convert is None else convert(value)


# The columns whose parsed values need converting; every other member column is text.
_CONVERTED = ("birth", "joined", "slots", "consent")


def member_row(values: Mapping[str, Any], source_cell: str) -> dict[str, Any]:
    """A parsed sheet row as the members table stores it."""
    get = values.get
    row = {c: get(c) for c in MEMBER_COLUMNS}
    for c in _CONVERTED:
        row[c] = _column_value(row[c])
    row["source_cell"] = source_cell
    row["id_number"] = values["id_number"]
    return row


def community_id(conn: sqlite3.Connection, short: str) -> int:
    (cid,) = conn.execute("SELECT id FROM communities WHERE short = ?", (short,)).fetchone()
    return int(cid)


def find_org(conn: sqlite3.Connection, name: str, cid: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM orgs WHERE name = ? AND community_id = ?", (name, cid)
    ).fetchone()


@dataclass(frozen=True, slots=True)
class Conflict:
    id_number: str
    org: str
    community: str


def conflicts(
    conn: sqlite3.Connection, id_numbers: Sequence[str], org_id: int | None
) -> list[Conflict]:
    """Members of this sheet already registered by another organisation."""
    found = []
    for start in range(0, len(id_numbers), 500):
        chunk = id_numbers[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found += conn.execute(
            f"SELECT m.id_number, o.name, c.short FROM members m JOIN orgs o ON o.id = m.org_id"
            f" JOIN communities c ON c.id = o.community_id"
            f" WHERE m.id_number IN ({marks}) AND m.org_id IS NOT ?",
            (*chunk, org_id),
        ).fetchall()
    return [Conflict(*row) for row in found]


def _comparable(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in MEMBER_COLUMNS if c != "source_cell")


def same_members(conn: sqlite3.Connection, org_id: int, rows: Sequence[Mapping[str, Any]]) -> bool:
    stored = {
        r["id_number"]: _comparable(r)
        for r in conn.execute("SELECT * FROM members WHERE org_id = ?", (org_id,))
    }
    return stored == {r["id_number"]: _comparable(r) for r in rows}


def save_org(
    conn: sqlite3.Connection,
    *,
    name: str,
    cid: int,
    consent: bool | None,
    file_hash: str | None,
    at: str,
) -> int:
    existing = find_org(conn, name, cid)
    if existing is None:
        cursor = conn.execute(
            "INSERT INTO orgs (name, community_id, consent, file_hash, registered_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, cid, _column_value(consent), file_hash, at),
        )
        return int(cursor.lastrowid or 0)
    conn.execute(
        "UPDATE orgs SET consent = ?, file_hash = ? WHERE id = ?",
        (_column_value(consent), file_hash, existing["id"]),
    )
    return int(existing["id"])


def put_members(conn: sqlite3.Connection, org_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Make the org's members exactly `rows`: a member who stays keeps their row (and so
    their branch and services); one who left is removed."""
    columns = ("org_id", "id_number", *MEMBER_COLUMNS)
    values = [(org_id, r["id_number"], *(r[c] for c in MEMBER_COLUMNS)) for r in rows]
    insert = f"INSERT INTO members ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if conn.execute("SELECT 1 FROM members WHERE org_id = ? LIMIT 1", (org_id,)).fetchone() is None:
        conn.executemany(insert, values)  # a first registration: nothing to keep or drop
        return
    keep = [r["id_number"] for r in rows]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_ids (id_number TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM keep_ids")
    conn.executemany("INSERT INTO keep_ids VALUES (?)", [(k,) for k in keep])
    conn.execute(
        "DELETE FROM members WHERE org_id = ? AND id_number NOT IN"
        " (SELECT id_number FROM keep_ids)",
        (org_id,),
    )
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id_number")
    conn.executemany(f"{insert} ON CONFLICT (id_number) DO UPDATE SET {updates}", values)


# --- projects and claims ---------------------------------------------------------------


def upsert_projects(
    conn: sqlite3.Connection, cid: int, projects: Sequence[Mapping[str, Any]], file_hash: str
) -> tuple[int, int, list[str]]:
    """Load a ledger: add new projects, update known ones (claims stay), drop unclaimed
    projects the new ledger no longer lists. Returns (added, updated, kept claimed)."""
    known = {
        r["project_no"]: r["id"]
        for r in conn.execute("SELECT id, project_no FROM projects WHERE community_id = ?", (cid,))
    }
    added = updated = 0
    for p in projects:
        values = [_column_value(p.get(c)) for c in PROJECT_COLUMNS]
        if p["project_no"] in known:
            conn.execute(
                f"UPDATE projects SET {', '.join(f'{c} = ?' for c in PROJECT_COLUMNS)},"
                " file_hash = ? WHERE id = ?",
                (*values, file_hash, known[p["project_no"]]),
            )
            updated += 1
        else:
            conn.execute(
                f"INSERT INTO projects (community_id, project_no, {', '.join(PROJECT_COLUMNS)},"
                f" file_hash) VALUES (?, ?, {', '.join('?' * len(PROJECT_COLUMNS))}, ?)",
                (cid, p["project_no"], *values, file_hash),
            )
            added += 1
    listed = {p["project_no"] for p in projects}
    kept = []
    for number, pid in known.items():
        if number in listed:
            continue
        if conn.execute("SELECT 1 FROM claims WHERE project_id = ?", (pid,)).fetchone():
            kept.append(number)
        else:
            conn.execute("DELETE FROM projects WHERE id = ?", (pid,))
    return added, updated, sorted(kept)


def projects_of(conn: sqlite3.Connection, cid: int) -> list[sqlite3.Row]:
    """A community's projects in ledger order, with who claimed each."""
    return conn.execute(
        "SELECT p.*, (SELECT group_concat(o.name, '、') FROM claims cl JOIN orgs o"
        " ON o.id = cl.org_id WHERE cl.project_id = p.id) AS claimed_by"
        " FROM projects p WHERE p.community_id = ? ORDER BY p.id",
        (cid,),
    ).fetchall()


def claim(conn: sqlite3.Connection, org_id: int, project_ids: Iterable[int], at: str) -> None:
    conn.executemany(
        "INSERT INTO claims (project_id, org_id, claimed_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(pid, org_id, at) for pid in project_ids],
    )


def claimed(conn: sqlite3.Connection, org_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT p.project_no, p.title FROM claims cl JOIN projects p ON p.id = cl.project_id"
        " WHERE cl.org_id = ? ORDER BY p.id",
        (org_id,),
    ).fetchall()


# --- letter numbers --------------------------------------------------------------------


def letter_seq(
    conn: sqlite3.Connection, *, kind: str, issuer: str, year: int, org_id: int
) -> tuple[int, bool]:
    """The org's letter sequence number for the year, handing out the next one if it has
    none yet. Returns (seq, newly issued)."""
    row = conn.execute(
        "SELECT seq FROM letters WHERE kind = ? AND org_id = ? AND year = ?",
        (kind, org_id, year),
    ).fetchone()
    if row:
        return int(row[0]), False
    (last,) = conn.execute(
        "SELECT coalesce(max(seq), 0) FROM letters WHERE kind = ? AND issuer = ? AND year = ?",
        (kind, issuer, year),
    ).fetchone()
    return int(last) + 1, True


def record_letter(
    conn: sqlite3.Connection,
    *,
    kind: str,
    issuer: str,
    year: int,
    seq: int,
    number: str,
    org_id: int,
    issued_on: str,
) -> None:
    conn.execute(
        "INSERT INTO letters (kind, issuer, year, seq, number, org_id, issued_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, issuer, year, seq, number, org_id, issued_on),
    )


def letter_of(conn: sqlite3.Connection, kind: str, org_id: int, year: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM letters WHERE kind = ? AND org_id = ? AND year = ?", (kind, org_id, year)
    ).fetchone()


# --- consultations ---------------------------------------------------------------------


def consultation_plan(conn: sqlite3.Connection, year: int) -> list[PairPlan]:
    pairs = [
        (r[0], r[1])
        for r in conn.execute(
            "SELECT o.name, c.short FROM orgs o JOIN communities c ON c.id = o.community_id"
        )
    ]
    held = [
        (r[0], r[1], date.fromisoformat(r[2]))
        for r in conn.execute(
            "SELECT o.name, c.short, t.date FROM consultations t JOIN orgs o ON o.id = t.org_id"
            " JOIN communities c ON c.id = t.community_id"
        )
    ]
    return plan_consultations(pairs, held, year)
