"""Improving a plan: moving and swapping units between branches while the score rises."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from shuanggang.domain.branches.model import Bin, Rules, Unit
from shuanggang.domain.branches.scoring import Scorer

# A unit tries every branch of its scope while the scope has at most this many; past
# that (a community with a hundred organisations), only branches of its own category
# and under-filled ones, in the same order, up to this many: otherwise each pass costs
# units × branches, quadratic in the scope's density.
MAX_TARGETS = 32
PASSES = 20  # rounds of moves and swaps at most
EFFORT = 400  # tries per unit in a scope of at most MAX_TARGETS branches
MIN_EFFORT = 8  # tries per unit however dense the scope


def improve(bins: list[Bin], rules: Rules) -> None:
    """Move single units, then swap pairs of units of one category, between movable
    branches while the score rises and every branch stays within min..max. At most
    PASSES rounds and EFFORT tries per unit; in a scope of more than MAX_TARGETS
    branches a unit tries only MAX_TARGETS of them, and the effort falls with the square
    of the crowding (each try also costs more there): time stays near linear in the
    members."""
    movable = [b for b in bins if not b.locked and not b.refused]
    if len(movable) < 2:
        return
    scorer = Scorer(bins, rules)
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
                for target in targets(unit, movable, scorer, rules):
                    fits = (
                        target is not source and scorer.size(target) + unit.size <= rules.max_size
                    )
                    if fits and attempt(source, target, [unit], []):
                        improved = True
                        break
        for i, source in enumerate(movable):
            if budget <= 0:
                break
            for target in partners(i, movable, scorer):
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


def targets(unit: Unit, movable: list[Bin], scorer: Scorer, rules: Rules) -> list[Bin]:
    if len(movable) <= MAX_TARGETS:
        return movable
    near = [
        b
        for b in movable
        if scorer.labels[id(b)] == unit.category or scorer.size(b) < rules.min_size
    ]
    return near[:MAX_TARGETS]


def partners(i: int, movable: list[Bin], scorer: Scorer) -> Iterator[Bin]:
    """The branches after the i-th with its category, the first MAX_TARGETS of them.
    Lazy: a swap may change the i-th branch's category, and later ones compare to that."""
    source = movable[i]
    later = (b for b in movable[i + 1 :] if scorer.labels[id(b)] == scorer.labels[id(source)])
    return itertools.islice(later, MAX_TARGETS)


def _restore_order(b: Bin) -> None:
    b.units.sort(key=lambda u: u.sort_key)
