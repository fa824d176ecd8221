"""`services import`: a year's service logs 《服务活动台账》 and consultation records
《互通协商记录》, in either real shape: one row per member per activity, or one row per
activity with a participant list. Every name is resolved to a registered member, or
becomes a finding at its cell: never a silent guess."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuanggang.domain.divisions import community_key, find_community_in
from shuanggang.domain.findings import ERROR, WARNING, Finding, finding_order
from shuanggang.domain.labels import Outcome
from shuanggang.domain.privacy import mask_id
from shuanggang.domain.values import text_key
from shuanggang.settings import Community, Settings
from shuanggang.sheets.reader import Record, SheetRead, read_sheet
from shuanggang.store import Store, Workspace, registry
from shuanggang.store import services as stored
from shuanggang.store.archive import archive, file_hash
from shuanggang.store.services import EarlierFile, RosterEntry

IMPORTED, UNCHANGED, REPLACED, REJECTED = (
    Outcome.IMPORTED,
    Outcome.UNCHANGED,
    Outcome.REPLACED,
    Outcome.REJECTED,
)


@dataclass(slots=True)
class LogImport:
    file: Path
    kind: str = ""
    status: Outcome = REJECTED
    rows: int = 0  # service rows (one per member per activity) or consultations stored
    replaced: int = 0
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "kind": self.kind,
            "status": self.status,
            "rows": self.rows,
            "replaced": self.replaced,
            "findings": [f.as_dict() for f in self.findings],
        }


class _Roster:
    """Registered members, found the ways a log names them."""

    def __init__(self, store: Store) -> None:
        self.by_id: dict[str, RosterEntry] = {}
        self.by_no: dict[str, RosterEntry] = {}
        self.by_name: dict[str, list[RosterEntry]] = defaultdict(list)
        self.orgs: set[str] = set()
        for m in stored.roster(store):
            self.orgs.add(text_key(m.org.name))
            self.by_id[m.id_number] = m
            if m.member_no:
                self.by_no[m.member_no] = m
            self.by_name[text_key(m.name)].append(m)

    def find(
        self, name: str, values: dict[str, Any], community: str | None, *, alone: bool = True
    ) -> tuple[RosterEntry | None, Miss | None]:
        """The member a row means, or None and why: by ID or member number (when the row
        names one person), else by name within the row's org, else its branch, else its
        community."""
        if alone and values.get("id_number"):
            found = self.by_id.get(values["id_number"])
            missing = Miss(code="id-not-registered", message="这个身份证号没有报到登记")
            return found, None if found else missing
        if alone and values.get("member_no"):
            found = self.by_no.get(str(values["member_no"]))
            missing = Miss(
                code="member-no-unknown", message=f"团员编号 {values['member_no']} 没有登记"
            )
            return found, None if found else missing
        org = values.get("org")
        if org and text_key(org) not in self.orgs:
            return None, Miss(
                code="org-not-registered",
                message=f"报到单位“{org}”没有报到登记",
                hint=_did_you_mean(org, sorted({m.org.name for m in self.everyone()})),
            )
        candidates = self.by_name.get(text_key(name), [])
        for key in ("org", "branch", "community"):
            wanted = community if key == "community" else values.get(key)
            if not wanted:
                continue
            narrowed = [m for m in candidates if text_key(_named(m, key)) == text_key(wanted)]
            if len(narrowed) == 1:
                return narrowed[0], None
            if len(narrowed) > 1:
                return None, Miss(
                    code="name-ambiguous",
                    message=f"{wanted}有 {len(narrowed)} 名团员叫“{name}”",
                    hint="请填写身份证号",
                )
        if len(candidates) == 1 and not (org or values.get("branch")):
            return candidates[0], None
        if len(candidates) > 1:
            places = "、".join(sorted(f"{m.org.community}社区{m.org.name}" for m in candidates))
            return None, Miss(
                code="name-ambiguous",
                message=f"有 {len(candidates)} 名团员叫“{name}”（{places}）",
                hint="请填写报到单位或身份证号",
            )
        return None, Miss(
            code="name-unknown",
            message=f"找不到名为“{name}”的已登记团员",
            hint=self.nearest(name, values, community),
        )

    def everyone(self) -> list[RosterEntry]:
        return [m for ms in self.by_name.values() for m in ms]

    def nearest(self, name: str, values: dict[str, Any], community: str | None) -> str:
        """“是否是：…” with the closest registered names, in the row's org, else its
        community, else anywhere."""
        import difflib

        org = text_key(values.get("org") or "")
        everyone = self.everyone()
        for scope in (
            [m for m in everyone if org and text_key(m.org.name) == org],
            [m for m in everyone if community and m.community == community],
            everyone,
        ):
            names = sorted({m.name for m in scope})
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
            if close:
                shown = [
                    f"{m.name}（{m.community}社区，{m.org.name}）"
                    for m in sorted(scope, key=lambda m: (m.org, m.id))
                    if m.name in close
                ][:3]
                return f"是否是：{'、'.join(shown)}？"
        return "核对姓名，或补填身份证号、报到单位"


@dataclass(frozen=True, slots=True)
class Miss:
    """Why a row's member was not found: a finding's code, message and hint."""

    code: str
    message: str
    hint: str = "核对姓名，或补填身份证号、报到单位"


def _did_you_mean(text: str, known: list[str], otherwise: str = "核对报到单位名称") -> str:
    import difflib

    close = difflib.get_close_matches(text, known, n=3, cutoff=0.4)
    return f"是否是：{'、'.join(close)}？" if close else otherwise


class _RosterCache:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.version: int | None = None
        self.roster: _Roster | None = None

    def __call__(self) -> _Roster:
        version = self.store.data_version()
        if self.roster is None or version != self.version:
            self.roster, self.version = _Roster(self.store), version
        return self.roster


def _named(m: RosterEntry, key: str) -> str:
    """What a log's org, branch or community column would say of this member."""
    return {"org": m.org.name, "branch": m.branch, "community": m.org.community}[key]


