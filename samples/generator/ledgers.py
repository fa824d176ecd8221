"""Everything besides the member sheets: the communities' project ledgers
(《为民服务实事台账》), the year's activities and the service logs that record them
(《服务活动台账》, one row per member per activity or one row per activity with a
参加人员 list), 互通协商 records, and the cadre sheet for the liaison points."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .common import STREET, YEAR, Cell, cn_date, num, random_day, stripped_lines, weighted, words
from .people import PROFILES, Member, Organisation, Registry, landline
from .tables import Table, write_xlsx


@dataclass(frozen=True, slots=True)
class ProjectKind:
    title: str
    category: str
    content: str
    schedule: str
    place: str
    needed: int
    activities: tuple[str, ...]  # what a log's 活动内容 says
    when: str = ""  # "weekday" (after school, office hours), "summer" (July–August weekdays)


def _project_kinds(table: str) -> tuple[ProjectKind, ...]:
    """Project kinds written as `title | category | schedule | place | needed [| when]`,
    then a line with the content and `- ` lines with what the logs say was done."""
    kinds: list[dict[str, Any]] = []
    for line in stripped_lines(table):
        if "|" in line:
            title, category, schedule, place, needed, *when = (p.strip() for p in line.split("|"))
            kinds.append(
                {
                    "title": title,
                    "category": category,
                    "schedule": schedule,
                    "place": place,
                    "needed": int(needed),
                    "activities": (),
                    "when": "".join(when),
                }
            )
        elif line.startswith("- "):
            kinds[-1]["activities"] += (line[2:],)
        else:
            kinds[-1]["content"] = line
    return tuple(ProjectKind(**k) for k in kinds)


PROJECT_KINDS = _project_kinds("""
    健康义诊进社区 | 义诊服务 | 每月第二个周六上午 | 社区党群服务中心 | 6
        为辖区居民测量血压血糖，提供健康咨询
        - 为老年人测量血压、血糖并讲解用药常识
        - 开展健康咨询和慢病随访
        - 开展心肺复苏急救知识培训
    关爱独居老人入户巡诊 | 义诊服务 | 每季度一次 | 辖区居民家中 | 4
        入户为独居、失能老人巡诊
        - 入户为独居老人巡诊并建立健康档案
        - 上门测量血压、讲解防跌倒知识
    惠民政策咨询台 | 政策咨询 | 每月最后一个周五下午 | 社区便民服务大厅 | 3 | weekday
        解答社保、医保、养老等惠民政策
        - 解答居民医保缴费政策问题
        - 宣讲养老保险、惠民政策
    四点半课堂 | 课业辅导 | 周一至周五16:30-18:00 | 社区四点半课堂活动室 | 5 | weekday
        为双职工家庭子女提供课后作业辅导
        - 辅导小学生完成家庭作业
        - 开展英语趣味学习和作业答疑
        - 为初中生讲解数学重点题型
    暑期托管课业辅导 | 课业辅导 | 7月至8月每周二、四上午 | 社区青少年活动室 | 6 | summer
        暑假期间开展课业辅导和安全教育
        - 暑期托管班作业辅导
        - 开展防溺水安全教育课
    防范电信诈骗宣传 | 金融服务 | 每月一次 | 社区广场 | 4
        向老年人宣传防范电信网络诈骗知识
        - 发放反诈宣传资料并讲解典型案例
        - 帮助居民安装国家反诈中心APP
    老年人金融知识讲座 | 金融服务 | 每季度一次 | 社区老年活动室 | 3
        讲解理财风险、识别假币、养老金领取
        - 讲解识别假币和理财风险
        - 指导老年人使用手机银行
    法律咨询服务站 | 法律服务 | 每月第一个周六上午 | 社区调解室 | 3
        为居民提供婚姻家庭、劳动、物业等法律咨询
        - 接待居民法律咨询并解答物业纠纷问题
        - 协助调解邻里纠纷
    普法宣传进楼院 | 法律服务 | 每季度一次 | 各居民楼院 | 4
        进楼院开展民法典等普法宣传
        - 开展民法典宣传并发放普法手册
        - 举办防范养老诈骗法律讲座
    和谐社区大舞台 | 文艺服务 | 节假日 | 社区文化广场 | 10
        组织社区文艺演出，丰富居民文化生活
        - 排练并演出社区文艺节目
        - 举办“和谐社区大舞台”文艺汇演
        - 走进敬老院开展慰问演出
    少儿美术书法兴趣班 | 文艺服务 | 每周六下午 | 社区活动室 | 4
        为辖区少年儿童教授美术、书法
        - 教授少儿书法基本笔画
        - 开展少儿绘画兴趣课
    小家电义务维修 | 科技服务 | 每月第三个周日上午 | 社区广场 | 4
        为居民免费维修电饭煲、电风扇等小家电
        - 为居民义务维修电饭煲、电风扇等小家电
        - 检修电热水壶、台灯等小家电
    教老年人用智能手机 | 科技服务 | 每周三下午 | 社区老年活动室 | 4 | weekday
        教老年人使用智能手机、健康码、网上缴费
        - 教老年人使用微信视频和网上缴费
        - 指导老年人用手机挂号
    楼道清理与环境整治 | 环境整治 | 每月一次 | 辖区老旧小区 | 8
        清理楼道杂物、小广告，整治卫生死角
        - 清理楼道杂物和小广告
        - 整治卫生死角、清理绿化带垃圾
    海岸线垃圾清捡 | 环境整治 | 每月最后一个周日上午 | 滨海广场至海岸线 | 10
        沿海岸线清捡垃圾、宣传海洋环保
        - 沿海岸线清捡垃圾
        - 开展海洋环保宣传
    垃圾分类宣传督导 | 环境整治 | 每周六上午 | 小区垃圾投放点 | 4
        在投放点宣传垃圾分类并督导
        - 在投放点督导居民垃圾分类
        - 入户发放垃圾分类宣传页
