"""The audit trail read back, and undo: taking the newest change back row by row.

Since schema 7, triggers on every data table write to `undo_log` the SQL statement that
reverses each row change (an insert is taken back by a DELETE of its rowid, an update by
an UPDATE of the old values, a delete by an INSERT of the old row with its old id), and
`Store.change` gives that change's entries its audit id. Undo runs a change's entries
newest first, in one transaction with foreign keys checked at COMMIT, so every table is
exactly as it was before the change: same rows, same ids.

Changes are taken back newest first only: a change's entries reverse it from the state it
left, which is the current state once every later change has been taken back.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from shuanggang.errors import ShuanggangError
from shuanggang.store import dialect
from shuanggang.store.db import COUNTED, UNDO_VERSION, Store

# The tables' Chinese names, for counts; the rest are named by COUNTED already.
LABELS = {
    **COUNTED,
    "cadres": "联系干部",
    "log_imports": "已导入台账",
}
# Commands whose change is the workspace itself.
NOT_UNDOABLE = {"init": "创建工作区（init）"}

_DELETE_BY_ROWID = re.compile(r"DELETE FROM (\w+) WHERE rowid=(-?\d+)")


class UndoRefused(ShuanggangError):
    """Nothing to undo, or a change undo cannot take back; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Counts:
    """Rows one change added, changed and removed, per table."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values()) + sum(self.changed.values()) + sum(self.removed.values())

    def text(self) -> str:
        """`团员 +120，服务记录 ~3，认领 −1`; empty when nothing changed."""
        parts = [
            f"{LABELS.get(table, table)} {sign}{n}"
            for counts, sign in ((self.added, "+"), (self.changed, "~"), (self.removed, "−"))
            for table, n in counts.items()
        ]
        return "，".join(parts)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"added": self.added, "changed": self.changed, "removed": self.removed}


@dataclass(frozen=True, slots=True)
class Change:
    """One audit row: one command's change."""

    id: int
    at: str
    user: str
    command: str
    detail: str
    file_hash: str | None
    file_name: str | None  # the archived input's name, while the store still knows it
    undone_by: int | None
    undoes: int | None  # an undo: the change it took back
    counts: Counts | None  # None: made before undo was introduced, nothing logged

    @property
    def file_label(self) -> str:
        if self.file_name:
            return self.file_name
        return f"{self.file_hash[:12]}…" if self.file_hash else ""


def logging_undo(store: Store) -> bool:
    return store.version >= UNDO_VERSION


def undo_start(store: Store) -> int:
    """Changes with audit ids up to this were made before undo was introduced."""
    if not logging_undo(store):
        return 2**62
    row = store.conn.execute("SELECT max(audit_id) FROM undo_start").fetchone()
    return int(row[0] or 0)


def changes(store: Store, limit: int | None = None, before: int | None = None) -> list[Change]:
    """The audited changes, newest first."""
    sql = (
        "SELECT a.id, a.at, a.user, a.command, a.detail, a.file_hash, a.undone_by, f.name,"
        " (SELECT u.id FROM audit u WHERE u.undone_by = a.id) AS undoes"
        " FROM audit a LEFT JOIN files f ON f.hash = a.file_hash"
    )
    params: list[object] = []
    if before is not None:
        sql += " WHERE a.id < ?"
        params.append(before)
    sql += " ORDER BY a.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = store.conn.execute(sql, params).fetchall()
    start = undo_start(store)
    return [
        Change(
            id=int(r["id"]),
            at=r["at"],
            user=r["user"],
            command=r["command"],
            detail=r["detail"],
            file_hash=r["file_hash"],
            file_name=r["name"],
            undone_by=r["undone_by"],
            undoes=r["undoes"],
            counts=_counts(store, int(r["id"])) if r["id"] > start else None,
        )
        for r in rows
    ]


def _counts(store: Store, audit_id: int) -> Counts:
    """Read from the entries themselves: DELETE takes back an insert, UPDATE an update,
    INSERT a delete; the table is the statement's third word (second for UPDATE)."""
    rows = store.conn.execute(
        "SELECT op, tbl, count(*) FROM (SELECT seq, substr(statement, 1, 6) AS op,"
        " CASE substr(statement, 1, 6)"
        "  WHEN 'UPDATE' THEN substr(statement, 8, instr(substr(statement, 8), ' ') - 1)"
        "  WHEN 'DELETE' THEN substr(statement, 13, instr(substr(statement, 13), ' ') - 1)"
        "  ELSE substr(statement, 13, instr(substr(statement, 13), '(') - 1) END AS tbl"
        " FROM undo_log WHERE audit_id = ?) GROUP BY op, tbl ORDER BY min(seq)",
        (audit_id,),
    ).fetchall()
    counts = Counts()
    slot = {"DELETE": counts.added, "UPDATE": counts.changed, "INSERT": counts.removed}
    for op, table, n in rows:
        slot[op][table] = int(n)
    return counts


