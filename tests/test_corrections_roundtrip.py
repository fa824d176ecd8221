"""A year corrected and taken back: register → rename → withdraw → undo → undo, the
roster export compared with the state before each step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sheetmaker as sm
from openpyxl import load_workbook
from test_register import LEDGER, member_sheet

from shuanggang.store import Workspace


def roster(cli, ws: Workspace, tmp_path: Path, name: str) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{name}.xlsx"
    assert cli("export", "roster", "-o", out, "-w", ws.root).exit_code == 0
    book = load_workbook(out, read_only=True)
    rows = [tuple(r) for r in book["团员名册"].iter_rows(values_only=True)]
    book.close()
    return rows


def test_register_rename_withdraw_then_undo_twice(cli, ws: Workspace, tmp_path: Path) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    assert (
        cli("register", member_sheet(tmp_path), "--letters", "none", "-w", ws.root).exit_code == 0
    )
    registered = roster(cli, ws, tmp_path, "a")
    assert cli("orgs", "rename", "烟台山医院团委", "烟台山医院团委（本部）", "--letters", "none",
               "-w", ws.root).exit_code == 0  # fmt: skip
    renamed = roster(cli, ws, tmp_path, "b")
    assert renamed != registered
    assert cli("orgs", "withdraw", "烟台山医院团委（本部）", "--reason", "单位撤并",
               "-w", ws.root).exit_code == 0  # fmt: skip
    assert roster(cli, ws, tmp_path, "c") != renamed
    undone = json.loads(cli("undo", "--json", "-w", ws.root).stdout)
    assert undone["undone"]["command"] == "orgs withdraw"
    assert roster(cli, ws, tmp_path, "d") == renamed
    assert cli("undo", "-w", ws.root).exit_code == 0
    assert roster(cli, ws, tmp_path, "e") == registered
