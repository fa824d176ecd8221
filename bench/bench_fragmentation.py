"""Benchmark: how fragmented the branches are, on registered sheets.

    PYTHONPATH=CHECKOUT python bench/bench_fragmentation.py [--inputs DIR] [--json]

Registers every 团员信息汇总表 under DIR (default: the committed samples; district-scale
inputs come from `samples/generate.py --scale district -o DIR`) in a fresh workspace,
runs assign-branches without saving, and reports, from its --json output alone (so an
older checkout on PYTHONPATH can be measured the same way, for a before and after):

- branches per 100 members;
- the share of organisations whose members are in more than one branch of their scope,
  over all and over those of at most max_size members (and how many of these are in
  more than two);
- the share of branches under 2 × min_size members.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def figures(data: dict[str, Any], min_size: int = 3, max_size: int = 50) -> dict[str, float]:
    branches = data["branches"]
    members = sum(b["members"] for b in branches)
    spans = Counter((b["community"], org) for b in branches for org in set(b["orgs"]))
    sizes: Counter[tuple[str, str]] = Counter()
    for b in branches:
        for p in b["placements"]:
            sizes[b["community"], p["org"]] += p["members"]
    small_orgs = [o for o in spans if sizes[o] <= max_size]
    return {
        "members": members,
        "branches": len(branches),
        "branches_per_100": round(100 * len(branches) / max(members, 1), 2),
        "orgs": len(spans),
        "orgs_split_share": round(sum(1 for n in spans.values() if n > 1) / max(len(spans), 1), 3),
        "orgs_up_to_max": len(small_orgs),
        "orgs_up_to_max_split_share": round(
            sum(1 for o in small_orgs if spans[o] > 1) / max(len(small_orgs), 1), 3
        ),
        "orgs_up_to_max_over_two": sum(1 for o in small_orgs if spans[o] > 2),
        "small_share": round(
            sum(1 for b in branches if b["members"] < 2 * min_size) / max(len(branches), 1), 3
        ),
        "flags": len(data["flags"]),
    }


def measure(inputs: Path) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from bench_register import fresh_workspace

    from shuanggang.workflow.branches import BranchOptions, assign
    from shuanggang.workflow.register import RegisterOptions, register_files

    with tempfile.TemporaryDirectory() as tmp:
        ws = fresh_workspace(Path(tmp) / "ws")
        settings = ws.settings()
        sheets = sorted(p for p in inputs.rglob("*团员信息汇总表*") if p.is_file())
        with ws.open_store() as store:
            jobs = []
            for p in sheets:
                # the one committed sample whose sheet names no community
                community = "民生" if "百纳瑞汀" in p.name else None
                jobs.append((p, RegisterOptions(letters=(), community=community)))
            register_files(ws, store, settings, jobs)
            start = time.perf_counter()
            run = assign(ws, store, settings, BranchOptions(dry_run=True))
            seconds = time.perf_counter() - start
    rules = settings.branch
    result = figures(run.as_json(), rules.min_size, rules.max_size)
    result["seconds"] = round(seconds, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=Path, default=HERE.parent / "samples")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.inputs)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