def import_logs(
    ws: Workspace,
    store: Store,
    settings: Settings,
    paths: list[Path],
    *,
    replace: bool = False,
    include_hidden: bool = False,
) -> list[LogImport]:
    # The registered members, read once for all the logs (importing services changes no
    # member; a million members read per log took seconds each), and again only if
    # another command changed the store in between.
    roster = _RosterCache(store)
    return [_import(ws, store, settings, path, replace, roster, include_hidden) for path in paths]


def _import(
    ws: Workspace,
    store: Store,
    settings: Settings,
    path: Path,
    replace: bool,
    roster: Callable[[], _Roster],
    include_hidden: bool,
) -> LogImport:
    sheet = read_sheet(path, settings, include_hidden=include_hidden)
    outcome = LogImport(path, sheet.kind, findings=list(sheet.findings))
    if sheet.kind not in ("services", "consultations"):
        if sheet.kind:
            outcome.findings.append(
                Finding(
                    ERROR,
                    f"{path.name} 不是服务活动台账或互通协商记录",
                    "团员名单用 shuanggang register，项目台账用 shuanggang projects import",
                    code="file-wrong-kind",
                    file=path.name,
                )
            )
        return outcome
    if sheet.layout is None:
        return outcome  # nothing could be read: the reader said why
    digest = file_hash(path)
    table = "consultations" if sheet.kind == "consultations" else "services"
    if replace:
        from shuanggang.store.backup import automatic

        automatic(ws, "替换服务记录前")
    # Every decision (known file, earlier versions, who each name is) is made inside the
    # write transaction, on what it will write over: two imports of one file at once
    # cannot both pass, and a member removed meanwhile is not matched.
    try:
        with store.change("services import", f"{sheet.kind} {path.name}", digest) as tx:
            known = stored.records_from(tx, digest)
            if known is not None:
                outcome.status, outcome.rows = UNCHANGED, known
                raise _Unchanged
            # Every row the reader could read is matched even when others were wrong, so
            # one run reports every kind of problem: bad dates and unknown names together.
            community = _sheet_community(sheet, settings)
            if sheet.kind == "consultations":
                rows = _consultations(tx, sheet, settings, outcome)
            else:
                rows = _services(tx, settings, sheet, community, outcome, roster())
            earlier = stored.earlier_files(tx, table, rows, digest)
            same = [e for e in earlier if e.name == path.name]
            _check_earlier(outcome, earlier, same, len(rows), replace)
            if any(f.is_error for f in outcome.findings):
                raise _Refused
            for e in same if replace else ():
                outcome.replaced += stored.remove_file_records(tx, table, e.digest)
            archive(tx, ws.archive_dir, path, sheet.kind, digest)
            stored.insert_records(tx, table, rows, digest)
    except _Unchanged:
        return outcome
    except _Refused:
        outcome.status = REJECTED
        outcome.findings.sort(key=finding_order)
        return outcome
    outcome.status = REPLACED if outcome.replaced else IMPORTED
    outcome.rows = len(rows)
    outcome.findings.sort(key=finding_order)
    return outcome


