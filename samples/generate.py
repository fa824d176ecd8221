"""Regenerate the sample inputs in `samples/`, or article-scale inputs for benchmarks.

Normal mode (`python samples/generate.py [-o DIR]`) writes the inputs of one street's
year, 东山街道 of 芝罘区, shaped like the files Chinese offices really hand over
(SPEC §4). Three communities (海岸路, 民生, 进德) receive twelve organisations:

* 《团员信息汇总表》, one file per organisation, `<org>_团员信息汇总表.<ext>`, each in
  its own layout (see `MEMBER_LAYOUTS`):
  (a) merged title row, preamble lines (填表单位（盖章）/报到社区/填表日期), 序号,
      a blank row and footer lines (负责人…填表人…联系电话, 说明);
  (b) a two-row merged header: group cells (基本信息, 联系方式, …) above their
      columns, single columns merged down across both rows;
  (c) an instructions sheet 填表说明 before the data sheet, a hidden 字典 sheet that
      feeds the data validations;
  (d) a legacy `.xls` written with xlwt;
  (e) a `.csv` in GBK, as Excel on a Chinese Windows saves it;
  (f) a `.csv` in UTF-8 with BOM, header only (its community must be given on the
      command line);
  and variants: two label cells on one preamble row, `报到社区…填表日期` typed into one
  cell, a title with no 序号 and no footer, values typed by hand (stray spaces,
  full-width digits, spaced phone numbers).
  Header aliases, date shapes (Excel dates, `1998-05-17`, `1998/5/17`, `1998.05`, the
  number 2019.1 for October, `2016年5月`, `201605`) and phone cell types vary between
  files; ID numbers are always text cells. One member each of the hospital and the
  bank is already 29 (超龄), two of the school's are 15-year-old pupils.
* 《为民服务实事台账》 of the three communities, `<社区>社区_为民服务实事台账.xlsx`.
* 《服务活动台账》 for 2026: one workbook with a row per member per activity
  (海岸路 and 进德), one with a row per activity and a 参加人员 list (民生).
* 互通协商 records of the year, and the cadre sheet for the liaison points.

Scale mode (`python samples/generate.py --scale article -o DIR`, or `--scale 5` for
five times as much) writes benchmark inputs: the 13 streets of the article (the 12 of
`zhifu_divisions_2020.json` plus 卧龙经济园区, whose organisations check in at
communities of 黄务街道 that the park takes over, since the division codes list no
community of its own), 105 communities, 320 organisations and exactly 50,862 members
per unit of scale, a project ledger per community used and 100,000 service-log rows
per unit of scale, in one plain layout (title, preamble lines, header, data) written by a
minimal xlsx writer of its own (`write_plain_xlsx`, ~20× faster than openpyxl's
write-only mode). Folders: `团员信息汇总表/<街道>/`, `为民服务实事台账/`,
`服务活动台账/` (one log per street), and `scale_manifest.json` with the counts. Scale
output is for benchmarks only: never commit it.

Everything is drawn from `random.Random` streams seeded from `--seed`, and xlsx files
get fixed document properties and zip entry times, so two runs give byte-identical
files.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import itertools
import json
import os
import random
import re
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

# openpyxl serialises XML with lxml when it is installed and with the standard library
# otherwise, and the bytes differ: the committed samples use the standard library's.
os.environ["OPENPYXL_LXML"] = "False"

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

SAMPLES_DIR = Path(__file__).resolve().parent
REPO_DIR = SAMPLES_DIR.parent
if str(REPO_DIR) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(REPO_DIR))

from shuanggang.domain.idnumber import make as make_id  # noqa: E402
from shuanggang.render.xlsx import reproducible_bytes  # noqa: E402
from shuanggang.resources import data_file  # noqa: E402

Cell = str | int | float | date | None

YEAR = 2026
DEFAULT_SEED = 20260305
FILL_DATE = date(2026, 3, 5)  # the launch ceremony
ZIP_DATE_TIME = (2026, 1, 1, 0, 0, 0)
STREET = "东山街道"

ARTICLE_MEMBERS = 50_862
ARTICLE_ORGS = 320  # "300余个团组织"
ARTICLE_COMMUNITIES = 105
ARTICLE_SERVICE_ROWS = 100_000
PARK = "卧龙经济园区"
PARK_HOST = "黄务街道"
PARK_COMMUNITIES = 4  # communities of 黄务街道 the park's organisations check in at


def _words(text: str) -> list[str]:
    """A list written as one space-separated string."""
    return text.split()


# ---------------------------------------------------------------------------
# Random people
# ---------------------------------------------------------------------------

SURNAMES = (
    "王王王张张张李李李刘刘孙孙于于姜姜曲隋林林宋宋徐徐杨杨赵陈周吴郭马高梁"
    "董邹衣初鞠栾修慕迟盛乔唐韩冯程曹袁许谢郑潘杜丁孔毛邵孟蒋蔡贾范方石姚"
)
GIVEN_MALE = "浩宇轩博文杰涛鹏磊强伟俊晨阳睿泽昊然凯鑫明辉志诚航子一天嘉铭宁远振豪坤峰"
GIVEN_FEMALE = "欣怡婷雪静丽佳琪雨涵萱梦瑶诗琳颖悦思晴慧敏璐冉婧蕾倩彤薇可馨月晓童"
ETHNICITIES = (("汉族", 96), ("满族", 2), ("回族", 1), ("蒙古族", 1))
AREAS = (  # 6-digit area codes of the ID numbers, weighted
    ("370602", 30), ("370613", 8), ("370611", 6), ("370612", 6), ("370681", 5),
    ("370682", 5), ("370683", 5), ("370684", 3), ("370685", 4), ("370686", 4),
    ("370687", 4), ("370211", 2), ("370102", 2), ("371002", 2), ("370702", 2),
    ("371302", 2), ("370303", 1), ("410105", 1), ("130102", 1), ("230102", 1),
)
MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 175 176 "
    "177 178 180 181 182 183 185 186 187 188 189 191 195 198 199"
)
INTERESTS = _words(
    "跑步 羽毛球 读书 摄影 旅游 篮球 游泳 唱歌 书法 看电影 烹饪 登山 乒乓球 吉他 "
    "足球 绘画 瑜伽 骑行 钓鱼 下棋"
)


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values, cumulative = _cumulative(pairs)
    return rng.choices(values, cum_weights=cumulative)[0]


@cache
def _cumulative(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [v for v, _ in pairs], list(itertools.accumulate(w for _, w in pairs))


def rng_for(seed: int, label: str) -> random.Random:
    """An independent, stable stream per part, so adding a part changes no other."""
    return random.Random(f"{seed}:{label}")


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


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def num(value: float) -> int | float:
    """2.0 → 2: what Excel keeps when someone types a whole number."""
    return int(value) if float(value).is_integer() else value


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
    for line in _lines(table):
        rows.append(rows.pop() + line if line.startswith("|") else line)
    return tuple(Role(*(part.strip() for part in row.split("|"))) for row in rows)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


PROFILES: dict[str, Profile] = {
    "hospital": Profile(
        (1998, 2003), 0.3, (("本科", 60), ("硕士研究生", 25), ("大专", 15)),
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
        (1998, 2002), 0.45, (("本科", 70), ("硕士研究生", 30)),
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
        (2003, 2007), 0.75, (("本科在读", 90), ("硕士在读", 10)),
        _roles("""
            {unit} 计算机科学与技术专业学生 | 计算机 编程 电脑维修 智能手机使用指导
                | 计算机{grade}级{cls}班团支部
            {unit} 电子信息工程专业学生 | 电子技术 家电维修 手机维修 | 电子{grade}级{cls}班团支部
            {unit} 电气工程及其自动化专业学生 | 电工 家电维修 | 电气{grade}级{cls}班团支部
            {unit} 自动化专业学生 | 电子技术 网络维护 编程 | 自动化{grade}级{cls}班团支部
        """),
        ("小家电维修", "科技服务", "电脑维修", "教老人用智能手机", "课业辅导"),
        ("周末", "周一至周五晚", "周三下午", "随时", "不限", "周六全天", "周日下午"),
        ("科技服务", "课业辅导"), students=True,
    ),
    "college_law": Profile(
        (2003, 2007), 0.35, (("本科在读", 85), ("硕士在读", 15)),
        _roles("""
            {unit} 法学专业学生 | 法律咨询 法学 普法宣传 民事调解 | 法学{grade}级{cls}班团支部
            {unit} 知识产权专业学生 | 知识产权 法律咨询 合同审查 | 知识产权{grade}级团支部
        """),
        ("法律服务", "普法宣传", "法律咨询", "社区调解"),
        ("周末", "周六上午", "周一至周五晚", "不限", "周日"),
        ("法律服务", "政策咨询"), students=True,
    ),
    "college_art": Profile(
        (2003, 2007), 0.3, (("本科在读", 95), ("硕士在读", 5)),
        _roles("""
            {unit} 音乐学专业学生 | 声乐 钢琴 合唱指挥 | 音乐学{grade}级团支部
            {unit} 舞蹈学专业学生 | 舞蹈 主持 | 舞蹈学{grade}级团支部
            {unit} 美术学专业学生 | 绘画 书法 | 美术学{grade}级团支部
            {unit} 视觉传达设计专业学生 | 摄影 绘画 | 视觉传达{grade}级团支部
        """),
        ("文艺演出", "文艺服务", "少儿美术辅导", "社区文化活动"),
        ("周末", "周六下午", "周日", "随时", "周一至周五晚"),
        ("文艺服务", "课业辅导"), students=True,
    ),
    "school": Profile(
        (1998, 2003), 0.3, (("本科", 75), ("硕士研究生", 25)),
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
        ("课业辅导", "文艺服务"), branch="教工团支部",
    ),
    "hotel": Profile(
        (1999, 2006), 0.4, (("大专", 50), ("中专", 30), ("高中", 20)),
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
        (1998, 2003), 0.7, (("本科", 80), ("大专", 20)),
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
        (1998, 2002), 0.5, (("本科", 60), ("硕士研究生", 40)),
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
        (1999, 2005), 0.4, (("本科", 60), ("大专", 40)),
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
        (1998, 2004), 0.9, (("中专", 50), ("大专", 50)),
        _roles("""
            {unit} 维修师傅 | 家电维修 空调维修 电工
            {unit} 店长 | 家电维修
        """),
        ("小家电维修", "科技服务"),
        ("随时", "不限", "周三下午"),
        ("科技服务",), branch="",  # too small for a branch of its own
    ),
    "property": Profile(
        (1998, 2004), 0.6, (("大专", 60), ("本科", 25), ("中专", 15)),
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
        (1998, 2002), 0.5, (("本科", 65), ("硕士研究生", 35)),
        _roles("""
            {unit} 科员 | 政策宣讲 社保医保政策
            {unit} 办事员 | 政策宣讲 公文写作
            {unit} 综合科 科员 | 党建 政策宣讲
        """),
        ("政策咨询", "政策宣讲", "便民服务"),
        ("周末", "工作日晚上", "周六上午"),
        ("政策咨询", "环境整治"), branch="机关团支部",
    ),
}
JUNIOR_ROLE = Role("{unit} 九年级学生", "书法 英语口语 朗诵", "九年级{cls}班团支部")


@dataclass(frozen=True, slots=True)
class OrgSpec:
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


def league_posts(org: OrgSpec) -> list[str]:
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
    org: OrgSpec,
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


# ---------------------------------------------------------------------------
# Tables and the three ways to write them
# ---------------------------------------------------------------------------

Line = str | tuple[str, str]  # a tuple is two cells on one row: left and right


@dataclass(slots=True)
class Table:
    """A sheet the way offices lay it out: title, preamble, header, data, footer."""

    header: list[str]
    rows: list[list[Cell]]
    title: str | None = None
    preamble: list[Line] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    groups: list[str] | None = None  # two-row header: group above each column, "" = none
    formats: dict[int, str] = field(default_factory=dict)  # column → number format
    sheet_name: str = "Sheet1"


THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def display_width(value: Cell) -> int:
    text = value.isoformat() if isinstance(value, date) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def column_widths(table: Table) -> list[float]:
    widths: list[float] = []
    for c, head in enumerate(table.header):
        longest = max([display_width(head)] + [display_width(r[c]) for r in table.rows[:200]])
        widths.append(min(40, max(6, longest + 2)))
    return widths


def _merge_line(ws: Worksheet, row: int, first: int, last: int, text: str, **style: Any) -> None:
    cell = ws.cell(row, first, text)
    for key, value in style.items():
        setattr(cell, key, value)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def fill_sheet(ws: Worksheet, table: Table) -> tuple[int, int]:
    """Write `table` into `ws`; returns the first and last data rows."""
    n = len(table.header)
    r = 1
    if table.title:
        _merge_line(ws, r, 1, n, table.title, font=TITLE_FONT, alignment=CENTER)
        ws.row_dimensions[r].height = 30
        r += 1
    for line in table.preamble:
        if isinstance(line, tuple):
            half = max(1, n // 2)
            _merge_line(ws, r, 1, half, line[0], font=BODY_FONT)
            _merge_line(ws, r, half + 1, n, line[1], font=BODY_FONT,
                        alignment=Alignment(horizontal="right"))
        else:
            _merge_line(ws, r, 1, n, line, font=BODY_FONT)
        r += 1
    r = _write_header(ws, r, table)
    first = r
    for values in table.rows:
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c, value)
            cell.border = BORDER
            cell.font = BODY_FONT
            if (c - 1) in table.formats:
                cell.number_format = table.formats[c - 1]
        r += 1
    last = r - 1
    if table.footer:
        r += 1  # the blank row offices leave before the signatures
        for line in table.footer:
            _merge_line(ws, r, 1, n, line, font=BODY_FONT)
            r += 1
    for c, width in enumerate(column_widths(table), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return first, last


def _write_header(ws: Worksheet, r: int, table: Table) -> int:
    """The header at row `r`, one row or two with merged groups; returns the next row."""
    header_style = {"font": HEADER_FONT, "alignment": CENTER, "fill": HEADER_FILL, "border": BORDER}
    groups = table.groups
    depth = 2 if groups else 1
    for c, head in enumerate(table.header, 1):
        for rr in range(r, r + depth):
            for key, value in header_style.items():
                setattr(ws.cell(rr, c), key, value)
        if groups and groups[c - 1]:
            ws.cell(r + 1, c, head)
        else:
            ws.cell(r, c, head)
            if depth == 2:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
    if groups:
        for label, first, last in group_spans(groups):
            ws.cell(r, first, label)
            if last > first:
                ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
    ws.row_dimensions[r].height = 24
    return r + depth


def group_spans(groups: Sequence[str]) -> list[tuple[str, int, int]]:
    """Runs of equal, non-empty group labels as (label, first column, last column)."""
    spans: list[tuple[str, int, int]] = []
    for c, label in enumerate(groups, 1):
        if not label:
            continue
        if spans and spans[-1][0] == label and spans[-1][2] == c - 1:
            spans[-1] = (label, spans[-1][1], c)
        else:
            spans.append((label, c, c))
    return spans


def new_workbook() -> tuple[Workbook, Worksheet]:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    return wb, ws


def save_xlsx(wb: Workbook, path: Path) -> Path:
    """Save byte-stable output with the product's own reproducible writer."""
    path.write_bytes(reproducible_bytes(wb, author="Administrator"))
    return path


