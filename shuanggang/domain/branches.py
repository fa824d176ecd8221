"""Forming activity branches 登记活动团支部 (SPEC §7, seed 做法（二）).

Hard rules, always kept:
  * every member is in exactly one branch, and branches stay inside their scope
    (a community, or with ``scope="street"`` a street);
  * an organisation's members are grouped by service category; a part of at least
    ``min_size`` stands as its own unit, smaller parts stay with the org's largest part;
    a unit above ``max_size`` is split evenly;
  * branches hold ``min_size``..``max_size`` members, except an organisation that refused
    merging (同意合编 = 否), which stands alone and is flagged when under ``min_size``,
    and a scope too small to reach ``min_size`` at all (flagged);
  * pins (organisation or member → branch name) are honoured first;
  * a rerun keeps members already placed where they are.

Soft goals, as one score to maximise (weights in ``[branch]`` of shuanggang.toml)::

    score = Σ_branches size · (w_category · purity + w_slots · coverage + w_locality · local)
            / members
            − w_underfill · under_filled_branches / branches
            − w_balance · Σ_branches |size − even share of its category| / members

  purity    share of the branch's members whose service category is the branch's;
  coverage  share of members free at the branch's best common time slot;
  local     share of members living in the branch's community (居住社区), or, at street
            scope, registered there;
  even share  the category's members divided evenly over its branches.

The score is taken per scope; a plan's score is the scopes' scores weighted by members.

The method: build units, pack each category's units into ceil(total / max) branches
largest-first into the least-filled compatible branch, place what cannot reach
``min_size`` into the most compatible branch with room (else a joint 综合服务 branch),
then improve by moving and swapping units while the score rises. Every order is by
stable keys (names, ID numbers), never by registration order: the same members give
the same branches.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property

from shuanggang.domain.values import SLOTS, slot_labels


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # the ID number: unique and independent of registration order
    name: str
    org: str
    community: str
    street: str
    category: str
    slots: frozenset[str] = frozenset()
    residence: str = ""
    league_post: str = ""
    political_status: str = ""
    birth: date | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    min_size: int = 3
    max_size: int = 50
    scope: str = "community"  # or "street"
    weight_category: float = 5.0
    weight_slots: float = 3.0
    weight_locality: float = 1.0
    weight_underfill: float = 4.0
    weight_balance: float = 1.0
    fallback_category: str = "综合服务"
    year: int = 2026


@dataclass(frozen=True, slots=True)
class Existing:
    """A branch already formed (and told to its members): kept on a rerun."""

    name: str
    community: str
    category: str
    members: tuple[str, ...]  # keys


@dataclass(frozen=True, slots=True)
class Pins:
    by_org: Mapping[str, str] = field(default_factory=dict)  # org name → branch name
    by_member: Mapping[str, str] = field(default_factory=dict)  # key → branch name


@dataclass(frozen=True, eq=False)  # compared by identity: units move between bins
class Unit:
    org: str
    category: str
    members: tuple[Person, ...]
    refused: bool = False
    note: str = ""  # how the unit came to be, for its reason

    @property
    def size(self) -> int:
        return len(self.members)

    @cached_property
    def categories(self) -> Counter[str]:
        return Counter(p.category for p in self.members)

    @cached_property
    def slot_counts(self) -> Counter[str]:
        return Counter(s for p in self.members for s in p.slots)

    @cached_property
    def _local(self) -> dict[tuple[str, str], int]:
        return {}

    def local(self, community: str, scope: str) -> int:
        """Members living in `community` (or, at street scope, registered there)."""
        key = (community, scope)
        if key not in self._local:
            self._local[key] = sum(
                1
                for p in self.members
                if community in p.residence or (scope == "street" and p.community == community)
            )
        return self._local[key]

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        return (-self.size, self.category, self.org, self.members[0].key)


@dataclass(slots=True)
class Bin:
    community: str
    category: str
    units: list[Unit] = field(default_factory=list)
    name: str = ""  # fixed for existing and pinned branches
    locked: bool = False  # existing or pinned: its units never move
    refused: bool = False  # one organisation that refused merging
    notes: dict[int, str] = field(default_factory=dict)  # id(unit) → placement note

    @property
    def size(self) -> int:
        return sum(u.size for u in self.units)

    def people(self) -> list[Person]:
        return [p for u in self.units for p in u.members]


@dataclass(frozen=True, slots=True)
class Placement:
    org: str
    members: tuple[str, ...]  # keys
    reason: str


@dataclass(frozen=True, slots=True)
class Branch:
    name: str
    community: str
    category: str
    joint: bool
    slots: tuple[str, ...]
    members: tuple[str, ...]  # keys, sorted
    orgs: tuple[str, ...]
    secretary: str | None
    placements: tuple[Placement, ...]
    flag: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    branches: tuple[Branch, ...]
    flags: tuple[str, ...]
    score: float


# --- units -----------------------------------------------------------------------------


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
    """An organisation's units: category parts of at least min_size stand alone, the
    rest stay with the largest part; units above max_size are split evenly."""
    org = members[0].org
    by_category: dict[str, list[Person]] = defaultdict(list)
    for p in sorted(members, key=lambda p: p.key):
        by_category[p.category].append(p)
    parts = sorted(by_category.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    standing = [(c, ps) for c, ps in parts if len(ps) >= rules.min_size] or [parts[0]]
    rest = [p for c, ps in parts if (c, ps) not in standing for p in ps]
    units = []
    for i, (category, people) in enumerate(standing):
        group = people + rest if i == 0 else people
        note = f"{org}其他类别 {len(rest)} 人随本组" if i == 0 and rest else ""
        if len(group) > rules.max_size:
            chunks = split_evenly(group, rules.max_size)
            note = f"超过 {rules.max_size} 人，平均分为 {len(chunks)} 组"
            units += [Unit(org, category, chunk, refused, note) for chunk in chunks]
        else:
            units.append(Unit(org, category, tuple(group), refused, note))
    return units


# --- scoring ---------------------------------------------------------------------------


def _coverage(people: Sequence[Person]) -> tuple[float, tuple[str, ...]]:
    """Share free at the best common slot, and the slots at least half are free."""
    counts = Counter(s for p in people for s in p.slots)
    if not people or not counts:
        return 0.0, ()
    best = max(counts.values())
    shared = tuple(s for s in SLOTS if counts.get(s, 0) * 2 >= len(people))
    return best / len(people), shared or tuple(s for s in SLOTS if counts.get(s) == best)[:1]


def majority_category(people: Sequence[Person], fallback: str) -> str:
    return _majority_of(Counter(p.category for p in people), fallback)


def _majority_of(counts: Counter[str], fallback: str) -> str:
    """The category of at least half the members (the first by name on a tie), else
    `fallback`."""
    if not counts:
        return fallback
    top, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return top if n * 2 >= counts.total() else fallback


def units_value(units: Sequence[Unit], category: str, community: str, rules: Rules) -> float:
    """size · (w_category · purity + w_slots · coverage + w_locality · local) of the units'
    members, from each unit's counts (no per-person work)."""
    if not units:
        return 0.0
    same = sum(u.categories.get(category, 0) for u in units)
    slots: Counter[str] = Counter()
    for u in units:
        slots.update(u.slot_counts)
    local = sum(u.local(community, rules.scope) for u in units)
    return (
        rules.weight_category * same
        + rules.weight_slots * max(slots.values(), default=0)
        + rules.weight_locality * local
    )


