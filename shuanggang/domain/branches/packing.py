"""From members to units, and units into branches: the first plan the search starts
from."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from shuanggang.domain.branches.model import Bin, Person, Rules, Unit
from shuanggang.domain.branches.scoring import fit, majority_category
from shuanggang.domain.model import OrgRef


def split_evenly(members: Sequence[Person], max_size: int) -> list[tuple[Person, ...]]:
    """n members in ceil(n / max) near-equal parts, keeping people free at the same
    times next to each other."""
    ordered = sorted(members, key=lambda p: (sorted(p.slots), p.residence, p.key))
    parts = math.ceil(len(ordered) / max_size)
    base, extra = divmod(len(ordered), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        out.append(tuple(ordered[start:end]))
        start = end
    return out


def org_units(members: Sequence[Person], rules: Rules, refused: bool) -> list[Unit]:
    """An organisation's units. Its members stay together, except that a category part of
    at least `split_at` members leaves, as a unit of its own, when both parts then have an
    adult to lead them (the leaving part is of one category and the largest stays behind,
    so both parts are purer than the whole). An organisation of at most max_size members
    lets one part leave, so it spans at most two branches; units above max_size are split
    evenly."""
    org = members[0].org
    by_category: dict[str, list[Person]] = defaultdict(list)
    for p in sorted(members, key=lambda p: p.key):
        by_category[p.category].append(p)
    (main, _), *others = sorted(by_category.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    limit = 1 if len(members) <= rules.max_size else len(others)
    staying = [p for _, ps in sorted(by_category.items()) for p in ps]
    leaving: list[tuple[str, list[Person]]] = []
    for category, people in others:
        if len(leaving) >= limit or len(people) < rules.split_at:
            break  # the parts come largest first
        rest = [p for p in staying if p.category != category]
        if _led(people, rules.year) and _led(rest, rules.year):
            leaving.append((category, people))
            staying = rest
    staying.sort(key=lambda p: (p.category != main, p.key))
    others_with_main = len(staying) - len(by_category[main])
    units = []
    for i, (category, people) in enumerate([(main, staying), *leaving]):
        note = (
            f"{org.name}其他类别 {others_with_main} 人随本组" if i == 0 and others_with_main else ""
        )
        if len(people) > rules.max_size:
            chunks = split_evenly(people, rules.max_size)
            note = f"超过 {rules.max_size} 人，平均分为 {len(chunks)} 组"
            units += [Unit(org, category, chunk, refused, note) for chunk in chunks]
        else:
            units.append(Unit(org, category, tuple(people), refused, note))
    return units


def _led(people: Sequence[Person], year: int) -> bool:
    return any(p.adult(year) for p in people)


def room(b: Bin, unit: Unit, rules: Rules) -> bool:
    return not b.refused and b.size + unit.size <= rules.max_size


def place(unit: Unit, b: Bin, note: str = "") -> None:
    b.units.append(unit)
    if note:
        b.notes[id(unit)] = note


def pack_category(units: list[Unit], community: str, category: str, rules: Rules) -> list[Bin]:
    """Largest first into the least-filled of ceil(total / max) bins where it fits and
    fits best; a unit that fits nowhere opens another bin."""
    total = sum(u.size for u in units)
    bins = [Bin(community, category) for _ in range(max(1, math.ceil(total / rules.max_size)))]
    for unit in sorted(units, key=lambda u: u.sort_key):
        open_bins = [b for b in bins if room(b, unit, rules)]
        if not open_bins:
            bins.append(Bin(community, category))
            open_bins = [bins[-1]]
        best = max(open_bins, key=lambda b: (-b.size, fit(unit, b, rules) if b.units else 0.0))
        place(unit, best)
    return [b for b in bins if b.units]


def home(people: Sequence[Person]) -> str:
    counts = Counter(p.community for p in people)
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def place_leftovers(leftovers: list[Unit], bins: list[Bin], rules: Rules) -> list[Bin]:
    """Units that cannot reach min_size: the most compatible branch with room, else a
    joint 综合服务 branch of them all."""
    pool: list[Unit] = []
    for unit in sorted(leftovers, key=lambda u: u.sort_key):
        open_bins = [b for b in bins if room(b, unit, rules) and b.size >= rules.min_size]
        if open_bins:
            best = max(open_bins, key=lambda b: fit(unit, b, rules))
            place(unit, best, f"{unit.category}人数不足 {rules.min_size} 人，编入最相近的支部")
        else:
            pool.append(unit)
    if not pool:
        return bins
    community = home([p for u in pool for p in u.members])
    packed = pack_category(pool, community, rules.fallback_category, rules)
    for b in packed:
        b.category = majority_category(b.people(), rules.fallback_category)
        for u in b.units:
            b.notes[id(u)] = "人数不足，与其他单位联合编组"
    return bins + packed


def group_by_org(people: Iterable[Person]) -> dict[OrgRef, tuple[Person, ...]]:
    groups: dict[OrgRef, list[Person]] = defaultdict(list)
    for p in sorted(people, key=lambda p: (p.org, p.key)):
        groups[p.org].append(p)
    return {org: tuple(ps) for org, ps in groups.items()}