def write_xlsx(path: Path, table: Table) -> Path:
    wb, ws = new_workbook()
    ws.title = table.sheet_name
    fill_sheet(ws, table)
    return save_xlsx(wb, path)


def write_xls(path: Path, table: Table) -> Path:
    """A legacy .xls (BIFF8) with the same layout, written with xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(table.sheet_name)
    font = "font: name 宋体, height 220"
    center = "align: horiz center, vert center, wrap on"
    borders = "borders: left thin, right thin, top thin, bottom thin"
    title_style = xlwt.easyxf(f"font: name 宋体, height 320, bold on; {center}")
    line_style = xlwt.easyxf(font)
    head_style = xlwt.easyxf(f"{font}, bold on; {center}; {borders};"
                             " pattern: pattern solid, fore_colour gray25")
    body = f"{font}; {borders}"
    body_style = xlwt.easyxf(body)
    formats = {c: xlwt.easyxf(body, num_format_str=f) for c, f in table.formats.items()}
    n = len(table.header)
    r = 0
    if table.title:
        sheet.write_merge(r, r, 0, n - 1, table.title, title_style)
        sheet.row(r).height_mismatch = True
        sheet.row(r).height = 600
        r += 1
    for line in table.preamble:
        text = "　　".join(line) if isinstance(line, tuple) else line
        sheet.write_merge(r, r, 0, n - 1, text, line_style)
        r += 1
    for c, head in enumerate(table.header):
        sheet.write(r, c, head, head_style)
    r += 1
    for values in table.rows:
        for c, value in enumerate(values):
            sheet.write(r, c, value, formats.get(c, body_style))
        r += 1
    if table.footer:
        r += 1
        for line in table.footer:
            sheet.write_merge(r, r, 0, n - 1, line, line_style)
            r += 1
    for c, width in enumerate(column_widths(table)):
        sheet.col(c).width = int(width * 256)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        raise TypeError("a CSV holds text: format dates before writing them")
    return str(value)


def write_csv(path: Path, table: Table, encoding: str) -> Path:
    """A CSV as Excel saves one: CRLF, every row padded to the table's width."""
    n = len(table.header)

    def line(text: str) -> list[str]:
        return [text] + [""] * (n - 1)

    rows: list[list[str]] = []
    if table.title:
        rows.append(line(table.title))
    rows += [line("　　".join(p) if isinstance(p, tuple) else p) for p in table.preamble]
    rows.append(list(table.header))
    rows += [[csv_text(v) for v in values] for values in table.rows]
    if table.footer:
        rows.append([""] * n)
        rows += [line(text) for text in table.footer]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# ---------------------------------------------------------------------------
