"""Parsing the values people type into office sheets.

Every parser takes what a cell held (text, a number, a date) and returns the clean value
or raises `ValueProblem` with a Chinese message and hint. None of them sees a file.

Messages never name the field: the field's label is shown beside them (console, JSON,
the annotated copy's note sits at the cell), so a message reads `应为 18 位，这里是 15 位`,
not `身份证号应为 18 位`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from shuanggang.domain import idnumber
from shuanggang.domain.findings import Severity
from shuanggang.domain.privacy import mask_id


class ValueProblem(ValueError):
    """A cell's value is wrong; `severity` says whether the row can still be used, `code`
    is the finding's stable code (docs/findings.md).

    A warning may carry the value to keep (`keep`: a landline as written, a name with its
    spaces taken out); without one the field is left empty. `fix` is a correction spelled
    out in full (an old ID converted to 18 digits): personal, so only the annotated copy
    shows it, never the terminal or JSON."""

    def __init__(
        self,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
        *,
        code: str,
        keep: Any = None,
        fix: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.severity = severity
        self.code = code
        self.keep = keep
        self.fix = fix


def clean_text(value: Any) -> str:
    """Text as written: trimmed, inner runs of white space (line breaks, the full-width
    space) folded to one space; full-width punctuation and brackets kept (（烟台）, ，)."""
    if value is None:
        return ""
    if type(value) is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    return " ".join(value.split())


def normalize(value: Any) -> str:
    """`clean_text` after NFKC (full-width letters, digits and brackets to ASCII): for
    what is read rather than kept as written — IDs, phones, numbers, dates, references
    compared with the store (org, community, branch, project)."""
    if type(value) is str and not (value.isascii() or unicodedata.is_normalized("NFKC", value)):
        value = unicodedata.normalize("NFKC", value)
    return clean_text(value)


def text_key(value: Any) -> str:
    """What two spellings of a name or an organisation are compared by: NFKC, no white
    space (烟台山医院（本部） and 烟台山医院 (本部) are the same key). Never stored."""
    return normalize(value).replace(" ", "")


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def parse_name(value: Any) -> str:
    """A person's name as written. A Chinese name has no spaces: 王　芳 and 王 芳 are 王芳,
    with a warning; a Latin-script name (John Smith) keeps its single spaces."""
    text = clean_text(value)
    if " " in text and _CJK.search(text):
        joined = text.replace(" ", "")
        raise ValueProblem(
            f"中间有空格，已按“{joined}”读取",
            "中文姓名中间不要加空格（对齐请用单元格格式）",
            Severity.WARNING,
            code="name-spaces",
            keep=joined,
        )
    return text


# --- dates -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class LooseDate:
    """A date as offices write it, with its precision: a day (服务日期 2026-05-17), or a
    month only (出生年月, 入团年月 1998-05: `day` is None). Never text: a cell that is
    neither is a finding, so the store holds only `iso()` of one of these."""

    year: int
    month: int
    day: int | None = None

    @property
    def precision(self) -> str:
        """ "day" or "month"."""
        return "month" if self.day is None else "day"

    def iso(self) -> str:
        """1998-05-17, or 1998-05 for a month: what the store keeps."""
        base = f"{self.year:04d}-{self.month:02d}"
        return base if self.day is None else f"{base}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> LooseDate:
        """The inverse of `iso()`: 1998-05-17 or 1998-05 (ValueError for anything else,
        such as text a store kept before dates were checked)."""
        match = _ISO.fullmatch(text)
        if match is None:
            raise ValueError(f"not an ISO date or month: {text!r}")
        year, month, day = match.groups()
        day_number = int(day) if day else None
        date(int(year), int(month), day_number or 1)  # ValueError if it does not exist
        return cls(int(year), int(month), day_number)

    @classmethod
    def of(cls, day: date) -> LooseDate:
        """A day-precision LooseDate of a `date` (or a `datetime`)."""
        return cls(day.year, day.month, day.day)

    def as_date(self) -> date | None:
        """The `date`, for a day-precision date; None for a month."""
        return None if self.day is None else date(self.year, self.month, self.day)


_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def half_year(day: LooseDate | date) -> int:
    """0 for January–June (上半年), 1 for July–December (下半年): a month is enough, so a
    consultation dated 2026-05 counts for the first half."""
    return 0 if day.month <= 6 else 1


EXCEL_EPOCH = date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2100
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*[日号]?|月份?)?)?"
    r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_YEAR_ONLY = re.compile(r"\d{4}年度?")
_COMPACT_DATE = re.compile(r"\d{6}|\d{8}")
_DATE_HINT = "请写成 1998-05-17、1998/5/17、1998.05、1998年5月 或 199805 这样的格式"


def _checked(year: int, month: int, day: int | None) -> LooseDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueProblem(
            f"年份 {year} 不在 {MIN_YEAR}–{MAX_YEAR} 之间", "核对日期", code="date-nonexistent"
        )
    shown = f"{year}年{month}月" + ("" if day is None else f"{day}日")
    if not 1 <= month <= 12:
        raise ValueProblem(f"{shown}不存在", "核对日期", code="date-nonexistent")
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise ValueProblem(f"{shown}不存在", "核对日期", code="date-nonexistent") from None
    return LooseDate(year, month, day)


def _from_number(number: float) -> LooseDate:
    if number.is_integer():
        n = int(number)
        if 190001 <= n <= 210012:  # 199805
            return _checked(n // 100, n % 100, None)
        if 19000101 <= n <= 21001231:  # 19980517
            return _checked(n // 10000, n // 100 % 100, n % 100)
        if MIN_YEAR <= n <= MAX_YEAR:
            raise ValueProblem("只有年份，缺少月份", _DATE_HINT, code="date-no-month")
    elif MIN_YEAR <= number < MAX_YEAR + 1:
        # A General cell keeps 2019.10 as the number 2019.1: a lone digit 1 after the
        # point is October (a person meaning January writes 2019.01 or 2019.1 as text).
        year_text, fraction = f"{number:.2f}".split(".")
        fraction = fraction.rstrip("0")
        month = 10 if fraction == "1" else int(fraction)
        return _checked(int(year_text), month, None)
    if 1 <= number < 80000:  # an Excel date serial
        day = EXCEL_EPOCH + timedelta(days=int(number))
        return LooseDate(day.year, day.month, day.day)
    raise ValueProblem("不是日期", _DATE_HINT, code="date-invalid")


def parse_date(value: Any) -> LooseDate:
    """Excel dates and serials, 1998-05-17, 1998/5/17, 1998.05, 1998.5, 2019.1 (a number:
    October), 1998年5月, 199805 and 19980517: a day or a month (`LooseDate.precision`).
    A year alone is `date-no-month`; whether a month is enough is the field's rule."""
    if isinstance(value, datetime | date):
        return LooseDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueProblem("不是日期", _DATE_HINT, code="date-invalid")
    if isinstance(value, int | float):
        return _from_number(float(value))
    text = normalize(value).replace(" ", "") if "年" in str(value) else normalize(value)
    if _COMPACT_DATE.fullmatch(text):
        return _from_number(float(text))
    if _YEAR_ONLY.fullmatch(text):
        raise ValueProblem("只有年份，缺少月份", _DATE_HINT, code="date-no-month")
    match = _DATE_TEXT.match(text)
    if not match or (match.group(2) is None and not text.isdigit()):
        raise ValueProblem(f"“{text[:20]}”不是日期", _DATE_HINT, code="date-invalid")
    if match.group(2) is None:
        raise ValueProblem("只有年份，缺少月份", _DATE_HINT, code="date-no-month")
    day = int(match.group(3)) if match.group(3) else None
    return _checked(int(match.group(1)), int(match.group(2)), day)


