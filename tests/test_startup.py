"""Start-up stays light: `--help` must not pull in the heavy libraries."""

from __future__ import annotations

import os
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
print("MODULES=" + ",".join(sorted(sys.modules)))
"""


def _probe(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`shuanggang ARGS` in a fresh interpreter that then lists the modules it loaded."""
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
        env=env,
    )


def _heavy_after(*args: str) -> str:
    out = _probe(*args).stdout
    return out.rsplit("HEAVY=", 1)[1].split("MODULES=", 1)[0].strip()


def _modules_after(*args: str) -> set[str]:
    return set(_probe(*args).stdout.rsplit("MODULES=", 1)[1].strip().split(","))


def test_help_imports_no_heavy_library() -> None:
    assert _heavy_after("--help") == ""


def test_help_loads_no_command_module_nor_pydantic_nor_rich() -> None:
    """The listing comes from the command table: no command's module, no store, no
    settings, and neither typer's pydantic coercion nor rich."""
    loaded = _modules_after("--help")
    ours = {m for m in loaded if m.startswith("shuanggang.")}
    assert ours == {"shuanggang.cli"}
    assert not {m for m in loaded if m.split(".")[0] in ("pydantic", "rich", "sqlite3")}


def test_a_command_loads_only_its_own_module() -> None:
    loaded = _modules_after("status", "--help")
    commands = {m for m in loaded if m.startswith("shuanggang.cli.")}
    assert commands == {"shuanggang.cli.status", "shuanggang.cli.common"}


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


def test_check_loads_neither_the_branch_search_nor_the_letters(tmp_path) -> None:
    import sheetmaker as sm

    sheet = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows())
    loaded = _modules_after("check", str(sheet))
    assert "python_calamine" in loaded  # the probe saw the check read the sheet
    unused = {
        "shuanggang.domain.branches.formation",
        "shuanggang.domain.branches.search",
        "shuanggang.render.letters",
        "jinja2",
        "docxtpl",
        "openpyxl",
    }
    assert loaded & unused == set()


def test_a_clean_check_into_a_pipe_loads_neither_rich_nor_the_standards_users(tmp_path) -> None:
    """A sheet without findings is said in two plain lines: piped (as here), they are
    written without rich; reading the settings loads the standards, not the branch
    model or the assessment that apply them."""
    import sheetmaker as sm

    sheet = sm.write_xlsx(tmp_path / "名单.xlsx", sm.office_rows())
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    out = _probe("check", str(sheet), env=env)
    loaded = set(out.stdout.rsplit("MODULES=", 1)[1].strip().split(","))
    assert "shuanggang.domain.standards" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "rich"}
    assert not loaded & {"shuanggang.domain.branches.model", "shuanggang.domain.assessment"}
    assert "名单.xlsx" in out.stdout + out.stderr  # the verdict was said
