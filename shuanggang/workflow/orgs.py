"""Correcting an organisation after check-in: `orgs rename|move|withdraw`, and naming
organisations on the command line (also for `letters`).

Each correction is one audited change (`Store.change`), decided inside the write lock;
`--dry-run` makes it and rolls it back. Letters are written after the commit: a renamed
or moved organisation's check-in letter is made again under its number.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shuanggang import clock, fsutil
from shuanggang.domain.findings import ERROR, Finding
from shuanggang.domain.model import OrgRef
from shuanggang.errors import ShuanggangError
from shuanggang.render.letters import FORMATS
from shuanggang.settings import Community, Settings
from shuanggang.store import Store, Workspace, registry
from shuanggang.store import orgs as store_orgs
from shuanggang.store.orgs import OrgState
from shuanggang.workflow.letters import (
    LetterWriter,
    checkin_letter,
    checkin_stem,
    feedback_folder,
)

DONE, DRY_RUN, UNCHANGED, REFUSED = "done", "dry-run", "unchanged", "refused"


class Refused(ShuanggangError):
    """A correction or a selection that cannot be made, as a finding with its code."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message, finding.hint)
        self.finding = finding


def _refuse(message: str, hint: str, *, code: str, value: str = "") -> Refused:
    return Refused(Finding(ERROR, message, hint, code=code, value=value))


def community_of(settings: Settings, text: str) -> Community:
    found = settings.community_named(text)
    if found is None:
        close = settings.communities_like(text)
        raise _refuse(
            f"社区“{text}”不在本区社区名单中",
            f"是否是：{'、'.join(close)}？" if close else "核对社区名称",
            code="community-unknown",
            value=text,
        )
    return found


def resolve(store: Store, settings: Settings, name: str, community: str | None) -> OrgState:
    """The organisation a person means by a name (and a community where the name is not
    unique); withdrawn organisations included. Refused with the candidates otherwise."""
    name = settings.aliases.org(name.strip())
    found = store_orgs.named(store, name)
    where = ""
    if community:
        short = community_of(settings, community).short
        found = [o for o in found if o.ref.community == short]
        where = f"在{short}社区"
    if not found:
        close = difflib.get_close_matches(name, store_orgs.all_names(store), n=3, cutoff=0.4)
        raise _refuse(
            f"没有{where}报到的单位“{name}”",
            (f"是否是：{'、'.join(close)}？" if close else "")
            + "用 shuanggang orgs list 查看已报到的单位",
            code="org-not-registered",
            value=name,
        )
    if len(found) > 1 and len({o.ref.community for o in found}) == 1:
        active = [o for o in found if o.active]
        if len(active) == 1:
            return active[0]
    if len(found) > 1:
        listed = "、".join(
            o.ref.qualified() + ("（已撤回）" if not o.active else "") for o in found
        )
        raise _refuse(
            f"有 {len(found)} 个名为“{name}”的单位：{listed}",
            "用 --community 指定社区",
            code="org-ambiguous",
            value=name,
        )
    return found[0]


def active(org: OrgState) -> OrgState:
    """The organisation, refused if it was withdrawn."""
    if not org.active:
        raise _refuse(
            f"{org.ref.qualified()} 已于 {org.withdrawn_on} 撤回",
            "撤回的单位不能再更正；重新报到用 shuanggang register（发给新的介绍信编号）",
            code="org-withdrawn",
            value=org.ref.name,
        )
    return org


def select(
    store: Store,
    settings: Settings,
    *,
    org: str | None,
    community: str | None,
    everyone: bool,
) -> tuple[list[int], str]:
    """The active organisations `letters` remakes, and the name of the set: one org
    (`--org`, with `--community` where its name is not unique), a community's, or all."""
    with store.reading():
        if org:
            found = active(resolve(store, settings, org, community))
            return [found.ref.id], f"{found.ref.community}社区_{found.ref.name}"
        if community:
            short = community_of(settings, community).short
            ids, label = store_orgs.active_in(store, short), f"{short}社区"
        elif everyone:
            ids, label = store_orgs.active_in(store, None), "全部"
        else:
            raise ShuanggangError("请指定 --org、--community 或 --all")
    if not ids:
        raise _refuse(
            f"{label}没有已报到的单位", "用 shuanggang orgs list 查看", code="org-not-registered"
        )
    return ids, label