def plan_score(bins: Sequence[Bin], rules: Rules) -> float:
    """The documented score of one scope's branches (see the module docstring)."""
    live = [b for b in bins if b.units]
    total = sum(b.size for b in live)
    if not total:
        return 0.0
    value = sum(units_value(b.units, b.category, b.community, rules) for b in live)
    under = sum(1 for b in live if b.size < rules.min_size)
    per_category: dict[str, list[Bin]] = defaultdict(list)
    for b in live:
        per_category[b.category].append(b)
    imbalance = 0.0
    for group in per_category.values():
        mean = sum(x.size for x in group) / len(group)
        imbalance += sum(abs(b.size - mean) for b in group)
    return (
        value / total
        - rules.weight_underfill * under / len(live)
        - rules.weight_balance * imbalance / total
    )


# --- packing ---------------------------------------------------------------------------


def _fit(unit: Unit, b: Bin, rules: Rules) -> float:
    """How much the score gains per member when `unit` joins `b`."""
    before = units_value(b.units, b.category, b.community, rules)
    after = units_value([*b.units, unit], b.category, b.community, rules)
    return (after - before) / unit.size


def _room(b: Bin, unit: Unit, rules: Rules) -> bool:
    return not b.refused and b.size + unit.size <= rules.max_size


def _place(unit: Unit, b: Bin, note: str = "") -> None:
    b.units.append(unit)
    if note:
        b.notes[id(unit)] = note


