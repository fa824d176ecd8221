"""The value parsers, with hypothesis where the input space is large. Problems are
checked by code, not by their Chinese wording."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuanggang.domain import idnumber
from shuanggang.domain.privacy import mask_id
from shuanggang.domain.values import (
    ALL_SLOTS,
    Categorizer,
    CategoryTable,
    ValueProblem,
    categorize,
    parse_availability,
    parse_date,
    parse_hours,
    parse_id_number,
    parse_phone,
    parse_rating,
    parse_yesno,
    slot_labels,
)

births = st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31))
areas = st.sampled_from(["370602", "370613", "370681", "110101", "340524"])
seqs = st.integers(min_value=0, max_value=999)


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    return idnumber.make(draw(areas), draw(births), draw(seqs))


@given(valid_ids())
def test_valid_ids_pass_in_any_case_and_spacing(id_number: str) -> None:
    assert parse_id_number(id_number) == id_number
    assert parse_id_number(f" {id_number.lower()} ") == id_number
    assert parse_id_number(id_number[:6] + " " + id_number[6:]) == id_number


@given(valid_ids(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_caught(id_number: str, position: int, delta: int) -> None:
    digit = (int(id_number[position]) + delta) % 10
    changed = id_number[:position] + str(digit) + id_number[position + 1 :]
    with pytest.raises(ValueProblem) as err:
        parse_id_number(changed)
    assert err.value.code in ("id-checksum", "id-birth-date")


@given(valid_ids())
def test_id_as_a_number_is_always_refused(id_number: str) -> None:
    with pytest.raises(ValueProblem) as err:
        parse_id_number(float(id_number[:17]))
    assert err.value.code == "id-stored-as-number"


@given(valid_ids())
def test_birth_and_gender_come_from_the_id(id_number: str) -> None:
    born = idnumber.birth_date(id_number)
    assert born is not None and born.strftime("%Y%m%d") == id_number[6:14]
    assert idnumber.gender(id_number) == ("男" if int(id_number[16]) % 2 else "女")
    masked = mask_id(id_number)
    assert masked[:6] == id_number[:6] and masked[-4:] == id_number[-4:]
    assert id_number[6:14] not in masked


@given(
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["", "+86", "0086", "86", "+86 "]),
    st.sampled_from(["", " ", "-"]),
)
def test_mobiles_in_any_dress(second: str, rest: str, prefix: str, sep: str) -> None:
    number = "1" + second + rest
    dressed = prefix + number[:3] + sep + number[3:7] + sep + number[7:]
    assert parse_phone(dressed) == number


FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(valid_ids())
def test_only_ascii_digits_make_an_id(id_number: str) -> None:
    # Full-width digits are typed by IMEs and fold to ASCII; other scripts' digits are
    # `str.isdigit()` but no ID office writes them, and they must not reach the checksum.
    assert parse_id_number(id_number.translate(FULLWIDTH)) == id_number
    with pytest.raises(ValueProblem) as err:
        parse_id_number(id_number.translate(ARABIC_INDIC))
    assert err.value.code == "id-characters"


def test_only_ascii_digits_make_a_phone() -> None:
    assert parse_phone("13805351234".translate(FULLWIDTH)) == "13805351234"
    for foreign in (
        "13" + "805351234".translate(ARABIC_INDIC),
        "0" + "5356612345".translate(ARABIC_INDIC),
    ):
        with pytest.raises(ValueProblem) as err:
            parse_phone(foreign)
        assert (err.value.severity, err.value.code) == ("error", "phone-invalid")


def test_mobile_stored_as_number_and_landline_warning() -> None:
    assert parse_phone(13805351234.0) == "13805351234"
    with pytest.raises(ValueProblem) as landline:
        parse_phone("0535-6612345")
    assert (landline.value.severity, landline.value.code) == ("warning", "phone-landline")
    for bad in ("12805351234", "1380535123", "abc", "138053512345"):
        with pytest.raises(ValueProblem) as err:
            parse_phone(bad)
        assert (err.value.severity, err.value.code) == ("error", "phone-invalid")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_full_dates_in_every_shape(day: date) -> None:
    for shape in (
        day,
        datetime(day.year, day.month, day.day),
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        float((day - date(1899, 12, 30)).days),
    ):
        parsed = parse_date(shape)
        assert (parsed.year, parsed.month, parsed.day) == (day.year, day.month, day.day), shape


@given(st.integers(min_value=1950, max_value=2099), st.integers(min_value=1, max_value=12))
def test_year_month_shapes(year: int, month: int) -> None:
    for shape in (
        f"{year}.{month:02d}",
        f"{year}.{month}",
        f"{year}年{month}月",
        f"{year}-{month}",
        f"{year}{month:02d}",
        int(f"{year}{month:02d}"),
    ):
        parsed = parse_date(shape)
        assert (parsed.year, parsed.month, parsed.day) == (year, month, None), shape


@given(st.integers(min_value=1950, max_value=2099), st.integers(min_value=1, max_value=12))
def test_general_cell_numbers_read_as_year_month(year: int, month: int) -> None:
    # What Excel keeps of a typed 2019.10 is the number 2019.1: that is October.
    number = float(f"{year}.{month:02d}")
    assert parse_date(number).month == month


def test_the_october_case_and_text_january() -> None:
    assert parse_date(2019.1).iso() == "2019-10"
    assert parse_date("2019.1").iso() == "2019-01"
    assert parse_date("2019.10").iso() == "2019-10"


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ("2019", "date-no-month"),
        ("明年", "date-invalid"),
        ("2019.13", "date-nonexistent"),
        ("2019-02-30", "date-nonexistent"),
        ("", "date-invalid"),
        (True, "date-invalid"),
        ("1850-01", "date-nonexistent"),
    ],
)
def test_bad_dates(bad: object, code: str) -> None:
    with pytest.raises(ValueProblem) as err:
        parse_date(bad)
    assert err.value.code == code


@given(st.text(max_size=40))
def test_availability_never_raises_and_stays_in_the_vocabulary(text: str) -> None:
    assert parse_availability(text) <= ALL_SLOTS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("周末", "周六上午、周六下午、周日上午、周日下午"),
        ("周六上午", "周六上午"),
        ("工作日晚上", "工作日晚上"),
        ("周一至周五晚", "工作日晚上"),
        ("节假日", "节假日"),
        ("周日下午、节假日", "周日下午、节假日"),
        ("周三晚上", "工作日晚上"),
        ("周六晚上", "周六下午"),
        ("工作日白天，周末", "工作日白天、周六上午、周六下午、周日上午、周日下午"),
        ("随时", "工作日白天、工作日晚上、周六上午、周六下午、周日上午、周日下午、节假日"),
        ("不限", "工作日白天、工作日晚上、周六上午、周六下午、周日上午、周日下午、节假日"),
        ("", ""),
    ],
)
def test_availability_phrases(text: str, expected: str) -> None:
    assert slot_labels(parse_availability(text)) == expected


def test_hours_to_minutes() -> None:
    assert parse_hours(1.5) == 90
    assert parse_hours("2小时") == 120
    assert parse_hours("1小时30分") == 90
    assert parse_hours("90分钟") == 90
    for bad in (0, "-1", "两个钟", ""):
        with pytest.raises(ValueProblem):
            parse_hours(bad)


def test_ratings_and_yes_no() -> None:
    assert [parse_rating(x) for x in ("满意", "基本满意", "不满意", 4, "3分")] == [5, 3, 1, 4, 3]
    with pytest.raises(ValueProblem) as err:
        parse_rating(7)
    assert err.value.code == "rating-out-of-range"
    assert parse_yesno("是") is True and parse_yesno("否") is False
    with pytest.raises(ValueProblem) as err:
        parse_yesno("也许")
    assert err.value.code == "yesno-invalid"


def test_categorize_prefers_the_specialty_and_falls_back() -> None:
    table = (("义诊服务", ("医",)), ("金融服务", ("金融",)), ("综合服务", ()))
    assert categorize(("临床医学", "金融"), table) == "义诊服务"
    assert categorize(("", "金融知识宣传"), table) == "金融服务"
    assert categorize(("跑步",), table) == "综合服务"


def _categorize_by_definition(texts: tuple[str, ...], table: CategoryTable) -> str:
    """The rule spelled out, keyword by keyword: what the indexed Categorizer must equal."""
    best, best_score = table[-1][0], 0.0
    for name, keywords in table:
        score = 0.0
        for rank, text in enumerate(texts):
            score += 1.0 / (rank + 1) * sum(1 for k in keywords if k and k in text)
        if score > best_score:
            best, best_score = name, score
    return best


_WORDS = st.text(alphabet="医护金融法律宣传辅导数学", min_size=0, max_size=3)


@given(
    st.lists(
        st.tuples(st.text(alphabet="ABCDE", min_size=1), st.lists(_WORDS, max_size=4)),
        min_size=1,
        max_size=5,
    ),
    st.lists(
        st.tuples(st.text(alphabet="医护金融法律宣传辅导数学 ", max_size=8)), min_size=1, max_size=6
    ),
)
def test_categorizer_matches_the_rule_and_its_cache_does_not_leak(
    raw_table: list[tuple[str, list[str]]], members: list[tuple[str]]
) -> None:
    table: CategoryTable = tuple((name, tuple(words)) for name, words in raw_table)
    categorizer = Categorizer(table)
    texts = [(m[0], m[0][::-1], "", m[0][:2]) for m in members]
    for member in texts * 2:  # the second pass is served from the cache
        assert categorizer(member) == _categorize_by_definition(member, table)


def _stdnum_area_valid(area: str, year: int) -> bool | None:
    """How the area check was first written: through python-stdnum's own reader."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    try:
        ric.get_birth_place(f"{area}{year:04d}0101000")
    except ValidationError:
        return False
    except (KeyError, ValueError):
        return None
    return True


def test_area_codes_are_judged_as_python_stdnum_judges_them() -> None:
    """Every code in python-stdnum's table, some that are not, over the years in which
    counties came and went."""
    counties = [
        area
        for code in idnumber._province_blocks()
        for area in (idnumber._province(code) or ({}, {}))[1]
    ]
    assert len(counties) > 3000
    areas = [*sorted(counties), "340524", "999999", "370699", "110000", "000000", "370602"]
    for area in areas:
        for year in (1, 1949, 1983, 1990, 2000, 2010, 2011, 2020, 2026):
            assert idnumber._area_valid(area, year) == _stdnum_area_valid(area, year), (
                area,
                year,
            )