@dataclass(slots=True)
class Correction:
    """What a correction did (or would do, or why not)."""

    action: str  # rename | move | withdraw
    org: OrgRef | None = None
    status: str = REFUSED
    changes: list[str] = field(default_factory=list)
    letter_number: str = ""
    outputs: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # letter files of the old name/place
    stale: list[Path] = field(default_factory=list)  # files now out of date, left in place
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "org": self.org.name if self.org else "",
            "community": self.org.community if self.org else "",
            "status": self.status,
            "changes": self.changes,
            "letter_number": self.letter_number,
            "outputs": [str(p) for p in self.outputs],
            "removed": [str(p) for p in self.removed],
            "stale": [str(p) for p in self.stale],
            "findings": [f.as_dict() for f in self.findings],
        }


class _RolledBack(Exception):
    """A dry run, or nothing to change: roll the transaction back."""


def _checkin_number(store: Store, settings: Settings, org_id: int) -> str:
    letter = registry.letter_of(store, "checkin", org_id, settings.year)
    return letter.number if letter else ""


def _feedback_files(ws: Workspace, settings: Settings, ref: OrgRef) -> list[Path]:
    """The organisation's feedback letter files, now out of date (named as `report` names
    them: with the community where the name is shared)."""
    folder = feedback_folder(ws, settings.year)
    stems = (f"{ref.name}_考评结果反馈函", f"{ref.qualified()}_考评结果反馈函")
    paths = (fsutil.inside(folder, f"{stem}.{fmt}") for stem in stems for fmt in FORMATS)
    return [p for p in paths if p.exists()]


def _correct(
    ws: Workspace,
    store: Store,
    settings: Settings,
    result: Correction,
    name: str,
    community: str | None,
    detail: str,
    apply: Any,
    *,
    dry_run: bool,
) -> OrgState | None:
    """Resolve the org, then `apply(tx, org)` inside one audited change (rolled back for a
    dry run or when it returns False: nothing to change). Returns the org as it was."""
    try:
        with store.reading():
            first = resolve(store, settings, name, community)
        audit = detail.replace("{org}", first.ref.qualified())
        with store.change(f"orgs {result.action}", audit) as tx:
            tx.sync_divisions(settings.streets)
            org = active(resolve(tx, settings, name, community))
            result.org = org.ref
            result.letter_number = _checkin_number(tx, settings, org.ref.id)
            if not apply(tx, org):
                result.status = UNCHANGED
                raise _RolledBack
            result.status = DRY_RUN if dry_run else DONE
            if dry_run:
                raise _RolledBack
        return org
    except _RolledBack:
        return None
    except Refused as exc:
        result.status = REFUSED
        result.findings.append(exc.finding)
        return None


def _remake(
    ws: Workspace,
    store: Store,
    settings: Settings,
    result: Correction,
    before: OrgState,
    formats: Sequence[str],
) -> None:
    """The check-in letter again under its number; the old name's or place's files go."""
    writer = LetterWriter(ws, formats)
    old = writer.files_of(checkin_stem(before.ref.community, before.ref.name))
    if formats:
        with store.reading():
            letter = checkin_letter(store, settings, before.ref.id)
        result.outputs = writer.one(letter)
    kept = {p.resolve() for p in result.outputs}
    for path in old:
        if path.resolve() not in kept:
            path.unlink()
            result.removed.append(path)
    result.stale = _feedback_files(ws, settings, before.ref)


def rename(
    ws: Workspace,
    store: Store,
    settings: Settings,
    name: str,
    community: str | None,
    new_name: str,
    *,
    dry_run: bool = False,
    formats: Sequence[str] = ("html", "docx"),
) -> Correction:
    """The organisation takes a new name; its letter number stays, its check-in letter is
    printed again (the register row says 已重印)."""
    result = Correction("rename")
    new_name = new_name.strip()
    today = clock.today().isoformat()

    def apply(tx: Store, org: OrgState) -> bool:
        if not new_name:
            raise _refuse("新名称是空的", "写出单位的完整名称", code="org-name-empty")
        if org.ref.name == new_name:
            return False
        taken = store_orgs.org_in(tx, new_name, org.ref.community)
        if taken is not None and taken.id != org.ref.id:
            raise _refuse(
                f"{org.ref.community}社区已有名为“{taken.name}”的单位",
                "换一个名称；同一社区内单位名称不能重复（已撤回的单位也占用其名称）",
                code="org-name-taken",
                value=new_name,
            )
        store_orgs.rename(tx, org.ref.id, new_name)
        numbers = store_orgs.mark_letters(
            tx, org.ref.id, "reprinted", f"已重印：原名{org.ref.name}，{today}更名", kind="checkin"
        )
        result.changes.append(f"单位名称：{org.ref.name} → {new_name}")
        result.changes += [f"介绍信 {n} 编号不变，按新名称重印" for n in numbers]
        return True

    before = _correct(
        ws,
        store,
        settings,
        result,
        name,
        community,
        f"{{org}} → {new_name}",
        apply,
        dry_run=dry_run,
    )
    if before is not None:
        _remake(ws, store, settings, result, before, formats)
    return result


