"""Matching community names as people write them (海防营 / 海防营社区 / 海防营社区居民委员会)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Protocol, TypeVar

from shuanggang.domain.values import normalize


class Named(Protocol):
    @property
    def short(self) -> str: ...

    @property
    def name(self) -> str: ...


C = TypeVar("C", bound=Named)
_SUFFIXES = ("社区居民委员会", "居民委员会", "社区居委会", "居委会", "社区")


def community_key(text: str) -> str:
    key = normalize(text).replace(" ", "")
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def match_community(text: str, communities: Sequence[C]) -> C | None:
    key = community_key(text)
    for c in communities:
        if key in (c.short, community_key(c.name)):
            return c
    return None


def suggest(text: str, communities: Sequence[Named], n: int = 3) -> list[str]:
    """The closest community names, for a “did you mean”."""
    shorts = [c.short for c in communities]
    close = difflib.get_close_matches(community_key(text), shorts, n=n, cutoff=0.4)
    return [f"{s}社区" for s in close]


def find_community_in(text: str, communities: Sequence[C]) -> C | None:
    """The community a longer text names (东山街道海岸路社区团支部 → 海岸路), the longest
    name winning; a bare short name counts only when followed by 社区 or 居委会."""
    text = normalize(text).replace(" ", "")
    best: C | None = None
    for c in communities:
        names = (c.name, f"{c.short}社区", f"{c.short}居委会", f"{c.short}居民委员会")
        if any(n in text for n in names) and (best is None or len(c.short) > len(best.short)):
            best = c
    return best
