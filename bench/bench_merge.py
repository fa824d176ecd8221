"""Benchmark: merging a district's 13 street workspaces into one.

    python bench/bench_merge.py [--scale 1] [--repeat 3]

The inputs are `samples/generate.py --scale 1` (50,862 members in 320 sheets, 100,000
service rows, one folder of sheets and one service log per street). Each street gets
its own workspace (its sheets registered, the ledgers of its communities and its service
log imported; cached in bench/out/), then all 13 are merged into a fresh district
workspace, best of `repeat`. Target: well under a minute. A second merge of the same 13
(every street replacing its own share) is timed too.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def street_workspaces(inputs: Path) -> list[Path]:
    """One workspace per street folder of the generated sheets (built once, cached)."""
    from bench_register import fresh_workspace

    from shuanggang.workflow.projects import import_ledgers
    from shuanggang.workflow.register import RegisterOptions, register_files
    from shuanggang.workflow.services import import_logs

    root = inputs.parent / f"{inputs.name}-streets"
    made = []
    for folder in sorted((inputs / "团员信息汇总表").iterdir()):
        target = root / folder.name
        made.append(target)
        if (target / ".built").exists():
            continue
        if target.exists():
            shutil.rmtree(target)
        ws = fresh_workspace(target)
        settings = ws.settings()
        with ws.open_store() as store:
            jobs = [(p, RegisterOptions(letters=())) for p in sorted(folder.glob("*.xlsx"))]
            registered = register_files(ws, store, settings, jobs)
            assert not [r for r in registered if r.status == "rejected"]
            communities = {
                r[0]
                for r in store.conn.execute(
                    "SELECT DISTINCT c.short FROM orgs o JOIN communities c"
                    " ON c.id = o.community_id"
                )
            }
            ledgers = [
                p
                for p in sorted((inputs / "为民服务实事台账").glob("*.xlsx"))
                if p.name.split("社区_")[0] in communities
            ]
            import_ledgers(ws, store, settings, ledgers)
            logs = sorted((inputs / "服务活动台账").glob(f"{folder.name}_*.xlsx"))
            imported = import_logs(ws, store, settings, logs)
            assert not [r for r in imported if r.status == "rejected"]
        (target / ".built").write_text("ok\n", encoding="utf-8")
    return made


def merge_all(streets: list[Path], root: Path) -> tuple[float, float, dict[str, int]]:
    """Seconds for the first merge and for merging all again; the district's counts."""
    from bench_register import fresh_workspace

    from shuanggang.workflow.merge import merge

    ws = fresh_workspace(root)
    settings = ws.settings()
    with ws.open_store() as store:
        start = time.perf_counter()
        first = merge(ws, store, settings, streets)
        once = time.perf_counter() - start
        # 卧龙经济园区's organisations check in at 黄务's communities, so both workspaces
        # number letters for 黄务街道 from 001: those numbers clash, nothing else does
        assert {f.code for f in first.findings} <= {"merge-letter-number"}
        start = time.perf_counter()
        merge(ws, store, settings, streets)
        again = time.perf_counter() - start
        counts = store.counts()
    return once, again, counts


def run(scale: float, repeat: int) -> list[tuple[str, str, str, str]]:
    from bench_report import scale_inputs

    streets = street_workspaces(scale_inputs(scale))
    best: tuple[float, float, dict[str, int]] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for turn in range(repeat):
            measured = merge_all(streets, Path(tmp) / f"district{turn}")
            if best is None or measured[0] < best[0]:
                best = measured
    assert best is not None
    once, again, counts = best
    what = (
        f"merge {len(streets)} street workspaces ({counts['members']:,} members,"
        f" {counts['services']:,} services)"
    )
    return [
        (
            what,
            f"{once:.1f} s",
            f"merged again (each replaces its share): {again:.1f} s",
            "target: well under 60 s",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| what | ours | alternative | ratio (target) |\n|---|---|---|---|")
    for line in run(args.scale, args.repeat):
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    main()