def _pack_category(units: list[Unit], community: str, category: str, rules: Rules) -> list[Bin]:
    """Largest first into the least-filled of ceil(total / max) bins where it fits and
    fits best; a unit that fits nowhere opens another bin."""
    total = sum(u.size for u in units)
    bins = [Bin(community, category) for _ in range(max(1, math.ceil(total / rules.max_size)))]
    for unit in sorted(units, key=lambda u: u.sort_key):
        open_bins = [b for b in bins if _room(b, unit, rules)]
        if not open_bins:
            bins.append(Bin(community, category))
            open_bins = [bins[-1]]
        best = max(open_bins, key=lambda b: (-b.size, _fit(unit, b, rules) if b.units else 0.0))
        _place(unit, best)
    return [b for b in bins if b.units]


def _home(people: Sequence[Person]) -> str:
    counts = Counter(p.community for p in people)
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _place_leftovers(leftovers: list[Unit], bins: list[Bin], rules: Rules) -> list[Bin]:
    """Units that cannot reach min_size: the most compatible branch with room, else a
    joint 综合服务 branch of them all."""
    pool: list[Unit] = []
    for unit in sorted(leftovers, key=lambda u: u.sort_key):
        open_bins = [b for b in bins if _room(b, unit, rules) and b.size >= rules.min_size]
        if open_bins:
            best = max(open_bins, key=lambda b: _fit(unit, b, rules))
            _place(unit, best, f"{unit.category}人数不足 {rules.min_size} 人，编入最相近的支部")
        else:
            pool.append(unit)
    if not pool:
        return bins
    community = _home([p for u in pool for p in u.members])
    packed = _pack_category(pool, community, rules.fallback_category, rules)
    for b in packed:
        b.category = majority_category(b.people(), rules.fallback_category)
        for u in b.units:
            b.notes[id(u)] = "人数不足，与其他单位联合编组"
    return bins + packed


def _majority(units: Sequence[Unit], fallback: str) -> str:
    counts: Counter[str] = Counter()
    for u in units:
        counts.update(u.categories)
    return _majority_of(counts, fallback)


