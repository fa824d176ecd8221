"""`assign-branches`: form activity branches from everyone registered, store them, and
write 活动团支部编组表.xlsx."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shuanggang.domain.branches import (
    Branch,
    Existing,
    Person,
    Pins,
    Placement,
    Plan,
    Rules,
    form_branches,
    name_order,
)
from shuanggang.domain.findings import ERROR, Finding
from shuanggang.domain.values import slot_labels
from shuanggang.render.tables import Column, Table, write_tables
from shuanggang.settings import Settings
from shuanggang.sheets.reader import read_sheet
from shuanggang.store import Store, Workspace

WORKBOOK = "活动团支部编组表.xlsx"


@dataclass(frozen=True, slots=True)
class BranchOptions:
    scope: str = "community"
    min_size: int | None = None
    max_size: int | None = None
    pins: Path | None = None
    rebuild: bool = False
    dry_run: bool = False


@dataclass(slots=True)
class BranchRun:
    plan: Plan
    people: dict[str, Person]
    flags: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    output: Path | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "branches": [
                {
                    "name": b.name,
                    "community": b.community,
                    "category": b.category,
                    "joint": b.joint,
                    "members": len(b.members),
                    "orgs": list(b.orgs),
                    "slots": slot_labels(b.slots),
                    "secretary": self.people[b.secretary].name if b.secretary else "",
                    "flag": b.flag,
                    "placements": [
                        {"org": p.org, "members": len(p.members), "reason": p.reason}
                        for p in b.placements
                    ],
                }
                for b in self.plan.branches
            ],
            "flags": self.flags,
            "score": self.plan.score,
            "findings": [f.as_dict() for f in self.findings],
            "output": str(self.output) if self.output else None,
        }


def rules_for(settings: Settings, options: BranchOptions) -> Rules:
    b = settings.branch
    rules = Rules(
        min_size=options.min_size or b.min_size,
        max_size=options.max_size or b.max_size,
        scope=options.scope,
        weight_category=b.weight_category,
        weight_slots=b.weight_slots,
        weight_locality=b.weight_locality,
        weight_underfill=b.weight_underfill,
        weight_balance=b.weight_balance,
        fallback_category=settings.categories[-1].name,
        year=settings.year,
    )
    if not 1 <= rules.min_size <= rules.max_size:
        from shuanggang.errors import ShuanggangError

        raise ShuanggangError(
            f"支部人数范围 {rules.min_size}–{rules.max_size} 不合理",
            "应满足 1 ≤ --min-size ≤ --max-size",
        )
    return rules


def load_people(conn: sqlite3.Connection) -> tuple[dict[str, Person], set[str]]:
    people, refused = {}, set()
    for r in conn.execute(
        "SELECT m.id_number, m.name, m.category, m.slots, m.residence, m.league_post,"
        " m.political_status, o.name AS org, o.consent, c.short AS community, s.name AS street"
        " FROM members m JOIN orgs o ON o.id = m.org_id JOIN communities c"
        " ON c.id = o.community_id JOIN streets s ON s.id = c.street_id"
    ):
        key = r["id_number"]
        born = date(int(key[6:10]), int(key[10:12]), int(key[12:14]))
        people[key] = Person(
            key=key,
            name=r["name"],
            org=r["org"],
            community=r["community"],
            street=r["street"],
            category=r["category"],
            slots=frozenset(s for s in (r["slots"] or "").split(",") if s),
            residence=r["residence"] or "",
            league_post=r["league_post"] or "",
            political_status=r["political_status"] or "",
            birth=born,
        )
        if r["consent"] == 0:
            refused.add(r["org"])
    return people, refused


def load_existing(conn: sqlite3.Connection) -> list[Existing]:
    branches: dict[int, tuple[str, str, str, list[str]]] = {}
    for r in conn.execute(
        "SELECT b.id, b.name, c.short, b.category, m.id_number FROM branches b"
        " JOIN communities c ON c.id = b.community_id"
        " JOIN branch_members bm ON bm.branch_id = b.id JOIN members m ON m.id = bm.member_id"
        " ORDER BY b.name, m.id_number"
    ):
        branches.setdefault(r[0], (r[1], r[2], r[3], []))[3].append(r[4])
    return [Existing(n, c, cat, tuple(ms)) for n, c, cat, ms in branches.values()]


def read_pins(
    path: Path, settings: Settings, people: dict[str, Person]
) -> tuple[Pins, list[Finding]]:
    sheet = read_sheet(path, settings, kind="pins")
    findings = list(sheet.findings)
    orgs = {p.org for p in people.values()}
    by_org: dict[str, str] = {}
    by_member: dict[str, str] = {}
    for record in sheet.records:
        values = record.values
        branch = values.get("branch", "")
        if values.get("id_number"):
            if values["id_number"] in people:
                by_member[values["id_number"]] = branch
                continue
            message = "这个身份证号没有报到登记"
        elif values.get("org"):
            if values["org"] in orgs:
                by_org[values["org"]] = branch
                continue
            message = f"报到单位“{values['org']}”没有报到登记"
        else:
            message = "没有填写报到单位或身份证号"
        findings.append(
            Finding(
                ERROR,
                message,
                "核对指定表",
                code="id-not-registered"
                if values.get("id_number")
                else ("org-not-registered" if values.get("org") else "pin-target-missing"),
                file=path.name,
                sheet=sheet.sheet,
                cell=record.cell("branch"),
            )
        )
    return Pins(by_org, by_member), findings


def assign(ws: Workspace, store: Store, settings: Settings, options: BranchOptions) -> BranchRun:
    rules = rules_for(settings, options)
    people, refused = load_people(store.conn)
    existing = [] if options.rebuild else load_existing(store.conn)
    if existing and any(_scope_changed(e, people, rules) for e in existing):
        existing = []  # branches of another scope cannot be kept as they are
    pins, findings = read_pins(options.pins, settings, people) if options.pins else (Pins(), [])
    plan = form_branches(people.values(), rules, refused_orgs=refused, existing=existing, pins=pins)
    run = BranchRun(plan, people, list(plan.flags), findings)
    if any(f.is_error for f in findings) or options.dry_run:
        return run
    if options.rebuild:
        from shuanggang.store.backup import automatic

        automatic(ws, "重新编组前")
    with store.change("assign-branches", f"{len(plan.branches)} 个支部，{options.scope}"):
        save_plan(store.conn, plan)
    run.output = write_workbook(ws.out_dir / WORKBOOK, run)
    return run


def _scope_changed(e: Existing, people: dict[str, Person], rules: Rules) -> bool:
    scopes = {
        (people[k].street if rules.scope == "street" else people[k].community)
        for k in e.members
        if k in people
    }
    return len(scopes) > 1


def save_plan(conn: sqlite3.Connection, plan: Plan) -> None:
    """Branches by name: a branch that stays keeps its row (services keep pointing at it)."""
    ids = {r["id_number"]: r["id"] for r in conn.execute("SELECT id, id_number FROM members")}
    names = [b.name for b in plan.branches]
    conn.execute("DELETE FROM branch_members")
    marks = ",".join("?" * len(names))
    conn.execute(f"DELETE FROM branches WHERE name NOT IN ({marks})", names)
    for b in plan.branches:
        (cid,) = conn.execute(
            "SELECT id FROM communities WHERE short = ?", (b.community,)
        ).fetchone()
        values = (
            cid,
            b.category,
            int(b.joint),
            ",".join(b.slots),
            ids.get(b.secretary or ""),
            b.flag or None,
        )
        conn.execute(
            "INSERT INTO branches (name, community_id, category, joint, slots, secretary_id,"
            " flag) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
            " community_id = excluded.community_id, category = excluded.category,"
            " joint = excluded.joint, slots = excluded.slots,"
            " secretary_id = excluded.secretary_id, flag = excluded.flag",
            (b.name, *values),
        )
        (bid,) = conn.execute("SELECT id FROM branches WHERE name = ?", (b.name,)).fetchone()
        conn.executemany(
            "INSERT INTO branch_members (member_id, branch_id, reason) VALUES (?, ?, ?)",
            [(ids[k], bid, p.reason) for p in b.placements for k in p.members],
        )


OVERVIEW = (
    Column("活动团支部", 34),
    Column("社区", 10),
    Column("服务类别", 10),
    Column("人数", 6),
    Column("联合", 6),
    Column("报到单位", 40),
    Column("共同可服务时间", 28),
    Column("建议书记", 10),
    Column("待处理", 30),
)
MEMBERS = (
    Column("活动团支部", 34),
    Column("姓名", 10),
    Column("身份证号", 21, text=True),
    Column("报到单位", 28),
    Column("服务类别", 10),
    Column("可服务时间", 28),
    Column("编入理由", 60),
)
FLAGS = (Column("待处理事项", 80),)


def write_workbook(target: Path, run: BranchRun) -> Path:
    people = run.people
    overview = [
        (
            b.name,
            b.community,
            b.category,
            len(b.members),
            "是" if b.joint else "",
            "、".join(b.orgs),
            slot_labels(b.slots),
            people[b.secretary].name if b.secretary else "",
            b.flag,
        )
        for b in run.plan.branches
    ]
    members = [
        (
            b.name,
            people[k].name,
            k,
            p.org,
            people[k].category,
            slot_labels(people[k].slots),
            p.reason,
        )
        for b in run.plan.branches
        for p in b.placements
        for k in p.members
    ]
    flags = [(f,) for f in run.flags] + [(f"{f.file} {f.cell}：{f.message}",) for f in run.findings]
    return write_tables(
        target,
        [
            Table("支部一览", OVERVIEW, overview),
            Table("成员名单", MEMBERS, members),
            Table("待处理", FLAGS, flags or [("无",)]),
        ],
    )


def stored_plan(conn: sqlite3.Connection) -> Plan:
    """The branches as stored, with the reasons given when each unit was placed."""
    rows = conn.execute(
        "SELECT b.name, c.short, b.category, b.joint, b.slots, b.flag, s.id_number AS secretary,"
        " m.id_number, o.name AS org, bm.reason FROM branches b"
        " JOIN communities c ON c.id = b.community_id"
        " LEFT JOIN members s ON s.id = b.secretary_id"
        " JOIN branch_members bm ON bm.branch_id = b.id JOIN members m ON m.id = bm.member_id"
        " JOIN orgs o ON o.id = m.org_id ORDER BY b.name, o.name, bm.reason, m.id_number"
    ).fetchall()
    branches = []
    for name in sorted({r["name"] for r in rows}, key=name_order):
        mine = [r for r in rows if r["name"] == name]
        first = mine[0]
        groups: dict[tuple[str, str], list[str]] = {}
        for r in mine:
            groups.setdefault((r["org"], r["reason"]), []).append(r["id_number"])
        branches.append(
            Branch(
                name=name,
                community=first["short"],
                category=first["category"],
                joint=bool(first["joint"]),
                slots=tuple(x for x in first["slots"].split(",") if x),
                members=tuple(sorted(r["id_number"] for r in mine)),
                orgs=tuple(sorted({r["org"] for r in mine})),
                secretary=first["secretary"],
                placements=tuple(
                    Placement(org, tuple(keys), reason) for (org, reason), keys in groups.items()
                ),
                flag=first["flag"] or "",
            )
        )
    flags = tuple(f"{b.name}：{b.flag}" for b in branches if b.flag)
    return Plan(tuple(branches), flags, 0.0)


def export_workbook(store: Store, target: Path) -> Path:
    """`export branches`: the stored branches as 活动团支部编组表."""
    people, _ = load_people(store.conn)
    plan = stored_plan(store.conn)
    return write_workbook(target, BranchRun(plan, people, list(plan.flags)))