# --- ID numbers ------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+")
_ID_CHARS = re.compile(r"[0-9]{17}[0-9X]")
_OLD_ID = re.compile(r"[0-9]{15}")
_ID_HINT = "核对原件重新填写；身份证号为 18 位，最后一位可以是数字或 X"
_AS_NUMBER_HINT = (
    "Excel 把身份证号当成了数字，末几位已经丢失。请把该列设置为“文本”格式，"
    "再从原始资料重新输入或粘贴这些身份证号"
)


def _old_id(text: str) -> ValueProblem:
    """A 15-digit first-generation ID: refused, with its 18-digit number worked out."""
    new = idnumber.upgrade(text)
    if new is None:
        return ValueProblem(
            "这是 15 位的旧身份证号，其中的出生日期不存在",
            "核对原件，按 18 位的新身份证号填写",
            code="id-15-digit",
        )
    return ValueProblem(
        "这是 15 位的旧身份证号，应填 18 位的新号码",
        f"换算成 18 位是 {mask_id(new)}，核对原件后填写完整的 18 位号码",
        code="id-15-digit",
        fix=new,
    )


def parse_id_number(value: Any) -> str:
    """An 18-character ID (GB 11643-1999), upper-case X; errors say what is wrong. A
    15-digit ID is refused with its 18-digit conversion (`ValueProblem.fix`)."""
    if type(value) is str and _ID_CHARS.fullmatch(value):
        text = value  # the usual cell: 18 ASCII characters, nothing to normalise
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # 15 digits fit a number exactly: an old ID typed into a General cell survives.
        if float(value).is_integer() and 10**14 <= value < 10**15:
            raise _old_id(str(int(value)))
        raise ValueProblem(
            "以数字形式保存，末几位已丢失", _AS_NUMBER_HINT, code="id-stored-as-number"
        )
    else:
        text = normalize(value).replace(" ", "").upper()
        if _SCIENTIFIC.fullmatch(text):  # 3.70602E+17 from a CSV saved by Excel
            raise ValueProblem(
                "以科学计数法保存，末几位已丢失", _AS_NUMBER_HINT, code="id-stored-as-number"
            )
        if _OLD_ID.fullmatch(text):
            raise _old_id(text)
        if len(text) != 18:
            raise ValueProblem(f"应为 18 位，这里是 {len(text)} 位", _ID_HINT, code="id-length")
        if not _ID_CHARS.fullmatch(text):
            raise ValueProblem("含有数字和 X 以外的字符", _ID_HINT, code="id-characters")
    if idnumber.birth_date(text) is None:
        raise ValueProblem(
            f"其中的出生日期 {text[6:10]}-{text[10:12]}-{text[12:14]} 不存在",
            _ID_HINT,
            code="id-birth-date",
        )
    if idnumber.check_char(text[:17]) != text[17]:
        raise ValueProblem("校验位不正确，可能有数字抄错", _ID_HINT, code="id-checksum")
    return text


