"""Check-in letters from the store: what goes in them, and writing them under out/;
remaking letters and one combined print file for a set of organisations (`letters`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shuanggang import clock, fsutil
from shuanggang.domain.model import OrgRef
from shuanggang.domain.privacy import mask_id, mask_phone
from shuanggang.render.letters import (
    FORMATS,
    CheckinLetter,
    DocxTemplate,
    HtmlLetters,
    RosterLine,
    docx_template,
    write_word,
)
from shuanggang.settings import Settings
from shuanggang.store import Store, Workspace, registry

CHECKIN_DIR = "报到介绍信"
COMBINED = "合并打印"


def checkin_stem(community: str, org: str) -> str:
    """The name (without extension) of an organisation's check-in letter files."""
    return f"{community}_{org}_报到介绍信"


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
    """Writes check-in letters under out/报到介绍信/, compiling each template once;
    a combined file is written letter by letter, never held whole."""

    def __init__(self, ws: Workspace, formats: Sequence[str]) -> None:
        self.ws = ws
        self.formats = tuple(formats)
        self.folder = ws.out_dir / CHECKIN_DIR
        self._docx: DocxTemplate | None = None
        self._html: HtmlLetters | None = None

    def _docx_template(self) -> DocxTemplate:
        if self._docx is None:
            self._docx = docx_template(self.ws.templates_dir)
        return self._docx

    def _write(self, stem: str, letters: Sequence[CheckinLetter]) -> list[Path]:
        paths = []
        if "html" in self.formats:
            if self._html is None:
                self._html = HtmlLetters(self.ws.templates_dir)
            paths.append(self._html.write(fsutil.inside(self.folder, f"{stem}.html"), letters))
        if "docx" in self.formats or "pdf" in self.formats:
            template = self._docx_template()
            paths += write_word(template, self.folder, stem, self.formats, letters=letters)
        return paths

    def _stem(self, letter: CheckinLetter) -> str:
        return checkin_stem(letter.community, letter.org)

    def files_of(self, stem: str) -> list[Path]:
        """The files of that name (any format) that are there."""
        found = (fsutil.inside(self.folder, f"{stem}.{fmt}") for fmt in FORMATS)
        return [p for p in found if p.exists()]

    def one(self, letter: CheckinLetter) -> list[Path]:
        return self._write(self._stem(letter), [letter])

    def missing(self, letter: CheckinLetter) -> bool:
        """Is any of the letter's files not there (never written, or deleted), or empty (a
        power cut before its batch was synced)?"""
        stem = self._stem(letter)
        return any(_absent(fsutil.inside(self.folder, f"{stem}.{fmt}")) for fmt in self.formats)

    def combined(self, letters: Sequence[CheckinLetter], label: str) -> list[Path]:
        """All letters of a batch in one file, for printing."""
        return self._write(f"合并打印_{label}", letters)


# --- remaking letters for a set of organisations (`letters checkin|feedback`) ----------


@dataclass(slots=True)
class Remade:
    """Letters made again from the store, and the one combined print file."""

    kind: str  # checkin | feedback
    label: str  # what the set is: 海岸路社区, 全部, 海岸路社区_烟台山医院团委
    orgs: list[OrgRef] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    combined: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # the set's earlier combined files

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "set": self.label,
            "orgs": [{"org": o.name, "community": o.community} for o in self.orgs],
            "numbers": self.numbers,
            "outputs": [str(p) for p in self.outputs],
            "combined": [str(p) for p in self.combined],
            "removed": [str(p) for p in self.removed],
        }


def _absent(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def combined_stem(label: str, on: date) -> str:
    """合并打印_<set>_<date>: the combined file of a set, named by its contents and date."""
    return f"{COMBINED}_{fsutil.safe_filename(label, max_chars=50)}_{on.isoformat()}"


def replace_combined(folder: Path, label: str, keep: Sequence[Path]) -> list[Path]:
    """Remove the set's combined files of other dates: one combined file per set, not a
    pile. Returns what was removed."""
    pattern = re.compile(
        rf"{COMBINED}_{re.escape(fsutil.safe_filename(label, max_chars=50))}"
        r"_\d{4}-\d{2}-\d{2}\.(html|docx)"
    )
    kept = {p.resolve() for p in keep}
    removed = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if pattern.fullmatch(path.name) and path.resolve() not in kept:
                path.unlink()
                removed.append(path)
    return removed


def remake_checkin(
    ws: Workspace,
    store: Store,
    settings: Settings,
    org_ids: Sequence[int],
    label: str,
    formats: Sequence[str],
) -> Remade:
    """Each organisation's check-in letter again, as the store holds it now (members,
    claims, name, community), and one combined print file of them all, by number."""
    writer = LetterWriter(ws, formats)
    with store.reading():
        letters = sorted(
            ((registry.letter_of(store, "checkin", oid, settings.year), oid) for oid in org_ids),
            key=lambda pair: pair[0].seq if pair[0] else 0,
        )
        made = [
            (registry.org(store, oid).ref, checkin_letter(store, settings, oid))
            for _, oid in letters
        ]
    result = Remade("checkin", label)
    with fsutil.synced_at_end():  # one sync for all the letters
        for ref, letter in made:
            result.orgs.append(ref)
            result.numbers.append(letter.number)
            result.outputs += writer.one(letter)
        if made and formats:
            result.combined = writer._write(
                combined_stem(label, clock.today()), [letter for _, letter in made]
            )
        result.removed = replace_combined(writer.folder, label, result.combined)
    return result


def feedback_folder(ws: Workspace, year: int) -> Path:
    return ws.out_dir / f"{year}年度考评" / "考评结果反馈函"


def remake_feedback(
    ws: Workspace,
    store: Store,
    settings: Settings,
    org_ids: Sequence[int],
    label: str,
    formats: Sequence[str],
    *,
    year: int,
    on: date,
) -> Remade:
    """The feedback letters of some organisations again, from the year's figures now, and
    one combined print file. The numbers are `report`'s (an organisation registered after
    it gets the next one), so `report` must have run for the year."""
    from shuanggang.errors import ShuanggangError
    from shuanggang.store import orgs as store_orgs
    from shuanggang.workflow import report as assessment

    with store.reading():
        numbered = store_orgs.feedback_numbered(store, year)
    if not numbered:
        raise ShuanggangError(
            f"{year} 年度还没有考评，没有反馈函可以重新生成",
            "先运行 shuanggang report：反馈函编号在第一次考评时按街道、单位名称的顺序发放",
        )
    with store.change("letters feedback", f"{year} 年度反馈函：{label}") as tx:
        report = assessment.assessed(tx, settings, year)
        letters = assessment.feedback_letters(tx, report, settings, on, org_ids)
    result = Remade("feedback", label)
    for ref, letter in letters:
        result.orgs.append(ref)
        result.numbers.append(letter.number)
    if letters and formats:
        folder = feedback_folder(ws, year)
        result.outputs, result.combined = assessment.write_feedback_letters(
            ws, report, letters, tuple(formats), folder, combined_stem(label, on)
        )
        result.removed = replace_combined(folder, label, result.combined)
    return result
