"""Certificates of volunteer service: whose service, which records, and the register of
certificates issued (numbered per year, never reused, voided rather than edited).

A selection of members is one SQL condition on `m` (members), so the holders and their
service lines come from two queries whatever the selection: one member, an organisation,
a branch or everyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from shuanggang.domain.certificates import Holder, Period, ServiceLine
from shuanggang.store.db import Store


@dataclass(frozen=True, slots=True)
class Selection:
    """Which members: an SQL condition on `m` and its arguments (built here only)."""

    where: str
    args: tuple[Any, ...] = ()


EVERYONE = Selection("1")


def member(member_id: int) -> Selection:
    return Selection("m.id = ?", (member_id,))


def org(org_id: int) -> Selection:
    return Selection("m.org_id = ?", (org_id,))


def branch(branch_id: int) -> Selection:
    return Selection(
        "m.id IN (SELECT member_id FROM branch_members WHERE branch_id = ?)", (branch_id,)
    )


def branch_id(store: Store, name: str) -> int | None:
    row = store.conn.execute("SELECT id FROM branches WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def branch_names(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT name FROM branches ORDER BY name")]


def holders(store: Store, selection: Selection) -> list[tuple[int, Holder]]:
    """The selected members (those who left too: their service was served), by
    organisation, community and roster order."""
    rows = store.conn.execute(
        "SELECT m.id, m.id_number, m.name, coalesce(m.member_no, ''), o.name, c.short, st.name"
        " FROM members m JOIN orgs o ON o.id = m.org_id"
        " JOIN communities c ON c.id = o.community_id JOIN streets st ON st.id = c.street_id"
        f" WHERE {selection.where} ORDER BY o.name, c.short, m.id",
        selection.args,
    )
    return [(r[0], Holder(r[1], r[2], r[3], r[4], r[5], r[6])) for r in rows]


def service_lines(
    store: Store, selection: Selection, period: Period
) -> dict[int, list[ServiceLine]]:
    """Each selected member's recorded services in the period, by date and record."""
    rows = store.conn.execute(
        "SELECT s.member_id, s.date, coalesce(c.short, ''), coalesce(p.title, ''),"
        " coalesce(s.content, ''), s.minutes"
        " FROM services s JOIN members m ON m.id = s.member_id"
        " LEFT JOIN communities c ON c.id = s.community_id"
        " LEFT JOIN projects p ON p.id = s.project_id"
        f" WHERE s.date >= ? AND s.date <= ? AND {selection.where}"
        " ORDER BY s.member_id, s.date, s.id",
        (period.start.isoformat(), period.end.isoformat(), *selection.args),
    )
    lines: dict[int, list[ServiceLine]] = defaultdict(list)
    for r in rows:
        lines[r[0]].append(ServiceLine(r[1], r[2], r[3], r[4], r[5]))
    return lines


def stored_minutes(store: Store, member_id: int, period: Period) -> int:
    """The sum of a member's stored minutes in the period, straight from the records."""
    row = store.conn.execute(
        "SELECT coalesce(sum(minutes), 0) FROM services"
        " WHERE member_id = ? AND date >= ? AND date <= ?",
        (member_id, period.start.isoformat(), period.end.isoformat()),
    ).fetchone()
    return int(row[0])


# --- the register ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    id: int
    year: int
    seq: int
    number: str
    member_id: int | None
    id_number: str
    name: str
    org: str
    community: str
    period: Period
    minutes: int
    services: int
    digest: str
    issued_on: date
    status: str  # valid | void
    voided_on: date | None


_COLUMNS = (
    "id, year, seq, number, member_id, id_number, name, org, community, period_from, period_to,"
    " minutes, services, digest, issued_on, status, voided_on"
)


def _record(r: Sequence[Any]) -> CertificateRecord:
    return CertificateRecord(
        id=r[0],
        year=r[1],
        seq=r[2],
        number=r[3],
        member_id=r[4],
        id_number=r[5],
        name=r[6],
        org=r[7],
        community=r[8],
        period=Period(date.fromisoformat(r[9]), date.fromisoformat(r[10])),
        minutes=r[11],
        services=r[12],
        digest=r[13],
        issued_on=date.fromisoformat(r[14]),
        status=r[15],
        voided_on=None if r[16] is None else date.fromisoformat(r[16]),
    )


def valid_certificates(store: Store, period: Period) -> dict[str, CertificateRecord]:
    """The valid certificate of each holder (by ID number) for exactly this period."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM certificates"
        " WHERE status = 'valid' AND period_from = ? AND period_to = ? ORDER BY id",
        (period.start.isoformat(), period.end.isoformat()),
    )
    return {r[5]: _record(r) for r in rows}


def next_seq(store: Store, year: int) -> int:
    row = store.conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM certificates WHERE year = ?", (year,)
    ).fetchone()
    return int(row[0])


def add(
    store: Store,
    *,
    year: int,
    seq: int,
    number: str,
    member_id: int,
    holder: Holder,
    period: Period,
    minutes: int,
    services: int,
    digest: str,
    issued_on: date,
) -> CertificateRecord:
    cursor = store.conn.execute(
        "INSERT INTO certificates (year, seq, number, member_id, id_number, name, org,"
        " community, period_from, period_to, minutes, services, digest, issued_on)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            year,
            seq,
            number,
            member_id,
            holder.id_number,
            holder.name,
            holder.org,
            holder.community,
            period.start.isoformat(),
            period.end.isoformat(),
            minutes,
            services,
            digest,
            issued_on.isoformat(),
        ),
    )
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM certificates WHERE id = ?", (cursor.lastrowid,)
    ).fetchone()
    return _record(row)


def void(store: Store, certificate_id: int, on: date) -> None:
    store.conn.execute(
        "UPDATE certificates SET status = 'void', voided_on = ? WHERE id = ?",
        (on.isoformat(), certificate_id),
    )


def register(store: Store) -> list[CertificateRecord]:
    """Every certificate issued, by year and number."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM certificates ORDER BY year, seq")
    return [_record(r) for r in rows]
