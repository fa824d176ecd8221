"""`assign-branches`: form activity branches from everyone registered, store them, and
write 活动团支部编组表.xlsx."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from shuanggang.domain.branches import (
    Branch,
    Existing,
    Person,
    Pins,
    Plan,
    Rules,
    form_branches,
)
from shuanggang.domain.findings import ERROR, Finding
from shuanggang.domain.labels import FIELD_LABELS
from shuanggang.domain.model import OrgRef, org_labels
from shuanggang.domain.values import Categorizer, slot_labels
from shuanggang.errors import ShuanggangError
from shuanggang.render.tables import Column, Table, write_tables
from shuanggang.settings import Settings
from shuanggang.sheets.reader import Record, read_sheet
from shuanggang.store import Store, Workspace
from shuanggang.store import branches as stored

WORKBOOK = "活动团支部编组表.xlsx"


@dataclass(frozen=True, slots=True)
class BranchOptions:
    scope: str | None = None  # None: the settings' scope
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
    scope: str = "community"

    def labels(self) -> dict[OrgRef, str]:
        """Organisations by name, with the community where two share a name."""
        return org_labels({p.org for p in self.people.values()})

    def summary(self) -> list[dict[str, Any]]:
        """Per scope (community, or street): how many branches, their sizes, and how many
        organisations are spread over more than one branch."""
        by_scope: dict[str, list[Branch]] = {}
        for b in self.plan.branches:
            where = self.people[b.members[0]].street if self.scope == "street" else b.community
            by_scope.setdefault(where, []).append(b)
        out = []
        for where in sorted(by_scope):
            branches = by_scope[where]
            spans = Counter(o for b in branches for o in b.orgs)
            out.append(
                {
                    "scope": where,
                    "branches": len(branches),
                    "sizes": [len(b.members) for b in branches],
                    "orgs": len(spans),
                    "orgs_split": sum(1 for n in spans.values() if n > 1),
                }
            )
        return out

    def as_json(self) -> dict[str, Any]:
        label = self.labels()
        return {
            "branches": [
                {
                    "name": b.name,
                    "community": b.community,
                    "category": b.category,
                    "joint": b.joint,
                    "members": len(b.members),
                    "orgs": [label[o] for o in b.orgs],
                    "slots": slot_labels(b.slots),
                    "secretary": self.people[b.secretary].name if b.secretary else "",
                    "flag": b.flag,
                    "placements": [
                        {"org": label[p.org], "members": len(p.members), "reason": p.reason}
                        for p in b.placements
                    ],
                }
                for b in self.plan.branches
            ],
            "flags": self.flags,
            "summary": self.summary(),
            "score": self.plan.score,
            "findings": [f.as_dict() for f in self.findings],
            "output": str(self.output) if self.output else None,
        }


def classifier(settings: Settings) -> stored.Classify:
    """How a member's category is read from the whole person, with the word that decided
    it: their own texts (专业特长, 服务意向, 工作单位及职务, 兴趣爱好), else their
    organisation's name, else the last category."""
    categorize = Categorizer(tuple((c.name, c.keywords) for c in settings.categories))
    labels = [FIELD_LABELS[f] for f in stored.PROFILE]
    reasons: dict[tuple[str, int, str], str] = {}  # a few hundred, each said once

    def classify(own: tuple[str, ...], org_name: str) -> tuple[str, str]:
        basis = categorize.decide(own, (org_name,))
        found = (basis.category, basis.text, basis.keyword)
        why = reasons.get(found)
        if why is None:
            if basis.text < 0:
                why = f"类别依据：无关键词，归入{basis.category}"
            else:
                where = labels[basis.text] if basis.text < len(labels) else "报到单位名称"
                why = f"类别依据：{where}含“{basis.keyword}”"
            reasons[found] = why
        return basis.category, why

    return classify


def rules_for(settings: Settings, options: BranchOptions) -> Rules:
    """The workspace's branch rules with this run's options over them."""
    b = settings.branch
    rules = replace(
        b,
        min_size=b.min_size if options.min_size is None else options.min_size,
        max_size=b.max_size if options.max_size is None else options.max_size,
        scope=options.scope or b.scope,
        fallback_category=settings.categories[-1].name,
        year=settings.year,
    )
    if not 1 <= rules.min_size <= rules.max_size:
        raise ShuanggangError(
            f"支部人数范围 {rules.min_size}–{rules.max_size} 不合理",
            "应满足 1 ≤ --min-size ≤ --max-size",
        )
    return rules


