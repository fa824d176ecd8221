"""Excel views of the store for the office (`export`). These are internal: they carry
full ID numbers and phones, and never leave the office like letters do."""

from __future__ import annotations

from pathlib import Path

from shuanggang.domain.model import org_labels
from shuanggang.domain.values import slot_labels
from shuanggang.render.tables import Column, Table, write_tables
from shuanggang.store import Store, registry
from shuanggang.store.members import Standing, standings

# Every field the sheet gave, what was derived from it, the branch and the standing.
ROSTER = (
    Column("报到单位", 28),
    Column("报到社区", 10),
    Column("姓名", 10),
    Column("性别", 6),
    Column("身份证号", 21, text=True),
    Column("手机号码", 14, text=True),
    Column("状态", 20),
    Column("离团原因", 10),
    Column("团员编号", 14, text=True),
    Column("民族", 8),
    Column("出生年月", 11),
    Column("政治面貌", 12),
    Column("入团年月", 11),
    Column("学历", 10),
    Column("所在团支部", 20),
    Column("团内职务", 10),
    Column("工作单位及职务", 24),
    Column("居住社区", 14),
    Column("专业特长", 16),
    Column("服务意向", 14),
    Column("兴趣爱好", 14),
    Column("可服务时间", 16),
    Column("时段", 24),
    Column("服务类别", 10),
    Column("同意合编", 8),
    Column("备注", 20),
    Column("活动团支部", 28),
)
PROJECTS = (
    Column("社区", 10),
    Column("编号", 10, text=True),
    Column("项目名称", 24),
    Column("服务类别", 10),
    Column("服务内容", 36),
    Column("服务时间", 18),
    Column("服务地点", 16),
    Column("需求人数", 8),
    Column("联系人", 10),
    Column("联系电话", 14, text=True),
    Column("认领单位", 30),
)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def roster(store: Store, target: Path) -> Path:
    """Every member with every field the sheet gave, and whether they are 在册 or left."""
    members = list(registry.all_members(store))
    left = standings(store)
    label = org_labels({m.org for m in members})
    rows = (
        (
            label[m.org],
            m.org.community,
            m.name,
            m.gender,
            m.id_number,
            m.phone,
            left.get(m.id, Standing()).label,
            left.get(m.id, Standing()).left_reason,
            m.member_no,
            m.ethnicity,
            m.birth,
            m.political_status,
            m.joined,
            m.education,
            m.home_branch,
            m.league_post,
            m.occupation,
            m.residence,
            m.specialty,
            m.willingness,
            m.interests,
            m.availability,
            slot_labels(m.slots),
            m.category,
            _yes_no(m.consent),
            m.remark,
            m.branch,
        )
        for m in members
    )
    return write_tables(target, [Table("团员名册", ROSTER, rows)])


def projects(store: Store, target: Path) -> Path:
    label = org_labels(o.ref for o in registry.orgs(store))
    rows = (
        (
            p.community,
            p.project_no,
            p.title,
            p.category,
            p.content,
            p.schedule,
            p.place,
            p.needed,
            p.contact,
            p.contact_phone,
            "、".join(label[o] for o in p.claimed_by),
        )
        for p in registry.all_projects(store)
    )
    return write_tables(target, [Table("为民服务项目", PROJECTS, rows)])


def branches(store: Store, target: Path) -> Path:
    from shuanggang.workflow.branches import export_workbook

    return export_workbook(store, target)


EXPORTS = {"roster": roster, "projects": projects, "branches": branches}