class _Unchanged(Exception):
    """The file was imported before: roll back, nothing to do."""


class _Refused(Exception):
    """The file has errors: roll back; the findings say why."""


def _check_earlier(
    outcome: LogImport,
    earlier: list[EarlierFile],
    same: list[EarlierFile],
    incoming: int,
    replace: bool,
) -> None:
    """--replace replaces only the same source: an earlier import of a file with the same
    name. A file that is mostly another file's rows, and holds most of them, is refused (one
    ledger imported twice under two names); other repeats are a warning (one person, one
    day, two activities)."""
    where = outcome.file.name
    if same and not replace:
        outcome.findings.append(
            Finding(
                ERROR,
                f"同名文件 {where} 已导入过（{same[0].records} 条记录），这次的内容不同",
                "如果这是修正后的文件，请加 --replace 替换原文件导入的记录",
                code="log-already-imported",
                file=where,
            )
        )
    for e in earlier:
        if e in same:
            continue
        if e.repeated * 2 >= max(incoming, 1) and e.repeated * 2 >= e.records:
            outcome.findings.append(
                Finding(
                    ERROR,
                    f"有 {e.repeated} 条记录与已导入的 {e.name} 同一人同一天，像是同一份台账",
                    f"如果是 {e.name} 的修正版，请改用同一个文件名并加 --replace 导入；"
                    "--replace 只替换同名文件导入的记录",
                    code="log-overlaps",
                    file=where,
                )
            )
        else:
            outcome.findings.append(
                Finding(
                    WARNING,
                    f"有 {e.repeated} 条记录与已导入的 {e.name} 同一人同一天",
                    "确为不同的活动可忽略；重复登记的请从本文件删除",
                    code="service-duplicate",
                    file=where,
                )
            )


def _sheet_community(sheet: SheetRead, settings: Settings) -> str | None:
    for text in (sheet.preamble.get("community", ""), sheet.title, sheet.file.stem):
        found = settings.community_named(text) if text else None
        found = found or find_community_in(text, settings.communities())
        if found is not None:
            return found.short
    return None


def _cell(record: Record, name: str) -> str:
    return record.cell(name) if name in record.letters else f"A{record.row}"


