"""Year-end assessment 综合考评 (docs/assessment.md): organisations scored and graded,
members checked for party recommendation 推优入党 and shortlisted for awards.

An organisation's score (0–100) is the sum of its applicable items, each its weight
times a share, scaled up over the applicable weights (Σ parts × 100 / Σ applicable weights):

    participation   active members (≥ 1 service) ÷ members, shrunk towards the district
    hours           hours per member (shrunk) ÷ target, at most 1
    activities      services per member (shrunk) ÷ target, at most 1
    projects        claimed projects it served ÷ projects it claimed (0 if none claimed);
                    不适用 when its community has no projects in the ledger
    consultations   consultations ÷ target for the half-years owed, at most 1; a half-year
                    is owed unless the organisation registered after it ended
    rating          mean community rating ÷ 5; 不适用 when nobody rated it

Shrinking: (n·rate + k·district rate) / (n + k), n the members, k `shrink_members`.

Grades: ≥ excellent 优秀, ≥ qualified 合格, ≥ basic 基本合格, else 不合格. An
organisation with no services is 不合格 whatever its score. 优秀 also needs the floors
(`floors`): at least `min_members` members, a consultation in each half-year owed, and no
applicable item's share below `item_floor`; one that misses a floor is 合格. With a cap, at
most floor(cap × organisations) are 优秀, best scores first; when the cut falls inside a
tie, none of the tied organisations is 优秀 (the cap is never exceeded by a tie-break
nobody could explain); the others that reached the line are 合格.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from shuanggang.domain.model import OrgRef
from shuanggang.domain.standards import Eligibility, Weights

EXCELLENT, QUALIFIED, BASIC, FAILED = "优秀", "合格", "基本合格", "不合格"
KEYS = ("participation", "hours", "activities", "projects", "consultations", "rating")
LABELS = {
    "participation": "团员参与率",
    "hours": "人均服务时长",
    "activities": "人均服务次数",
    "projects": "认领项目开展情况",
    "consultations": "互通协商",
    "rating": "社区评价",
}
HALVES = ("上半年", "下半年")


@dataclass(frozen=True, slots=True)
class OrgYear:
    org: OrgRef
    members: int
    active: int
    services: int  # service rows: one per member per activity
    minutes: int
    claimed: int
    served: int  # claimed projects with at least one service
    consultations: int
    ratings: tuple[float, ...] = ()
    ledger: bool = True  # its community has projects in the ledger (else 认领项目 不适用)
    owed: tuple[bool, bool] = (True, True)  # half-years a consultation was owed in
    halves: tuple[int, int] | None = None  # consultations in each half-year, when known


@dataclass(frozen=True, slots=True)
class District:
    """The district's rates that small organisations' rates are shrunk towards."""

    participation: float = 0.0
    hours: float = 0.0  # per member
    activities: float = 0.0  # per member


@dataclass(frozen=True, slots=True)
class Item:
    """One scored item. `share` is None when the item is 不适用 (then weight 0, points None);
    `raw` is the figure as measured (a rate, per-member hours or services, consultations,
    mean rating), `share` the completion used (after shrinking, at most 1), `weight` the
    weight scaled up over the applicable items (they add up to 100)."""

    key: str
    raw: float | None
    share: float | None
    weight: float
    points: float | None

    @property
    def applicable(self) -> bool:
        return self.share is not None

    @property
    def lost(self) -> float:
        return round(self.weight - (self.points or 0.0), 2)


@dataclass(frozen=True, slots=True)
class OrgGrade:
    org: OrgRef
    score: float
    parts: dict[str, float | None]  # points per item, None when 不适用
    grade: str
    note: str = ""  # the rule that set the grade (no services, a floor, the 优秀 cap)
    items: tuple[Item, ...] = ()


def _share(value: float, target: float) -> float:
    return min(1.0, value / target) if target > 0 else 0.0


def district_of(orgs: Sequence[OrgYear]) -> District:
    members = sum(f.members for f in orgs)
    if not members:
        return District()
    return District(
        sum(f.active for f in orgs) / members,
        sum(f.minutes for f in orgs) / 60 / members,
        sum(f.services for f in orgs) / members,
    )


def items(facts: OrgYear, w: Weights, district: District | None = None) -> tuple[Item, ...]:
    """Every item of one organisation (see the module doc); without `district` nothing is
    shrunk."""
    n = facts.members
    k = w.shrink_members if district is not None else 0.0
    d = district or District()

    def shrunk(total: float, towards: float) -> float:
        # (n·rate + k·district rate) / (n + k), with n·rate = the organisation's total
        return (total + k * towards) / (n + k) if n + k > 0 else 0.0

    def per(total: float) -> float:
        return total / n if n else 0.0

    owed = sum(facts.owed)
    raw: dict[str, float | None] = {
        "participation": per(facts.active),
        "hours": per(facts.minutes / 60),
        "activities": per(facts.services),
        "projects": (facts.served / facts.claimed if facts.claimed else 0.0)
        if facts.ledger
        else None,
        "consultations": float(facts.consultations) if owed else None,
        "rating": sum(facts.ratings) / len(facts.ratings) if facts.ratings else None,
    }
    share: dict[str, float | None] = {
        "participation": min(1.0, shrunk(facts.active, d.participation)),
        "hours": _share(shrunk(facts.minutes / 60, d.hours), w.target_hours_per_member),
        "activities": _share(shrunk(facts.services, d.activities), w.target_activities_per_member),
        "projects": raw["projects"],
        "consultations": _share(facts.consultations, w.target_consultations * owed / 2)
        if owed
        else None,
        "rating": raw["rating"] / 5 if raw["rating"] is not None else None,
    }
    weights = {key: float(getattr(w, f"weight_{key}")) for key in KEYS}
    total = sum(weights[key] for key in KEYS if share[key] is not None)
    scale = 100 / total if total > 0 else 0.0
    out = []
    for key in KEYS:
        s = share[key]
        weight = round(weights[key] * scale, 2) if s is not None else 0.0
        points = round(weights[key] * scale * s, 2) if s is not None else None
        out.append(Item(key, raw[key], s, weight, points))
    return tuple(out)


def score(
    facts: OrgYear, w: Weights, district: District | None = None
) -> tuple[float, dict[str, float | None]]:
    """Score = Σ applicable parts × 100 / Σ applicable weights; parts None when 不适用."""
    its = items(facts, w, district)
    return round(sum(i.points or 0.0 for i in its), 1), {i.key: i.points for i in its}


def grade_of(value: float, w: Weights) -> str:
    if value >= w.excellent:
        return EXCELLENT
    if value >= w.qualified:
        return QUALIFIED
    if value >= w.basic:
        return BASIC
    return FAILED


def floors(facts: OrgYear, its: Sequence[Item], w: Weights) -> str:
    """Why an organisation that scored 优秀 may not be 优秀 ("" when it may)."""
    if facts.members < w.min_members:
        return f"团员 {facts.members} 名，优秀须不少于 {w.min_members} 名"
    # Halves unknown (figures built by hand): as many consultations as halves owed.
    owed = [i for i, due in enumerate(facts.owed) if due]
    held = facts.halves or tuple(int(facts.consultations > j) for j in range(2))
    if facts.halves is None and len(owed) == 1:
        held = (int(facts.consultations > 0),) * 2
    for i in owed:
        if held[i] < 1:
            return f"{HALVES[i]}没有互通协商，优秀须每半年至少一次"
    for item in its:
        if item.share is not None and item.share < w.item_floor:
            return f"{LABELS[item.key]}完成 {item.share:.0%}，优秀须每项不低于 {w.item_floor:.0%}"
    return ""


def costliest(g: OrgGrade, n: int = 2) -> list[Item]:
    """The applicable items that cost the most points, most first (none when all full)."""
    lost = [i for i in g.items if i.applicable and i.lost > 0]
    return sorted(lost, key=lambda i: (-i.lost, KEYS.index(i.key)))[:n]


def explain(g: OrgGrade) -> str:
    """说明: the rule that set the grade, else the two items that cost the most points."""
    if g.note:
        return g.note
    worst = costliest(g)
    if not worst:
        return "各项均得满分"
    return "失分最多：" + "、".join(f"{LABELS[i.key]}（失 {i.lost:g} 分）" for i in worst)


def assess(orgs: Sequence[OrgYear], w: Weights) -> list[OrgGrade]:
    """Every organisation's score and grade, the 优秀 cap applied (see the module doc)."""
    district = district_of(orgs)
    results = []
    for facts in orgs:
        its = items(facts, w, district)
        value = round(sum(i.points or 0.0 for i in its), 1)
        grade, note = grade_of(value, w), ""
        if facts.services == 0:
            grade, note = FAILED, "全年没有服务记录"
        elif grade == EXCELLENT:
            note = floors(facts, its, w)
            if note:
                grade = QUALIFIED
        parts = {i.key: i.points for i in its}
        results.append(OrgGrade(facts.org, value, parts, grade, note, its))
    if w.excellent_cap > 0:
        results = _cap(results, math.floor(w.excellent_cap * len(results)))
    return sorted(results, key=lambda r: (-r.score, r.org))


