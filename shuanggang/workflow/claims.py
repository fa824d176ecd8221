"""`claims add|remove`: an organisation's claims after the ceremony, one audited change,
and its check-in letter written again so it lists what it claims now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuanggang import clock
from shuanggang.domain.model import OrgRef
from shuanggang.errors import ShuanggangError
from shuanggang.settings import Settings
from shuanggang.store import Store, Workspace, registry
from shuanggang.workflow.letters import LetterWriter, checkin_letter


@dataclass(slots=True)
class ClaimChange:
    org: OrgRef
    changed: list[str] = field(default_factory=list)  # project numbers added or removed
    unchanged: list[str] = field(default_factory=list)  # already so
    claimed: list[str] = field(default_factory=list)  # all the org's claims afterwards
    outputs: list[Path] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "org": self.org.name,
            "community": self.org.community,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "claimed": self.claimed,
            "outputs": [str(p) for p in self.outputs],
        }


def find_org(store: Store, settings: Settings, name: str, community: str | None) -> OrgRef:
    """The active organisation a person names (the one resolver `orgs` uses too)."""
    from shuanggang.workflow.orgs import active, resolve

    return active(resolve(store, settings, name, community)).ref


class _DryRun(Exception):
    pass


def change_claims(
    ws: Workspace,
    store: Store,
    settings: Settings,
    org: OrgRef,
    numbers: Sequence[str],
    *,
    add: bool,
    dry_run: bool = False,
    letters: tuple[str, ...] = ("html", "docx"),
) -> ClaimChange:
    result = ClaimChange(org)
    verb = "claims add" if add else "claims remove"
    try:
        with store.change(verb, f"{org.name} @ {org.community}: {'、'.join(numbers)}") as tx:
            projects = {p.project_no: p for p in registry.projects_of(tx, org.community)}
            unknown = [n for n in numbers if n not in projects]
            if unknown:
                listed = "、".join(projects) or "（该社区还没有导入项目台账）"
                raise ShuanggangError(
                    f"{org.community}社区没有编号为 {'、'.join(unknown)} 的项目",
                    f"可认领的项目编号：{listed}",
                )
            held = {number for number, _ in registry.claimed(tx, org.id)}
            for n in numbers:
                (result.changed if (n not in held) == add else result.unchanged).append(n)
            ids = [projects[n].id for n in result.changed]
            if add:
                registry.claim(tx, org.id, ids, clock.today().isoformat())
            else:
                registry.unclaim(tx, org.id, ids)
            result.claimed = [f"{n} {t}" for n, t in registry.claimed(tx, org.id)]
            if dry_run or not result.changed:
                raise _DryRun
    except _DryRun:
        return result
    if letters and registry.letter_of(store, "checkin", org.id, settings.year) is not None:
        with store.reading():
            letter = checkin_letter(store, settings, org.id)
        result.outputs = LetterWriter(ws, letters).one(letter)
    return result
