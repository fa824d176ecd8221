"""`status`: what the workspace holds and what is left to do, in the order of a year."""

from __future__ import annotations

from dataclasses import dataclass, field

from shuanggang import clock
from shuanggang.domain.liaisons import HALVES
from shuanggang.domain.values import half_year
from shuanggang.store import Store, registry
from shuanggang.store.status import Holdings, holdings


@dataclass(frozen=True, slots=True)
class Status:
    holdings: Holdings
    todo: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return self.holdings.counts

    @property
    def last(self) -> dict[str, str | None]:
        return self.holdings.last

    def labelled_counts(self) -> list[tuple[str, int]]:
        return self.holdings.labelled_counts()


def workspace_status(store: Store, year: int) -> Status:
    """`year`: the workspace's working year (its consultations are checked)."""
    held = holdings(store)
    counts = held.counts
    todo = []
    unplaced = counts["members"] - counts["branch_members"]
    if counts["orgs"] == 0:
        todo.append("还没有单位报到：用 shuanggang register 登记《团员信息汇总表》")
    if unplaced > 0:
        todo.append(f"{unplaced} 名团员尚未编入活动团支部：运行 shuanggang assign-branches")
    if held.ran_after(("register",), ("assign-branches",)):
        todo.append("编组之后又有单位报到或更换名单：活动团支部编组表需要更新")
    if held.ran_after(("register", "services import", "assign-branches", "merge"), ("report",)):
        todo.append("考评之后数据有变化：综合考评和反馈函需要重新生成（shuanggang report）")
    if held.without_projects:
        names = "、".join(held.without_projects)
        todo.append(
            f"{names} 社区已有单位报到但没有《为民服务实事台账》："
            "用 shuanggang projects import 导入"
        )
    held_out = sum(s.held for s in held.sources)
    if held_out:
        todo.append(
            f"合并时有 {held_out} 条记录因冲突暂未合并："
            "处理冲突后重新合并相应街道（shuanggang merge）"
        )
    todo += _consultations_due(store, year)
    return Status(held, todo)


def _consultations_due(store: Store, year: int) -> list[str]:
    """Org–community pairs still owing this half-year's consultation (互通协商)."""
    today = clock.today()
    owing = [p for p in registry.consultation_plan(store, year) if p.overdue(today, year)]
    if not owing:
        return []
    names = "、".join(f"{p.org}（{p.community}）" for p in owing[:5])
    more = f"等 {len(owing)} 对" if len(owing) > 5 else ""
    when = f"{year}年{HALVES[half_year(today)]}" if today.year == year else f"{year}年"
    return [f"{when}尚未互通协商：{names}{more}"]
