"""Resident ID numbers (GB 11643-1999): checksum, birth date, gender, masking."""

from __future__ import annotations

import operator
import re
from datetime import date
from functools import lru_cache

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


_ZERO_OFFSET = ord("0") * sum(WEIGHTS)


def check_char(first17: str) -> str:
    """The 18th character for the first 17 ASCII digits."""
    # The code points themselves, less '0' times the weights: no int() per digit.
    total = sum(map(operator.mul, first17.encode("ascii"), WEIGHTS)) - _ZERO_OFFSET
    return CHECK_CHARS[total % 11]


def make(area: str, birth: date, seq: int) -> str:
    """An ID from its parts: 6-digit area code, birth date, 3-digit sequence
    (odd for men, even for women)."""
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def upgrade(old: str) -> str | None:
    """The 18-digit number of a 15-digit first-generation ID (GB 11643-1989: area code,
    YYMMDD born in the 1900s, 3-digit sequence): 19 inserted before the year and the
    check character added. None when the birth date in it does not exist."""
    if len(old) != 15 or not old.isascii() or not old.isdigit():
        return None
    first17 = f"{old[:6]}19{old[6:]}"
    if birth_date(first17 + "0") is None:
        return None
    return first17 + check_char(first17)


def born_on(id_number: str) -> date:
    """The birth date an ID holds (characters 7–14): the one place it is read. For an ID
    already checked, as stored ones are; ValueError if the date does not exist."""
    return _date_of(id_number[6:14])


@lru_cache(maxsize=65536)
def _date_of(digits: str) -> date:
    """YYYYMMDD as a date: a sheet's members share a few thousand birthdays."""
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def birth_date(id_number: str) -> date | None:
    """`born_on`, or None when the ID's date does not exist (an ID not yet checked)."""
    try:
        return born_on(id_number)
    except ValueError:
        return None


def gender(id_number: str) -> str:
    return "男" if int(id_number[16]) % 2 else "女"


_PROPERTY = re.compile(r'([0-9a-zA-Z_-]+)="([^"]*)"')
_TOP_LINE = re.compile(r"^(?=[^\s#])", re.MULTILINE)

Properties = dict[str, str]


@lru_cache(maxsize=1)
def _province_blocks() -> dict[str, list[str]]:
    """python-stdnum's table of division codes (its cn/loc.dat: a province line, then
    its counties indented) cut into each province's lines, unread: its own reader
    parses every line with regexes, a fifth of a second on each small check."""
    from importlib.util import find_spec
    from pathlib import Path

    # found without importing stdnum.cn, whose package imports half the library
    spec = find_spec("stdnum")
    assert spec is not None and spec.origin is not None
    text = (Path(spec.origin).parent / "cn" / "loc.dat").read_text(encoding="utf-8")
    blocks: dict[str, list[str]] = {}
    for block in _TOP_LINE.split(text):
        code = block.split(" ", 1)[0]
        if code.strip():
            blocks.setdefault(code, []).append(block)
    return blocks


@lru_cache(maxsize=64)
def _province(code: str) -> tuple[Properties, dict[str, Properties]] | None:
    """A province's properties, and area code → its county's; None if not in the table."""
    blocks = _province_blocks().get(code)
    if blocks is None:
        return None
    province: Properties = {}
    counties: dict[str, Properties] = {}
    for block in blocks:
        first, *lines = block.splitlines()
        province.update(_PROPERTY.findall(first.partition(" ")[2]))
        for line in lines:
            if line.strip() and not line.lstrip().startswith("#"):
                county, _, rest = line.strip().partition(" ")
                counties.setdefault(code + county, {}).update(_PROPERTY.findall(rest))
    return province, counties


@lru_cache(maxsize=8192)
def _area_valid(area: str, year: int) -> bool | None:
    """As python-stdnum's `cn.ric.get_birth_place` judges the area: False when the
    code is unknown or its county did not exist in `year`, None when the table has the
    province but not the county."""
    found = _province(area[:2])
    if found is None:
        return False
    province, counties = found
    info = {**province, **counties.get(area, {})}
    if not info or not 1 <= year <= 9999:
        return False
    if "county" not in info:
        return None
    try:
        for county in info["county"].split(","):
            if not county.startswith("["):
                return True
            span, _ = county[1:].split("]")
            start, end = span.split("-")
            if (start and year < int(start)) or (end and year > int(end)):
                continue
            return True
    except ValueError:
        return None
    return False


def area_valid(id_number: str) -> bool | None:
    """Is the area code (first 6 digits) a county that existed in the birth year?
    None when python-stdnum's table cannot tell."""
    return _area_valid(id_number[:6], int(id_number[6:10]))
