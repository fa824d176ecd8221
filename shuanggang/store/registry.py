"""Organisations, members, projects, claims and letter numbers in the store.

Every function takes the open `Store`; those that write work inside the caller's
transaction (`Store.change`) and none commits. Reads return records, never rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from shuanggang.domain.labels import MEMBER_FIELDS
from shuanggang.domain.liaisons import PairPlan, plan_consultations
from shuanggang.domain.model import OrgRef
from shuanggang.domain.values import LooseDate, text_key
from shuanggang.store.db import Store
from shuanggang.store.records import (
    Conflict,
    LetterRecord,
    MemberRecord,
    OrgRecord,
    ProjectRecord,
)

# Every member field but the key, then what is derived from them and where the row was.
MEMBER_COLUMNS = (
    *(f for f in MEMBER_FIELDS if f != "id_number"),
    "slots",
    "category",
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
    "claim_text",
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


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


_ORG = (
    "SELECT o.id, o.name, c.short, s.name, o.consent FROM orgs o"
    " JOIN communities c ON c.id = o.community_id JOIN streets s ON s.id = c.street_id"
)


def _org_record(row: Sequence[Any]) -> OrgRecord:
    return OrgRecord(OrgRef(row[1], row[2], row[0]), row[3], _flag(row[4]))


def community_id(store: Store, short: str) -> int:
    (cid,) = store.conn.execute("SELECT id FROM communities WHERE short = ?", (short,)).fetchone()
    return int(cid)


def find_org(store: Store, name: str, community: str) -> OrgRecord | None:
    """The active organisation of that name registered in that community; names compared
    as `text_key`, so （烟台） and (烟台), or a stray space, are the same name. A withdrawn
    organisation is not found: registering its name again reactivates it (`save_org`)."""
    key = text_key(name)
    rows = store.conn.execute(
        f"{_ORG} WHERE c.short = ? AND o.withdrawn_on IS NULL", (community,)
    ).fetchall()
    exact = [r for r in rows if r[1] == name] or [r for r in rows if text_key(r[1]) == key]
    return _org_record(exact[0]) if exact else None


def org(store: Store, org_id: int) -> OrgRecord:
    return _org_record(store.conn.execute(f"{_ORG} WHERE o.id = ?", (org_id,)).fetchone())


def orgs(store: Store, *, withdrawn: bool = False) -> list[OrgRecord]:
    """Every active organisation (and the withdrawn ones too if asked), by name and
    community."""
    where = "" if withdrawn else " WHERE o.withdrawn_on IS NULL"
    return sorted(
        (_org_record(r) for r in store.conn.execute(_ORG + where)),
        key=lambda o: (o.ref, o.street),
    )


def conflicts(store: Store, id_numbers: Sequence[str], org_id: int | None) -> list[Conflict]:
    """Members of this sheet already registered by another active organisation (a member
    of a withdrawn one is free to register with another)."""
    found = []
    for start in range(0, len(id_numbers), 500):
        chunk = id_numbers[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found += store.conn.execute(
            f"SELECT m.id_number, o.name, c.short, o.id FROM members m"
            f" JOIN orgs o ON o.id = m.org_id JOIN communities c ON c.id = o.community_id"
            f" WHERE m.id_number IN ({marks}) AND m.org_id IS NOT ? AND o.withdrawn_on IS NULL",
            (*chunk, org_id),
        ).fetchall()
    return [Conflict(r[0], OrgRef(r[1], r[2], r[3])) for r in found]


def _comparable(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in MEMBER_COLUMNS if c != "source_cell")


def same_members(store: Store, org_id: int, rows: Sequence[Mapping[str, Any]]) -> bool:
    stored = {
        r["id_number"]: _comparable(r)
        for r in store.conn.execute(
            "SELECT * FROM members WHERE org_id = ? AND left_on IS NULL", (org_id,)
        )
    }
    return stored == {r["id_number"]: _comparable(r) for r in rows}


def save_org(
    store: Store,
    *,
    org_id: int | None,
    name: str,
    cid: int,
    consent: bool | None,
    file_hash: str | None,
    at: str,
) -> int:
    """Add the organisation (`org_id` None) or update the one with that key.

    Adding the name of an organisation withdrawn from that community reactivates it: the
    same row (its members stay rows, `put_members` makes them the new sheet's), no longer
    withdrawn; its voided letter numbers stay void and a new one is handed out."""
    conn = store.conn
    if org_id is None:
        key = text_key(name)
        for wid, wname in conn.execute(
            "SELECT id, name FROM orgs WHERE community_id = ? AND withdrawn_on IS NOT NULL"
            " ORDER BY id",
            (cid,),
        ).fetchall():
            if wname == name or text_key(wname) == key:
                conn.execute(
                    "UPDATE orgs SET name = ?, consent = ?, file_hash = ?, registered_at = ?,"
                    " withdrawn_on = NULL, withdraw_reason = NULL WHERE id = ?",
                    (name, _column_value(consent), file_hash, at, wid),
                )
                return int(wid)
        cursor = conn.execute(
            "INSERT INTO orgs (name, community_id, consent, file_hash, registered_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, cid, _column_value(consent), file_hash, at),
        )
        return int(cursor.lastrowid or 0)
    conn.execute(
        "UPDATE orgs SET consent = ?, file_hash = ? WHERE id = ?",
        (_column_value(consent), file_hash, org_id),
    )
    return org_id


def put_members(store: Store, org_id: int, rows: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """Make the org's members exactly `rows`: a member who stays keeps their row (and so
    their branch and services); one who left is removed, with their service records.
    Returns (members removed, service records removed)."""
    conn = store.conn
    columns = ("org_id", "id_number", *MEMBER_COLUMNS)
    values = [(org_id, r["id_number"], *(r[c] for c in MEMBER_COLUMNS)) for r in rows]
    insert = f"INSERT INTO members ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id_number")
    # A member of a withdrawn organisation (`conflicts` lets them through) moves here: their
    # row, and so their service records, come with them.
    upsert = f"{insert} ON CONFLICT (id_number) DO UPDATE SET {updates}"
    if conn.execute("SELECT 1 FROM members WHERE org_id = ? LIMIT 1", (org_id,)).fetchone() is None:
        conn.executemany(upsert, values)  # a first registration: nothing to keep or drop
        return 0, 0
    # A member whose service category or time slots changed (a corrected sheet) leaves
    # their branch: the next assign-branches places them by what the sheet now says.
    placed_as = {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            "SELECT m.id_number, m.category, m.slots FROM members m"
            " JOIN branch_members bm ON bm.member_id = m.id WHERE m.org_id = ?",
            (org_id,),
        )
    }
    moved = [
        (r["id_number"],)
        for r in rows
        if r["id_number"] in placed_as
        and placed_as[r["id_number"]] != (r["category"], r["slots"] or "")
    ]
    conn.executemany(
        "DELETE FROM branch_members WHERE member_id = (SELECT id FROM members WHERE id_number = ?)",
        moved,
    )
    keep = [r["id_number"] for r in rows]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_ids (id_number TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM keep_ids")
    conn.executemany("INSERT INTO keep_ids VALUES (?)", [(k,) for k in keep])
    # A member who left stays in the history (with their services) when a new list,
    # rightly, no longer names them.
    leaving = "org_id = ? AND left_on IS NULL AND id_number NOT IN (SELECT id_number FROM keep_ids)"
    (services,) = conn.execute(
        "SELECT count(*) FROM services WHERE member_id IN"
        f" (SELECT id FROM members WHERE {leaving})",
        (org_id,),
    ).fetchone()
    dropped = conn.execute(f"DELETE FROM members WHERE {leaving}", (org_id,)).rowcount
    conn.executemany(upsert, values)
    return dropped, int(services)


# The member columns read back as text, in the order the query below gives them.
_MEMBER_TEXT = tuple(f for f in MEMBER_FIELDS if f not in ("consent", "remark"))
_MEMBER = (
    "SELECT m.id, o.name, c.short, o.id, "
    + ", ".join(f"m.{c}" for c in _MEMBER_TEXT)
    + ", m.slots, m.category, m.consent, m.remark, b.name"
    " FROM members m JOIN orgs o ON o.id = m.org_id JOIN communities c ON c.id = o.community_id"
    " LEFT JOIN branch_members bm ON bm.member_id = m.id"
    " LEFT JOIN branches b ON b.id = bm.branch_id"
)


def _member_record(r: Sequence[Any]) -> MemberRecord:
    text = {k: "" if v is None else str(v) for k, v in zip(_MEMBER_TEXT, r[4:22], strict=True)}
    return MemberRecord(
        id=r[0],
        org=OrgRef(r[1], r[2], r[3]),
        **text,
        slots=tuple(x for x in (r[22] or "").split(",") if x),
        category=r[23] or "",
        consent=_flag(r[24]),
        remark=r[25] or "",
        branch=r[26] or "",
    )


def members_of(store: Store, org_id: int) -> list[MemberRecord]:
    """An organisation's members in the order its sheet listed them."""
    rows = store.conn.execute(f"{_MEMBER} WHERE m.org_id = ? ORDER BY m.id", (org_id,))
    return [_member_record(r) for r in rows]