def _cap(results: list[OrgGrade], allowed: int) -> list[OrgGrade]:
    excellent = sorted((r for r in results if r.grade == EXCELLENT), key=lambda r: -r.score)
    if len(excellent) <= allowed:
        return results
    line = excellent[allowed].score  # the first score that no longer fits
    demoted = {r.org for r in excellent if r.score <= line}
    note = f"优秀比例上限 {allowed} 个，按得分依次确定"
    return [replace(r, grade=QUALIFIED, note=note) if r.org in demoted else r for r in results]


# --- members ---------------------------------------------------------------------------


def recommendation(
    birth: date | None,
    joined: tuple[int, int] | None,
    services: int,
    minutes: int,
    year: int,
    rule: Eligibility,
) -> tuple[bool, str]:
    """Eligible for party recommendation, and why not if not (ages on 31 December)."""
    reasons = []
    age = year - birth.year if birth else None
    if age is None:
        reasons.append("出生日期不详")
    elif not rule.min_age <= age <= rule.max_age:
        reasons.append(f"年龄 {age} 岁（需 {rule.min_age}–{rule.max_age} 岁）")
    if joined is not None:
        months = (year * 12 + 12) - (joined[0] * 12 + joined[1])
        if months < rule.min_member_years * 12:
            reasons.append(f"团龄不足 {rule.min_member_years} 年")
    if services < rule.min_activities:
        reasons.append(f"服务 {services} 次（需 {rule.min_activities} 次）")
    if minutes / 60 < rule.min_hours:
        reasons.append(f"服务 {minutes / 60:g} 小时（需 {rule.min_hours:g} 小时）")
    return not reasons, "；".join(reasons)
