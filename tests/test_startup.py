"""Start-up stays light: `--help` must not pull in the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys, runpy
sys.argv = ["shuanggang"] + sys.argv[1:]
try:
    runpy.run_module("shuanggang", run_name="__main__")
except SystemExit:
    pass
heavy = [m for m in ("pandas", "openpyxl", "jinja2", "python_calamine", "docxtpl", "numpy")
         if m in sys.modules]
print("HEAVY=" + ",".join(heavy))
"""


def _heavy_after(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    ).stdout
    return out.rsplit("HEAVY=", 1)[1].strip()


def test_help_imports_no_heavy_library() -> None:
    assert _heavy_after("--help") == ""


def test_command_help_imports_no_heavy_library() -> None:
    assert _heavy_after("status", "--help") == ""


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shuanggang", "--version"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0 and result.stdout.startswith("shuanggang ")
