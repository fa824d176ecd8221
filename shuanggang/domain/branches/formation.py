"""The whole formation, scope by scope, and the finished branches: names, secretaries,
placement reasons and flags."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from shuanggang.domain.branches.model import (
    ADULT_AGE,
    Bin,
    Branch,
    Existing,
    Person,
    Pins,
    Placement,
    Plan,
    Rules,
    Unit,
)
from shuanggang.domain.branches.numerals import name_order, numeral
from shuanggang.domain.branches.packing import (
    group_by_org,
    home,
    org_units,
    pack_category,
    place,
    place_leftovers,
    room,
)
from shuanggang.domain.branches.scoring import coverage, fit, majority_category, plan_score
from shuanggang.domain.branches.search import improve
from shuanggang.domain.model import OrgRef
from shuanggang.domain.values import slot_labels

NO_PINS = Pins()  # the default: shared, never changed


def scope_of(person: Person, scope: str) -> str:
    return person.street if scope == "street" else person.community


def form_branches(
    people: Iterable[Person],
    rules: Rules,
    *,
    refused_orgs: Iterable[OrgRef] = (),
    existing: Sequence[Existing] = (),
    pins: Pins = NO_PINS,
) -> Plan:
    """Branches for everyone in `people`, keeping `existing` placements."""
    everyone = {p.key: p for p in people}
    refused = set(refused_orgs)
    flags: list[str] = []
    placed = {k for e in existing for k in e.members if k in everyone}
    by_scope: dict[str, list[Person]] = defaultdict(list)
    for p in sorted(everyone.values(), key=lambda p: p.key):
        by_scope[scope_of(p, rules.scope)].append(p)
    bins: list[Bin] = []
    weighted = 0.0
    for scope in sorted(by_scope):
        scope_people = by_scope[scope]
        keep = [
            e
            for e in existing
            if any(k in everyone and scope_of(everyone[k], rules.scope) == scope for k in e.members)
        ]
        formed = _form_scope(scope_people, placed, keep, refused, pins, rules, everyone)
        weighted += plan_score(formed, rules) * sum(b.size for b in formed)
        bins += formed
    branches = _finish(bins, rules, refused, flags)
    score = weighted / max(len(everyone), 1)
    return Plan(tuple(branches), tuple(flags), round(score, 6))


def _form_scope(
    people: list[Person],
    placed: set[str],
    existing: Sequence[Existing],
    refused: set[OrgRef],
    pins: Pins,
    rules: Rules,
    everyone: Mapping[str, Person],
) -> list[Bin]:
    bins: list[Bin] = []
    named: dict[str, Bin] = {}
    for e in sorted(existing, key=lambda e: e.name):
        members = tuple(everyone[k] for k in e.members if k in everyone)
        if not members:
            continue
        b = Bin(e.community, e.category, name=e.name, locked=True)
        for org, group in group_by_org(members).items():
            b.units.append(Unit(org, e.category, group, note="已编入，保持不变"))
        bins.append(b)
        named[e.name] = b
    fresh = [p for p in people if p.key not in placed]
    pinned: dict[str, list[Person]] = defaultdict(list)
    for p in fresh:
        target = pins.by_member.get(p.key) or pins.by_org.get(p.org)
        if target:
            pinned[target].append(p)
    for name in sorted(pinned):
        chosen = pinned[name]
        target_bin = named.get(name)
        if target_bin is None:
            target_bin = Bin(
                home(chosen),
                majority_category(chosen, rules.fallback_category),
                name=name,
                locked=True,
            )
            bins.append(target_bin)
            named[name] = target_bin
        for org, members in group_by_org(chosen).items():
            place(Unit(org, target_bin.category, members), target_bin, "按指定编入")
    pinned_keys = {p.key for g in pinned.values() for p in g}
    rest = [p for p in fresh if p.key not in pinned_keys]
    units: list[Unit] = []
    for org, members in group_by_org(rest).items():
        units += org_units(members, rules, org in refused)
    for unit in [u for u in units if u.refused]:
        b = Bin(home(unit.members), unit.category, refused=True)
        place(unit, b, "单位不同意合编，单独编组")
        bins.append(b)
    open_units = [u for u in units if not u.refused]
    # newcomers first try branches that already exist
    for unit in sorted(open_units, key=lambda u: u.sort_key):
        fits = [
            b for b in bins if b.locked and room(b, unit, rules) and b.category == unit.category
        ]
        if fits:
            best = max(
                fits,
                key=lambda b: (sum(1 for u in b.units if u.org == unit.org), fit(unit, b, rules)),
            )
            place(unit, best, "新报到，编入已有支部")
    open_units = [u for u in open_units if not any(u in b.units for b in bins)]
    by_category: dict[str, list[Unit]] = defaultdict(list)
    for unit in open_units:
        by_category[unit.category].append(unit)
    leftovers: list[Unit] = []
    fresh_bins: list[Bin] = []
    for category in sorted(by_category):
        same = by_category[category]
        if sum(u.size for u in same) < rules.min_size:
            leftovers += same
            continue
        community = home([p for u in same for p in u.members])
        packed = pack_category(same, community, category, rules)
        for b in packed:
            if b.size < rules.min_size:
                leftovers += b.units
            else:
                fresh_bins.append(b)
    bins += fresh_bins
    bins = place_leftovers(leftovers, bins, rules)
    # one empty branch per category lets the search open a branch as well as fill one
    spare = [
        Bin(b.community, c)
        for c, b in {b.category: b for b in bins if b.units}.items()
        if not b.refused and not b.locked
    ]
    bins += spare
    improve(bins, rules)
    for b in bins:
        if b.units and not b.name:
            b.category = majority_category(b.people(), rules.fallback_category)
    return [b for b in bins if b.units]


def secretary(people: Sequence[Person], year: int) -> str | None:
    """The suggested 书记: a member at least ADULT_AGE at the end of `year`, preferring a
    团内职务 (书记, then 副书记, then any other post), then a 中共党员 or 预备党员, then the
    eldest; None when no member is an adult."""
    adults = [p for p in people if p.adult(year)]
    if not adults:
        return None

    def rank(p: Person) -> tuple[int, date, str]:
        post = p.league_post
        if "书记" in post and "副" not in post:
            level = 0
        elif "副书记" in post:
            level = 1
        elif post and post not in ("无", "团员"):
            level = 2
        elif "党员" in p.political_status:
            level = 3
        else:
            level = 4
        return level, p.birth or date.max, p.key

    return min(adults, key=rank).key


def _reason(unit: Unit, b: Bin, note: str) -> str:
    people = unit.members
    same = sum(1 for p in people if p.category == b.category)
    _, shared = coverage(b.people())
    free = sum(1 for p in people if p.slots & set(shared)) if shared else 0
    local = sum(1 for p in people if b.community in p.residence)
    parts = [f"{b.category} {same}/{len(people)} 人"]
    if shared:
        when = slot_labels(shared[:2]) + ("等" if len(shared) > 2 else "")
        parts.append(f"{when}有空 {free} 人")
    if local:
        parts.append(f"{b.community}社区居住 {local} 人")
    text = "，".join(parts)
    extra = "；".join(x for x in (note, unit.note) if x)
    return f"{extra}：{text}" if extra else text


def _flags(b: Bin, rules: Rules, refused: set[OrgRef], chosen: str | None) -> list[str]:
    """What a branch leaves to be settled by hand. Whether its organisation refused merging
    is read from the input, not from how the branch was formed: a rerun that keeps the
    branch says the same as the run that made it."""
    out = []
    if b.size > rules.max_size:
        out.append(f"超过 {rules.max_size} 人（按指定编入）")
    elif b.size < rules.min_size:
        alone = len({u.org for u in b.units}) == 1 and b.units[0].org in refused
        out.append(
            f"不足 {rules.min_size} 人（单位不同意合编）"
            if b.refused or alone
            else f"不足 {rules.min_size} 人，无可合编的单位"
        )
    if chosen is None:
        out.append(f"没有年满 {ADULT_AGE} 周岁的成员，需另行指定书记")
    return out


def _finish(bins: list[Bin], rules: Rules, refused: set[OrgRef], flags: list[str]) -> list[Branch]:
    names: dict[str, int] = Counter()
    planned = []
    for b in sorted(
        bins, key=lambda b: (b.community, b.category, -b.size, min(p.key for p in b.people()))
    ):
        orgs = sorted({u.org for u in b.units})
        joint = len(orgs) > 1
        if not b.name:
            names[f"{b.community}{b.category}{'联合' if joint else ''}活动团支部"] += 1
        planned.append((b, orgs, joint))
    taken: Counter[str] = Counter()
    taken_names = {b.name for b in bins if b.name}
    branches = []
    for b, orgs, joint in planned:
        if not b.name:
            base = f"{b.community}{b.category}{'联合' if joint else ''}活动团支部"
            if names[base] > 1 or base in taken_names:
                while True:
                    taken[base] += 1
                    candidate = f"{base}（{numeral(taken[base])}）"
                    if candidate not in taken_names:
                        break
                b.name = candidate
            else:
                b.name = base
            taken_names.add(b.name)
        people = b.people()
        _, shared = coverage(people)
        chosen = secretary(people, rules.year)
        flag = "；".join(_flags(b, rules, refused, chosen))
        if flag:
            flags.append(f"{b.name}：{flag}")
        placements = tuple(
            Placement(
                u.org,
                tuple(sorted(p.key for p in u.members)),
                _reason(u, b, b.notes.get(id(u), "")),
            )
            for u in sorted(b.units, key=lambda u: (u.org, u.members[0].key))
        )
        branches.append(
            Branch(
                name=b.name,
                community=b.community,
                category=b.category,
                joint=joint,
                slots=shared,
                members=tuple(sorted(p.key for p in people)),
                orgs=tuple(orgs),
                secretary=chosen,
                placements=placements,
                flag=flag,
            )
        )
    return sorted(branches, key=lambda br: name_order(br.name))
