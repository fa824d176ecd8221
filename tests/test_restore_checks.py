"""`restore` checks the whole backup before it touches the workspace: sizes, the bytes
unpacked, the manifest's hashes, the database's soundness, schema and tables, and the
settings. Each refusal is exit 1 with a Chinese message, and the workspace unchanged."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from shuanggang.store import Workspace
from shuanggang.store.backup import HASHES, MANIFEST, backup
from shuanggang.store.db import SCHEMA_VERSION
from shuanggang.store.workspace import DB_FILE


@pytest.fixture
def made(ws: Workspace, tmp_path: Path) -> Path:
    (ws.archive_dir / "ab").mkdir()
    (ws.archive_dir / "ab" / "abcd.xlsx").write_bytes(b"PK\x03\x04 archived input")
    return backup(ws, tmp_path / "备份.zip")


def _state(ws: Workspace) -> dict[str, bytes]:
    return {
        p.relative_to(ws.root).as_posix(): p.read_bytes()
        for p in sorted(ws.root.rglob("*"))
        if p.is_file()
    }


def rewrite(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A copy of a backup with entries changed (None drops one); the manifest kept as is."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return target


def _db_edited(data: bytes, tmp_path: Path, sql: str) -> bytes:
    path = tmp_path / "edit.db"
    path.write_bytes(data)
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path.read_bytes()


def _refused(cli, ws: Workspace, path: Path, words: str) -> None:
    before = _state(ws)
    result = cli("restore", path, "-w", ws.root)
    assert result.exit_code == 1, result.stdout
    assert words in result.stderr, result.stderr
    assert result.exception is None
    assert _state(ws) == before  # not even the automatic backup: nothing was touched
    assert [p.name for p in ws.root.iterdir() if p.name.startswith(".")] == []


def test_backup_lists_each_entry_with_size_and_hash(made: Path) -> None:
    with zipfile.ZipFile(made) as z:
        manifest = json.loads(z.read(HASHES))
        assert manifest["schema_version"] == SCHEMA_VERSION
        listed = manifest["entries"]
        assert set(listed) == {DB_FILE, "shuanggang.toml", "archive/ab/abcd.xlsx"}
        for name, entry in listed.items():
            data = z.read(name)
            assert entry == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_a_sound_backup_restores(cli, ws: Workspace, made: Path) -> None:
    (ws.archive_dir / "ab" / "abcd.xlsx").unlink()
    assert cli("restore", made, "-w", ws.root).exit_code == 0
    assert (ws.archive_dir / "ab" / "abcd.xlsx").read_bytes() == b"PK\x03\x04 archived input"


def test_an_older_backup_without_hashes_still_restores(
    cli, ws: Workspace, made: Path, tmp_path: Path
) -> None:
    old = rewrite(made, tmp_path / "旧.zip", lambda n, d: None if n == HASHES else d)
    assert cli("restore", old, "-w", ws.root).exit_code == 0


def test_an_entry_over_the_limit_is_refused_before_unpacking(
    cli, ws: Workspace, made: Path, tmp_path: Path
) -> None:
    text = ws.settings_path.read_text(encoding="utf-8")
    ws.settings_path.write_text(
        text.replace("max_database_mb = 8192", "max_database_mb = 1", 1), encoding="utf-8"
    )
    big = rewrite(made, tmp_path / "大.zip", lambda n, d: d + bytes(8 << 20) if n == DB_FILE else d)
    assert big.stat().st_size < 2 << 20  # small on disk, 8 MB unpacked
    _refused(cli, ws, big, "超过上限 1 MB")


def test_an_archived_file_over_the_input_limit_is_refused(
    cli, ws: Workspace, made: Path, tmp_path: Path
) -> None:
    text = ws.settings_path.read_text(encoding="utf-8")
    ws.settings_path.write_text(
        text.replace("max_file_mb = 200", "max_file_mb = 1", 1), encoding="utf-8"
    )
    big = rewrite(made, tmp_path / "大.zip", extra={"archive/cd/big.xlsx": bytes(3 << 20)})
    _refused(cli, ws, big, "archive/cd/big.xlsx")


def test_a_full_disk_is_found_before_unpacking(
    cli, ws: Workspace, made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(1, 1, 1))  # type: ignore[attr-defined]
    _refused(cli, ws, made, "磁盘空间不足")


def test_more_bytes_than_declared_stop_the_unpacking(
    cli, ws: Workspace, made: Path, tmp_path: Path
) -> None:
    """An entry whose directory understates its size: unpacking stops at the declared
    size, and the backup is refused."""
    data = bytearray(made.read_bytes())
    at = data.rfind(b"PK\x01\x02" + b"", 0)  # the last central-directory record
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == DB_FILE.encode():
            size = struct.unpack_from("<I", data, at + 24)[0]
            struct.pack_into("<I", data, at + 24, size // 2)
            break
        at = data.rfind(b"PK\x01\x02", 0, at)
    lying = tmp_path / "谎报.zip"
    lying.write_bytes(bytes(data))
    _refused(cli, ws, lying, "备份")


def test_an_entry_that_differs_from_the_manifest_is_refused(
    cli, ws: Workspace, made: Path, tmp_path: Path
) -> None:
    edited = rewrite(
        made,
        tmp_path / "改.zip",
        lambda n, d: (
            d.replace(b"year", b"year", 1) + b"\n# edited\n" if n == "shuanggang.toml" else d
        ),
    )
    _refused(cli, ws, edited, "与其清单不符")
    extra = rewrite(made, tmp_path / "多.zip", extra={"archive/zz/x.xlsx": b"x"})
    _refused(cli, ws, extra, "多出")


def _without_hashes(
    change: Callable[[str, bytes], bytes | None],
) -> Callable[[str, bytes], bytes | None]:
    return lambda n, d: None if n == HASHES else change(n, d)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("newer", "高于本程序支持的版本"),
        ("empty", "是空的"),
        ("no-table", "缺少表"),
        ("corrupt", "已损坏"),
        ("toml", "设置文件无法使用"),
        ("no-toml", "没有设置文件"),
    ],
)
def test_a_backup_that_would_not_work_is_refused(
    cli, ws: Workspace, made: Path, tmp_path: Path, case: str, words: str
) -> None:
    """Refused with or without a manifest (one made after the change agrees with it)."""

    def change(name: str, data: bytes) -> bytes | None:
        if name == DB_FILE and case == "newer":
            return _db_edited(data, tmp_path, f"PRAGMA user_version = {SCHEMA_VERSION + 1};")
        if name == DB_FILE and case == "empty":
            return b""
        if name == DB_FILE and case == "no-table":
            return _db_edited(data, tmp_path, "DROP TABLE members;")
        if name == DB_FILE and case == "corrupt":
            return data[:4096] + b"\xff" * (len(data) - 4096)
        if name == "shuanggang.toml" and case == "toml":
            return b'year = "this year"\n[[['
        if name == "shuanggang.toml" and case == "no-toml":
            return None
        return data

    _refused(cli, ws, rewrite(made, tmp_path / f"{case}.zip", _without_hashes(change)), words)


def test_not_a_backup(cli, ws: Workspace, tmp_path: Path) -> None:
    junk = tmp_path / "x.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    _refused(cli, ws, junk, "已损坏或不是 zip 文件")
    plain = tmp_path / "plain.zip"
    with pytest.warns(UserWarning), zipfile.ZipFile(plain, "w") as z:
        z.writestr(MANIFEST, "x")
        z.writestr(DB_FILE, "x")
        z.writestr(DB_FILE, "y")
        z.writestr("shuanggang.toml", "")
    _refused(cli, ws, plain, "重名")