def read_pins(
    path: Path, settings: Settings, people: dict[str, Person]
) -> tuple[Pins, list[Finding]]:
    """Branches named in advance, for organisations (by name, and community where the
    name is not unique) or single members (by ID number)."""
    sheet = read_sheet(path, settings, kind="pins")
    findings = list(sheet.findings)
    orgs: dict[str, set[OrgRef]] = {}
    for p in people.values():
        orgs.setdefault(p.org.name, set()).add(p.org)
    by_org: dict[OrgRef, str] = {}
    by_member: dict[str, str] = {}
    for record in sheet.records:
        values = record.values
        branch = values.get("branch", "")

        def problem(
            code: str,
            message: str,
            hint: str = "核对指定表",
            *,
            field: str,
            record: Record = record,
        ) -> None:
            findings.append(
                Finding(
                    ERROR,
                    message,
                    hint,
                    code=code,
                    field=field,
                    file=path.name,
                    sheet=sheet.sheet,
                    cell=record.cell(field) if field in record.letters else record.cell("branch"),
                )
            )

        if values.get("id_number"):
            if values["id_number"] in people:
                by_member[values["id_number"]] = branch
            else:
                problem(
                    code="id-not-registered", message="这个身份证号没有报到登记", field="id_number"
                )
        elif values.get("org"):
            named = orgs.get(values["org"], set())
            community = values.get("community") or ""
            chosen = [o for o in named if not community or community.startswith(o.community)]
            if len(chosen) == 1:
                by_org[chosen[0]] = branch
            elif chosen:
                places = "、".join(sorted(o.community for o in chosen))
                problem(
                    code="org-ambiguous",
                    message=f"有 {len(chosen)} 个报到单位叫“{values['org']}”（{places}）",
                    hint="填写“报到社区”一列以区分同名单位",
                    field="org",
                )
            else:
                problem(
                    code="org-not-registered",
                    message=f"报到单位“{values['org']}”没有报到登记",
                    field="org",
                )
        else:
            problem(code="pin-target-missing", message="没有填写报到单位或身份证号", field="org")
    return Pins(by_org, by_member), findings


def assign(ws: Workspace, store: Store, settings: Settings, options: BranchOptions) -> BranchRun:
    rules = rules_for(settings, options)
    with store.reading():  # one snapshot; the search itself runs outside any lock
        people, refused = stored.people(store, classifier(settings))
        existing = [] if options.rebuild else stored.existing(store)
        version = store.data_version()
    rescoped = bool(existing) and any(_scope_changed(e, people, rules) for e in existing)
    if rescoped:
        existing = []  # branches of another scope cannot be kept as they are
    pins, findings = read_pins(options.pins, settings, people) if options.pins else (Pins(), [])
    plan = form_branches(people.values(), rules, refused_orgs=refused, existing=existing, pins=pins)
    run = BranchRun(plan, people, list(plan.flags), findings, scope=rules.scope)
    if any(f.is_error for f in findings) or options.dry_run:
        return run
    if options.rebuild or rescoped:
        from shuanggang.store.backup import automatic

        automatic(ws, "重新编组前")
    with store.change("assign-branches", f"{len(plan.branches)} 个支部，{rules.scope}") as tx:
        if tx.data_version() != version:
            raise ShuanggangError(
                "编组期间有其他命令修改了工作区（报到、更换名单等），这次编组没有保存",
                "请重新运行 shuanggang assign-branches",
            )
        stored.save_plan(tx, plan)
    run.output = write_workbook(ws.out_dir / WORKBOOK, run)
    return run


def _scope_changed(e: Existing, people: dict[str, Person], rules: Rules) -> bool:
    scopes = {
        (people[k].street if rules.scope == "street" else people[k].community)
        for k in e.members
        if k in people
    }
    return len(scopes) > 1


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
    """The three sheets, their rows made as they are written: a province's member list
    is never held as rows as well as in the plan."""
    people = run.people
    label = run.labels()
    slots: dict[frozenset[str], str] = {}  # a few hundred distinct sets among everyone

    def when(free: frozenset[str]) -> str:
        text = slots.get(free)
        if text is None:
            text = slots[free] = slot_labels(free)
        return text

    overview = (
        (
            b.name,
            b.community,
            b.category,
            len(b.members),
            "是" if b.joint else "",
            "、".join(label[o] for o in b.orgs),
            slot_labels(b.slots),
            people[b.secretary].name if b.secretary else "",
            b.flag,
        )
        for b in run.plan.branches
    )
    members = (
        (
            b.name,
            person.name,
            k,
            label[p.org],
            person.category,
            when(person.slots),
            "；".join(x for x in (p.reason, person.basis) if x),
        )
        for b in run.plan.branches
        for p in b.placements
        for k in p.members
        for person in (people[k],)
    )
    flags = [(f,) for f in run.flags] + [(f"{f.file} {f.cell}：{f.message}",) for f in run.findings]
    return write_tables(
        target,
        [
            Table("支部一览", OVERVIEW, overview),
            Table("成员名单", MEMBERS, members),
            Table("待处理", FLAGS, flags or [("无",)]),
        ],
    )


def export_workbook(store: Store, target: Path) -> Path:
    """`export branches`: the stored branches as 活动团支部编组表."""
    people, _ = stored.people(store)
    plan = stored.stored_plan(store)
    return write_workbook(target, BranchRun(plan, people, list(plan.flags)))
