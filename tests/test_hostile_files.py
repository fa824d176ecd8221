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


# --- small files that would become huge ------------------------------------------------
# Built by hand (zip + XML strings), and checked by the real `shuanggang check` in a
# child process whose address space is capped: without the measuring, python-calamine
# aborts the process (exit 134) or passes the cap.

MEMORY_CAP = 1536 * 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def hostile_xlsx(path: Path, sheet_data: str) -> Path:
    """A minimal valid xlsx whose one sheet has `sheet_data` (rows of cells) inside."""
    import zipfile

    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets><sheet name="团员" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
            f'<dimension ref="A1"/><sheetData>{sheet_data}</sheetData></worksheet>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def hostile_ods(path: Path, table: str) -> Path:
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="团员">{table}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def cell(ref: str, text: str = "1") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def ods_cell(text: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{times}>'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


def ods_row(cells: str, repeat: int = 1) -> str:
    times = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{times}>{cells}</table:table-row>"


def capped_check(path: Path, *options: str) -> tuple[int, list[str], float]:
    """`shuanggang check --json` in a child process limited to MEMORY_CAP of address
    space: its exit code, the codes of its findings, and the seconds it took."""
    import json
    import resource
    import subprocess
    import sys
    import time

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "shuanggang", "check", str(path), "--json", *options],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        preexec_fn=cap,
    )
    seconds = time.monotonic() - start
    try:
        codes = [f["code"] for f in json.loads(done.stdout)[0]["findings"]]
    except (ValueError, KeyError, IndexError):
        codes = []
    return done.returncode, codes, seconds


needs_rlimit = pytest.mark.skipif(__import__("os").name != "posix", reason="RLIMIT_AS is POSIX")

MEMBER_HEADER = "".join(
    cell(f"{chr(65 + i)}1", label) for i, label in enumerate(["序号", "姓名", "身份证号码"])
)

HOSTILE_XLSX = {
    # 1.5 KB: two cells, 17 billion between them; calamine's allocation aborts Python
    "corners": (
        f'<row r="1">{cell("A1")}</row><row r="1048576">{cell("XFD1048576")}</row>',
        "sheet-too-large",
    ),
    # 100 columns of a million rows: 3.3 GB
    "a1-cv1048576": (
        f'<row r="1">{cell("A1")}</row><row r="1048576">{cell("CV1048576")}</row>',
        "sheet-too-large",
    ),
    # within every limit, but two cells in a rectangle of 12 million
    "stray-cell": (
        f'<row r="1">{MEMBER_HEADER}</row><row r="1000000">{cell("L1000000")}</row>',
        "sheet-sparse",
    ),
    # cells out of order: the far one first
    "unordered": (f'<row r="1">{cell("XFD1")}{cell("A1")}</row>', "sheet-too-large"),
    # an empty far row numbers the row after it, which has no number of its own
    "unnumbered-row": (
        f'<row r="1">{MEMBER_HEADER}</row><row r="1048575"/>'
        '<row><c t="inlineStr"><is><t>x</t></is></c></row>',
        "sheet-sparse",
    ),
}


@needs_rlimit
@pytest.mark.parametrize("case", sorted(HOSTILE_XLSX))
def test_hostile_xlsx_is_refused_before_it_is_built(tmp_path: Path, case: str) -> None:
    data, code = HOSTILE_XLSX[case]
    path = hostile_xlsx(tmp_path / f"{case}.xlsx", data)
    assert path.stat().st_size < 4096
    exit_code, codes, seconds = capped_check(path)
    assert (exit_code, codes) == (1, [code])
    assert seconds < 60


