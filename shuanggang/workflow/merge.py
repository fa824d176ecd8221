"""`merge`: street workspaces (folders, or files made by `backup`) into this one.

Each source is copied and checked before anything changes (a backup gets every check a
restore makes), then all sources are merged in one `Store.change`: one transaction, one
audit row, taken back whole by `undo`. A merge that fails or is killed leaves the
workspace as it was. The archived input files come across first, each by an atomic
copy (files the archive does not index are harmless, as with any rolled-back change).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shuanggang import fsutil
from shuanggang.domain.findings import ERROR, WARNING, Finding
from shuanggang.domain.privacy import mask_id
from shuanggang.errors import ShuanggangError
from shuanggang.settings import SETTINGS_FILE, Settings
from shuanggang.store import Store, Workspace
from shuanggang.store import merge as m
from shuanggang.store.backup import copy_database, unpack_checked
from shuanggang.store.db import now
from shuanggang.store.workspace import DB_FILE


@dataclass(slots=True)
class SourceResult:
    path: Path
    kind: str  # workspace | backup
    label: str  # the streets it brought
    replaced: bool  # merged before: this merge replaced what it brought then
    counts: dict[str, int] = field(default_factory=dict)
    held: int = 0
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class MergeResult:
    sources: list[SourceResult]
    dry_run: bool

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.sources for f in s.findings]


@dataclass(slots=True)
class _Opened:
    path: Path
    kind: str
    store: Store
    settings: Settings
    archive: Path  # the source's archive/ folder (unpacked, for a backup)
    info: m.SourceInfo


class _DryRun(Exception):
    """Raised inside the change so a dry run rolls everything back."""


def merge(
    ws: Workspace, store: Store, settings: Settings, paths: Sequence[Path], *, dry_run: bool = False
) -> MergeResult:
    with (
        tempfile.TemporaryDirectory(prefix=".合并中-", dir=ws.root) as tmp,
        contextlib.ExitStack() as stack,
    ):
        opened = [
            stack.enter_context(_open(ws, path, Path(tmp, str(i)))) for i, path in enumerate(paths)
        ]
        _check(store, settings, opened)
        if not dry_run:
            for source in opened:
                _copy_archive(source, ws.archive_dir)
        return _merge(store, opened, dry_run)


@contextlib.contextmanager
def _open(ws: Workspace, path: Path, scratch: Path) -> Iterator[_Opened]:
    path = path.expanduser()
    scratch.mkdir(parents=True)
    copy = scratch / DB_FILE
    if path.is_dir():
        if not (path / SETTINGS_FILE).is_file() or not (path / DB_FILE).is_file():
            raise ShuanggangError(
                f"{path} 不是工作区（没有 {SETTINGS_FILE} 或 {DB_FILE}）",
                "给出街道工作区的目录，或 shuanggang backup 生成的 .zip 文件",
            )
        kind, settings_path, archive = "workspace", path / SETTINGS_FILE, path / "archive"
        copy_database(path / DB_FILE, copy)
    elif path.is_file():
        kind = "backup"
        unpacked = unpack_checked(ws, path, scratch / "backup")
        shutil.move(unpacked.pop(DB_FILE), copy)
        settings_path = unpacked[SETTINGS_FILE]
        archive = scratch / "backup" / "archive"
    else:
        raise ShuanggangError(f"找不到 {path}", "给出街道工作区的目录或备份文件的路径")
    from shuanggang import settings as settings_module

    source_settings = settings_module.load(settings_path)
    with m.open_copy(copy) as store:
        info = m.SourceInfo(
            identity=m.identity(store),
            kind=kind,
            path=str(path.resolve()),
            district=source_settings.district,
            changed_at=m.newest_change(store),
        )
        yield _Opened(path, kind, store, source_settings, archive, info)


def _check(store: Store, settings: Settings, opened: Sequence[_Opened]) -> None:
    mine = m.identity(store)
    seen: dict[str, Path] = {}
    for source in opened:
        name = source.path.name
        if source.info.identity == mine:
            raise ShuanggangError(
                f"{name} 就是本工作区（或它的副本、备份），不能合并到自身",
                "在区级工作区中合并各街道的工作区或备份",
            )
        if source.info.identity in seen:
            raise ShuanggangError(
                f"{name} 与 {seen[source.info.identity].name} 是同一个工作区，一次只能合并其中一份",
                "只给出最新的一份",
            )
        seen[source.info.identity] = source.path
        if source.settings.year != settings.year:
            raise ShuanggangError(
                f"{name} 是 {source.settings.year} 年度的工作区，本工作区是 {settings.year} 年度，"
                "未合并任何来源",
                "只合并同一年度的工作区",
            )
        if source.settings.district != settings.district:
            raise ShuanggangError(
                f"{name} 属于 {source.settings.district}，本工作区属于 {settings.district}，"
                "未合并任何来源",
                "只合并本区（县）各街道的工作区",
            )


def _copy_archive(source: _Opened, archive_dir: Path) -> None:
    if not source.archive.is_dir():
        return
    for path in sorted(source.archive.rglob("*")):
        target = archive_dir / path.relative_to(source.archive)
        if path.is_file() and not target.exists():
            fsutil.write_with(target, _copier(path))


def _copier(source: Path) -> Callable[[Path], object]:
    return lambda tmp: shutil.copyfile(source, tmp)


def _merge(store: Store, opened: Sequence[_Opened], dry_run: bool) -> MergeResult:
    results: list[SourceResult] = []
    detail = "、".join(s.path.name for s in opened)
    try:
        with store.change("merge", detail) as tx:
            at = now()
            for source in opened:
                label = m.label_of(source.store, source.settings.district)
                done = m.merge_source(tx, source.store, source.info, label, at)
                results.append(
                    SourceResult(
                        source.path,
                        source.kind,
                        done.label,
                        done.replaced,
                        done.counts,
                        done.held,
                        [_finding(source.path.name, c) for c in done.clashes],
                    )
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return MergeResult(results, dry_run)


_HINT = "其余记录已合并；在其中一方撤回（shuanggang orgs withdraw）或调离后，重新合并"


def _finding(name: str, clash: m.Clash) -> Finding:
    if clash.what == "member":
        return Finding(
            ERROR,
            f"同一团员在两处报到：{clash.incoming} 与 {clash.existing}；"
            f"该团员及其 {clash.held - 1} 条服务记录未合并",
            _HINT,
            field="id_number",
            file=name,
            value=mask_id(clash.key),
            code="merge-member-twice",
        )
    if clash.what == "org":
        return Finding(
            ERROR,
            f"同一单位在两处报到：{clash.incoming} 与 {clash.existing}；"
            f"该单位及其团员、服务和协商记录共 {clash.held} 条未合并",
            _HINT,
            file=name,
            value=clash.key,
            code="merge-org-twice",
        )
    if clash.what == "letter":
        return Finding(
            ERROR,
            f"文书编号重复：{clash.incoming} 与 {clash.existing}；这条编号记录未合并",
            "两处各自编号，编到了同一个号：请核对以哪一方为准；其余记录已合并",
            file=name,
            value=clash.key,
            code="merge-letter-number",
        )
    return Finding(
        WARNING,
        f"活动团支部重名：{clash.incoming} 与 {clash.existing}；该支部未合并，其团员按未编组合并",
        "合并后在本工作区运行 shuanggang assign-branches 重新编组，或请其中一方改名后重新合并",
        file=name,
        value=clash.key,
        code="merge-branch-name",
    )
