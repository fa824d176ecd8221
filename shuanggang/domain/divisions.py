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


def match_community(
    text: str, communities: Sequence[C], aliases: Sequence[tuple[str, str]] = ()
) -> C | None:
    """The community `text` names: its short name or official name, with or without 社区,
    or one of the workspace's aliases (毓东 → 毓璜顶东)."""
    key = community_key(text)
    for alias, short in aliases:
        if community_key(alias) == key:
            key = short
            break
    for c in communities:
        if key in (c.short, community_key(c.name)):
            return c
    return None


def suggest(text: str, communities: Sequence[Named], n: int = 3) -> list[str]:
    """The closest community names, for a “did you mean”: first the names `text` may
    abbreviate (毓东 → 毓璜顶东: the same first character, the rest in order), then the
    most similar."""
    key = community_key(text)
    shorts = [c.short for c in communities]
    shortened = [s for s in shorts if key and s != key and _abbreviates(key, s)]
    close = difflib.get_close_matches(key, shorts, n=n, cutoff=0.4)
    ranked = list(dict.fromkeys([*sorted(shortened, key=len), *close]))[:n]
    return [f"{s}社区" for s in ranked]


def _abbreviates(short: str, name: str) -> bool:
    if short[0] != name[0] or len(short) >= len(name):
        return False
    rest = iter(name[1:])
    return all(ch in rest for ch in short[1:])


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
