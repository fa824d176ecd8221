"""Chinese numerals for the branches of one name: （一）, （二）, … （一百一十）."""

from __future__ import annotations

from functools import cache

CN_DIGITS = "零一二三四五六七八九"
CN_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十; from
    10,000 on, Arabic digits (a scope that large has no by-hand naming to follow)."""
    if not 1 <= n < 10_000:
        return str(n)
    if n < 20:
        return CN_DIGITS[n] if n < 10 else "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    text, gap = "", False
    for value, unit in CN_UNITS:
        digit = n // value % 10
        if digit:
            text += ("零" if gap else "") + CN_DIGITS[digit] + unit
            gap = False
        elif text:
            gap = True
    return text


@cache
def _numeral_values() -> dict[str, int]:
    return {numeral(i): i for i in range(1, 10_000)}


def name_order(name: str) -> tuple[str, int]:
    """Sort key for branch names: （二） before （三）, which code points get wrong."""
    if name.endswith("）") and "（" in name:
        base, _, text = name[:-1].rpartition("（")
        value = _numeral_values().get(text)
        if value is not None:
            return base, value
    return name, 0
