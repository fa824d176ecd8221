"""Benchmark: `register` at a launch ceremony and at district scale, and letter rendering.

    python bench/bench_register.py [--orgs 300]

1. one 200-member sheet registered into a fresh workspace (what staff wait for);
2. the district-scale sheets from `samples/generate.py --scale district` (first --orgs of
   them) registered in one batch, with ledgers imported first;
3. letters per second for HTML and .docx, and the .docx renderer against a naive
   docxtpl loop (load, render, save per letter), measured in the same run.

`run(quick)` (for bench/run.py; `--processes` here) times whole processes side by side,
medians of several turns: `shuanggang register` of the district's first 300 sheets with
`--letters none` into a fresh workspace (ledgers imported first, untimed) against one
process reading the same sheets with python-calamine (target ≤ 3.0×).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuanggang.store import Workspace

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))


def district_inputs() -> Path:
    from bench_report import scale_inputs

    return scale_inputs(1.0)


def fresh_workspace(root: Path) -> Workspace:
    from shuanggang.store import init_workspace

    return init_workspace(root, district="芝罘区", year=2026)


def register(
    ws: Workspace,
    files: list[Path],
    community: str | None = None,
    letters: tuple[str, ...] = ("html", "docx"),
) -> float:
    from shuanggang.workflow.register import RegisterOptions, register_files

    options = RegisterOptions(community=community, letters=letters)
    settings = ws.settings()
    with ws.open_store() as store:
        start = time.perf_counter()
        results = register_files(ws, store, settings, [(f, options) for f in files])
        elapsed = time.perf_counter() - start
    rejected = [r for r in results if r.status == "rejected"]
    assert not rejected, rejected[0].findings[:3]
    return elapsed


def letters_per_second(ws: Workspace, n: int) -> tuple[float, float, float]:
    from bench_letters import naive_seconds

    from shuanggang.render.letters import docx_template, render_html, template_path
    from shuanggang.store import registry
    from shuanggang.workflow.letters import checkin_letter

    settings = ws.settings()
    with ws.open_store() as store:
        ids = sorted(o.ref.id for o in registry.orgs(store))[:n]
        letters = [checkin_letter(store, settings, i) for i in ids]
    start = time.perf_counter()
    for letter in letters:
        render_html([letter])
    html = len(letters) / (time.perf_counter() - start)
    start = time.perf_counter()
    template = docx_template(None)
    for letter in letters:
        template.render(letters=[letter])
    docx = len(letters) / (time.perf_counter() - start)
    naive_n = min(len(letters), 30)
    naive = naive_n / naive_seconds(template_path("checkin.docx", None), letters[:naive_n])
    return html, docx, naive


BARE_READS = """
import sys
from python_calamine import CalamineWorkbook
for path in sys.argv[1:]:
    book = CalamineWorkbook.from_path(path)
    sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
"""


def run(quick: bool) -> list[tuple[str, str, str, str]]:
    """Whole processes side by side, medians: rows of (what, ours, alternative, ratio)."""
    from processes import PYTHON, process_seconds, ratio, shown

    inputs = district_inputs()
    sheets = [str(p) for p in sorted(inputs.rglob("*团员信息汇总表*.xlsx"))[: 60 if quick else 300]]
    ledgers = [str(p) for p in sorted(inputs.rglob("*为民服务实事台账*.xlsx"))]
    OUT.mkdir(parents=True, exist_ok=True)
    bare_script = OUT / "bare_reads.py"
    bare_script.write_text(BARE_READS, encoding="utf-8")
    cli = [PYTHON, "-m", "shuanggang"]
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            ws = str(Path(tmp) / "ws")
            process_seconds([*cli, "init", ws, "--year", "2026"])
            process_seconds([*cli, "projects", "import", *ledgers, "-w", ws])
            ours.append(process_seconds([*cli, "register", *sheets, "--letters", "none", "-w", ws]))
        bare.append(process_seconds([PYTHON, str(bare_script), *sheets]))
    return [
        (
            f"register {len(sheets)} sheets, --letters none / bare python-calamine reads",
            shown(ours),
            shown(bare),
            ratio(ours, bare, "≤ 3.0×"),
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--processes", action="store_true", help="whole processes: run()")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.processes:
        print("| what | ours | alternative | ratio |\n|---|---|---|---|")
        for row in run(args.quick):
            print("| " + " | ".join(row) + " |")
        return
    import bench_check

    with tempfile.TemporaryDirectory() as tmp:
        one = bench_check.member_sheet(OUT / "members_200.xlsx", 200)
        ws = fresh_workspace(Path(tmp) / "one")
        single = register(ws, [one])

        inputs = district_inputs()
        ws = fresh_workspace(Path(tmp) / "district")
        from shuanggang.workflow.projects import import_ledgers

        with ws.open_store() as store:
            import_ledgers(
                ws,
                store,
                ws.settings(),
                sorted(inputs.glob("ledgers/*.xlsx")) or sorted(inputs.glob("*台账*.xlsx")),
            )
        sheets = sorted(p for p in inputs.rglob("*团员信息汇总表*.xlsx"))[: args.orgs]
        batch = register(ws, sheets)
        members = sum(1 for _ in ws.open_store().conn.execute("SELECT 1 FROM members"))
        html, docx, naive = letters_per_second(ws, len(sheets))
        shutil.rmtree(Path(tmp), ignore_errors=True)
    print("| what | time (s) | per sheet (ms) |\n|---|---|---|")
    print(
        f"| register one 200-member sheet (letters in both formats) | {single:.2f} | "
        f"{single * 1000:.0f} |"
    )
    print(
        f"| register {len(sheets)} sheets, {members} members | {batch:.1f} | "
        f"{batch / len(sheets) * 1000:.0f} |"
    )
    print(
        f"\nletters per second: HTML {html:.0f}, .docx {docx:.0f}; "
        f"naive docxtpl loop {naive:.1f}/s → ours {docx / naive:.1f}× faster (target ≥ 5×)"
    )


if __name__ == "__main__":
    main()