def move(
    ws: Workspace,
    store: Store,
    settings: Settings,
    name: str,
    community: str | None,
    to: str,
    *,
    dry_run: bool = False,
    formats: Sequence[str] = ("html", "docx"),
) -> Correction:
    """The organisation checks in at another community: its claims (projects of the old
    community's ledger) and its members' branch placements are released; its letter
    number stays and its check-in letter is printed again for the new community."""
    result = Correction("move")
    try:
        target = community_of(settings, to)
    except Refused as exc:
        result.findings.append(exc.finding)
        return result
    today = clock.today().isoformat()

    def apply(tx: Store, org: OrgState) -> bool:
        if org.ref.community == target.short:
            return False
        taken = store_orgs.org_in(tx, org.ref.name, target.short)
        if taken is not None:
            raise _refuse(
                f"{target.short}社区已有名为“{taken.name}”的单位",
                "同一社区内单位名称不能重复；先改名（shuanggang orgs rename）再迁移",
                code="org-name-taken",
                value=org.ref.name,
            )
        claims = store_orgs.release_claims(tx, org.ref.id)
        placed = store_orgs.release_placements(tx, org.ref.id)
        store_orgs.set_community(tx, org.ref.id, registry.community_id(tx, target.short))
        numbers = store_orgs.mark_letters(
            tx,
            org.ref.id,
            "reprinted",
            f"已重印：{org.ref.community}社区迁至{target.short}社区，{today}",
            kind="checkin",
        )
        result.changes.append(f"报到社区：{org.ref.community} → {target.short}")
        result.changes += [f"释放认领：{number} {title}" for number, title in claims]
        if placed:
            result.changes.append(f"{placed} 名团员移出活动团支部，下次 assign-branches 重新编组")
        result.changes += [f"介绍信 {n} 编号不变，按新社区重印" for n in numbers]
        return True

    before = _correct(
        ws,
        store,
        settings,
        result,
        name,
        community,
        f"{{org}} → {target.short}社区",
        apply,
        dry_run=dry_run,
    )
    if before is not None:
        _remake(ws, store, settings, result, before, formats)
    return result


def withdraw(
    ws: Workspace,
    store: Store,
    settings: Settings,
    name: str,
    community: str | None,
    reason: str,
    *,
    on: date | None = None,
    dry_run: bool = False,
) -> Correction:
    """The organisation withdraws: its claims and branch placements are released, its
    letter numbers are void (never handed out again), and it and its members leave every
    list, figure and export; their rows and service records stay as history."""
    result = Correction("withdraw")
    day = (on or clock.today()).isoformat()
    reason = reason.strip()

    def apply(tx: Store, org: OrgState) -> bool:
        claims = store_orgs.release_claims(tx, org.ref.id)
        placed = store_orgs.release_placements(tx, org.ref.id)
        store_orgs.withdraw(tx, org.ref.id, day, reason)
        numbers = store_orgs.mark_letters(
            tx, org.ref.id, "void", f"{org.ref.qualified()} {day} 撤回：{reason}"
        )
        result.changes.append(f"撤回：{day}，{reason}")
        result.changes += [f"释放认领：{number} {title}" for number, title in claims]
        if placed:
            result.changes.append(f"{placed} 名团员移出活动团支部")
        result.changes.append(
            f"{org.members} 名团员不再计入编组、考评和导出（记录保留；可随其他单位报到）"
        )
        result.changes += [f"{n} 作废（编号不再使用）" for n in numbers]
        return True

    before = _correct(
        ws,
        store,
        settings,
        result,
        name,
        community,
        f"{{org}}：{reason}",
        apply,
        dry_run=dry_run,
    )
    if before is not None:
        writer = LetterWriter(ws, ())
        for path in writer.files_of(checkin_stem(before.ref.community, before.ref.name)):
            path.unlink()  # a void letter is not printed by mistake
            result.removed.append(path)
        result.stale = _feedback_files(ws, settings, before.ref)
    return result