# --- phones ----------------------------------------------------------------------------

_PHONE_NOISE = re.compile(r"[\s\-–—()（）]")
_COUNTRY_CODE = re.compile(r"^(\+86|0086|86)(?=1\d{10}$)")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}[0-9]{7,8}([0-9]{1,5})?")
_PHONE_HINT = "填写 11 位手机号码，例如 13805351234"


def parse_phone(value: Any) -> str:
    """A mobile number without +86, spaces or dashes; a landline is a warning."""
    if type(value) is str and _MOBILE.fullmatch(value):
        return value  # the usual cell: 11 ASCII digits
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _PHONE_NOISE.sub("", normalize(value))
    text = _COUNTRY_CODE.sub("", text)
    if _MOBILE.fullmatch(text):
        return text
    if _LANDLINE.fullmatch(text):
        raise ValueProblem(
            "这是固定电话号码",
            _PHONE_HINT,
            severity=Severity.WARNING,
            code="phone-landline",
            keep=normalize(value),
        )
    raise ValueProblem("应为 1 开头的 11 位号码", _PHONE_HINT, code="phone-invalid")


def parse_tel(value: Any) -> str:
    """A contact number where an office landline is as good as a mobile."""
    try:
        return parse_phone(value)
    except ValueProblem as problem:
        if problem.severity is Severity.WARNING:
            return _PHONE_NOISE.sub("", normalize(value))
        raise ValueProblem(
            "既不是手机号码，也不是带区号的固定电话",
            "填写手机号码或带区号的固定电话，如 0535-6612345",
            code="tel-invalid",
        ) from None


# --- availability → time slots ---------------------------------------------------------

SLOTS = {
    "weekday_day": "工作日白天",
    "weekday_evening": "工作日晚上",
    "sat_am": "周六上午",
    "sat_pm": "周六下午",
    "sun_am": "周日上午",
    "sun_pm": "周日下午",
    "holiday": "节假日",
}
ALL_SLOTS = frozenset(SLOTS)
_WEEKEND = re.compile(
    r"(周末|双休日?|(?:周|星期|礼拜)(?:六|日|天|6|7)(?:、?(?:周|星期)?[日天])?)"
    r"(上午|早上?|下午|晚上?|白天|全天)?"
)
_WEEKDAY = re.compile(
    r"(工作日|平日|平时|(?:周|星期)[一二三四五1-5](?:(?:至|到|-|~)(?:周|星期)?[一二三四五1-5])?)"
)


def _weekend_days(phrase: str) -> set[str]:
    if phrase.startswith(("周末", "双休")) or re.search(r"[六6].*[日天]", phrase):
        return {"sat", "sun"}
    return {"sat"} if re.search(r"[六6]", phrase) else {"sun"}


