"""Scale mode: benchmark inputs at district scale (≈50,000 members), or `factor` times it.

A district of 13 streets (the 12 of `zhifu_divisions_2020.json` plus 卧龙经济园区,
whose organisations check in at communities of 黄务街道 that the park takes over, since
the division codes list no community of its own), 105 communities, 320 organisations and
exactly 50,862 members per unit of scale, a project ledger per community used and
100,000 service-log rows per unit of scale, in one plain layout (title, preamble lines,
header, data) written by `plain_xlsx`. Folders: `团员信息汇总表/<街道>/`,
`为民服务实事台账/`, `服务活动台账/` (one log per street), and `scale_manifest.json` with
the counts. Scale output is for benchmarks only: never commit it.

With `communities` the streets and communities are invented (`city`) and grow with the
data: a city of 1,510 communities instead of the district's 105. The output then holds
`shuanggang.toml` with those streets, to copy into the workspace, and has no park.
"""

from __future__ import annotations

import gc
import itertools
import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .city import city_streets, streets_toml
from .common import DEFAULT_SEED, FILL_DATE, YEAR, Cell, cn_date, load_streets, num, rng_for, words
from .layouts import FULL
from .ledgers import (
    HOURS,
    LEDGER_STYLES,
    LOG_HEADER,
    PROJECT_KINDS,
    Project,
    make_projects,
    pick_day,
    project_table,
)
from .people import PROFILES, Member, Organisation, Registry, make_members
from .plain_xlsx import write_fast_xlsx

DISTRICT_MEMBERS = 50_862
DISTRICT_ORGS = 320  # a district's 300-odd league organisations
DISTRICT_COMMUNITIES = 105
DISTRICT_SERVICE_ROWS = 100_000
PARK = "卧龙经济园区"
PARK_HOST = "黄务街道"
PARK_COMMUNITIES = 4  # communities of 黄务街道 the park's organisations check in at


SCALE_KINDS = (  # kind, weight, size range, profile(s)
    ("college", 8, (300, 1600), ("college_it",)),  # the college's name decides
    ("school", 12, (30, 800), ("school",)),
    ("hospital", 6, (30, 300), ("hospital",)),
    ("bank", 10, (8, 60), ("bank",)),
    ("enterprise", 35, (6, 150), ("tech", "property", "hotel", "culture")),
    ("small", 20, (2, 5), ("repair", "lawfirm", "culture", "tech")),
    ("agency", 9, (3, 30), ("agency",)),
)
COLLEGES = {  # college → profile of its members
    **dict.fromkeys(
        words("""
        信息与电气工程学院 数学与统计科学学院 物理与光电工程学院 化学与材料科学学院 土木工程学院
        交通学院 食品工程学院 资源与环境工程学院 生命科学学院
    """),
        "college_it",
    ),
    **dict.fromkeys(
        words("""
        法学院 马克思主义学院 商学院 教育科学学院 历史文化与旅游学院 国际教育学院
    """),
        "college_law",
    ),
    **dict.fromkeys(words("艺术学院 音乐学院 文学院 体育学院 外国语学院"), "college_art"),
}
UNIVERSITIES = words("""
    鲁东大学 烟台职业学院 烟台工程职业技术学院 山东商务职业学院 烟台黄金职业学院
""")
BANKS = words("""
    中国银行 工商银行 建设银行 农业银行 交通银行 烟台银行 恒丰银行 招商银行 邮储银行 兴业银行
""")
WORDS = words("""
    海创 蓝海 鲁信 港城 东方 金港 华海 瑞丰 天泽 中洲 信达 汇通
    宏远 博远 鸿运 海晟 星辰 远航 昆嵛 芝罘 福源 润华 海川 中科
""")
TRADES = {
    "tech": "信息科技有限公司",
    "property": "物业服务有限公司",
    "hotel": "酒店管理有限公司",
    "culture": "文化传媒有限公司",
    "repair": "家电维修部",
    "lawfirm": "律师事务所",
}
AGENCIES = words("""
    区人社局 区民政局 区住建局 区市场监管局 区卫健局 区税务局 区司法局 区城管局
    区教体局 区文旅局 区财政局 区应急局
""")
SCALE_HEADER = ["序号", *FULL]  # member sheets: the street's template, plain