def all_members(store: Store) -> Iterator[MemberRecord]:
    """Every member of an active organisation, by community, organisation and sheet order."""
    rows = store.conn.execute(
        f"{_MEMBER} WHERE o.withdrawn_on IS NULL ORDER BY c.short, o.name, o.id, m.id"
    )
    return (_member_record(r) for r in rows)


# --- projects and claims ---------------------------------------------------------------


def upsert_projects(
    store: Store, cid: int, projects: Sequence[Mapping[str, Any]], file_hash: str
) -> tuple[int, int, list[str]]:
    """Load a ledger: add new projects, update known ones (claims stay), drop unclaimed
    projects the new ledger no longer lists. Returns (added, updated, kept claimed)."""
    conn = store.conn
    known = {
        r[1]: r[0]
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


_PROJECT = (
    "SELECT p.id, c.short, p.project_no, p.title, p.category, p.content, p.schedule, p.place,"
    " p.needed, p.contact, p.contact_phone FROM projects p"
    " JOIN communities c ON c.id = p.community_id"
)


def _projects(store: Store, where: str, args: Sequence[Any]) -> list[ProjectRecord]:
    conn = store.conn
    rows = conn.execute(f"{_PROJECT} {where} ORDER BY c.short, p.id", args).fetchall()
    claims: dict[int, list[OrgRef]] = {}
    for pid, name, short, oid in conn.execute(
        "SELECT cl.project_id, o.name, c.short, o.id FROM claims cl JOIN orgs o"
        " ON o.id = cl.org_id JOIN communities c ON c.id = o.community_id"
    ):
        claims.setdefault(pid, []).append(OrgRef(name, short, oid))
    return [
        ProjectRecord(
            r[0],
            r[1],
            r[2],
            r[3],
            category=r[4] or "",
            content=r[5] or "",
            schedule=r[6] or "",
            place=r[7] or "",
            needed=r[8],
            contact=r[9] or "",
            contact_phone=r[10] or "",
            claimed_by=tuple(sorted(claims.get(r[0], ()))),
        )
        for r in rows
    ]


def projects_of(store: Store, community: str) -> list[ProjectRecord]:
    """A community's projects in ledger order, with who claimed each."""
    return _projects(store, "WHERE c.short = ?", (community,))


def all_projects(store: Store) -> list[ProjectRecord]:
    return _projects(store, "", ())


def claim_as_ledgers_say(store: Store, community: str, at: str) -> int:
    """Claims that ledgers name in their 认领单位 column (烟台山医院团委、某银行团支部)
    and that are not made yet, for the organisations registered in `community` now.
    Returns how many were made."""
    orgs = {
        text_key(r[1]): r[0]
        for r in store.conn.execute(
            "SELECT o.id, o.name FROM orgs o JOIN communities c ON c.id = o.community_id"
            " WHERE c.short = ?",
            (community,),
        )
    }
    wanted = [
        (pid, orgs[key], at)
        for pid, text in store.conn.execute(
            "SELECT p.id, p.claim_text FROM projects p JOIN communities c"
            " ON c.id = p.community_id WHERE c.short = ? AND p.claim_text IS NOT NULL",
            (community,),
        )
        for key in {text_key(n) for n in re.split(r"[、，,;；/\n]+", text) if n.strip()}
        if key in orgs
    ]
    before = store.conn.total_changes
    store.conn.executemany(
        "INSERT INTO claims (project_id, org_id, claimed_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        wanted,
    )
    return store.conn.total_changes - before


def unclaim(store: Store, org_id: int, project_ids: Iterable[int]) -> int:
    """Withdraw claims; returns how many there were."""
    before = store.conn.total_changes
    store.conn.executemany(
        "DELETE FROM claims WHERE org_id = ? AND project_id = ?",
        [(org_id, pid) for pid in project_ids],
    )
    return store.conn.total_changes - before


def claim(store: Store, org_id: int, project_ids: Iterable[int], at: str) -> None:
    store.conn.executemany(
        "INSERT INTO claims (project_id, org_id, claimed_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(pid, org_id, at) for pid in project_ids],
    )


def claimed(store: Store, org_id: int) -> list[tuple[str, str]]:
    """(number, title) of the projects an organisation claimed, in ledger order."""
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            "SELECT p.project_no, p.title FROM claims cl JOIN projects p ON p.id = cl.project_id"
            " WHERE cl.org_id = ? ORDER BY p.id",
            (org_id,),
        )
    ]


