"""The command line behind `python samples/generate.py`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .common import DEFAULT_SEED
from .scale import generate_scale
from .street import generate_samples

SAMPLES_DIR = Path(__file__).resolve().parent.parent  # where the committed samples live


def parse_scale(text: str) -> float:
    if text == "district":
        return 1.0
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("写 district 或一个正数倍数，例如 5") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("倍数必须大于 0")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成样例输入文件（或基准测试用的全区规模数据）")
    parser.add_argument("-o", "--out", type=Path, help="输出目录（默认：本脚本所在的 samples/）")
    parser.add_argument(
        "--scale",
        type=parse_scale,
        metavar="district|N",
        help="生成全区规模（district，约 5 万名团员）或其 N 倍的数据；必须同时给 -o，且不要提交",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument(
        "--service-rows",
        type=int,
        metavar="N",
        help="规模模式下服务活动台账的总行数（默认 100000 乘以倍数）",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.scale is not None:
        if args.out is None:
            parser.error("--scale 需要用 -o 指定输出目录（规模数据不要放进 samples/）")
        out = args.out.resolve()
        if out == SAMPLES_DIR or SAMPLES_DIR in out.parents:
            parser.error("规模数据不要写进 samples/")
        summary = generate_scale(out, args.scale, args.seed, args.service_rows)
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        files = generate_samples((args.out or SAMPLES_DIR).resolve(), args.seed)
        for path in files:
            print(path.name)
    print(f"用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return 0
