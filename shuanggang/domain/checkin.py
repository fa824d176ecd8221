"""Check-in at a launch ceremony (docs/letters.md): letter numbers, the organisation's
stance on joint branches, and which open projects fit an organisation best."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shuanggang.domain.labels import Outcome
from shuanggang.domain.values import parse_availability, slot_labels


def street_abbr(street: str) -> str:
    """向阳街道 → 向阳, 卧龙经济园区 → 卧龙经济."""
    return re.sub(r"(街道|园区|街道办事处)$", "", street) or street


def letter_number(fmt: str, *, street: str, community: str, year: int, seq: int) -> str:
    """A letter number from the settings' format (芝团报〔{year}〕{seq:03d}号)."""
    return fmt.format(
        street=street, street_abbr=street_abbr(street), community=community, year=year, seq=seq
    )


# What offices add to a file or title around the organisation's name.
_DRAFT = (
    r"修改后?|修订|终稿|定稿|最终版?|初稿|更新|正式|新版?|副本|草稿|v\d+"
    r"|第?[一二三四五六七八九十\d]+版|\d+"
)
_DRAFT_MARK = re.compile(rf"[（(【\[]\s*(?:{_DRAFT})\s*[）)】\]]", re.IGNORECASE)
_ANNEX = re.compile(r"^\s*附件\s*[\d一二三四五六七八九十]*\s*[-_－—：:、.．\s]*")
_SHEET_WORDS = re.compile(
    r"[-_－—\s]*(?:团员信息汇总表|团员信息表|团员名单|团员花名册|花名册|汇总表|信息表|报到表|名单)"
    r"[-_－—\s]*"
)
_YEAR = re.compile(r"^\s*\d{4}\s*年度?|\d{8}")
_COPY = re.compile(r"(?:[-_－—\s]*副本|^\s*Copy of\s+)", re.IGNORECASE)


def org_name_from(text: str) -> str:
    """The organisation's name in a title or file name, without what offices add to it:
    附件2-烟台山医院团委_团员信息汇总表（修改后）(1) → 烟台山医院团委."""
    name = _ANNEX.sub("", text)
    for _ in range(3):  # marks may stack: （修改后）(1)
        name = _DRAFT_MARK.sub("", name)
    name = _COPY.sub("", name)
    name = _YEAR.sub("", name)
    name = _SHEET_WORDS.sub("", name)
    return name.strip(" 《》:：-_－—.·")


def registration_outcome(*, known: bool, same_members: bool, replace: bool) -> Outcome:
    """What a member sheet does to its organisation's registration: a new organisation
    registers; the same list again changes nothing; a different list replaces the old one
    only when asked to (--replace), else the sheet is refused. A member registered by
    another organisation is refused before this is asked."""
    if not known:
        return Outcome.REGISTERED
    if same_members:
        return Outcome.UNCHANGED
    return Outcome.REPLACED if replace else Outcome.REJECTED


def consents(answers: Iterable[bool | None]) -> bool | None:
    """An organisation agrees to joint branches unless more members said 否 than 是."""
    said = [a for a in answers if a is not None]
    if not said:
        return None
    return sum(said) >= len(said) - sum(said)


@dataclass(frozen=True, slots=True)
class OpenProject:
    project_no: str
    title: str
    category: str
    schedule: str


@dataclass(frozen=True, slots=True)
class ProjectFit:
    project: OpenProject
    score: float
    reason: str


def rank_projects(
    projects: Sequence[OpenProject],
    member_categories: Sequence[str],
    member_slots: Sequence[frozenset[str]],
) -> list[ProjectFit]:
    """Open projects by fit: the share of members whose category is the project's, plus
    the share free at the project's time. Ties keep the ledger's order."""
    n = max(len(member_categories), 1)
    categories = Counter(member_categories)
    fits = []
    for project in projects:
        same = categories.get(project.category, 0)
        when = parse_availability(project.schedule)
        free = sum(1 for s in member_slots if s & when) if when else 0
        score = same / n + 0.5 * free / n
        parts = []
        if same:
            parts.append(f"{project.category} {same} 人")
        if when and free:
            parts.append(f"{slot_labels(when)}有空 {free} 人")
        fits.append(ProjectFit(project, round(score, 4), "，".join(parts) or "类别、时间均不匹配"))
    order = {p.project_no: i for i, p in enumerate(projects)}
    return sorted(fits, key=lambda f: (-f.score, order[f.project.project_no]))
