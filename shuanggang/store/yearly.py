"""A year's figures for the assessment and its workbook, each from grouped queries.

No query runs once per organisation, member or community: a query per organisation
scanned the whole services table each time (6,400 organisations and 100,000 services
took minutes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shuanggang.domain.assessment import OrgYear
from shuanggang.domain.model import OrgRef
from shuanggang.store.db import Store


@dataclass(frozen=True, slots=True)
class MemberServices:
    """A member and their year of service."""

    id_number: str
    name: str
    joined: str  # ISO text as stored, "" when the sheet did not say
    org: OrgRef
    branch: str
    services: int
    minutes: int
    projects: int
    left_on: str = ""  # ISO date the member left during the year, "" while 在册


@dataclass(frozen=True, slots=True)
class BranchYear:
    name: str
    members: int
    active: int
    services: int
    hours: float


@dataclass(frozen=True, slots=True)
class CommunityYear:
    community: str
    orgs: int
    members: int
    services: int
    hours: float
    consultations: int


# Services of a withdrawn organisation are left out of every figure (its members' own
# figures follow the member: `member_years`).
# Service and consultation rows of organisations still active (a withdrawn one's stay as
# history, outside the year's figures).
_ACTIVE_ORG = (
    "(org_id IS NULL OR org_id NOT IN (SELECT id FROM orgs WHERE withdrawn_on IS NOT NULL))"
)


def _span(year: int) -> tuple[str, str]:
    """The year's dates as text bounds: `date >= ? AND date < ?` holds for full dates
    (2026-06-01) and month-only ones (2026-06) of that year alike."""
    return str(year), str(year + 1)


# The members a year counts (docs/assessment.md, 团员数): those 在册 at the year's end
# (never left, or left after it), and those who left during the year having served in it
# before they left. One who left before the year began, or during it without serving
# first, is not counted at all. Bound as (year start, year end) like `_span`.
_COUNTED = (
    "(m.left_on IS NULL OR m.left_on >= ?2 OR (m.left_on >= ?1 AND EXISTS ("
    "SELECT 1 FROM services ls WHERE ls.member_id = m.id AND ls.date >= ?1"
    " AND ls.date < m.left_on)))"
)


def service_count(store: Store, year: int) -> int:
    (n,) = store.conn.execute(
        "SELECT count(*) FROM services WHERE date >= ? AND date < ?", _span(year)
    ).fetchone()
    return int(n)


def org_years(store: Store, year: int) -> dict[OrgRef, OrgYear]:
    """Each organisation's year, ordered by name and community."""
    conn = store.conn
    span = _span(year)

    def per_org(sql: str, args: tuple[str, ...] = ()) -> dict[int, Sequence[Any]]:
        return {r[0]: r for r in conn.execute(sql, args)}

    members = per_org(f"SELECT m.org_id, count(*) FROM members m WHERE {_COUNTED} GROUP BY 1", span)
    # Every service of the year counts for its organisation (a member's records stay
    # theirs after they leave); the active are the counted members among who served.
    services = per_org(
        "SELECT s.org_id, count(*), coalesce(sum(s.minutes), 0), count(DISTINCT CASE WHEN"
        f" {_COUNTED} THEN s.member_id END) FROM services s JOIN members m ON m.id = s.member_id"
        " WHERE s.date >= ?1 AND s.date < ?2 GROUP BY s.org_id",
        span,
    )
    claimed = per_org("SELECT org_id, count(*) FROM claims GROUP BY org_id")
    served = per_org(
        "SELECT cl.org_id, count(DISTINCT cl.project_id) FROM claims cl JOIN services s"
        " ON s.project_id = cl.project_id AND s.org_id = cl.org_id"
        " WHERE s.date >= ? AND date < ? GROUP BY cl.org_id",
        span,
    )
    talks = per_org(
        "SELECT org_id, count(*) FROM consultations WHERE date >= ? AND date < ? GROUP BY org_id",
        span,
    )
    halves = per_org(
        "SELECT org_id, sum(date < ?3), sum(date >= ?3) FROM consultations"
        " WHERE date >= ?1 AND date < ?2 GROUP BY org_id",
        (*span, f"{year}-07"),
    )
    # A half-year's consultation is owed unless the organisation registered after it
    # ended (docs/assessment.md, 不适用); a community without projects has no ledger.
    registered = {
        oid: at or ""
        for oid, at in conn.execute("SELECT id, registered_at FROM orgs WHERE withdrawn_on IS NULL")
    }
    ledgers = {cid for (cid,) in conn.execute("SELECT DISTINCT community_id FROM projects")}
    ratings: dict[int, list[float]] = defaultdict(list)
    for org_id, rating in conn.execute(
        "SELECT org_id, rating FROM services WHERE rating IS NOT NULL"
        " AND date >= ? AND date < ? ORDER BY id",
        span,
    ):
        ratings[org_id].append(rating)

    def count(table: dict[int, Sequence[Any]], oid: int, column: int = 1) -> int:
        row = table.get(oid)
        return int(row[column]) if row is not None else 0

    community: dict[OrgRef, int] = {
        OrgRef(name, short, oid): cid
        for oid, name, short, cid in conn.execute(
            "SELECT o.id, o.name, c.short, c.id FROM orgs o"
            " JOIN communities c ON c.id = o.community_id WHERE o.withdrawn_on IS NULL"
        )
    }
    refs = sorted(community)

    def owed(oid: int) -> tuple[bool, bool]:
        at = registered.get(oid, "")
        return (not at or at < f"{year}-07", not at or at < f"{year + 1}")

    return {
        ref: OrgYear(
            ref,
            count(members, ref.id),
            count(services, ref.id, 3),
            count(services, ref.id, 1),
            count(services, ref.id, 2),
            count(claimed, ref.id),
            count(served, ref.id),
            count(talks, ref.id),
            tuple(ratings.get(ref.id, ())),
            community[ref] in ledgers,
            owed(ref.id),
            (count(halves, ref.id), count(halves, ref.id, 2)),
        )
        for ref in refs
    }


