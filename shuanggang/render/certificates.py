"""Certificates of volunteer service as print files (HTML, Word), their register and the
publicity list (HTML, workbook).

The certificate carries the member's full ID number: it goes to the member, and the rules
for such proof ask for it. The register and the publicity list stay inside the office and
on its notice board, so they show a masked number, or no number at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shuanggang.render.tables import Column, Table, write_tables


@dataclass(frozen=True, slots=True)
class CertificateLine:
    index: int
    date: str  # 2026-03-05
    community: str
    project: str
    content: str
    hours: str  # 1.5


@dataclass(frozen=True, slots=True)
class Certificate:
    number: str
    name: str
    id_document: str  # 居民身份证
    id_number: str  # full, see the module's note
    member_no: str
    org: str
    community: str
    places: str  # where the service was: 海岸路、民生社区
    period: str  # 2026年1月1日至2026年12月31日
    services: int
    hours: str
    minutes: int
    lines: tuple[CertificateLine, ...]  # on the certificate
    annex: tuple[CertificateLine, ...]  # every line, when they do not all fit
    issuer: str
    person_in_charge: str
    handler: str
    contact: str
    issued_on: str  # 2026年12月1日
    remarks: str


@dataclass(frozen=True, slots=True)
class PublicityLine:
    index: int
    number: str
    name: str  # masked: 张*丰
    org: str
    hours: str
    period: str


@dataclass(frozen=True, slots=True)
class Publicity:
    title: str
    issuer: str
    start: str  # 2026年12月1日
    end: str
    contact: str
    lines: tuple[PublicityLine, ...]


class HtmlCertificates:
    """Renders certificates with one Jinja environment and one compiled template (the
    letters' own HTML renderer, see `render.letters.HtmlLetters`)."""

    def __init__(self, override: Path | None) -> None:
        from shuanggang.render.letters import HtmlLetters

        self._letters = HtmlLetters(override, "certificate.html.j2")

    def render(self, certificates: Sequence[Certificate]) -> str:
        return self._letters.render(certificates)

    def write(self, target: Path, certificates: Sequence[Certificate]) -> Path:
        """Written certificate by certificate: a combined file is never held whole."""
        return self._letters.write(target, certificates)

    def publicity(self, publicity: Publicity) -> str:
        page = self._letters.environment.get_template("publicity.html.j2")
        return str(page.render(publicity=publicity))


REGISTER_COLUMNS = (
    Column("证明编号", 22),
    Column("姓名", 10),
    Column("身份证号", 22, text=True),
    Column("单位", 30),
    Column("社区", 10),
    Column("服务期间", 24),
    Column("服务次数", 10),
    Column("服务时长（小时）", 16),
    Column("服务时长（分钟）", 16),
    Column("出具日期", 12),
    Column("状态", 8),
    Column("作废日期", 12),
)


def write_register(target: Path, rows: Sequence[Sequence[Any]]) -> Path:
    return write_tables(target, [Table("证明登记簿", REGISTER_COLUMNS, rows)])


PUBLICITY_COLUMNS = (
    Column("序号", 6),
    Column("证明编号", 22),
    Column("姓名", 10),
    Column("单位", 30),
    Column("服务时长（小时）", 16),
    Column("服务期间", 24),
)


def write_publicity(target: Path, publicity: Publicity) -> Path:
    rows = [(p.index, p.number, p.name, p.org, p.hours, p.period) for p in publicity.lines]
    return write_tables(target, [Table("公示名单", PUBLICITY_COLUMNS, rows)])