def next_to_undo(store: Store) -> Change:
    """The newest change not yet undone (undos themselves are not changes to take back),
    or UndoRefused saying why there is none that undo can take back."""
    if not logging_undo(store):
        raise UndoRefused("工作区数据库版本过旧，不支持撤销", "请升级 shuanggang")
    row = store.conn.execute(
        "SELECT id FROM audit WHERE undone_by IS NULL AND command != 'undo'"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise UndoRefused("没有可以撤销的更改")
    (change,) = changes(store, limit=1, before=int(row[0]) + 1)
    where = f"#{change.id}（{change.command}，{change.at}）"
    if change.command in NOT_UNDOABLE:
        raise UndoRefused(
            f"更早的更改都已撤销；{where}是{NOT_UNDOABLE[change.command]}，不能撤销",
            "如需重新开始，请在新目录中运行 shuanggang init",
        )
    if change.counts is None:
        raise UndoRefused(
            f"{where}是在启用撤销功能（数据库升级到版本 {UNDO_VERSION}）之前做的更改，"
            "没有撤销记录，无法撤销",
            "如需回到更早的状态，请用 shuanggang restore 从备份恢复",
        )
    return change


def undo(store: Store, expected: int | None = None) -> Change:
    """Take back the next change to undo (`expected`, if given: it must still be the
    next); the undo is itself audited (command "undo", detail "#N …"). The change taken
    back is returned."""
    with store.reading():
        change = next_to_undo(store)
    if expected is not None and change.id != expected:
        raise _raced()
    detail = f"#{change.id} {change.command} {change.detail}".strip()
    try:
        with store.change("undo", detail, undoes=change.id) as tx:
            if next_to_undo(tx).id != change.id:  # another command committed meanwhile
                raise _raced()
            _take_back(tx, change.id)
    except sqlite3.IntegrityError as exc:
        raise UndoRefused(
            f"无法撤销 #{change.id}：数据库中的数据与这次更改之后的状态不一致（{exc}），"
            "工作区未改动",
            "可能有更改没有留下撤销记录；如需回到更早的状态，请用 shuanggang restore 从备份恢复",
        ) from None
    return change


def _raced() -> UndoRefused:
    return UndoRefused(
        "撤销期间有其他命令修改了工作区，这次撤销没有进行",
        "请先运行 shuanggang history 查看，再重新运行 shuanggang undo",
    )


def _take_back(store: Store, audit_id: int) -> None:
    """Run the change's entries newest first. The undo triggers are set aside meanwhile
    (inside the transaction: a failure puts them back with everything else), so the undo
    logs nothing of its own; foreign keys are checked once, at COMMIT."""
    conn = store.conn
    dialect.defer_foreign_keys(conn)  # reset by COMMIT or ROLLBACK
    triggers = dialect.undo_triggers(conn)
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    statements = conn.execute(
        "SELECT statement FROM undo_log WHERE audit_id = ? ORDER BY seq DESC", (audit_id,)
    ).fetchall()
    for table, rowids in _runs(s for (s,) in statements):
        if table is None:
            conn.execute(rowids[0])
        else:
            conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", ((r,) for r in rowids))
    for _, sql in triggers:
        conn.execute(sql)


def _runs(statements: Iterable[str]) -> Iterable[tuple[str | None, list[str]]]:
    """Consecutive deletes by rowid from one table as one batch (what taking back a big
    insert is made of); any other statement on its own, as (None, [statement])."""
    table: str | None = None
    rowids: list[str] = []
    for statement in statements:
        match = _DELETE_BY_ROWID.fullmatch(statement)
        if match and match[1] == table:
            rowids.append(match[2])
            continue
        if table is not None:
            yield table, rowids
            table, rowids = None, []
        if match:
            table, rowids = match[1], [match[2]]
        else:
            yield None, [statement]
    if table is not None:
        yield table, rowids
