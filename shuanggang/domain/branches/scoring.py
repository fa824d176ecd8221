"""The score of a plan (see the package docstring), and `Scorer`, which keeps it up to
date while the search moves units."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from shuanggang.domain.branches.model import Bin, Person, Rules, Unit
from shuanggang.domain.model import OrgRef
from shuanggang.domain.values import SLOTS


def coverage(people: Sequence[Person]) -> tuple[float, tuple[str, ...]]:
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
    """The documented score of one scope's branches (see the package docstring)."""
    live = [b for b in bins if b.units]
    total = sum(b.size for b in live)
    if not total:
        return 0.0
    value = sum(units_value(b.units, b.category, b.community, rules) for b in live)
    under = sum(b.size for b in live if wanting(b.units, rules))
    small = sum(b.size for b in live if b.size < rules.split_at)
    per_category: dict[str, list[Bin]] = defaultdict(list)
    for b in live:
        per_category[b.category].append(b)
    imbalance = 0.0
    for group in per_category.values():
        mean = sum(x.size for x in group) / len(group)
        imbalance += sum(abs(b.size - mean) for b in group)
    spread: dict[OrgRef, set[int]] = defaultdict(set)
    for i, b in enumerate(live):
        for u in b.units:
            spread[u.org].add(i)
    split = sum(len(places) - 1 for places in spread.values())
    return (
        value / total
        - rules.weight_underfill * under / total
        - rules.weight_small * small / total
        - rules.weight_balance * imbalance / total
        - rules.weight_split * split / len(spread)
    )


def wanting(units: Sequence[Unit], rules: Rules) -> bool:
    """A branch that cannot stand as it is: under min_size, or without an adult to lead it."""
    size = sum(u.size for u in units)
    return size < rules.min_size or not any(u.adults(rules.year) for u in units)


def fit(unit: Unit, b: Bin, rules: Rules) -> float:
    """How much the score gains per member when `unit` joins `b`."""
    before = units_value(b.units, b.category, b.community, rules)
    after = units_value([*b.units, unit], b.category, b.community, rules)
    return (after - before) / unit.size


def units_majority(units: Sequence[Unit], fallback: str) -> str:
    counts: Counter[str] = Counter()
    for u in units:
        counts.update(u.categories)
    return _majority_of(counts, fallback)


class Scorer:
    """plan_score kept up to date as units move, recomputing only what a move touches:
    the two branches' values and labels, their categories' balance, the members of
    wanting and of small branches, the organisations split. A branch's category follows
    its members (majority, else the fallback), as it will once the plan is finished;
    named branches keep theirs."""

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
        self.imbalance = {c: self._imbalance(c) for c in sorted(set(self.labels.values()))}
        self.value_sum = sum(self.values.values())
        self.imbalance_sum = sum(self.imbalance.values())
        self.under = sum(under for under, _ in self.state.values())
        self.small = sum(small for _, small in self.state.values())
        # Which branches hold each organisation's units: the split term, kept per move.
        self.orgs_in = {id(b): {u.org for u in b.units} for b in bins}
        self.spread: dict[OrgRef, set[int]] = defaultdict(set)
        for b in bins:
            for org in self.orgs_in[id(b)]:
                self.spread[org].add(id(b))
        self.orgs = max(len(self.spread), 1)
        self.split = sum(len(places) - 1 for places in self.spread.values())

    def _label(self, b: Bin) -> str:
        if b.name or b.locked or not b.units:
            return b.category
        return units_majority(b.units, self.rules.fallback_category)

    def _value(self, b: Bin) -> float:
        return units_value(b.units, self.labels[id(b)], b.community, self.rules)

    def _state(self, b: Bin) -> tuple[int, int]:
        """The members of a branch that cannot stand as it is, and of a small one."""
        if not b.units:
            return 0, 0
        size = b.size
        return (
            size if wanting(b.units, self.rules) else 0,
            size if size < self.rules.split_at else 0,
        )

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
            - r.weight_underfill * self.under / self.total
            - r.weight_small * self.small / self.total
            - r.weight_balance * self.imbalance_sum / self.total
            - r.weight_split * self.split / self.orgs
        )

    def refresh(self, *changed: Bin) -> None:
        touched = set()
        for b in changed:
            self._respread(b)
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
            (was_under, was_small), state = self.state[id(b)], self._state(b)
            self.under += state[0] - was_under
            self.small += state[1] - was_small
            self.state[id(b)] = state
        for category in sorted(touched):  # a fixed order: float sums are order-sensitive
            value = self._imbalance(category)
            self.imbalance_sum += value - self.imbalance.get(category, 0.0)
            self.imbalance[category] = value

    def _respread(self, b: Bin) -> None:
        was, now = self.orgs_in[id(b)], {u.org for u in b.units}
        for org in was - now:
            self.spread[org].discard(id(b))
            self.split -= 1
        for org in now - was:
            self.split += 1
            self.spread[org].add(id(b))
        self.orgs_in[id(b)] = now
