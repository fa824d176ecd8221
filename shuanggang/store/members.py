"""One member at a time: finding, reading, correcting, leaving and returning.

Every function takes the open `Store`; those that write work inside the caller's
transaction (`Store.change`, so the change is audited and can be undone) and none
commits. Reads return records, never rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shuanggang.store.db import Store
from shuanggang.store.records import MemberRecord
from shuanggang.store.registry import _MEMBER, _member_record

# The member columns `members update` may change, besides the derived slots and category.
EDITABLE = (
    "name",
    "phone",
    "residence",
    "specialty",
    "willingness",
    "availability",
    "league_post",
    "political_status",
    "occupation",
    "interests",
    "remark",
)


@dataclass(frozen=True, slots=True)
class Standing:
    """在册, or 已调离 from `left_on` (ISO date) for `left_reason`."""

    left_on: str = ""
    left_reason: str = ""

    @property
    def left(self) -> bool:
        return bool(self.left_on)

    @property
    def label(self) -> str:
        return f"已调离（{self.left_on}）" if self.left_on else "在册"


@dataclass(frozen=True, slots=True)
class ServiceTotals:
    services: int = 0
    minutes: int = 0
    first: str = ""  # ISO date of the first and last service, "" when none
    last: str = ""


def member(store: Store, member_id: int) -> MemberRecord:
    return _member_record(store.conn.execute(f"{_MEMBER} WHERE m.id = ?", (member_id,)).fetchone())


def by_key(store: Store, key: str) -> list[MemberRecord]:
    """The member with that ID number, else those with that 团员编号 (not unique)."""
    rows = store.conn.execute(f"{_MEMBER} WHERE m.id_number = ?", (key.upper(),)).fetchall()
    if not rows:
        rows = store.conn.execute(
            f"{_MEMBER} WHERE m.member_no = ? ORDER BY m.id", (key,)
        ).fetchall()
    return [_member_record(r) for r in rows]


def find(store: Store, text: str, limit: int = 200) -> list[MemberRecord]:
    """Members whose name holds `text`, whose ID number or phone ends with it, or whose
    团员编号 is it; by community, organisation and sheet order."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = store.conn.execute(
        f"{_MEMBER} WHERE m.name LIKE ? ESCAPE '\\' OR m.id_number LIKE ? ESCAPE '\\'"
        " OR m.phone LIKE ? ESCAPE '\\' OR m.member_no = ?"
        " ORDER BY c.short, o.name, o.id, m.id LIMIT ?",
        (f"%{escaped}%", f"%{escaped.upper()}", f"%{escaped}", text, limit),
    )
    return [_member_record(r) for r in rows]


def keys(store: Store) -> list[str]:
    """Every ID number and 团员编号, for suggesting the nearest to one not found."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id_number FROM members UNION SELECT member_no FROM members"
            " WHERE member_no IS NOT NULL AND member_no != ''"
        )
    ]


def standing(store: Store, member_id: int) -> Standing:
    row = store.conn.execute(
        "SELECT left_on, left_reason FROM members WHERE id = ?", (member_id,)
    ).fetchone()
    return Standing(row[0] or "", row[1] or "")


def standings(store: Store) -> dict[int, Standing]:
    """Member id → standing, for the members who left (the others are 在册)."""
    return {
        r[0]: Standing(r[1], r[2] or "")
        for r in store.conn.execute(
            "SELECT id, left_on, left_reason FROM members WHERE left_on IS NOT NULL"
        )
    }


def service_totals(store: Store, member_id: int) -> ServiceTotals:
    n, minutes, first, last = store.conn.execute(
        "SELECT count(*), coalesce(sum(minutes), 0), min(date), max(date) FROM services"
        " WHERE member_id = ?",
        (member_id,),
    ).fetchone()
    return ServiceTotals(int(n), int(minutes), first or "", last or "")


def release_placement(store: Store, member_id: int) -> bool:
    """Take the member out of their activity branch; the next assign-branches places them
    again (or, having left, not at all). True when they had one."""
    cursor = store.conn.execute("DELETE FROM branch_members WHERE member_id = ?", (member_id,))
    return cursor.rowcount > 0


def update(store: Store, member_id: int, values: Mapping[str, Any]) -> None:
    """Set the given columns (EDITABLE, slots, category); "" is stored as NULL but for
    slots, which are never NULL."""
    columns = [c for c in values if c in (*EDITABLE, "slots", "category")]
    if len(columns) != len(values):
        raise ValueError(f"not member columns: {sorted(set(values) - set(columns))}")
    if not columns:
        return
    args: Sequence[Any] = [
        values[c] if c in ("slots", "category") or values[c] != "" else None for c in columns
    ]
    store.conn.execute(
        f"UPDATE members SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
        (*args, member_id),
    )


def set_left(store: Store, member_id: int, on: str, reason: str) -> None:
    store.conn.execute(
        "UPDATE members SET left_on = ?, left_reason = ? WHERE id = ?", (on, reason, member_id)
    )


def set_returned(store: Store, member_id: int) -> None:
    store.conn.execute(
        "UPDATE members SET left_on = NULL, left_reason = NULL WHERE id = ?", (member_id,)
    )