""")


@dataclass(frozen=True, slots=True)
class Project:
    no: str | int
    kind: ProjectKind
    community: str
    contact: str
    contact_phone: str

    @property
    def title(self) -> str:
        return self.kind.title

    @property
    def category(self) -> str:
        return self.kind.category


@dataclass(frozen=True, slots=True)
class LedgerStyle:
    headers: Sequence[str]  # in the order of `project_table`'s columns
    number: Callable[[int], str | int]
    fill_date: date
    footer: bool = False


LEDGER_STYLES = {
    "海岸路": LedgerStyle(
        words(
            "编号 项目名称 服务类别 服务内容 服务时间 服务地点 需求人数 联系人 联系电话 认领单位"
        ),
        lambda i: f"2026-{i:02d}",
        date(2026, 3, 1),
        footer=True,
    ),
    "民生": LedgerStyle(
        words("项目编号 服务项目 类别 服务内容 频次 服务地点 所需人数 联系人 联系电话 认领单位"),
        lambda i: i,
        date(2026, 3, 2),
    ),
    "进德": LedgerStyle(
        words(
            "编号 项目名称 服务类别 服务内容 活动时间 服务地点 需求人数 联系人 联系电话 认领单位"
        ),
        lambda i: f"{i:02d}",
        date(2026, 3, 2),
    ),
}
LEDGER_PROJECTS = {  # which project kinds each community lists
    "海岸路": words("""
        健康义诊进社区 关爱独居老人入户巡诊 法律咨询服务站 普法宣传进楼院 小家电义务维修
        海岸线垃圾清捡 惠民政策咨询台 和谐社区大舞台
    """),
    "民生": words("""
        防范电信诈骗宣传 老年人金融知识讲座 四点半课堂 暑期托管课业辅导 和谐社区大舞台
        少儿美术书法兴趣班 楼道清理与环境整治 惠民政策咨询台 健康义诊进社区
    """),
    "进德": words("""
        小家电义务维修 教老年人用智能手机 四点半课堂 垃圾分类宣传督导 楼道清理与环境整治
        普法宣传进楼院
    """),
}
KIND_BY_TITLE = {k.title: k for k in PROJECT_KINDS}


def make_projects(
    community: str,
    titles: Iterable[str],
    number: Callable[[int], str | int],
    rng: random.Random,
    registry: Registry,
) -> list[Project]:
    contact = registry.name(rng, rng.random() < 0.3)
    phone = landline(rng) if rng.random() < 0.5 else registry.phone(rng)
    return [
        Project(number(i), KIND_BY_TITLE[t], community, contact, phone)
        for i, t in enumerate(titles, 1)
    ]


def project_table(
    community: str, projects: Sequence[Project], style: LedgerStyle, street: str = STREET
) -> Table:
    rows: list[list[Cell]] = [
        [
            p.no,
            p.title,
            p.category,
            p.kind.content,
            p.kind.schedule,
            p.kind.place,
            p.kind.needed,
            p.contact,
            p.contact_phone,
            None,
        ]
        for p in projects
    ]
    signature = f"社区团支部书记：{projects[0].contact}    联系电话：{projects[0].contact_phone}"
    note = "说明：报到单位团组织现场认领项目，认领单位一栏由社区填写。"
    return Table(
        header=list(style.headers),
        rows=rows,
        title=f"{community}社区为民服务实事台账",
        preamble=[
            f"填报单位：{street}{community}社区团支部",
            f"填表日期：{cn_date(style.fill_date)}",
        ],
        footer=[signature, note] if style.footer else [],
        formats={0: "@"} if isinstance(projects[0].no, str) else {},
        sheet_name="实事台账",
    )


def write_project_ledger(
    out_dir: Path, community: str, projects: Sequence[Project], style: LedgerStyle
) -> Path:
    return write_xlsx(
        out_dir / f"{community}社区_为民服务实事台账.xlsx",
        project_table(community, projects, style),
    )


@dataclass(slots=True)
class Activity:
    day: date
    org: Organisation
    project: Project
    branch: str
    participants: list[tuple[Member, float]]  # member and hours served
    beneficiaries: int
    content: str
    rating: str


@dataclass(frozen=True, slots=True)
class Engagement:
    """How busy an organisation is during the year."""

    activities: int
    active_share: float
    group: tuple[int, int]  # participants per activity
    writes_branch: bool = True


HOURS = (1.5, 2, 2, 2, 3, 3, 1, 2.5, 4)


def pick_day(rng: random.Random, when: str = "") -> date:
    """A service day after the launch ceremony: mostly weekends; see `ProjectKind.when`."""
    if when == "summer":
        start, end = date(YEAR, 7, 1), date(YEAR, 8, 31)
    else:
        start, end = date(YEAR, 3, 15), date(YEAR, 12, 20)
    day = random_day(rng, start, end)
    if when and day.weekday() >= 5:  # to a weekday of the next week
        day += timedelta(days=7 - day.weekday() + rng.randrange(5))
    elif rng.random() < 0.7:
        day += timedelta(days=(5 - day.weekday()) % 7 + rng.choice((0, 1)))
    return min(day, end)


def plan_activities(
    org: Organisation,
    members: Sequence[Member],
    projects: Sequence[Project],
    plan: Engagement,
    rng: random.Random,
) -> list[Activity]:
    """The year's activities of one organisation on the projects it would claim."""
    cats = PROFILES[org.profile].categories
    claimed = [p for p in projects if p.category in cats] or list(projects)
    active = rng.sample(list(members), max(1, round(len(members) * plan.active_share)))
    weights = [rng.choice((1, 1, 1, 2, 3)) for _ in active]
    acts = []
    for _ in range(plan.activities):
        project = rng.choice(claimed)
        k = min(len(active), rng.randint(*plan.group))
        chosen: list[Member] = []
        while len(chosen) < k:
            m = rng.choices(active, weights=weights)[0]
            if m not in chosen:
                chosen.append(m)
        base = rng.choice(HOURS)
        parts = [(m, base - 0.5 if base > 1 and rng.random() < 0.1 else base) for m in chosen]
        branch = f"{org.community}社区{project.category}活动团支部" if plan.writes_branch else ""
        acts.append(
            Activity(
                day=pick_day(rng, project.kind.when),
                org=org,
                project=project,
                branch=branch,
                participants=parts,
                beneficiaries=rng.randint(8, 60),
                content=rng.choice(project.kind.activities),
                rating="满意" if rng.random() < 0.85 else "基本满意",
            )
        )
    return acts


