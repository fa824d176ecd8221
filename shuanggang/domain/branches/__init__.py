"""Forming activity branches 登记活动团支部; docs/branches.md explains the same rules and
score to staff.

Hard rules, always kept:
  * every member is in exactly one branch, and branches stay inside their scope
    (a community, or with ``scope="street"`` a street);
  * an organisation's members stay together as one unit, labelled by its largest
    category; a category part of at least ``split_at`` (``split_size``, else
    2 × ``min_size``) leaves as a unit of its own when both parts keep an adult, at most
    one part for an organisation of up to ``max_size`` (so it spans at most two
    branches); a unit above ``max_size`` is split evenly;
  * branches hold ``min_size``..``max_size`` members, except an organisation that refused
    merging (同意合编 = 否), which stands alone and is flagged when under ``min_size``,
    and a scope too small to reach ``min_size`` at all (flagged);
  * pins (organisation or member → branch name) are honoured first;
  * a rerun keeps members already placed where they are.

Soft goals, as one score to maximise (weights in ``[branch]`` of shuanggang.toml)::

    score = Σ_branches size · (w_category · purity + w_slots · coverage + w_locality · local)
            / members
            − w_underfill · members of wanting branches / members
            − w_small · members of branches under split_at / members
            − w_balance · Σ_branches |size − even share of its category| / members
            − w_split · Σ_orgs (branches it spans − 1) / orgs

  purity    share of the branch's members whose service category is the branch's;
  coverage  share of members free at the branch's best common time slot;
  local     share of members living in the branch's community (居住社区), or, at street
            scope, registered there;
  even share  the category's members divided evenly over its branches;
  wanting   under ``min_size``, or without a member of 18 or more to be secretary.

The penalties count members and organisations, not branches: opening another branch
never dilutes them.

The score is taken per scope; a plan's score is the scopes' scores weighted by members.

The method: build units, pack each category's units into ceil(total / max) branches
largest-first into the least-filled compatible branch, place what cannot reach
``min_size`` into the most compatible branch with room (else a joint 综合服务 branch),
then improve by moving and swapping units while the score rises. Every order is by
stable keys (organisations by name, community and key; members by ID number), never
by registration order: the same members give the same branches. Organisations are
carried as `OrgRef`, never as bare names, so two of one name stay apart; the only text
naming one (a placement reason) uses its display name.
"""

from typing import TYPE_CHECKING, Any

from shuanggang.domain.branches.model import (
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

if TYPE_CHECKING:
    from shuanggang.domain.branches.formation import form_branches, secretary
    from shuanggang.domain.branches.numerals import name_order
    from shuanggang.domain.branches.packing import org_units
    from shuanggang.domain.branches.scoring import majority_category, plan_score

# The search and its score load when first used: every command reads the settings, whose
# `[branch]` is `Rules`, and only assign-branches forms branches.
_LAZY = {
    "form_branches": "formation",
    "secretary": "formation",
    "name_order": "numerals",
    "org_units": "packing",
    "majority_category": "scoring",
    "plan_score": "scoring",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Bin",
    "Branch",
    "Existing",
    "Person",
    "Pins",
    "Placement",
    "Plan",
    "Rules",
    "Unit",
    "form_branches",
    "majority_category",
    "name_order",
    "org_units",
    "plan_score",
    "secretary",
]