class _Scorer:
    """plan_score kept up to date as units move, recomputing only what a move touches:
    the two branches' values and labels, their categories' balance, the under-filled
    count. A branch's category follows its members (majority, else the fallback), as
    it will once the plan is finished; named branches keep theirs."""

    def __init__(self, bins: list[Bin], rules: Rules) -> None:
        self.bins, self.rules = bins, rules
        self.total = sum(b.size for b in bins) or 1
        self.labels = {id(b): self._label(b) for b in bins}
        self.values = {id(b): self._value(b) for b in bins}
        self.state = {id(b): self._state(b) for b in bins}
        # Live branches' sizes by label: a category's balance is worked out from its own
        # branches, not by summing every unit of the scope (quadratic in a dense one).
        self.sizes: dict[str, dict[int, int]] = defaultdict(dict)
        for b in bins:
            if b.units:
                self.sizes[self.labels[id(b)]][id(b)] = b.size
        self.imbalance = {c: self._imbalance(c) for c in set(self.labels.values())}
        self.value_sum = sum(self.values.values())
        self.imbalance_sum = sum(self.imbalance.values())
        self.live = sum(1 for live, _ in self.state.values() if live)
        self.under = sum(1 for _, under in self.state.values() if under)

    def _label(self, b: Bin) -> str:
        if b.name or b.locked or not b.units:
            return b.category
        return _majority(b.units, self.rules.fallback_category)

    def _value(self, b: Bin) -> float:
        return units_value(b.units, self.labels[id(b)], b.community, self.rules)

    def _state(self, b: Bin) -> tuple[bool, bool]:
        return bool(b.units), bool(b.units) and b.size < self.rules.min_size

    def size(self, b: Bin) -> int:
        """`b.size` as of the last refresh, without summing its units."""
        return self.sizes[self.labels[id(b)]].get(id(b), 0)

    def _imbalance(self, category: str) -> float:
        sizes = self.sizes[category].values()
        if not sizes:
            return 0.0
        mean = sum(sizes) / len(sizes)
        return sum(abs(size - mean) for size in sizes)

    def score(self) -> float:
        r = self.rules
        return (
            self.value_sum / self.total
            - r.weight_underfill * self.under / max(self.live, 1)
            - r.weight_balance * self.imbalance_sum / self.total
        )

    def refresh(self, *changed: Bin) -> None:
        touched = set()
        for b in changed:
            was = self.labels[id(b)]
            touched.add(was)
            self.sizes[was].pop(id(b), None)
            self.labels[id(b)] = label = self._label(b)
            touched.add(label)
            if b.units:
                self.sizes[label][id(b)] = b.size
            value = self._value(b)
            self.value_sum += value - self.values[id(b)]
            self.values[id(b)] = value
            (was_live, was_under), state = self.state[id(b)], self._state(b)
            self.live += state[0] - was_live
            self.under += state[1] - was_under
            self.state[id(b)] = state
        for category in touched:
            value = self._imbalance(category)
            self.imbalance_sum += value - self.imbalance.get(category, 0.0)
            self.imbalance[category] = value


def _improve(bins: list[Bin], rules: Rules) -> None:
    """Move single units, then swap pairs of units of one category, between movable
    branches while the score rises and every branch stays within min..max. At most
    PASSES rounds and EFFORT tries per unit; in a scope of more than MAX_TARGETS
    branches a unit tries only MAX_TARGETS of them, and the effort falls with the square
    of the crowding (each try also costs more there): time stays near linear in the
    members."""
    movable = [b for b in bins if not b.locked and not b.refused]
    if len(movable) < 2:
        return
    scorer = _Scorer(bins, rules)
    current = scorer.score()
    crowd = max(1.0, len(movable) / MAX_TARGETS)  # > 1 only in a dense scope
    effort = max(MIN_EFFORT, int(EFFORT / crowd**2))
    budget = effort * sum(len(b.units) for b in movable)

    def valid(b: Bin) -> bool:
        return not b.units or rules.min_size <= b.size <= rules.max_size

    def attempt(source: Bin, target: Bin, out: list[Unit], back: list[Unit]) -> bool:
        nonlocal current, budget
        budget -= 1
        for u in out:
            source.units.remove(u)
            target.units.append(u)
        for u in back:
            target.units.remove(u)
            source.units.append(u)
        if valid(source) and valid(target):
            scorer.refresh(source, target)
            score = scorer.score()
            if score > current + 1e-9:
                current = score
                _restore_order(source)
                _restore_order(target)
                return True
        for u in out:
            target.units.remove(u)
            source.units.append(u)
        for u in back:
            source.units.remove(u)
            target.units.append(u)
        _restore_order(source)
        _restore_order(target)
        scorer.refresh(source, target)
        return False

    for _ in range(PASSES):
        improved = False
        for source in movable:
            if budget <= 0:
                break
            for unit in list(source.units):
                for target in _targets(unit, movable, scorer, rules):
                    fits = (
                        target is not source and scorer.size(target) + unit.size <= rules.max_size
                    )
                    if fits and attempt(source, target, [unit], []):
                        improved = True
                        break
        for i, source in enumerate(movable):
            if budget <= 0:
                break
            for target in _partners(i, movable, scorer):
                if budget <= 0:
                    break
                for unit in list(source.units):
                    if unit not in source.units:
                        continue
                    for other in list(target.units):
                        if attempt(source, target, [unit], [other]):
                            improved = True
                            break
        if not improved or budget <= 0:
            return