def scale_streets(rng: random.Random) -> list[tuple[str, list[str]]]:
    """13 streets and the 105 communities used: a share of each street's communities,
    and 卧龙经济园区 takes a few of 黄务街道's (the division codes list none for it)."""
    streets = load_streets()
    total = sum(len(s["communities"]) for s in streets)
    quotas = [max(1, round(len(s["communities"]) * DISTRICT_COMMUNITIES / total)) for s in streets]
    quotas[-1] += DISTRICT_COMMUNITIES - sum(quotas)
    result = []
    for s, quota in zip(streets, quotas, strict=True):
        shorts = [c["short"] for c in s["communities"]]
        result.append((s["name"], sorted(rng.sample(shorts, quota), key=shorts.index)))
    host = next(r for r in result if r[0] == PARK_HOST)
    moved = [c for c in host[1] if c == "卧龙"] + [c for c in host[1] if c != "卧龙"]
    moved = moved[:PARK_COMMUNITIES]
    result[result.index(host)] = (PARK_HOST, [c for c in host[1] if c not in moved])
    result.append((PARK, moved))
    return result


def scale_sizes(
    rng: random.Random, kinds: Sequence[tuple[str, int, tuple[int, int]]], total: int
) -> list[int]:
    """Organisation sizes drawn by kind, scaled to sum to exactly `total`."""
    sizes = [rng.randint(*size) for _, _, size in kinds]
    big = [i for i, (_, _, (_, hi)) in enumerate(kinds) if hi > 5]
    fixed = sum(s for i, s in enumerate(sizes) if i not in set(big))
    factor = (total - fixed) / sum(sizes[i] for i in big)
    for i in big:
        sizes[i] = max(3, round(sizes[i] * factor))
    diff = total - sum(sizes)
    order = sorted(big, key=lambda i: -sizes[i])
    step = 1 if diff > 0 else -1
    j = 0
    while diff:
        sizes[order[j % len(order)]] += step
        diff -= step
        j += 1
    return sizes


def scale_orgs(
    rng: random.Random, factor: float, streets: Sequence[tuple[str, list[str]]]
) -> list[Organisation]:
    n_orgs = scale_org_count(factor, len(streets))
    by_street = [[(s, c) for c in cs] for s, cs in streets]  # round robin: every street early
    places = [p for group in itertools.zip_longest(*by_street) for p in group if p]
    names: set[str] = set()
    drawn = []
    for i in range(n_orgs):
        street, community = places[i] if i < len(places) else rng.choice(places)
        kind, _, size, profiles = rng.choices(SCALE_KINDS, weights=[k[1] for k in SCALE_KINDS])[0]
        name, profile = scale_org_name(rng, kind, rng.choice(profiles), street, community, names)
        drawn.append((kind, profile, size, street, community, name))
    sizes = scale_sizes(rng, [(d[0], 0, d[2]) for d in drawn], round(DISTRICT_MEMBERS * factor))
    return [
        Organisation(
            name,
            profile,
            size,
            community,
            street=street,
            consent="否" if kind == "small" and rng.random() < 0.1 else "是",
        )
        for (kind, profile, _, street, community, name), size in zip(drawn, sizes, strict=True)
    ]