def _services(
    store: Store,
    settings: Settings,
    sheet: SheetRead,
    community: str | None,
    outcome: LogImport,
    roster: _Roster,
) -> list[dict[str, Any]]:
    projects = stored.project_index(store)
    communities = stored.community_ids(store)
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[int, str], str] = {}
    # A log names a few communities row after row; finding one compares every community
    # of the settings (1,510 in a city), so each name is looked up once.
    named: dict[str, str | None] = {}
    for record in sheet.records:
        values = record.values
        said = str(values.get("community") or "")
        if said not in named:
            named[said] = _row_community(values, community, settings)
        row_community = named[said]
        names = list(values.get("participants", ())) or [values.get("member", "")]
        where = "participants" if values.get("participants") else "member"
        for name in names:
            member, miss = roster.find(name, values, row_community, alone=len(names) == 1)
            if member is None:
                assert miss is not None
                about_org = miss.code == "org-not-registered"
                column = "org" if about_org else where
                shown = mask_id(values["id_number"]) if values.get("id_number") else name
                outcome.findings.append(
                    Finding(
                        ERROR,
                        miss.message,
                        miss.hint,
                        code=miss.code,
                        field=column,
                        file=sheet.file.name,
                        sheet=sheet.sheet,
                        cell=_cell(record, column),
                        value=str(values.get("org")) if about_org else shown,
                    )
                )
                if about_org:
                    break  # one finding for the row's org, not one per participant
                continue
            if values.get("date") is None or values.get("hours") is None:
                continue  # the reader has said why; the name was still worth matching
            day = values["date"].iso()
            key = (member.id, day)
            if key in seen:
                outcome.findings.append(
                    Finding(
                        WARNING,
                        f"{member.name} 在 {day} 有两条服务记录（另见 {seen[key]}）",
                        "核对是否重复登记；确为两次活动可忽略",
                        code="service-duplicate",
                        field="date",
                        file=sheet.file.name,
                        sheet=sheet.sheet,
                        cell=_cell(record, "date"),
                    )
                )
            seen.setdefault(key, _cell(record, "date"))
            project = values.get("project")
            project_id = (
                projects.get((member.community, text_key(str(project)))) if project else None
            )
            if project and project_id is None:
                outcome.findings.append(
                    Finding(
                        WARNING,
                        f"{member.community}社区没有项目“{project}”",
                        _did_you_mean(
                            str(project),
                            sorted(k for c, k in projects if c == member.community),
                            otherwise="核对项目名称或编号",
                        )
                        + "；记录仍会导入",
                        code="project-unknown",
                        field="project",
                        file=sheet.file.name,
                        sheet=sheet.sheet,
                        cell=_cell(record, "project"),
                    )
                )
            rows.append(
                {
                    "source_cell": f"{sheet.sheet}!{_cell(record, where)}",
                    "date": day,
                    "community_id": communities[member.community],
                    "org_id": member.org.id,
                    "branch_id": member.branch_id,
                    "project_id": project_id,
                    "member_id": member.id,
                    "minutes": values["hours"],
                    "beneficiaries": values.get("beneficiaries"),
                    "content": values.get("content"),
                    "rating": values.get("rating"),
                }
            )
    return rows


def _row_community(values: dict[str, Any], default: str | None, settings: Settings) -> str | None:
    """The community a row names (aliases included), else the sheet's."""
    text = values.get("community")
    if not text:
        return default
    found = settings.community_named(text)
    return found.short if found else (community_key(text) or default)


def _consultations(
    store: Store, sheet: SheetRead, settings: Settings, outcome: LogImport
) -> list[dict[str, Any]]:
    rows = []
    orgs = registry.orgs(store)
    named: dict[str, Community | None] = {}  # each name looked up once, as for services
    for record in sheet.records:
        values = record.values
        said = values["community"]
        if said not in named:
            named[said] = settings.community_named(said)
        community = named[said]
        if community is None:
            outcome.findings.append(
                Finding(
                    ERROR,
                    f"社区“{values['community']}”不在本区社区名单中",
                    f"是否是：{'、'.join(close)}？"
                    if (close := settings.communities_like(values["community"]))
                    else "核对社区名称",
                    code="community-unknown",
                    field="community",
                    file=sheet.file.name,
                    sheet=sheet.sheet,
                    cell=_cell(record, "community"),
                )
            )
            continue
        org = registry.find_org(store, settings.aliases.org(values["org"]), community.short)
        if org is None:
            outcome.findings.append(
                Finding(
                    ERROR,
                    f"{values['org']} 没有在{community.short}社区报到",
                    _did_you_mean(
                        values["org"],
                        sorted(o.ref.name for o in orgs if o.ref.community == community.short),
                    ),
                    code="org-not-registered",
                    field="org",
                    file=sheet.file.name,
                    sheet=sheet.sheet,
                    cell=_cell(record, "org"),
                )
            )
            continue
        if values.get("date") is None:
            continue  # the reader has said why
        rows.append(
            {
                "date": values["date"].iso(),
                "community_id": registry.community_id(store, community.short),
                "org_id": org.ref.id,
                "form": values.get("form"),
                "summary": values.get("summary"),
            }
        )
    return rows