# --- letter numbers --------------------------------------------------------------------


def letter_seq(store: Store, *, kind: str, issuer: str, year: int, org_id: int) -> tuple[int, bool]:
    """The org's letter sequence number for the year, handing out the next one if it has
    none yet (a voided number does not count). Returns (seq, newly issued). The next one
    follows the highest ever handed out, voided ones included: a number is never reused."""
    conn = store.conn
    row = conn.execute(
        "SELECT seq FROM letters WHERE kind = ? AND org_id = ? AND year = ? AND status != 'void'",
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
    store: Store,
    *,
    kind: str,
    issuer: str,
    year: int,
    seq: int,
    number: str,
    org_id: int,
    issued_on: str,
) -> None:
    # A number voided when the org was withdrawn stays in the register, naming the org in
    # its note, but lets go of the org: one org has one number of a kind a year.
    store.conn.execute(
        "UPDATE letters SET org_id = NULL WHERE kind = ? AND org_id = ? AND year = ?"
        " AND status = 'void'",
        (kind, org_id, year),
    )
    store.conn.execute(
        "INSERT INTO letters (kind, issuer, year, seq, number, org_id, issued_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, issuer, year, seq, number, org_id, issued_on),
    )


def letter_of(store: Store, kind: str, org_id: int, year: int) -> LetterRecord | None:
    row = store.conn.execute(
        "SELECT kind, number, seq, issued_at FROM letters"
        " WHERE kind = ? AND org_id = ? AND year = ? AND status != 'void'",
        (kind, org_id, year),
    ).fetchone()
    return LetterRecord(*row) if row else None


# --- consultations ---------------------------------------------------------------------


def consultation_plan(store: Store, year: int) -> list[PairPlan]:
    conn = store.conn
    pairs = [
        (r[0], r[1])
        for r in conn.execute(
            "SELECT o.name, c.short FROM orgs o JOIN communities c ON c.id = o.community_id"
            " WHERE o.withdrawn_on IS NULL"
        )
    ]
    held = [
        (r[0], r[1], LooseDate.from_iso(r[2]))
        for r in conn.execute(
            "SELECT o.name, c.short, t.date FROM consultations t JOIN orgs o ON o.id = t.org_id"
            " JOIN communities c ON c.id = t.community_id"
        )
    ]
    return plan_consultations(pairs, held, year)
