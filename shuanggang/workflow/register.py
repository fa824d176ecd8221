"""Checking organisations in at a launch ceremony (`register`).

For each member sheet: read and check it, decide the org and community, and in one
transaction store the org and its members, archive the file, claim projects and hand
out the letter number; then render the letters. A file that is rejected changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shuanggang import clock, fsutil
from shuanggang.domain import values as v
from shuanggang.domain.checkin import (
    OpenProject,
    ProjectFit,
    consents,
    letter_number,
    org_name_from,
    rank_projects,
    registration_outcome,
)
from shuanggang.domain.findings import ERROR, Finding, escalate, finding_order, has_errors
from shuanggang.domain.labels import Kind, Outcome
from shuanggang.domain.privacy import mask_id
from shuanggang.domain.values import text_key
from shuanggang.settings import Community, Settings
from shuanggang.sheets.reader import SheetRead, read_sheet
from shuanggang.store import Store, Workspace, registry
from shuanggang.store.archive import archive, file_hash
from shuanggang.store.branches import PROFILE
from shuanggang.store.records import ProjectRecord
from shuanggang.workflow.letters import LetterWriter, checkin_letter

REGISTERED, UNCHANGED, REPLACED, REJECTED = (
    Outcome.REGISTERED,
    Outcome.UNCHANGED,
    Outcome.REPLACED,
    Outcome.REJECTED,
)


@dataclass(frozen=True, slots=True)
class RegisterOptions:
    community: str | None = None
    org: str | None = None
    claim: tuple[str, ...] = ()  # project numbers this file's organisation claims
    # More claims by organisation name (--claim 单位=2026-01,2026-03), for whichever file
    # turns out to be that organisation's.
    claim_by_org: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def claims_for(self, org: str) -> tuple[str, ...]:
        extra = [n for name, nums in self.claim_by_org if text_key(name) == text_key(org)
                 for n in nums]  # fmt: skip
        return tuple(dict.fromkeys([*self.claim, *extra]))

    replace: bool = False
    dry_run: bool = False
    letters: tuple[str, ...] = ("html", "docx")
    strict: bool = False
    include_hidden: bool = False  # hidden rows and sheets are left out unless asked for
    on: date | None = None  # the ceremony's date, printed on the letters (default: today)


@dataclass(slots=True)
class Registration:
    file: Path
    status: Outcome = REJECTED
    org: str = ""
    org_source: str = ""  # --org, 填表单位, 标题 or 文件名
    community: str = ""
    community_source: str = ""  # --community or 报到社区
    members: int = 0
    letter_number: str = ""
    claimed: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[ProjectFit] = field(default_factory=list)
    org_id: int | None = None
    dropped_members: int = 0  # --replace: members no longer on the list, removed
    dropped_services: int = 0  # and their service records, removed with them
    letters_due: bool = False  # stored anew, or new claims: the letters must be rewritten

    def reject(self, message: str, hint: str = "", *, code: str, **where: str) -> Registration:
        self.status = REJECTED
        finding = Finding(ERROR, message, hint, code=code, file=self.file.name, **where)
        self.findings.append(finding)
        return self

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "status": self.status,
            "org": self.org,
            "org_source": self.org_source,
            "community": self.community,
            "community_source": self.community_source,
            "members": self.members,
            "dropped_members": self.dropped_members,
            "dropped_services": self.dropped_services,
            "letter_number": self.letter_number,
            "claimed": self.claimed,
            "outputs": [str(p) for p in self.outputs],
            "findings": [f.as_dict() for f in self.findings],
            "suggested_projects": [
                {"project_no": s.project.project_no, "title": s.project.title, "reason": s.reason}
                for s in self.suggestions
            ],
        }


def _org_of(sheet: SheetRead, options: RegisterOptions, settings: Settings) -> tuple[str, str]:
    """The organisation's name and where it came from: --org, else the sheet's 填表单位
    line, else its title, else the file name (without what offices add to names)."""
    found = [
        ("--org", (options.org or "").strip()),
        ("填表单位", sheet.preamble.get("org", "").strip()),
        ("标题", org_name_from(sheet.title) if sheet.title else ""),
        ("文件名", org_name_from(sheet.file.stem)),
    ]
    source, name = next(((s, n) for s, n in found if n), ("文件名", sheet.file.stem))
    return settings.aliases.org(name), source


class Rejected(Exception):
    """Raised inside the transaction to roll it back; the registration says why."""


def register_files(
    ws: Workspace,
    store: Store,
    settings: Settings,
    jobs: Sequence[tuple[Path, RegisterOptions]],
    progress: Callable[[Registration], None] | None = None,
) -> list[Registration]:
    """Register each (file, options); then write one combined file of all new letters.

    Letters are derived from the store: a registration that changed nothing still gets
    its letter written if the file is missing (a run interrupted between saving and
    writing leaves nothing that a later run does not make good)."""
    with fsutil.synced_at_end():  # one sync for all the letters
        writer = LetterWriter(ws, jobs[0][1].letters if jobs else ())
        results = []
        for path, options in jobs:
            result = register_file(ws, store, settings, path, options)
            result.findings.sort(key=finding_order)
            results.append(result)
            if progress is not None:
                progress(result)  # saved (or refused); its letters come next
            if result.org_id and not options.dry_run and options.letters:
                with store.reading():
                    letter = checkin_letter(store, settings, result.org_id)
                if result.letters_due or writer.missing(letter):
                    result.outputs = writer.one(letter)
        done = [r for r in results if r.outputs]
        if len(done) > 1:
            letters = [checkin_letter(store, settings, r.org_id or 0) for r in done]
            label = f"{letters[0].number}等{len(letters)}份"
            combined = writer.combined(letters, label)
            for r in done:
                r.outputs.extend(combined)
    return results


def register_file(
    ws: Workspace, store: Store, settings: Settings, path: Path, options: RegisterOptions
) -> Registration:
    outcome = Registration(path)
    sheet = read_sheet(path, settings, strict=options.strict, include_hidden=options.include_hidden)
    # The community is decided below, --community first (the person at the desk decides),
    # and said once: not again as the reader's view of the sheet's line.
    sheet.findings[:] = [f for f in sheet.findings if f.code != "community-unknown"]
    outcome.findings = list(sheet.findings)
    if sheet.kind and sheet.kind != "members":
        return outcome.reject(
            f"{path.name} 是{Kind(sheet.kind).book_title}，不是《团员信息汇总表》",
            "报到登记只收团员信息汇总表；项目台账用 shuanggang projects import，"
            "服务台账用 shuanggang services import",
            code="file-wrong-kind",
        )
    if sheet.layout is None:
        outcome.status = REJECTED  # nothing could be read: the reader said why
        return outcome
    # A sheet with errors still goes on to the checks against the store (members
    # registered elsewhere, claims), so one run says everything wrong with the file.
    outcome.org, outcome.org_source = _org_of(sheet, options, settings)
    stated = options.community or sheet.preamble.get("community")
    outcome.community_source = "--community" if options.community else "报到社区"
    if not stated:
        return outcome.reject(
            "无法确定报到社区：表中没有“报到社区：…”一行",
            "用 --community 指定，例如 --community 海岸路",
            field="community",
            code="community-missing",
        )
    community = settings.community_named(stated)
    if community is None:
        close = settings.communities_like(stated)
        return outcome.reject(
            f"报到社区“{stated}”不在本区社区名单中",
            (f"是否是：{'、'.join(close)}？" if close else "核对社区名称")
            + "也可以用 --community 指定，或在设置 [aliases.communities] 中加上这种写法",
            field="community",
            code="community-unknown",
            value=stated,
        )
    outcome.community = community.short
    outcome.members = len(sheet.records)
    if options.replace and not options.dry_run and sheet.ok:
        from shuanggang.store.backup import automatic

        automatic(ws, "更换名单前")
    try:
        _store(ws, store, settings, sheet, community, options, outcome)
    except _RolledBack:
        pass  # a dry run, or nothing new: the status stands, the store is as it was
    except Rejected:
        outcome.status = REJECTED
    if options.strict:
        outcome.findings = escalate(outcome.findings)
    return outcome


def _categorize_by_org(rows: list[dict[str, Any]], org: str, settings: Settings) -> None:
    """A member whose own texts name no category takes the one the organisation's name
    gives (律师事务所, 医院 …), before the last category."""
    fallback = settings.categories[-1].name
    categorize = v.categorizer(tuple((c.name, c.keywords) for c in settings.categories))
    for row in rows:
        if row["category"] == fallback:
            own = tuple(str(row.get(n) or "") for n in PROFILE)
            row["category"] = categorize.decide(own, (org,)).category


def _store(
    ws: Workspace,
    store: Store,
    settings: Settings,
    sheet: SheetRead,
    community: Community,
    options: RegisterOptions,
    outcome: Registration,
) -> None:
    digest = file_hash(sheet.file)
    # Rows whose ID could not be read are not members yet (the reader has said why).
    records = [r for r in sheet.records if r.values.get("id_number")]
    rows = [registry.member_row(r.values, f"{sheet.sheet}!{r.cell('id_number')}") for r in records]
    _categorize_by_org(rows, outcome.org, settings)
    cells = {r.values["id_number"]: r.cell("id_number") for r in records}
    on = (options.on or clock.today()).isoformat()
    street = settings.street_of(community).name
    with store.change("register", f"{outcome.org} @ {community.short}", digest) as tx:
        tx.sync_divisions(settings.streets)
        cid = registry.community_id(tx, community.short)
        existing = registry.find_org(tx, outcome.org, community.short)
        org_id = existing.ref.id if existing else None
        _refuse_conflicts(tx, [r["id_number"] for r in rows], org_id, cells, sheet, outcome)
        projects = _claimable(tx, community.short, options.claims_for(outcome.org), outcome)
        if has_errors(outcome.findings):
            raise Rejected
        outcome.status = registration_outcome(
            known=existing is not None,
            same_members=existing is not None and registry.same_members(tx, existing.ref.id, rows),
            replace=options.replace,
        )
        if outcome.status == REJECTED:
            outcome.reject(
                f"{outcome.org} 已在{community.short}社区报到，这份名单与已登记的不同",
                "确认要更换名单，请加 --replace（原介绍信编号不变）",
                code="org-already-registered",
            )
            raise Rejected
        if outcome.status in (REGISTERED, REPLACED):
            if not options.dry_run:  # the file's index row must exist before the org's
                archive(tx, ws.archive_dir, sheet.file, "members", digest)
            org_id = registry.save_org(
                tx,
                org_id=org_id,
                name=outcome.org,
                cid=cid,
                consent=consents(r.values.get("consent") for r in sheet.records),
                file_hash=None if options.dry_run else digest,
                at=on,
            )
            outcome.dropped_members, outcome.dropped_services = registry.put_members(
                tx, org_id, rows
            )
        assert org_id is not None
        before = registry.claimed(tx, org_id)
        registry.claim(tx, org_id, [p.id for p in projects], on)
        registry.claim_as_ledgers_say(tx, community.short, on)  # the ledger named this org
        seq, new = registry.letter_seq(
            tx, kind="checkin", issuer=street, year=settings.year, org_id=org_id
        )
        outcome.letter_number = letter_number(
            settings.letters.checkin_number,
            street=street,
            community=community.short,
            year=settings.year,
            seq=seq,
        )
        if new:
            registry.record_letter(
                tx,
                kind="checkin",
                issuer=street,
                year=settings.year,
                seq=seq,
                number=outcome.letter_number,
                org_id=org_id,
                issued_on=on,
            )
        after = registry.claimed(tx, org_id)
        outcome.claimed = [f"{number} {title}" for number, title in after]
        outcome.org_id = org_id
        if not options.claims_for(outcome.org):
            outcome.suggestions = _suggest(tx, community.short, org_id, sheet)
        outcome.letters_due = outcome.status != UNCHANGED or before != after
        if options.dry_run or not outcome.letters_due:
            raise _RolledBack


class _RolledBack(Exception):
    """A dry run, or a file that changes nothing: roll back, keep the status."""


def _refuse_conflicts(
    store: Store,
    ids: list[str],
    org_id: int | None,
    cells: dict[str, str],
    sheet: SheetRead,
    outcome: Registration,
) -> None:
    found = registry.conflicts(store, ids, org_id)
    if not found:
        return
    for c in found:
        outcome.reject(
            f"{mask_id(c.id_number)} 已由{c.org.community}社区的{c.org.name}登记",
            "一名团员只能随一个单位报到；核对后从其中一份名单删除",
            code="member-registered-elsewhere",
            sheet=sheet.sheet,
            cell=cells[c.id_number],
            field="id_number",
            value=mask_id(c.id_number),
        )


def _claimable(
    store: Store, community: str, numbers: Sequence[str], outcome: Registration
) -> list[ProjectRecord]:
    projects = {p.project_no: p for p in registry.projects_of(store, community)}
    unknown = [n for n in numbers if n not in projects]
    if unknown:
        listed = "、".join(projects) or "（该社区还没有导入项目台账）"
        outcome.reject(
            f"{outcome.community}社区没有编号为 {'、'.join(unknown)} 的项目",
            f"可认领的项目编号：{listed}",
            code="claim-unknown",
            field="claim",
        )
    return [projects[n] for n in numbers if n in projects]


def _suggest(store: Store, community: str, org_id: int, sheet: SheetRead) -> list[ProjectFit]:
    open_projects = [
        OpenProject(p.project_no, p.title, p.category, p.schedule)
        for p in registry.projects_of(store, community)
        if all(o.id != org_id for o in p.claimed_by)
    ]
    return rank_projects(
        open_projects,
        [r.values["category"] for r in sheet.records],
        [r.values["slots"] for r in sheet.records],
    )
