"""`report`: the year-end assessment from the store — 综合考评.xlsx with native charts,
one feedback letter per organisation (HTML and .docx) plus a combined file, and the
recommendation and award lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from shuanggang import clock, fsutil
from shuanggang.domain import assessment as a
from shuanggang.domain.checkin import letter_number
from shuanggang.domain.idnumber import birth_date
from shuanggang.domain.model import OrgRef, org_labels
from shuanggang.domain.privacy import mask_id
from shuanggang.domain.values import LooseDate
from shuanggang.errors import ShuanggangError
from shuanggang.render.letters import (
    FeedbackLetter,
    HtmlLetters,
    MemberLine,
    ScorePart,
    docx_template,
    write_word,
)
from shuanggang.render.tables import Column, Table, build_tables
from shuanggang.render.xlsx import save
from shuanggang.settings import Settings
from shuanggang.store import Store, Workspace, registry, yearly
from shuanggang.workflow.letters import chinese_date

PART_LABELS = a.LABELS
NOT_APPLICABLE = "不适用"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    year: int | None = None
    out: Path | None = None
    letters: tuple[str, ...] = ("html", "docx")
    on: date | None = None


@dataclass(slots=True)
class MemberYear:
    key: str
    name: str
    org: OrgRef
    branch: str
    services: int
    minutes: int
    projects: int
    eligible: bool
    why_not: str
    left_on: str = ""  # the member left during the year: neither recommended nor awarded


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One assessment item of one organisation (docs/assessment.md).

    `raw` is the figure as measured (a rate, hours or services per member, consultations,
    a mean rating); `score` the points earned, `weight` the weight scaled over the
    applicable items; an item 不适用 has `applicable` False and `score` None."""

    key: str  # participation | hours | activities | projects | consultations | rating
    label: str  # its Chinese name: 团员参与率
    raw: float | None
    score: float | None
    weight: float
    applicable: bool


@dataclass(frozen=True, slots=True)
class OrgAssessment:
    """One organisation's year-end assessment (综合考评) and the figures behind it."""

    org_id: int  # the organisation's key in the store
    org: str  # its name
    community: str  # the community it registered in (short name: 海岸路)
    members: int  # members counted in the year (团员数)
    active: int  # of those, members with at least one service (参与人数)
    participation: float  # active ÷ members (参与率), 0 for no members
    services: int  # service records of the year (服务次数)
    hours: float  # service hours of the year (服务时长)
    consultations: int  # consultations with the community in the year (协商次数)
    rating: float | None  # mean community rating 1–5 (社区评价), None when nobody rated
    score: float  # 0–100 (得分)
    grade: str  # 优秀 | 合格 | 基本合格 | 不合格 (等次)
    note: str  # the rule that set the grade, or the items that cost most (说明)
    items: tuple[ItemScore, ...]

    @property
    def parts(self) -> dict[str, float | None]:
        """Points per item key, None where 不适用."""
        return {i.key: i.score for i in self.items}


@dataclass(slots=True)
class Report:
    year: int
    grades: list[a.OrgGrade]
    facts: dict[OrgRef, a.OrgYear]
    members: list[MemberYear]
    labels: dict[OrgRef, str] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)

    def results(self) -> list[OrgAssessment]:
        """Every organisation's figures, score, grade and items, best score first: what
        `report --json`, the workbook's 组织考评 sheet and the Python API all show."""
        out = []
        for g in self.grades:
            f = self.facts[g.org]
            out.append(
                OrgAssessment(
                    org_id=g.org.id,
                    org=g.org.name,
                    community=g.org.community,
                    members=f.members,
                    active=f.active,
                    participation=f.active / max(f.members, 1),
                    services=f.services,
                    hours=f.minutes / 60,
                    consultations=f.consultations,
                    rating=sum(f.ratings) / len(f.ratings) if f.ratings else None,
                    score=g.score,
                    grade=g.grade,
                    note=a.explain(g),
                    items=tuple(
                        ItemScore(i.key, a.LABELS[i.key], i.raw, i.points, i.weight, i.applicable)
                        for i in g.items
                    ),
                )
            )
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "orgs": [
                {
                    "org": r.org,
                    "community": r.community,
                    "score": r.score,
                    "grade": r.grade,
                    "parts": r.parts,
                    "items": [
                        {
                            "item": i.key,
                            "label": i.label,
                            "raw": None if i.raw is None else round(i.raw, 4),
                            "score": i.score,
                            "weight": i.weight,
                            "applicable": i.applicable,
                        }
                        for i in r.items
                    ],
                    "note": r.note,
                }
                for r in self.results()
            ],
            "recommended": sum(1 for m in self.members if m.eligible),
            "outputs": [str(p) for p in self.outputs],
        }


