"""Benchmark: how good and how fast branch formation is.

    python bench/bench_branches.py [--instances 30] [--max-units 9] [--judge-units 12]

1. Quality: on random communities small enough for an exact search (≤ --max-units
   units), the score of `form_branches` divided by the best score over every partition
   of the units that keeps the hard rules (exhaustive search). Target ≥ 0.98 on
   average; the worst is reported too.
2. A judge outside our own code: on random communities of up to --judge-units units,
   the exact optimum of a linear objective from OR-Tools CP-SAT (`pip install
   '.[bench]'`; skipped without it), against the same objective of our plan. The
   objective is the documented score without its balance term, each branch taking the
   category and time slot most of its members share (so it rewards a plan at least as
   much as our score does):
       Σ_branches (w_category · same category + w_slots · free at the best slot
                   + w_locality · local) / members
       − w_small · members of branches under split_size / members
       − w_split · (branches an organisation spans − 1, summed) / organisations
   under the hard rules: units whole, every branch min_size..max_size.
3. Speed: `form_branches` at district scale (320 orgs, 50,862 members in 105
   communities) and at 5× district scale (a city: 5× the communities, each as dense),
   to see the growth.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator, Sequence
from typing import Any

from timing import Timing  # bench/ is on the path: the script's folder

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


def judged_value(blocks: Sequence[Sequence[Unit]], rules: Rules) -> float:
    """The judge's objective (see the module docstring) of branches given as units."""
    total = sum(u.size for block in blocks for u in block)
    orgs = {u.org for block in blocks for u in block}
    value = small = 0.0
    spans: dict[OrgRef, int] = {}
    for block in blocks:
        categories: dict[str, int] = {}
        slots: dict[str, int] = {}
        for u in block:
            for c, n in u.categories.items():
                categories[c] = categories.get(c, 0) + n
            for s, n in u.slot_counts.items():
                slots[s] = slots.get(s, 0) + n
        size = sum(u.size for u in block)
        value += (
            rules.weight_category * max(categories.values())
            + rules.weight_slots * max(slots.values(), default=0)
            + rules.weight_locality * sum(u.local("甲", rules.scope) for u in block)
        )
        small += size if size < rules.split_at else 0
        for org in {u.org for u in block}:
            spans[org] = spans.get(org, 0) + 1
    split = sum(n - 1 for n in spans.values())
    return (
        value / total - rules.weight_small * small / total - rules.weight_split * split / len(orgs)
    )


def solver_optimum(units: list[Unit], rules: Rules, seconds: float = 20.0) -> float | None:
    """The judge's objective at its exact optimum, from CP-SAT; None when it proves no
    plan keeps the hard rules or gives up within `seconds`."""
    from ortools.sat.python import cp_model

    n = len(units)
    categories = sorted({c for u in units for c in u.categories})
    slots = sorted({s for u in units for s in u.slot_counts})
    orgs = sorted({u.org for u in units})
    total = sum(u.size for u in units)
    weights = (
        rules.weight_category,
        rules.weight_slots,
        rules.weight_locality,
        rules.weight_small,
        rules.weight_split,
    )
    if any(w != int(w) for w in weights):
        raise ValueError("the judge needs whole-number weights")
    w_cat, w_slot, w_local, w_small, w_split = (int(w) for w in weights)
    m = cp_model.CpModel()
    # unit i goes to branch j ≤ i: every plan has one such numbering (no symmetric copies)
    x = {(i, j): m.new_bool_var(f"x{i}_{j}") for i in range(n) for j in range(i + 1)}
    used = [m.new_bool_var(f"used{j}") for j in range(n)]
    for i in range(n):
        m.add_exactly_one(x[i, j] for j in range(i + 1))
    gain = []
    small_terms = []
    for j in range(n):
        here = [(i, x[i, j]) for i in range(j, n)]
        size = sum(units[i].size * v for i, v in here)
        m.add(size >= rules.min_size * used[j])
        m.add(size <= rules.max_size * used[j])
        m.add_max_equality(used[j], [v for _, v in here])

        by_category = [dict(u.categories) for u in units]
        gain.append(w_cat * _best(m, here, by_category, categories, total, f"c{j}"))
        if slots:
            by_slot = [dict(u.slot_counts) for u in units]
            gain.append(w_slot * _best(m, here, by_slot, slots, total, f"s{j}"))
        gain += [w_local * units[i].local("甲", rules.scope) * v for i, v in here]
        is_small = m.new_bool_var(f"small{j}")
        m.add(size >= rules.split_at).only_enforce_if(is_small.Not())
        for i, v in here:
            both = m.new_bool_var(f"sm{i}_{j}")
            m.add_bool_and([v, is_small]).only_enforce_if(both)
            m.add_bool_or([v.Not(), is_small.Not(), both])
            small_terms.append(units[i].size * both)
    spans = []
    for org in orgs:
        mine = [i for i in range(n) if units[i].org == org]
        for j in range(max(mine) + 1):
            holds = m.new_bool_var(f"h{org.id}_{j}")
            for i in mine:
                if j <= i:
                    m.add_implication(x[i, j], holds)
            spans.append(holds)
    # everything times members × organisations, to keep the coefficients whole
    m.maximize(len(orgs) * (sum(gain) - w_small * sum(small_terms)) - total * w_split * sum(spans))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.solve(m)
    if status != cp_model.OPTIMAL:
        return None
    return solver.objective_value / (total * len(orgs)) + w_split  # spans − orgs = splits


