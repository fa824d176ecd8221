"""The command line behind `python samples/generate.py`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .city import CITY_COMMUNITIES
from .common import DEFAULT_SEED
from .scale import DISTRICT_COMMUNITIES, generate_scale
from .street import generate_samples

SAMPLES_DIR = Path(__file__).resolve().parent.parent  # where the committed samples live


def parse_scale(text: str) -> tuple[float, int | None]:
    """The factor, and the communities to invent (`city`: 1,510, the data grown with them)."""
    if text == "district":
        return 1.0, None
    if text == "city":
        return CITY_COMMUNITIES / DISTRICT_COMMUNITIES, CITY_COMMUNITIES
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("写 district、city 或一个正数倍数，例如 5") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("倍数必须大于 0")
    return value, None


def parse_communities(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("社区数应为正整数，例如 1510") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("社区数必须大于 0")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成样例输入文件（或基准测试用的全区规模数据）")
    parser.add_argument("-o", "--out", type=Path, help="输出目录（默认：本脚本所在的 samples/）")
    parser.add_argument(
        "--scale",
        type=parse_scale,
        metavar="district|city|N",
        help="生成全区规模（district，约 5 万名团员、105 个社区）或其 N 倍的数据；"
        "city 为全市规模（1510 个社区，其他数据按社区数同比增加）；必须同时给 -o，且不要提交",
    )
    parser.add_argument(
        "--communities",
        type=parse_communities,
        metavar="N",
        help="规模模式下随机编造 N 个社区（约 15 个一街道），单位、台账、服务记录分布到全部社区，"
        "并写出含这些街道和社区的 shuanggang.toml；单位数（每倍 320 个）不得少于 N",
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
    if args.communities is not None and args.scale is None:
        parser.error("--communities 只用于规模模式（--scale）")
    if args.scale is not None:
        if args.out is None:
            parser.error("--scale 需要用 -o 指定输出目录（规模数据不要放进 samples/）")
        out = args.out.resolve()
        if out == SAMPLES_DIR or SAMPLES_DIR in out.parents:
            parser.error("规模数据不要写进 samples/")
        factor, communities = args.scale
        try:
            summary = generate_scale(
                out, factor, args.seed, args.service_rows, args.communities or communities
            )
        except ValueError as exc:
            parser.error(str(exc))
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        files = generate_samples((args.out or SAMPLES_DIR).resolve(), args.seed)
        for path in files:
            print(path.name)
    print(f"用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return 0