def scale_org_name(
    rng: random.Random, kind: str, profile: str, street: str, community: str, taken: set[str]
) -> tuple[str, str]:
    """A unique organisation name of `kind`, and its profile (a college's follows its name)."""
    name = ""
    for _ in range(20):
        if kind == "college":
            college = rng.choice(list(COLLEGES))
            name, profile = f"{rng.choice(UNIVERSITIES)}{college}团委", COLLEGES[college]
        elif kind == "school":
            name = rng.choice(
                (
                    f"烟台第{rng.randint(1, 40)}中学团委",
                    f"芝罘区{community}小学团支部",
                    f"烟台市{rng.choice(WORDS)}中学团委",
                )
            )
        elif kind == "hospital":
            name = rng.choice(
                (f"芝罘区{street}社区卫生服务中心团支部", f"烟台{rng.choice(WORDS)}医院团委")
            )
        elif kind == "bank":
            place = rng.choice((community, street.removesuffix("街道")))
            name = f"{rng.choice(BANKS)}烟台{place}支行团支部"
        elif kind == "agency":
            name = f"芝罘{rng.choice(AGENCIES)}机关团支部"
        else:
            suffix = "" if profile == "repair" else "团支部"
            name = f"烟台{rng.choice(WORDS)}{rng.choice(WORDS)}{TRADES[profile]}{suffix}"
        if name not in taken:
            break
    base, n = name, 1
    while name in taken:  # large factors run out of combinations
        n += 1
        name = f"{base}（{n}）"
    taken.add(name)
    return name, profile


def scale_member_rows(org: Organisation, members: Sequence[Member]) -> Iterable[list[Cell]]:
    for i, m in enumerate(members, 1):
        yield [
            i,
            m.name,
            m.gender,
            m.id_number,
            m.ethnicity,
            m.birth.isoformat(),
            m.political_status,
            f"{m.joined.year}.{m.joined.month:02d}",
            m.education,
            m.home_branch,
            m.league_post,
            m.phone,
            f"{m.residence}社区",
            m.occupation,
            m.specialty,
            m.willingness,
            m.interests,
            m.availability,
            m.consent,
            m.remark,
        ]


def generate_scale(
    out_dir: Path,
    factor: float = 1.0,
    seed: int = DEFAULT_SEED,
    service_rows: int | None = None,
    communities: int | None = None,
) -> dict[str, Any]:
    """Write district-scale inputs times `factor` into `out_dir`; returns a summary
    (also written to `scale_manifest.json`). `service_rows`: the log rows in all,
    instead of 100,000 times `factor` (a million members need not log two million).
    `communities`: that many invented communities instead of the district's 105, each
    with at least one organisation (so `factor` must give as many organisations)."""
    if communities is not None and communities > scale_org_count(factor):
        need = communities / DISTRICT_ORGS
        raise ValueError(
            f"{communities} 个社区至少要 {communities} 个单位：倍数至少 {need:.2f}"
            f"（每倍 {DISTRICT_ORGS} 个单位）"
        )
    gc.disable()  # hundreds of thousands of small objects, no cycles: the collector only costs
    try:
        return _generate_scale(out_dir, factor, seed, service_rows, communities)
    finally:
        gc.enable()


def scale_org_count(factor: float, streets: int = 1) -> int:
    return max(streets, round(DISTRICT_ORGS * factor))


