"""Correcting organisations after check-in (`orgs rename|move|withdraw`) and the letters'
register (`letters list`).

Writes work inside the caller's `Store.change` (audited, undoable) and none commits.
A withdrawn organisation keeps its row and its members' rows (their service records stay
history); every query that lists organisations or members for the year's work skips it
(`orgs.withdrawn_on IS NOT NULL`).
"""

from __future__ import annotations

from dataclasses import dataclass

from shuanggang.domain.model import OrgRef
from shuanggang.domain.values import text_key
from shuanggang.store.db import Store


@dataclass(frozen=True, slots=True)
class LetterEntry:
    """One row of the letters' register."""

    kind: str  # checkin | feedback
    year: int
    seq: int
    number: str
    org: OrgRef | None  # None once a voided number let go of a re-registered org
    issued_at: str
    status: str  # valid | void | reprinted
    note: str


@dataclass(frozen=True, slots=True)
class OrgState:
    """An organisation with what `orgs list|show` tells about it."""

    ref: OrgRef
    street: str
    consent: bool | None
    registered_at: str
    withdrawn_on: str
    withdraw_reason: str
    members: int  # every member row (those who left included)
    placed: int  # in an activity branch
    left: int  # members who left (离团/调离)
    claims: tuple[tuple[str, str], ...]  # (number, title)
    letters: tuple[LetterEntry, ...]

    @property
    def active(self) -> bool:
        return not self.withdrawn_on


_ORG = (
    "SELECT o.id, o.name, c.short, s.name, o.consent, o.registered_at, o.withdrawn_on,"
    " o.withdraw_reason FROM orgs o JOIN communities c ON c.id = o.community_id"
    " JOIN streets s ON s.id = c.street_id"
)
_LETTER = (
    "SELECT l.kind, l.year, l.seq, l.number, o.name, c.short, o.id, l.issued_at, l.status,"
    " coalesce(l.note, '') FROM letters l LEFT JOIN orgs o ON o.id = l.org_id"
    " LEFT JOIN communities c ON c.id = o.community_id"
)


def _letter(r: tuple) -> LetterEntry:
    org = OrgRef(r[4], r[5], r[6]) if r[6] is not None else None
    return LetterEntry(r[0], r[1], r[2], r[3], org, r[7], r[8], r[9])


def letter_register(store: Store) -> list[LetterEntry]:
    """Every letter number handed out, voided ones included, by kind, year, issuer and seq."""
    rows = store.conn.execute(f"{_LETTER} ORDER BY l.kind, l.year, l.issuer, l.seq")
    return [_letter(tuple(r)) for r in rows]


def org_states(store: Store, org_ids: list[int] | None = None) -> list[OrgState]:
    """Every organisation, withdrawn ones included (or those of `org_ids`), by name and
    community."""
    conn = store.conn
    where, args = "", [] if org_ids is None else list(org_ids)
    if org_ids is not None:
        where = f" WHERE o.id IN ({','.join('?' * len(org_ids))})"
    rows = conn.execute(_ORG + where, args).fetchall()
    counts = {
        r[0]: (r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT m.org_id, count(*), count(bm.member_id), count(m.left_on) FROM members m"
            " LEFT JOIN branch_members bm ON bm.member_id = m.id GROUP BY m.org_id"
        )
    }
    claims: dict[int, list[tuple[str, str]]] = {}
    for oid, number, title in conn.execute(
        "SELECT cl.org_id, p.project_no, p.title FROM claims cl"
        " JOIN projects p ON p.id = cl.project_id ORDER BY p.id"
    ):
        claims.setdefault(oid, []).append((number, title))
    letters: dict[int, list[LetterEntry]] = {}
    for r in conn.execute(f"{_LETTER} WHERE l.org_id IS NOT NULL ORDER BY l.kind, l.year, l.seq"):
        letters.setdefault(r[6], []).append(_letter(tuple(r)))
    out = []
    for r in rows:
        n, placed, left = counts.get(r[0], (0, 0, 0))
        out.append(
            OrgState(
                OrgRef(r[1], r[2], r[0]),
                r[3],
                None if r[4] is None else bool(r[4]),
                r[5] or "",
                r[6] or "",
                r[7] or "",
                n,
                placed,
                left,
                tuple(claims.get(r[0], ())),
                tuple(letters.get(r[0], ())),
            )
        )
    return sorted(out, key=lambda o: o.ref)


