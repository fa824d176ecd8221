"""The Chinese names people see for the project's codes: each field's label and each kind
of sheet's name, kept here once. The sheet tables, findings and messages take them from here."""

from __future__ import annotations

from enum import StrEnum

# field name (the code name, also the store's column) → its canonical Chinese header
FIELD_LABELS: dict[str, str] = {
    # members
    "name": "姓名",
    "gender": "性别",
    "id_number": "身份证号",
    "member_no": "团员编号",
    "ethnicity": "民族",
    "birth": "出生年月",
    "political_status": "政治面貌",
    "joined": "入团年月",
    "education": "学历",
    "home_branch": "所在团支部",
    "league_post": "团内职务",
    "phone": "手机号码",
    "residence": "居住社区",
    "occupation": "工作单位及职务",
    "specialty": "专业特长",
    "willingness": "服务意向",
    "interests": "兴趣爱好",
    "availability": "可服务时间",
    "consent": "同意合编",
    "remark": "备注",
    # projects
    "project_no": "编号",
    "title": "项目名称",
    "category": "服务类别",
    "content": "服务内容",
    "schedule": "服务时间",
    "place": "服务地点",
    "needed": "需求人数",
    "contact": "联系人",
    "contact_phone": "联系电话",
    "claimed_by": "认领单位",
    # services and consultations
    "date": "日期",
    "community": "社区",
    "branch": "活动团支部",
    "project": "项目名称",
    "org": "报到单位",
    "member": "姓名",
    "participants": "参加人员",
    "hours": "服务时长（小时）",
    "beneficiaries": "服务对象人数",
    "rating": "社区评价",
    "form": "形式",
    "summary": "内容摘要",
    # cadres
    "level": "层级",
    "post": "职务",
    "street": "所在街道",
    "excluded": "不联系",
    "preferred": "优先联系",
    # named by command options, not by a column
    "claim": "认领项目",
}


# The fields of a member sheet, as the member sheet's table and the store's columns
# both use them.
MEMBER_FIELDS = (
    "name",
    "gender",
    "id_number",
    "member_no",
    "ethnicity",
    "birth",
    "political_status",
    "joined",
    "education",
    "home_branch",
    "league_post",
    "phone",
    "residence",
    "occupation",
    "specialty",
    "willingness",
    "interests",
    "availability",
    "consent",
    "remark",
)


def field_label(name: str) -> str:
    """The Chinese label of a field; "" for no field, the name itself if it has none."""
    return FIELD_LABELS.get(name, name) if name else ""


class Kind(StrEnum):
    """The kinds of sheet the tool reads; the value is the code name (--kind members)."""

    MEMBERS = "members"
    PROJECTS = "projects"
    SERVICES = "services"
    CONSULTATIONS = "consultations"
    PINS = "pins"
    CADRES = "cadres"

    @property
    def label(self) -> str:
        """The sheet's Chinese name: 团员信息汇总表."""
        return _KIND_LABELS[self]

    @property
    def book_title(self) -> str:
        """The name as documents quote it: 《团员信息汇总表》."""
        return f"《{_KIND_LABELS[self]}》"


_KIND_LABELS = {
    Kind.MEMBERS: "团员信息汇总表",
    Kind.PROJECTS: "为民服务实事台账",
    Kind.SERVICES: "服务活动台账",
    Kind.CONSULTATIONS: "互通协商记录",
    Kind.PINS: "活动团支部指定表",
    Kind.CADRES: "团干部基层联系点干部名单",
}


class Outcome(StrEnum):
    """What became of one input file; the value is what --json says."""

    REGISTERED = "registered"
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    REPLACED = "replaced"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.REGISTERED: "已报到",
    Outcome.IMPORTED: "已导入",
    Outcome.UNCHANGED: "无变化",
    Outcome.REPLACED: "已替换",
    Outcome.REJECTED: "未通过",
}