def _member_years(store: Store, settings: Settings, year: int) -> list[MemberYear]:
    rule = settings.recommendation
    out = []
    for m in yearly.member_years(store, year):
        joined = LooseDate.from_iso(m.joined) if m.joined else None
        ok, why = a.recommendation(
            birth_date(m.id_number),
            (joined.year, joined.month) if joined else None,
            m.services,
            m.minutes,
            year,
            rule,
        )
        if m.left_on:  # a member who left is not recommended, whatever they did before
            ok, why = False, f"已于 {m.left_on} 离团"
        out.append(
            MemberYear(
                m.id_number,
                m.name,
                m.org,
                m.branch,
                m.services,
                m.minutes,
                m.projects,
                ok,
                why,
                m.left_on,
            )
        )
    return out


def make_report(ws: Workspace, store: Store, settings: Settings, options: ReportOptions) -> Report:
    year = options.year or settings.year
    on = options.on or clock.today()
    detail = f"{year} 年度考评"
    folder = options.out or ws.out_dir / f"{year}年度考评"
    # One transaction for every figure and every letter number: a register committing
    # meanwhile is in the report whole or not at all.
    with store.change("report", detail if options.letters else f"{detail}（不出反馈函）") as tx:
        if not yearly.service_count(tx, year):
            raise ShuanggangError(
                f"{year} 年没有任何服务记录，无法考评",
                "先用 shuanggang services import 导入服务活动台账；或用 --year 指定年度",
            )
        report = assessed(tx, settings, year)
        report.outputs.append(_workbook(tx, report, settings, folder / "综合考评.xlsx"))
        letters = _feedback_letters(tx, report, settings, on) if options.letters else []
    if letters:
        report.outputs += _write_letters(
            ws, report, letters, options.letters, folder / "考评结果反馈函"
        )
    return report


def assessed(store: Store, settings: Settings, year: int) -> Report:
    """The year's figures and grades of every active organisation (no files written)."""
    facts = yearly.org_years(store, year)
    return Report(
        year,
        a.assess(list(facts.values()), settings.assessment),
        facts,
        _member_years(store, settings, year),
        org_labels(facts),
    )


# --- letters ---------------------------------------------------------------------------


def feedback_letters(
    store: Store, report: Report, settings: Settings, on: date, org_ids: Collection[int]
) -> list[tuple[OrgRef, FeedbackLetter]]:
    """The feedback letters of some organisations (`letters feedback`), graded among all;
    inside a `Store.change`: an organisation without a number yet is handed one."""
    return _feedback_letters(store, report, settings, on, set(org_ids))


def write_feedback_letters(
    ws: Workspace,
    report: Report,
    letters: list[tuple[OrgRef, FeedbackLetter]],
    formats: tuple[str, ...],
    folder: Path,
    combined: str,
) -> tuple[list[Path], list[Path]]:
    """Each letter's files and one combined file named `combined`: (each, combined)."""
    paths = _write_letters(ws, report, letters, formats, folder, combined)
    together = [p for p in paths if p.stem == combined]
    return [p for p in paths if p.stem != combined], together


