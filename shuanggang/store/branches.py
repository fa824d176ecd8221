"""Activity branches in the store: who can be placed, what is placed, and saving a plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from shuanggang.domain.branches import Branch, Existing, Person, Placement, Plan, name_order
from shuanggang.domain.idnumber import birth_date
from shuanggang.domain.model import OrgRef
from shuanggang.store.db import Store

# The texts a member's service category is read from, in the order they weigh.
PROFILE = ("specialty", "willingness", "occupation", "interests")

# What decides a member's service category as the branch search sees it: their PROFILE
# texts and their organisation's name in, (category, the word that decided it) out.
Classify = Callable[[tuple[str, ...], str], tuple[str, str]]


def people(store: Store, classify: Classify | None = None) -> tuple[dict[str, Person], set[OrgRef]]:
    """Every member still 在册 in an active organisation as the branch search sees them, and the
    organisations that refused joint branches. With `classify`, each member's category
    (and its basis) is read from their PROFILE texts as the rows stream by; without it,
    the category stored at registration stands.

    A province holds a million members but a few thousand distinct communities, slot
    sets, posts and birth dates: one object each is shared by everyone who has it (the
    rows bring a fresh copy per member), so the members take a third of the memory."""
    everyone: dict[str, Person] = {}
    refused: set[OrgRef] = set()
    texts: dict[str, str] = {}
    slot_sets: dict[str, frozenset[str]] = {}
    orgs: dict[int, OrgRef] = {}
    births: dict[str, date | None] = {}
    extra = "".join(", m." + c for c in PROFILE) if classify else ""

    def shared(text: str | None) -> str:
        return texts.setdefault(text or "", text or "")

    for r in store.conn.execute(
        "SELECT m.id_number, m.name, m.category, m.slots, m.residence, m.league_post,"
        f" m.political_status, o.id, o.name, o.consent, c.short, s.name{extra}"
        " FROM members m JOIN orgs o ON o.id = m.org_id JOIN communities c"
        " ON c.id = o.community_id JOIN streets s ON s.id = c.street_id"
        " WHERE m.left_on IS NULL AND o.withdrawn_on IS NULL"  # placed nowhere
    ):
        key = r[0]
        org = orgs.get(r[7])
        if org is None:
            org = orgs[r[7]] = OrgRef(shared(r[8]), shared(r[10]), r[7])
            if r[9] == 0:
                refused.add(org)
        slots = slot_sets.get(r[3] or "")
        if slots is None:
            slots = slot_sets[r[3] or ""] = frozenset(
                shared(s) for s in (r[3] or "").split(",") if s
            )
        born = key[6:14]
        if born not in births:
            births[born] = birth_date(key)
        category, basis = r[2], ""
        if classify:
            category, basis = classify(tuple(t or "" for t in r[12:]), org.name)
        everyone[key] = Person(
            key=key,
            name=shared(r[1]),
            org=org,
            community=org.community,
            street=shared(r[11]),
            category=shared(category),
            slots=slots,
            residence=shared(r[4]),
            league_post=shared(r[5]),
            political_status=shared(r[6]),
            birth=births[born],
            basis=shared(basis),
        )
    return everyone, refused


def existing(store: Store) -> list[Existing]:
    """The branches formed before, with their members' keys."""
    found: dict[int, tuple[str, str, str, list[str]]] = {}
    for r in store.conn.execute(
        "SELECT b.id, b.name, c.short, b.category, m.id_number FROM branches b"
        " JOIN communities c ON c.id = b.community_id"
        " JOIN branch_members bm ON bm.branch_id = b.id JOIN members m ON m.id = bm.member_id"
        " ORDER BY b.name, m.id_number"
    ):
        found.setdefault(r[0], (r[1], r[2], r[3], []))[3].append(r[4])
    return [Existing(n, c, cat, tuple(ms)) for n, c, cat, ms in found.values()]


def save_plan(store: Store, plan: Plan) -> None:
    """Branches by name: a branch that stays keeps its row (services keep pointing at it)."""
    conn = store.conn
    ids = {r[1]: r[0] for r in conn.execute("SELECT id, id_number FROM members")}
    communities = {r[1]: r[0] for r in conn.execute("SELECT id, short FROM communities")}
    names = [b.name for b in plan.branches]
    conn.execute("DELETE FROM branch_members")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_branches (name TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM keep_branches")
    conn.executemany("INSERT INTO keep_branches VALUES (?)", [(n,) for n in names])
    conn.execute("DELETE FROM branches WHERE name NOT IN (SELECT name FROM keep_branches)")
    for b in plan.branches:
        values = (
            communities[b.community],
            b.category,
            int(b.joint),
            ",".join(b.slots),
            ids.get(b.secretary or ""),
            b.flag or None,
        )
        (bid,) = conn.execute(
            "INSERT INTO branches (name, community_id, category, joint, slots, secretary_id,"
            " flag) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
            " community_id = excluded.community_id, category = excluded.category,"
            " joint = excluded.joint, slots = excluded.slots,"
            " secretary_id = excluded.secretary_id, flag = excluded.flag RETURNING id",
            (b.name, *values),
        ).fetchone()
        conn.executemany(
            "INSERT INTO branch_members (member_id, branch_id, reason) VALUES (?, ?, ?)",
            [(ids[k], bid, p.reason) for p in b.placements for k in p.members],
        )


def stored_plan(store: Store) -> Plan:
    """The branches as stored, with the reasons given when each unit was placed."""
    rows = store.conn.execute(
        "SELECT b.name, c.short, b.category, b.joint, b.slots, b.flag, s.id_number,"
        " m.id_number, o.name, oc.short, o.id, bm.reason FROM branches b"
        " JOIN communities c ON c.id = b.community_id"
        " LEFT JOIN members s ON s.id = b.secretary_id"
        " JOIN branch_members bm ON bm.branch_id = b.id JOIN members m ON m.id = bm.member_id"
        " JOIN orgs o ON o.id = m.org_id JOIN communities oc ON oc.id = o.community_id"
        " ORDER BY b.name, o.name, oc.short, o.id, bm.reason, m.id_number"
    ).fetchall()
    by_branch: dict[str, list[tuple]] = {}
    for r in rows:
        by_branch.setdefault(r[0], []).append(tuple(r))
    branches = []
    for name in sorted(by_branch, key=name_order):
        mine = by_branch[name]
        first = mine[0]
        groups: dict[tuple[OrgRef, str], list[str]] = {}
        for r in mine:
            groups.setdefault((OrgRef(r[8], r[9], r[10]), r[11]), []).append(r[7])
        branches.append(
            Branch(
                name=name,
                community=first[1],
                category=first[2],
                joint=bool(first[3]),
                slots=tuple(x for x in first[4].split(",") if x),
                members=tuple(sorted(r[7] for r in mine)),
                orgs=tuple(sorted({org for org, _ in groups})),
                secretary=first[6],
                placements=tuple(
                    Placement(org, tuple(keys), reason) for (org, reason), keys in groups.items()
                ),
                flag=first[5] or "",
            )
        )
    flags = tuple(f"{b.name}：{b.flag}" for b in branches if b.flag)
    return Plan(tuple(branches), flags, 0.0)
