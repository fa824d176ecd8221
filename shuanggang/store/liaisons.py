"""Liaison points in the store: the cadres and the places each one links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shuanggang.domain.liaisons import Cadre
from shuanggang.store import dialect
from shuanggang.store.db import Store

CadreKey = tuple[str, str, str]  # name, level, street


@dataclass(frozen=True, slots=True)
class CadreLinks:
    name: str
    level: str
    post: str
    street: str
    places: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlaceLinks:
    place: str
    level: str  # the linking cadres' level: "district" links streets
    street: str
    cadres: tuple[str, ...]


def current_links(store: Store) -> dict[CadreKey, list[str]]:
    """Each cadre's places as stored, in the order they were given."""
    links: dict[CadreKey, list[str]] = {}
    for name, level, street, place in store.conn.execute(
        "SELECT c.name, c.level, c.street, l.place FROM liaisons l"
        " JOIN cadres c ON c.id = l.cadre_id ORDER BY l.rowid"
    ):
        links.setdefault((name, level, street), []).append(place)
    return links


def active_places(store: Store) -> tuple[set[str], set[str]]:
    """The streets and the communities (short names) where an active organisation
    registered."""
    rows = store.conn.execute(
        "SELECT DISTINCT s.name, c.short FROM orgs o JOIN communities c ON c.id = o.community_id"
        " JOIN streets s ON s.id = c.street_id WHERE o.withdrawn_on IS NULL"
    ).fetchall()
    return {r[0] for r in rows}, {r[1] for r in rows}


def save_links(store: Store, cadres: Sequence[Cadre], links: Sequence[tuple[Cadre, str]]) -> None:
    """Replace every cadre and link with these."""
    conn = store.conn
    conn.execute("DELETE FROM liaisons")
    conn.execute("DELETE FROM cadres")
    ids = {}
    for c in cadres:
        cursor = conn.execute(
            "INSERT INTO cadres (name, level, post, street) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (c.name, c.level, c.post, c.street),
        )
        ids[(c.name, c.level, c.street)] = cursor.lastrowid
    conn.executemany(
        "INSERT INTO liaisons (cadre_id, place) VALUES (?, ?)",
        [(ids[(c.name, c.level, c.street)], p) for c, p in links],
    )


def by_cadre(store: Store) -> list[CadreLinks]:
    rows = store.conn.execute(
        f"SELECT c.name, c.level, c.post, c.street, {dialect.joined('l.place')} FROM cadres c"
        " LEFT JOIN liaisons l ON l.cadre_id = c.id GROUP BY c.id ORDER BY c.level, c.street,"
        " c.name"
    )
    return [
        CadreLinks(r[0], r[1], r[2], r[3], tuple(r[4].split("\x1f")) if r[4] else ()) for r in rows
    ]


def by_place(store: Store) -> list[PlaceLinks]:
    rows = store.conn.execute(
        f"SELECT l.place, c.level, c.street, {dialect.joined('c.name')} FROM liaisons l"
        " JOIN cadres c ON c.id = l.cadre_id GROUP BY l.place, c.level ORDER BY c.level, l.place"
    )
    return [PlaceLinks(r[0], r[1], r[2], tuple(r[3].split("\x1f"))) for r in rows]
