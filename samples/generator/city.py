"""Invented streets and communities, for scale inputs whose communities grow with the data.

The division codes of 芝罘区 list 151 communities; a city (烟台市 has about 1,500) has
ten times as many. `city_streets` invents them: streets of about 15 communities each,
with plausible names (two characters and often a suffix such as 路, 里 or 苑), unique and
none of them a real 芝罘区 name, and codes shaped like the statistics division codes (a
9-digit street code, a 12-digit community code that starts with it). A workspace knows
its communities from the `[[streets]]` tables of its settings file: `streets_toml`
writes them, for `shuanggang.toml`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .common import YEAR, load_streets

CITY_COMMUNITIES = 1510  # 烟台市's communities, about
PER_STREET = 15  # communities of a street, on average
STREETS_PER_COUNTY = 9
CITY_CODE = "3706"  # 烟台市
# County-level codes of its districts and county towns after 芝罘区 (02, the real one),
# then made-up ones: a street code is the county's and three digits.
COUNTIES = ("11", "12", "13", "14", "81", "82", "83", "84", "85", "86", "87")

FIRST = "东西南北新福海港金银青松柏桃李梅兰竹泰安康宁华瑞祥和兴隆盛昌明光文春山清泉林鸿丰永"
SECOND = "安华平和兴盛宁康泰丰源达福海山河泉林园峰阳台城苑湾桥岭庄明德昌顺新富"
SUFFIXES = (  # a community's name: mostly the bare two characters
    ("", 10),
    ("路", 3),
    ("街", 2),
    ("里", 2),
    ("苑", 2),
    ("园", 1),
    ("村", 1),
    ("新村", 1),
    ("花园", 1),
    ("东", 1),
    ("西", 1),
)


@dataclass(frozen=True, slots=True)
class Division:
    """A street and its communities: (short name, code) pairs."""

    name: str
    code: str
    communities: tuple[tuple[str, str], ...]


def city_streets(rng: random.Random, communities: int) -> list[Division]:
    """`communities` invented communities in streets of about `PER_STREET`."""
    real = load_streets()
    taken = {s["name"] for s in real} | {c["short"] for s in real for c in s["communities"]}
    n_streets = max(1, round(communities / PER_STREET))
    sizes = _split(rng, communities, n_streets)
    suffixes = [s for s, _ in SUFFIXES]
    weights = [w for _, w in SUFFIXES]
    streets = []
    for i, size in enumerate(sizes):
        county, number = divmod(i, STREETS_PER_COUNTY)
        county_code = COUNTIES[county] if county < len(COUNTIES) else f"{60 + county:02d}"
        code = f"{CITY_CODE}{county_code}{number + 1:03d}"
        name = _fresh(rng, taken, lambda root: f"{root}街道")
        shorts = [
            _fresh(rng, taken, lambda root: root + rng.choices(suffixes, weights)[0])
            for _ in range(size)
        ]
        streets.append(
            Division(name, code, tuple((s, f"{code}{j:03d}") for j, s in enumerate(shorts, 1)))
        )
    return streets


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` sizes of at least 1, around the mean."""
    mean = total / parts
    sizes = [max(1, round(mean * rng.uniform(0.6, 1.4))) for _ in range(parts)]
    while (diff := total - sum(sizes)) != 0:
        i = rng.randrange(parts)
        if diff > 0 or sizes[i] > 1:
            sizes[i] += 1 if diff > 0 else -1
    return sizes


def _fresh(rng: random.Random, taken: set[str], shape: Callable[[str], str]) -> str:
    """A name `shape(root)` not yet taken, for a random two-character root."""
    while True:
        name = shape(rng.choice(FIRST) + rng.choice(SECOND))
        if name not in taken and name[0] != name[1]:
            taken.add(name)
            return name


def streets_toml(streets: Sequence[Division]) -> str:
    """A settings file with these streets (and the year): copy it into a workspace made
    by `shuanggang init` so that it knows the communities."""

    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string

    lines = [
        "# 规模数据的街道与社区（随机编造）。",
        "# 用法：shuanggang init 之后，用本文件替换工作区的 shuanggang.toml。",
        f"year = {YEAR}",
        "",
    ]
    for street in streets:
        lines += [
            "[[streets]]",
            f"name = {text(street.name)}",
            f"code = {text(street.code)}",
            "communities = [",
            *(
                f"  {{ short = {text(short)}, name = {text(short + '社区居民委员会')},"
                f" code = {text(code)} }},"
                for short, code in street.communities
            ),
            "]",
            "",
        ]
    return "\n".join(lines)