def named(store: Store, name: str) -> list[OrgState]:
    """The organisations, withdrawn ones included, whose name is `name` (as `text_key`)."""
    key = text_key(name)
    ids = [
        int(r[0])
        for r in store.conn.execute("SELECT id, name FROM orgs")
        if r[1] == name or text_key(r[1]) == key
    ]
    return org_states(store, ids) if ids else []


def all_names(store: Store) -> list[str]:
    return sorted({r[0] for r in store.conn.execute("SELECT name FROM orgs")})


def org_in(store: Store, name: str, community: str) -> OrgRef | None:
    """Any organisation (withdrawn ones too) of that name (as `text_key`) in that community."""
    key = text_key(name)
    for oid, oname in store.conn.execute(
        "SELECT o.id, o.name FROM orgs o JOIN communities c ON c.id = o.community_id"
        " WHERE c.short = ?",
        (community,),
    ):
        if oname == name or text_key(oname) == key:
            return OrgRef(oname, community, int(oid))
    return None


def active_in(store: Store, community: str | None) -> list[int]:
    """The keys of the active organisations of a community (of all, for None)."""
    sql = (
        "SELECT o.id FROM orgs o JOIN communities c ON c.id = o.community_id"
        " WHERE o.withdrawn_on IS NULL"
    )
    args: tuple[str, ...] = ()
    if community is not None:
        sql += " AND c.short = ?"
        args = (community,)
    return [int(r[0]) for r in store.conn.execute(sql, args)]


def rename(store: Store, org_id: int, name: str) -> None:
    store.conn.execute("UPDATE orgs SET name = ? WHERE id = ?", (name, org_id))


def set_community(store: Store, org_id: int, community_id: int) -> None:
    store.conn.execute("UPDATE orgs SET community_id = ? WHERE id = ?", (community_id, org_id))


def release_claims(store: Store, org_id: int) -> list[tuple[str, str]]:
    """Drop the organisation's claims; returns the (number, title) of each released."""
    conn = store.conn
    released = [
        (r[0], r[1])
        for r in conn.execute(
            "SELECT p.project_no, p.title FROM claims cl JOIN projects p ON p.id = cl.project_id"
            " WHERE cl.org_id = ? ORDER BY p.id",
            (org_id,),
        )
    ]
    conn.execute("DELETE FROM claims WHERE org_id = ?", (org_id,))
    return released


def release_placements(store: Store, org_id: int) -> int:
    """Take the organisation's members out of their activity branches (the next
    assign-branches places them again); a branch whose suggested secretary was one of
    them has none until then. Returns how many members were placed."""
    conn = store.conn
    mine = "SELECT id FROM members WHERE org_id = ?"
    conn.execute(
        f"UPDATE branches SET secretary_id = NULL WHERE secretary_id IN ({mine})", (org_id,)
    )
    cursor = conn.execute(f"DELETE FROM branch_members WHERE member_id IN ({mine})", (org_id,))
    return int(cursor.rowcount)


def withdraw(store: Store, org_id: int, on: str, reason: str) -> None:
    store.conn.execute(
        "UPDATE orgs SET withdrawn_on = ?, withdraw_reason = ? WHERE id = ?",
        (on, reason, org_id),
    )


def mark_letters(
    store: Store, org_id: int, status: str, note: str, *, kind: str | None = None
) -> list[str]:
    """Set the status and note of the organisation's letters that are not void (of one
    kind, or all); returns their numbers."""
    conn = store.conn
    where = "org_id = ? AND status != 'void'"
    args: tuple[object, ...] = (org_id,)
    if kind is not None:
        where += " AND kind = ?"
        args += (kind,)
    numbers = [
        r[0] for r in conn.execute(f"SELECT number FROM letters WHERE {where} ORDER BY id", args)
    ]
    conn.execute(f"UPDATE letters SET status = ?, note = ? WHERE {where}", (status, note, *args))
    return numbers


def feedback_numbered(store: Store, year: int) -> bool:
    """Has `report` handed out the year's feedback letter numbers?"""
    row = store.conn.execute(
        "SELECT 1 FROM letters WHERE kind = 'feedback' AND year = ? LIMIT 1", (year,)
    ).fetchone()
    return row is not None
