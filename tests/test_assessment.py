"""Scoring pinned on hand-computed cases (docs/assessment.md), including the 优秀 cap and ties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from shuanggang.domain import assessment as a
from shuanggang.domain.model import OrgRef

W = a.Weights()


def org(name: str = "甲", **kw: Any) -> a.OrgYear:
    base = a.OrgYear(
        org=OrgRef(name, "海岸路", sum(map(ord, name))),
        members=10,
        active=8,
        services=30,
        minutes=90 * 60,
        claimed=2,
        served=1,
        consultations=1,
        ratings=(5.0, 3.0),
    )
    return replace(base, **kw)


def test_parts_by_hand() -> None:
    # participation 30×8/10 = 24; hours 9 h/member of 12 → 25×0.75 = 18.75;
    # activities 3/member of 4 → 15×0.75 = 11.25; projects 1 of 2 → 5;
    # consultations 1 of 2 → 5; rating mean 4 of 5 → 8. Total 72.0.
    value, parts = a.score(org(), W)
    assert parts == {
        "participation": 24.0,
        "hours": 18.75,
        "activities": 11.25,
        "projects": 5.0,
        "consultations": 5.0,
        "rating": 8.0,
    }
    assert value == 72.0 and a.grade_of(value, W) == a.QUALIFIED


def test_targets_cap_each_part_and_no_rating_is_neutral() -> None:
    value, parts = a.score(
        org(
            minutes=10 * 12 * 60 * 2, services=100, consultations=5, ratings=(), claimed=0, served=0
        ),
        W,
    )
    assert parts["hours"] == 25.0 and parts["activities"] == 15.0
    assert parts["consultations"] == 10.0 and parts["rating"] == 6.0 and parts["projects"] == 0
    assert value == 24 + 25 + 15 + 0 + 10 + 6


def test_no_services_is_failed_whatever_the_score() -> None:
    (result,) = a.assess([org(services=0, minutes=0, active=10, consultations=2)], W)
    assert result.grade == a.FAILED and result.note == "全年没有服务记录"


@pytest.mark.parametrize(
    ("value", "grade"),
    [(85.0, "优秀"), (84.9, "合格"), (70.0, "合格"), (60.0, "基本合格"), (59.9, "不合格")],
)
def test_grade_lines(value: float, grade: str) -> None:
    assert a.grade_of(value, W) == grade


def perfect(name: str, consultations: int = 2) -> a.OrgYear:
    return org(
        name,
        active=10,
        minutes=10 * 12 * 60,
        services=40,
        served=2,
        consultations=consultations,
        ratings=(5.0,),
    )


def test_cap_keeps_the_best_and_ties_at_the_cut_all_lose() -> None:
    # 10 orgs, cap 30% → 3 may be 优秀. Scores: A 100, B 100, C 95, D 95, rest lower.
    orgs = [perfect("A"), perfect("B"), perfect("C", 1), perfect("D", 1)]
    orgs += [org(f"E{i}") for i in range(6)]
    graded = {g.org.name: g for g in a.assess(orgs, W)}
    assert (graded["A"].score, graded["C"].score) == (100.0, 95.0)
    assert [graded[x].grade for x in "ABCD"] == ["优秀", "优秀", "合格", "合格"]
    assert "上限" in graded["C"].note
    assert sum(g.grade == "优秀" for g in graded.values()) <= 3


def test_no_cap() -> None:
    from dataclasses import replace

    orgs = [perfect(x) for x in "ABCD"]
    assert all(g.grade == "优秀" for g in a.assess(orgs, replace(W, excellent_cap=0)))


def test_recommendation_rules() -> None:
    rule = a.Eligibility()
    ok, why = a.recommendation(date(2000, 5, 1), (2015, 5), 4, 12 * 60, 2026, rule)
    assert ok and why == ""
    ok, why = a.recommendation(date(1996, 5, 1), (2026, 6), 3, 11 * 60, 2026, rule)
    assert not ok
    assert (
        why == "年龄 30 岁（需 18–28 岁）；团龄不足 1 年；服务 3 次（需 4 次）；"
        "服务 11 小时（需 12 小时）"
    )
    assert a.recommendation(date(2000, 5, 1), None, 4, 720, 2026, rule)[0]  # joined unknown
