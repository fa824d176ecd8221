"""Benchmark: `check` on a 50,000-member sheet against a bare python-calamine read.

    python bench/bench_check.py [--members 50000] [--repeat 3]
    python bench/bench_check.py --processes [--quick]   # whole processes, medians

Both are timed in the same run, alternating; the ratio is what counts, absolute times
are context. Peak memory is each one's max RSS in a fresh child process.

`run(quick)` (for bench/run.py) times whole processes side by side, medians of several
turns: `shuanggang check` of 50,000 rows against a script that only reads the sheet
with python-calamine (target ≤ 1.5×) and, when installed, with fastexcel; a minimal
Python check of the same rows against the bare read (the floor of any per-row check);
start-up as `shuanggang check` of a 200-row sheet against a minimal typer app that
reads the same sheet with python-calamine (≤ 1.5×), and `shuanggang --help` against
that app's --help (≤ 1.0×).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.common import Cell

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"  # the sample generator's package lives there
OUT = HERE / "out"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯婷雪琳晨欣悦"
SPECIALTIES = [
    "临床医学",
    "护理",
    "金融理财",
    "反诈宣传",
    "法律咨询",
    "数学辅导",
    "英语",
    "声乐",
    "舞蹈",
    "家电维修",
    "计算机",
    "环保宣传",
    "摄影",
    "会计",
    "",
]
SLOTS = ["周末", "周六上午", "工作日晚上", "周一至周五晚", "节假日", "随时", "周日下午", "不限"]


_SEEN_IDS: set[str] = set()


def member_sheet(path: Path, members: int, seed: int = 2026) -> Path:
    """An office-shaped member sheet: title, preamble, header, members, footer. Written
    by the samples generator's direct xlsx writer (a million rows in about a minute;
    openpyxl's write-only mode takes many)."""
    if path.exists():
        return path
    if str(SAMPLES) not in sys.path:
        sys.path.insert(0, str(SAMPLES))
    from generator.plain_xlsx import write_plain_xlsx

    path.parent.mkdir(parents=True, exist_ok=True)
    write_plain_xlsx(path, "团员名单", _member_rows(path, members, seed), text_cols=(3, 6))
    return path


def _member_rows(path: Path, members: int, seed: int) -> Iterator[list[Cell]]:
    from shuanggang.domain.idnumber import make

    rng = random.Random(seed)
    org = f"基准测试{path.stem}团委"  # one organisation per file
    yield [f"{org}团员信息汇总表"]
    yield [f"填表单位（盖章）：{org}      填表日期：2026年3月5日"]
    yield ["报到社区：海岸路社区"]
    yield [
        "序号",
        "姓名",
        "性别",
        "身份证号码",
        "出生年月",
        "政治面貌",
        "手机号码",
        "居住社区",
        "专业特长",
        "服务意向",
        "可服务时间",
        "同意合编",
    ]
    seen = _SEEN_IDS  # unique across every sheet this process writes
    for i in range(1, members + 1):
        while True:
            born = date(rng.randint(1998, 2010), rng.randint(1, 12), rng.randint(1, 28))
            id_number = make("370602", born, rng.randint(0, 999))
            if id_number not in seen:
                seen.add(id_number)
                break
        gender = "男" if int(id_number[16]) % 2 else "女"
        yield [
            i,
            rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
            gender,
            id_number,
            f"{born.year}.{born.month:02d}",
            "共青团员",
            f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
            "海岸路社区",
            rng.choice(SPECIALTIES),
            rng.choice(SPECIALTIES),
            rng.choice(SLOTS),
            "是",
        ]
    yield []
    yield ["负责人：张三      填表人：李四      联系电话：0535-6612345"]


def bare_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)


def check(path: Path) -> int:
    from shuanggang.settings import defaults
    from shuanggang.sheets.reader import read_sheet

    result = read_sheet(path, defaults(), keep=False)  # as `shuanggang check` reads
    assert result.ok, result.findings[:3]
    return result.rows_read