def _best(
    m: Any,
    here: list[tuple[int, Any]],
    counts: list[dict[str, int]],
    keys: list[str],
    total: int,
    tag: str,
) -> Any:
    """A variable that is, at the optimum, the largest of the keys' counts in a branch."""
    top = m.new_int_var(0, total, tag)
    choice = [m.new_bool_var(f"{tag}_{k}") for k in keys]
    m.add_exactly_one(choice)
    for key, chosen in zip(keys, choice, strict=True):
        m.add(top <= sum(counts[i].get(key, 0) * v for i, v in here)).only_enforce_if(chosen)
    return top


def judge(instances: int, max_units: int, start: int = 13) -> tuple[float, float, int] | None:
    """Our plan under the judge's objective ÷ CP-SAT's optimum of it; None without
    OR-Tools."""
    try:
        import ortools  # noqa: F401  (optional: the bench extra)
    except ImportError:
        return None
    rng = random.Random(start)
    rules = Rules(min_size=3, max_size=12)
    ratios: list[float] = []
    while len(ratios) < instances:
        people = random_people(rng, rng.randint(4, 9), "甲", [1, 2, 3, 4, 5, 7, 9])
        by_org: dict[OrgRef, list[Person]] = {}
        for p in people:
            by_org.setdefault(p.org, []).append(p)
        units = [u for ms in by_org.values() for u in org_units(ms, rules, False)]
        if len(units) > max_units:
            continue
        plan = form_branches(people, rules)
        if plan.flags:
            continue  # the judge only counts plans within min..max
        best = solver_optimum(units, rules)
        if best is None or best <= 0:
            continue
        where = {k: b.name for b in plan.branches for k in b.members}
        blocks: dict[str, list[Unit]] = {}
        for u in units:
            blocks.setdefault(where[u.members[0].key], []).append(u)
        ratios.append(judged_value(list(blocks.values()), rules) / best)
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


Row = tuple[str, str, str, str]


def run(quick: bool) -> list[Row]:
    """The suite's section (bench/run.py): quality against our own score's exhaustive
    optimum and against CP-SAT's, then speed at two scales (medians of three, in turns)."""
    instances, judged_instances = (10, 5) if quick else (30, 30)
    rows: list[Row] = []
    mean, worst, n = quality(instances, 9)
    rows.append(
        (
            f"branch quality: our score ÷ its exhaustive optimum ({n} communities, ≤ 9 units)",
            f"mean {mean:.4f}",
            f"worst {worst:.4f}",
            f"{'met' if mean >= 0.98 else 'NOT met'} (target mean ≥ 0.98)",
        )
    )
    judged = judge(judged_instances, 12)
    if judged is None:
        rows.append(("branch quality: CP-SAT judge", "skipped", "OR-Tools not installed", ""))
    else:
        mean, worst, n = judged
        rows.append(
            (
                f"branch quality: the judge's objective, ours ÷ CP-SAT's exact optimum "
                f"({n} communities, ≤ 12 units)",
                f"mean {mean:.4f}",
                f"worst {worst:.4f}",
                "an objective outside our code (see bench_branches.py)",
            )
        )
    small, large = (0.05, 0.25) if quick else (1.0, 5.0)
    times: dict[float, list[float]] = {small: [], large: []}
    members: dict[float, int] = {}
    for _ in range(3):
        for scale in (small, large):
            elapsed, members[scale], _ = speed(scale)
            times[scale].append(elapsed)
    a, b = statistics.median(times[small]), statistics.median(times[large])

    def said(scale: float) -> str:
        return f"{members[scale]:,} members: {Timing(tuple(times[scale]))}"

    rows.append(
        (
            "form_branches",
            said(small),
            said(large),
            f"{b / a:.1f}× for {members[large] / members[small]:.1f}× the members "
            "(target: near linear)",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=30)
    parser.add_argument("--max-units", type=int, default=9)
    parser.add_argument("--judge-units", type=int, default=12)
    parser.add_argument("--judge-instances", type=int, default=30)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    mean, worst, n = quality(args.instances, args.max_units)
    print(
        f"quality on {n} exact-searchable communities (≤ {args.max_units} units): "
        f"mean {mean:.4f}, worst {worst:.4f} of the optimum (target mean ≥ 0.98)"
    )
    judged = judge(args.judge_instances, args.judge_units)
    if judged is None:
        print("judge skipped: OR-Tools is not installed (pip install '.[bench]')")
    else:
        mean, worst, n = judged
        print(
            f"judge (CP-SAT exact optimum) on {n} communities of ≤ {args.judge_units} units: "
            f"mean {mean:.4f}, worst {worst:.4f}"
        )
    if args.no_speed:
        return
    print("| scale | members | branches | time (s) |\n|---|---|---|---|")
    for scale in (1, 5):
        elapsed, members, branches = speed(scale)
        print(f"| {scale}× district | {members} | {branches} | {elapsed:.2f} |")


if __name__ == "__main__":
    main()
