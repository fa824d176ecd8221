"""Bringing another workspace's store into this one (`shuanggang merge`).

Every row a merge brings carries its source (`source_id`); the workspace's own rows have
none. Keys, never names or row ids, decide what is the same thing: a community by its
short name, an organisation by its name (as `text_key`) and community, a member by ID
number, a project by community and number, a branch by name, a letter by kind, issuer,
year and number, a file by its hash.

Merging a source again replaces what it brought before: rows it no longer has go, rows
it still has are updated in place (so organisations and members keep their ids, and the
letter numbers the district handed them stay theirs), and its services, consultations,
claims, placements, letters and liaison links are brought anew. Nothing another source
brought is touched.

What clashes with another side is held out and reported (`Clash`): an active member
or organisation another side also holds active, a letter number another side handed
out, a branch name another side uses. Everything that hangs on a held-out record (an
organisation's members, a member's services) is held out with it.

Everything here runs inside the caller's `Store.change` and none commits.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuanggang.domain.values import text_key
from shuanggang.store import dialect
from shuanggang.store.db import Store
from shuanggang.store.schema import OWNED_BY_SOURCE, UNDO_TABLES_AT_6, UNDO_TABLES_AT_8

OWN_SIDE = "本工作区"
IDENTITY_VERSION = 8  # the schema version that gave workspaces their identity


@dataclass(frozen=True, slots=True)
class SourceInfo:
    identity: str
    kind: str  # workspace | backup
    path: str
    district: str
    changed_at: str  # the source's newest change


@dataclass(frozen=True, slots=True)
class Clash:
    """One record held out because another side holds the same key."""

    what: str  # member | org | letter | branch
    key: str  # ID number, organisation name, letter number, branch name
    incoming: str  # where the source has it
    existing: str  # where this workspace has it, and from which side
    held: int  # records held out with it (itself included)


@dataclass(slots=True)
class Contribution:
    label: str
    replaced: bool  # the source had been merged before
    counts: dict[str, int] = field(default_factory=dict)
    held: int = 0
    clashes: list[Clash] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What `status` tells about one merged source."""

    label: str
    kind: str
    path: str
    changed_at: str
    merged_at: str
    counts: dict[str, int]
    held: int


def open_copy(path: Path) -> Store:
    """A copy of a source's database, opened (and so migrated to this program's schema).
    A store from before identities is given one made from its first change, so every
    backup of that workspace gets the same one."""
    conn = sqlite3.connect(path)
    try:
        version = dialect.schema_version(conn)
        legacy = first_change(conn) if version < IDENTITY_VERSION else ""
    finally:
        conn.close()
    store = Store.open(path)
    if legacy:
        digest = hashlib.sha256(legacy.encode("utf-8")).hexdigest()[:32]
        # the copy is this merge's own scratch: no change of any workspace to audit
        store.conn.execute("UPDATE workspace SET identity = ?", (f"legacy-{digest}",))
    return store


def identity(store: Store) -> str:
    row = store.conn.execute("SELECT identity FROM workspace").fetchone()
    return str(row[0]) if row else ""


def first_change(conn: sqlite3.Connection) -> str:
    """The first audit row as text: what stands for the identity of a store from before
    identities (the same workspace's backups all begin with the same `init`)."""
    row = conn.execute("SELECT id, at, user, command, detail FROM audit ORDER BY id LIMIT 1")
    found = row.fetchone()
    return "|".join(str(v) for v in found) if found else ""


def newest_change(store: Store) -> str:
    (at,) = store.conn.execute("SELECT coalesce(max(at), '') FROM audit").fetchone()
    return str(at)


def sources(store: Store) -> list[SourceRecord]:
    return [
        SourceRecord(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), int(r[6]))
        for r in store.conn.execute(
            "SELECT label, kind, path, changed_at, merged_at, counts, held FROM sources"
            " ORDER BY label, id"
        )
    ]


