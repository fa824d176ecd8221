"""Benchmark: certificates of service for everyone who served, against the check-in
letters of the same year, per letter (both formats, one file each plus the combined file).

    python bench/bench_certificates.py               # district scale: ≈50,000 members
    python bench/bench_certificates.py --scale 0.2   # a fifth of it, for a quick look

The year (ledgers, register, services) is built once from `samples/generate.py --scale`
inputs, without letters; then the check-in letters of every organisation and the
certificates of every member with service are written, each timed. The target: a
certificate costs no more per letter than a check-in letter. A certificate lists a
member's activities; a check-in letter lists an organisation's members, so the two are of
a like size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


Row = tuple[str, str, str, str]  # what, ours, alternative, ratio / target


def measure(scale: float) -> tuple[list[Row], str]:
    """The rows of the comparison at `scale` times district scale, and a line of context."""
    from bench_register import fresh_workspace
    from bench_report import peak_rss_mb, scale_inputs

    from shuanggang.store import orgs as store_orgs
    from shuanggang.workflow.certificates import Request, issue
    from shuanggang.workflow.letters import remake_checkin
    from shuanggang.workflow.projects import import_ledgers
    from shuanggang.workflow.register import RegisterOptions, register_files
    from shuanggang.workflow.services import import_logs

    inputs = scale_inputs(scale)
    formats = ("html", "docx")
    with tempfile.TemporaryDirectory() as tmp:
        ws = fresh_workspace(Path(tmp) / "year")
        settings = ws.settings()
        with ws.open_store() as store:
            import_ledgers(ws, store, settings, sorted(inputs.rglob("*为民服务实事台账*.xlsx")))
            sheets = sorted(inputs.rglob("*团员信息汇总表*.xlsx"))
            register_files(ws, store, settings, [(p, RegisterOptions(letters=())) for p in sheets])
            import_logs(ws, store, settings, sorted(inputs.rglob("*服务活动台账*.xlsx")))
            with store.reading():
                ids = store_orgs.active_in(store, None)
            start = time.perf_counter()
            letters = remake_checkin(ws, store, settings, ids, "全部", formats)
            checkin = time.perf_counter() - start
            start = time.perf_counter()
            issued = issue(
                ws, store, settings, Request(everyone=True), formats=formats, on=date(2026, 12, 28)
            )
            certificates = time.perf_counter() - start
            counts = store.counts()
    per_letter = checkin / len(letters.numbers)
    per_certificate = certificates / len(issued.issued)
    context = (
        f"{counts['members']} members in {counts['orgs']} organisations, "
        f"{counts['services']} service rows; peak RSS {peak_rss_mb():.0f} MB"
    )
    verdict = "met" if per_certificate <= per_letter else "NOT met"
    rows = [
        (
            f"certificates for everyone who served ({len(issued.issued)}, html + docx,"
            " combined file included), per letter",
            f"{per_certificate * 1e3:.2f} ms ({certificates:.1f} s)",
            f"check-in letters ({len(letters.numbers)} of {counts['members'] // len(ids)}"
            f" members on average): {per_letter * 1e3:.2f} ms ({checkin:.1f} s)",
            f"{per_certificate / per_letter:.2f}× (target ≤ 1×: {verdict})",
        )
    ]
    return rows, context


def run(quick: bool) -> list[Row]:
    rows, context = measure(0.05 if quick else 1.0)
    print(context)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    rows, context = measure(args.scale)
    print(context)
    print("| what | ours | alternative | ratio |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
