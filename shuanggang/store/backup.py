"""Backups of a workspace: the database (SQLite's online backup API, consistent even while
another command writes), the settings and the archive of inputs, in one zip.

Commands that rewrite much (`register --replace`, `assign-branches --rebuild`) take one
automatically first, keeping the last `KEEP` under `backups/`.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from shuanggang import fsutil
from shuanggang.errors import NotABackup, ShuanggangError
from shuanggang.store.workspace import DB_FILE, Workspace

KEEP = 10
MANIFEST = "shuanggang-backup.txt"


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
        finally:
            dest.close()
            source.close()

        def write(path: Path) -> None:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(MANIFEST, f"shuanggang workspace backup {stamp}\n")
                z.write(copy, DB_FILE)
                z.write(ws.settings_path, ws.settings_path.name)
                for f in sorted(ws.archive_dir.rglob("*")):
                    if f.is_file():
                        z.write(f, f.relative_to(ws.root).as_posix())

        fsutil.write_with(target, write)
    return target


def automatic(ws: Workspace, reason: str) -> Path:
    """A backup before a large rewrite; only the newest KEEP are kept."""
    folder = ws.root / "backups"
    path = backup(ws, folder / f"自动备份_{datetime.now():%Y%m%d-%H%M%S-%f}_{reason}.zip")
    for old in sorted(folder.glob("自动备份_*.zip"))[:-KEEP]:
        old.unlink()
    return path


def restore(ws: Workspace, source: Path) -> None:
    """Put a backup's database, settings and archive back; the current state is backed up
    first, so a restore can itself be undone."""
    try:
        with zipfile.ZipFile(source) as z:
            names = z.namelist()
            if MANIFEST not in names or DB_FILE not in names:
                raise NotABackup(f"{source.name} 不是 shuanggang 的备份文件")
            unsafe = [n for n in names if n.startswith(("/", "\\")) or ".." in Path(n).parts]
            if unsafe:
                raise ShuanggangError(f"{source.name} 中有不安全的路径，拒绝恢复")
            automatic(ws, "恢复前")
            with tempfile.TemporaryDirectory() as tmp:
                z.extractall(tmp)
                restored = Path(tmp) / DB_FILE
                check = sqlite3.connect(restored)
                ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                check.close()
                if not ok:
                    raise ShuanggangError(f"{source.name} 中的数据库已损坏，未恢复")
                src = sqlite3.connect(restored)
                dst = sqlite3.connect(ws.db_path)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
                    src.close()
                for name in names:
                    if name.startswith("archive/") and not name.endswith("/"):
                        path = ws.root / name
                        if not path.exists():
                            fsutil.write_bytes(path, (Path(tmp) / name).read_bytes())
                settings = Path(tmp) / ws.settings_path.name
                if settings.exists():
                    fsutil.write_bytes(ws.settings_path, settings.read_bytes())
    except zipfile.BadZipFile:
        raise ShuanggangError(
            f"{source.name} 已损坏或不是 zip 文件", "请选择完整的备份文件"
        ) from None
