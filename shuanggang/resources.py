"""Where the files shipped with the package live.

In a wheel, `templates/` and `samples/` are installed inside the package (see
pyproject's force-include); in a source checkout they sit at the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _shipped(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shuanggang is installed without its {name}/ folder")


def templates_dir() -> Path:
    return _shipped("templates")


def samples_dir() -> Path:
    return _shipped("samples")


def data_file(name: str) -> Path:
    return PACKAGE_DIR / "data" / name
