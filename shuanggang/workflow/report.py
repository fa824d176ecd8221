"""`report`: the year-end assessment from the store — 综合考评.xlsx with native charts,
one feedback letter per organisation (HTML and .docx) plus a combined file, and the
recommendation and award lists."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from shuanggang import fsutil
from shuanggang.domain import assessment as a
from shuanggang.domain.checkin import letter_number
from shuanggang.domain.privacy import mask_id
from shuanggang.domain.values import LooseDate
from shuanggang.errors import ShuanggangError
from shuanggang.render.letters import (
    FeedbackLetter,
    MemberLine,
    ScorePart,
    docx_template,
    render_html,
)
from shuanggang.render.tables import Column, Table, build_tables
from shuanggang.render.xlsx import save
from shuanggang.settings import Settings
from shuanggang.store import Store, Workspace, registry
from shuanggang.workflow.letters import chinese_date

PART_LABELS = {
    "participation": "团员参与率",
    "hours": "人均服务时长",
    "activities": "人均服务次数",
    "projects": "认领项目开展情况",
    "consultations": "互通协商",
    "rating": "社区评价",
}


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
    org: str
    branch: str
    services: int
    minutes: int
    projects: int
    eligible: bool
    why_not: str


@dataclass(slots=True)
class Report:
    year: int
    grades: list[a.OrgGrade]
    facts: dict[str, a.OrgYear]
    members: list[MemberYear]
    outputs: list[Path] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "orgs": [
                {"org": g.org, "score": g.score, "grade": g.grade, "parts": g.parts, "note": g.note}
                for g in self.grades
            ],
            "recommended": sum(1 for m in self.members if m.eligible),
            "outputs": [str(p) for p in self.outputs],
        }


def _org_facts(conn: sqlite3.Connection, year: int) -> dict[str, a.OrgYear]:
    """Each organisation's year, every figure from one grouped query: a query per
    organisation scanned the whole services table each time (6,400 organisations and
    100,000 services took minutes)."""
    span = (f"{year}-01-01", f"{year}-12-31")

    def per_org(sql: str, args: tuple[str, ...] = ()) -> dict[int, sqlite3.Row]:
        return {r[0]: r for r in conn.execute(sql, args)}

    members = per_org("SELECT org_id, count(*) FROM members GROUP BY org_id")
    services = per_org(
        "SELECT org_id, count(*), coalesce(sum(minutes), 0), count(DISTINCT member_id)"
        " FROM services WHERE date BETWEEN ? AND ? GROUP BY org_id",
        span,
    )
    claimed = per_org("SELECT org_id, count(*) FROM claims GROUP BY org_id")
    served = per_org(
        "SELECT cl.org_id, count(DISTINCT cl.project_id) FROM claims cl JOIN services s"
        " ON s.project_id = cl.project_id AND s.org_id = cl.org_id"
        " WHERE s.date BETWEEN ? AND ? GROUP BY cl.org_id",
        span,
    )
    talks = per_org(
        "SELECT org_id, count(*) FROM consultations WHERE date BETWEEN ? AND ? GROUP BY org_id",
        span,
    )
    ratings: dict[int, list[Any]] = defaultdict(list)
    for org_id, rating in conn.execute(
        "SELECT org_id, rating FROM services WHERE rating IS NOT NULL"
        " AND date BETWEEN ? AND ? ORDER BY id",
        span,
    ):
        ratings[org_id].append(rating)

    def count(table: dict[int, sqlite3.Row], oid: int, column: int = 1) -> Any:
        row = table.get(oid)
        return row[column] if row is not None else 0

    facts = {}
    for oid, name in conn.execute("SELECT id, name FROM orgs ORDER BY name"):
        facts[name] = a.OrgYear(
            name,
            count(members, oid),
            count(services, oid, 3),
            count(services, oid, 1),
            count(services, oid, 2),
            count(claimed, oid),
            count(served, oid),
            count(talks, oid),
            tuple(ratings.get(oid, ())),
        )
    return facts


def _member_years(conn: sqlite3.Connection, settings: Settings) -> list[MemberYear]:
    year = settings.year
    rule = settings.recommendation
    out = []
    for m in conn.execute(
        "SELECT m.id_number, m.name, m.joined, o.name AS org, b.name AS branch,"
        " (SELECT count(*) FROM services s WHERE s.member_id = m.id AND s.date BETWEEN ? AND ?)"
        " AS n, (SELECT coalesce(sum(minutes), 0) FROM services s WHERE s.member_id = m.id"
        " AND s.date BETWEEN ? AND ?) AS minutes, (SELECT count(DISTINCT project_id)"
        " FROM services s WHERE s.member_id = m.id AND s.date BETWEEN ? AND ?) AS projects"
        " FROM members m JOIN orgs o ON o.id = m.org_id"
        " LEFT JOIN branch_members bm ON bm.member_id = m.id"
        " LEFT JOIN branches b ON b.id = bm.branch_id ORDER BY o.name, m.id_number",
        (f"{year}-01-01", f"{year}-12-31") * 3,
    ):
        key = m["id_number"]
        born = date(int(key[6:10]), int(key[10:12]), int(key[12:14]))
        joined = LooseDate.from_iso(m["joined"]) if m["joined"] else None
        ok, why = a.recommendation(
            born, (joined.year, joined.month) if joined else None, m["n"], m["minutes"], year, rule
        )
        out.append(
            MemberYear(
                key,
                m["name"],
                m["org"],
                m["branch"] or "",
                m["n"],
                m["minutes"],
                m["projects"],
                ok,
                why,
            )
        )
    return out


def make_report(ws: Workspace, store: Store, settings: Settings, options: ReportOptions) -> Report:
    year = options.year or settings.year
    conn = store.conn
    total = conn.execute(
        "SELECT count(*) FROM services WHERE date BETWEEN ? AND ?",
        (f"{year}-01-01", f"{year}-12-31"),
    ).fetchone()[0]
    if not total:
        raise ShuanggangError(
            f"{year} 年没有任何服务记录，无法考评",
            "先用 shuanggang services import 导入服务活动台账；或用 --year 指定年度",
        )
    facts = _org_facts(conn, year)
    report = Report(
        year,
        a.assess(list(facts.values()), settings.assessment),
        facts,
        _member_years(conn, settings),
    )
    folder = options.out or ws.out_dir / f"{year}年度考评"
    report.outputs.append(_workbook(conn, report, settings, folder / "综合考评.xlsx"))
    if options.letters:
        on = options.on or date.today()
        with store.change("report", f"{year} 年度考评"):
            letters = _feedback_letters(conn, report, settings, on)
        report.outputs += _write_letters(ws, letters, options.letters, folder / "考评结果反馈函")
    return report


# --- letters ---------------------------------------------------------------------------


def _feedback_letters(
    conn: sqlite3.Connection, report: Report, settings: Settings, on: date
) -> list[FeedbackLetter]:
    grades = {g.org: g for g in report.grades}
    by_org: dict[str, list[MemberYear]] = defaultdict(list)
    for m in report.members:
        by_org[m.org].append(m)
    letters = []
    for o in conn.execute(
        "SELECT o.id, o.name, c.short, s.name AS street FROM orgs o JOIN communities c"
        " ON c.id = o.community_id JOIN streets s ON s.id = c.street_id ORDER BY s.name, o.name"
    ):
        g, facts = grades[o["name"]], report.facts[o["name"]]
        seq, new = registry.letter_seq(
            conn, kind="feedback", issuer=o["street"], year=report.year, org_id=o["id"]
        )
        number = letter_number(
            settings.letters.feedback_number,
            street=o["street"],
            community=o["short"],
            year=report.year,
            seq=seq,
        )
        if new:
            registry.record_letter(
                conn,
                kind="feedback",
                issuer=o["street"],
                year=report.year,
                seq=seq,
                number=number,
                org_id=o["id"],
                issued_on=on.isoformat(),
            )
        else:
            stored = registry.letter_of(conn, "feedback", o["id"], report.year)
            assert stored is not None
            number = stored["number"]
        members = by_org[o["name"]]
        w = settings.assessment
        letters.append(
            FeedbackLetter(
                number=number,
                year=report.year,
                org=o["name"],
                community_name=f"{o['short']}社区",
                issuer=settings.issuers.community.format(community=o["short"]),
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
                    ScorePart(PART_LABELS[k], getattr(w, f"weight_{k}"), v)
                    for k, v in g.parts.items()
                ),
                recommended=tuple(m.name for m in members if m.eligible),
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
    return letters


def _write_letters(
    ws: Workspace, letters: list[FeedbackLetter], formats: tuple[str, ...], folder: Path
) -> list[Path]:
    paths = []
    docx = docx_template(ws.templates_dir, "feedback.docx") if "docx" in formats else None
    groups = [(f"{letter.org}_考评结果反馈函", [letter]) for letter in letters]
    groups.append((f"合并打印_{len(letters)}份", letters))
    for stem, batch in groups:
        if "html" in formats:
            html = render_html(batch, ws.templates_dir, "feedback.html.j2")
            paths.append(fsutil.write_text(fsutil.inside(folder, f"{stem}.html"), html))
        if docx is not None:
            paths.append(
                fsutil.write_bytes(
                    fsutil.inside(folder, f"{stem}.docx"), docx.render(letters=batch)
                )
            )
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
    Column("说明", 24),
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


def _workbook(conn: sqlite3.Connection, report: Report, settings: Settings, target: Path) -> Path:
    from openpyxl.chart import BarChart, PieChart, Reference

    year = report.year
    community = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT o.name, c.short FROM orgs o JOIN communities c ON c.id = o.community_id"
        )
    }
    org_rows = []
    for g in report.grades:
        f = report.facts[g.org]
        rating = sum(f.ratings) / len(f.ratings) if f.ratings else None
        org_rows.append(
            (
                g.org,
                community[g.org],
                f.members,
                f.active,
                f.active / max(f.members, 1),
                f.services,
                f.minutes / 60,
                f.consultations,
                rating,
                g.score,
                g.grade,
                g.note,
            )
        )
    member_rows = [
        (
            m.name,
            m.key,
            m.org,
            m.branch,
            m.services,
            m.minutes / 60,
            "符合" if m.eligible else "",
            m.why_not,
        )
        for m in report.members
    ]
    recommended = [
        (m.name, m.key, m.org, m.services, m.minutes / 60) for m in report.members if m.eligible
    ]
    aw = settings.awards
    stars = sorted(
        (
            m
            for m in report.members
            if m.minutes / 60 >= aw.member_min_hours and m.services >= aw.member_min_activities
        ),
        key=lambda m: (-m.minutes, -m.services, m.key),
    )[: aw.member_shortlist]
    awards = [
        ("优秀团员", m.name, m.org, f"服务 {m.services} 次、{m.minutes / 60:g} 小时") for m in stars
    ]
    awards += [
        ("五四红旗团委（支部）", g.org, "", f"考评 {g.score} 分，{g.grade}")
        for g in report.grades
        if g.grade == a.EXCELLENT
    ][: aw.org_shortlist]
    span = (f"{year}-01-01", f"{year}-12-31")
    branch_rows = [
        tuple(r)
        for r in conn.execute(
            "SELECT b.name, (SELECT count(*) FROM branch_members x WHERE x.branch_id = b.id),"
            " count(DISTINCT s.member_id), count(s.id), coalesce(sum(s.minutes), 0) / 60.0"
            " FROM branches b LEFT JOIN branch_members bm ON bm.branch_id = b.id"
            " LEFT JOIN services s ON s.member_id = bm.member_id AND s.date BETWEEN ? AND ?"
            " GROUP BY b.id ORDER BY b.name",
            span,
        )
    ]
    community_rows = [
        tuple(r)
        for r in conn.execute(
            "SELECT c.short, count(DISTINCT o.id), (SELECT count(*) FROM members m JOIN orgs x"
            " ON x.id = m.org_id WHERE x.community_id = c.id), (SELECT count(*) FROM services s"
            " WHERE s.community_id = c.id AND s.date BETWEEN ? AND ?),"
            " (SELECT coalesce(sum(minutes), 0) / 60.0 FROM services s"
            " WHERE s.community_id = c.id AND s.date BETWEEN ? AND ?),"
            " (SELECT count(*) FROM consultations t WHERE t.community_id = c.id AND t.date"
            " BETWEEN ? AND ?) FROM communities c JOIN orgs o ON o.community_id = c.id"
            " GROUP BY c.id ORDER BY c.short",
            span * 3,
        )
    ]
    by_month = {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            "SELECT substr(date, 6, 2), count(*), sum(minutes) / 60.0 FROM services"
            " WHERE date BETWEEN ? AND ? GROUP BY 1",
            span,
        )
    }
    month_rows = [(f"{m}月", *by_month.get(f"{m:02d}", (0, 0.0))) for m in range(1, 13)]
    grade_rows = [
        (g, sum(1 for x in report.grades if x.grade == g))
        for g in (a.EXCELLENT, a.QUALIFIED, a.BASIC, a.FAILED)
    ]
    from shuanggang.workflow.liaisons import liaison_tables

    has_liaisons = conn.execute("SELECT 1 FROM liaisons LIMIT 1").fetchone() is not None
    annex = [replace(t, title=f"联系点（{t.title}）") for t in liaison_tables(conn) if has_liaisons]
    wb = build_tables(
        [
            Table("组织考评", ORGS, org_rows),
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
    sheet.add_chart(chart, "N2")
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
