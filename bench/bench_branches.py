"""Benchmark: how good and how fast branch formation is.

    python bench/bench_branches.py [--instances 30] [--max-units 9]

1. Quality: on random communities small enough for an exact search (≤ --max-units
   units), the score of `form_branches` divided by the best score over every partition
   of the units that keeps the hard rules (exhaustive search). Target ≥ 0.98 on
   average; the worst is reported too.
2. Speed: `form_branches` at district scale (320 orgs, 50,862 members in 105
   communities) and at 5× district scale (a city: 5× the communities, each as dense),
   to see the growth.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator, Sequence

from shuanggang.domain.branches import (
    Bin,
    Person,
    Rules,
    Unit,
    form_branches,
    majority_category,
    org_units,
    plan_score,
)
from shuanggang.domain.model import OrgRef

CATEGORIES = ["义诊服务", "课业辅导", "金融服务", "文艺服务", "科技服务"]
SLOTS = ["weekday_day", "weekday_evening", "sat_am", "sat_pm", "sun_am", "sun_pm", "holiday"]


def random_people(
    rng: random.Random, orgs: int, community: str, sizes: Sequence[int], prefix: str = ""
) -> list[Person]:
    people = []
    for i in range(orgs):
        size = rng.choice(sizes)
        main = rng.choice(CATEGORIES)
        for j in range(size):
            category = main if rng.random() < 0.7 else rng.choice(CATEGORIES)
            slots = frozenset(rng.sample(SLOTS, rng.randint(1, 3)))
            people.append(
                Person(
                    key=f"{prefix}{community}{i:03d}{j:03d}",
                    name="某",
                    org=OrgRef(f"{prefix}单位{i}", community, i),
                    community=community,
                    street="街道",
                    category=category,
                    slots=slots,
                    residence=rng.choice(["", f"{community}社区"]),
                )
            )
    return people


def partitions(n: int, sizes: Sequence[int], max_size: int) -> Iterator[list[list[int]]]:
    """Set partitions of range(n) whose blocks stay within max_size (restricted growth)."""
    blocks: list[list[int]] = []
    loads: list[int] = []

    def walk(i: int) -> Iterator[list[list[int]]]:
        if i == n:
            yield [b[:] for b in blocks]
            return
        for b in range(len(blocks)):
            if loads[b] + sizes[i] <= max_size:
                blocks[b].append(i)
                loads[b] += sizes[i]
                yield from walk(i + 1)
                loads[b] -= sizes[i]
                blocks[b].pop()
        blocks.append([i])
        loads.append(sizes[i])
        yield from walk(i + 1)
        blocks.pop()
        loads.pop()

    yield from walk(0)


def optimum(units: list[Unit], community: str, rules: Rules) -> float | None:
    best = None
    sizes = [u.size for u in units]
    for blocks in partitions(len(units), sizes, rules.max_size):
        if any(sum(sizes[i] for i in b) < rules.min_size for b in blocks):
            continue
        bins = []
        for block in blocks:
            members = [p for i in block for p in units[i].members]
            bins.append(
                Bin(
                    community,
                    majority_category(members, rules.fallback_category),
                    [units[i] for i in block],
                )
            )
        score = plan_score(bins, rules)
        if best is None or score > best:
            best = score
    return best


def quality(instances: int, max_units: int, seed: int = 7) -> tuple[float, float, int]:
    rng = random.Random(seed)
    rules = Rules(min_size=3, max_size=12)
    ratios: list[float] = []
    while len(ratios) < instances:
        people = random_people(rng, rng.randint(3, 7), "甲", [1, 2, 3, 4, 5, 7, 9])
        by_org: dict[OrgRef, list[Person]] = {}
        for p in people:
            by_org.setdefault(p.org, []).append(p)
        units = [u for ms in by_org.values() for u in org_units(ms, rules, False)]
        if len(units) > max_units:
            continue
        best = optimum(units, "甲", rules)
        if best is None or best <= 0:
            continue
        plan = form_branches(people, rules)
        if plan.flags:
            continue  # the exact search only counts partitions within min..max
        ratios.append(plan.score / best)
    return statistics.mean(ratios), min(ratios), len(ratios)


def speed(scale: float, seed: int = 11) -> tuple[float, int, int]:
    """`scale` times district scale (105 communities, 320 orgs, 50,862 members): as many
    more communities, each as dense."""
    rng = random.Random(seed)
    people: list[Person] = []
    communities = [f"社区{i:04d}" for i in range(max(1, round(105 * scale)))]
    orgs_total = max(1, round(320 * scale))
    target = round(50_862 * scale)
    per_org = target // orgs_total
    for i in range(orgs_total):
        people += random_people(
            rng,
            1,
            communities[i % len(communities)],
            [max(1, per_org + rng.randint(-per_org // 2, per_org // 2))],
            prefix=f"{i}-",
        )
    start = time.perf_counter()
    plan = form_branches(people, Rules())
    return time.perf_counter() - start, len(people), len(plan.branches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=30)
    parser.add_argument("--max-units", type=int, default=9)
    args = parser.parse_args()
    mean, worst, n = quality(args.instances, args.max_units)
    print(
        f"quality on {n} exact-searchable communities (≤ {args.max_units} units): "
        f"mean {mean:.4f}, worst {worst:.4f} of the optimum (target mean ≥ 0.98)"
    )
    print("| scale | members | branches | time (s) |\n|---|---|---|---|")
    for scale in (1, 5):
        elapsed, members, branches = speed(scale)
        print(f"| {scale}× district | {members} | {branches} | {elapsed:.2f} |")


if __name__ == "__main__":
    main()
