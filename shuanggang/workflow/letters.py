"""Check-in letters from the store: what goes in them, and writing them under out/."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from shuanggang import fsutil
from shuanggang.domain.privacy import mask_id, mask_phone
from shuanggang.render.letters import (
    CheckinLetter,
    DocxTemplate,
    RosterLine,
    docx_template,
    render_html,
)
from shuanggang.settings import Settings
from shuanggang.store import Store, Workspace, registry

CHECKIN_DIR = "报到介绍信"


def chinese_date(iso: str) -> str:
    day = date.fromisoformat(iso[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def checkin_letter(store: Store, settings: Settings, org_id: int) -> CheckinLetter:
    org = registry.org(store, org_id)
    letter = registry.letter_of(store, "checkin", org_id, settings.year)
    assert letter is not None, "a registered org always has its letter number"
    members = registry.members_of(store, org_id)
    roster = tuple(
        RosterLine(
            i,
            m.name,
            m.gender,
            mask_id(m.id_number),
            mask_phone(m.phone),
            m.specialty,
            m.category,
        )
        for i, m in enumerate(members, 1)
    )
    projects = tuple(f"{number} {title}" for number, title in registry.claimed(store, org_id))
    return CheckinLetter(
        number=letter.number,
        org=org.ref.name,
        community=org.ref.community,
        community_name=f"{org.ref.community}社区",
        street=org.street,
        issuer=settings.issuers.street.format(street=org.street),
        issued_on=chinese_date(letter.issued_at),
        members=len(members),
        projects=projects,
        validity_days=settings.letters.validity_days,
        roster=roster,
    )


class LetterWriter:
    """Writes check-in letters under out/报到介绍信/, compiling each template once."""

    def __init__(self, ws: Workspace, formats: Sequence[str]) -> None:
        self.ws = ws
        self.formats = tuple(formats)
        self.folder = ws.out_dir / CHECKIN_DIR
        self._docx: DocxTemplate | None = None

    def _docx_template(self) -> DocxTemplate:
        if self._docx is None:
            self._docx = docx_template(self.ws.templates_dir)
        return self._docx

    def _write(self, stem: str, letters: Sequence[CheckinLetter]) -> list[Path]:
        paths = []
        if "html" in self.formats:
            target = fsutil.inside(self.folder, f"{stem}.html")
            paths.append(fsutil.write_text(target, render_html(letters, self.ws.templates_dir)))
        if "docx" in self.formats:
            target = fsutil.inside(self.folder, f"{stem}.docx")
            paths.append(fsutil.write_bytes(target, self._docx_template().render(letters=letters)))
        return paths

    def _stem(self, letter: CheckinLetter) -> str:
        return f"{letter.community}_{letter.org}_报到介绍信"

    def one(self, letter: CheckinLetter) -> list[Path]:
        return self._write(self._stem(letter), [letter])

    def missing(self, letter: CheckinLetter) -> bool:
        """Is any of the letter's files not there (never written, or deleted)?"""
        stem = self._stem(letter)
        return any(not fsutil.inside(self.folder, f"{stem}.{fmt}").exists() for fmt in self.formats)

    def combined(self, letters: Sequence[CheckinLetter], label: str) -> list[Path]:
        """All letters of a batch in one file, for printing."""
        return self._write(f"合并打印_{label}", letters)
