"""The standards a workspace's settings set for the domain: how branches are formed,
how organisations are assessed, who may be recommended to the party.

Kept apart from the code that applies them, so that reading the settings (every
command does) loads these few types and not the branch search or the assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shuanggang.clock import this_year


@dataclass(frozen=True, slots=True)
class BranchRules:
    """How activity branches are formed (shuanggang.toml [branch] is read into this)."""

    min_size: int = 3
    max_size: int = 50
    scope: str = "community"  # or "street"
    weight_category: float = 5.0
    weight_slots: float = 3.0
    weight_locality: float = 1.0
    weight_underfill: float = 4.0
    weight_balance: float = 1.0
    weight_split: float = 2.0
    weight_small: float = 1.0
    # A category part leaves its organisation's group only from this size; 0: 2 × min_size.
    split_size: int = 0
    fallback_category: str = "综合服务"
    year: int = field(default_factory=this_year)  # the working year; the run sets it

    @property
    def split_at(self) -> int:
        return self.split_size or 2 * self.min_size


@dataclass(frozen=True, slots=True)
class Weights:
    """The assessment settings (shuanggang.toml [assessment] is read into this)."""

    weight_participation: float = 30.0
    weight_hours: float = 25.0
    weight_activities: float = 15.0
    weight_projects: float = 10.0
    weight_consultations: float = 10.0
    weight_rating: float = 10.0
    target_hours_per_member: float = 12.0
    target_activities_per_member: float = 4.0
    target_consultations: int = 2
    excellent: float = 85.0
    qualified: float = 70.0
    basic: float = 60.0
    excellent_cap: float = 0.30
    shrink_members: float = 5.0
    min_members: int = 5
    item_floor: float = 0.3


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Party recommendation thresholds (shuanggang.toml [recommendation])."""

    min_age: int = 18
    max_age: int = 28
    min_member_years: int = 1
    min_activities: int = 4
    min_hours: float = 12.0
