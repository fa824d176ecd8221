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


def test_targets_cap_each_part_and_no_rating_is_not_applicable() -> None:
    # No rating: 社区评价 不适用, the other 90 points of weight scaled up to 100.
    value, parts = a.score(
        org(
            minutes=10 * 12 * 60 * 2, services=100, consultations=5, ratings=(), claimed=0, served=0
        ),
        W,
    )
    assert parts["hours"] == round(25 / 0.9, 2) and parts["activities"] == round(15 / 0.9, 2)
    assert parts["consultations"] == round(10 / 0.9, 2) and parts["rating"] is None
    assert parts["projects"] == 0  # a ledger, nothing claimed: 0, not 不适用
    assert value == round((24 + 25 + 15 + 0 + 10) * 100 / 90, 1)


def test_no_ledger_and_no_consultation_owed_are_left_out() -> None:
    facts = org(ledger=False, owed=(False, False), claimed=0, served=0)
    value, parts = a.score(facts, W)
    assert parts["projects"] is None and parts["consultations"] is None
    # participation 0.8, hours 0.75, activities 0.75, rating 0.8 over weights 80
    assert value == round((24 + 18.75 + 11.25 + 8) * 100 / 80, 1)
    items = {i.key: i for i in a.items(facts, W)}
    assert not items["projects"].applicable and items["projects"].weight == 0
    assert sum(i.weight for i in items.values()) == pytest.approx(100, abs=0.02)


def test_registered_in_the_second_half_owes_one_consultation() -> None:
    _, parts = a.score(org(owed=(False, True), consultations=1), W)
    assert parts["consultations"] == 10.0


def test_small_organisations_are_shrunk_towards_the_district() -> None:
    # District: 20 members, 1 active → 5%. The one-member organisation that served:
    # (1·1 + 5·0.05) / (1 + 5) = 0.2083 of participation, not 1.
    small = org("小", members=1, active=1, services=4, minutes=12 * 60)
    big = org("大", members=19, active=0, services=0, minutes=0)
    graded = {g.org.name: g for g in a.assess([small, big], W)}
    share = next(i for i in graded["小"].items if i.key == "participation").share
    assert share == pytest.approx((1 + 5 * 0.05) / 6)
    assert graded["小"].parts["participation"] == round(30 * (1 + 5 * 0.05) / 6, 2)
    no_shrink = replace(W, shrink_members=0)
    graded = {g.org.name: g for g in a.assess([small, big], no_shrink)}
    assert graded["小"].parts["participation"] == 30.0


def test_excellent_needs_the_floors() -> None:
    w = replace(W, excellent_cap=0, shrink_members=0)
    few = perfect("少", members=4, active=4, minutes=4 * 12 * 60, services=16)
    one_half = replace(perfect("半"), halves=(2, 0))
    weak = replace(perfect("弱"), ratings=(1.0,))  # rating 20% < 30%, score 92
    fine = replace(perfect("好"), halves=(1, 1))
    graded = {g.org.name: g for g in a.assess([few, one_half, weak, fine], w)}
    assert [graded[x].grade for x in "少半弱好"] == ["合格", "合格", "合格", "优秀"]
    assert graded["少"].note == "团员 4 名，优秀须不少于 5 名"
    assert graded["半"].note == "下半年没有互通协商，优秀须每半年至少一次"
    assert graded["弱"].note == "社区评价完成 20%，优秀须每项不低于 30%"
    assert graded["弱"].score == 92.0


def test_explain_names_the_two_costliest_items() -> None:
    (g,) = a.assess([org()], replace(W, shrink_members=0))
    # lost: participation 6, hours 6.25, activities 3.75, projects 5, consultations 5, rating 2
    assert a.explain(g) == "失分最多：人均服务时长（失 6.25 分）、团员参与率（失 6 分）"
    (full,) = a.assess([replace(perfect("满"), halves=(1, 1))], replace(W, excellent_cap=0))
    assert a.explain(full) == "各项均得满分"


def test_no_services_is_failed_whatever_the_score() -> None:
    (result,) = a.assess([org(services=0, minutes=0, active=10, consultations=2)], W)
    assert result.grade == a.FAILED and result.note == "全年没有服务记录"


@pytest.mark.parametrize(
    ("value", "grade"),
    [(85.0, "优秀"), (84.9, "合格"), (70.0, "合格"), (60.0, "基本合格"), (59.9, "不合格")],
)
def test_grade_lines(value: float, grade: str) -> None:
    assert a.grade_of(value, W) == grade


def perfect(name: str, rating: float = 5.0, **kw: Any) -> a.OrgYear:
    base = dict(
        active=10,
        minutes=10 * 12 * 60,
        services=40,
        served=2,
        consultations=2,
        ratings=(rating,),
    )
    return org(name, **(base | kw))


def test_cap_keeps_the_best_and_ties_at_the_cut_all_lose() -> None:
    # 10 orgs, cap 30% → 3 may be 优秀. Scores: A 100, B 100, C 98, D 98, rest lower.
    orgs = [perfect("A"), perfect("B"), perfect("C", 4.0), perfect("D", 4.0)]
    orgs += [org(f"E{i}") for i in range(6)]
    graded = {g.org.name: g for g in a.assess(orgs, replace(W, shrink_members=0))}
    assert (graded["A"].score, graded["C"].score) == (100.0, 98.0)
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


def test_a_perfect_two_member_org_without_consultation_is_not_excellent() -> None:
    """Rates on two people are all or nothing: perfect rates alone do not make 优秀."""
    tiny = perfect("诊所", members=2, active=2, minutes=2 * 24 * 60, services=10, consultations=0)
    tiny = replace(tiny, halves=(0, 0))
    others = [replace(perfect(f"单位{i}"), halves=(1, 1)) for i in range(9)]
    graded = {g.org.name: g for g in a.assess([tiny, *others], W)}
    assert graded["诊所"].grade != a.EXCELLENT
    assert graded["诊所"].note  # the rule that kept it from 优秀 is named