@lru_cache(maxsize=4096)
def parse_availability(value: Any) -> frozenset[str]:
    """Free text such as 周末、周六上午、工作日晚上、周一至周五晚、节假日、随时 → slot codes.

    Weekend evenings count as afternoons (the nearest slot); a weekday phrase or a bare
    晚上 gives weekday slots.
    """
    text = normalize(value).replace(" ", "")
    if not text:
        return frozenset()
    if re.search(r"随时|不限|均可|都可|都行|任意|全部时间", text):
        return ALL_SLOTS
    slots: set[str] = set()
    if re.search(r"节假日|假日|假期|寒暑假|寒假|暑假|法定", text):
        slots.add("holiday")
    for match in _WEEKEND.finditer(text):
        part = match.group(2) or "全天"
        halves = (
            ("am",)
            if part.startswith(("上午", "早"))
            else (("pm",) if part.startswith(("下午", "晚")) else ("am", "pm"))
        )
        slots |= {f"{day}_{half}" for day in _weekend_days(match.group(1)) for half in halves}
    rest = _WEEKEND.sub("", text)
    weekday = _WEEKDAY.search(rest)
    evening = "晚" in rest or "下班后" in rest
    daytime = re.search(r"白天|上午|下午|全天", rest)
    if evening:
        slots.add("weekday_evening")
    if (weekday and (daytime or not evening)) or (daytime and not slots):
        slots.add("weekday_day")
    return frozenset(slots)


def slot_labels(slots: Iterable[str]) -> str:
    """Slots in their fixed order, as Chinese labels joined by 、."""
    chosen = set(slots)
    return "、".join(label for code, label in SLOTS.items() if code in chosen)


# --- categories ------------------------------------------------------------------------


CategoryTable = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Basis:
    """A member's category and what decided it: the index of the text among those given,
    and the keyword found there (-1 and "" when nothing matched)."""

    category: str
    text: int = -1
    keyword: str = ""


class Categorizer:
    """The category whose keywords a member's texts hit most (earlier texts weigh more:
    the specialty before the willingness); ties go to the table's order; no hit → the
    last category (综合服务).

    One per table (`categorizer`): it remembers each text's hits (a district's specialties
    are a few thousand phrases, their combinations are not) and tries only keywords
    that start with one of the text's characters."""

    REMEMBERED = 65536  # texts and combinations each: a bound for free-text columns

    def __init__(self, table: CategoryTable) -> None:
        self.names = tuple(name for name, _ in table)
        self.keywords = tuple(tuple(k for k in keywords if k) for _, keywords in table)
        index: dict[str, list[tuple[str, int]]] = {}
        for category, (_, keywords) in enumerate(table):
            for keyword in keywords:
                if keyword:
                    index.setdefault(keyword[0], []).append((keyword, category))
        self._by_first = {char: tuple(entries) for char, entries in index.items()}
        self._hits: dict[str, tuple[tuple[int, int], ...]] = {}
        self._chosen: dict[tuple[str, ...], str] = {}

    def __call__(self, texts: Sequence[str]) -> str:
        key = tuple(texts)
        known = self._chosen.get(key)
        if known is None:
            known = self._choose(key)
            if len(self._chosen) < self.REMEMBERED:  # a sheet repeats a few combinations
                self._chosen[key] = known
        return known

    def _choose(self, texts: Sequence[str]) -> str:
        scores: dict[int, float] = {}
        for rank, text in enumerate(texts):
            if not text:
                continue
            hits = self._hits.get(text)
            if hits is None:
                hits = self._count(text)
            weight = 1.0 / (rank + 1)
            for i, n in hits:
                scores[i] = scores.get(i, 0.0) + weight * n
        if not scores:
            return self.names[-1]
        return self.names[min(scores, key=lambda i: (-scores[i], i))]

    def decide(self, own: Sequence[str], context: Sequence[str] = ()) -> Basis:
        """The category of `own` texts (as calling does) and the word that decided it;
        when they hit nothing, the first of the `context` texts that hits something
        decides alone (a workplace, then the organisation's name), before the last
        category takes the member."""
        if any(self._hits_of(t) for t in own if t):
            category = self(own)
            index = self.names.index(category)
            for i, text in enumerate(own):
                if text and any(c == index for c, _ in self._hits_of(text)):
                    return Basis(category, i, self._keyword(text, index))
        for j, text in enumerate(context):
            if text and self._hits_of(text):
                category = self((text,))
                return Basis(
                    category, len(own) + j, self._keyword(text, self.names.index(category))
                )
        return Basis(self.names[-1])

    def _hits_of(self, text: str) -> tuple[tuple[int, int], ...]:
        hits = self._hits.get(text)
        return self._count(text) if hits is None else hits

    def _keyword(self, text: str, category: int) -> str:
        """The longest of the category's keywords in `text` (the first on a tie)."""
        return max((k for k in self.keywords[category] if k in text), key=len)

    def _count(self, text: str) -> tuple[tuple[int, int], ...]:
        """(category index, keywords hit) for the categories the text hits, in order."""
        counts: dict[int, int] = {}
        for char in set(text):
            for keyword, category in self._by_first.get(char, ()):
                if keyword in text:
                    counts[category] = counts.get(category, 0) + 1
        hits = tuple(sorted(counts.items()))
        if len(self._hits) < self.REMEMBERED:
            self._hits[text] = hits
        return hits