# A unit tries every branch of its scope while the scope has at most this many; past
# that (a community with a hundred organisations), only branches of its own category
# and under-filled ones, in the same order, up to this many: otherwise each pass costs
# units × branches, quadratic in the scope's density.
MAX_TARGETS = 32
PASSES = 20  # rounds of moves and swaps at most
EFFORT = 400  # tries per unit in a scope of at most MAX_TARGETS branches
MIN_EFFORT = 8  # tries per unit however dense the scope


def _targets(unit: Unit, movable: list[Bin], scorer: _Scorer, rules: Rules) -> list[Bin]:
    if len(movable) <= MAX_TARGETS:
        return movable
    near = [
        b
        for b in movable
        if scorer.labels[id(b)] == unit.category or scorer.size(b) < rules.min_size
    ]
    return near[:MAX_TARGETS]


def _partners(i: int, movable: list[Bin], scorer: _Scorer) -> Iterator[Bin]:
    """The branches after the i-th with its category, the first MAX_TARGETS of them.
    Lazy: a swap may change the i-th branch's category, and later ones compare to that."""
    source = movable[i]
    later = (b for b in movable[i + 1 :] if scorer.labels[id(b)] == scorer.labels[id(source)])
    return itertools.islice(later, MAX_TARGETS)


def _restore_order(b: Bin) -> None:
    b.units.sort(key=lambda u: u.sort_key)


# --- the whole formation ---------------------------------------------------------------


def scope_of(person: Person, scope: str) -> str:
    return person.street if scope == "street" else person.community