def _generate_scale(
    out_dir: Path,
    factor: float,
    seed: int,
    service_rows: int | None = None,
    communities: int | None = None,
) -> dict[str, Any]:
    rng = rng_for(seed, f"scale:{factor}")
    if communities is None:
        streets = scale_streets(rng)
    else:  # its own stream: the rest is drawn as at district scale
        city = city_streets(rng_for(seed, f"city:{communities}"), communities)
        streets = [(s.name, [c for c, _ in s.communities]) for s in city]
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "shuanggang.toml").write_text(streets_toml(city), encoding="utf-8")
    orgs = scale_orgs(rng, factor, streets)
    registry = Registry(unique_names=False)
    dirs = {k: out_dir / k for k in ("团员信息汇总表", "为民服务实事台账", "服务活动台账")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    street_of = {c: s for s, cs in streets for c in cs}
    residence_pool = {s: [(s if s != PARK else PARK_HOST, c) for c in cs] for s, cs in streets}

    members: dict[str, list[Member]] = {}
    for org in orgs:
        pool = residence_pool[org.street]
        home = [(pool[0][0], org.community)]
        pool = home + [p for p in pool if p not in home]
        members[org.name] = make_members(org, rng, registry, pool)
        folder = dirs["团员信息汇总表"] / org.street
        folder.mkdir(exist_ok=True)
        write_fast_xlsx(
            folder / f"{org.name}_团员信息汇总表.xlsx",
            "团员信息汇总表",
            [
                f"{org.name}团员信息汇总表",
                f"填表单位（盖章）：{org.name}",
                f"报到社区：{org.community}社区",
                f"填表日期：{cn_date(FILL_DATE)}",
            ],
            SCALE_HEADER,
            scale_member_rows(org, members[org.name]),
            text_col=3,
        )

    used = sorted({org.community for org in orgs}, key=lambda c: (street_of[c], c))
    projects: dict[str, list[Project]] = {}
    for community in used:
        titles = rng.sample([k.title for k in PROJECT_KINDS], 8)
        projects[community] = make_projects(community, titles, lambda i: f"{i:02d}", rng, registry)
        table = project_table(
            community, projects[community], LEDGER_STYLES["进德"], street=street_of[community]
        )
        path = dirs["为民服务实事台账"] / f"{community}社区_为民服务实事台账.xlsx"
        preamble = [table.title or "", *(str(p) for p in table.preamble)]
        write_fast_xlsx(path, "实事台账", preamble, table.header, table.rows)

    total_members = sum(o.size for o in orgs)
    target_rows = round(DISTRICT_SERVICE_ROWS * factor) if service_rows is None else service_rows
    log: dict[str, list[list[Cell]]] = {s: [] for s, _ in streets}
    written_rows = 0
    for n, org in enumerate(orgs):
        done = sum(o.size for o in orgs[: n + 1])
        quota = round(target_rows * done / total_members) - written_rows
        rows = scale_service_rows(org, members[org.name], projects[org.community], quota, rng)
        log[org.street] += rows
        written_rows += len(rows)
    for street, rows in log.items():
        rows.sort(key=lambda r: (r[0], r[1], r[4]))  # type: ignore[arg-type,return-value]
        path = dirs["服务活动台账"] / f"{street}_{YEAR}年服务活动台账.xlsx"
        write_fast_xlsx(
            path, "服务活动台账", [f"{street}{YEAR}年服务活动台账"], LOG_HEADER, rows, text_col=6
        )

    summary: dict[str, Any] = {
        "factor": factor,
        "seed": seed,
        "streets": len(streets),
        "communities": len(used),
        "orgs": len(orgs),
        "members": total_members,
        "service_rows": written_rows,
    }
    if PARK in dict(streets):
        summary["park"] = (
            f"{PARK} 的报到单位在 {PARK_HOST} 的 {'、'.join(dict(streets)[PARK])} 社区报到"
        )
    else:
        summary["settings"] = "shuanggang.toml"
    summary |= {
        "members_by_street": {s: sum(o.size for o in orgs if o.street == s) for s, _ in streets},
    }
    (out_dir / "scale_manifest.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return summary


def scale_service_rows(
    org: Organisation,
    members: Sequence[Member],
    projects: Sequence[Project],
    quota: int,
    rng: random.Random,
) -> list[list[Cell]]:
    """`quota` per-member service-log rows for one organisation."""
    cats = PROFILES[org.profile].categories
    claimed = [p for p in projects if p.category in cats] or list(projects)
    active = rng.sample(list(members), max(1, round(len(members) * rng.uniform(0.6, 0.95))))
    rows: list[list[Cell]] = []
    while len(rows) < quota:
        project = rng.choice(claimed)
        day = pick_day(rng, project.kind.when)
        hours = num(rng.choice(HOURS))
        content = rng.choice(project.kind.activities)
        rating = "满意" if rng.random() < 0.85 else "基本满意"
        k = min(len(active), rng.randint(3, 12), quota - len(rows))
        for m in rng.sample(active, k):
            rows.append(
                [
                    day,
                    f"{org.community}社区",
                    "",
                    project.title,
                    org.name,
                    m.name,
                    m.id_number,
                    hours,
                    rng.randint(2, 20),
                    content,
                    rating,
                ]
            )
    return rows
