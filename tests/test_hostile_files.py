"""Files that look like one thing and are another, and small files that would become
huge: the format is told by content, and a sheet's size is known before anything dense
is built (README “数据安全与可靠性”)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sheetmaker as sm

from shuanggang.settings import defaults
from shuanggang.sheets.reader import read_sheet

WRITERS = {
    "xlsx": lambda p: sm.write_xlsx(p, sm.office_rows()),
    "xls": lambda p: sm.write_xls(p, sm.office_rows()),
    "ods": lambda p: sm.write_ods(p, sm.office_rows()),
    "csv": lambda p: sm.write_csv(p, sm.office_rows(), "utf-8"),
}


@pytest.mark.parametrize("named", ["xlsx", "xls", "ods", "csv", "XLSX", "et", "txt"])
@pytest.mark.parametrize("real", ["xlsx", "xls", "ods", "csv"])
def test_the_format_is_told_by_content_not_by_name(tmp_path: Path, real: str, named: str) -> None:
    source = WRITERS[real](tmp_path / f"real.{real}")
    renamed = tmp_path / f"团员名单.{named}"
    shutil.copyfile(source, renamed)
    result = read_sheet(renamed, defaults())
    assert [f.code for f in result.findings if f.is_error] == []
    assert result.format == real
    assert len(result.records) == len(sm.MEMBERS)
