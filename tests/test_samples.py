"""The committed samples are what `samples/generate.py` writes, byte for byte, and their
ID numbers are valid. ID numbers are checked with python-stdnum, an implementation
independent of the project's own and of the generator's."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from stdnum.cn import ric

from shuanggang.domain.privacy import mask_id
from shuanggang.resources import samples_dir

REPO_SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SHEET_SUFFIXES = {".xlsx", ".xls", ".csv"}
ID_LIKE = re.compile(r"^\d{17}[\dXx]$")  # what a cell holding an ID number looks like
FILL_DATE = date(2026, 3, 5)  # the samples' launch ceremony

# Members per organisation, as samples/README.md lists them.
MEMBERS = {
    "烟台山医院团委": 40,
    "鲁东大学法学院团委": 25,
    "山东泓信律师事务所团支部": 4,
    "芝罘区东山诚信家电维修部": 2,
    "中国银行烟台分行团委": 20,
    "鲁东大学艺术学院团委": 30,
    "烟台第十中学团委": 10,
    "百纳瑞汀酒店团支部": 6,
    "烟台星韵文化传媒有限公司团支部": 5,
    "鲁东大学信息与电气工程学院团委": 55,
    "烟台海创信息科技有限公司团支部": 3,
    "烟台海岸物业服务有限公司团支部": 4,
}
PER_MEMBER_LOG = "2026年服务活动台账_海岸路社区_进德社区.xlsx"  # the one log with ID numbers


def _input_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SHEET_SUFFIXES)


MEMBER_SHEETS = [p for p in _input_files(REPO_SAMPLES) if "团员信息汇总表" in p.name]


def _rows(path: Path) -> list[list[str]]:
    """Every row of every sheet, cells as text."""
    if path.suffix == ".csv":
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
        return list(csv.reader(text.splitlines()))
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [
        [str(cell) for cell in row]
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
    ]


def _ids(row: list[str]) -> list[str]:
    return [cell.strip() for cell in row if ID_LIKE.match(cell.strip())]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_generator_reproduces_the_committed_samples(tmp_path: Path) -> None:
    # A fresh process: the generator pins openpyxl's XML writer before importing it.
    subprocess.run(
        [sys.executable, str(REPO_SAMPLES / "generate.py"), "-o", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = {p.name: p.read_bytes() for p in _input_files(REPO_SAMPLES)}
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert generated, "the generator wrote nothing"
    for name, data in generated.items():
        assert committed.get(name) == data, f"samples/{name} is stale: run samples/generate.py"
    leftover = sorted(committed.keys() - generated.keys())
    assert not leftover, f"samples/ holds files the generator no longer writes: {leftover}"


def test_samples_cover_the_real_layouts() -> None:
    suffixes = {p.suffix for p in _input_files(REPO_SAMPLES)}
    assert {".xlsx", ".xls", ".csv"} <= suffixes
    gbk = [p for p in REPO_SAMPLES.glob("*.csv") if not p.read_bytes().startswith(b"\xef\xbb\xbf")]
    assert any("团员" in p.read_bytes().decode("gbk") for p in gbk), "no GBK member sheet"
    assert {p.name.split("_")[0] for p in MEMBER_SHEETS} == MEMBERS.keys()


@pytest.mark.parametrize("path", MEMBER_SHEETS, ids=lambda p: p.name)
def test_member_sheet_ids_are_valid(path: Path) -> None:
    """One valid ID number per member; sex and age agree with it."""
    rows = [row for row in _rows(path) if _ids(row)]
    assert len(rows) == MEMBERS[path.name.split("_")[0]]
    for row in rows:
        [number] = _ids(row)
        assert ric.is_valid(number), mask_id(number)
        assert 15 <= _age(ric.get_birth_date(number), FILL_DATE) <= 29, mask_id(number)
        sex = "男" if int(number[16]) % 2 else "女"
        genders = [cell.strip() for cell in row if cell.strip() in ("男", "女")]
        assert genders == [sex], mask_id(number)


def test_member_ids_are_unique_across_sheets() -> None:
    numbers = [n for path in MEMBER_SHEETS for row in _rows(path) for n in _ids(row)]
    assert len(numbers) == sum(MEMBERS.values())
    assert len(set(numbers)) == len(numbers)


def test_service_log_ids_are_valid_and_belong_to_members() -> None:
    members = {n for path in MEMBER_SHEETS for row in _rows(path) for n in _ids(row)}
    logged = [n for row in _rows(REPO_SAMPLES / PER_MEMBER_LOG) for n in _ids(row)]
    assert logged, "the per-member service log holds no ID numbers"
    invalid = [mask_id(n) for n in logged if not ric.is_valid(n)]
    assert not invalid
    strangers = sorted({mask_id(n) for n in logged if n not in members})
    assert not strangers, "logged ID numbers of no member"


def test_samples_ship_with_the_package() -> None:
    shipped = {p.name for p in samples_dir().iterdir()}
    assert {p.name for p in _input_files(REPO_SAMPLES)} <= shipped


@pytest.mark.parametrize(
    "path", [p for p in _input_files(REPO_SAMPLES) if "干部" not in p.name], ids=lambda p: p.name
)
def test_every_sample_reads_without_errors(path: Path) -> None:
    from shuanggang.settings import defaults
    from shuanggang.sheets.reader import read_sheet

    result = read_sheet(path, defaults())
    assert result.ok, [f.message for f in result.findings if f.is_error]
    assert result.kind and len(result.records) > 0
    if result.kind == "members":
        assert result.org_name in path.stem