def _feedback_letters(
    store: Store,
    report: Report,
    settings: Settings,
    on: date,
    only: Collection[int] | None = None,
) -> list[tuple[OrgRef, FeedbackLetter]]:
    grades = {g.org: g for g in report.grades}
    by_org: dict[OrgRef, list[MemberYear]] = defaultdict(list)
    for m in report.members:
        by_org[m.org].append(m)
    letters, refs = [], []
    for o in sorted(registry.orgs(store), key=lambda o: (o.street, o.ref)):
        ref = o.ref
        if only is not None and ref.id not in only:
            continue
        g, facts = grades[ref], report.facts[ref]
        seq, new = registry.letter_seq(
            store, kind="feedback", issuer=o.street, year=report.year, org_id=ref.id
        )
        number = letter_number(
            settings.letters.feedback_number,
            street=o.street,
            community=ref.community,
            year=report.year,
            seq=seq,
        )
        if new:
            registry.record_letter(
                store,
                kind="feedback",
                issuer=o.street,
                year=report.year,
                seq=seq,
                number=number,
                org_id=ref.id,
                issued_on=on.isoformat(),
            )
        else:
            stored = registry.letter_of(store, "feedback", ref.id, report.year)
            assert stored is not None
            number = stored.number
        members = by_org[ref]
        letters.append(
            FeedbackLetter(
                number=number,
                year=report.year,
                org=ref.name,
                community_name=f"{ref.community}社区",
                issuer=settings.issuers.community.format(community=ref.community),
                issued_on=chinese_date(on.isoformat()),
                members=facts.members,
                active=facts.active,
                inactive=facts.members - facts.active,
                participation=f"{facts.active / max(facts.members, 1):.1%}",
                services=facts.services,
                hours=f"{facts.minutes / 60:g}",
                consultations=facts.consultations,
                score=g.score,
                grade=g.grade,
                note=g.note,
                parts=tuple(
                    ScorePart(PART_LABELS[i.key], f"{i.weight:g}", f"{i.points:g}")
                    if i.points is not None
                    else ScorePart(PART_LABELS[i.key], "—", NOT_APPLICABLE)
                    for i in g.items
                ),
                recommended=tuple(m.name for m in members if m.eligible),
                **letter_wording(g, facts, settings, [m.name for m in members if m.eligible]),
                roster=tuple(
                    MemberLine(
                        i,
                        m.name,
                        mask_id(m.key),
                        m.services,
                        f"{m.minutes / 60:g}",
                        "符合" if m.eligible else "",
                    )
                    for i, m in enumerate(members, 1)
                ),
            )
        )
        refs.append(ref)
    return list(zip(refs, letters, strict=True))


def _figure(item: a.Item, facts: a.OrgYear, w: a.Weights) -> str:
    """One item's figure in words, for the letter."""
    raw = item.raw or 0.0
    match item.key:
        case "participation":
            return f"团员参与率 {raw:.1%}"
        case "hours":
            return f"人均服务 {raw:.1f} 小时（目标 {w.target_hours_per_member:g} 小时）"
        case "activities":
            return f"人均服务 {raw:.1f} 次（目标 {w.target_activities_per_member:g} 次）"
        case "projects":
            if not facts.claimed:
                return "没有认领社区为民服务项目"
            return f"认领项目 {facts.claimed} 个、已开展 {facts.served} 个"
        case "consultations":
            return f"与社区互通协商 {facts.consultations} 次（应 {sum(facts.owed)} 次）"
        case _:
            return f"社区评价平均 {raw:.1f} 分（满分 5 分）"


def _expected(item: a.Item, facts: a.OrgYear, w: a.Weights) -> str:
    """What next year expects of one item, for the letter."""
    match item.key:
        case "participation":
            idle = facts.members - facts.active
            return f"动员尚未参加活动的 {idle} 名团员参加服务" if idle else "保持团员全员参与"
        case "hours":
            return f"人均服务时长达到 {w.target_hours_per_member:g} 小时"
        case "activities":
            return f"人均服务 {w.target_activities_per_member:g} 次以上"
        case "projects":
            return "认领社区为民服务项目并开展服务" if not facts.claimed else "认领的项目都开展服务"
        case "consultations":
            return "每半年与社区互通协商一次"
        case _:
            return "提高服务质量，争取社区评价达到满意"