# Member sheets
# ---------------------------------------------------------------------------

HEADER_FIELD = {
    "姓名": "name", "性别": "gender", "身份证号": "id_number", "身份证号码": "id_number",
    "公民身份号码": "id_number", "证件号码": "id_number", "团员编号": "member_no",
    "民族": "ethnicity", "出生年月": "birth", "出生日期": "birth", "政治面貌": "political_status",
    "入团年月": "joined", "入团时间": "joined", "学历": "education", "所在团支部": "home_branch",
    "团内职务": "league_post", "手机号码": "phone", "手机": "phone", "联系电话": "phone",
    "联系方式": "phone", "居住社区": "residence", "居住街区": "residence", "现居住地": "residence",
    "家庭住址": "residence", "工作单位及职务": "occupation", "行业岗位": "occupation",
    "职业": "occupation", "专业特长": "specialty", "特长": "specialty", "技能": "specialty",
    "服务意向": "willingness", "服务意愿": "willingness", "志愿服务意向": "willingness",
    "兴趣爱好": "interests", "可服务时间": "availability", "活动时间": "availability",
    "可参加活动时间": "availability", "同意合编": "consent", "备注": "remark",
}

# How each date shape looks in a cell: a date object (Excel date) or text/number.
DATE_SHAPES: dict[str, Callable[[date], Cell]] = {
    "excel": lambda d: d,
    "excel_month": lambda d: date(d.year, d.month, 1),
    "iso": lambda d: f"{d:%Y-%m-%d}",
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month:02d}",
    "dot_number": lambda d: float(f"{d.year}.{d.month:02d}"),  # 2019.10 typed in General → 2019.1
    "cn": lambda d: f"{d.year}年{d.month}月",
    "yyyymm": lambda d: f"{d:%Y%m}",
}
DATE_FORMATS = {"excel": "yyyy-mm-dd", "excel_month": 'yyyy"年"m"月"'}

RESIDENCE_SHAPES = {
    "居住社区": "{community}社区",
    "居住街区": "{street}{community}社区",
    "现居住地": "芝罘区{street}{community}社区",
    "家庭住址": "烟台市芝罘区{street}{community}社区",
}

DEFAULT_NOTE = (
    "说明：1.身份证号须填写18位，请将该列设置为文本格式；2.可服务时间请写明周几、上午或下午；"
    "3.同意合编指同意与其他单位团员合编登记活动团支部。"
)
ORG = "填表单位（盖章）：{org}"
COMMUNITY = "报到社区：{community}社区"
FILLED = "填表日期：{date}"
PREAMBLE_LINES: tuple[Line, ...] = (ORG, COMMUNITY, FILLED)


@dataclass(frozen=True, slots=True)
class MemberLayout:
    """How one organisation's member sheet is laid out.

    `columns` are headers; `组/列` puts a column under a group cell (two-row header).
    """

    fmt: str  # xlsx | xls | csv-gbk | csv-bom
    columns: Sequence[str]
    seq: bool = True
    title: bool = True
    preamble: tuple[Line, ...] = PREAMBLE_LINES
    footer: bool = True
    note: str = DEFAULT_NOTE
    birth: str = "excel"
    joined: str = "cn"
    phone_number: bool = False  # phones typed into General cells become numbers
    messy: bool = False  # stray spaces and full-width digits, as typed by hand
    instructions: bool = False  # 填表说明 sheet first, hidden 字典 sheet
    sheet_name: str = "团员信息汇总表"


FULL = _words("""
    姓名 性别 身份证号 民族 出生年月 政治面貌 入团年月 学历 所在团支部 团内职务
    手机号码 居住社区 工作单位及职务 专业特长 服务意向 兴趣爱好 可服务时间 同意合编 备注
""")

