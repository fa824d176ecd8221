"""Benchmark: a whole year on generated inputs — register, assign-branches, services
import and the report (workbook and feedback letters).

    python bench/bench_report.py                   # district scale, 100,000 service rows
    python bench/bench_report.py --scale 20 --no-letters   # 1,000,000 members
    python bench/bench_report.py --linear [--quick]        # report time per service: run()
    python bench/bench_report.py --scale city              # 1,510 communities, data grown with them

Inputs come from `samples/generate.py --scale N` (made once into bench/out/); inputs with
invented communities (`--scale city`, `--communities N`) bring the settings file that
names them, which the year's workspace takes. Each stage
is timed on its own; peak RSS is the process's. The report's letters can be left out at
the million scale (6,400 letters in two formats measure the letter writer, which
`bench_register.py` already compares against docxtpl).
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from shuanggang.store import Workspace

HERE = Path(__file__).resolve().parent
T = TypeVar("T")
sys.path.insert(0, str(HERE))


CITY = "city"  # samples/generate.py --scale city: 1,510 invented communities, all grown


def scale_inputs(
    factor: float | str, service_rows: int | None = None, communities: int | None = None
) -> Path:
    """Generated inputs at `factor` times district scale, or `CITY` (cached in bench/out);
    `communities`: that many invented communities instead of the district's 105."""
    scale = factor if isinstance(factor, str) else f"{factor:g}"
    plain = factor == 1 and service_rows is None and communities is None
    name = "district" if plain else scale if isinstance(factor, str) else f"scale{scale}"
    if service_rows is not None:
        name += f"-services{service_rows}"
    if communities is not None:
        name += f"-communities{communities}"
    folder = HERE / "out" / name
    if not (folder / "scale_manifest.json").exists():
        command = [
            sys.executable,
            str(HERE.parent / "samples" / "generate.py"),
            "--scale",
            scale,
            "-o",
            str(folder),
        ]
        if service_rows is not None:
            command += ["--service-rows", str(service_rows)]
        if communities is not None:
            command += ["--communities", str(communities)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return folder


def year_workspace(root: Path, inputs: Path) -> Workspace:
    """A new workspace for `inputs`: with their settings file where they bring one (the
    streets and communities invented for them)."""
    from bench_register import fresh_workspace

    ws = fresh_workspace(root)
    generated = inputs / "shuanggang.toml"
    if generated.exists():
        shutil.copyfile(generated, ws.settings_path)
    return ws


@dataclass
class Year:
    members: int = 0
    orgs: int = 0
    service_rows: int = 0
    letters: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    store_mb: float = 0.0
    stage_peak_rss_mb: dict[str, float] = field(default_factory=dict)


def year(inputs: Path, letters: tuple[str, ...] = ("html", "docx")) -> Year:
    """Every stage of the year on `inputs`, timed stage by stage."""
    from shuanggang.workflow.branches import BranchOptions, assign
    from shuanggang.workflow.projects import import_ledgers
    from shuanggang.workflow.register import RegisterOptions, register_files
    from shuanggang.workflow.report import ReportOptions, make_report
    from shuanggang.workflow.services import import_logs

    result = Year()

    def stage(name: str, run: Callable[[], T]) -> T:
        result.peak_rss_mb = max(result.peak_rss_mb, peak_rss_mb())
        reset_peak_rss()
        start = time.perf_counter()
        value = run()
        result.seconds[name] = time.perf_counter() - start
        result.stage_peak_rss_mb[name] = peak_rss_mb()
        return value

    with tempfile.TemporaryDirectory() as tmp:
        ws = year_workspace(Path(tmp) / "year", inputs)
        settings = ws.settings()
        with ws.open_store() as store:
            ledgers = sorted(inputs.rglob("*为民服务实事台账*.xlsx"))
            stage("ledgers", lambda: import_ledgers(ws, store, settings, ledgers))
            sheets = sorted(inputs.rglob("*团员信息汇总表*.xlsx"))
            jobs = [(p, RegisterOptions(letters=())) for p in sheets]
            registered = stage("register", lambda: register_files(ws, store, settings, jobs))
            rejected = [r for r in registered if r.status == "rejected"]
            assert not rejected, rejected[0].findings[:3]
            stage("assign-branches", lambda: assign(ws, store, settings, BranchOptions()))
            logs = sorted(inputs.rglob("*服务活动台账*.xlsx"))
            imported = stage("services import", lambda: import_logs(ws, store, settings, logs))
            failed = [r for r in imported if r.status == "rejected"]
            assert not failed, failed[0].findings[:3]
            options = ReportOptions(on=date(2026, 12, 28), letters=letters)
            report = stage("report", lambda: make_report(ws, store, settings, options))
            counts = store.counts()
        result.store_mb = ws.db_path.stat().st_size / 2**20  # closed: the WAL is merged
    result.members, result.orgs = counts["members"], counts["orgs"]
    result.service_rows = sum(r.rows for r in imported)
    result.letters = len(report.grades) if letters else 0
    result.peak_rss_mb = max(result.peak_rss_mb, peak_rss_mb())
    return result


def report_seconds(inputs: Path, turns: int) -> tuple[int, int, list[float]]:
    """The report alone (workbook, no letters), `turns` times on one year built from
    `inputs`: (service rows, communities, seconds of each turn)."""
    from shuanggang.workflow.branches import BranchOptions, assign
    from shuanggang.workflow.projects import import_ledgers
    from shuanggang.workflow.register import RegisterOptions, register_files
    from shuanggang.workflow.report import ReportOptions, make_report
    from shuanggang.workflow.services import import_logs

    with tempfile.TemporaryDirectory() as tmp:
        ws = year_workspace(Path(tmp) / "year", inputs)
        settings = ws.settings()
        with ws.open_store() as store:
            import_ledgers(ws, store, settings, sorted(inputs.rglob("*为民服务实事台账*.xlsx")))
            sheets = sorted(inputs.rglob("*团员信息汇总表*.xlsx"))
            register_files(ws, store, settings, [(p, RegisterOptions(letters=())) for p in sheets])
            assign(ws, store, settings, BranchOptions())
            import_logs(ws, store, settings, sorted(inputs.rglob("*服务活动台账*.xlsx")))
            services = store.conn.execute("SELECT count(*) FROM services").fetchone()[0]
            communities = store.conn.execute(
                "SELECT count(DISTINCT community_id) FROM orgs"
            ).fetchone()[0]
            options = ReportOptions(on=date(2026, 12, 28), letters=())
            seconds = []
            for _ in range(turns):
                start = time.perf_counter()
                make_report(ws, store, settings, options)
                seconds.append(time.perf_counter() - start)
    return services, communities, seconds


def run(quick: bool) -> list[tuple[str, str, str, str]]:
    """The report's time per 100,000 services at growing scale (medians of 3 turns): the
    same figure at every scale is time linear in the services. Rows of (what, ours,
    alternative, ratio): the larger scale against district scale (105 communities).

    The last row has invented communities: the city (1,510 communities, everything
    grown with them, 1.44 million services), or in quick mode half the district's data
    in 150 communities (three times the district's communities per service, which a scan
    per community would show as clearly, in a minute instead of half an hour)."""
    from processes import median, shown

    points: list[tuple[float | str, int | None]] = [(1.0, None)]
    points += [(0.5, 150)] if quick else [(3.0, None), (CITY, None)]
    measured = []
    for factor, invented in points:
        inputs = scale_inputs(factor, communities=invented)
        services, communities, seconds = report_seconds(inputs, 3)
        per = [s / services * 100_000 for s in seconds]
        label = factor if isinstance(factor, str) else f"{factor:g}"
        if factor == CITY or invented:
            label += " (invented communities)"
        measured.append((label, services, communities, per))
    base = measured[0][3]
    return [
        (
            f"report (no letters) per 100k services, scale {label}: {services} services,"
            f" {communities} communities",
            shown(per),
            shown(base),
            f"{median(per) / median(base):.2f}× of district (linear: ≈ 1.0×)",
        )
        for label, services, communities, per in measured
    ]


def peak_rss_mb() -> float:
    """This process's peak RSS. Linux's VmHWM, which starts afresh at exec: ru_maxrss
    carries the parent's peak over into a child that a big process spawned."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_arg(text: str) -> float | str:
    return CITY if text == CITY else float(text)


def reset_peak_rss() -> None:
    """Start this process's peak RSS afresh (Linux: clear_refs 5), so that each stage
    has its own; elsewhere the peaks stay the process's so far."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--scale", type=scale_arg, default=1.0, help="times district scale, or city"
    )
    parser.add_argument("--service-rows", type=int)
    parser.add_argument("--communities", type=int, help="invented communities (default: 105 real)")
    parser.add_argument("--no-letters", action="store_true")
    parser.add_argument("--linear", action="store_true", help="report time per service: run()")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.linear:
        print("| what | ours | alternative | ratio |\n|---|---|---|---|")
        for row in run(args.quick):
            print("| " + " | ".join(row) + " |")
        return
    inputs = scale_inputs(args.scale, args.service_rows, args.communities)
    y = year(inputs, letters=() if args.no_letters else ("html", "docx"))
    print(
        f"{y.members} members in {y.orgs} organisations, {y.service_rows} service rows; "
        f"store {y.store_mb:.0f} MB; peak RSS {y.peak_rss_mb:.0f} MB"
    )
    print("| stage | time (s) | peak RSS (MiB) |\n|---|---|---|")
    for name, seconds in y.seconds.items():
        print(f"| {name} | {seconds:.1f} | {y.stage_peak_rss_mb[name]:.0f} |")
    print(f"| whole year | {sum(y.seconds.values()):.1f} | {y.peak_rss_mb:.0f} |")
    if y.letters:
        rate = y.letters / y.seconds["report"]
        print(f"\nfeedback letters per second (both formats, incl. workbook): {rate:.1f}")


if __name__ == "__main__":
    main()