def letter_wording(
    g: a.OrgGrade, facts: a.OrgYear, settings: Settings, recommended: list[str]
) -> dict[str, str]:
    """The feedback letter's grade-specific paragraphs (docs/assessment.md, 反馈函的措辞).

    No letter thanks an organisation for what it did not do: only 优秀 says 积极履行."""
    w = settings.assessment
    applicable = [i for i in g.items if i.applicable]
    worst = a.costliest(g, len(applicable))
    if facts.services == 0:
        verdict = "贵单位团组织本年度没有服务记录，考评等次为“不合格”。"
        expectation = (
            "希望贵单位来年督促团员到登记活动团支部参加为民服务活动，每半年与社区互通协商一次。"
        )
    elif g.grade == a.EXCELLENT:
        best = sorted(applicable, key=lambda i: (-(i.share or 0.0), -i.weight))[:2]
        strengths = "，".join(_figure(i, facts, w) for i in best)
        verdict = (
            f"贵单位团员青年积极履行“双岗双责”，{strengths}，"
            f"{'、'.join(a.LABELS[i.key] for i in best)}表现突出，特此感谢。"
        )
        expectation = "希望贵单位继续保持，带动更多团员参加社区为民服务，共同做好团员教育管理。"
    elif g.grade == a.QUALIFIED:
        weak = worst[0] if worst else None
        verdict = "感谢贵单位团员青年一年来参加社区为民服务。"
        if weak is not None:
            verdict += f"在{a.LABELS[weak.key]}方面还有提升空间：{_figure(weak, facts, w)}。"
        expectation = (
            f"建议贵单位来年{_expected(weak, facts, w)}，共同做好团员教育管理。"
            if weak is not None
            else "希望贵单位来年继续支持团员参加社区活动，共同做好团员教育管理。"
        )
    else:
        gaps = "；".join(_figure(i, facts, w) for i in worst) or "各项均未达到目标"
        verdict = f"考评等次为“{g.grade}”，主要差距是：{gaps}。"
        wanted = "，".join(_expected(i, facts, w) for i in worst[:3])
        expectation = f"请贵单位来年{wanted}，达到合格以上。"
    if not recommended:
        recommend_text = ""
    elif len(recommended) == 1:
        recommend_text = (
            f"经考评，团员{recommended[0]}符合推优入党的服务条件，请在推优工作中优先考虑。"
        )
    else:
        recommend_text = (
            f"经考评，{'、'.join(recommended)}等 {len(recommended)} 名团员符合推优入党的服务条件，"
            "请在推优工作中优先考虑。"
        )
    return {"verdict": verdict, "recommend_text": recommend_text, "expectation": expectation}


def _write_letters(
    ws: Workspace,
    report: Report,
    letters: list[tuple[OrgRef, FeedbackLetter]],
    formats: tuple[str, ...],
    folder: Path,
    combined: str | None = None,
) -> list[Path]:
    paths: list[Path] = []
    wants_docx = "docx" in formats or "pdf" in formats
    docx = docx_template(ws.templates_dir, "feedback.docx") if wants_docx else None
    html = HtmlLetters(ws.templates_dir, "feedback.html.j2")
    groups = [(f"{report.labels[ref]}_考评结果反馈函", [letter]) for ref, letter in letters]
    groups.append((combined or f"合并打印_{len(letters)}份", [letter for _, letter in letters]))
    with fsutil.synced_at_end():  # one sync for all the letters
        for stem, batch in groups:
            if "html" in formats:
                paths.append(html.write(fsutil.inside(folder, f"{stem}.html"), batch))
            if docx is not None:
                paths += write_word(docx, folder, stem, formats, letters=batch)
    return paths


# --- workbook --------------------------------------------------------------------------

ORGS = (
    Column("报到单位", 30),
    Column("报到社区", 10),
    Column("团员数", 8),
    Column("参与人数", 8),
    Column("参与率", 8, number_format="0.0%"),
    Column("服务次数", 8),
    Column("服务时长（小时）", 10, number_format="0.0"),
    Column("协商次数", 8),
    Column("社区评价", 8, number_format="0.00"),
    Column("得分", 8, number_format="0.0"),
    Column("等次", 8),
    Column("说明", 40),
)
# Each item's raw figure, score and (scaled) weight after 说明; 不适用 items say so.
RAW_FORMATS = {"participation": "0.0%", "projects": "0.0%", "consultations": "0"}
ITEM_COLUMNS = tuple(
    column
    for key in a.KEYS
    for column in (
        Column(f"{a.LABELS[key]}（原始值）", 12, number_format=RAW_FORMATS.get(key, "0.00")),
        Column(f"{a.LABELS[key]}（得分）", 10, number_format="0.00"),
        Column(f"{a.LABELS[key]}（权重）", 10, number_format="0.00"),
    )
)
MEMBERS = (
    Column("姓名", 10),
    Column("身份证号", 21, text=True),
    Column("报到单位", 28),
    Column("活动团支部", 32),
    Column("服务次数", 8),
    Column("服务时长（小时）", 10, number_format="0.0"),
    Column("推优资格", 8),
    Column("不符合的原因", 40),
)
RECOMMEND = (
    Column("姓名", 10),
    Column("身份证号", 21, text=True),
    Column("报到单位", 28),
    Column("服务次数", 8),
    Column("服务时长（小时）", 10, number_format="0.0"),
)
AWARDS = (Column("推荐类别", 14), Column("名称", 30), Column("所在单位", 28), Column("依据", 40))
BRANCHES = (
    Column("活动团支部", 34),
    Column("人数", 8),
    Column("参与人数", 8),
    Column("服务次数", 8),
    Column("服务时长（小时）", 10, number_format="0.0"),
)
COMMUNITIES = (
    Column("社区", 10),
    Column("报到单位数", 10),
    Column("团员数", 8),
    Column("服务次数", 8),
    Column("服务时长（小时）", 10, number_format="0.0"),
    Column("协商次数", 8),
)
MONTHS = (
    Column("月份", 8),
    Column("服务次数", 8),
    Column("服务时长（小时）", 10, number_format="0.0"),
)
GRADES = (Column("等次", 8), Column("单位数", 8))


