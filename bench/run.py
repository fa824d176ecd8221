"""The benchmark suite: every stage end to end, each against the alternative a user or a
naive implementation would pick, measured side by side in one run.

    python bench/run.py [--quick] [--out bench/RESULTS.md]

--quick shrinks the inputs so the whole suite finishes in about two minutes on 2 cores.
Without it: district scale (50,862 members, 300 sheets, 100,000 services), a check of a
1,048,576-row sheet, a whole year at 1,000,000 members, and the undo log's cost on a
district's register and services import, and a merge of 13 street workspaces
(inputs are generated once into bench/out/, which takes several minutes the first
time). Ratios are what count (these machines are noisy); absolute times are context.
pandas is needed for the openpyxl comparison: `pip install pandas` (not a dependency of
the tool).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROWS: list[tuple[str, str, str, str]] = []  # (what, measured, alternative, ratio / target)


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def side_by_side(
    ours: Callable[[], object], alternative: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Best of `repeat` for each, run in turns so both see the same machine noise."""
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeat):
        for fn, times in ((ours, mine), (alternative, theirs)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(mine), min(theirs)


def record(what: str, ours: float, alt_label: str, alt: float, target: str) -> None:
    ROWS.append(
        (what, f"{ours:.3f} s", f"{alt_label}: {alt:.3f} s", f"{ours / alt:.2f}× ({target})")
    )
    print(ROWS[-1])


def reading(members: int, repeat: int) -> None:
    import bench_check

    path = bench_check.member_sheet(HERE / "out" / f"members_{members}.xlsx", members)
    bench_check.check(path)  # imports and caches warm, outside the timing
    bench_check.bare_read(path)
    ours, bare = side_by_side(
        lambda: bench_check.check(path), lambda: bench_check.bare_read(path), repeat
    )
    record(f"check, {members} members", ours, "bare python-calamine read", bare, "target ≤ 2×")
    try:
        import pandas as pd
    except ImportError:
        ROWS.append(("pandas.read_excel(openpyxl)", "skipped", "pandas not installed", ""))
        return
    naive = best(lambda: pd.read_excel(path, engine="openpyxl", header=None), repeat=1)
    ROWS.append(
        (
            f"check vs pandas.read_excel(engine='openpyxl'), {members} members",
            f"{ours:.3f} s",
            f"pandas: {naive:.3f} s",
            f"{naive / ours:.1f}× faster (target ≥ 5×)",
        )
    )
    print(ROWS[-1])


def registering(sheets: list[Path], growth: list[Path]) -> None:
    """`sheets` registered against the sum of their bare reads; the growth of a batch
    with letters over a quarter, half and all of `growth`."""
    import bench_check
    from bench_register import fresh_workspace, register

    with tempfile.TemporaryDirectory() as tmp:
        ours, bare = [], []
        for turn in range(2):  # in turns, best of two: the machine's noise hits both
            ws = fresh_workspace(Path(tmp) / f"no-letters{turn}")
            ours.append(register(ws, sheets, letters=()))
            start = time.perf_counter()
            for path in sheets:
                bench_check.bare_read(path)
            bare.append(time.perf_counter() - start)
        no_letters, reads = min(ours), min(bare)
        times = {}
        for n in (len(growth) // 4, len(growth) // 2, len(growth)):
            times[n] = register(fresh_workspace(Path(tmp) / f"w{n}"), growth[:n])
    n = len(sheets)
    record(
        f"register {n} sheets, no letters", no_letters, "sum of bare reads", reads, "target ≤ 3×"
    )
    g = len(growth)
    quarter, half = times[g // 4], times[g // 2]
    ROWS.append(
        (
            f"register growth {g // 4} → {g // 2} → {g} sheets, letters in both formats",
            f"{quarter:.1f} → {half:.1f} → {times[g]:.1f} s",
            "",
            f"{half / quarter:.2f}×, {times[g] / half:.2f}× per doubling (target ≤ 2.2×)",
        )
    )
    print(ROWS[-1])


def letters(sheets: list[Path]) -> None:
    from bench_register import fresh_workspace, letters_per_second, register

    with tempfile.TemporaryDirectory() as tmp:
        ws = fresh_workspace(Path(tmp) / "letters")
        register(ws, sheets)
        html, docx, naive = letters_per_second(ws, len(sheets))
    ROWS.append(
        (
            "letters per second",
            f"HTML {html:.0f}/s, .docx {docx:.0f}/s",
            f"naive docxtpl loop {naive:.1f}/s",
            f"{docx / naive:.1f}× faster (target ≥ 5×)",
        )
    )
    print(ROWS[-1])


def branches(scale: float) -> None:
    import bench_branches

    runs = [(bench_branches.speed(scale), bench_branches.speed(scale * 5)) for _ in range(2)]
    small = min(run[0] for run in runs)  # best of two, in turns
    five = min(run[1] for run in runs)
    ROWS.append(
        (
            "assign-branches",
            f"{small[1]} members: {small[0]:.2f} s",
            f"{five[1]} members: {five[0]:.2f} s",
            f"{five[0] / small[0]:.1f}× for {five[1] / small[1]:.1f}× the members "
            "(target: near linear)",
        )
    )
    print(ROWS[-1])


def startup() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(
            "import typer\napp = typer.Typer()\n@app.command()\ndef a():\n    pass\n"
            "@app.command()\ndef b():\n    pass\napp()\n",
            encoding="utf-8",
        )
        ours = best(
            lambda: subprocess.run(
                [sys.executable, "-m", "shuanggang", "--help"], capture_output=True, check=True
            ),
            repeat=5,
        )
        alt = best(
            lambda: subprocess.run(
                [sys.executable, str(minimal), "--help"], capture_output=True, check=True
            ),
            repeat=5,
        )
    record("shuanggang --help", ours, "two-command typer app --help", alt, "target ≤ 1.5×")


def single_register(sheet: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        from bench_register import fresh_workspace

        ws = fresh_workspace(Path(tmp) / "one")
        ours = best(
            lambda: subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "shuanggang",
                    "register",
                    str(sheet),
                    "--community",
                    "海岸路",
                    "-q",
                    "-w",
                    str(ws.root),
                ],
                capture_output=True,
                check=True,
            ),
            repeat=1,
        )
    floor = best(
        lambda: subprocess.run([sys.executable, "-c", "import pandas"], capture_output=True),
        repeat=3,
    )
    record(
        "register one 200-member sheet (whole process)",
        ours,
        "python -c 'import pandas'",
        floor,
        "how close to the floor",
    )


def scale_check(rows: int) -> None:
    """`shuanggang check` of a sheet `rows` high in all (title, preamble, header, members,
    footer): the whole command in a child process, its peak RSS read by a fresh parent."""
    import bench_check

    members = rows - 6  # the sheet's other rows: 3 above the header, the header, 2 below
    path = bench_check.member_sheet(HERE / "out" / f"members_{members}.xlsx", members)
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        f"subprocess.run([sys.executable, '-m', 'shuanggang', 'check', {str(path)!r}],"
        " check=True, capture_output=True);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    seconds, rss = _child(code).split()
    mib = int(rss) / 1024
    ROWS.append(
        (
            f"check of a {rows:,}-row member sheet",
            f"{float(seconds):.1f} s",
            f"peak RSS {mib:.0f} MiB",
            f"{'met' if mib <= 1536 or rows < 1_048_576 else 'NOT met'}: "
            "target ≤ 1.5 GiB at 1,048,576 rows",
        )
    )
    print(ROWS[-1])


def whole_year(factor: float, service_rows: int | None, letters: bool) -> None:
    """Every stage of a year in a child process (its own peak RSS)."""
    import bench_report

    inputs = bench_report.scale_inputs(factor, service_rows)
    code = (
        f"import sys, json, dataclasses; sys.path.insert(0, {str(HERE)!r}); import bench_report;"
        f"from pathlib import Path; y = bench_report.year(Path({str(inputs)!r}),"
        f" letters={('html', 'docx') if letters else ()!r});"
        "print(json.dumps(dataclasses.asdict(y)))"
    )
    out = _child(code)
    y = json.loads(out.strip().splitlines()[-1])
    scale = f"{y['members']:,} members, {y['orgs']} organisations"
    for stage, seconds in y["seconds"].items():
        detail = {
            "register": f"{y['members'] / seconds:,.0f} members/s",
            "services import": f"{y['service_rows']:,} rows, {y['service_rows'] / seconds:,.0f}/s",
            "report": (
                f"workbook + {y['letters']} feedback letters in 2 formats"
                if y["letters"]
                else "workbook only"
            ),
        }.get(stage, "")
        ROWS.append((f"{stage} ({scale})", f"{seconds:.1f} s", detail, "measured"))
        print(ROWS[-1])
    ROWS.append(
        (
            f"whole year ({scale})",
            f"store {y['store_mb']:.0f} MB",
            f"peak RSS {y['peak_rss_mb']:.0f} MiB",
            "measured",
        )
    )
    print(ROWS[-1])


def undo_log(factor: float) -> None:
    """What the undo triggers cost register and services import, and what undo takes."""
    import bench_report
    import bench_undo

    result = bench_undo.overhead(bench_report.scale_inputs(factor), repeat=3)
    for row in bench_undo.rows(result):
        ROWS.append(row)
        print(row)


def merging(factor: float) -> None:
    """13 street workspaces merged into a district's."""
    import bench_merge

    for row in bench_merge.run(factor, repeat=3 if factor >= 1 else 1):
        ROWS.append(row)
        print(row)


PROFILES: list[tuple[str, str]] = []


def profile(label: str, fn: Callable[[], object]) -> None:
    """Where the time goes: the functions with the most time of their own."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(fn)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("tottime").print_stats(12)
    table = text.getvalue()
    PROFILES.append((label, table[table.index("ncalls") :].rstrip()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    import bench_check
    from bench_register import district_inputs

    started = time.perf_counter()
    if args.quick:
        members, repeat = 10_000, 3
        sheets = [
            bench_check.member_sheet(HERE / "out" / "quick" / f"s{i:03d}.xlsx", 60, seed=i)
            for i in range(40)
        ]
        growth = sheets
    else:
        import bench_report

        members, repeat = 50_000, 5
        sheets = sorted(district_inputs().rglob("*团员信息汇总表*.xlsx"))[:300]
        twice = bench_report.scale_inputs(2.0, service_rows=0)  # 640 organisations
        growth = sorted(twice.rglob("*团员信息汇总表*.xlsx"))[:600]
    reading(members, repeat)
    registering(sheets, growth)
    letters(sheets if not args.quick else sheets[:20])
    branches(0.2 if args.quick else 1)
    check_sheet = bench_check.member_sheet(HERE / "out" / f"members_{members}.xlsx", members)
    profile(f"check, {members} members", lambda: bench_check.check(check_sheet))
    profile(f"register {len(sheets)} sheets, no letters", lambda: _register_once(sheets))
    if args.quick:
        scale_check(100_000)
        whole_year(0.1, None, letters=True)
    else:
        scale_check(1_048_576)
        whole_year(1, None, letters=True)
        whole_year(20, 100_000, letters=False)
    undo_log(0.1 if args.quick else 1)
    merging(0.1 if args.quick else 1)
    startup()
    single_register(bench_check.member_sheet(HERE / "out" / "members_200.xlsx", 200))
    elapsed = time.perf_counter() - started
    lines = [
        "# Benchmark results",
        "",
        f"- date: {date.today().isoformat()}; mode: {'--quick' if args.quick else 'full'}; "
        f"suite time {elapsed:.0f} s",
        f"- machine: {_machine()}, Python "
        f"{platform.python_version()}, peak RSS of the runner "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        f"- commit: {_commit()}",
        "",
        "| what | ours | alternative | ratio (target) |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in ROWS),
        "",
        "## Where the time goes",
        "",
        "cProfile, the functions with the most time of their own (profiling slows",
        "Python-heavy code more than the Rust reader, so shares are indicative).",
        "",
    ]
    for label, table in PROFILES:
        lines += [f"### {label}", "", "```", table, "```", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _child(code: str) -> str:
    """Run `code` in a fresh interpreter; its output, or its error shown and raised."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        raise SystemExit(f"benchmark step failed: {code[:120]}…")
    return out.stdout


def _register_once(sheets: list[Path]) -> None:
    from bench_register import fresh_workspace, register

    with tempfile.TemporaryDirectory() as tmp:
        register(fresh_workspace(Path(tmp) / "profiled"), sheets, letters=())


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=HERE,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()
