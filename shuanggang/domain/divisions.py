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