def member_years(store: Store, year: int) -> list[MemberServices]:
    """The year's counted members (`_COUNTED`: the same as each organisation's 团员数), by
    organisation and roster order; one who left during it carries `left_on`."""
    rows = store.conn.execute(
        "WITH y AS (SELECT member_id, count(*) AS n, sum(minutes) AS minutes,"
        " count(DISTINCT project_id) AS projects FROM services"
        " WHERE date >= ?1 AND date < ?2 GROUP BY member_id)"
        " SELECT m.id_number, m.name, m.joined, o.name, c.short, o.id, b.name,"
        " coalesce(y.n, 0), coalesce(y.minutes, 0), coalesce(y.projects, 0),"
        " CASE WHEN m.left_on < ?2 THEN m.left_on END"
        " FROM members m JOIN orgs o ON o.id = m.org_id"
        " JOIN communities c ON c.id = o.community_id"
        " LEFT JOIN y ON y.member_id = m.id"
        " LEFT JOIN branch_members bm ON bm.member_id = m.id"
        f" LEFT JOIN branches b ON b.id = bm.branch_id WHERE {_COUNTED} AND o.withdrawn_on IS NULL"
        " ORDER BY o.name, c.short, m.id",
        _span(year),
    )
    return [
        MemberServices(
            r[0],
            r[1],
            r[2] or "",
            OrgRef(r[3], r[4], r[5]),
            r[6] or "",
            r[7],
            r[8],
            r[9],
            r[10] or "",
        )
        for r in rows
    ]


def branch_years(store: Store, year: int) -> list[BranchYear]:
    rows = store.conn.execute(
        "WITH sizes AS (SELECT branch_id, count(*) AS n FROM branch_members GROUP BY branch_id)"
        " SELECT b.name, coalesce(sizes.n, 0), count(DISTINCT s.member_id), count(s.id),"
        " coalesce(sum(s.minutes), 0) / 60.0"
        " FROM branches b LEFT JOIN sizes ON sizes.branch_id = b.id"
        " LEFT JOIN branch_members bm ON bm.branch_id = b.id"
        " LEFT JOIN services s ON s.member_id = bm.member_id AND s.date >= ? AND date < ?"
        " GROUP BY b.id ORDER BY b.name",
        _span(year),
    )
    return [BranchYear(*r) for r in rows]


def community_years(store: Store, year: int) -> list[CommunityYear]:
    """Communities where an organisation registered, each figure one grouped scan."""
    conn = store.conn
    span = _span(year)
    orgs = dict(
        conn.execute(
            "SELECT community_id, count(*) FROM orgs WHERE withdrawn_on IS NULL"
            " GROUP BY community_id"
        )
    )
    members = dict(
        conn.execute(
            "SELECT o.community_id, count(*) FROM members m JOIN orgs o ON o.id = m.org_id"
            f" WHERE {_COUNTED} AND o.withdrawn_on IS NULL GROUP BY o.community_id",
            span,
        )
    )
    services = {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            "SELECT community_id, count(*), coalesce(sum(minutes), 0) / 60.0 FROM services"
            f" WHERE date >= ? AND date < ? AND {_ACTIVE_ORG} GROUP BY community_id",
            span,
        )
    }
    talks = dict(
        conn.execute(
            "SELECT community_id, count(*) FROM consultations WHERE date >= ? AND date < ?"
            " GROUP BY community_id",
            span,
        )
    )
    return [
        CommunityYear(
            short,
            orgs[cid],
            members.get(cid, 0),
            services.get(cid, (0, 0.0))[0],
            services.get(cid, (0, 0.0))[1],
            talks.get(cid, 0),
        )
        for cid, short in conn.execute("SELECT id, short FROM communities ORDER BY short")
        if cid in orgs
    ]


def month_totals(store: Store, year: int) -> dict[int, tuple[int, float]]:
    """Month (1–12) → (services, hours)."""
    return {
        int(r[0]): (r[1], r[2])
        for r in store.conn.execute(
            "SELECT substr(date, 6, 2), count(*), sum(minutes) / 60.0 FROM services"
            f" WHERE date >= ? AND date < ? AND {_ACTIVE_ORG} GROUP BY 1",
            _span(year),
        )
    }
