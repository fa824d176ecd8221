"""Loading communities' project ledgers 《为民服务实事台账》 (`projects import`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuanggang import clock
from shuanggang.domain.divisions import find_community_in
from shuanggang.domain.findings import ERROR, Finding
from shuanggang.domain.labels import Kind, Outcome
from shuanggang.settings import Community, Settings
from shuanggang.sheets.reader import SheetRead, read_sheet
from shuanggang.store import Store, Workspace, registry
from shuanggang.store.archive import archive, file_hash


@dataclass(slots=True)
class LedgerImport:
    file: Path
    status: Outcome  # imported or rejected
    community: str = ""
    added: int = 0
    updated: int = 0
    kept: list[str] = field(default_factory=list)  # claimed projects the ledger dropped
    claimed: int = 0  # claims its 认领单位 column made for organisations registered already
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "status": self.status,
            "community": self.community,
            "added": self.added,
            "updated": self.updated,
            "kept_claimed": self.kept,
            "claimed": self.claimed,
            "findings": [f.as_dict() for f in self.findings],
        }


def resolve_community(text: str, settings: Settings) -> tuple[Community | None, str]:
    """The community a name means, or None with a message suggesting the closest ones."""
    found = settings.community_named(text)
    if found is not None:
        return found, ""
    close = settings.communities_like(text)
    hint = f"是否是：{'、'.join(close)}？" if close else "检查社区名称，或在 shuanggang.toml 中添加"
    return None, f"社区“{text}”不在本区社区名单中。{hint}"


def _community_of(
    result: SheetRead, given: str | None, settings: Settings
) -> tuple[Community | None, str]:
    """--community, else 报到社区/接收社区 in the preamble, else a community named in the
    title, the 填报单位 line or the file name (海岸路社区为民服务实事台账)."""
    stated = given or result.preamble.get("community")
    if stated:
        return resolve_community(stated, settings)
    for text in (result.title, result.preamble.get("org", ""), result.file.stem):
        found = find_community_in(text, settings.communities())
        if found is not None:
            return found, ""
    return None, "无法确定是哪个社区的台账：请用 --community 指定"


def _project_rows(result: SheetRead) -> list[dict[str, Any]]:
    rows = []
    for i, record in enumerate(result.records, 1):
        values = dict(record.values)
        values["project_no"] = str(values.get("project_no") or f"{i:02d}")
        values["claim_text"] = values.pop("claimed_by", None) or None  # 认领单位 as written
        rows.append(values)
    return rows


def import_ledgers(
    ws: Workspace, store: Store, settings: Settings, paths: list[Path], community: str | None = None
) -> list[LedgerImport]:
    out = []
    for path in paths:
        result = read_sheet(path, settings)
        outcome = LedgerImport(path, Outcome.REJECTED, findings=list(result.findings))
        out.append(outcome)
        if result.kind and result.kind != "projects":
            outcome.findings.append(
                Finding(
                    ERROR,
                    f"{path.name} 不是《为民服务实事台账》（识别为{Kind(result.kind).book_title}）",
                    "项目台账用 shuanggang projects import，团员名单用 shuanggang register",
                    code="file-wrong-kind",
                    file=path.name,
                )
            )
            continue
        if not result.ok:
            continue
        found, problem = _community_of(result, community, settings)
        if found is None:
            outcome.findings.append(
                Finding(
                    ERROR,
                    problem,
                    "用 --community 指定社区简称，如 海岸路",
                    code="community-unknown"
                    if community or result.preamble.get("community")
                    else "community-missing",
                    field="community",
                    file=path.name,
                )
            )
            continue
        rows = _project_rows(result)
        numbers = [r["project_no"] for r in rows]
        duplicated = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicated:
            outcome.findings.append(
                Finding(
                    ERROR,
                    f"项目编号重复：{'、'.join(duplicated)}",
                    "每个项目的编号应唯一",
                    code="project-number-duplicate",
                    field="project_no",
                    file=path.name,
                )
            )
            continue
        digest = file_hash(path)
        with store.change("projects import", f"{found.short} {path.name}", digest) as tx:
            tx.sync_divisions(settings.streets)
            archive(tx, ws.archive_dir, path, "projects", digest)
            cid = registry.community_id(tx, found.short)
            outcome.added, outcome.updated, outcome.kept = registry.upsert_projects(
                tx, cid, rows, digest
            )
            outcome.claimed = registry.claim_as_ledgers_say(
                tx, found.short, clock.today().isoformat()
            )
        outcome.status, outcome.community = Outcome.IMPORTED, found.short
    return out
