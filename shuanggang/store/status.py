"""What a workspace holds, as facts for `shuanggang status`: counts, when each stage last
ran, and which communities with organisations still lack a project ledger."""

from __future__ import annotations

from dataclasses import dataclass

from shuanggang.store.db import COUNTED, Store
from shuanggang.store.merge import SourceRecord, sources

# Stages in the order of a year, as recorded in the audit table.
STAGES = (
    "init",
    "projects import",
    "register",
    "assign-branches",
    "services import",
    "merge",
    "report",
)


@dataclass(frozen=True, slots=True)
class Holdings:
    counts: dict[str, int]
    last: dict[str, str | None]  # stage → when it last ran
    order: dict[str, int]  # stage → its last audit number, 0 if it never ran
    without_projects: tuple[str, ...]  # communities with orgs but no project ledger
    sources: tuple[SourceRecord, ...] = ()  # what each merged street brought, and when

    def labelled_counts(self) -> list[tuple[str, int]]:
        return [(COUNTED[table], n) for table, n in self.counts.items()]

    def ran_after(self, newer: tuple[str, ...], older: tuple[str, ...]) -> bool:
        """Did any of `newer` run after the last of `older` (which did run)?"""
        last_old = max(self.order[s] for s in older)
        return last_old > 0 and max(self.order[s] for s in newer) > last_old


def holdings(store: Store) -> Holdings:
    runs = {stage: store.last_run(stage) for stage in STAGES}
    without = store.conn.execute(
        "SELECT c.short FROM communities c WHERE EXISTS (SELECT 1 FROM orgs o"
        " WHERE o.community_id = c.id AND o.withdrawn_on IS NULL)"
        " AND NOT EXISTS (SELECT 1 FROM projects p"
        " WHERE p.community_id = c.id) ORDER BY c.short"
    ).fetchall()
    counts = store.counts()
    # A withdrawn organisation and its members stay rows (history) but are not counted.
    conn = store.conn
    counts["orgs"] = int(
        conn.execute("SELECT count(*) FROM orgs WHERE withdrawn_on IS NULL").fetchone()[0]
    )
    counts["members"] = int(
        conn.execute(
            "SELECT count(*) FROM members m JOIN orgs o ON o.id = m.org_id"
            " WHERE o.withdrawn_on IS NULL"
        ).fetchone()[0]
    )
    return Holdings(
        counts=counts,
        last={s: (r["at"] if r else None) for s, r in runs.items()},
        order={s: (int(r["id"]) if r else 0) for s, r in runs.items()},
        without_projects=tuple(r[0] for r in without),
        sources=tuple(sources(store)),
    )
