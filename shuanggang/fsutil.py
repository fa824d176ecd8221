"""File-system helpers that keep the workspace's promises: outputs appear whole or not at
all, and names built from user text stay inside their folder and are valid on Windows."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` at once.

    On any exception the temporary file is removed and `target` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


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
