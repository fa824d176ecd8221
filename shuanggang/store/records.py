"""What the store hands back: typed, frozen records, never database rows.

Organisations travel as `OrgRef` (their key), so two organisations of the same name
stay two everywhere downstream.
"""

from __future__ import annotations

from dataclasses import dataclass

from shuanggang.domain.model import OrgRef


@dataclass(frozen=True, slots=True)
class OrgRecord:
    ref: OrgRef
    street: str
    consent: bool | None  # 同意合编: None where the sheet did not say


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A registered member with every column the sheet gave."""

    id: int
    org: OrgRef
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
    category: str
    consent: bool | None
    remark: str
    branch: str  # the activity branch's name, "" while unplaced


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: int
    community: str
    project_no: str
    title: str
    category: str
    content: str
    schedule: str
    place: str
    needed: int | None
    contact: str
    contact_phone: str
    claimed_by: tuple[OrgRef, ...] = ()


@dataclass(frozen=True, slots=True)
class LetterRecord:
    kind: str
    number: str
    seq: int
    issued_at: str  # ISO date


@dataclass(frozen=True, slots=True)
class Conflict:
    """A member of an incoming sheet already registered by another organisation."""

    id_number: str
    org: OrgRef
