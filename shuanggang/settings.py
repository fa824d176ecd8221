"""Settings: built-in defaults < the workspace's shuanggang.toml < command-line flags.

Every default lives once, as a dataclass field default below; `default_toml()` writes
them out with a Chinese comment each, and `load()` reads a workspace's file back over
them, checking each value's type and naming the key that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from shuanggang import clock
from shuanggang.domain.rules import MemberAges
from shuanggang.domain.standards import BranchRules
from shuanggang.domain.standards import Eligibility as Recommendation
from shuanggang.domain.standards import Weights as Assessment
from shuanggang.errors import SettingsError
from shuanggang.resources import data_file

SETTINGS_FILE = "shuanggang.toml"

# A park (园区) the 2020 division codes do not list; the district counts it as a street.
EXTRA_STREETS = ({"code": "", "name": "卧龙经济园区", "communities": []},)


@dataclass(frozen=True, slots=True)
class Community:
    short: str
    name: str
    code: str = ""


@dataclass(frozen=True, slots=True)
class Street:
    name: str
    code: str = ""
    communities: tuple[Community, ...] = ()


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    keywords: tuple[str, ...] = ()


@cache
def default_categories() -> tuple[Category, ...]:
    """The service categories and their keywords, from data/categories.toml (the last,
    without keywords, takes whoever matches none)."""
    import tomllib

    raw = tomllib.loads(data_file("categories.toml").read_text(encoding="utf-8"))
    return _categories(raw.get("categories"), "categories.toml")


@dataclass(frozen=True, slots=True)
class Issuers:
    district: str = "共青团烟台市芝罘区委员会"
    street: str = "共青团{street}工作委员会"
    community: str = "{community}社区团支部"


@dataclass(frozen=True, slots=True)
class Letters:
    checkin_number: str = "芝团报〔{year}〕{seq:03d}号"
    feedback_number: str = "芝团反〔{year}〕{seq:03d}号"
    validity_days: int = 30


@dataclass(frozen=True, slots=True)
class Certificates:
    issuer: str = "street"  # street | community | district: whose name the proof bears
    person_in_charge: str = ""
    handler: str = ""
    contact: str = ""
    number: str = "芝团证〔{year}〕{seq:04d}号"
    publicity_days: int = 7
    lines_on_page: int = 10  # activities listed on the certificate; the rest on an annex


@dataclass(frozen=True, slots=True)
class Awards:
    member_min_hours: float = 20.0
    member_min_activities: int = 6
    member_shortlist: int = 20
    org_shortlist: int = 3


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_mb: int = 200
    max_unpacked_mb: int = 1024
    max_rows: int = 1_048_576
    max_columns: int = 512
    max_cell_chars: int = 32_767
    # Rows x columns from A1 to the last cell that holds something: what the reader
    # allocates for a sheet (about 32 bytes a cell). A million-row member sheet of the
    # full 21-column template is 22 million; past 25 million, memory passes 1.5 GB.
    max_cells: int = 25_000_000
    # Findings of one file: past this a file is broken as a whole, and the list is cut
    # with one finding that says so.
    max_findings: int = 10_000
    # restore: a backup's unpacked size, and its database's, checked before anything
    # is unpacked.
    max_backup_mb: int = 16_384
    max_database_mb: int = 8_192


@dataclass(frozen=True, slots=True)
class Aliases:
    """The workspace's own other names: for headers, communities and organisations."""

    headers: tuple[tuple[str, str], ...] = ()  # header text → field name
    communities: tuple[tuple[str, str], ...] = ()  # as sheets write it → community short name
    orgs: tuple[tuple[str, str], ...] = ()  # short name → the organisation's full name

    def community(self, text: str) -> str:
        """The community short name an alias stands for, else `text` itself."""
        return dict(self.communities).get(text.strip(), text)

    def org(self, text: str) -> str:
        return dict(self.orgs).get(text.strip(), text)


