"""File-system helpers that keep the workspace's promises: outputs appear whole or not at
all, and names built from user text stay inside their folder and are valid on Windows."""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from shuanggang.errors import ShuanggangError

_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


# Inside `synced_at_end()`: the files written so far, synced together at its end.
_DEFERRED: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar(
    "shuanggang_deferred_sync", default=None
)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` at once.

    On any exception the temporary file is removed and `target` is left as it was. The
    file is on disk (fsync) before it replaces `target`, or, inside `synced_at_end()`,
    when that batch ends.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    deferred = _DEFERRED.get()
    try:
        yield tmp
        if deferred is None:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if deferred is not None:
        deferred.append(target)


@contextlib.contextmanager
def synced_at_end() -> Iterator[None]:
    """A batch of outputs (hundreds of letters) synced to disk once, at its end, instead
    of one fsync each (4 ms apiece on an ordinary disk: more than rendering a letter).

    Each file still appears whole or not at all to every program: it is written under a
    temporary name and renamed. Only a power cut before the batch ends can leave one of
    its files empty; letters are derived from the store, and the command that wrote them
    writes them again.
    """
    if _DEFERRED.get() is not None:  # inside a batch already: that one syncs
        yield
        return
    written: list[Path] = []
    token = _DEFERRED.set(written)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
        _sync(written)


def _sync(paths: list[Path]) -> None:
    if not paths:
        return
    if hasattr(os, "sync"):  # POSIX: one flush of everything written
        os.sync()
        return
    for path in paths:  # Windows: file by file, each already complete
        with contextlib.suppress(OSError), open(path, "rb+") as fh:
            os.fsync(fh.fileno())


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text(target: Path, text: str, *, bom: bool = False) -> Path:
    """Write text as UTF-8 (with a BOM for CSV, so Excel on Windows reads it right)."""
    return write_bytes(target, (("\ufeff" if bom else "") + text).encode("utf-8"))


def write_with(target: Path, writer: Callable[[Path], object]) -> Path:
    with atomic_path(target) as tmp:
        writer(tmp)
    return target


def safe_filename(text: str, *, fallback: str = "未命名", max_chars: int = 80) -> str:
    """A file name from user text: no separators, no control characters, valid on Windows."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFKC", text)).strip(" ._")
    name = name[:max_chars].rstrip(" .")
    if not name or name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"{fallback}_{name}" if name else fallback
    return name


def inside(root: Path, name: str) -> Path:
    """`root / name` for a sanitised name, checked to stay inside `root`."""
    path = (root / safe_filename(name)).resolve()
    if path.parent != root.resolve():
        raise ValueError(f"{name!r} escapes {root}")
    return path


# --- the workspace's own files ---------------------------------------------------------
# Kept here (not imported from settings and store) so that every layer may call the guard.
SETTINGS_NAME = "shuanggang.toml"
DB_NAME = "shuanggang.db"
# The database and SQLite's files beside it, and the settings: written by no command.
PROTECTED_FILES = (
    DB_NAME,
    f"{DB_NAME}-wal",
    f"{DB_NAME}-shm",
    f"{DB_NAME}-journal",
    SETTINGS_NAME,
)
# Folders nothing but their own command writes into: the archive of received files, and
# the workspace's templates (only `templates copy`).
PROTECTED_DIRS = ("archive", "templates")


class ProtectedTarget(ShuanggangError):
    """An output path that is, or is inside, one of the workspace's own files."""


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _workspace_part(root: Path, path: Path) -> tuple[str, ...] | None:
    """`path`'s parts below `root`, or None when it is not below it. Symlinks are
    resolved, and a folder is recognised by identity too (a case-insensitive file
    system, another name for the same folder)."""
    target = path.expanduser().resolve()
    base = root.expanduser().resolve()
    if target.is_relative_to(base):
        return target.relative_to(base).parts
    for ancestor in target.parents:
        if _same(ancestor, base):
            return target.relative_to(ancestor).parts
    return None


def _enclosing_workspace(path: Path) -> Path | None:
    for folder in path.expanduser().resolve().parents:
        if (folder / SETTINGS_NAME).is_file():
            return folder
    return None


def refuse_workspace_target(
    ws_root: Path | None, path: Path, *, allow_templates: bool = False
) -> None:
    """Refuse to write `path` when it is, or is inside, one of the workspace's own files:
    the database and its -wal/-shm/-journal, shuanggang.toml, archive/ and templates/
    (the latter allowed to `templates copy` only). Checked against `ws_root` and against
    any workspace that `path` lies in. Raises `ProtectedTarget` naming the file."""
    roots = [r for r in (ws_root, _enclosing_workspace(path)) if r is not None]
    files = {name.casefold() for name in PROTECTED_FILES}
    dirs = {
        name.casefold() for name in PROTECTED_DIRS if not (allow_templates and name == "templates")
    }
    for root in roots:
        parts = _workspace_part(root, path)
        hit = ""
        if parts is None or not parts:
            pass  # elsewhere; or the workspace folder itself as an output folder
        elif parts[0].casefold() in dirs:
            hit = f"{parts[0]}/"
        elif len(parts) == 1 and parts[0].casefold() in files:
            hit = parts[0]
        if not hit and path.exists():  # a hard link to one of them
            hit = next((n for n in PROTECTED_FILES if _same(path, root / n)), "")
        if hit:
            raise ProtectedTarget(
                f"不能写入 {path}：这是工作区 {root} 自己的文件 {hit}",
                "数据库、shuanggang.toml、archive/ 和 templates/ 只由 shuanggang 自己维护"
                "（templates/ 请用 shuanggang templates copy）；请换一个文件名或目录，例如 out/ 下",
            )
