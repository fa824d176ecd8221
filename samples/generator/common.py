"""What every part of the generator shares: the year, the street, the default random
seed, the cell type, and small helpers for random draws, lists written as text, and dates."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date, timedelta
from functools import cache
from typing import Any

from shuanggang.resources import data_file

Cell = str | int | float | date | None

YEAR = 2026
DEFAULT_SEED = 20260305
FILL_DATE = date(2026, 3, 5)  # the launch ceremony
STREET = "东山街道"


def words(text: str) -> list[str]:
    """A list written as one space-separated string."""
    return text.split()


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values, cumulative = _cumulative(pairs)
    return rng.choices(values, cum_weights=cumulative)[0]


@cache
def _cumulative(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [v for v, _ in pairs], list(itertools.accumulate(w for _, w in pairs))


def rng_for(seed: int, label: str) -> random.Random:
    """An independent, stable stream per part, so adding a part changes no other."""
    return random.Random(f"{seed}:{label}")


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def num(value: float) -> int | float:
    """2.0 → 2: what Excel keeps when someone types a whole number."""
    return int(value) if float(value).is_integer() else value


def stripped_lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def load_streets() -> list[dict[str, Any]]:
    text = data_file("zhifu_divisions_2020.json").read_text(encoding="utf-8")
    streets: list[dict[str, Any]] = json.loads(text)["streets"]
    return streets