def nobody_recommended(report: Report, settings: Settings) -> str:
    """Why the 推优 list is empty: the thresholds nobody reached, and who came nearest."""
    rule = settings.recommendation
    counted = [m for m in report.members if not m.left_on]
    if not counted:
        return "无人符合推优入党条件：本年度没有计入的团员"
    most = max(m.services for m in counted), max(m.minutes for m in counted) / 60
    short = []
    if most[0] < rule.min_activities:
        short.append(f"服务次数最多 {most[0]} 次（需 {rule.min_activities} 次）")
    if most[1] < rule.min_hours:
        short.append(f"服务时长最多 {most[1]:g} 小时（需 {rule.min_hours:g} 小时）")
    nearest = min(counted, key=lambda m: (m.why_not.count("；"), -m.minutes, -m.services, m.key))
    reached = "；".join(short) or "没有人同时满足各项条件"
    return (
        f"无人符合推优入党条件：{reached}。最接近的是{nearest.name}"
        f"（{report.labels[nearest.org]}）：{nearest.why_not}"
    )


def nobody_starred(report: Report, settings: Settings) -> str:
    """Why the 优秀团员 list is empty: the thresholds nobody reached, and who came nearest."""
    aw = settings.awards
    counted = [m for m in report.members if not m.left_on]
    need = f"服务 ≥ {aw.member_min_activities} 次且 ≥ {aw.member_min_hours:g} 小时"
    if not counted:
        return f"无人达到优秀团员条件（{need}）：本年度没有计入的团员"

    def progress(m: MemberYear) -> float:
        hours = m.minutes / 60 / aw.member_min_hours if aw.member_min_hours else 1.0
        times = m.services / aw.member_min_activities if aw.member_min_activities else 1.0
        return min(hours, times, 1.0) + min(hours, 1.0) + min(times, 1.0)

    nearest = min(counted, key=lambda m: (-progress(m), -m.minutes, -m.services, m.key))
    most = max(m.services for m in counted), max(m.minutes for m in counted) / 60
    short = []
    if most[0] < aw.member_min_activities:
        short.append(f"服务次数最多 {most[0]} 次")
    if most[1] < aw.member_min_hours:
        short.append(f"服务时长最多 {most[1]:g} 小时")
    reached = "、".join(short) or "没有人同时达到两项"
    return (
        f"无人达到优秀团员条件（{need}）：{reached}。最接近的是{nearest.name}"
        f"（{report.labels[nearest.org]}）：服务 {nearest.services} 次、"
        f"{nearest.minutes / 60:g} 小时"
    )


