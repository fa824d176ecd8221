"""The data of branch formation: who registered, the rules, what is kept from before,
and the plan that comes out; `Unit` and `Bin` are the working pieces in between."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from shuanggang.domain.model import OrgRef
from shuanggang.domain.standards import BranchRules

Rules = BranchRules  # the name the branch code knows them by

# A branch secretary signs for the branch: at least this old on 31 December of the
# working year (the age the ID number gives, as everywhere else).
ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # the ID number: unique and independent of registration order
    name: str
    org: OrgRef  # by key: organisations in two communities may share a name
    community: str
    street: str
    category: str
    slots: frozenset[str] = frozenset()
    residence: str = ""
    league_post: str = ""
    political_status: str = ""
    birth: date | None = None
    basis: str = ""  # which word decided the category, for the placement reason

    def adult(self, year: int) -> bool:
        """At least ADULT_AGE on 31 December of `year`; an unknown birth is not taken
        for a minor's."""
        return self.birth is None or year - self.birth.year >= ADULT_AGE


@dataclass(frozen=True, slots=True)
class Existing:
    """A branch already formed (and told to its members): kept on a rerun."""

    name: str
    community: str
    category: str
    members: tuple[str, ...]  # keys


@dataclass(frozen=True, slots=True)
class Pins:
    by_org: Mapping[OrgRef, str] = field(default_factory=dict)  # org → branch name
    by_member: Mapping[str, str] = field(default_factory=dict)  # key → branch name


@dataclass(frozen=True, eq=False)  # compared by identity: units move between bins
class Unit:
    org: OrgRef
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

    @cached_property
    def _adults(self) -> dict[int, int]:
        return {}

    def adults(self, year: int) -> int:
        if year not in self._adults:
            self._adults[year] = sum(1 for p in self.members if p.adult(year))
        return self._adults[year]

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
    def sort_key(self) -> tuple[int, str, OrgRef, str]:
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
    org: OrgRef
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
    orgs: tuple[OrgRef, ...]  # sorted
    secretary: str | None
    placements: tuple[Placement, ...]
    flag: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    branches: tuple[Branch, ...]
    flags: tuple[str, ...]
    score: float