def _columns(table: str) -> tuple[str, ...]:
    columns = (UNDO_TABLES_AT_8.get(table) or UNDO_TABLES_AT_6[table])[0]
    return tuple(c for c in columns if c not in ("id", "source_id"))


def _insert(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Any]
) -> None:
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _update(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Any]
) -> None:
    """Rows given as (*values, id)."""
    sets = ", ".join(f"{c} = ?" for c in columns)
    conn.executemany(f"UPDATE {table} SET {sets} WHERE id = ?", rows)


def _drop_unkept(conn: sqlite3.Connection, table: str, sid: int, kept: Iterable[int]) -> None:
    """Delete the source's rows of `table` whose ids are not in `kept`."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_kept (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM merge_kept")
    conn.executemany("INSERT INTO merge_kept VALUES (?)", ((i,) for i in kept))
    conn.execute(
        f"DELETE FROM {table} WHERE source_id = ? AND id NOT IN (SELECT id FROM merge_kept)",
        (sid,),
    )


class _Merge:
    """One source into the store: the maps from the source's row ids to this store's."""

    def __init__(self, dst: Store, src: Store, sid: int) -> None:
        self.conn = dst.conn
        self.src = src.conn
        self.sid = sid
        self.sides = {
            int(r[0]): str(r[1]) for r in self.conn.execute("SELECT id, label FROM sources")
        }
        self.communities: dict[int, int] = {}
        self.orgs: dict[int, int] = {}
        self.members: dict[int, int] = {}
        self.projects: dict[int, int] = {}
        self.branches: dict[int, int] = {}
        self.held: dict[int, int] = {}  # source org id → records held with it (for clashes)
        self.clashes: list[Clash] = []
        self.silent = 0  # records left out without a clash of their own

    def side(self, source_id: int | None) -> str:
        return OWN_SIDE if source_id is None else self.sides.get(source_id, "?")

    # --- shared: divisions, files, log imports, cadres --------------------------------

    def divisions(self) -> None:
        conn = self.conn
        for sid_, name, code, short, cname, ccode in self.src.execute(
            "SELECT c.id, s.name, s.code, c.short, c.name, c.code FROM communities c"
            " JOIN streets s ON s.id = c.street_id"
        ):
            conn.execute(
                "INSERT INTO streets (name, code) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, code),
            )
            conn.execute(
                "INSERT INTO communities (street_id, short, name, code) VALUES"
                " ((SELECT id FROM streets WHERE name = ?), ?, ?, ?)"
                " ON CONFLICT (short) DO NOTHING",
                (name, short, cname, ccode),
            )
            (cid,) = conn.execute("SELECT id FROM communities WHERE short = ?", (short,)).fetchone()
            self.communities[int(sid_)] = int(cid)

    def shared(self) -> None:
        conn = self.conn
        for table, key in (("files", "hash"), ("log_imports", "file_hash")):
            columns = _columns(table)
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES"
                f" ({', '.join('?' * len(columns))}) ON CONFLICT ({key}) DO NOTHING",
                self.src.execute(f"SELECT {', '.join(columns)} FROM {table}"),
            )

    # --- organisations and members -----------------------------------------------------

    def orgs_in(self) -> None:
        conn, sid = self.conn, self.sid
        mine: dict[tuple[str, int], int] = {}
        active_elsewhere: dict[str, tuple[str, int, int | None]] = {}
        taken: dict[tuple[str, int], tuple[str, int, int | None]] = {}
        for oid, name, cid, source, withdrawn in conn.execute(
            "SELECT id, name, community_id, source_id, withdrawn_on FROM orgs"
        ):
            key = (text_key(name), int(cid))
            if source == sid:
                mine[key] = int(oid)
                continue
            taken[key] = (name, int(cid), source)
            if withdrawn is None:
                active_elsewhere[key[0]] = (name, int(cid), source)
        shorts = {int(r[0]): str(r[1]) for r in conn.execute("SELECT id, short FROM communities")}
        columns = _columns("orgs")  # name, community_id, consent, file_hash, registered_at, …
        updates, inserts = [], []
        for row in self.src.execute(f"SELECT id, {', '.join(columns)} FROM orgs ORDER BY id"):
            oid, values = int(row[0]), list(row[1:])
            values[1] = self.communities[values[1]]
            name, cid, withdrawn = values[0], values[1], values[5]
            key = (text_key(name), cid)
            other = (active_elsewhere.get(key[0]) if withdrawn is None else None) or taken.get(key)
            if other is not None:
                held = self._org_weight(oid)
                self.held[oid] = held
                if withdrawn is None:
                    self.clashes.append(
                        Clash(
                            "org",
                            name,
                            f"{name} @ {shorts[cid]}",
                            f"{other[0]} @ {shorts[other[1]]}（{self.side(other[2])}）",
                            held,
                        )
                    )
                else:
                    self.silent += held
                continue
            if key in mine:
                updates.append((*values, mine[key]))
                self.orgs[oid] = mine[key]
            else:
                inserts.append((oid, values))
        _update(conn, "orgs", columns, updates)
        for oid, values in inserts:
            cursor = conn.execute(
                f"INSERT INTO orgs ({', '.join(columns)}, source_id)"
                f" VALUES ({', '.join('?' * len(columns))}, ?)",
                (*values, sid),
            )
            self.orgs[oid] = int(cursor.lastrowid or 0)

    def _org_weight(self, oid: int) -> int:
        """The organisation and what hangs on it in the source."""
        (n,) = self.src.execute(
            "SELECT 1 + (SELECT count(*) FROM members WHERE org_id = ?1)"
            " + (SELECT count(*) FROM services WHERE org_id = ?1)"
            " + (SELECT count(*) FROM consultations WHERE org_id = ?1)",
            (oid,),
        ).fetchone()
        return int(n)

    def members_in(self) -> None:
        conn, sid = self.conn, self.sid
        existing: dict[str, tuple[int, int | None, bool, str, str]] = {}
        for mid, idn, source, left, withdrawn, oname, short in conn.execute(
            "SELECT m.id, m.id_number, m.source_id, m.left_on, o.withdrawn_on, o.name, c.short"
            " FROM members m JOIN orgs o ON o.id = m.org_id"
            " JOIN communities c ON c.id = o.community_id"
        ):
            active = left is None and withdrawn is None
            existing[idn] = (int(mid), source, active, oname, short)
        columns = _columns("members")  # org_id, id_number, name, …
        left_at = columns.index("left_on")
        src_orgs = {
            int(r[0]): (r[1], r[2], r[3] is None)
            for r in self.src.execute(
                "SELECT o.id, o.name, c.short, o.withdrawn_on FROM orgs o"
                " JOIN communities c ON c.id = o.community_id"
            )
        }
        services = dict(
            self.src.execute("SELECT member_id, count(*) FROM services GROUP BY member_id")
        )
        updates, inserts, taken_over = [], [], []
        for row in self.src.execute(f"SELECT id, {', '.join(columns)} FROM members ORDER BY id"):
            mid, values = int(row[0]), list(row[1:])
            src_org = int(values[0])
            if src_org not in self.orgs:
                continue  # its organisation is held out, and counted there
            values[0] = self.orgs[src_org]
            idn = values[1]
            oname, short, org_active = src_orgs[src_org]
            active = org_active and values[left_at] is None
            ex = existing.get(idn)
            if ex is None:
                inserts.append(values)
            elif ex[1] == sid:
                updates.append((*values, ex[0]))
                self.members[mid] = ex[0]
            elif not active:
                self.silent += 1 + services.get(mid, 0)  # history another side holds the key of
            elif ex[2]:
                held = 1 + services.get(mid, 0)
                self.clashes.append(
                    Clash(
                        "member",
                        idn,
                        f"{values[2]}（{oname} @ {short}）",
                        f"{ex[3]} @ {ex[4]}（{self.side(ex[1])}）",
                        held,
                    )
                )
            else:  # the other side's member left or their organisation withdrew
                taken_over.append(ex[0])
                updates.append((*values, ex[0]))
                self.members[mid] = ex[0]
        conn.executemany(
            "DELETE FROM branch_members WHERE member_id = ?", ((m,) for m in taken_over)
        )
        _update(conn, "members", (*columns, "source_id"), ((*u[:-1], sid, u[-1]) for u in updates))
        _insert(conn, "members", (*columns, "source_id"), ((*v, sid) for v in inserts))
        if inserts:
            ids = dict(
                conn.execute("SELECT id_number, id FROM members WHERE source_id = ?", (sid,))
            )
            src_ids = dict(self.src.execute("SELECT id_number, id FROM members"))
            for v in inserts:
                self.members[int(src_ids[v[1]])] = int(ids[v[1]])
        _drop_unkept(conn, "members", sid, self.members.values())
        _drop_unkept(conn, "orgs", sid, self.orgs.values())

    # --- projects, branches ------------------------------------------------------------

    def projects_in(self) -> None:
        conn, sid = self.conn, self.sid
        known = {
            (int(r[0]), r[1]): (int(r[2]), r[3])
            for r in conn.execute("SELECT community_id, project_no, id, source_id FROM projects")
        }
        columns = _columns("projects")  # community_id, project_no, title, …
        updates = []
        for row in self.src.execute(f"SELECT id, {', '.join(columns)} FROM projects ORDER BY id"):
            pid, values = int(row[0]), list(row[1:])
            values[0] = self.communities[values[0]]
            found = known.get((values[0], values[1]))
            if found is None:
                cursor = conn.execute(
                    f"INSERT INTO projects ({', '.join(columns)}, source_id)"
                    f" VALUES ({', '.join('?' * len(columns))}, ?)",
                    (*values, sid),
                )
                self.projects[pid] = int(cursor.lastrowid or 0)
            elif found[1] == sid:
                updates.append((*values, found[0]))
                self.projects[pid] = found[0]
            else:  # another side's ledger of the same community: theirs is the project
                self.projects[pid] = found[0]
        _update(conn, "projects", columns, updates)
        _drop_unkept(conn, "projects", sid, self.projects.values())

    def branches_in(self) -> None:
        conn, sid = self.conn, self.sid
        known = {
            r[0]: (int(r[1]), r[2], r[3])
            for r in conn.execute(
                "SELECT b.name, b.id, b.source_id, c.short FROM branches b"
                " JOIN communities c ON c.id = b.community_id"
            )
        }
        sizes = dict(
            self.src.execute("SELECT branch_id, count(*) FROM branch_members GROUP BY branch_id")
        )
        shorts = dict(self.src.execute("SELECT id, short FROM communities"))
        columns = _columns("branches")  # community_id, name, …, secretary_id, flag
        secretary = columns.index("secretary_id")
        updates = []
        for row in self.src.execute(f"SELECT id, {', '.join(columns)} FROM branches ORDER BY id"):
            bid, values = int(row[0]), list(row[1:])
            short = shorts[values[0]]
            values[0] = self.communities[values[0]]
            values[secretary] = self.members.get(values[secretary] or 0)
            found = known.get(values[1])
            if found is None:
                cursor = conn.execute(
                    f"INSERT INTO branches ({', '.join(columns)}, source_id)"
                    f" VALUES ({', '.join('?' * len(columns))}, ?)",
                    (*values, sid),
                )
                self.branches[bid] = int(cursor.lastrowid or 0)
            elif found[1] == sid:
                updates.append((*values, found[0]))
                self.branches[bid] = found[0]
            else:
                self.clashes.append(
                    Clash(
                        "branch",
                        values[1],
                        f"{values[1]} @ {short}",
                        f"{values[1]} @ {found[2]}（{self.side(found[1])}）",
                        1 + int(sizes.get(bid, 0)),
                    )
                )
        _update(conn, "branches", columns, updates)
        _drop_unkept(conn, "branches", sid, self.branches.values())

    # --- what is brought anew each time ------------------------------------------------

    def placements_claims(self) -> None:
        conn, sid = self.conn, self.sid
        conn.executemany(
            "INSERT INTO branch_members (member_id, branch_id, reason, source_id)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (member_id) DO NOTHING",
            (
                (self.members[m], self.branches[b], reason, sid)
                for m, b, reason in self.src.execute(
                    "SELECT member_id, branch_id, reason FROM branch_members"
                )
                if m in self.members and b in self.branches
            ),
        )
        conn.executemany(
            "INSERT INTO claims (project_id, org_id, claimed_at, source_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (
                (self.projects[p], self.orgs[o], at, sid)
                for p, o, at in self.src.execute(
                    "SELECT project_id, org_id, claimed_at FROM claims"
                )
                if p in self.projects and o in self.orgs
            ),
        )

    def logs(self) -> None:
        sid = self.sid
        columns = _columns("services")
        at = {c: i for i, c in enumerate(columns)}

        def mapped(row: Sequence[Any]) -> tuple[Any, ...] | None:
            values = list(row)
            member = self.members.get(values[at["member_id"]])
            org = values[at["org_id"]]
            if member is None or (org is not None and org not in self.orgs):
                return None  # held out with its member or organisation
            values[at["member_id"]] = member
            values[at["org_id"]] = None if org is None else self.orgs[org]
            for column, ids in (
                ("community_id", self.communities),
                ("branch_id", self.branches),
                ("project_id", self.projects),
            ):
                values[at[column]] = ids.get(values[at[column]] or 0)
            return (*values, sid)

        rows = (mapped(r) for r in self.src.execute(f"SELECT {', '.join(columns)} FROM services"))
        _insert(self.conn, "services", (*columns, "source_id"), (r for r in rows if r is not None))
        talks = []
        for row in self.src.execute(
            "SELECT file_hash, date, community_id, org_id, form, summary FROM consultations"
        ):
            if row[3] in self.orgs:
                talks.append(
                    (row[0], row[1], self.communities[row[2]], self.orgs[row[3]], *row[4:], sid)
                )
        _insert(
            self.conn,
            "consultations",
            ("file_hash", "date", "community_id", "org_id", "form", "summary", "source_id"),
            talks,
        )

    def letters_in(self) -> None:
        conn, sid = self.conn, self.sid
        numbers: dict[tuple[Any, ...], tuple[str, int | None, str]] = {}
        for kind, issuer, year, seq, number, source, oname in conn.execute(
            "SELECT l.kind, l.issuer, l.year, l.seq, l.number, l.source_id, o.name"
            " FROM letters l LEFT JOIN orgs o ON o.id = l.org_id"
        ):
            numbers[(kind, issuer, year, seq)] = (number, source, oname or "")
        taken = {
            (r[0], r[1], r[2])
            for r in conn.execute("SELECT kind, org_id, year FROM letters WHERE org_id IS NOT NULL")
        }
        names = dict(self.src.execute("SELECT id, name FROM orgs"))
        columns = _columns("letters")  # kind, issuer, year, seq, number, org_id, …
        keep = []
        for row in self.src.execute(f"SELECT {', '.join(columns)} FROM letters ORDER BY id"):
            values = list(row)
            kind, issuer, year, seq, number, org = values[:6]
            if org is not None and org not in self.orgs:
                self.silent += 1  # its organisation is held out
                continue
            values[5] = None if org is None else self.orgs[org]
            # the same issuer's number twice; two issuers whose numbers read alike (a
            # number format without the street) are as they would be in one workspace
            other = numbers.get((kind, issuer, year, seq))
            if other is None and values[5] is not None and (kind, values[5], year) in taken:
                other = (number, None, names.get(org, ""))
            if other is not None:
                self.clashes.append(
                    Clash(
                        "letter",
                        number,
                        f"{number}（{names.get(org, '') or '无单位'}）",
                        f"{other[0]}（{other[2] or '无单位'}，{self.side(other[1])}）",
                        1,
                    )
                )
                continue
            keep.append((*values, sid))
        _insert(conn, "letters", (*columns, "source_id"), keep)

    def liaisons_in(self) -> None:
        conn, sid = self.conn, self.sid
        conn.executemany(
            "INSERT INTO cadres (name, level, post, street) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            self.src.execute("SELECT name, level, post, street FROM cadres ORDER BY id"),
        )
        conn.executemany(
            "INSERT INTO liaisons (cadre_id, place, source_id) VALUES ((SELECT id FROM cadres"
            " WHERE name = ? AND level = ? AND street = ?), ?, ?) ON CONFLICT DO NOTHING",
            (
                (*r, sid)
                for r in self.src.execute(
                    "SELECT c.name, c.level, c.street, l.place FROM liaisons l"
                    " JOIN cadres c ON c.id = l.cadre_id ORDER BY l.cadre_id, l.place"
                )
            ),
        )


# The tables brought anew on every merge, cleared first in an order foreign keys allow.
_BROUGHT_ANEW = ("services", "consultations", "claims", "branch_members", "letters", "liaisons")


def label_of(src: Store, fallback: str) -> str:
    """The streets a source's organisations registered in (else its ledgers' communities'),
    as people name the source."""
    for table in ("orgs", "projects"):
        names = [
            r[0]
            for r in src.conn.execute(
                f"SELECT DISTINCT s.name FROM {table} t JOIN communities c"
                " ON c.id = t.community_id JOIN streets s ON s.id = c.street_id ORDER BY s.name"
            )
        ]
        if names:
            return "、".join(names)
    return fallback


def merge_source(dst: Store, src: Store, info: SourceInfo, label: str, at: str) -> Contribution:
    """Bring `src` into `dst` (inside `dst`'s change), replacing what it brought before."""
    conn = dst.conn
    row = conn.execute("SELECT id FROM sources WHERE identity = ?", (info.identity,)).fetchone()
    replaced = row is not None
    values = (label, info.kind, info.path, info.district, info.changed_at, at)
    if row is None:
        sid = int(
            conn.execute(
                "INSERT INTO sources (label, kind, path, district, changed_at, merged_at, identity)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*values, info.identity),
            ).lastrowid
            or 0
        )
    else:
        sid = int(row[0])
        conn.execute(
            "UPDATE sources SET label = ?, kind = ?, path = ?, district = ?, changed_at = ?,"
            " merged_at = ? WHERE id = ?",
            (*values, sid),
        )
    for table in _BROUGHT_ANEW:
        conn.execute(f"DELETE FROM {table} WHERE source_id = ?", (sid,))
    work = _Merge(dst, src, sid)
    work.divisions()
    work.shared()
    work.orgs_in()
    work.members_in()
    work.projects_in()
    work.branches_in()
    work.placements_claims()
    work.logs()
    work.letters_in()
    work.liaisons_in()
    counts = {
        table: int(
            conn.execute(f"SELECT count(*) FROM {table} WHERE source_id = ?", (sid,)).fetchone()[0]
        )
        for table in OWNED_BY_SOURCE
    }
    held = sum(c.held for c in work.clashes) + work.silent
    conn.execute(
        "UPDATE sources SET counts = ?, held = ? WHERE id = ?",
        (json.dumps(counts, ensure_ascii=False, sort_keys=True), held, sid),
    )
    return Contribution(label, replaced, counts, held, work.clashes)
