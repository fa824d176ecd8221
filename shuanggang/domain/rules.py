"""Row rules of each kind of sheet that look at more than one cell.

Each rule gets a row's parsed values and returns its problems; the reader places each
on its field's cell. Only identity and required fields make errors; an optional field
that contradicts them is a warning whose value is not kept (`Problem.drop`). Messages
do not repeat the field's label: it is shown beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from shuanggang.domain import idnumber
from shuanggang.domain.findings import Severity
from shuanggang.domain.values import LooseDate

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class MemberAges:
    """The ages of league members on 31 December (shuanggang.toml [ages])."""

    min_age: int = 14
    max_age: int = 28


@dataclass(frozen=True, slots=True)
class RowContext:
    """What the row rules judge against: the working year and the member ages."""

    year: int
    ages: MemberAges = MemberAges()


class Problem(NamedTuple):
    field: str
    severity: Severity
    code: str
    message: str
    hint: str
    drop: bool = False  # the field's value is wrong: the record keeps it empty


def member_rules(values: Mapping[str, Any], ctx: RowContext) -> list[Problem]:
    year = ctx.year
    problems: list[Problem] = []
    id_number = values.get("id_number")
    if not id_number:
        return problems
    gender = values.get("gender")
    born = idnumber.birth_date(id_number)
    if gender and gender != idnumber.gender(id_number):
        problems.append(
            Problem(
                "gender",
                WARNING,
                code="gender-mismatch",
                message=f"“{gender}”与身份证号不符（身份证号为{idnumber.gender(id_number)}性）",
                hint="核对性别或身份证号；以身份证号为准，性别一栏不保存",
                drop=True,
            )
        )
    birth: LooseDate | None = values.get("birth")
    if birth and born and (birth.year, birth.month) != (born.year, born.month):
        problems.append(
            Problem(
                "birth",
                WARNING,
                code="birth-mismatch",
                message=f"{birth.iso()} 与身份证号不符",
                hint=f"身份证号中的出生年月是 {born:%Y-%m}；以身份证号为准，出生年月一栏不保存",
                drop=True,
            )
        )
    if idnumber.area_valid(id_number) is False:
        problems.append(
            Problem(
                "id_number",
                WARNING,
                code="id-area-code",
                message=f"前 6 位地区码 {id_number[:6]} 不是出生那年有效的县级行政区划",
                hint="核对身份证号前 6 位",
            )
        )
    age = (year - born.year) if born else None  # whole years on 31 December
    low, high = ctx.ages.min_age, ctx.ages.max_age
    if age is not None and not low <= age <= high:
        label = "超龄" if age > high else "未到入团年龄"
        problems.append(
            Problem(
                "id_number",
                WARNING,
                code="age-out-of-range",
                message=f"{label}：{year} 年底 {age} 岁，团员年龄一般为 {low}–{high} 岁",
                hint="超龄团员应办理离团手续；确属在册团员可保留",
            )
        )
    joined: LooseDate | None = values.get("joined")
    # Schools admit in the spring of 初二, often a few months short of 14: only a join
    # before the year of the youngest member age is worth a look.
    if joined and born and joined.year < born.year + ctx.ages.min_age:
        problems.append(
            Problem(
                "joined",
                WARNING,
                code="joined-too-young",
                message=f"{joined.iso()} 入团时不满 {ctx.ages.min_age} 周岁",
                hint="核对入团年月",
            )
        )
    if joined and joined.year > year:
        problems.append(
            Problem(
                "joined",
                WARNING,
                code="joined-after-year",
                message=f"{joined.iso()} 晚于 {year} 工作年度",
                hint="核对入团年月；这一栏不保存",
                drop=True,
            )
        )
    return problems


def project_rules(values: Mapping[str, Any], ctx: RowContext) -> list[Problem]:
    needed = values.get("needed")
    if needed is not None and needed <= 0:
        return [
            Problem(
                "needed",
                WARNING,
                code="needed-not-positive",
                message=f"应大于 0，这里是 {needed}",
                hint="不确定可以留空",
            )
        ]
    return []


def service_rules(values: Mapping[str, Any], ctx: RowContext) -> list[Problem]:
    year = ctx.year
    problems: list[Problem] = []
    if not (
        values.get("member")
        or values.get("id_number")
        or values.get("member_no")
        or values.get("participants")
    ):
        problems.append(
            Problem(
                "member",
                ERROR,
                code="service-member-missing",
                message="没有填写参加服务的团员",
                hint="填写姓名和身份证号（或团员编号），或在“参加人员”中列出姓名",
            )
        )
    day: LooseDate | None = values.get("date")
    if day and day.day is None:
        problems.append(
            Problem(
                "date",
                ERROR,
                code="date-no-day",
                message=f"{day.iso()} 只到月，缺少日",
                hint="写成 2026-05-17 这样的完整日期",
            )
        )
    elif day and day.year != year:
        problems.append(
            Problem(
                "date",
                WARNING,
                code="date-outside-year",
                message=f"{day.iso()} 不在 {year} 年度内",
                hint="核对日期",
            )
        )
    minutes = values.get("hours")
    if minutes is not None and minutes > 12 * 60:
        problems.append(
            Problem(
                "hours",
                WARNING,
                code="hours-too-long",
                message=f"一次服务 {minutes / 60:g} 小时，超过 12 小时",
                hint="核对服务时长",
            )
        )
    return problems


def consultation_rules(values: Mapping[str, Any], ctx: RowContext) -> list[Problem]:
    year = ctx.year
    day: LooseDate | None = values.get("date")
    if day and day.year != year:
        return [
            Problem(
                "date",
                WARNING,
                code="date-outside-year",
                message=f"{day.iso()} 不在 {year} 年度内",
                hint="核对日期",
            )
        ]
    return []


def no_rules(values: Mapping[str, Any], ctx: RowContext) -> list[Problem]:
    return []


RULES: dict[str, Callable[[Mapping[str, Any], RowContext], list[Problem]]] = {
    "members": member_rules,
    "projects": project_rules,
    "services": service_rules,
    "consultations": consultation_rules,
}
