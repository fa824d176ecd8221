"""Volunteer service certificates (志愿服务记录证明): what one says, and when one issued
before still stands.

Whoever records the service issues the proof. A certificate states who served (name, ID
document and number, 团员编号), what was served in a period (the hours actually served and
the activities), who issues it, and its number and date. Nothing is invented: a member
with no recorded service in the period gets no certificate, and the hours are the sum of
the recorded minutes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One recorded service of the member, as the certificate lists it."""

    date: str  # ISO date
    community: str
    project: str
    content: str
    minutes: int


@dataclass(frozen=True, slots=True)
class Holder:
    """The member a certificate is for."""

    id_number: str  # full: the certificate goes to the member, and the rules ask for it
    name: str
    member_no: str
    org: str
    community: str
    street: str


@dataclass(frozen=True, slots=True)
class Issuer:
    name: str  # 共青团东山街道工作委员会
    person_in_charge: str
    handler: str
    contact: str


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    def label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


def hours(minutes: int) -> str:
    """Hours actually served, shown to one decimal, halves rounded up: 90 minutes is
    1.5 hours, 100 minutes 1.7, 5 minutes 0.1. The certificate also prints the minutes,
    so nothing is lost to rounding."""
    value = (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value:.1f}"


def total_minutes(lines: Sequence[ServiceLine]) -> int:
    return sum(line.minutes for line in lines)


def digest(holder: Holder, period: Period, issuer: Issuer, lines: Sequence[ServiceLine]) -> str:
    """A fingerprint of everything a certificate prints but its number and date: the same
    fingerprint means the certificate issued before still says the truth."""
    content = {
        "holder": asdict(holder),
        "period": [period.start.isoformat(), period.end.isoformat()],
        "issuer": asdict(issuer),
        "lines": [asdict(line) for line in lines],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def masked_name(name: str) -> str:
    """A name as a publicity list shows it: the middle masked (张*丰, 欧**娜); a two-
    character name keeps its first character (张*)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def publicity_span(start: date, days: int) -> tuple[date, date]:
    """The first and last day of a publicity of `days` days starting on `start`."""
    return start, start + timedelta(days=max(days, 1) - 1)


def certificate_number(pattern: str, *, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


def id_document(id_number: str) -> str:
    """The kind of identity document a number is: the resident ID card (18 digits, or 15
    for the old card), else a document the office names itself."""
    digits = id_number[:-1] if id_number[-1:] in "Xx" else id_number
    if digits.isdigit() and len(id_number) in (15, 18):
        return "居民身份证"
    return "其他有效身份证件"
