"""The queries of the year's commands, by their plans: every scan of a large table is
one pass (at most once per statement, never once per community, organisation or row).

Each statement `report`, `status`, `export` and `certificates` run on a small year is
captured as it runs and explained with `EXPLAIN QUERY PLAN`. A `SCAN` of a large table
inside a correlated subquery, or as the inner loop of a join, repeats for every row of
what encloses it: a per-community scan of the services table took 36 s at province scale.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sheetmaker as sm
from test_register import ID_D, LEDGER, member_sheet
from test_report import PER_ACTIVITY, PER_MEMBER

from shuanggang.store import Workspace
from shuanggang.store.db import Store

LARGE = ("services", "members", "branch_members", "certificates", "letters", "consultations")
_NAMED = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", re.IGNORECASE)
_KEYWORDS = {"on", "where", "join", "left", "group", "order", "using", "inner", "cross", "limit"}


def _large_names(sql: str) -> set[str]:
    """The large tables a statement reads, under their own names and their aliases."""
    names = set()
    for table, alias in _NAMED.findall(sql):
        if table.lower() in LARGE:
            names.add(table.lower())
            if alias and alias.lower() not in _KEYWORDS:
                names.add(alias.lower())
    return names


def repeated_scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    """The plan's scans of a large table that run more than once: under a correlated
    subquery, or after another loop at the same level (a nested loop's inner side)."""
    large = _large_names(sql)
    plan = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    detail = {row[0]: row[3] for row in plan}
    parent = {row[0]: row[1] for row in plan}
    siblings: dict[int, list[str]] = {}
    bad = []
    for _node, up, _, text in plan:
        loops = siblings.setdefault(up, [])
        is_loop = text.startswith(("SCAN ", "SEARCH "))
        words = text.split()
        if text.startswith("SCAN ") and words[1].lower() in large:
            ancestors = []
            at = up
            while at in detail:
                ancestors.append(detail[at])
                at = parent[at]
            if any(a.startswith("CORRELATED") for a in ancestors):
                bad.append(f"{text} inside {ancestors[0]}")
            elif loops:
                bad.append(f"{text} after {loops[-1]}")
        if is_loop:
            loops.append(text)
    return bad


@pytest.fixture
def traced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement any store runs while the test runs, with its values bound."""
    seen: list[str] = []
    opened = Store.__init__

    def tracing(self: Store, conn: sqlite3.Connection, path: Path) -> None:
        opened(self, conn, path)
        conn.set_trace_callback(seen.append)

    monkeypatch.setattr(Store, "__init__", tracing)
    yield seen


def _year(cli, ws: Workspace, tmp_path: Path) -> None:
    def ok(*args: object) -> None:
        result = cli(*map(str, args), "-w", ws.root)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)

    ok("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER))
    ok("register", member_sheet(tmp_path), "--claim", "2026-01", "--letters", "none")
    other = member_sheet(
        tmp_path,
        "银行.xlsx",
        org="某银行团支部",
        rows=[[1, "张伟", "女", ID_D, "2002.03", "13905350001", "金融", "周末", "是"]],
    )
    ok("register", other, "--letters", "none")
    ok("assign-branches")
    a = sm.write_xlsx(tmp_path / "a.xlsx", PER_MEMBER)
    ok("services", "import", a, sm.write_xlsx(tmp_path / "b.xlsx", PER_ACTIVITY))


def test_the_years_queries_scan_each_large_table_once(
    cli, ws: Workspace, tmp_path: Path, traced: list[str]
) -> None:
    _year(cli, ws, tmp_path)
    traced.clear()
    for args in (
        ("report", "--date", "2026-12-28", "--letters", "html"),
        ("status",),
        ("export", "roster", "-o", tmp_path / "名册.xlsx"),
        ("export", "branches", "-o", tmp_path / "编组.xlsx"),
        ("certificates", "--all", "--letters", "html", "--date", "2026-12-28"),
    ):
        result = cli(*map(str, args), "-w", ws.root)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    queries = sorted({s for s in traced if s.lstrip().upper().startswith(("SELECT", "WITH"))})
    assert any("community_id" in q and "services" in q for q in queries)  # the statistics ran
    conn = sqlite3.connect(ws.db_path)
    try:
        found = {q[:160]: bad for q in queries if (bad := repeated_scans(conn, q))}
    finally:
        conn.close()
    assert len(queries) > 30 and found == {}


def test_the_check_finds_a_scan_per_community() -> None:
    """The check itself: a correlated count per community is caught, a grouped one is not."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "CREATE TABLE communities (id INTEGER PRIMARY KEY, short TEXT);"
        "CREATE TABLE services (id INTEGER PRIMARY KEY, community_id INT, date TEXT);"
    )
    correlated = (
        "SELECT c.short, (SELECT count(*) FROM services s WHERE s.community_id = c.id)"
        " FROM communities c"
    )
    nested = (
        "SELECT c.short, count(s.id) FROM communities c"
        " JOIN services s ON s.date > c.short GROUP BY c.id"
    )
    grouped = "SELECT community_id, count(*) FROM services GROUP BY community_id"
    assert repeated_scans(conn, correlated)
    assert repeated_scans(conn, nested)
    assert repeated_scans(conn, grouped) == []