MEMBER_LAYOUTS: dict[str, MemberLayout] = {
    # (a) the street's template as printed: title, preamble, 序号, blank row, footer
    "a": MemberLayout("xlsx", FULL),
    "a-messy": MemberLayout("xlsx", FULL, birth="excel", joined="yyyymm", messy=True),
    "a-culture": MemberLayout(
        "xlsx", FULL, birth="dot", joined="cn",
        note="说明：本单位团员集中开展文艺服务，不同意与其他单位合编。"),
    "a-short": MemberLayout(
        "xlsx",
        _words("""
            姓名 性别 身份证号 出生年月 政治面貌 入团年月 学历 团内职务 手机号码 居住社区
            工作单位及职务 专业特长 服务意向 可服务时间 同意合编 备注
        """),
        joined="excel_month", footer=False),
    # (b) two-row merged header
    "b-bank": MemberLayout(
        "xlsx",
        _words("""
            姓名 基本信息/性别 基本信息/公民身份号码 基本信息/民族 基本信息/出生日期 基本信息/学历
            团籍信息/政治面貌 团籍信息/入团时间 团籍信息/所在团支部 团籍信息/团内职务
            联系方式/联系电话 联系方式/居住街区 服务意向/行业岗位 服务意向/特长
            服务意向/志愿服务意向 服务意向/活动时间 服务意向/同意合编 备注
        """),
        preamble=(ORG, f"{COMMUNITY}　　　　{FILLED}"),  # two lines typed into one cell
        birth="iso", joined="yyyymm", phone_number=True),
    "b-property": MemberLayout(
        "xlsx",
        _words("""
            姓名 个人信息/性别 个人信息/身份证号 个人信息/出生年月 个人信息/政治面貌
            个人信息/入团年月 个人信息/团内职务 联系方式/手机号码 联系方式/居住社区
            服务信息/专业特长 服务信息/服务意向 服务信息/可服务时间 服务信息/同意合编
        """),
        joined="dot_number", footer=False),
    # (c) instructions sheet first, hidden dictionary sheet, data validations
    "c": MemberLayout(
        "xlsx",
        _words("""
            团员编号 姓名 性别 证件号码 民族 出生年月 政治面貌 入团年月 学历 所在团支部 团内职务
            手机 现居住地 职业 技能 服务意愿 兴趣爱好 可参加活动时间 同意合编 备注
        """),
        preamble=(COMMUNITY,), footer=False, birth="dot", joined="dot_number",
        phone_number=True, instructions=True, sheet_name="团员信息"),
    # (d) legacy .xls
    "d": MemberLayout(
        "xls",
        _words("""
            姓名 性别 身份证号码 出生年月 政治面貌 入团年月 学历 所在团支部 团内职务 联系方式
            家庭住址 特长 服务意向 活动时间 同意合编 备注
        """),
        birth="excel", joined="dot", sheet_name="Sheet1"),
    # two cells on one preamble row, header without 序号
    "two-cell": MemberLayout(
        "xlsx",
        _words("""
            姓名 性别 民族 身份证号 出生年月 入团年月 政治面貌 学历 所在团支部 团内职务
            手机号码 居住社区 专业特长 服务意向 可服务时间 兴趣爱好 同意合编 备注
        """),
        seq=False, preamble=((ORG, FILLED), COMMUNITY), footer=False,
        birth="cn", joined="excel_month"),
    "title-only": MemberLayout(
        "xlsx",
        _words("""
            姓名 性别 身份证号 出生年月 政治面貌 入团年月 学历 团内职务 手机号码 居住社区 职业
            专业特长 服务意向 可服务时间 同意合编
        """),
        seq=False, preamble=(COMMUNITY,), footer=False, birth="iso", joined="dot",
        sheet_name="Sheet1"),
    # (e) CSV in GBK, saved by Excel from a sheet with a title and a footer
    "e": MemberLayout(
        "csv-gbk",
        _words("""
            姓名 性别 身份证号 出生日期 政治面貌 入团年月 学历 团内职务 联系电话 居住社区
            工作单位及职务 特长 服务意向 可服务时间 同意合编 备注
        """),
        preamble=(ORG, COMMUNITY), birth="slash", joined="dot"),
    # (f) CSV in UTF-8 with BOM: header only
    "f": MemberLayout(
        "csv-bom",
        _words("""
            姓名 性别 身份证号码 出生年月 政治面貌 入团时间 学历 手机号码 居住社区 行业岗位 特长
            服务意向 活动时间 兴趣爱好 同意合编
        """),
        seq=False, title=False, preamble=(), footer=False, birth="yyyymm", joined="cn"),
}


def to_full_width(text: str) -> str:
    return text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})


def member_cell(m: Member, header: str, layout: MemberLayout, rng: random.Random) -> Cell:
    name = HEADER_FIELD[header]
    if name in ("birth", "joined"):
        return DATE_SHAPES[getattr(layout, name)](getattr(m, name))
    if name == "residence":
        return RESIDENCE_SHAPES[header].format(street=m.residence_street, community=m.residence)
    if name == "phone":
        if layout.phone_number:
            return int(m.phone)
        if layout.messy and rng.random() < 0.3:
            spaced = f"{m.phone[:3]} {m.phone[3:7]} {m.phone[7:]}"
            return rng.choice((to_full_width(m.phone), spaced))
        return m.phone
    value: str = getattr(m, name)
    if layout.messy and name in ("name", "specialty") and rng.random() < 0.3:
        return f" {value} " if name == "specialty" else f"{value} "
    return value


def member_table(org: OrgSpec, members: Sequence[Member], layout: MemberLayout,
                 rng: random.Random, contacts: tuple[str, str, str]) -> Table:
    """The member sheet of `org` as a table in `layout`."""
    headers = [h.split("/")[-1] for h in layout.columns]
    groups = [h.split("/")[0] if "/" in h else "" for h in layout.columns]
    if layout.seq:
        headers, groups = ["序号", *headers], ["", *groups]
    rows = []
    for i, m in enumerate(members, 1):
        values = [member_cell(m, h, layout, rng) for h in headers if h != "序号"]
        rows.append([i, *values] if layout.seq else values)
    formats: dict[int, str] = {}
    for c, head in enumerate(headers):
        field_name = HEADER_FIELD.get(head)
        if field_name == "id_number" or (field_name == "phone" and not layout.phone_number):
            formats[c] = "@"
        elif field_name in ("birth", "joined") and getattr(layout, field_name) in DATE_FORMATS:
            formats[c] = DATE_FORMATS[getattr(layout, field_name)]
    fill = {"org": org.name, "community": org.community, "date": cn_date(org.fill_date)}
    preamble: list[Line] = [
        (p[0].format(**fill), p[1].format(**fill)) if isinstance(p, tuple) else p.format(**fill)
        for p in layout.preamble
    ]
    leader, clerk, phone = contacts
    signatures = f"负责人：{leader}    填表人：{clerk}    联系电话：{phone}"
    footer = [signatures, layout.note] if layout.footer else []
    return Table(
        header=headers, rows=rows, title=f"{org.name}团员信息汇总表" if layout.title else None,
        preamble=preamble, footer=footer, groups=groups if any(groups) else None,
        formats=formats, sheet_name=layout.sheet_name,
    )


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


INSTRUCTIONS = (
    "填表说明",
    "1. 本表由报到单位团组织填写，每名团员一行，请勿合并单元格。",
    "2. 证件号码填写18位居民身份证号，末位为X的请大写；该列已设置为文本格式，请勿改为数值。",
    "3. 出生年月、入团年月按“2004.05”格式填写。",
    "4. 手机填写本人常用手机号码。",
    "5. 技能、服务意愿请如实填写，社区将据此编入登记活动团支部。",
    "6. 可参加活动时间请写明周几、上午/下午/晚上，如“周六上午”“周一至周五晚”。",
    "7. 同意合编：是否同意与其他单位团员合编登记活动团支部，填“是”或“否”。",
    "8. 填好后请将电子版报送街道团工委，纸质版加盖公章后于报到当天交接收社区。",
)
DICTIONARY = {
    "性别": ("男", "女"),
    "政治面貌": ("共青团员", "中共预备党员", "中共党员"),
    "学历": ("本科在读", "硕士在读", "本科", "硕士研究生", "大专"),
    "团内职务": ("团委书记", "团委副书记", "团支部书记", "组织委员", "宣传委员", "团员"),
    "同意合编": ("是", "否"),
}


def add_instructions(wb: Workbook, ws: Worksheet, table: Table, first: int, last: int) -> None:
    """Layout (c): a 填表说明 sheet before the data sheet and a hidden 字典 sheet whose
    lists drive dropdowns on the data sheet."""
    guide = wb.create_sheet("填表说明", 0)
    for r, text in enumerate(INSTRUCTIONS, 1):
        guide.cell(r, 1, text).font = TITLE_FONT if r == 1 else BODY_FONT
    guide.column_dimensions["A"].width = 90
    lists = wb.create_sheet("字典")
    lists.sheet_state = "hidden"
    for c, (head, options) in enumerate(DICTIONARY.items(), 1):
        lists.cell(1, c, head)
        for r, option in enumerate(options, 2):
            lists.cell(r, c, option)
        if head in table.header:
            letter = get_column_letter(c)
            target = get_column_letter(table.header.index(head) + 1)
            source = f"字典!${letter}$2:${letter}${len(options) + 1}"
            dv = DataValidation(type="list", formula1=source, allow_blank=True)
            dv.add(f"{target}{first}:{target}{last + 50}")
            ws.add_data_validation(dv)
    wb.active = 1


