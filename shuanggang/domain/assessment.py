"""Year-end assessment 综合考评 (docs/assessment.md): organisations scored and graded,
members checked for party recommendation 推优入党 and shortlisted for awards.

An organisation's score (0–100) is the sum of six parts, each its weight times a share:

    participation   active members (≥ 1 service) ÷ members
    hours           hours per member ÷ target, at most 1
    activities      services per member ÷ target, at most 1
    projects        claimed projects it served ÷ projects it claimed (0 if none claimed)
    consultations   consultations ÷ target (2 a year), at most 1
    rating          mean community rating ÷ 5 (no rating: 3 of 5, 基本满意)

Grades: ≥ excellent 优秀, ≥ qualified 合格, ≥ basic 基本合格, else 不合格. An
organisation with no services is 不合格 whatever its score. With a cap, at most
floor(cap × organisations) are 优秀, best scores first; when the cut falls inside a tie,
none of the tied organisations is 优秀 (the cap is never exceeded by a tie-break nobody
could explain); the others that reached the line are 合格.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from shuanggang.domain.model import OrgRef

EXCELLENT, QUALIFIED, BASIC, FAILED = "优秀", "合格", "基本合格", "不合格"
NEUTRAL_RATING = 3.0


@dataclass(frozen=True, slots=True)
class Weights:
    """The assessment settings (shuanggang.toml [assessment] is read into this)."""

    weight_participation: float = 30.0
    weight_hours: float = 25.0
    weight_activities: float = 15.0
    weight_projects: float = 10.0
    weight_consultations: float = 10.0
    weight_rating: float = 10.0
    target_hours_per_member: float = 12.0
    target_activities_per_member: float = 4.0
    target_consultations: int = 2
    excellent: float = 85.0
    qualified: float = 70.0
    basic: float = 60.0
    excellent_cap: float = 0.30


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


@dataclass(frozen=True, slots=True)
class OrgGrade:
    org: OrgRef
    score: float
    parts: dict[str, float]
    grade: str
    note: str = ""


def _share(value: float, target: float) -> float:
    return min(1.0, value / target) if target > 0 else 0.0


def score(facts: OrgYear, w: Weights) -> tuple[float, dict[str, float]]:
    n = max(facts.members, 1)
    rating = sum(facts.ratings) / len(facts.ratings) if facts.ratings else NEUTRAL_RATING
    parts = {
        "participation": w.weight_participation * facts.active / n,
        "hours": w.weight_hours * _share(facts.minutes / 60 / n, w.target_hours_per_member),
        "activities": w.weight_activities
        * _share(facts.services / n, w.target_activities_per_member),
        "projects": w.weight_projects * (facts.served / facts.claimed if facts.claimed else 0.0),
        "consultations": w.weight_consultations
        * _share(facts.consultations, w.target_consultations),
        "rating": w.weight_rating * rating / 5,
    }
    parts = {k: round(v, 2) for k, v in parts.items()}
    return round(sum(parts.values()), 1), parts


def grade_of(value: float, w: Weights) -> str:
    if value >= w.excellent:
        return EXCELLENT
    if value >= w.qualified:
        return QUALIFIED
    if value >= w.basic:
        return BASIC
    return FAILED


def assess(orgs: Sequence[OrgYear], w: Weights) -> list[OrgGrade]:
    """Every organisation's score and grade, the 优秀 cap applied (see the module doc)."""
    results = []
    for facts in orgs:
        value, parts = score(facts, w)
        grade, note = grade_of(value, w), ""
        if facts.services == 0:
            grade, note = FAILED, "全年没有服务记录"
        results.append(OrgGrade(facts.org, value, parts, grade, note))
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
    return [
        OrgGrade(r.org, r.score, r.parts, QUALIFIED, note) if r.org in demoted else r
        for r in results
    ]


# --- members ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Party recommendation thresholds (shuanggang.toml [recommendation])."""

    min_age: int = 18
    max_age: int = 28
    min_member_years: int = 1
    min_activities: int = 4
    min_hours: float = 12.0


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