@lru_cache(maxsize=8)
def categorizer(table: CategoryTable) -> Categorizer:
    """The one `Categorizer` of a table in this process: what it remembers of one sheet's
    texts serves the next (a batch of 300 sheets repeats the same phrases)."""
    return Categorizer(table)


def categorize(texts: Sequence[str], table: CategoryTable) -> str:
    """One-off use of `Categorizer`."""
    return categorizer(table)(texts)


# --- small fields ----------------------------------------------------------------------


def parse_gender(value: Any) -> str:
    text = normalize(value).upper()
    if text in ("男", "男性", "M", "MALE"):
        return "男"
    if text in ("女", "女性", "F", "FEMALE"):
        return "女"
    raise ValueProblem(f"“{text[:20]}”无法识别", "填写“男”或“女”", code="gender-invalid")


def parse_count(value: Any) -> int:
    text = normalize(value).removesuffix("人").removesuffix("名").strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(
            f"“{text[:20]}”不是人数", "填写整数，例如 20；不确定可以留空", code="count-invalid"
        ) from None
    if not number.is_integer() or number < 0:
        raise ValueProblem(f"“{text[:20]}”不是人数", "填写不小于 0 的整数", code="count-invalid")
    return int(number)


_HOURS = re.compile(
    r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|个小时|h|H|时)?$"
    r"|(?:(\d+(?:\.\d+)?)\s*(?:小时|个小时|h|H|时))?\s*(?:(\d+)\s*(?:分钟|分|min))?$)"
)


def parse_hours(value: Any) -> int:
    """Service time in hours (1.5, 2小时, 1小时30分, 90分钟) → whole minutes."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        hours = float(value)
    else:
        text = normalize(value).replace(" ", "")
        match = _HOURS.match(text)
        if not text or not match or not any(match.groups()):
            raise ValueProblem(
                f"“{text[:20]}”无法识别", "填写小时数，例如 1.5", code="hours-invalid"
            )
        whole, part, minutes = match.groups()
        hours = float(whole or part or 0) + int(minutes or 0) / 60
    if hours <= 0:
        raise ValueProblem(
            f"应大于 0，这里是 {hours:g}",
            "填写实际服务的小时数，例如 1.5",
            code="hours-not-positive",
        )
    return round(hours * 60)


RATINGS = {
    "非常满意": 5.0,
    "满意": 5.0,
    "比较满意": 4.0,
    "基本满意": 3.0,
    "一般": 3.0,
    "不太满意": 2.0,
    "不满意": 1.0,
}


def parse_rating(value: Any) -> float:
    """满意/基本满意/不满意 or a score of 1–5."""
    text = normalize(value)
    if text in RATINGS:
        return RATINGS[text]
    try:
        score = float(text.removesuffix("分"))
    except ValueError:
        raise ValueProblem(
            f"“{text[:20]}”无法识别",
            "填写 满意、基本满意、不满意，或 1–5 分",
            code="rating-invalid",
        ) from None
    if not 1 <= score <= 5:
        raise ValueProblem(f"{text} 不在 1–5 分之间", "填写 1–5 分", code="rating-out-of-range")
    return score


def parse_yesno(value: Any) -> bool:
    text = normalize(value).upper()
    if text in ("是", "同意", "愿意", "Y", "YES", "√", "✓", "可以"):
        return True
    if text in ("否", "不同意", "不愿意", "N", "NO", "×", "X", "不可以"):
        return False
    raise ValueProblem(f"“{text[:20]}”应为“是”或“否”", "填写“是”或“否”", code="yesno-invalid")


def split_names(value: Any) -> tuple[str, ...]:
    """A participant list: names separated by 、，,;；/ or spaces, each as written."""
    return tuple(n for n in re.split(r"[、,，;；/／\s]+", clean_text(value)) if n)
