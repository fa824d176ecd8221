"""The archive: every accepted input file, kept by content hash under `archive/`,
so the store can be rebuilt and nothing handed over is ever lost."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from shuanggang import fsutil
from shuanggang.store.db import Store, now


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archived_path(archive_dir: Path, digest: str, suffix: str) -> Path:
    return archive_dir / digest[:2] / f"{digest}{suffix.lower()}"


def archive(store: Store, archive_dir: Path, source: Path, kind: str, digest: str) -> Path:
    """Copy `source` into the archive (once) and index it, inside the caller's transaction.

    The copy lands before the transaction commits; a rolled-back change leaves at most
    an unindexed copy, which the next archive of the same bytes reuses.
    """
    target = archived_path(archive_dir, digest, source.suffix)
    if not target.exists():
        fsutil.write_with(target, lambda tmp: shutil.copyfile(source, tmp))
    store.conn.execute(
        "INSERT INTO files (hash, name, kind, size, archived_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (hash) DO NOTHING",
        (digest, source.name, kind, source.stat().st_size, now()),
    )
    return target
