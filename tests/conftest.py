from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shuanggang.cli import app
from shuanggang.store import Workspace, init_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", district="芝罘区", year=2026)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SHUANGGANG_WORKSPACE", raising=False)
    monkeypatch.delenv("SHUANGGANG_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)


Invoke = Callable[..., "Result"]


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.exception = exception


@pytest.fixture
def cli() -> Invoke:
    """Run the CLI in-process with a pinned console width; stdout and stderr apart."""
    runner = CliRunner()

    def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
        result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "120", **(env or {})})
        exception = None if isinstance(result.exception, SystemExit) else result.exception
        return Result(result.exit_code, result.stdout, result.stderr, exception)

    return invoke


# Every finding any test makes is recorded; the run fails if one carries a code that
# docs/findings.md does not list (the source scan in test_findings_doc.py cannot see codes
# that are computed).
_EMITTED: set[str] = set()


def pytest_sessionstart(session: pytest.Session) -> None:
    from shuanggang.domain.findings import Finding

    checked = Finding.__post_init__

    def recording(self: Finding) -> None:
        checked(self)
        _EMITTED.add(self.code)

    Finding.__post_init__ = recording  # type: ignore[method-assign]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from test_findings_doc import documented

    unknown = sorted(_EMITTED - documented())
    if unknown:
        print(f"\nfinding codes emitted but not in docs/findings.md: {unknown}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
