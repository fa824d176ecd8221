"""The benchmark suite: every stage end to end, each against the alternative a user or a
naive implementation would pick, measured side by side in one run.

    python bench/run.py [--quick] [--out bench/RESULTS.md] [--only MODULE ...]

--quick shrinks the inputs so the whole suite finishes in a few minutes on 2 cores.
Without it: district scale (50,862 members, 300 sheets, 100,000 services), a check of a
1,048,576-row sheet, a whole year at 1,000,000 members, and the undo log's cost on a
district's register and services import, and a merge of 13 street workspaces
(inputs are generated once into bench/out/, which takes several minutes the first
time). Times are medians with the lowest and highest run beside them; ratios are of
medians, measured in turns, and are what count (these machines are noisy); absolute
times are context. The header records the commit measured ("dirty" when tracked files
differ from it), the date and the load at the start.

The suite is a list of SECTIONS: a module's `run(quick) -> rows` where it has one,
run.py's own measurement until then. pandas is needed for the openpyxl comparison
(`pip install pandas`) and OR-Tools for the branch judge (`pip install '.[bench]'`);
neither is a dependency of the tool.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import Timing, measure, ratio, side_by_side  # noqa: E402  (bench/ on the path)

Row = tuple[str, str, str, str]  # (what, measured, alternative, ratio / target)
Run = Callable[[bool], list[Row]]

# The suite, section by section: (title, module, its function `run(quick) -> rows`, what
# runs while the module has no such function). Modules are imported when their section
# runs; adding a section is one line here.
SECTIONS: list[tuple[str, str, str, Run | None]] = []  # filled below the fallbacks
PROFILES: list[tuple[str, str]] = []


def record(what: str, ours: Timing, alt_label: str, alt: Timing, target: str) -> Row:
    row = (what, str(ours), f"{alt_label}: {alt}", f"{ratio(ours, alt):.2f}× ({target})")
    print(row)
    return row


# --- the sections' fallbacks: the measurements made here until their module has `run` ---


def _say(rows: list[Row]) -> list[Row]:
    for row in rows:
        print(row)
    return rows


class Inputs:
    """The shared inputs of the fallback sections, made once per suite run."""

    def __init__(self, quick: bool) -> None:
        import bench_check
        from bench_register import district_inputs

        self.quick = quick
        if quick:
            self.members, self.repeat = 10_000, 3
            self.sheets = [
                bench_check.member_sheet(HERE / "out" / "quick" / f"s{i:03d}.xlsx", 60, seed=i)
                for i in range(40)
            ]
            self.growth = self.sheets
        else:
            import bench_report

            self.members, self.repeat = 50_000, 5
            self.sheets = sorted(district_inputs().rglob("*团员信息汇总表*.xlsx"))[:300]
            twice = bench_report.scale_inputs(2.0, service_rows=0)  # 640 organisations
            self.growth = sorted(twice.rglob("*团员信息汇总表*.xlsx"))[:600]


_INPUTS: dict[bool, Inputs] = {}


def inputs(quick: bool) -> Inputs:
    if quick not in _INPUTS:
        _INPUTS[quick] = Inputs(quick)
    return _INPUTS[quick]


def checking(quick: bool) -> list[Row]:
    import bench_check

    given = inputs(quick)
    path = bench_check.member_sheet(HERE / "out" / f"members_{given.members}.xlsx", given.members)
    row, ours = reading(path, given.members, given.repeat)
    rows = [row, *_pandas(path, given.members, ours)]
    rows.append(scale_check(100_000 if quick else 1_048_576))
    rows.append(startup(5 if not quick else 3))
    profile(f"check, {given.members} members", lambda: bench_check.check(path))
    return rows


def reading(path: Path, members: int, repeat: int) -> tuple[Row, Timing]:
    import bench_check

    bench_check.check(path)  # imports and caches warm, outside the timing
    bench_check.bare_read(path)
    ours, bare = side_by_side(
        lambda: bench_check.check(path), lambda: bench_check.bare_read(path), repeat
    )
    what = f"check, {members} members"
    return record(what, ours, "bare python-calamine read", bare, "target ≤ 2×"), ours


def _pandas(path: Path, members: int, ours: Timing) -> list[Row]:
    try:
        import pandas as pd
    except ImportError:
        return _say([("pandas.read_excel(openpyxl)", "skipped", "pandas not installed", "")])
    naive = measure(lambda: pd.read_excel(path, engine="openpyxl", header=None), repeat=1)
    return _say(
        [
            (
                f"check vs pandas.read_excel(engine='openpyxl'), {members} members",
                str(ours),
                f"pandas: {naive}",
                f"{ratio(naive, ours):.1f}× faster (target ≥ 5×)",
            )
        ]
    )


def registering(quick: bool) -> list[Row]:
    """The sheets registered against the sum of their bare reads; the growth of a batch
    with letters over a quarter, half and all of the growth set; one sheet, whole
    process."""
    import bench_check
    from bench_register import fresh_workspace, register

    given = inputs(quick)
    sheets, growth = given.sheets, given.growth
    with tempfile.TemporaryDirectory() as tmp:
        ours, bare = [], []
        for turn in range(3):  # in turns: the machine's noise hits both
            ws = fresh_workspace(Path(tmp) / f"no-letters{turn}")
            ours.append(register(ws, sheets, letters=()))
            start = time.perf_counter()
            for path in sheets:
                bench_check.bare_read(path)
            bare.append(time.perf_counter() - start)
        times = {}
        for n in (len(growth) // 4, len(growth) // 2, len(growth)):
            times[n] = register(fresh_workspace(Path(tmp) / f"w{n}"), growth[:n])
    n = len(sheets)
    rows = [
        record(
            f"register {n} sheets, no letters",
            Timing(tuple(ours)),
            "sum of bare reads",
            Timing(tuple(bare)),
            "target ≤ 3×",
        )
    ]
    g = len(growth)
    quarter, half = times[g // 4], times[g // 2]
    rows += _say(
        [
            (
                f"register growth {g // 4} → {g // 2} → {g} sheets, letters in both formats",
                f"{quarter:.1f} → {half:.1f} → {times[g]:.1f} s (n=1 each)",
                "",
                f"{half / quarter:.2f}×, {times[g] / half:.2f}× per doubling (target ≤ 2.2×)",
            )
        ]
    )
    rows.append(single_register(bench_check.member_sheet(HERE / "out" / "members_200.xlsx", 200)))
    profile(f"register {len(sheets)} sheets, no letters", lambda: _register_once(sheets))
    return rows


def letters(quick: bool) -> list[Row]:
    from bench_register import fresh_workspace, letters_per_second, register

    sheets = inputs(quick).sheets[: 20 if quick else None]
    with tempfile.TemporaryDirectory() as tmp:
        ws = fresh_workspace(Path(tmp) / "letters")
        register(ws, sheets)
        html, docx, naive = letters_per_second(ws, len(sheets))
    return _say(
        [
            (
                "letters per second",
                f"HTML {html:.0f}/s, .docx {docx:.0f}/s (n=1)",
                f"naive docxtpl loop {naive:.1f}/s",
                f"{docx / naive:.1f}× faster (target ≥ 5×)",
            )
        ]
    )


def startup(repeat: int) -> Row:
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(
            "import typer\napp = typer.Typer()\n@app.command()\ndef a():\n    pass\n"
            "@app.command()\ndef b():\n    pass\napp()\n",
            encoding="utf-8",
        )
        ours, alt = side_by_side(
            lambda: subprocess.run(
                [sys.executable, "-m", "shuanggang", "--help"], capture_output=True, check=True
            ),
            lambda: subprocess.run(
                [sys.executable, str(minimal), "--help"], capture_output=True, check=True
            ),
            repeat,
        )
    return record("shuanggang --help", ours, "two-command typer app --help", alt, "target ≤ 1.5×")


def single_register(sheet: Path) -> Row:
    with tempfile.TemporaryDirectory() as tmp:
        from bench_register import fresh_workspace

        ws = fresh_workspace(Path(tmp) / "one")
        ours = measure(
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
    floor = measure(
        lambda: subprocess.run([sys.executable, "-c", "import pandas"], capture_output=True),
        repeat=3,
    )
    return record(
        "register one 200-member sheet (whole process)",
        ours,
        "python -c 'import pandas'",
        floor,
        "how close to the floor",
    )


def scale_check(rows: int) -> Row:
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
    row = (
        f"check of a {rows:,}-row member sheet",
        f"{float(seconds):.1f} s (n=1)",
        f"peak RSS {mib:.0f} MiB",
        f"{'met' if mib <= 1536 or rows < 1_048_576 else 'NOT met'}: "
        "target ≤ 1.5 GiB at 1,048,576 rows",
    )
    print(row)
    return row


def years(quick: bool) -> list[Row]:
    if quick:
        return whole_year(0.1, None, letters=True)
    return whole_year(1, None, letters=True) + whole_year(20, 100_000, letters=False)


def whole_year(factor: float, service_rows: int | None, letters: bool) -> list[Row]:
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
    rows: list[Row] = []
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
        rows.append((f"{stage} ({scale})", f"{seconds:.1f} s (n=1)", detail, "measured"))
    rows.append(
        (
            f"whole year ({scale})",
            f"store {y['store_mb']:.0f} MB",
            f"peak RSS {y['peak_rss_mb']:.0f} MiB",
            "measured",
        )
    )
    return _say(rows)


def undo_log(quick: bool) -> list[Row]:
    """What the undo triggers cost register and services import, and what undo takes."""
    import bench_report
    import bench_undo

    result = bench_undo.overhead(bench_report.scale_inputs(0.1 if quick else 1), repeat=3)
    return _say(bench_undo.rows(result))


def merging(quick: bool) -> list[Row]:
    """13 street workspaces merged into a district's."""
    import bench_merge

    return _say(bench_merge.run(0.1 if quick else 1, repeat=1 if quick else 3))