def form_branches(
    people: Iterable[Person],
    rules: Rules,
    *,
    refused_orgs: Iterable[str] = (),
    existing: Sequence[Existing] = (),
    pins: Pins = Pins(),
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
    branches = _finish(bins, rules, flags)
    score = weighted / max(len(everyone), 1)
    return Plan(tuple(branches), tuple(flags), round(score, 6))


def _form_scope(
    people: list[Person],
    placed: set[str],
    existing: Sequence[Existing],
    refused: set[str],
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
        for org, group in _by_org(members).items():
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
                _home(chosen),
                majority_category(chosen, rules.fallback_category),
                name=name,
                locked=True,
            )
            bins.append(target_bin)
            named[name] = target_bin
        for org, members in _by_org(chosen).items():
            _place(Unit(org, target_bin.category, members), target_bin, "按指定编入")
    pinned_keys = {p.key for g in pinned.values() for p in g}
    rest = [p for p in fresh if p.key not in pinned_keys]
    units: list[Unit] = []
    for org, members in _by_org(rest).items():
        units += org_units(members, rules, org in refused)
    for unit in [u for u in units if u.refused]:
        b = Bin(_home(unit.members), unit.category, refused=True)
        _place(unit, b, "单位不同意合编，单独编组")
        bins.append(b)
    open_units = [u for u in units if not u.refused]
    # newcomers first try branches that already exist
    for unit in sorted(open_units, key=lambda u: u.sort_key):
        fits = [
            b for b in bins if b.locked and _room(b, unit, rules) and b.category == unit.category
        ]
        if fits:
            best = max(
                fits,
                key=lambda b: (sum(1 for u in b.units if u.org == unit.org), _fit(unit, b, rules)),
            )
            _place(unit, best, "新报到，编入已有支部")
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
        community = _home([p for u in same for p in u.members])
        packed = _pack_category(same, community, category, rules)
        for b in packed:
            if b.size < rules.min_size:
                leftovers += b.units
            else:
                fresh_bins.append(b)
    bins += fresh_bins
    bins = _place_leftovers(leftovers, bins, rules)
    # one empty branch per category lets the search open a branch as well as fill one
    spare = [
        Bin(b.community, c)
        for c, b in {b.category: b for b in bins if b.units}.items()
        if not b.refused and not b.locked
    ]
    bins += spare
    _improve(bins, rules)
    for b in bins:
        if b.units and not b.name:
            b.category = majority_category(b.people(), rules.fallback_category)
    return [b for b in bins if b.units]


def _by_org(people: Iterable[Person]) -> dict[str, tuple[Person, ...]]:
    groups: dict[str, list[Person]] = defaultdict(list)
    for p in sorted(people, key=lambda p: (p.org, p.key)):
        groups[p.org].append(p)
    return {org: tuple(ps) for org, ps in groups.items()}


# --- naming, secretaries, reasons ------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"
CN_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def _numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十; from
    10,000 on, Arabic digits (a scope that large has no by-hand naming to follow)."""
    if not 1 <= n < 10_000:
        return str(n)
    if n < 20:
        return CN_DIGITS[n] if n < 10 else "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    text, gap = "", False
    for value, unit in CN_UNITS:
        digit = n // value % 10
        if digit:
            text += ("零" if gap else "") + CN_DIGITS[digit] + unit
            gap = False
        elif text:
            gap = True
    return text


@cache
def _numeral_values() -> dict[str, int]:
    return {_numeral(i): i for i in range(1, 10_000)}


def name_order(name: str) -> tuple[str, int]:
    """Sort key for branch names: （二） before （三）, which code points get wrong."""
    if name.endswith("）") and "（" in name:
        base, _, numeral = name[:-1].rpartition("（")
        value = _numeral_values().get(numeral)
        if value is not None:
            return base, value
    return name, 0


def secretary(people: Sequence[Person], year: int) -> str | None:
    """A 书记 (then 副书记) by 团内职务, else a party member, else the oldest under 28."""

    def age(p: Person) -> int:
        return year - p.birth.year if p.birth else 0

    ranked = sorted(people, key=lambda p: p.key)
    for test in (
        lambda p: "书记" in p.league_post and "副" not in p.league_post,
        lambda p: "副书记" in p.league_post,
        lambda p: "党员" in p.political_status,
    ):
        chosen = [p for p in ranked if test(p)]
        if chosen:
            return chosen[0].key
    young = [p for p in ranked if p.birth and age(p) <= 28]
    if young:
        return min(young, key=lambda p: (p.birth, p.key)).key
    return ranked[0].key if ranked else None


def _reason(unit: Unit, b: Bin, note: str) -> str:
    people = unit.members
    same = sum(1 for p in people if p.category == b.category)
    _, shared = _coverage(b.people())
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


def _finish(bins: list[Bin], rules: Rules, flags: list[str]) -> list[Branch]:
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
                    candidate = f"{base}（{_numeral(taken[base])}）"
                    if candidate not in taken_names:
                        break
                b.name = candidate
            else:
                b.name = base
            taken_names.add(b.name)
        people = b.people()
        _, shared = _coverage(people)
        flag = ""
        if b.size > rules.max_size:
            flag = f"超过 {rules.max_size} 人（按指定编入）"
            flags.append(f"{b.name}：{flag}")
        elif b.size < rules.min_size:
            flag = (
                f"不足 {rules.min_size} 人（单位不同意合编）"
                if b.refused
                else f"不足 {rules.min_size} 人，无可合编的单位"
            )
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
                secretary=secretary(people, rules.year),
                placements=placements,
                flag=flag,
            )
        )
    return sorted(branches, key=lambda br: name_order(br.name))
