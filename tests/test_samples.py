"""The committed samples are what `samples/generate.py` writes, byte for byte, and every
ID number in them passes the GB 11643 checksum."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shuanggang.domain import idnumber
from shuanggang.domain.privacy import mask_id
from shuanggang.resources import samples_dir

REPO_SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
SHEET_SUFFIXES = {".xlsx", ".xls", ".csv"}


def _input_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SHEET_SUFFIXES)


def _cells(path: Path) -> list[str]:
    if path.suffix == ".csv":
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
        return [cell for row in csv.reader(text.splitlines()) for cell in row]
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [
        str(cell)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for cell in row
    ]


def test_generator_reproduces_the_committed_samples(tmp_path: Path) -> None:
    # A fresh process: the generator pins openpyxl's XML writer before importing it.
    subprocess.run(
        [sys.executable, str(REPO_SAMPLES / "generate.py"), "-o", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = {p.name: p.read_bytes() for p in REPO_SAMPLES.iterdir() if p.is_file()}
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert generated, "the generator wrote nothing"
    for name, data in generated.items():
        assert committed.get(name) == data, f"samples/{name} is stale: run samples/generate.py"


def test_samples_cover_the_real_layouts() -> None:
    suffixes = {p.suffix for p in _input_files(REPO_SAMPLES)}
    assert {".xlsx", ".xls", ".csv"} <= suffixes
    gbk = [p for p in REPO_SAMPLES.glob("*.csv") if not p.read_bytes().startswith(b"\xef\xbb\xbf")]
    assert any("团员" in p.read_bytes().decode("gbk") for p in gbk), "no GBK member sheet"
    member_sheets = [p for p in _input_files(REPO_SAMPLES) if "团员信息汇总表" in p.name]
    assert 10 <= len(member_sheets) <= 15


@pytest.mark.parametrize("path", _input_files(REPO_SAMPLES), ids=lambda p: p.name)
def test_every_id_passes_the_checksum(path: Path) -> None:
    ids = [c.strip().upper() for c in _cells(path) if ID_PATTERN.match(c.strip().upper())]
    for value in ids:
        assert idnumber.check_char(value[:17]) == value[17], mask_id(value)
        assert idnumber.birth_date(value) is not None


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