def _workbook(store: Store, report: Report, settings: Settings, target: Path) -> Path:
    from openpyxl.chart import BarChart, PieChart, Reference

    year = report.year
    label = report.labels
    org_rows = [
        (
            r.org,
            r.community,
            r.members,
            r.active,
            r.participation,
            r.services,
            r.hours,
            r.consultations,
            r.rating,
            r.score,
            r.grade,
            r.note,
            *(
                value
                for i in r.items
                for value in (
                    (i.raw, i.score, i.weight)
                    if i.applicable
                    else (NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE)
                )
            ),
        )
        for r in report.results()
    ]
    member_rows = [
        (
            m.name,
            m.key,
            label[m.org],
            m.branch,
            m.services,
            m.minutes / 60,
            "符合" if m.eligible else "",
            m.why_not,
        )
        for m in report.members
    ]
    recommended: list[tuple[Any, ...]] = [
        (m.name, m.key, label[m.org], m.services, m.minutes / 60)
        for m in report.members
        if m.eligible
    ]
    if not recommended:
        recommended.append((nobody_recommended(report, settings), "", "", None, None))
    aw = settings.awards
    stars = sorted(
        (
            m
            for m in report.members
            if m.minutes / 60 >= aw.member_min_hours
            and m.services >= aw.member_min_activities
            and not m.left_on
        ),
        key=lambda m: (-m.minutes, -m.services, m.key),
    )[: aw.member_shortlist]
    awards = [
        ("优秀团员", m.name, label[m.org], f"服务 {m.services} 次、{m.minutes / 60:g} 小时")
        for m in stars
    ]
    if not stars:
        awards.append(("优秀团员", "（无）", "", nobody_starred(report, settings)))
    flags = [
        ("五四红旗团委（支部）", label[g.org], "", f"考评 {g.score} 分，{g.grade}")
        for g in report.grades
        if g.grade == a.EXCELLENT
    ][: aw.org_shortlist]
    if not flags and report.grades:
        best = report.grades[0]
        flags.append(
            (
                "五四红旗团委（支部）",
                "（无）",
                "",
                f"须考评为优秀，没有优秀单位；得分最高的是{label[best.org]}"
                f"（{best.score} 分，{best.grade}：{a.explain(best)}）",
            )
        )
    awards += flags
    branch_rows = [
        (b.name, b.members, b.active, b.services, b.hours) for b in yearly.branch_years(store, year)
    ]
    community_rows = [
        (c.community, c.orgs, c.members, c.services, c.hours, c.consultations)
        for c in yearly.community_years(store, year)
    ]
    by_month = yearly.month_totals(store, year)
    month_rows = [(f"{m}月", *by_month.get(m, (0, 0.0))) for m in range(1, 13)]
    grade_rows = [
        (g, sum(1 for x in report.grades if x.grade == g))
        for g in (a.EXCELLENT, a.QUALIFIED, a.BASIC, a.FAILED)
    ]
    from shuanggang.workflow.liaisons import liaison_tables

    annex = [
        replace(t, title=f"联系点（{t.title}）") for t in liaison_tables(store, only_if_any=True)
    ]
    wb = build_tables(
        [
            Table("组织考评", ORGS + ITEM_COLUMNS, org_rows),
            Table("团员参与", MEMBERS, member_rows),
            Table("推优名单", RECOMMEND, recommended),
            Table("表彰推荐", AWARDS, awards),
            Table("支部统计", BRANCHES, branch_rows),
            Table("社区统计", COMMUNITIES, community_rows),
            Table("月度统计", MONTHS, month_rows),
            Table("等次分布", GRADES, grade_rows),
            *annex,
        ]
    )
    n = len(org_rows)
    sheet = wb["组织考评"]
    chart = BarChart()
    chart.type, chart.title, chart.y_axis.title = "bar", "各单位团员参与率", "参与率"
    chart.add_data(Reference(sheet, min_col=5, min_row=1, max_row=n + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=n + 1))
    chart.height, chart.width = max(7.5, 0.6 * n), 16
    sheet.add_chart(chart, "AF2")
    months = wb["月度统计"]
    hours = BarChart()
    hours.title, hours.y_axis.title = "各月服务时长（小时）", "小时"
    hours.add_data(Reference(months, min_col=3, min_row=1, max_row=13), titles_from_data=True)
    hours.set_categories(Reference(months, min_col=1, min_row=2, max_row=13))
    months.add_chart(hours, "E2")
    spread = wb["等次分布"]
    pie = PieChart()
    pie.title = "考评等次分布"
    pie.add_data(Reference(spread, min_col=2, min_row=1, max_row=5), titles_from_data=True)
    pie.set_categories(Reference(spread, min_col=1, min_row=2, max_row=5))
    spread.add_chart(pie, "D2")
    return save(wb, target)
