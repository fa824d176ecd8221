"""The alias tables: for each kind of sheet, its fields, the headers people give them,
and the type each value is parsed as. The one reader is driven by these; the fields'
Chinese labels and the kinds' names come from `shuanggang.domain.labels`."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache, lru_cache

from shuanggang.domain.labels import FIELD_LABELS, Kind


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # the code name, also the store's column
    aliases: tuple[str, ...] = ()
    required: bool = False
    type: str = "text"  # text id phone tel date gender int hours rating yesno names
    # the canonical Chinese header, used in blanks and messages: FIELD_LABELS[name]
    # unless this kind of sheet heads the column differently
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", FIELD_LABELS[self.name])

    def __hash__(self) -> int:
        # Fields key the header search's sets and every row's columns: the name's hash
        # (cached by str) rather than one over all the aliases. Equal fields share a name.
        return hash(self.name)


@dataclass(frozen=True, slots=True)
class SheetKind:
    name: Kind
    fields: tuple[Field, ...]
    # the words of its title row, removed when the org name comes from it
    title: str = ""
    detected: bool = True  # found by its headers; False: only read when asked for by name
    required: tuple[Field, ...] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # asked for by every header candidate and every row
        object.__setattr__(self, "required", tuple(f for f in self.fields if f.required))
        if not self.title:
            object.__setattr__(self, "title", self.name.label)

    @property
    def label(self) -> str:
        """《团员信息汇总表》…"""
        return self.name.book_title

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


MEMBERS = SheetKind(
    Kind.MEMBERS,
    (
        Field("name", ("团员姓名",), required=True),
        Field("gender", type="gender"),
        Field(
            "id_number",
            (
                "身份证号码",
                "公民身份号码",
                "证件号码",
                "身份证",
                "居民身份证号",
                "居民身份证号码",
                "身份证件号码",
                "公民身份证号",
                "公民身份证号码",
            ),
            required=True,
            type="id",
        ),
        Field("member_no", ("团员证号", "团员证编号")),
        Field("ethnicity"),
        Field("birth", ("出生日期", "出生时间", "出生年月日"), type="date"),
        Field("political_status"),
        Field("joined", ("入团时间", "入团日期"), type="date"),
        Field("education", ("文化程度", "最高学历", "学历学位")),
        Field("home_branch", ("团籍所在团支部", "所在支部")),
        Field("league_post", ("职务（团内）",)),
        Field(
            "phone",
            ("手机", "联系电话", "联系方式", "电话", "手机号", "联系手机", "移动电话"),
            required=True,
            type="phone",
        ),
        Field(
            "residence",
            (
                "居住街区",
                "现居住地",
                "家庭住址",
                "居住地",
                "住址",
                "现居住地址",
                "现住址",
                "居住小区",
                "居住地址",
                "现居住社区",
                "家庭地址",
            ),
        ),
        Field(
            "occupation",
            ("行业岗位", "职业", "工作单位", "单位及职务", "工作单位及岗位", "工作岗位"),
        ),
        Field("specialty", ("特长", "技能", "专业", "个人特长", "特长爱好", "专长", "专业技能")),
        Field("willingness", ("服务意愿", "志愿服务意向", "志愿服务意愿", "参与意向")),
        Field("interests", ("爱好", "个人爱好")),
        Field(
            "availability",
            (
                "活动时间",
                "可参加活动时间",
                "服务时间",
                "空闲时间",
                "服务时段",
                "时间安排",
                "可服务时段",
                "可服务时间段",
                "空闲时段",
            ),
        ),
        Field("consent", ("是否同意合编", "同意联合编组"), type="yesno"),
        Field("remark"),
    ),
)

PROJECTS = SheetKind(
    Kind.PROJECTS,
    (
        Field("project_no", ("项目编号",)),
        Field("title", ("服务项目",), required=True),
        Field("category", ("类别",)),
        Field("content", ("项目内容",)),
        Field("schedule", ("活动时间", "频次", "服务频次")),
        Field("place", ("地点", "活动地点", "项目地点")),
        Field("needed", ("所需人数", "需要人数", "需求志愿者人数", "所需志愿者人数"), type="int"),
        Field("contact"),
        Field("contact_phone", ("联系方式",), type="tel"),
        Field("claimed_by"),
    ),
)

SERVICES = SheetKind(
    Kind.SERVICES,
    (
        Field("date", ("活动日期", "服务日期"), required=True, type="date"),
        Field("community", ("服务社区", "所在社区")),
        Field("branch", ("登记活动团支部",)),
        Field("project", ("项目编号", "服务项目")),
        Field("org", ("报到单位团组织", "单位")),
        Field("member", ("团员姓名",)),
        Field("id_number", ("身份证号码", "公民身份号码", "证件号码"), type="id"),
        Field("member_no"),
        Field("participants", ("参与人员", "参加团员"), type="names"),
        Field(
            "hours",
            ("时长", "服务时长", "时长（小时）", "服务小时数", "志愿服务时长", "服务时数"),
            required=True,
            type="hours",
        ),
        Field("beneficiaries", ("受益人数", "服务人数"), type="int"),
        Field("content", ("服务内容",), label="活动内容"),
        Field("rating", ("满意度", "评价"), type="rating"),
    ),
)

CONSULTATIONS = SheetKind(
    Kind.CONSULTATIONS,
    (
        Field("date", ("协商日期", "时间"), required=True, type="date"),
        Field("community", ("接收社区",), required=True),
        Field("org", ("报到单位团组织", "单位"), required=True),
        Field("form", ("协商形式", "方式")),
        Field("summary", ("协商内容", "内容", "主要内容")),
    ),
)

PINS = SheetKind(
    Kind.PINS,
    (
        Field("org", ("报到单位团组织", "单位")),
        Field("community", ("报到社区", "社区名称")),
        Field("name"),
        Field("id_number", ("身份证号码", "公民身份号码", "证件号码"), type="id"),
        Field("branch", ("登记活动团支部", "编入支部", "支部"), required=True),
    ),
    detected=False,
)

CADRES = SheetKind(
    Kind.CADRES,
    (
        Field("name", required=True),
        Field("level", ("所属层级", "单位层级"), required=True),
        Field("post"),
        Field("street", ("所属街道", "街道")),
        Field("excluded", ("回避", "不联系的街道社区"), type="names"),
        Field("preferred", ("希望联系", "意向联系"), type="names"),
    ),
    title="干部名单",
)

KINDS: dict[str, SheetKind] = {
    k.name: k for k in (MEMBERS, PROJECTS, SERVICES, CONSULTATIONS, PINS, CADRES)
}

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def header_key(text: object) -> str:
    """How headers are compared: NFKC, no spaces or punctuation (身份证号（18位）≈ 身份证号18位)."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text or ""))).lower()