def best_of(fn: Callable[[Path], object], path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mb(what: str, path: Path) -> float:
    code = (
        f"import resource, sys; sys.path.insert(0, {str(HERE)!r}); import bench_check as b; "
        f"from pathlib import Path; b.{what}(Path({str(path)!r})); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


# The floors `run` compares with, each a whole process.
BARE_CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
print(sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names))
"""
BARE_FASTEXCEL = """
import sys
import fastexcel
reader = fastexcel.read_excel(sys.argv[1])
print(sum(reader.load_sheet(n, header_row=None).height for n in reader.sheet_names))
"""
# The least a per-row check in Python does: a dict of each row's cells by header, the
# ID's checksum and birth date, the mobile's shape. Our check does all of this and
# every other column's parse, the row rules, duplicates, footers and categories.
MINIMAL_CHECK = """
import re, sys
from datetime import date
from python_calamine import CalamineWorkbook
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ZERO = ord("0") * sum(W)
MOBILE = re.compile(r"1[3-9][0-9]{9}")
book = CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
header = next(i for i, row in enumerate(rows) if "身份证号码" in row)
names = [str(v) for v in rows[header]]
good = 0
for row in rows[header + 1 :]:
    record = dict(zip(names, row))
    id_number = record["身份证号码"]
    if type(id_number) is str and len(id_number) == 18:
        total = sum(map(int.__mul__, id_number[:17].encode(), W)) - ZERO
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        ok = "10X98765432"[total % 11] == id_number[17]
        good += ok and bool(MOBILE.fullmatch(str(record["手机号码"])))
print(good)
"""
MINIMAL_TYPER = """
from pathlib import Path
import typer
app = typer.Typer(add_completion=False)
@app.command()
def check(files: list[Path]) -> None:
    \"\"\"Read each sheet.\"\"\"
    from python_calamine import CalamineWorkbook
    for f in files:
        book = CalamineWorkbook.from_path(str(f))
        print(f.name, sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names))
@app.command()
def other() -> None:
    \"\"\"Another command, so that check is a subcommand as ours is.\"\"\"
app()
"""


def _script(name: str, text: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def run(quick: bool) -> list[tuple[str, str, str, str]]:
    """Whole processes side by side, medians: rows of (what, ours, alternative, ratio)."""
    import importlib.util

    from processes import PYTHON, ratio, shown, side_by_side

    members = 10_000 if quick else 50_000
    turns = 3 if quick else 5
    big = member_sheet(OUT / f"members_{members}.xlsx", members)
    small = member_sheet(OUT / "members_200.xlsx", 200)
    ours = [PYTHON, "-m", "shuanggang", "check"]
    commands = [
        [*ours, str(big)],
        [PYTHON, str(_script("bare_calamine.py", BARE_CALAMINE)), str(big)],
    ]
    commands.append([PYTHON, str(_script("minimal_check.py", MINIMAL_CHECK)), str(big)])
    fast = importlib.util.find_spec("fastexcel") is not None
    if fast:
        commands.append([PYTHON, str(_script("bare_fastexcel.py", BARE_FASTEXCEL)), str(big)])
    times = side_by_side(commands, turns)
    rows = [
        (
            f"check, {members} rows / bare python-calamine read",
            shown(times[0]),
            shown(times[1]),
            ratio(times[0], times[1], "≤ 1.5×"),
        )
    ]
    rows.append(
        (
            f"floor: a minimal Python check (a dict a row, ID checksum and birth date,"
            f" mobile shape), {members} rows / bare python-calamine read",
            shown(times[2]),
            shown(times[1]),
            ratio(times[2], times[1], "context: the least a per-row check in Python costs"),
        )
    )
    if fast:
        rows.append(
            (
                f"check, {members} rows / bare fastexcel read",
                shown(times[0]),
                shown(times[3]),
                ratio(times[0], times[3], "context"),
            )
        )
    typer_app = str(_script("minimal_typer.py", MINIMAL_TYPER))
    start = side_by_side(
        [
            [*ours, str(small)],
            [PYTHON, typer_app, "check", str(small)],
            [PYTHON, "-m", "shuanggang", "--help"],
            [PYTHON, typer_app, "--help"],
        ],
        turns * 2,
    )
    rows.append(
        (
            "start-up: check of 200 rows / minimal typer app, same read",
            shown(start[0]),
            shown(start[1]),
            ratio(start[0], start[1], "≤ 1.5×"),
        )
    )
    rows.append(
        (
            "start-up: --help / minimal typer app --help",
            shown(start[2]),
            shown(start[3]),
            ratio(start[2], start[3], "≤ 1.0×"),
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", action="store_true", help="whole processes: run()")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.processes:
        print("| what | ours | alternative | ratio |\n|---|---|---|---|")
        for row in run(args.quick):
            print("| " + " | ".join(row) + " |")
        return
    path = member_sheet(OUT / f"members_{args.members}.xlsx", args.members)
    check(path)  # warm imports and caches outside the timing
    bare_read(path)
    bare, ours = [], []
    for _ in range(args.repeat):  # alternate so both see the same machine noise
        bare.append(best_of(bare_read, path, 1))
        ours.append(best_of(check, path, 1))
    b, o = min(bare), min(ours)
    print("| what | time (s) | peak RSS (MB) |\n|---|---|---|")
    print(
        f"| bare python-calamine read, {args.members} members | {b:.2f} | "
        f"{peak_rss_mb('bare_read', path):.0f} |"
    )
    print(f"| shuanggang check | {o:.2f} | {peak_rss_mb('check', path):.0f} |")
    print(f"\ncheck / bare read = {o / b:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()