@needs_rlimit
def test_far_columns_on_every_row_are_refused(tmp_path: Path) -> None:
    """A 2 MB file within the file limits whose rows reach column CV: 10 million cells
    for 200,000 values."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="CV{r}"><v>1</v></c></row>'
        for r in range(1, 100_001)
    )
    path = hostile_xlsx(tmp_path / "far.xlsx", rows)
    exit_code, codes, seconds = capped_check(path)
    assert (exit_code, codes) == (1, ["sheet-sparse"])
    assert seconds < 60


HOSTILE_ODS = {
    # one filled row repeated two million times: 1.4 KB
    "rows": (ods_row(ods_cell("张伟", 3), 2_000_000), "sheet-too-large"),
    # one filled cell repeated across 20,000 columns
    "columns": (ods_row(ods_cell("x", 20_000)), "sheet-too-large"),
    # empty rows repeated to the end, then one filled row past them
    "empty-then-far": (
        ods_row(ods_cell("序号") + ods_cell("姓名"))
        + ods_row("<table:table-cell/>", 1_048_000)
        + ods_row(ods_cell("x", 12)),
        "sheet-sparse",
    ),
}


@needs_rlimit
@pytest.mark.parametrize("case", sorted(HOSTILE_ODS))
def test_hostile_ods_is_refused_before_it_is_built(tmp_path: Path, case: str) -> None:
    table, code = HOSTILE_ODS[case]
    path = hostile_ods(tmp_path / f"{case}.ods", table)
    exit_code, codes, seconds = capped_check(path)
    assert (exit_code, codes) == (1, [code])
    assert seconds < 60


@needs_rlimit
def test_a_million_repeated_bad_rows_stop_at_the_findings_limit(tmp_path: Path) -> None:
    """A real-sized sheet (a member row repeated 1,048,000 times, within every limit)
    that is wrong on each row: the findings stop at limits.max_findings."""
    header = "".join(ods_cell(h) for h in sm.HEADER)
    member = "".join(
        ods_cell(str(v)) for v in [1, "张伟", "男", "12345", "", "1380535", "", "", ""]
    )
    path = hostile_ods(tmp_path / "重复.ods", ods_row(header) + ods_row(member, 1_048_000))
    assert path.stat().st_size < 4096
    exit_code, codes, seconds = capped_check(path)
    assert exit_code == 1 and "too-many-findings" in codes
    assert len(codes) == defaults().limits.max_findings + 1
    assert seconds < 120


def test_office_files_with_far_empty_cells_and_rows_are_read(tmp_path: Path) -> None:
    """What office programs write past the table is not content: LibreOffice's empty
    rows repeated to the sheet's end, Excel's styled empty cells and resized empty rows."""
    ods = sm.write_ods(tmp_path / "lo.ods", sm.office_rows())
    xml = _zip_text(ods, "content.xml")
    tail = ods_row('<table:table-cell table:number-columns-repeated="1024"/>', 1_048_550)
    _zip_replace(ods, "content.xml", xml.replace("</table:table>", tail + "</table:table>", 1))
    rows = [
        f'<row r="1">{MEMBER_HEADER}</row>',
        *(
            f'<row r="{r}">{cell(f"A{r}", str(r))}{cell(f"B{r}", "张伟")}</row>'
            for r in range(2, 5)
        ),
        '<row r="5"><c r="Z5" s="1"/></row>',
        '<row r="900000" ht="30" customHeight="1"/>',
        '<row r="1048570"><c r="ZZ1048570" s="1"/><c r="AAA1048570" s="2"/></row>',
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',
    ]
    xlsx = hostile_xlsx(tmp_path / "excel.xlsx", "".join(rows))
    for path in (ods, xlsx):
        result = read_sheet(path, defaults())
        assert not {f.code for f in result.findings} & {"sheet-too-large", "sheet-sparse"}, path
        assert result.layout is not None


def _zip_text(path: Path, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _zip_replace(path: Path, name: str, text: str) -> None:
    import zipfile

    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, text.encode("utf-8") if info.filename == name else data)


# Files the quick look must leave to the careful measure: each is within reach of a
# cheap pass that trusted row tags, column letters or digits too far.
NOT_QUICK = {
    **{case: data for case, (data, _) in HOSTILE_XLSX.items()},
    # a far cell in a row whose tag says row 2
    "cell-below-its-row": f'<row r="1">{MEMBER_HEADER}</row><row r="2">{cell("A999999")}</row>',
    # rows numbered downwards: the last tag is the smallest
    "rows-downwards": f'<row r="900000">{cell("A900000")}</row><row r="2">{cell("A2")}</row>',
    # a two-letter column
    "wide": f'<row r="1">{cell("A1")}{cell("AB1")}</row>',
    # a cell whose reference is not first
    "reference-later": '<row r="1"><c t="inlineStr" r="XFD1"><is><t>x</t></is></c></row>',
    # a namespace prefix on the cells
    "prefixed": '<row r="1"><x:c r="A1"><x:v>1</x:v></x:c></row>',
}


@pytest.mark.parametrize("case", sorted(NOT_QUICK))
def test_the_quick_look_leaves_doubtful_sheets_to_the_careful_measure(
    tmp_path: Path, case: str
) -> None:

    path = hostile_xlsx(tmp_path / f"{case}.xlsx", NOT_QUICK[case])
    assert _quick_look(path) == (False, None)


def _quick_look(path: Path) -> tuple[bool, object]:
    import zipfile

    from shuanggang.sheets.workbook import _xlsx_fits

    with zipfile.ZipFile(path) as archive:
        return _xlsx_fits(archive, "xl/worksheets/sheet1.xml", defaults().limits)


def test_the_quick_look_accepts_office_sheets(tmp_path: Path) -> None:
    from shuanggang.sheets.workbook import _xlsx_hidden_rows

    path = sm.write_xlsx(tmp_path / "m.xlsx", sm.office_rows(), hidden_rows=[7, 8, 11])
    # the hidden rows come from the same pass, as the dedicated scan finds them
    fits, runs = _quick_look(path)
    assert fits
    assert runs == _xlsx_hidden_rows(path, "xl/worksheets/sheet1.xml") == ((6, 8), (10, 11))
    rows = "".join(
        f'<row r="{r}">' + "".join(cell(f"{c}{r}", "张伟") for c in "ABCDEFGHIJKL") + "</row>"
        for r in range(1, 12_001)
    )
    path = hostile_xlsx(tmp_path / "big.xlsx", rows)
    assert _quick_look(path) == (True, ())


def test_a_hidden_row_without_its_number_is_counted_after_the_quick_look(tmp_path: Path) -> None:
    """The quick look needs numbered rows to place a hidden one; when the hidden row has
    no number it leaves the rows to the counting scan, which places it by position."""
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>张伟</t></is></c></row>'
        '<row hidden="1"><c r="A3" t="inlineStr"><is><t>李娜</t></is></c></row>'
    )
    path = hostile_xlsx(tmp_path / "unnumbered.xlsx", body)
    from shuanggang.sheets.workbook import _xlsx_hidden_rows

    assert _quick_look(path) == (False, None)
    assert _xlsx_hidden_rows(path, "xl/worksheets/sheet1.xml") == ((2, 3),)
