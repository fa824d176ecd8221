"""The identities the whole program carries: an organisation is its key, not its name.

Two organisations may share a display name in different communities; everything from the
store to the last renderer carries an `OrgRef`, and names are only turned into text at
the edge, through `org_labels`, which adds the community where names collide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class OrgRef:
    """An organisation: its display name, its community's short name and its store key.

    Ordered by name, then community, so every listing is stable whatever the order of
    registration; equal only when the key is equal too.
    """

    name: str
    community: str
    id: int

    def qualified(self) -> str:
        """The name with its community: 烟台山医院团委（海岸路社区）."""
        return f"{self.name}（{self.community}社区）"


def org_labels(orgs: Iterable[OrgRef]) -> dict[OrgRef, str]:
    """How to show each organisation: its name, with the community added where two of
    `orgs` share the name."""
    orgs = list(orgs)
    counts = Counter(o.name for o in orgs)
    return {o: o.qualified() if counts[o.name] > 1 else o.name for o in orgs}
