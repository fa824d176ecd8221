"""Resident ID numbers (GB 11643-1999): checksum, birth date, gender, masking."""

from __future__ import annotations

import operator
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
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def birth_date(id_number: str) -> date | None:
    """`born_on`, or None when the ID's date does not exist (an ID not yet checked)."""
    try:
        return born_on(id_number)
    except ValueError:
        return None


def gender(id_number: str) -> str:
    return "男" if int(id_number[16]) % 2 else "女"


@lru_cache(maxsize=8192)
def _area_valid(area: str, year: int) -> bool | None:
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    try:
        ric.get_birth_place(f"{area}{year:04d}0101000")
    except ValidationError:
        return False
    except (KeyError, ValueError):  # python-stdnum's table has gaps (340524 raised KeyError)
        return None
    return True


def area_valid(id_number: str) -> bool | None:
    """Is the area code (first 6 digits) a county that existed in the birth year?
    None when python-stdnum's table cannot tell."""
    return _area_valid(id_number[:6], int(id_number[6:10]))
