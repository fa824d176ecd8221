"""团干部基层联系点制度 and 互通协商机制 (docs/assessment.md): liaison points and the half-year
consultations.

Liaison points: each district committee cadre links `per_cadre` streets, each street
committee leader `per_cadre` communities of their own street. The same function serves
both levels:

  1. links kept from before (unless rebuilt) while the cadre and place still qualify;
  2. every place that must be covered (it has registered organisations) gets a cadre:
     the one who prefers it, else the least loaded, never one who excludes it;
  3. remaining capacity goes to the places with the fewest cadres, preferred ones
     first, so loads and coverage stay balanced.

Ties are broken by names: the same cadres and places give the same links.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from shuanggang.domain.values import LooseDate, half_year


@dataclass(frozen=True, slots=True)
class Cadre:
    name: str
    level: str  # "district" (团区委) or "street" (街道团工委)
    post: str = ""
    street: str = ""  # a street leader's own street
    excluded: frozenset[str] = frozenset()
    preferred: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Links:
    links: dict[str, tuple[str, ...]]  # cadre → places
    uncovered: tuple[str, ...]  # must-cover places nobody could take
    coverage: dict[str, tuple[str, ...]] = field(default_factory=dict)  # place → cadres


def assign_links(
    cadres: Sequence[Cadre],
    places: Sequence[str],
    must_cover: Iterable[str],
    per_cadre: int,
    existing: Mapping[str, Sequence[str]] | None = None,
) -> Links:
    required = [p for p in places if p in set(must_cover)]
    ordered = sorted(cadres, key=lambda c: c.name)
    links: dict[str, list[str]] = {c.name: [] for c in ordered}
    covered: dict[str, list[str]] = {p: [] for p in places}

    def can(c: Cadre, place: str) -> bool:
        return (
            place in covered
            and place not in c.excluded
            and place not in links[c.name]
            and len(links[c.name]) < per_cadre
        )

    def link(c: Cadre, place: str) -> None:
        links[c.name].append(place)
        covered[place].append(c.name)

    for c in ordered:
        for place in (existing or {}).get(c.name, ()):
            if can(c, place):
                link(c, place)
    uncovered = []
    for place in required:
        if covered[place]:
            continue
        able = [c for c in ordered if can(c, place)]
        if not able:
            uncovered.append(place)
            continue
        # who prefers it; else who has no wishes elsewhere; else the least loaded
        link(
            min(
                able,
                key=lambda c: (
                    place not in c.preferred,
                    bool(c.preferred),
                    len(links[c.name]),
                    c.name,
                ),
            ),
            place,
        )
    changed = True
    while changed:
        changed = False
        for c in sorted(ordered, key=lambda c: (len(links[c.name]), c.name)):
            options = [p for p in places if can(c, p)]
            if not options:
                continue
            best = min(
                options,
                key=lambda p: (
                    p not in c.preferred,
                    len(covered[p]),
                    p not in required,
                    places.index(p),
                ),
            )
            link(c, best)
            changed = True
    return Links(
        {k: tuple(v) for k, v in links.items()},
        tuple(uncovered),
        {p: tuple(v) for p, v in covered.items()},
    )


# --- consultations ---------------------------------------------------------------------

HALVES = ("上半年", "下半年")


@dataclass(frozen=True, slots=True)
class PairPlan:
    org: str
    community: str
    recorded: tuple[int, int]  # consultations held in each half
    due: tuple[bool, bool]  # still owed in each half

    def overdue(self, today: date, year: int) -> bool:
        """Owed in the half-year `today` is in (or any half, once the year is over)."""
        if today.year > year:
            return any(self.due)
        if today.year < year:
            return False
        return self.due[half_year(today)]


def plan_consultations(
    pairs: Iterable[tuple[str, str]], held: Iterable[tuple[str, str, LooseDate | date]], year: int
) -> list[PairPlan]:
    """Each org–community pair owes one consultation per half-year."""
    counts: dict[tuple[str, str], list[int]] = {}
    for org, community, day in held:
        if day.year == year:
            counts.setdefault((org, community), [0, 0])[half_year(day)] += 1
    plans = []
    for org, community in sorted(set(pairs), key=lambda p: (p[1], p[0])):
        got = counts.get((org, community), [0, 0])
        plans.append(PairPlan(org, community, (got[0], got[1]), (got[0] == 0, got[1] == 0)))
    return plans