LOG_HEADER = words("""
    日期 社区 活动团支部 项目名称 报到单位 姓名 身份证号
    服务时长（小时） 服务对象人数 活动内容 社区评价
""")


def per_member_table(activities: Sequence[Activity], rng: random.Random) -> Table:
    """Service log, one row per member per activity."""
    rows: list[list[Cell]] = []
    for act in sorted(activities, key=lambda a: (a.day, a.org.community, a.org.name)):
        share = max(1, act.beneficiaries // len(act.participants))
        for m, hours in act.participants:
            rows.append(
                [
                    len(rows) + 1,
                    act.day,
                    f"{act.org.community}社区",
                    act.branch,
                    act.project.title,
                    act.org.name,
                    m.name,
                    m.id_number,
                    num(hours),
                    share + rng.randint(0, 3),
                    act.content,
                    act.rating,
                ]
            )
    header = ["序号", *LOG_HEADER]
    return Table(
        header=header,
        rows=rows,
        title=f"{STREET}{YEAR}年服务活动台账",
        preamble=[f"填报单位：{STREET}团工委"],
        formats={1: "yyyy-mm-dd", 7: "@"},
        sheet_name="服务活动台账",
    )


def per_activity_table(community: str, activities: Sequence[Activity], rng: random.Random) -> Table:
    """Service log, one row per activity with its 参加人员."""
    rows: list[list[Cell]] = []
    for act in sorted(activities, key=lambda a: (a.day, a.org.name)):
        names = [m.name for m, _ in act.participants]
        joined = names[0] + "".join(("、" if rng.random() < 0.8 else "，") + n for n in names[1:])
        hours = max(h for _, h in act.participants)
        day = f"{act.day.year}/{act.day.month}/{act.day.day}"
        rows.append(
            [
                day,
                f"{community}社区",
                act.branch,
                act.project.title,
                act.org.name,
                joined,
                num(hours),
                act.beneficiaries,
                act.content,
                act.rating,
            ]
        )
    header = [h for h in LOG_HEADER if h not in ("姓名", "身份证号")]
    header.insert(header.index("报到单位") + 1, "参加人员")
    return Table(
        header=header,
        rows=rows,
        title=f"{community}社区{YEAR}年服务活动台账",
        preamble=[f"填报单位：{community}社区团支部", "说明：服务时长为每名参加人员的服务时长。"],
        sheet_name="活动记录",
    )


CONSULT_TOPICS = (
    (
        "交流{org}团员报到和项目认领情况，商定{cat}活动安排",
        "通报上半年{cat}活动开展情况，协调下半年活动时间",
        "了解团员参加活动的困难，商议调整服务时间",
        "沟通登记活动团支部编组情况，确定联络人",
    ),
    (
        "总结全年双岗双责开展情况，反馈居民意见，商议明年项目需求",
        "反馈{cat}项目群众评价，研究年终考评和推优入党人选",
        "交流下半年活动开展情况，协商寒假期间服务安排",
        "走访了解团员表现，沟通年终考评结果反馈事宜",
    ),
)


def consultation_table(orgs: Sequence[Organisation], rng: random.Random) -> Table:
    """互通协商: community ↔ org, once each half year — mostly."""
    rows: list[list[Cell]] = []
    for org in orgs:
        chance = (0.4, 0.2) if org.profile == "lawfirm" else (0.92, 0.8)
        for half, (start, end) in enumerate(
            ((date(YEAR, 4, 10), date(YEAR, 6, 30)), (date(YEAR, 10, 10), date(YEAR, 12, 20)))
        ):
            if rng.random() < chance[half]:
                topic = rng.choice(CONSULT_TOPICS[half])
                rows.append(
                    [
                        random_day(rng, start, end),
                        f"{org.community}社区",
                        org.name,
                        weighted(rng, (("座谈", 5), ("电话", 4), ("走访", 3))),
                        topic.format(org=org.unit, cat=PROFILES[org.profile].categories[0]),
                    ]
                )
    rows.sort(key=lambda r: (r[0], r[1], r[2]))  # type: ignore[arg-type]
    rows = [[i, *r] for i, r in enumerate(rows, 1)]
    return Table(
        header=words("序号 日期 社区 报到单位 形式 内容摘要"),
        rows=rows,
        title=f"{STREET}{YEAR}年互通协商记录",
        preamble=[f"填报单位：{STREET}团工委"],
        formats={1: "yyyy-mm-dd"},
        sheet_name="互通协商",
    )


DISTRICT_POSTS = (
    "团区委书记",
    "团区委副书记",
    "团区委副书记",
    "组织部部长",
    "宣传部部长",
    "学校少年部部长",
    "办公室主任",
)
STREET_POSTS = ("街道团工委书记", "街道团工委副书记", "组织委员", "宣传委员", "青年委员", "委员")


def cadre_table(rng: random.Random, registry: Registry) -> Table:
    """Cadres for the liaison points: a district cadre links two streets, a street leader
    two communities."""
    rows: list[list[Cell]] = []
    for i, post in enumerate(DISTRICT_POSTS):
        avoid = STREET if i == 3 else ""  # lives in 东山街道
        prefer = "幸福街道" if i == 1 else ("黄务街道、卧龙经济园区" if i == 5 else "")
        name = registry.name(rng, rng.random() < 0.5)
        rows.append([name, "团区委", post, "", avoid, prefer])
    for i, post in enumerate(STREET_POSTS):
        avoid = "民生社区" if i == 2 else ""
        prefer = "海岸路社区" if i == 0 else ("进德" if i == 4 else "")
        name = registry.name(rng, rng.random() < 0.5)
        rows.append([name, "街道团工委", post, STREET, avoid, prefer])
    rows = [[i, *r] for i, r in enumerate(rows, 1)]
    return Table(
        header=words("序号 姓名 层级 职务 所在街道 不联系 优先联系"),
        rows=rows,
        title="团干部基层联系点干部名单",
        footer=[
            "说明：团区委机关干部每人联系两个街道（园区），街道团工委负责人每人联系两个社区；"
            "“不联系”“优先联系”可填多个，用顿号分隔。"
        ],
        sheet_name="干部名单",
    )
