"""The store's tables as whole listings of typed rows, for reading and analysis (the
Python API, `shuanggang.open_workspace`): one row type per table, keys included, names
joined in.

Every row of the store is listed, history included: a withdrawn organisation carries
`withdrawn_on`, a member who left carries `left_on`; what a year counts is the
assessment's business (`workflow.report`), not these listings'. Values are as stored,
personal numbers in full: masking is the caller's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from shuanggang.store.db import Store


def _day(text: str | None) -> date | None:
    """A stored ISO date (or timestamp) as a date; None when empty or malformed."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def _rows(store: Store, sql: str) -> list[Sequence[Any]]:
    return store.conn.execute(sql).fetchall()


# The organisation's street and community, joined in by every listing below.
_PLACE = " JOIN communities c ON c.id = {0}.community_id JOIN streets s ON s.id = c.street_id"


@dataclass(frozen=True, slots=True)
class OrgRow:
    """An organisation that checked in (报到单位)."""

    org_id: int  # the key; names may repeat across communities
    org: str  # 报到单位
    street: str  # 所在街道 of its community
    community: str  # 报到社区, the short name (海岸路)
    consent: bool | None  # 同意合编; None where the sheet did not say
    registered_on: date | None  # 报到日期
    withdrawn_on: date | None  # 撤回日期; None while active
    withdraw_reason: str  # 撤回原因


def orgs(store: Store) -> list[OrgRow]:
    return [
        OrgRow(r[0], r[1], r[2], r[3], _flag(r[4]), _day(r[5]), _day(r[6]), r[7] or "")
        for r in _rows(
            store,
            "SELECT o.id, o.name, s.name, c.short, o.consent, o.registered_at, o.withdrawn_on,"
            f" o.withdraw_reason FROM orgs o{_PLACE.format('o')} ORDER BY o.id",
        )
    ]


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A registered member (团员) with every field their organisation's sheet gave.

    `birth` and `joined` are ISO text as the sheet allowed: YYYY-MM-DD, YYYY-MM or YYYY
    ("" when not given). `slots` are the time-slot codes read from 可服务时间."""

    member_id: int  # the key (an ID number is personal: masked by default)
    org_id: int
    org: str
    street: str
    community: str  # the organisation's community
    id_number: str
    name: str
    gender: str
    birth: str
    member_no: str
    ethnicity: str
    political_status: str
    joined: str
    education: str
    home_branch: str
    league_post: str
    phone: str
    residence: str
    occupation: str
    specialty: str
    willingness: str
    interests: str
    availability: str
    slots: tuple[str, ...]
    category: str  # the service category derived from the sheet (服务类别)
    consent: bool | None
    remark: str
    branch_id: int | None  # the activity branch (活动团支部), None while unplaced
    branch: str
    left_on: date | None  # 离团/调离 date; None while 在册
    left_reason: str


_MEMBER_TEXT = (
    "id_number",
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
)


def members(store: Store) -> list[MemberRow]:
    rows = _rows(
        store,
        "SELECT m.id, o.id, o.name, s.name, c.short, "
        + ", ".join(f"m.{c}" for c in _MEMBER_TEXT)
        + ", m.slots, m.category, m.consent, m.remark, b.id, b.name, m.left_on, m.left_reason"
        f" FROM members m JOIN orgs o ON o.id = m.org_id{_PLACE.format('o')}"
        " LEFT JOIN branch_members bm ON bm.member_id = m.id"
        " LEFT JOIN branches b ON b.id = bm.branch_id ORDER BY m.id",
    )
    n = len(_MEMBER_TEXT)
    return [
        MemberRow(
            member_id=r[0],
            org_id=r[1],
            org=r[2],
            street=r[3],
            community=r[4],
            **{
                k: "" if v is None else str(v)
                for k, v in zip(_MEMBER_TEXT, r[5 : 5 + n], strict=True)
            },
            slots=_codes(r[5 + n]),
            category=r[6 + n] or "",
            consent=_flag(r[7 + n]),
            remark=r[8 + n] or "",
            branch_id=r[9 + n],
            branch=r[10 + n] or "",
            left_on=_day(r[11 + n]),
            left_reason=r[12 + n] or "",
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """A project of a community's ledger (为民服务实事台账)."""

    project_id: int
    street: str
    community: str
    project_no: str  # 编号 in its community's ledger
    title: str
    category: str
    content: str
    schedule: str
    place: str
    needed: int | None  # 需求人数
    contact: str
    contact_phone: str


def projects(store: Store) -> list[ProjectRow]:
    return [
        ProjectRow(
            project_id=r[0],
            street=r[1],
            community=r[2],
            project_no=r[3],
            title=r[4],
            category=r[5] or "",
            content=r[6] or "",
            schedule=r[7] or "",
            place=r[8] or "",
            needed=r[9],
            contact=r[10] or "",
            contact_phone=r[11] or "",
        )
        for r in _rows(
            store,
            "SELECT p.id, s.name, c.short, p.project_no, p.title, p.category, p.content,"
            " p.schedule, p.place, p.needed, p.contact, p.contact_phone"
            f" FROM projects p{_PLACE.format('p')} ORDER BY c.short, p.id",
        )
    ]


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """An organisation's claim of a project (认领)."""

    project_id: int
    org_id: int
    community: str  # the project's community
    project_no: str
    title: str
    org: str
    claimed_on: date | None


