"""Backups of a workspace: the database (SQLite's online backup API, consistent even while
another command writes), the settings and the archive of inputs, in one zip, with a
manifest of each entry's size and SHA-256.

Commands that rewrite much (`register --replace`, `assign-branches --rebuild`) take one
automatically first, keeping the last `KEEP` under `backups/`.

A restore checks the whole backup before it touches the workspace: declared sizes against
the limits and the free disk, the bytes actually unpacked, the hashes of the manifest
(older backups have none), and that the database is sound, of a schema this program
knows, with its tables, and the settings load. Only then is anything replaced.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath

from shuanggang import fsutil, settings
from shuanggang.errors import NotABackup, SettingsError, ShuanggangError
from shuanggang.settings import Limits
from shuanggang.store import dialect
from shuanggang.store.db import SCHEMA_VERSION
from shuanggang.store.schema import MIGRATIONS
from shuanggang.store.workspace import DB_FILE, Workspace

KEEP = 10
MANIFEST = "shuanggang-backup.txt"
# Each entry's size and SHA-256, and the database's schema version (since format 1).
HASHES = "shuanggang-backup.json"
FORMAT = 1
MB = 1024 * 1024
SMALL_ENTRY = 4 * MB  # the settings and the manifests
_CHUNK = 1 << 20


class BackupRejected(ShuanggangError):
    """A backup that would leave a workspace that does not work; nothing was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def backup(ws: Workspace, target: Path | None = None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = target or ws.root / "backups" / f"备份_{stamp}.zip"
    fsutil.refuse_workspace_target(ws.root, target)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / DB_FILE
        source = sqlite3.connect(ws.db_path)
        dest = sqlite3.connect(copy)
        try:
            source.backup(dest)
            version = dialect.schema_version(dest)
        finally:
            dest.close()
            source.close()
        entries = [(copy, DB_FILE), (ws.settings_path, ws.settings_path.name)]
        entries += [
            (f, f.relative_to(ws.root).as_posix())
            for f in sorted(ws.archive_dir.rglob("*"))
            if f.is_file()
        ]

        def write(path: Path) -> None:
            listed = {}
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(MANIFEST, f"shuanggang workspace backup {stamp}\n")
                for source_path, name in entries:
                    z.write(source_path, name)
                    listed[name] = {
                        "size": source_path.stat().st_size,
                        "sha256": _sha256(source_path),
                    }
                manifest = {"format": FORMAT, "schema_version": version, "entries": listed}
                z.writestr(HASHES, json.dumps(manifest, ensure_ascii=False, indent=1))

        fsutil.write_with(target, write)
    return target


def automatic(ws: Workspace, reason: str) -> Path:
    """A backup before a large rewrite; only the newest KEEP are kept."""
    folder = ws.root / "backups"
    path = backup(ws, folder / f"自动备份_{datetime.now():%Y%m%d-%H%M%S-%f}_{reason}.zip")
    for old in sorted(folder.glob("自动备份_*.zip"))[:-KEEP]:
        old.unlink()
    return path


# --- restore ---------------------------------------------------------------------------


def _limits(ws: Workspace) -> Limits:
    """The workspace's limits; the defaults when its settings are what is broken."""
    try:
        return ws.settings().limits
    except (SettingsError, OSError):
        return Limits()


def _unsafe(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return name.startswith(("/", "\\")) or ".." in parts or ":" in name


def _entries(source: Path, z: zipfile.ZipFile, ws: Workspace) -> list[zipfile.ZipInfo]:
    """The entries to restore, after the checks of names alone."""
    infos = z.infolist()
    names = [i.filename for i in infos]
    if MANIFEST not in names or DB_FILE not in names:
        raise NotABackup(f"{source.name} 不是 shuanggang 的备份文件")
    unsafe = [n for n in names if _unsafe(n)]
    if unsafe:
        raise NotABackup(f"{source.name} 中有不安全的路径，拒绝恢复")
    if len(set(names)) != len(names):
        raise BackupRejected(f"{source.name} 中有重名的条目，拒绝恢复", "请选择完整的备份文件")
    if ws.settings_path.name not in names:
        raise BackupRejected(f"{source.name} 中没有设置文件 {ws.settings_path.name}，拒绝恢复")
    wanted = {DB_FILE, ws.settings_path.name, HASHES}
    return [
        i
        for i in infos
        if i.filename in wanted or (i.filename.startswith("archive/") and not i.is_dir())
    ]


def _check_sizes(source: Path, infos: list[zipfile.ZipInfo], limits: Limits, room: Path) -> None:
    """Declared (unpacked) sizes against the limits and the free disk, before unpacking."""
    too_big = "请确认备份来自 shuanggang backup；如确需恢复，调整设置 limits.{}"
    for info in infos:
        name, size = info.filename, info.file_size
        if name == DB_FILE:
            limit, key = limits.max_database_mb * MB, "max_database_mb"
        elif name.startswith("archive/"):
            limit, key = limits.max_file_mb * MB, "max_file_mb"
        else:
            limit, key = SMALL_ENTRY, ""
        if size > limit:
            raise BackupRejected(
                f"{source.name} 中的 {name} 解压后 {size // MB} MB，超过上限 {limit // MB} MB，"
                "拒绝恢复（可能是损坏或伪造的备份）",
                too_big.format(key) if key else "请选择完整的备份文件",
            )
    total = sum(i.file_size for i in infos)
    if total > limits.max_backup_mb * MB:
        raise BackupRejected(
            f"{source.name} 解压后共 {total // MB} MB，"
            f"超过上限 {limits.max_backup_mb} MB，拒绝恢复",
            too_big.format("max_backup_mb"),
        )
    # unpacked once beside the workspace, and the database copied once more into it
    needed = total + next((i.file_size for i in infos if i.filename == DB_FILE), 0) + 64 * MB
    free = shutil.disk_usage(room).free
    if free < needed:
        raise BackupRejected(
            f"磁盘空间不足：恢复 {source.name} 需要约 {needed // MB} MB，"
            f"工作区所在磁盘只剩 {free // MB} MB",
            "清理磁盘后再恢复",
        )


def _unpack(source: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path) -> str:
    """Unpack one entry, stopping as soon as more bytes come than it declares; its SHA-256."""
    digest = hashlib.sha256()
    written = 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    with z.open(info) as src, open(dest, "wb") as out:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise BackupRejected(
                    f"{source.name} 中的 {info.filename} 比它声明的大小更大，拒绝恢复",
                    "备份文件已损坏或被改动，请选择完整的备份文件",
                )
            digest.update(chunk)
            out.write(chunk)
    if written != info.file_size:
        raise BackupRejected(
            f"{source.name} 中的 {info.filename} 不完整，拒绝恢复", "请选择完整的备份文件"
        )
    return digest.hexdigest()


def _check_hashes(source: Path, unpacked: dict[str, tuple[Path, str]]) -> None:
    """A backup that lists its entries must hold exactly those, byte for byte."""
    if HASHES not in unpacked:
        return  # a backup from before the manifest: the other checks still hold
    broken = BackupRejected(
        f"{source.name} 的清单（{HASHES}）无法读取，拒绝恢复", "请选择完整的备份文件"
    )
    try:
        manifest = json.loads(unpacked[HASHES][0].read_text(encoding="utf-8"))
        listed = manifest["entries"]
        if not isinstance(listed, dict):
            raise broken
        expected = {name: (int(e["size"]), str(e["sha256"])) for name, e in listed.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise broken from None
    present = {n for n in unpacked if n != HASHES}
    missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
    wrong = [
        n
        for n in sorted(present & set(expected))
        if (unpacked[n][0].stat().st_size, unpacked[n][1]) != expected[n]
    ]
    if missing or extra or wrong:
        what = "；".join(
            f"{label}：{'、'.join(names[:5])}{' 等' if len(names) > 5 else ''}"
            for label, names in (("缺少", missing), ("多出", extra), ("内容与清单不符", wrong))
            if names
        )
        raise BackupRejected(
            f"{source.name} 与其清单不符（{what}），拒绝恢复",
            "备份文件已损坏或被改动，请选择完整的备份文件",
        )


def _tables_at(version: int) -> set[str]:
    conn = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS[:version]:
            conn.executescript(migration)
        return dialect.tables(conn)
    finally:
        conn.close()


def _check_database(source: Path, path: Path) -> None:
    bad = f"{source.name} 中的数据库"
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            ok = dialect.integrity_ok(conn)
            version = dialect.schema_version(conn)
            tables = dialect.tables(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        ok, version, tables = False, 0, set()
    if not ok:
        raise BackupRejected(f"{bad}已损坏，未恢复", "请选择另一份备份")
    if version > SCHEMA_VERSION:
        raise BackupRejected(
            f"{bad}版本（{version}）高于本程序支持的版本（{SCHEMA_VERSION}），未恢复",
            "这份备份来自更新版本的 shuanggang：请先升级 shuanggang 再恢复",
        )
    missing = sorted(_tables_at(version) - tables) if version else []
    if version < 1 or missing:
        shown = f"（缺少表：{'、'.join(missing[:5])}）" if missing else "（是空的）"
        raise BackupRejected(f"{bad}不是完整的工作区数据库{shown}，未恢复", "请选择另一份备份")


def _check_settings(source: Path, path: Path) -> None:
    try:
        settings.load(path)
    except SettingsError as exc:
        raise BackupRejected(
            f"{source.name} 中的设置文件无法使用，未恢复：{exc.message}", "请选择另一份备份"
        ) from None


def restore(ws: Workspace, source: Path) -> None:
    """Put a backup's database, settings and archive back, once every check has passed;
    the current state is backed up first, so a restore can itself be undone."""
    limits = _limits(ws)
    try:
        with (
            zipfile.ZipFile(source) as z,
            tempfile.TemporaryDirectory(dir=ws.root, prefix=".恢复中-") as tmp,
        ):
            infos = _entries(source, z, ws)
            _check_sizes(source, infos, limits, ws.root)
            unpacked = {}
            for info in infos:
                dest = Path(tmp, "entries", *PurePosixPath(info.filename).parts)
                unpacked[info.filename] = (dest, _unpack(source, z, info, dest))
            _check_hashes(source, unpacked)
            _check_database(source, unpacked[DB_FILE][0])
            _check_settings(source, unpacked[ws.settings_path.name][0])
            automatic(ws, "恢复前")
            _put_back(ws, unpacked)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise NotABackup(f"{source.name} 已损坏或不是 zip 文件", "请选择完整的备份文件") from None


def _copier(source: Path) -> Callable[[Path], object]:
    return lambda tmp: shutil.copyfile(source, tmp)


def _put_back(ws: Workspace, unpacked: dict[str, tuple[Path, str]]) -> None:
    """The database in one SQLite transaction (safe while another command has it open),
    then the settings and the archive's missing files, each by an atomic rename."""
    src = sqlite3.connect(unpacked[DB_FILE][0])
    dst = sqlite3.connect(ws.db_path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    for name, (path, _) in unpacked.items():
        if name.startswith("archive/"):
            target = ws.root / name
            if not target.exists():
                fsutil.write_with(target, _copier(path))
    fsutil.write_bytes(ws.settings_path, unpacked[ws.settings_path.name][0].read_bytes())


def unpack_checked(ws: Workspace, source: Path, into: Path) -> dict[str, Path]:
    """A backup unpacked into `into` after every check `restore` makes (sizes, hashes,
    database, settings), for reading it rather than restoring it (`shuanggang merge`):
    entry name → unpacked path. `ws`: the workspace whose limits and settings file name
    apply."""
    try:
        with zipfile.ZipFile(source) as z:
            infos = _entries(source, z, ws)
            _check_sizes(source, infos, _limits(ws), ws.root)
            unpacked = {}
            for info in infos:
                dest = Path(into, *PurePosixPath(info.filename).parts)
                unpacked[info.filename] = (dest, _unpack(source, z, info, dest))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise NotABackup(f"{source.name} 已损坏或不是 zip 文件", "请选择完整的备份文件") from None
    _check_hashes(source, unpacked)
    _check_database(source, unpacked[DB_FILE][0])
    _check_settings(source, unpacked[ws.settings_path.name][0])
    return {name: path for name, (path, _) in unpacked.items()}


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a workspace database, even while a command writes to it."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