# A workspace's own header aliases ([aliases.headers] in shuanggang.toml): header text →
# field name, for every kind that has the field. Part of every cache key below.
Extra = tuple[tuple[str, str], ...]


@cache
def _aliases(
    kind_name: str, extra: Extra = ()
) -> tuple[dict[str, tuple[Field, int]], dict[str, tuple[str, ...]]]:
    """header key → (field, rank of the alias: 0 for the canonical label); and by first
    character, the keys longest first (most cells a header search looks at are data, and
    share no first character with any alias). The workspace's aliases come first: a
    workspace that names a header differently means it."""
    kind = KINDS[kind_name]
    names = {f.name: f for f in kind.fields}
    index: dict[str, tuple[Field, int]] = {}
    for text, name in extra:
        if name in names and header_key(text):
            index.setdefault(header_key(text), (names[name], len(names[name].aliases) + 1))
    for f in kind.fields:
        for rank, alias in enumerate((f.label, *f.aliases)):
            index.setdefault(header_key(alias), (f, rank))
    by_first: dict[str, list[str]] = {}
    for key in sorted(index, key=len, reverse=True):
        by_first.setdefault(key[0], []).append(key)
    return index, {first: tuple(keys) for first, keys in by_first.items()}


def aliases_of(kind_name: str, extra: Extra = ()) -> dict[str, tuple[Field, int]]:
    """header key → (field, rank) of every header a kind knows, the workspace's included."""
    return _aliases(kind_name, extra)[0]


_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_ANNOTATION = re.compile(r"^(必填|选填|必须填写|\d+位)")


@lru_cache(maxsize=65536)
def match_field(kind_name: str, text: str, extra: Extra = ()) -> tuple[Field, int] | None:
    """The field a header names and how canonically: an alias exactly, or once a
    bracketed note is dropped (手机号码（必填）), or an alias followed by a bare note
    (身份证号18位). Cached: the same few headers are looked at many times."""
    return match_key(kind_name, header_key(text), unicodedata.normalize("NFKC", text), extra)


def match_key(kind_name: str, key: str, text: str, extra: Extra = ()) -> tuple[Field, int] | None:
    """`match_field` for a header whose `header_key` is known and whose `text` is NFKC
    already: the header search works each cell's key out once for all kinds."""
    if not key:
        return None
    index, by_first = _aliases(kind_name, extra)
    if key in index:
        return index[key]
    if _BRACKETED.search(text):
        bare = header_key(_BRACKETED.sub("", text))
        if bare in index:
            field, rank = index[bare]
            return field, rank + 1
    for alias in by_first.get(key[0], ()):
        if key.startswith(alias) and _ANNOTATION.match(key[len(alias) :]):
            field, rank = index[alias]
            return field, rank + 1
    return None


@cache
def _first_chars(extra: Extra = ()) -> frozenset[str]:
    return frozenset(char for kind in KINDS for char in _aliases(kind, extra)[1])


def may_be_header(key: str, text: str, extra: Extra = ()) -> bool:
    """Could this cell name a field of any kind? Most cells a header search looks at are
    data (names, ID numbers, dates), and start with no alias's first character."""
    return bool(key) and (key[0] in _first_chars(extra) or _BRACKETED.search(text) is not None)


def nearest_field(
    kind_name: str, text: str, extra: Extra = (), cutoff: float = 0.6
) -> Field | None:
    """The field whose header is most like `text`, if any is close: for an unused
    column's hint (个人专长 → 专业特长). A known header inside the text (or the text
    inside one) counts as close; otherwise difflib's ratio on the header keys."""
    key = header_key(_BRACKETED.sub("", unicodedata.normalize("NFKC", text))) or header_key(text)
    if not key:
        return None
    best: tuple[float, int, Field] | None = None
    for alias, (f, rank) in aliases_of(kind_name, extra).items():
        score = difflib.SequenceMatcher(None, key, alias).ratio()
        shorter = min(len(key), len(alias))
        if shorter >= 2 and (alias in key or key in alias):
            score = max(score, 0.6 + 0.4 * shorter / max(len(key), len(alias)))
        if score >= cutoff and (best is None or (score, -rank) > (best[0], best[1])):
            best = (score, -rank, f)
    return None if best is None else best[2]