def claims(store: Store) -> list[ClaimRow]:
    return [
        ClaimRow(r[0], r[1], r[2], r[3], r[4], r[5], _day(r[6]))
        for r in _rows(
            store,
            "SELECT cl.project_id, cl.org_id, c.short, p.project_no, p.title, o.name,"
            " cl.claimed_at FROM claims cl JOIN projects p ON p.id = cl.project_id"
            " JOIN communities c ON c.id = p.community_id JOIN orgs o ON o.id = cl.org_id"
            " ORDER BY c.short, p.id, o.id",
        )
    ]


@dataclass(frozen=True, slots=True)
class BranchRow:
    """An activity branch (活动团支部) as formed by assign-branches."""

    branch_id: int
    branch: str  # its name
    street: str
    community: str
    category: str
    joint: bool  # members from more than one organisation (联合)
    slots: tuple[str, ...]
    members: int
    secretary_id: int | None  # the suggested secretary's member_id
    secretary: str  # their name
    flag: str  # why it breaks a size rule, if it does


def branches(store: Store) -> list[BranchRow]:
    return [
        BranchRow(
            r[0], r[1], r[2], r[3], r[4], bool(r[5]), _codes(r[6]), r[7], r[8], r[9] or "", r[10]
        )
        for r in _rows(
            store,
            "SELECT b.id, b.name, s.name, c.short, b.category, b.joint, b.slots,"
            " (SELECT count(*) FROM branch_members bm WHERE bm.branch_id = b.id),"
            " b.secretary_id, m.name, coalesce(b.flag, '')"
            f" FROM branches b{_PLACE.format('b')}"
            " LEFT JOIN members m ON m.id = b.secretary_id ORDER BY b.name",
        )
    ]


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One member's part in one service activity (服务记录).

    `category` is the 服务类别 of the project served, else of the activity branch, else
    ""; `street` and `community` are where the service took place."""

    service_id: int
    date: date
    street: str
    community: str
    org_id: int | None
    org: str
    member_id: int
    member: str  # the member's name
    branch_id: int | None
    branch: str
    project_id: int | None
    project: str  # the project's title
    category: str
    hours: float
    beneficiaries: int | None
    content: str
    rating: float | None  # 社区评价, 1–5


def services(store: Store) -> list[ServiceRow]:
    rows = _rows(
        store,
        "SELECT v.id, v.date, s.name, c.short, v.org_id, o.name, v.member_id, m.name,"
        " v.branch_id, b.name, v.project_id, p.title,"
        " coalesce(nullif(p.category, ''), b.category, ''), v.minutes, v.beneficiaries,"
        " v.content, v.rating FROM services v JOIN members m ON m.id = v.member_id"
        " LEFT JOIN communities c ON c.id = v.community_id"
        " LEFT JOIN streets s ON s.id = c.street_id LEFT JOIN orgs o ON o.id = v.org_id"
        " LEFT JOIN branches b ON b.id = v.branch_id LEFT JOIN projects p ON p.id = v.project_id"
        " ORDER BY v.date, v.id",
    )
    return [
        ServiceRow(
            r[0],
            date.fromisoformat(r[1]),
            r[2] or "",
            r[3] or "",
            r[4],
            r[5] or "",
            r[6],
            r[7],
            r[8],
            r[9] or "",
            r[10],
            r[11] or "",
            r[12],
            r[13] / 60,
            r[14],
            r[15] or "",
            r[16],
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class ConsultationRow:
    """A consultation (互通协商) between an organisation and a community.

    `date` is ISO text: YYYY-MM-DD, or YYYY-MM when the record gave only the month."""

    consultation_id: int
    date: str
    street: str
    community: str
    org_id: int
    org: str
    form: str
    summary: str


def consultations(store: Store) -> list[ConsultationRow]:
    return [
        ConsultationRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "")
        for r in _rows(
            store,
            "SELECT t.id, t.date, s.name, c.short, t.org_id, o.name, t.form, t.summary"
            f" FROM consultations t{_PLACE.format('t')} JOIN orgs o ON o.id = t.org_id"
            " ORDER BY t.date, t.id",
        )
    ]


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A certificate of volunteer service (志愿服务记录证明) in the register, valid or void."""

    certificate_id: int
    number: str  # 证明编号
    member_id: int | None  # None once the member's record was removed
    id_number: str
    name: str
    org: str
    community: str
    period_from: date | None
    period_to: date | None
    services: int  # 服务次数
    minutes: int  # the stored minutes' sum, exactly
    hours: float  # minutes / 60 (the certificate prints it to one decimal)
    issued_on: date | None
    status: str  # valid | void
    voided_on: date | None


def certificates(store: Store) -> list[CertificateRow]:
    from shuanggang.store.certificates import register

    return [
        CertificateRow(
            c.id,
            c.number,
            c.member_id,
            c.id_number,
            c.name,
            c.org,
            c.community,
            c.period.start,
            c.period.end,
            c.services,
            c.minutes,
            c.minutes / 60,
            c.issued_on,
            c.status,
            c.voided_on,
        )
        for c in register(store)
    ]
