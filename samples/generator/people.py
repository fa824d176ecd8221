"""Random people and the organisations they belong to.

Names, ID numbers (valid check digit, birth date and sex encoded), mobile and landline
numbers, all unique where they must be (`Registry`); what the members of each kind of
organisation look like (`Profile`, `PROFILES`); and the members themselves
(`make_members`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from shuanggang.domain.idnumber import make as make_id

from .common import FILL_DATE, STREET, random_day, stripped_lines, weighted, words

SURNAMES = (
    "王王王张张张李李李刘刘孙孙于于姜姜曲隋林林宋宋徐徐杨杨赵陈周吴郭马高梁"
    "董邹衣初鞠栾修慕迟盛乔唐韩冯程曹袁许谢郑潘杜丁孔毛邵孟蒋蔡贾范方石姚"
)
GIVEN_MALE = "浩宇轩博文杰涛鹏磊强伟俊晨阳睿泽昊然凯鑫明辉志诚航子一天嘉铭宁远振豪坤峰"
GIVEN_FEMALE = "欣怡婷雪静丽佳琪雨涵萱梦瑶诗琳颖悦思晴慧敏璐冉婧蕾倩彤薇可馨月晓童"
ETHNICITIES = (("汉族", 96), ("满族", 2), ("回族", 1), ("蒙古族", 1))
AREAS = (  # 6-digit area codes of the ID numbers, weighted
    ("370602", 30),
    ("370613", 8),
    ("370611", 6),
    ("370612", 6),
    ("370681", 5),
    ("370682", 5),
    ("370683", 5),
    ("370684", 3),
    ("370685", 4),
    ("370686", 4),
    ("370687", 4),
    ("370211", 2),
    ("370102", 2),
    ("371002", 2),
    ("370702", 2),
    ("371302", 2),
    ("370303", 1),
    ("410105", 1),
    ("130102", 1),
    ("230102", 1),
)
MOBILE_PREFIXES = words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 175 176 "
    "177 178 180 181 182 183 185 186 187 188 189 191 195 198 199"
)
INTERESTS = words(
    "跑步 羽毛球 读书 摄影 旅游 篮球 游泳 唱歌 书法 看电影 烹饪 登山 乒乓球 吉他 "
    "足球 绘画 瑜伽 骑行 钓鱼 下棋"
)


@dataclass(slots=True)
class Registry:
    """What must stay unique across all files: ID numbers, phones, names."""

    ids: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    unique_names: bool = True

    def name(self, rng: random.Random, male: bool) -> str:
        chars = GIVEN_MALE if male else GIVEN_FEMALE
        while True:
            given = rng.choice(chars)
            if rng.random() < 0.7:
                given += rng.choice(chars)
            name = rng.choice(SURNAMES) + given
            if not self.unique_names or name not in self.names:
                self.names.add(name)
                return name

    def phone(self, rng: random.Random) -> str:
        while True:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def id_number(self, rng: random.Random, birth: date, male: bool) -> str:
        while True:
            seq = rng.randrange(500) * 2 + (1 if male else 0)
            number = make_id(weighted(rng, AREAS), birth, seq)
            if number not in self.ids:
                self.ids.add(number)
                return number


def landline(rng: random.Random) -> str:
    return f"0535-6{rng.randrange(10**6):06d}"


# ---------------------------------------------------------------------------
# Organisations and members
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Role:
    """A job inside an organisation, with the specialties and home branch that go with it."""

    job: str  # `{unit}` is the organisation's unit
    specialties: str  # space-separated
    branch: str = ""  # home branch; students' have `{grade}` and `{cls}`; "" = the profile's


@dataclass(frozen=True, slots=True)
class Profile:
    """What the members of one kind of organisation look like."""

    birth_years: tuple[int, int]
    male_share: float
    educations: tuple[tuple[str, int], ...]
    roles: tuple[Role, ...]
    willingness: tuple[str, ...]
    availability: tuple[str, ...]
    categories: tuple[str, ...]  # service categories it claims, main one first
    branch: str = "{unit}团支部"
    party_share: float = 0.08
    students: bool = False


def _roles(table: str) -> tuple[Role, ...]:
    """Roles written one a line, `job | specialties | home branch`; a line that starts
    with `|` continues the one above."""
    rows: list[str] = []
    for line in stripped_lines(table):
        rows.append(rows.pop() + line if line.startswith("|") else line)
    return tuple(Role(*(part.strip() for part in row.split("|"))) for row in rows)


PROFILES: dict[str, Profile] = {
    "hospital": Profile(
        (1998, 2003),
        0.3,
        (("本科", 60), ("硕士研究生", 25), ("大专", 15)),
        _roles("""
            {unit}心内科 护士 | 护理 内科护理 健康宣教 | 护理团支部
            {unit}急诊科 护师 | 急救培训 护理 | 护理团支部
            {unit}儿科 护士 | 护理 儿童保健 | 护理团支部
            {unit}儿科 住院医师 | 临床医学 儿童保健 | 内科团支部
            {unit}心内科 住院医师 | 临床医学 慢病管理 | 内科团支部
            {unit}骨科 住院医师 | 临床医学 康复理疗 | 外科团支部
            {unit}口腔科 医师 | 口腔医学 | 外科团支部
            {unit}药剂科 药师 | 药学 合理用药宣教 | 医技团支部
            {unit}检验科 技师 | 医学检验 | 医技团支部
            {unit}康复医学科 治疗师 | 康复理疗 中医推拿 | 医技团支部
            {unit}党委办公室 干事 | 健康宣教 政策宣讲 | 机关后勤团支部
        """),
        ("义诊服务", "健康咨询", "上门测血压", "急救知识培训", "义诊、健康讲座"),
        ("周末", "周六上午", "周日下午", "节假日", "工作日晚上", "轮休时", "周末，需提前排班"),
        ("义诊服务", "政策咨询"),
    ),
    "bank": Profile(
        (1998, 2002),
        0.45,
        (("本科", 70), ("硕士研究生", 30)),
        _roles("""
            {unit}营业部 柜员 | 金融 反诈宣传 | 营业部团支部
            {unit}营业部 大堂经理 | 金融知识普及 反诈宣传 | 营业部团支部
            {unit}个人金融部 客户经理 | 理财规划 金融 | 机关团支部
            {unit}公司金融部 客户经理 | 信贷业务 金融 | 机关团支部
            {unit}风险管理部 专员 | 会计 反诈宣传 | 机关团支部
            {unit}芝罘支行 综合柜员 | 金融 外汇业务 | 芝罘支行团支部
        """),
        ("金融知识宣传", "反诈宣传", "理财咨询", "金融服务", "防范电信诈骗宣传"),
        ("周末", "周六", "工作日晚上", "节假日", "周日全天"),
        ("金融服务", "政策咨询"),
    ),
    "college_it": Profile(
        (2003, 2007),
        0.75,
        (("本科在读", 90), ("硕士在读", 10)),
        _roles("""
            {unit} 计算机科学与技术专业学生 | 计算机 编程 电脑维修 智能手机使用指导
                | 计算机{grade}级{cls}班团支部
            {unit} 电子信息工程专业学生 | 电子技术 家电维修 手机维修 | 电子{grade}级{cls}班团支部
            {unit} 电气工程及其自动化专业学生 | 电工 家电维修 | 电气{grade}级{cls}班团支部
            {unit} 自动化专业学生 | 电子技术 网络维护 编程 | 自动化{grade}级{cls}班团支部
        """),
        ("小家电维修", "科技服务", "电脑维修", "教老人用智能手机", "课业辅导"),
        ("周末", "周一至周五晚", "周三下午", "随时", "不限", "周六全天", "周日下午"),
        ("科技服务", "课业辅导"),
        students=True,
    ),
    "college_law": Profile(
        (2003, 2007),
        0.35,
        (("本科在读", 85), ("硕士在读", 15)),
        _roles("""
            {unit} 法学专业学生 | 法律咨询 法学 普法宣传 民事调解 | 法学{grade}级{cls}班团支部
            {unit} 知识产权专业学生 | 知识产权 法律咨询 合同审查 | 知识产权{grade}级团支部
        """),
        ("法律服务", "普法宣传", "法律咨询", "社区调解"),
        ("周末", "周六上午", "周一至周五晚", "不限", "周日"),
        ("法律服务", "政策咨询"),
        students=True,
    ),
    "college_art": Profile(
        (2003, 2007),
        0.3,
        (("本科在读", 95), ("硕士在读", 5)),
        _roles("""
            {unit} 音乐学专业学生 | 声乐 钢琴 合唱指挥 | 音乐学{grade}级团支部
            {unit} 舞蹈学专业学生 | 舞蹈 主持 | 舞蹈学{grade}级团支部
            {unit} 美术学专业学生 | 绘画 书法 | 美术学{grade}级团支部
            {unit} 视觉传达设计专业学生 | 摄影 绘画 | 视觉传达{grade}级团支部
        """),
        ("文艺演出", "文艺服务", "少儿美术辅导", "社区文化活动"),
        ("周末", "周六下午", "周日", "随时", "周一至周五晚"),
        ("文艺服务", "课业辅导"),
        students=True,
    ),
    "school": Profile(
        (1998, 2003),
        0.3,
        (("本科", 75), ("硕士研究生", 25)),
        _roles("""
            {unit} 数学教师 | 初中数学教学 课业辅导
            {unit} 语文教师 | 语文教学 书法
            {unit} 英语教师 | 英语教学 课业辅导
            {unit} 物理教师 | 物理 课业辅导
            {unit} 心理健康教师 | 心理健康教育
            {unit} 音乐教师 | 声乐 钢琴
        """),
        ("课业辅导", "四点半课堂", "家庭教育咨询", "作业辅导"),
        ("周末", "工作日下午四点半后", "周六上午", "寒暑假", "节假日"),
        ("课业辅导", "文艺服务"),
        branch="教工团支部",
    ),
    "hotel": Profile(
        (1999, 2006),
        0.4,
        (("大专", 50), ("中专", 30), ("高中", 20)),
        _roles("""
            {unit} 前厅接待 | 礼仪培训 英语口语
            {unit} 餐饮部 服务员 | 餐饮服务 礼仪培训
            {unit} 客房部 领班 | 客房服务
            {unit} 厨师 | 烹饪 面点制作
        """),
        ("环境整治", "敬老助老", "文艺服务", "社区服务"),
        ("周一至周五白天", "轮休日", "工作日上午", "周二、周四下午"),
        ("环境整治", "文艺服务"),
    ),
    "tech": Profile(
        (1998, 2003),
        0.7,
        (("本科", 80), ("大专", 20)),
        _roles("""
            {unit} 软件工程师 | 软件开发 编程
            {unit} 网络运维 | 网络维护 电脑维修
            {unit} 产品经理 | 软件开发 智能手机使用指导
        """),
        ("科技服务", "电脑维修", "网络安全宣传"),
        ("周末", "周日下午", "工作日晚上"),
        ("科技服务",),
    ),
    "lawfirm": Profile(
        (1998, 2002),
        0.5,
        (("本科", 60), ("硕士研究生", 40)),
        _roles("""
            {unit} 律师 | 法律咨询 婚姻家事法律 劳动争议调解
            {unit} 实习律师 | 法律咨询 合同审查
            {unit} 律师助理 | 法律文书写作 法律咨询
        """),
        ("法律服务", "法律咨询", "普法讲座"),
        ("周末", "周六上午", "不限"),
        ("法律服务",),
    ),
    "culture": Profile(
        (1999, 2005),
        0.4,
        (("本科", 60), ("大专", 40)),
        _roles("""
            {unit} 演员 | 声乐 舞蹈
            {unit} 编导 | 舞蹈 主持
            {unit} 主持人 | 主持 朗诵
            {unit} 摄影师 | 摄影
        """),
        ("文艺演出", "文艺服务", "社区晚会"),
        ("周末", "周日下午", "节假日", "周一至周五晚"),
        ("文艺服务",),
    ),
    "repair": Profile(
        (1998, 2004),
        0.9,
        (("中专", 50), ("大专", 50)),
        _roles("""
            {unit} 维修师傅 | 家电维修 空调维修 电工
            {unit} 店长 | 家电维修
        """),
        ("小家电维修", "科技服务"),
        ("随时", "不限", "周三下午"),
        ("科技服务",),
        branch="",  # too small for a branch of its own
    ),
    "property": Profile(
        (1998, 2004),
        0.6,
        (("大专", 60), ("本科", 25), ("中专", 15)),
        _roles("""
            {unit} 客服专员 | 垃圾分类宣传 环境整治
            {unit} 工程维修 | 水电维修 家电维修
            {unit} 保洁主管 | 环境整治
            {unit} 绿化养护 | 绿化养护 环境整治
        """),
        ("环境整治", "楼道清理", "垃圾分类宣传"),
        ("工作日上午", "周末", "随时"),
        ("环境整治", "科技服务"),
    ),
    "agency": Profile(
        (1998, 2002),
        0.5,
        (("本科", 65), ("硕士研究生", 35)),
        _roles("""
            {unit} 科员 | 政策宣讲 社保医保政策
            {unit} 办事员 | 政策宣讲 公文写作
            {unit} 综合科 科员 | 党建 政策宣讲
        """),
        ("政策咨询", "政策宣讲", "便民服务"),
        ("周末", "工作日晚上", "周六上午"),
        ("政策咨询", "环境整治"),
        branch="机关团支部",
    ),
}
JUNIOR_ROLE = Role("{unit} 九年级学生", "书法 英语口语 朗诵", "九年级{cls}班团支部")


@dataclass(frozen=True, slots=True)
class Organisation:
    """One reporting organisation and how its member sheet looks."""

    name: str
    profile: str
    size: int
    community: str  # short name, e.g. 海岸路
    layout: str = "plain"
    fill_date: date = FILL_DATE
    consent: str = "是"
    overage: int = 0  # members already 29 on the fill date (超龄)
    juniors: int = 0  # pupils of 15 (a school's league members are not all teachers)
    street: str = STREET

    @property
    def unit(self) -> str:
        """The unit behind the league body: 烟台山医院团委 → 烟台山医院."""
        return re.sub(r"(团委|团总支|团支部)$", "", self.name)


@dataclass(slots=True)
class Member:
    name: str
    gender: str
    id_number: str
    member_no: str
    ethnicity: str
    birth: date
    political_status: str
    joined: date
    education: str
    home_branch: str
    league_post: str
    phone: str
    residence: str  # community short name
    residence_street: str
    occupation: str
    specialty: str
    willingness: str
    interests: str
    availability: str
    consent: str
    remark: str


def league_posts(org: Organisation) -> list[str]:
    """Posts of the first members; the rest are 团员."""
    if org.name.endswith("团委"):
        posts = ["团委书记", "团委副书记"] + ["团支部书记"] * min(3, org.size // 15)
    elif org.name.endswith("团支部"):
        posts = ["团支部书记"] + (["组织委员"] if org.size >= 4 else [])
    else:
        posts = []
    return posts[: org.size]


REMARKS = {
    False: ("新入职", "外出进修至6月", "孕期，暂不参加户外活动", "常驻外地项目组"),
    True: ("外出实习至6月", "大四，6月毕业", "校学生会干部", "交换学习至7月"),
}


def make_members(
    org: Organisation,
    rng: random.Random,
    registry: Registry,
    residences: Sequence[tuple[str, str]],
) -> list[Member]:
    """The members of `org`; `residences` are (street, community) pairs to live in,
    the first ones likelier."""
    p = PROFILES[org.profile]
    posts = league_posts(org)
    members = []
    for i in range(org.size):
        post = posts[i] if i < len(posts) else "团员"
        male = rng.random() < p.male_share
        first, last = p.birth_years
        if post != "团员":  # officers tend to be the older ones
            last = min(last, first + 3)
        education = weighted(rng, p.educations)
        role = rng.choice(p.roles)
        job, branch, remark = role.job, role.branch or p.branch, ""
        if p.students and post == "团委书记":  # a young teacher
            first, last, education = 1998, 1999, "硕士研究生"
            job, branch = "{unit} 团委书记（辅导员）", "教工团支部"
        elif p.students and education == "硕士在读":
            first, last = 2000, 2002
            job, branch = job.replace("学生", "研究生"), "研究生团支部"
        if i >= org.size - org.juniors:
            first, last, education = 2010, 2010, "初中在读"
            job, branch, role = JUNIOR_ROLE.job, JUNIOR_ROLE.branch, JUNIOR_ROLE
        if i >= org.size - org.overage - org.juniors and i < org.size - org.juniors:
            birth = random_day(rng, date(1996, 3, 6), date(1997, 3, 4))  # 29 on the fill date
            remark = "已超龄，待办理离团手续"
        elif first == 2010:
            birth = random_day(rng, date(2010, 3, 6), date(2010, 12, 31))  # 15 on the fill date
        else:
            birth = random_day(rng, date(first, 1, 1), date(last, 12, 31))
        grade = min(2025, max(2022, birth.year + 18 + (birth.month >= 9)))
        joined_age = rng.choice((14, 14, 15, 15, 16))
        joined = date(birth.year + joined_age, rng.choice((4, 5, 5, 9, 10, 12)), 1)
        joined = min(joined, date(2025, 12, 1))
        political = "共青团员"
        age = (FILL_DATE - birth).days // 365
        if age >= 20 and rng.random() < p.party_share * (3 if "书记" in post else 1):
            political = rng.choice(("中共党员", "中共预备党员"))
        street, community = residences[int(rng.random() ** 3 * len(residences))]
        specialties = role.specialties.split()
        specialty = "、".join(rng.sample(specialties, min(len(specialties), rng.choice((1, 1, 2)))))
        if not remark and rng.random() < 0.06:
            remark = rng.choice(REMARKS[p.students])
        members.append(
            Member(
                name=registry.name(rng, male),
                gender="男" if male else "女",
                id_number=registry.id_number(rng, birth, male),
                member_no=f"{rng.randrange(10**12):012d}",
                ethnicity=weighted(rng, ETHNICITIES),
                birth=birth,
                political_status=political,
                joined=joined,
                education=education,
                home_branch=branch.format(unit=org.unit, grade=grade, cls=rng.randint(1, 3)),
                league_post=post,
                phone=registry.phone(rng),
                residence=community,
                residence_street=street,
                occupation=job.format(unit=org.unit),
                specialty=specialty,
                willingness=rng.choice(p.willingness),
                interests="、".join(rng.sample(INTERESTS, rng.choice((1, 1, 2)))),
                availability=rng.choice(p.availability),
                consent=org.consent,
                remark=remark,
            )
        )
    return members
