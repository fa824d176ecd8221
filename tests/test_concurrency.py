"""Two commands at once: every decision is made inside the write transaction, and every
command reads one consistent snapshot. Real processes, not threads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sheetmaker as sm
from test_register import LEDGER, member_sheet
from test_report import PER_MEMBER

from shuanggang.store import Workspace


def _start(ws: Workspace, *args: object) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.Popen(
        [sys.executable, "-m", "shuanggang", *map(str, args), "-w", str(ws.root), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_imports_of_one_log_at_once_store_it_once(cli, ws: Workspace, tmp_path: Path) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    assert (
        cli("register", member_sheet(tmp_path), "--letters", "none", "-w", ws.root).exit_code == 0
    )
    log = sm.write_xlsx(tmp_path / "服务.xlsx", PER_MEMBER)
    for _ in range(4):
        racers = [_start(ws, "services", "import", log) for _ in range(2)]
        results = [json.loads(p.communicate(timeout=120)[0])[0] for p in racers]
        assert sorted(r["status"] for r in results) in (
            ["imported", "unchanged"],
            ["unchanged", "unchanged"],
        )
        status = json.loads(cli("status", "--json", "-w", ws.root).stdout)
        assert status["counts"]["services"] == 2  # never doubled


def test_report_reads_one_snapshot_while_register_commits(
    cli, ws: Workspace, tmp_path: Path
) -> None:
    from datetime import date

    from openpyxl import load_workbook

    from shuanggang.domain.idnumber import make

    assert (
        cli("register", member_sheet(tmp_path), "--letters", "none", "-w", ws.root).exit_code == 0
    )
    log = sm.write_xlsx(tmp_path / "服务.xlsx", PER_MEMBER)
    assert cli("services", "import", log, "-w", ws.root).exit_code == 0
    sheets = []
    for i in range(8):
        ids = [make("370602", date(1999, 1, 1 + i), 10 * n + 1) for n in range(3)]
        rows = [
            [
                n + 1,
                f"成员{i}{n}",
                "男",
                id_number,
                "1999.01",
                f"1390535{i:02d}{n:02d}",
                "",
                "",
                "是",
            ]
            for n, id_number in enumerate(ids)
        ]
        sheets.append(member_sheet(tmp_path, f"单位{i}.xlsx", rows=rows, org=f"第{i}团支部"))
    registering = _start(ws, "register", *sheets, "--letters", "none")
    reports: list[tuple[dict[str, Any], Path]] = []
    while registering.poll() is None or not reports:
        out = tmp_path / f"报告{len(reports)}"
        done = subprocess.run(
            [sys.executable, "-m", "shuanggang", "report", "--letters", "none", "--json",
             "-o", str(out), "-w", str(ws.root)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        reports.append((json.loads(done.stdout), out))
    registering.communicate(timeout=120)
    assert registering.returncode == 0
    for data, out in reports:
        book = load_workbook(out / "综合考评.xlsx", read_only=True)
        rows = [r for r in book["组织考评"].iter_rows(min_row=2, values_only=True) if r[0]]
        book.close()
        assert len(rows) == len(data["orgs"])  # the workbook and the JSON saw the same store