@dataclass(frozen=True, slots=True)
class Settings:
    district: str = "芝罘区"
    year: int = field(default_factory=clock.this_year)
    issuers: Issuers = field(default_factory=Issuers)
    letters: Letters = field(default_factory=Letters)
    ages: MemberAges = field(default_factory=MemberAges)
    branch: BranchRules = field(default_factory=BranchRules)
    assessment: Assessment = field(default_factory=Assessment)
    recommendation: Recommendation = field(default_factory=Recommendation)
    awards: Awards = field(default_factory=Awards)
    certificates: Certificates = field(default_factory=Certificates)
    limits: Limits = field(default_factory=Limits)
    aliases: Aliases = field(default_factory=Aliases)
    categories: tuple[Category, ...] = field(default_factory=default_categories)
    streets: tuple[Street, ...] = ()

    def street_of(self, community: Community) -> Street:
        for street in self.streets:
            if community in street.communities:
                return street
        raise KeyError(community.short)

    def communities(self) -> list[Community]:
        return [c for s in self.streets for c in s.communities]

    def community_named(self, text: str) -> Community | None:
        """The community a name means, the workspace's aliases included."""
        from shuanggang.domain.divisions import match_community

        return match_community(text, self.communities(), self.aliases.communities)

    def communities_like(self, text: str) -> list[str]:
        """The closest community names, for a “did you mean”."""
        from shuanggang.domain.divisions import suggest

        return suggest(text, self.communities())


COMMENTS = {
    "district": "区（县）名称，出现在文书落款中",
    "year": "工作年度：报到、服务、考评都按这一年统计",
    "issuers": "各级团组织名称，{street}/{community} 会替换为街道、社区名称",
    "issuers.district": "团区委全称",
    "issuers.street": "街道（园区）团工委名称格式",
    "issuers.community": "社区团组织名称格式（反馈函落款）",
    "letters": "文书编号格式：可用 {street} 街道名称、{street_abbr} 街道简称（去掉“街道”“园区”）、"
    "{community} 社区简称、{year} 年度、{seq:03d} 当年流水号"
    "（按签发单位分别编号，一经发出不再改变）",
    "letters.checkin_number": "《团组织报到介绍信》编号",
    "letters.feedback_number": "《考评结果反馈函》编号",
    "letters.validity_days": "报到介绍信有效天数",
    "ages": "团员年龄（按身份证号计算的当年 12 月 31 日年龄）",
    "ages.min_age": "最小年龄：入团年月早于此年龄、年底不到此年龄的给出警告",
    "ages.max_age": "最大年龄：年底超过此年龄的给出“超龄”警告",
    "branch": "登记活动团支部编组规则（团章：3 人以上成立团支部，一般不超过 50 人）",
    "branch.scope": "默认编组范围：community 在社区内编组，street 在街道内跨社区编组",
    "branch.min_size": "每个支部最少人数，不足者与其他单位联合编组",
    "branch.max_size": "每个支部最多人数，超出者平均拆分",
    "branch.weight_category": "编组评分权重：同一服务类别",
    "branch.weight_slots": "编组评分权重：共同可服务时间",
    "branch.weight_locality": "编组评分权重：同一街道或居住社区",
    "branch.weight_underfill": "编组评分权重：避免人数不足或没有年满 18 周岁成员的支部",
    "branch.weight_balance": "编组评分权重：支部人数均衡",
    "branch.weight_split": "编组评分权重：同一单位的团员尽量在同一支部",
    "branch.weight_small": "编组评分权重：避免过小的支部（不足 split_size 人）",
    "branch.split_size": "单位中某一服务类别达到此人数，且分出后两部分都有年满 18 周岁的成员时，"
    "才单独编组（0 表示 min_size 的 2 倍）",
    "assessment": "综合考评：各项得分权重（合计 100）、目标值和等次分数线",
    "assessment.weight_participation": "参与率（参加过服务的团员占比）",
    "assessment.weight_hours": "人均服务时长",
    "assessment.weight_activities": "人均服务次数",
    "assessment.weight_projects": "认领项目中已开展服务的比例",
    "assessment.weight_consultations": "互通协商次数",
    "assessment.weight_rating": "社区评价",
    "assessment.target_hours_per_member": "人均服务时长达到此值（小时）得满分",
    "assessment.target_activities_per_member": "人均服务次数达到此值得满分",
    "assessment.target_consultations": "全年互通协商次数目标（每半年一次）",
    "assessment.excellent": "优秀分数线",
    "assessment.qualified": "合格分数线",
    "assessment.basic": "基本合格分数线，低于此为不合格",
    "assessment.excellent_cap": "优秀比例上限（0 表示不限）",
    "assessment.shrink_members": (
        "小单位的参与率、人均时长和次数向全区水平收缩：按多这么多名全区平均水平的团员计算"
        "（0 表示不收缩）"
    ),
    "assessment.min_members": "评为优秀最少团员数",
    "assessment.item_floor": "评为优秀时每个适用项的最低完成比例（0–1）",
    "recommendation": "推优入党资格条件",
    "recommendation.min_age": "最小年龄（按身份证号计算）",
    "recommendation.max_age": "最大年龄",
    "recommendation.min_member_years": "入团年限（入团年月已知时检查）",
    "recommendation.min_activities": "全年最少服务次数",
    "recommendation.min_hours": "全年最少服务时长（小时）",
    "awards": "表彰推荐名单",
    "awards.member_min_hours": "优秀团员：最少服务时长（小时）",
    "awards.member_min_activities": "优秀团员：最少服务次数",
    "awards.member_shortlist": "优秀团员推荐名单人数上限",
    "awards.org_shortlist": "五四红旗团委推荐名单单位数上限",
    "certificates": "志愿服务记录证明：由记录服务的团组织出具，加盖公章，负责人、经办人签字",
    "certificates.issuer": "出具单位：street 街道团工委、community 社区团组织、district 团区委"
    "（名称按 [issuers] 的格式）",
    "certificates.person_in_charge": "出具单位负责人姓名",
    "certificates.handler": "经办人姓名",
    "certificates.contact": "联系电话",
    "certificates.number": "证明编号格式：{year} 出具年度、{seq:04d} 当年流水号"
    "（一经出具不再改变）",
    "certificates.publicity_days": "公示天数（单位内部公示不少于 7 天）",
    "certificates.lines_on_page": "证明正文列出的服务记录条数，其余列入附件",
    "limits": "输入文件和备份的限制：超出者在解析、解压前拒收",
    "limits.max_file_mb": "单个文件最大（MB）",
    "limits.max_unpacked_mb": "xlsx/ods 解压后最大（MB），防止压缩炸弹",
    "limits.max_rows": "每个工作表最多行数",
    "limits.max_columns": "每个工作表最多列数",
    "limits.max_cell_chars": "单元格最多字符数",
    "limits.max_cells": "每个工作表最多单元格数：从 A1 到最后一个有内容的单元格的行数 × 列数"
    "（读表时按此分配内存，每个约 32 字节）",
    "limits.max_findings": "每个文件最多列出的问题条数，超出的只报总数",
    "limits.max_backup_mb": "restore：备份文件解压后最大（MB），恢复前检查",
    "limits.max_database_mb": "restore：备份中的数据库最大（MB）",
    "aliases": "本工作区的别名：表头、社区、单位的其他写法（读表、--community、--org 都认）",
    "categories": "服务类别与关键词：按专业特长、服务意向匹配，命中最多者为准，"
    "无命中归入最后一类（综合服务）",
    "streets": "街道（园区）及其社区：short 为社区简称，name 为正式名称，code 为统计用区划代码",
}


