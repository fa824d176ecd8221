"""Benchmark: a year at article scale — services import (≥ 100,000 rows) and the report.

    python bench/bench_report.py

Uses the article-scale inputs of `samples/generate.py --scale article` (made once into
bench/out/article), registers every organisation without letters, forms branches, then
times the services import and the report (workbook and feedback letters), printing the
letters per second.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    from bench_register import article_inputs, fresh_workspace

    from shuanggang.workflow.branches import BranchOptions, assign
    from shuanggang.workflow.projects import import_ledgers
    from shuanggang.workflow.register import RegisterOptions, register_files
    from shuanggang.workflow.report import ReportOptions, make_report
    from shuanggang.workflow.services import import_logs

    inputs = article_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        ws = fresh_workspace(Path(tmp) / "year")
        settings = ws.settings()
        with ws.open_store() as store:
            import_ledgers(ws, store, settings, sorted(inputs.rglob("*为民服务实事台账*.xlsx")))
            sheets = sorted(inputs.rglob("*团员信息汇总表*.xlsx"))
            register_files(ws, store, settings, [(p, RegisterOptions(letters=())) for p in sheets])
            assign(ws, store, settings, BranchOptions())
            logs = sorted(inputs.rglob("*服务活动台账*.xlsx"))
            start = time.perf_counter()
            imported = import_logs(ws, store, settings, logs)
            services_time = time.perf_counter() - start
            rows = sum(r.rows for r in imported)
            rejected = [r for r in imported if r.status == "rejected"]
            start = time.perf_counter()
            report = make_report(ws, store, settings, ReportOptions(on=date(2026, 12, 28)))
            report_time = time.perf_counter() - start
    letters = len(report.grades)
    print("| what | rows / letters | time (s) |\n|---|---|---|")
    print(
        f"| services import ({len(logs)} logs, {len(rejected)} rejected) | {rows} | "
        f"{services_time:.1f} |"
    )
    print(
        f"| report: workbook + {letters} feedback letters × 2 formats + combined | "
        f"{letters} | {report_time:.1f} |"
    )
    print(
        f"\nfeedback letters per second (both formats, incl. workbook): {letters / report_time:.1f}"
    )


if __name__ == "__main__":
    main()
