"""What a workspace holds and what is out of date (`shuanggang status`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shuanggang.store.db import COUNTED, Store

# Stages in the order of a year, as recorded in the audit table.
STAGES = ("init", "projects import", "register", "assign-branches", "services import", "report")


@dataclass(frozen=True, slots=True)
class Status:
    counts: dict[str, int]
    last: dict[str, str | None]
    todo: list[str] = field(default_factory=list)

    def labelled_counts(self) -> list[tuple[str, int]]:
        return [(COUNTED[table], n) for table, n in self.counts.items()]


def _after(store: Store, newer: tuple[str, ...], older: tuple[str, ...]) -> bool:
    """Did any of `newer` run after the last of `older` (which did run)?"""
    last_old = store.last_run(*older)
    last_new = store.last_run(*newer)
    return last_old is not None and last_new is not None and last_new["id"] > last_old["id"]


def workspace_status(store: Store, year: int | None = None) -> Status:
    """`year`: the workspace's working year (its consultations are checked)."""
    counts = store.counts()
    last = {stage: (row["at"] if (row := store.last_run(stage)) else None) for stage in STAGES}
    todo = []
    unplaced = counts["members"] - counts["branch_members"]
    if counts["orgs"] == 0:
        todo.append("还没有单位报到：用 shuanggang register 登记《团员信息汇总表》")
    if unplaced > 0:
        todo.append(f"{unplaced} 名团员尚未编入活动团支部：运行 shuanggang assign-branches")
    if _after(store, ("register",), ("assign-branches",)):
        todo.append("编组之后又有单位报到或更换名单：活动团支部编组表需要更新")
    if _after(store, ("register", "services import", "assign-branches"), ("report",)):
        todo.append("考评之后数据有变化：综合考评和反馈函需要重新生成（shuanggang report）")
    without_projects = store.conn.execute(
        "SELECT c.short FROM communities c WHERE EXISTS (SELECT 1 FROM orgs o"
        " WHERE o.community_id = c.id) AND NOT EXISTS (SELECT 1 FROM projects p"
        " WHERE p.community_id = c.id) ORDER BY c.short"
    ).fetchall()
    if without_projects:
        names = "、".join(r[0] for r in without_projects)
        todo.append(
            f"{names} 社区已有单位报到但没有《为民服务实事台账》："
            "用 shuanggang projects import 导入"
        )
    todo += _consultations_due(store, year)
    return Status(counts=counts, last=last, todo=todo)


def _consultations_due(store: Store, year: int | None) -> list[str]:
    """Org–community pairs still owing this half-year's consultation (互通协商)."""
    from shuanggang import clock
    from shuanggang.domain.liaisons import HALVES, half_of
    from shuanggang.store.registry import consultation_plan

    today = clock.today()
    year = year or today.year
    owing = [p for p in consultation_plan(store, year) if p.overdue(today, year)]
    if not owing:
        return []
    names = "、".join(f"{p.org}（{p.community}）" for p in owing[:5])
    more = f"等 {len(owing)} 对" if len(owing) > 5 else ""
    when = f"{year}年{HALVES[half_of(today)]}" if today.year == year else f"{year}年"
    return [f"{when}尚未互通协商：{names}{more}"]
