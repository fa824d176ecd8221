"""Benchmark: letters — the memory of a combined print file, HTML letters against the bare
Jinja floor, and .docx letters against a naive docxtpl loop.

    python bench/bench_letters.py            # 1,600 letters combined, 5 turns each
    python bench/bench_letters.py --quick    # 400 letters combined, 3 turns
    python bench/bench_letters.py --only docx  # one part: combined, html or docx

- Combined .docx: one file of 1,600 check-in letters of 30 members each, written by the
  letter writer's `DocxTemplate.write` in a process of its own; its peak RSS (VmHWM).
- HTML: 300 letters into 300 files by `HtmlLetters` (atomic writes: a temporary file and
  a rename each, one sync for the batch, as the commands write letters) against one jinja2
  Environment, one compiled template and plain writes (the floor); and the same rendering
  without files.
- .docx: one file per letter from one loaded template (atomic writes, one sync a batch)
  against `docxtpl.DocxTemplate(path).render(ctx).save()` per letter (plain writes), at
  2, 30 and 160 members.

Each comparison runs its two sides in turn, side by side, and reports the median of the
turns with their spread (lowest–highest). `run(quick)` returns the table's rows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

Row = tuple[str, str, str, str]


def letters(n: int, rows: int) -> list[Any]:
    """`n` check-in letters with `rows` members each, shaped like real ones."""
    from shuanggang.render.letters import CheckinLetter, RosterLine

    specialties = ("临床医学", "会计", "法律", "计算机", "教育")
    return [
        CheckinLetter(
            number=f"芝团报〔2026〕{i + 1:04d}号",
            org=f"烟台市第{i + 1}中学团委",
            community=f"社区{i % 40}",
            community_name=f"社区{i % 40}社区",
            street="东山街道",
            issuer="共青团东山街道工作委员会",
            issued_on="2026年3月5日",
            members=rows,
            projects=(f"2026-{i % 12 + 1:02d} 健康义诊进社区", "2026-03 小家电义务维修"),
            validity_days=30,
            roster=tuple(
                RosterLine(
                    j + 1,
                    f"张{j:03d}",
                    "男" if j % 2 else "女",
                    "370602********1235",
                    "138****1234",
                    specialties[j % len(specialties)],
                    "义诊服务",
                )
                for j in range(rows)
            ),
        )
        for i in range(n)
    ]


def spread(values: list[float], unit: str, digits: int = 1) -> str:
    low, high = min(values), max(values)
    median = statistics.median(values)
    return f"{median:.{digits}f} {unit} ({low:.{digits}f}–{high:.{digits}f})"


def side_by_side(
    ours: Callable[[], float], other: Callable[[], float], turns: int
) -> tuple[list[float], list[float]]:
    """Both sides, alternating, `turns` times each: (ours, other)."""
    a, b = [], []
    for turn in range(turns):
        if turn % 2:
            b.append(other())
            a.append(ours())
        else:
            a.append(ours())
            b.append(other())
    return a, b


# --- combined .docx: peak memory --------------------------------------------------------


def combined_child(n: int, rows: int, folder: Path) -> None:
    """In a process of its own: write the combined file, print its size and peak RSS."""
    from bench_report import peak_rss_mb

    from shuanggang.render.letters import docx_template

    batch = letters(n, rows)
    before = peak_rss_mb()
    start = time.perf_counter()
    path = docx_template(None).write(folder / "合并打印.docx", letters=batch)
    seconds = time.perf_counter() - start
    result = {
        "peak_mb": peak_rss_mb(),
        "before_mb": before,
        "seconds": seconds,
        "file_mb": path.stat().st_size / 2**20,
    }
    print(json.dumps(result))


def combined_once(n: int, rows: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, __file__, "--combined-child", str(n), str(rows), tmp],
            check=True,
            capture_output=True,
            text=True,
        )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def combined_rows(n: int, rows: int, turns: int) -> list[Row]:
    runs = [combined_once(n, rows) for _ in range(turns)]
    peaks = [r["peak_mb"] for r in runs]
    return [
        (
            f"combined .docx, {n:,} letters × {rows} members: peak RSS (process)",
            spread(peaks, "MiB", 0),
            f"target ≤ 300 MiB; {statistics.median(r['before_mb'] for r in runs):.0f} MiB "
            f"before writing; {spread([r['seconds'] for r in runs], 's')}, "
            f"{statistics.median(r['file_mb'] for r in runs):.1f} MiB file",
            "met" if statistics.median(peaks) <= 300 else "NOT met",
        )
    ]


# --- HTML letters against the bare Jinja floor -------------------------------------------


def html_rows(turns: int, n: int = 300, rows: int = 30) -> list[Row]:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from shuanggang.render.letters import HtmlLetters
    from shuanggang.resources import templates_dir

    batch = letters(n, rows)

    def ours() -> float:
        from shuanggang.fsutil import synced_at_end

        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            writer = HtmlLetters(None)
            with synced_at_end():  # as the commands write a batch of letters
                for i, letter in enumerate(batch):
                    writer.write(Path(tmp) / f"{i}.html", [letter])
            return time.perf_counter() - start

    def bare_template() -> Any:
        """One Environment, one compiled template: the floor's whole set-up."""
        env = Environment(
            loader=FileSystemLoader(str(templates_dir())),
            autoescape=True,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        return env.get_template("checkin.html.j2")

    def floor() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            template = bare_template()
            for i, letter in enumerate(batch):
                path = Path(tmp) / f"{i}.html"
                path.write_text(template.render(letters=[letter]), encoding="utf-8")
            return time.perf_counter() - start

    def ours_rendered() -> float:
        start = time.perf_counter()
        writer = HtmlLetters(None)
        for letter in batch:
            writer.render([letter])
        return time.perf_counter() - start

    def floor_rendered() -> float:
        start = time.perf_counter()
        template = bare_template()
        for letter in batch:
            template.render(letters=[letter])
        return time.perf_counter() - start

    out: list[Row] = []
    for what, pair in (
        (f"HTML letters, {n} × {rows} members into {n} files (atomic, one sync)", (ours, floor)),
        (
            f"HTML letters, {n} × {rows} members rendered (no files)",
            (ours_rendered, floor_rendered),
        ),
    ):
        a, b = side_by_side(*pair, turns)
        ratio = [x / y for x, y in zip(a, b, strict=True)]
        median = statistics.median(ratio)
        out.append(
            (
                what,
                spread([x * 1e3 for x in a], "ms", 0),
                f"bare Jinja: {spread([x * 1e3 for x in b], 'ms', 0)}",
                f"{spread(ratio, '×', 2)}; target ≤ 1.5×: {'met' if median <= 1.5 else 'NOT met'}",
            )
        )
    return out


# --- .docx letters against a naive docxtpl loop ------------------------------------------


def naive_seconds(path: Path, batch: Sequence[Any]) -> float:
    """The naive way: load the template, render and save, once for each letter."""
    import docxtpl

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for i, letter in enumerate(batch):
            tpl = docxtpl.DocxTemplate(str(path))
            tpl.render({"letters": [letter]}, autoescape=True)
            tpl.save(str(Path(tmp) / f"{i}.docx"))
        return time.perf_counter() - start


def docx_rows(turns: int, sizes: tuple[int, ...], n_ours: int, n_naive: int) -> list[Row]:
    from shuanggang.render.letters import docx_template, template_path

    path = template_path("checkin.docx", None)
    out: list[Row] = []
    for rows in sizes:
        batch = letters(max(n_ours, n_naive), rows)

        def ours(batch: list[Any] = batch) -> float:
            from shuanggang.fsutil import synced_at_end

            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                template = docx_template(None)
                with synced_at_end():  # as the commands write a batch of letters
                    for i, letter in enumerate(batch[:n_ours]):
                        template.write(Path(tmp) / f"{i}.docx", letters=[letter])
                return (time.perf_counter() - start) / n_ours

        def naive(batch: list[Any] = batch) -> float:
            return naive_seconds(path, batch[:n_naive]) / n_naive

        a, b = side_by_side(ours, naive, turns)
        speedup = [y / x for x, y in zip(a, b, strict=True)]
        median = statistics.median(speedup)
        out.append(
            (
                f".docx letter with {rows} members (per letter)",
                spread([x * 1e3 for x in a], "ms"),
                f"naive docxtpl loop: {spread([x * 1e3 for x in b], 'ms')}",
                f"{spread(speedup, '× faster')}; target ≥ 10×: "
                f"{'met' if median >= 10 else 'NOT met'}",
            )
        )
    return out


PARTS = ("combined", "html", "docx")


def run(quick: bool, only: str | None = None) -> list[Row]:
    """The table's rows: (what, ours, alternative, ratio and target); `only` one part."""
    turns = 3 if quick else 5
    rows: list[Row] = []
    if only in (None, "combined"):
        rows += combined_rows(400 if quick else 1600, 30, 3)
    if only in (None, "html"):
        rows += html_rows(turns)
    if only in (None, "docx"):
        n_ours, n_naive = (20, 5) if quick else (40, 10)
        rows += docx_rows(turns, (2, 30, 160), n_ours=n_ours, n_naive=n_naive)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer letters and turns")
    parser.add_argument("--only", choices=PARTS, help="run one part of the benchmark")
    parser.add_argument("--combined-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.combined_child:
        n, rows, folder = args.combined_child
        combined_child(int(n), int(rows), Path(folder))
        return
    print("| what | ours (median, spread) | alternative | ratio / target |")
    print("|---|---|---|---|")
    for row in run(args.quick, args.only):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