@cache
def default_streets() -> tuple[Street, ...]:
    import json

    raw = json.loads(data_file("zhifu_divisions_2020.json").read_text(encoding="utf-8"))
    return _streets([*raw["streets"], *EXTRA_STREETS], "streets")


def defaults(district: str = "芝罘区", year: int | None = None) -> Settings:
    """The built-in settings; the working year is this year unless given."""
    return Settings(district=district, year=year or clock.this_year(), streets=default_streets())


# --- reading ---------------------------------------------------------------------------


def load(path: Path) -> Settings:
    """Read a workspace's settings file over the defaults."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SettingsError(f"{path.name} 不是 UTF-8 编码", "用记事本另存为 UTF-8 编码") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"{path.name} 格式有误：{exc}", "对照 shuanggang init 生成的文件修改"
        ) from None
    return from_mapping(data, source=path.name)


def from_mapping(data: dict[str, Any], source: str = "shuanggang.toml") -> Settings:
    base = defaults()
    try:
        settings = _merge(base, data, "")
        _validate(settings)
    except SettingsError as exc:
        raise SettingsError(f"{source}：{exc.message}", exc.hint) from None
    return settings


def _settable(obj: Any, prefix: str) -> list[str]:
    """The keys a settings file may give: every documented field (a domain type may carry
    more, such as the year a branch search runs for, which the program sets itself)."""
    return [f.name for f in fields(obj) if f"{prefix}{f.name}" in COMMENTS]


def _merge(obj: Any, data: dict[str, Any], prefix: str) -> Any:
    if not isinstance(data, dict):
        raise SettingsError(f"{prefix.rstrip('.')} 应为一个表（[{prefix.rstrip('.')}]）")
    known = _settable(obj, prefix)
    changes: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key not in known:
            raise SettingsError(f"未知设置项 {name}", f"可用的设置项：{'、'.join(known)}")
        current = getattr(obj, key)
        if key == "streets":
            changes[key] = _streets(value, name)
        elif key == "categories":
            changes[key] = _categories(value, name)
        elif key == "aliases":
            changes[key] = _alias_tables(value, name)
        elif is_dataclass(current):
            changes[key] = _merge(current, value, f"{name}.")
        else:
            changes[key] = _scalar(current, value, name)
    return replace(obj, **changes)


def _scalar(current: Any, value: Any, name: str) -> Any:
    expected = type(current)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not expected:
        kind = {int: "整数", float: "数字", str: "文字", bool: "true/false"}.get(expected, "值")
        raise SettingsError(f"{name} 应为{kind}，实际为 {value!r}")
    return value


def _streets(value: Any, name: str) -> tuple[Street, ...]:
    if not isinstance(value, list):
        raise SettingsError(f"{name} 应为 [[streets]] 列表")
    streets = []
    for i, raw in enumerate(value, 1):
        where = f"{name} 第 {i} 项"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise SettingsError(f"{where} 缺少街道名称 name")
        communities = []
        for j, c in enumerate(raw.get("communities", []), 1):
            if not isinstance(c, dict) or not isinstance(c.get("short"), str):
                raise SettingsError(f"{where} 的第 {j} 个社区缺少简称 short")
            short = c["short"].strip()
            communities.append(
                Community(
                    short=short,
                    name=str(c.get("name") or f"{short}社区居民委员会"),
                    code=str(c.get("code", "")),
                )
            )
        streets.append(
            Street(
                name=raw["name"].strip(),
                code=str(raw.get("code", "")),
                communities=tuple(communities),
            )
        )
    return tuple(streets)


_ALIAS_TABLES = ("headers", "communities", "orgs")


def _alias_tables(value: Any, name: str) -> Aliases:
    if not isinstance(value, dict):
        raise SettingsError(f"{name} 应为一个表（[aliases.headers] 等）")
    tables = {}
    for key, table in value.items():
        if key not in _ALIAS_TABLES:
            raise SettingsError(
                f"未知设置项 {name}.{key}", f"可用的设置项：{'、'.join(_ALIAS_TABLES)}"
            )
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
            for k, v in table.items()
        ):
            raise SettingsError(f'{name}.{key} 的每一项应为 "别名" = "名称"')
        tables[key] = tuple(sorted((k.strip(), v.strip()) for k, v in table.items()))
    return Aliases(**tables)


def _categories(value: Any, name: str) -> tuple[Category, ...]:
    if not isinstance(value, list) or not value:
        raise SettingsError(f"{name} 应为非空的 [[categories]] 列表")
    out = []
    for i, raw in enumerate(value, 1):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise SettingsError(f"{name} 第 {i} 项缺少类别名称 name")
        keywords = raw.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise SettingsError(f"{name} 第 {i} 项的 keywords 应为文字列表")
        out.append(Category(raw["name"].strip(), tuple(k.strip() for k in keywords if k.strip())))
    return tuple(out)


def _validate(s: Settings) -> None:
    b = s.branch
    if b.scope not in ("community", "street"):
        raise SettingsError(f"branch.scope 应为 community 或 street，实际为 {b.scope!r}")
    if not 0 < s.ages.min_age <= s.ages.max_age:
        raise SettingsError("ages 应满足 0 < min_age ≤ max_age")
    if b.split_size < 0:
        raise SettingsError(f"branch.split_size 不能为负数，实际为 {b.split_size}")
    if not 1 <= b.min_size <= b.max_size:
        raise SettingsError(
            f"branch.min_size（{b.min_size}）与 branch.max_size（{b.max_size}）不合理",
            "应满足 1 ≤ min_size ≤ max_size",
        )
    cs = s.certificates
    if cs.issuer not in ("street", "community", "district"):
        raise SettingsError(
            f"certificates.issuer 应为 street、community 或 district，实际为 {cs.issuer!r}"
        )
    if cs.publicity_days < 7:
        raise SettingsError("certificates.publicity_days 不能少于 7 天")
    if cs.lines_on_page < 1:
        raise SettingsError("certificates.lines_on_page 至少为 1")
    try:
        cs.number.format(year=2026, seq=1)
    except (KeyError, IndexError, ValueError):
        raise SettingsError(
            f"certificates.number 格式有误：{cs.number!r}",
            "只能用 {year} 和 {seq:04d} 这样的占位符",
        ) from None
    a = s.assessment
    if not a.excellent >= a.qualified >= a.basic >= 0:
        raise SettingsError("assessment 的分数线应满足 excellent ≥ qualified ≥ basic ≥ 0")
    if not 0 <= a.excellent_cap <= 1:
        raise SettingsError("assessment.excellent_cap 应在 0 到 1 之间")
    if a.shrink_members < 0 or a.min_members < 0:
        raise SettingsError("assessment.shrink_members 和 min_members 不能为负数")
    if not 0 <= a.item_floor <= 1:
        raise SettingsError("assessment.item_floor 应在 0 到 1 之间")
    from shuanggang.domain.labels import FIELD_LABELS

    wrong = [f"{k} = {v}" for k, v in s.aliases.headers if v not in FIELD_LABELS]
    if wrong:
        raise SettingsError(
            f"aliases.headers 中的字段名不存在：{'、'.join(wrong)}", "字段名见 docs/fields.md"
        )
    shorts = {c.short for c in s.communities()}
    wrong = [f"{k} = {v}" for k, v in s.aliases.communities if v not in shorts]
    if wrong:
        raise SettingsError(
            f"aliases.communities 中的社区不在本区社区名单中：{'、'.join(wrong)}",
            '等号右边写社区简称，如 "毓东" = "毓璜顶东"',
        )
    seen: dict[str, str] = {}
    for street in s.streets:
        for c in street.communities:
            if c.short in seen:
                raise SettingsError(
                    f"社区简称“{c.short}”在 {seen[c.short]} 和 {street.name} 中重复",
                    "社区简称需在全区唯一",
                )
            seen[c.short] = street.name


# --- writing ---------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def _comment(key: str) -> list[str]:
    return [f"# {COMMENTS[key]}"] if key in COMMENTS else []


_ALIAS_EXAMPLES = {
    "headers": ("表头文字 = 字段名（字段名见 docs/fields.md）", '"个人专长" = "specialty"'),
    "communities": ("表中的写法 = 社区简称", '"毓东" = "毓璜顶东"'),
    "orgs": ("表中或文件名中的简称 = 单位全称", '"烟台山医院" = "烟台山医院团委"'),
}


def _alias_toml(aliases: Aliases) -> list[str]:
    lines = _comment("aliases")
    for table in _ALIAS_TABLES:
        meaning, example = _ALIAS_EXAMPLES[table]
        lines += [f"[aliases.{table}]", f"# {meaning}，例如：", f"# {example}"]
        lines += [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in getattr(aliases, table)]
        lines.append("")
    return lines


def default_toml(settings: Settings) -> str:
    """The settings as a commented TOML file; `load` of it gives `settings` back."""
    lines = ["# shuanggang 工作区设置。删去某项即恢复默认值；修改后下次运行命令时生效。", ""]
    for f in fields(settings):
        value = getattr(settings, f.name)
        if is_dataclass(value) or f.name in ("categories", "streets", "aliases"):
            continue
        lines += [*_comment(f.name), f"{f.name} = {_toml_value(value)}", ""]
    for f in fields(settings):
        section = getattr(settings, f.name)
        if not is_dataclass(section) or f.name == "aliases":
            continue
        lines += [*_comment(f.name), f"[{f.name}]"]
        for sub in fields(section):
            if f"{f.name}.{sub.name}" not in COMMENTS:
                continue
            lines += [
                *_comment(f"{f.name}.{sub.name}"),
                f"{sub.name} = {_toml_value(getattr(section, sub.name))}",
            ]
        lines.append("")
    lines += _alias_toml(settings.aliases)
    lines += _comment("categories")
    for cat in settings.categories:
        lines += [
            "[[categories]]",
            f"name = {_toml_value(cat.name)}",
            f"keywords = {_toml_value(cat.keywords)}",
            "",
        ]
    lines += _comment("streets")
    for street in settings.streets:
        lines += [
            "[[streets]]",
            f"name = {_toml_value(street.name)}",
            f"code = {_toml_value(street.code)}",
            "communities = [",
        ]
        lines += [
            f"  {{ short = {_toml_value(c.short)}, name = {_toml_value(c.name)}, "
            f"code = {_toml_value(c.code)} }},"
            for c in street.communities
        ]
        lines += ["]", ""]
    return "\n".join(lines)