def write_member_sheet(out_dir: Path, org: OrgSpec, members: Sequence[Member],
                       rng: random.Random) -> Path:
    layout = MEMBER_LAYOUTS[org.layout]
    leader = next((m.name for m in members if "书记" in m.league_post), members[0].name)
    clerk = members[min(1, len(members) - 1)].name
    table = member_table(org, members, layout, rng, (leader, clerk, landline(rng)))
    ext = {"xlsx": "xlsx", "xls": "xls", "csv-gbk": "csv", "csv-bom": "csv"}[layout.fmt]
    path = out_dir / f"{org.name}_团员信息汇总表.{ext}"
    if layout.fmt == "xls":
        return write_xls(path, table)
    if layout.fmt.startswith("csv"):
        return write_csv(path, table, "gbk" if layout.fmt == "csv-gbk" else "utf-8-sig")
    wb, ws = new_workbook()
    ws.title = table.sheet_name
    first, last = fill_sheet(ws, table)
    if layout.instructions:
        add_instructions(wb, ws, table, first, last)
    return save_xlsx(wb, path)


# ---------------------------------------------------------------------------
# Projects, services, consultations, cadres
# ---------------------------------------------------------------------------


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
    for line in _lines(table):
        if "|" in line:
            title, category, schedule, place, needed, *when = (p.strip() for p in line.split("|"))
            kinds.append({"title": title, "category": category, "schedule": schedule,
                          "place": place, "needed": int(needed), "activities": (),
                          "when": "".join(when)})
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
        _words("编号 项目名称 服务类别 服务内容 服务时间 服务地点 需求人数 联系人 联系电话 "
               "认领单位"),
        lambda i: f"2026-{i:02d}", date(2026, 3, 1), footer=True),
    "民生": LedgerStyle(
        _words("项目编号 服务项目 类别 服务内容 频次 服务地点 所需人数 联系人 联系电话 认领单位"),
        lambda i: i, date(2026, 3, 2)),
    "进德": LedgerStyle(
        _words("编号 项目名称 服务类别 服务内容 活动时间 服务地点 需求人数 联系人 联系电话 "
               "认领单位"),
        lambda i: f"{i:02d}", date(2026, 3, 2)),
}
LEDGER_PROJECTS = {  # which project kinds each community lists
    "海岸路": _words("""
        健康义诊进社区 关爱独居老人入户巡诊 法律咨询服务站 普法宣传进楼院 小家电义务维修
        海岸线垃圾清捡 惠民政策咨询台 和谐社区大舞台
    """),
    "民生": _words("""
        防范电信诈骗宣传 老年人金融知识讲座 四点半课堂 暑期托管课业辅导 和谐社区大舞台
        少儿美术书法兴趣班 楼道清理与环境整治 惠民政策咨询台 健康义诊进社区
    """),
    "进德": _words("""
        小家电义务维修 教老年人用智能手机 四点半课堂 垃圾分类宣传督导 楼道清理与环境整治
        普法宣传进楼院
    """),
}
KIND_BY_TITLE = {k.title: k for k in PROJECT_KINDS}


def make_projects(community: str, titles: Iterable[str], number: Callable[[int], str | int],
                  rng: random.Random, registry: Registry) -> list[Project]:
    contact = registry.name(rng, rng.random() < 0.3)
    phone = landline(rng) if rng.random() < 0.5 else registry.phone(rng)
    return [Project(number(i), KIND_BY_TITLE[t], community, contact, phone)
            for i, t in enumerate(titles, 1)]


def project_table(community: str, projects: Sequence[Project], style: LedgerStyle,
                  street: str = STREET) -> Table:
    rows: list[list[Cell]] = [
        [p.no, p.title, p.category, p.kind.content, p.kind.schedule, p.kind.place, p.kind.needed,
         p.contact, p.contact_phone, None]
        for p in projects
    ]
    signature = f"社区团支部书记：{projects[0].contact}    联系电话：{projects[0].contact_phone}"
    note = "说明：报到单位团组织现场认领项目，认领单位一栏由社区填写。"
    return Table(
        header=list(style.headers), rows=rows, title=f"{community}社区为民服务实事台账",
        preamble=[f"填报单位：{street}{community}社区团支部",
                  f"填表日期：{cn_date(style.fill_date)}"],
        footer=[signature, note] if style.footer else [],
        formats={0: "@"} if isinstance(projects[0].no, str) else {},
        sheet_name="实事台账",
    )


def write_project_ledger(out_dir: Path, community: str, projects: Sequence[Project],
                         style: LedgerStyle) -> Path:
    return write_xlsx(out_dir / f"{community}社区_为民服务实事台账.xlsx",
                      project_table(community, projects, style))


@dataclass(slots=True)
class Activity:
    day: date
    org: OrgSpec
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


def plan_activities(org: OrgSpec, members: Sequence[Member], projects: Sequence[Project],
                    plan: Engagement, rng: random.Random) -> list[Activity]:
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
        acts.append(Activity(
            day=pick_day(rng, project.kind.when), org=org, project=project, branch=branch,
            participants=parts, beneficiaries=rng.randint(8, 60),
            content=rng.choice(project.kind.activities),
            rating="满意" if rng.random() < 0.85 else "基本满意",
        ))
    return acts


LOG_HEADER = _words("""
    日期 社区 活动团支部 项目名称 报到单位 姓名 身份证号
    服务时长（小时） 服务对象人数 活动内容 社区评价
""")