SECTIONS += [
    ("Reading, checking and start-up", "bench_check", "run", checking),
    ("Registration", "bench_register", "run", registering),
    ("Letters", "bench_letters", "run", letters),
    ("Certificates of service", "bench_certificates", "run", None),
    ("Activity branches: quality and speed", "bench_branches", "run", None),
    ("The whole year", "bench_report", "run", years),
    ("The undo log", "bench_undo", "", undo_log),
    ("Merging street workspaces", "bench_merge", "", merging),
]


def section(module: str, function: str, fallback: Run | None) -> tuple[Run | None, str]:
    """What runs for a section, and a note when it is not the module's own `function`."""
    try:
        found = getattr(importlib.import_module(module), function, None) if function else None
    except ImportError:
        found = None
    if found is not None:
        return found, ""
    if fallback is None:
        return None, f"skipped: {module}.py has no {function}(quick)"
    if not function:
        return fallback, ""
    return fallback, f"measured by run.py: {module}.py has no {function}(quick) yet"


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
    parser.add_argument(
        "--only", action="append", metavar="MODULE", help="run only these sections (repeatable)"
    )
    args = parser.parse_args()
    commit = _commit()  # before the run: what was measured, not what is there afterwards
    when, load = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), _load()
    started = time.perf_counter()
    body: list[str] = []
    for title, module, function, fallback in SECTIONS:
        if args.only and module not in args.only:
            continue
        print(f"== {title}")
        run, note = section(module, function, fallback)
        body += [f"## {title}", ""]
        if note:
            body += [f"_{note}_", ""]
        if run is None:
            continue
        try:
            rows = run(args.quick)
        except Exception as error:  # one broken section must not lose the others' numbers
            body += [f"**failed**: `{type(error).__name__}: {error}`", ""]
            print(f"section {title} failed: {error!r}", file=sys.stderr)
            continue
        body += [
            "| what | ours | alternative | ratio (target) |",
            "|---|---|---|---|",
            *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
            "",
        ]
    for module, explain in EXPLAINED:
        if not args.only or module in args.only:
            explain(args.quick)
    elapsed = time.perf_counter() - started
    lines = [
        "# Benchmark results",
        "",
        f"- commit: {commit}",
        f"- date: {when} (start);"
        f" mode: {'--quick' if args.quick else 'full'}; suite time {elapsed:.0f} s",
        f"- machine: {_machine()}, Python "
        f"{platform.python_version()}, load average at the start {load}, peak RSS of the"
        f" runner {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        "- times: the median of n runs with the lowest and highest in brackets (n=1: one"
        " run); ratios are of medians, measured side by side in turns",
        "",
        *body,
    ]
    if PROFILES:
        lines += [
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
        raise RuntimeError(f"benchmark step failed: {code[:120]}…")
    return out.stdout


def _profile_check(quick: bool) -> None:
    import bench_check

    members = inputs(quick).members
    path = bench_check.member_sheet(HERE / "out" / f"members_{members}.xlsx", members)
    profile(f"check, {members} members", lambda: bench_check.check(path))


def _profile_register(quick: bool) -> None:
    from bench_register import district_inputs

    sheets = sorted(district_inputs().rglob("*团员信息汇总表*.xlsx"))[: 60 if quick else 300]
    profile(f"register {len(sheets)} district sheets, no letters", lambda: _register_once(sheets))


# The targets a profile explains rather than meets: where their time goes, after the
# sections (module: the section whose target it is).
EXPLAINED: list[tuple[str, Callable[[bool], None]]] = [
    ("bench_check", _profile_check),
    ("bench_register", _profile_register),
]


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


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _commit() -> str:
    """The full commit hash, with "dirty" when tracked files differ from it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=HERE, check=True
        ).stdout.strip()

    try:
        head = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (dirty)" if dirty else head


if __name__ == "__main__":
    main()
