"""`history` and `undo`: the audited changes, and taking the newest one back.

Undo restores the store; it never deletes files. What the undone command wrote under
out/ (letters, workbooks) is named so the user can set it aside or write it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from shuanggang.settings import Settings
from shuanggang.store import Store, Workspace
from shuanggang.store import history as stored
from shuanggang.store.history import Change

_YEAR = re.compile(r"(\d{4}) 年度考评")


@dataclass(slots=True)
class Undo:
    change: Change  # the change taken back (or that would be, on a dry run)
    dry_run: bool
    outputs: list[Path] = field(default_factory=list)  # what it wrote: may be out of date
    backup: Path | None = None


def history(store: Store, limit: int | None = None) -> list[Change]:
    with store.reading():
        return stored.changes(store, limit=limit)


def outputs_of(ws: Workspace, settings: Settings, change: Change) -> list[Path]:
    """The files and folders under out/ that `change`'s command writes, where they exist
    (a report written with --out elsewhere is not known)."""
    from shuanggang.workflow.branches import WORKBOOK
    from shuanggang.workflow.certificates import CERT_DIR
    from shuanggang.workflow.letters import CHECKIN_DIR

    out = ws.out_dir
    year = _YEAR.search(change.detail)
    by_command = {
        "register": [out / CHECKIN_DIR],
        "report": [out / f"{year[1] if year else settings.year}年度考评"],
        "assign-branches": [out / WORKBOOK],
        "liaisons assign": [out / "联系点"],
        "certificates": [out / CERT_DIR],
    }
    return [p for p in by_command.get(change.command, []) if p.exists()]


def undo(ws: Workspace, store: Store, settings: Settings, *, dry_run: bool = False) -> Undo:
    """Take back the newest change not yet undone, after an automatic backup (undo itself
    cannot be undone: the backup can be restored)."""
    with store.reading():
        change = stored.next_to_undo(store)
    result = Undo(change, dry_run, outputs_of(ws, settings, change))
    if dry_run:
        return result
    from shuanggang.store.backup import automatic

    result.backup = automatic(ws, f"撤销{change.id}前")
    stored.undo(store, expected=change.id)
    return result