def per_member_table(activities: Sequence[Activity], rng: random.Random) -> Table:
    """Service log, one row per member per activity (§4.3)."""
    rows: list[list[Cell]] = []
    for act in sorted(activities, key=lambda a: (a.day, a.org.community, a.org.name)):
        share = max(1, act.beneficiaries // len(act.participants))
        for m, hours in act.participants:
            rows.append([len(rows) + 1, act.day, f"{act.org.community}社区", act.branch,
                         act.project.title, act.org.name, m.name, m.id_number, num(hours),
                         share + rng.randint(0, 3), act.content, act.rating])
    header = ["序号", *LOG_HEADER]
    return Table(header=header, rows=rows, title=f"{STREET}{YEAR}年服务活动台账",
                 preamble=[f"填报单位：{STREET}团工委"], formats={1: "yyyy-mm-dd", 7: "@"},
                 sheet_name="服务活动台账")


def per_activity_table(community: str, activities: Sequence[Activity], rng: random.Random) -> Table:
    """Service log, one row per activity with its 参加人员 (§4.3)."""
    rows: list[list[Cell]] = []
    for act in sorted(activities, key=lambda a: (a.day, a.org.name)):
        names = [m.name for m, _ in act.participants]
        joined = names[0] + "".join(("、" if rng.random() < 0.8 else "，") + n for n in names[1:])
        hours = max(h for _, h in act.participants)
        day = f"{act.day.year}/{act.day.month}/{act.day.day}"
        rows.append([day, f"{community}社区", act.branch, act.project.title, act.org.name, joined,
                     num(hours), act.beneficiaries, act.content, act.rating])
    header = [h for h in LOG_HEADER if h not in ("姓名", "身份证号")]
    header.insert(header.index("报到单位") + 1, "参加人员")
    return Table(header=header, rows=rows, title=f"{community}社区{YEAR}年服务活动台账",
                 preamble=[f"填报单位：{community}社区团支部",
                           "说明：服务时长为每名参加人员的服务时长。"],
                 sheet_name="活动记录")


CONSULT_TOPICS = (
    ("交流{org}团员报到和项目认领情况，商定{cat}活动安排",
     "通报上半年{cat}活动开展情况，协调下半年活动时间",
     "了解团员参加活动的困难，商议调整服务时间",
     "沟通登记活动团支部编组情况，确定联络人"),
    ("总结全年双岗双责开展情况，反馈居民意见，商议明年项目需求",
     "反馈{cat}项目群众评价，研究年终考评和推优入党人选",
     "交流下半年活动开展情况，协商寒假期间服务安排",
     "走访了解团员表现，沟通年终考评结果反馈事宜"),
)


def consultation_table(orgs: Sequence[OrgSpec], rng: random.Random) -> Table:
    """互通协商: community ↔ org, once each half year — mostly."""
    rows: list[list[Cell]] = []
    for org in orgs:
        chance = (0.4, 0.2) if org.profile == "lawfirm" else (0.92, 0.8)
        for half, (start, end) in enumerate(((date(YEAR, 4, 10), date(YEAR, 6, 30)),
                                             (date(YEAR, 10, 10), date(YEAR, 12, 20)))):
            if rng.random() < chance[half]:
                topic = rng.choice(CONSULT_TOPICS[half])
                rows.append([random_day(rng, start, end), f"{org.community}社区", org.name,
                             weighted(rng, (("座谈", 5), ("电话", 4), ("走访", 3))),
                             topic.format(org=org.unit, cat=PROFILES[org.profile].categories[0])])
    rows.sort(key=lambda r: (r[0], r[1], r[2]))  # type: ignore[arg-type]
    rows = [[i, *r] for i, r in enumerate(rows, 1)]
    return Table(header=_words("序号 日期 社区 报到单位 形式 内容摘要"), rows=rows,
                 title=f"{STREET}{YEAR}年互通协商记录", preamble=[f"填报单位：{STREET}团工委"],
                 formats={1: "yyyy-mm-dd"}, sheet_name="互通协商")


DISTRICT_POSTS = ("团区委书记", "团区委副书记", "团区委副书记", "组织部部长", "宣传部部长",
                  "学校少年部部长", "办公室主任")
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
    return Table(header=_words("序号 姓名 层级 职务 所在街道 不联系 优先联系"), rows=rows,
                 title="团干部基层联系点干部名单",
                 footer=["说明：团区委机关干部每人联系两个街道（园区），街道团工委负责人每人联系两个社区；"
                         "“不联系”“优先联系”可填多个，用顿号分隔。"],
                 sheet_name="干部名单")


# ---------------------------------------------------------------------------
# Normal mode: one street's year
# ---------------------------------------------------------------------------

SAMPLE_ORGS = (
    OrgSpec("烟台山医院团委", "hospital", 40, "海岸路", "a", overage=1),
    OrgSpec("鲁东大学法学院团委", "college_law", 25, "海岸路", "d", date(2026, 3, 4)),
    OrgSpec("山东泓信律师事务所团支部", "lawfirm", 4, "海岸路", "title-only"),
    OrgSpec("芝罘区东山诚信家电维修部", "repair", 2, "海岸路", "a-messy", date(2026, 3, 3)),
    OrgSpec("中国银行烟台分行团委", "bank", 20, "民生", "b-bank", overage=1),
    OrgSpec("鲁东大学艺术学院团委", "college_art", 30, "民生", "two-cell", date(2026, 3, 6)),
    OrgSpec("烟台第十中学团委", "school", 10, "民生", "e", juniors=2),
    OrgSpec("百纳瑞汀酒店团支部", "hotel", 6, "民生", "f"),
    OrgSpec("烟台星韵文化传媒有限公司团支部", "culture", 5, "民生", "a-culture", consent="否"),
    OrgSpec("鲁东大学信息与电气工程学院团委", "college_it", 55, "进德", "c", date(2026, 3, 4)),
    OrgSpec("烟台海创信息科技有限公司团支部", "tech", 3, "进德", "a-short"),
    OrgSpec("烟台海岸物业服务有限公司团支部", "property", 4, "进德", "b-property"),
)
SAMPLE_ENGAGEMENT = {
    "烟台山医院团委": Engagement(14, 0.9, (4, 9)),
    "鲁东大学法学院团委": Engagement(8, 0.85, (3, 7)),
    "山东泓信律师事务所团支部": Engagement(1, 0.5, (2, 2), writes_branch=False),
    "芝罘区东山诚信家电维修部": Engagement(4, 1.0, (1, 2), writes_branch=False),
    "中国银行烟台分行团委": Engagement(8, 0.85, (3, 6)),
    "鲁东大学艺术学院团委": Engagement(9, 0.8, (4, 9)),
    "烟台第十中学团委": Engagement(6, 0.9, (2, 5)),
    "百纳瑞汀酒店团支部": Engagement(3, 0.5, (2, 3), writes_branch=False),
    "烟台星韵文化传媒有限公司团支部": Engagement(6, 1.0, (3, 5), writes_branch=False),
    "鲁东大学信息与电气工程学院团委": Engagement(15, 0.85, (4, 9)),
    "烟台海创信息科技有限公司团支部": Engagement(3, 1.0, (2, 3)),
    "烟台海岸物业服务有限公司团支部": Engagement(4, 0.75, (2, 3)),
}
PER_ACTIVITY_COMMUNITY = "民生"


def load_streets() -> list[dict[str, Any]]:
    text = data_file("zhifu_divisions_2020.json").read_text(encoding="utf-8")
    streets: list[dict[str, Any]] = json.loads(text)["streets"]
    return streets


def generate_samples(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the sample inputs of 东山街道's year into `out_dir`; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    registry = Registry()
    street = next(s for s in load_streets() if s["name"] == STREET)
    locals_ = [(STREET, c["short"]) for c in street["communities"]]
    neighbours = [("毓璜顶街道", "南通"), ("向阳街道", "胜利路"), ("奇山街道", "迎东")]
    written: list[Path] = []
    members: dict[str, list[Member]] = {}
    for org in SAMPLE_ORGS:
        rng = rng_for(seed, f"members:{org.name}")
        home = [(STREET, org.community)]
        pool = home + [x for x in locals_ if x not in home] + neighbours
        members[org.name] = make_members(org, rng, registry, pool)
        written.append(write_member_sheet(out_dir, org, members[org.name], rng))

    projects: dict[str, list[Project]] = {}
    for community, style in LEDGER_STYLES.items():
        rng = rng_for(seed, f"projects:{community}")
        projects[community] = make_projects(community, LEDGER_PROJECTS[community], style.number,
                                            rng, registry)
        written.append(write_project_ledger(out_dir, community, projects[community], style))

    activities: list[Activity] = []
    for org in SAMPLE_ORGS:
        rng = rng_for(seed, f"services:{org.name}")
        activities += plan_activities(org, members[org.name], projects[org.community],
                                      SAMPLE_ENGAGEMENT[org.name], rng)
    rng = rng_for(seed, "service-logs")
    per_member = [a for a in activities if a.org.community != PER_ACTIVITY_COMMUNITY]
    others = "_".join(f"{c}社区" for c in LEDGER_STYLES if c != PER_ACTIVITY_COMMUNITY)
    written.append(write_xlsx(out_dir / f"{YEAR}年服务活动台账_{others}.xlsx",
                              per_member_table(per_member, rng)))
    per_activity = [a for a in activities if a.org.community == PER_ACTIVITY_COMMUNITY]
    written.append(write_xlsx(out_dir / f"{PER_ACTIVITY_COMMUNITY}社区_{YEAR}年服务活动台账.xlsx",
                              per_activity_table(PER_ACTIVITY_COMMUNITY, per_activity, rng)))

    written.append(write_xlsx(out_dir / f"{STREET}_{YEAR}年互通协商记录.xlsx",
                              consultation_table(SAMPLE_ORGS, rng_for(seed, "consultations"))))
    written.append(write_xlsx(out_dir / "联系点干部名单.xlsx",
                              cadre_table(rng_for(seed, "cadres"), registry)))
    return written


# ---------------------------------------------------------------------------
# Scale mode: the article's district, for benchmarks
# ---------------------------------------------------------------------------

SCALE_KINDS = (  # kind, weight, size range, profile(s)
    ("college", 8, (300, 1600), ("college_it",)),  # the college's name decides
    ("school", 12, (30, 800), ("school",)),
    ("hospital", 6, (30, 300), ("hospital",)),
    ("bank", 10, (8, 60), ("bank",)),
    ("enterprise", 35, (6, 150), ("tech", "property", "hotel", "culture")),
    ("small", 20, (2, 5), ("repair", "lawfirm", "culture", "tech")),
    ("agency", 9, (3, 30), ("agency",)),
)
COLLEGES = {  # college → profile of its members
    **dict.fromkeys(_words("""
        信息与电气工程学院 数学与统计科学学院 物理与光电工程学院 化学与材料科学学院 土木工程学院
        交通学院 食品工程学院 资源与环境工程学院 生命科学学院
    """), "college_it"),
    **dict.fromkeys(_words("""
        法学院 马克思主义学院 商学院 教育科学学院 历史文化与旅游学院 国际教育学院
    """), "college_law"),
    **dict.fromkeys(_words("艺术学院 音乐学院 文学院 体育学院 外国语学院"), "college_art"),
}
UNIVERSITIES = _words("""
    鲁东大学 烟台职业学院 烟台工程职业技术学院 山东商务职业学院 烟台黄金职业学院
""")
BANKS = _words("""
    中国银行 工商银行 建设银行 农业银行 交通银行 烟台银行 恒丰银行 招商银行 邮储银行 兴业银行
""")
WORDS = _words("""
    海创 蓝海 鲁信 港城 东方 金港 华海 瑞丰 天泽 中洲 信达 汇通
    宏远 博远 鸿运 海晟 星辰 远航 昆嵛 芝罘 福源 润华 海川 中科
""")
TRADES = {"tech": "信息科技有限公司", "property": "物业服务有限公司", "hotel": "酒店管理有限公司",
          "culture": "文化传媒有限公司", "repair": "家电维修部", "lawfirm": "律师事务所"}
AGENCIES = _words("""
    区人社局 区民政局 区住建局 区市场监管局 区卫健局 区税务局 区司法局 区城管局
    区教体局 区文旅局 区财政局 区应急局
""")
SCALE_HEADER = ["序号", *FULL]  # member sheets: the street's template, plain


def scale_streets(rng: random.Random) -> list[tuple[str, list[str]]]:
    """13 streets and the 105 communities used: a share of each street's communities,
    and 卧龙经济园区 takes a few of 黄务街道's (the division codes list none for it)."""
    streets = load_streets()
    total = sum(len(s["communities"]) for s in streets)
    quotas = [max(1, round(len(s["communities"]) * ARTICLE_COMMUNITIES / total)) for s in streets]
    quotas[-1] += ARTICLE_COMMUNITIES - sum(quotas)
    result = []
    for s, quota in zip(streets, quotas, strict=True):
        shorts = [c["short"] for c in s["communities"]]
        result.append((s["name"], sorted(rng.sample(shorts, quota), key=shorts.index)))
    host = next(r for r in result if r[0] == PARK_HOST)
    moved = [c for c in host[1] if c == "卧龙"] + [c for c in host[1] if c != "卧龙"]
    moved = moved[:PARK_COMMUNITIES]
    result[result.index(host)] = (PARK_HOST, [c for c in host[1] if c not in moved])
    result.append((PARK, moved))
    return result


def scale_sizes(rng: random.Random, kinds: Sequence[tuple[str, int, tuple[int, int]]],
                total: int) -> list[int]:
    """Organisation sizes drawn by kind, scaled to sum to exactly `total`."""
    sizes = [rng.randint(*size) for _, _, size in kinds]
    big = [i for i, (_, _, (_, hi)) in enumerate(kinds) if hi > 5]
    fixed = sum(s for i, s in enumerate(sizes) if i not in set(big))
    factor = (total - fixed) / sum(sizes[i] for i in big)
    for i in big:
        sizes[i] = max(3, round(sizes[i] * factor))
    diff = total - sum(sizes)
    order = sorted(big, key=lambda i: -sizes[i])
    step = 1 if diff > 0 else -1
    j = 0
    while diff:
        sizes[order[j % len(order)]] += step
        diff -= step
        j += 1
    return sizes


def scale_orgs(rng: random.Random, factor: float,
               streets: Sequence[tuple[str, list[str]]]) -> list[OrgSpec]:
    n_orgs = max(len(streets), round(ARTICLE_ORGS * factor))
    by_street = [[(s, c) for c in cs] for s, cs in streets]  # round robin: every street early
    places = [p for group in itertools.zip_longest(*by_street) for p in group if p]
    names: set[str] = set()
    drawn = []
    for i in range(n_orgs):
        street, community = places[i] if i < len(places) else rng.choice(places)
        kind, _, size, profiles = rng.choices(SCALE_KINDS, weights=[k[1] for k in SCALE_KINDS])[0]
        name, profile = scale_org_name(rng, kind, rng.choice(profiles), street, community, names)
        drawn.append((kind, profile, size, street, community, name))
    sizes = scale_sizes(rng, [(d[0], 0, d[2]) for d in drawn], round(ARTICLE_MEMBERS * factor))
    return [OrgSpec(name, profile, size, community, street=street,
                    consent="否" if kind == "small" and rng.random() < 0.1 else "是")
            for (kind, profile, _, street, community, name), size in zip(drawn, sizes, strict=True)]


def scale_org_name(rng: random.Random, kind: str, profile: str, street: str, community: str,
                   taken: set[str]) -> tuple[str, str]:
    """A unique organisation name of `kind`, and its profile (a college's follows its name)."""
    name = ""
    for _ in range(20):
        if kind == "college":
            college = rng.choice(list(COLLEGES))
            name, profile = f"{rng.choice(UNIVERSITIES)}{college}团委", COLLEGES[college]
        elif kind == "school":
            name = rng.choice((f"烟台第{rng.randint(1, 40)}中学团委",
                               f"芝罘区{community}小学团支部",
                               f"烟台市{rng.choice(WORDS)}中学团委"))
        elif kind == "hospital":
            name = rng.choice((f"芝罘区{street}社区卫生服务中心团支部",
                               f"烟台{rng.choice(WORDS)}医院团委"))
        elif kind == "bank":
            place = rng.choice((community, street.removesuffix("街道")))
            name = f"{rng.choice(BANKS)}烟台{place}支行团支部"
        elif kind == "agency":
            name = f"芝罘{rng.choice(AGENCIES)}机关团支部"
        else:
            suffix = "" if profile == "repair" else "团支部"
            name = f"烟台{rng.choice(WORDS)}{rng.choice(WORDS)}{TRADES[profile]}{suffix}"
        if name not in taken:
            break
    base, n = name, 1
    while name in taken:  # large factors run out of combinations
        n += 1
        name = f"{base}（{n}）"
    taken.add(name)
    return name, profile


def scale_member_rows(org: OrgSpec, members: Sequence[Member]) -> Iterable[list[Cell]]:
    for i, m in enumerate(members, 1):
        yield [i, m.name, m.gender, m.id_number, m.ethnicity, m.birth.isoformat(),
               m.political_status, f"{m.joined.year}.{m.joined.month:02d}", m.education,
               m.home_branch, m.league_post, m.phone, f"{m.residence}社区", m.occupation,
               m.specialty, m.willingness, m.interests, m.availability, m.consent, m.remark]


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XF = 'fontId="0" fillId="0" borderId="0" xfId="0"'
PLAIN_XLSX_PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"),
    "xl/workbook.xml": (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">'
        '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"),
    "xl/styles.xml": (  # style 1: text (@), style 2: yyyy-mm-dd
        f'{_XML}<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="3"/>'
        '<charset val="134"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="3"><xf numFmtId="0" {_XF}/>'
        f'<xf numFmtId="49" {_XF} applyNumberFormat="1"/>'
        f'<xf numFmtId="164" {_XF} applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"),
}
EXCEL_EPOCH = date(1899, 12, 30)
PRESERVE = ' xml:space="preserve"'


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_plain_xlsx(path: Path, sheet: str, rows: Iterable[Sequence[Cell]],
                     text_cols: Iterable[int] = ()) -> Path:
    """The scale mode's fast path: a minimal one-sheet xlsx written directly (shared
    strings as Excel writes them, `@` on `text_cols`, dates as date serials), some
    twenty times faster than openpyxl's write-only mode."""
    strings: dict[str, int] = {}
    text = set(text_cols)
    letters = [get_column_letter(c) for c in range(1, 65)]
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, values in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{letters[c]}{r}"
            style = ' s="1"' if c in text else ""
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}"{style} t="s"><v>{index}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="2"><v>{(value - EXCEL_EPOCH).days}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    shared = "".join(
        f'<si><t{PRESERVE if s != s.strip() else ""}>{xml_text(s)}</t></si>' for s in strings)
    parts = {name: body.replace("{sheet}", xml_text(sheet))
             for name, body in PLAIN_XLSX_PARTS.items()}
    parts["xl/worksheets/sheet1.xml"] = "".join(out)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 3
            archive.writestr(entry, body.encode("utf-8"))
    return path


def write_fast_xlsx(path: Path, sheet: str, preamble: Sequence[str], header: Sequence[str],
                    rows: Iterable[Sequence[Cell]], text_col: int | None = None) -> Path:
    """Plain layout: preamble lines, header, data."""
    lines: list[Sequence[Cell]] = [[line] for line in preamble]
    return write_plain_xlsx(path, sheet, [*lines, header, *rows],
                            () if text_col is None else (text_col,))


def generate_scale(out_dir: Path, factor: float = 1.0, seed: int = DEFAULT_SEED,
                   service_rows: int | None = None) -> dict[str, Any]:
    """Write article-scale inputs times `factor` into `out_dir`; returns a summary
    (also written to `scale_manifest.json`). `service_rows`: the log rows in all,
    instead of 100,000 times `factor` (a million members need not log two million)."""
    gc.disable()  # hundreds of thousands of small objects, no cycles: the collector only costs
    try:
        return _generate_scale(out_dir, factor, seed, service_rows)
    finally:
        gc.enable()


def _generate_scale(out_dir: Path, factor: float, seed: int,
                    service_rows: int | None = None) -> dict[str, Any]:
    rng = rng_for(seed, f"scale:{factor}")
    streets = scale_streets(rng)
    orgs = scale_orgs(rng, factor, streets)
    registry = Registry(unique_names=False)
    dirs = {k: out_dir / k for k in ("团员信息汇总表", "为民服务实事台账", "服务活动台账")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    street_of = {c: s for s, cs in streets for c in cs}
    residence_pool = {s: [(s if s != PARK else PARK_HOST, c) for c in cs] for s, cs in streets}

    members: dict[str, list[Member]] = {}
    for org in orgs:
        pool = residence_pool[org.street]
        home = [(pool[0][0], org.community)]
        pool = home + [p for p in pool if p not in home]
        members[org.name] = make_members(org, rng, registry, pool)
        folder = dirs["团员信息汇总表"] / org.street
        folder.mkdir(exist_ok=True)
        write_fast_xlsx(folder / f"{org.name}_团员信息汇总表.xlsx", "团员信息汇总表",
                        [f"{org.name}团员信息汇总表", f"填表单位（盖章）：{org.name}",
                         f"报到社区：{org.community}社区", f"填表日期：{cn_date(FILL_DATE)}"],
                        SCALE_HEADER, scale_member_rows(org, members[org.name]), text_col=3)

    used = sorted({org.community for org in orgs}, key=lambda c: (street_of[c], c))
    projects: dict[str, list[Project]] = {}
    for community in used:
        titles = rng.sample([k.title for k in PROJECT_KINDS], 8)
        projects[community] = make_projects(community, titles, lambda i: f"{i:02d}", rng, registry)
        table = project_table(community, projects[community], LEDGER_STYLES["进德"],
                              street=street_of[community])
        path = dirs["为民服务实事台账"] / f"{community}社区_为民服务实事台账.xlsx"
        preamble = [table.title or "", *(str(p) for p in table.preamble)]
        write_fast_xlsx(path, "实事台账", preamble, table.header, table.rows)

    total_members = sum(o.size for o in orgs)
    target_rows = round(ARTICLE_SERVICE_ROWS * factor) if service_rows is None else service_rows
    log: dict[str, list[list[Cell]]] = {s: [] for s, _ in streets}
    written_rows = 0
    for n, org in enumerate(orgs):
        done = sum(o.size for o in orgs[: n + 1])
        quota = round(target_rows * done / total_members) - written_rows
        rows = scale_service_rows(org, members[org.name], projects[org.community], quota, rng)
        log[org.street] += rows
        written_rows += len(rows)
    for street, rows in log.items():
        rows.sort(key=lambda r: (r[0], r[1], r[4]))  # type: ignore[arg-type,return-value]
        path = dirs["服务活动台账"] / f"{street}_{YEAR}年服务活动台账.xlsx"
        write_fast_xlsx(path, "服务活动台账", [f"{street}{YEAR}年服务活动台账"], LOG_HEADER, rows,
                        text_col=6)

    summary = {
        "factor": factor, "seed": seed, "streets": len(streets),
        "communities": len(used), "orgs": len(orgs), "members": total_members,
        "service_rows": written_rows, "park": f"{PARK} 的报到单位在 {PARK_HOST} 的 "
        f"{'、'.join(dict(streets)[PARK])} 社区报到",
        "members_by_street": {s: sum(o.size for o in orgs if o.street == s) for s, _ in streets},
    }
    (out_dir / "scale_manifest.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return summary


def scale_service_rows(org: OrgSpec, members: Sequence[Member], projects: Sequence[Project],
                       quota: int, rng: random.Random) -> list[list[Cell]]:
    """`quota` per-member service-log rows for one organisation."""
    cats = PROFILES[org.profile].categories
    claimed = [p for p in projects if p.category in cats] or list(projects)
    active = rng.sample(list(members), max(1, round(len(members) * rng.uniform(0.6, 0.95))))
    rows: list[list[Cell]] = []
    while len(rows) < quota:
        project = rng.choice(claimed)
        day = pick_day(rng, project.kind.when)
        hours = num(rng.choice(HOURS))
        content = rng.choice(project.kind.activities)
        rating = "满意" if rng.random() < 0.85 else "基本满意"
        k = min(len(active), rng.randint(3, 12), quota - len(rows))
        for m in rng.sample(active, k):
            rows.append([day, f"{org.community}社区", "", project.title, org.name, m.name,
                         m.id_number, hours, rng.randint(2, 20), content, rating])
    return rows


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def parse_scale(text: str) -> float:
    if text == "article":
        return 1.0
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("写 article 或一个正数倍数，例如 5") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("倍数必须大于 0")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成样例输入文件（或基准测试用的全区规模数据）")
    parser.add_argument("-o", "--out", type=Path, help="输出目录（默认：本脚本所在的 samples/）")
    parser.add_argument("--scale", type=parse_scale, metavar="article|N",
                        help="生成文章规模（article）或其 N 倍的数据；必须同时给 -o，且不要提交")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument("--service-rows", type=int, metavar="N",
                        help="规模模式下服务活动台账的总行数（默认 100000 乘以倍数）")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.scale is not None:
        if args.out is None:
            parser.error("--scale 需要用 -o 指定输出目录（规模数据不要放进 samples/）")
        out = args.out.resolve()
        if out == SAMPLES_DIR or SAMPLES_DIR in out.parents:
            parser.error("规模数据不要写进 samples/")
        summary = generate_scale(out, args.scale, args.seed, args.service_rows)
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        files = generate_samples((args.out or SAMPLES_DIR).resolve(), args.seed)
        for path in files:
            print(path.name)
    print(f"用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
