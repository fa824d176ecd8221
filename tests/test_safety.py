"""The promises of README “数据安全与可靠性”: hostile files, crashes, two users at once,
backups, privacy and injection. Each test fails if its protection is removed."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuanggang.domain.idnumber import make
from shuanggang.render.xlsx import put
from shuanggang.settings import defaults
from shuanggang.sheets.reader import read_sheet
from shuanggang.store import Workspace, init_workspace

POSIX = os.name == "posix"


def shuanggang(*args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shuanggang", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def many_sheets(folder: Path, count: int, size: int = 30) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        rows: list[list[Any]] = [
            [
                j + 1,
                f"团员{i}_{j}",
                "男",
                make("370602", date(2000, 1 + j % 12, 1 + i % 28), (i * size + j) * 2 % 1000 + 1),
                "",
                f"138{i:04d}{j:04d}",
                "临床",
                "周末",
                "是",
            ]
            for j in range(size)
        ]
        table = sm.office_rows(rows=rows)
        table[1] = [f"填表单位（盖章）：单位{i:03d}团支部"]
        paths.append(sm.write_xlsx(folder / f"单位{i:03d}.xlsx", table))
    return paths


# --- hostile and broken files ----------------------------------------------------------


def only_error(path: Path, **limits: int) -> list[str]:
    """The codes of the errors a refused file gets; no records are read from it."""
    from dataclasses import replace

    s = defaults()
    if limits:
        s = replace(s, limits=replace(s.limits, **limits))
    result = read_sheet(path, s)
    errors = [f.code for f in result.findings if f.is_error]
    assert errors and not result.records
    return errors


def test_xml_entity_bomb_is_refused_quickly(tmp_path: Path) -> None:
    good = sm.write_xlsx(tmp_path / "good.xlsx", sm.office_rows())
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, laughs if info.filename.endswith("sheet1.xml") else data)
    start = time.perf_counter()
    codes = only_error(bomb)
    assert time.perf_counter() - start < 10
    assert codes in (["file-corrupt"], ["header-missing"])  # refused, whatever the parser


def test_control_characters_do_not_break_our_workbooks(cli, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        sm.HEADER,
        [1, "张\x1f伟", "男", "bad\x07id", "", "13805351234", "", "", ""],
    ]
    path = sm.write_csv(tmp_path / "ctrl.csv", rows, "utf-8")
    result = cli("check", path, "--annotate", "-o", tmp_path / "out")
    assert result.exit_code == 1 and result.exception is None
    assert (tmp_path / "out" / "ctrl_校验结果.xlsx").is_file()


def test_empty_workbook(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "空.xlsx"
    Workbook().save(path)
    assert only_error(path) == ["header-missing"]


def test_ten_megabyte_cell(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        sm.HEADER,
        [1, "张伟", "男", sm.ID_A, "", "13805351234", "长" * 10_000_000, "", ""],
    ]
    path = sm.write_csv(tmp_path / "big.csv", rows, "utf-8")
    assert only_error(path) == ["csv-line-unreadable"]


def test_sixteen_thousand_columns(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for c, label in enumerate(sm.HEADER, 1):
        ws.cell(1, c, label)
    ws.cell(1, 16384, "最后一列")
    wb.save(tmp_path / "wide.xlsx")
    assert only_error(tmp_path / "wide.xlsx") == ["sheet-too-large"]


def test_one_row_too_many_in_csv_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "tall.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("姓名,身份证号,手机号码\n")
        fh.write("张,1,1\n" * 1_048_576)
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "from shuanggang.cli import main;"
        "sys.argv = ['shuanggang', 'check', sys.argv[1], '--json'];"
        "main()"
    )
    if not POSIX:
        pytest.skip("resource limits are POSIX-only")
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)[0]["findings"]
    assert (finding["code"], finding["cell"]) == ("sheet-too-large", "")
    assert "Traceback" not in result.stderr


# --- fuzzing the reader ----------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from([*sm.HEADER, "填表单位：某单位", "说明：无", "负责人：", "合计", "=1+1"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.lists(cell_values, max_size=10), max_size=25),
    st.lists(
        st.tuples(st.integers(1, 20), st.integers(1, 8), st.integers(0, 2), st.integers(0, 2)),
        max_size=4,
    ),
)
def test_reader_never_raises_on_random_workbooks(tmp_path_factory, rows, merges) -> None:
    from openpyxl import Workbook

    path = tmp_path_factory.mktemp("fuzz") / "random.xlsx"
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                put(ws.cell(r, c), value)  # as an office file may hold it
    for r, c, dr, dc in merges:
        if dr or dc:
            with contextlib.suppress(ValueError):
                ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    wb.save(path)
    result = read_sheet(path, defaults())  # findings or records, never an exception
    assert all(f.severity in ("error", "warning") and f.message for f in result.findings)


# --- crashes and two users at once -----------------------------------------------------


def _wait_for(predicate, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _letters(ws: Workspace) -> list[Path]:
    return [p for p in ws.out_dir.rglob("*") if p.suffix in (".html", ".docx")]


def _check_whole(path: Path) -> None:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
    else:
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.skipif(not POSIX, reason="SIGKILL is POSIX")
def test_killed_register_and_report_leave_a_sound_workspace(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", district="芝罘区", year=2026)
    sheets = many_sheets(tmp_path / "in", 40)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shuanggang",
            "register",
            *map(str, sheets),
            "--community",
            "海岸路",
            "-q",
            "-w",
            str(ws.root),
        ]
    )
    _wait_for(lambda: len(_letters(ws)) >= 4)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT count(*) FROM orgs").fetchone()[0]
    assert 0 < stored < 40
    assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == stored * 30
    conn.close()
    assert shuanggang("status", "-w", ws.root).returncode == 0
    for path in _letters(ws):
        _check_whole(path)
    again = shuanggang(
        "register", *sheets, "--community", "海岸路", "--json", "-w", ws.root, timeout=600
    )
    assert again.returncode == 0
    statuses = [r["status"] for r in json.loads(again.stdout)]
    assert statuses.count("unchanged") == stored and statuses.count("registered") == 40 - stored
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 40 * 30
    numbers = [r[0] for r in conn.execute("SELECT seq FROM letters ORDER BY seq")]
    assert numbers == list(range(1, 41))
    conn.execute(
        "INSERT INTO services (file_hash, date, member_id, minutes) SELECT"
        " (SELECT hash FROM files LIMIT 1), '2026-05-01', id, 60 FROM members"
    )
    conn.commit()
    conn.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "shuanggang", "report", "-q", "-w", str(ws.root)]
    )
    folder = ws.out_dir / "2026年度考评" / "考评结果反馈函"
    _wait_for(lambda: folder.exists() and len(list(folder.iterdir())) >= 3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for path in folder.iterdir():
        if not path.name.startswith("."):
            _check_whole(path)
    assert shuanggang("report", "-q", "-w", ws.root, timeout=600).returncode == 0
    assert len([p for p in folder.iterdir() if p.suffix == ".docx"]) == 41  # 40 + combined


def test_two_registers_at_once_both_complete(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", district="芝罘区", year=2026)
    a, b = many_sheets(tmp_path / "in", 2, size=200)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shuanggang",
                "register",
                str(p),
                "--community",
                "海岸路",
                "-q",
                "-w",
                str(ws.root),
            ]
        )
        for p in (a, b)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 400
    assert sorted(r[0] for r in conn.execute("SELECT seq FROM letters")) == [1, 2]


# --- backups ---------------------------------------------------------------------------


def test_backup_and_restore(cli, ws: Workspace, tmp_path: Path) -> None:
    first = many_sheets(tmp_path / "in", 2, size=5)
    cli("register", first[0], "--community", "海岸路", "-q", "-w", ws.root)
    target = tmp_path / "备份.zip"
    result = cli("backup", "-o", target, "-w", ws.root)
    assert result.exit_code == 0 and target.is_file()
    cli("register", first[1], "--community", "海岸路", "-q", "-w", ws.root)
    assert sqlite3.connect(ws.db_path).execute("SELECT count(*) FROM orgs").fetchone()[0] == 2
    assert cli("restore", target, "-w", ws.root).exit_code == 0
    conn = sqlite3.connect(ws.db_path)
    assert conn.execute("SELECT count(*) FROM orgs").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert list((ws.root / "backups").glob("自动备份_*恢复前.zip"))
    not_backup = tmp_path / "x.zip"
    with zipfile.ZipFile(not_backup, "w") as z:
        z.writestr("../../evil.txt", "x")
    result = cli("restore", not_backup, "-w", ws.root)
    assert result.exit_code == 1 and "不是 shuanggang 的备份文件" in result.stderr


def test_large_rewrites_take_an_automatic_backup(cli, ws: Workspace, tmp_path: Path) -> None:
    (sheet,) = many_sheets(tmp_path / "in", 1, size=5)
    cli("register", sheet, "--community", "海岸路", "-q", "-w", ws.root)
    cli("register", sheet, "--community", "海岸路", "--replace", "-q", "-w", ws.root)
    cli("assign-branches", "--rebuild", "-q", "-w", ws.root)
    names = sorted(p.name for p in (ws.root / "backups").glob("自动备份_*.zip"))
    assert any("更换名单前" in n for n in names) and any("重新编组前" in n for n in names)
    from shuanggang.store.backup import KEEP, automatic

    for _ in range(KEEP + 2):
        automatic(ws, "测试")
    assert len(list((ws.root / "backups").glob("自动备份_*.zip"))) == KEEP


# --- privacy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "demo-out"
    result = shuanggang("demo", target, timeout=600)
    assert result.returncode == 0, result.stderr
    return target


def _text(path: Path) -> str:
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            return "".join(
                z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
            )
    return path.read_text(encoding="utf-8")


def test_privacy_audit_of_the_demo(demo: Path) -> None:
    conn = sqlite3.connect(demo / "shuanggang.db")
    secrets = [r[0] for r in conn.execute("SELECT id_number FROM members")]
    secrets += [r[0] for r in conn.execute("SELECT phone FROM members WHERE phone != ''")]
    out = demo / "out"
    phones = [r[0] for r in conn.execute("SELECT phone FROM members WHERE phone != ''")]
    proofs = out / "志愿服务记录证明"
    letters = [p for p in out.rglob("*") if p.suffix in (".html", ".docx")]
    assert len(letters) >= 4 * 12
    for path in letters:  # letters leave the office: never a full ID or phone
        text = _text(path)
        if path.parent == proofs and not path.name.startswith("公示名单"):
            # a certificate goes to its member, and the rules ask for their ID number:
            # theirs alone, and no phone
            assert not [s for s in phones if s in text], path.name
            continue
        assert not [s for s in secrets if s in text], path.name
    for path in proofs.glob("20*.html"):  # one member's certificate names that member only
        assert sum(s in _text(path) for s in secrets) == 1, path.name
    for path in (proofs / "证明登记簿.xlsx", *proofs.glob("公示名单_*.xlsx")):
        assert not [s for s in secrets if s in _text(path)], path.name
    internal = [out / "2026年度考评" / "综合考评.xlsx", out / "活动团支部编组表.xlsx"]
    for path in internal:  # internal exports carry full IDs on purpose
        assert any(s in _text(path) for s in secrets[:5]), path.name
    status = shuanggang("status", "--json", "-w", demo)
    assert not [s for s in secrets if s in status.stdout + status.stderr]


def test_messages_and_json_of_check_are_masked(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        sm.HEADER,
        sm.MEMBERS[0],
        [2, "重复", "男", sm.ID_A, "", "1391234", "", "", ""],
    ]
    path = sm.write_xlsx(tmp_path / "x.xlsx", rows)
    for args in (("check", path), ("check", path, "--json")):
        result = shuanggang(*args)
        assert result.returncode == 1
        assert sm.ID_A not in result.stdout + result.stderr
        assert "1391234" not in result.stdout + result.stderr


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_workspace_files_are_owner_only(demo: Path) -> None:
    assert (demo.stat().st_mode & 0o077) == 0
    for path in [
        demo / "shuanggang.db",
        demo / "shuanggang.toml",
        *demo.glob("archive/*/*"),
        *(demo / "out").rglob("*.html"),
    ]:
        assert (path.stat().st_mode & 0o077) == 0, path


# --- injection -------------------------------------------------------------------------

HOSTILE = [
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1)",
    "  =1+2",
    "＝1+2",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
]


def test_hostile_text_in_every_output(cli, ws: Workspace, tmp_path: Path) -> None:
    from test_register import LEDGER

    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    for k, org in enumerate(("CON", "a/b\\c:d*?", "{{ 7*7 }}<b>../../evil")):
        rows: list[list[Any]] = [
            [
                i + 1,
                text,
                "男",
                make("370602", date(2000 + k, 1, 1 + i), 11),
                "",
                f"138{k}535{i:04d}",
                text,
                text,
                "是",
            ]
            for i, text in enumerate(HOSTILE)
        ]
        table = sm.office_rows(rows=rows)
        table[1] = [f"填表单位（盖章）：{org}"]
        path = sm.write_xlsx(tmp_path / f"{k}.xlsx", table)
        result = cli("register", path, "--org", org, "--json", "-w", ws.root)
        assert result.exit_code == 0, result.stdout
    cli("assign-branches", "-q", "-w", ws.root)
    for view in ("roster", "projects", "branches"):
        assert cli("export", view, "-o", ws.out_dir / f"{view}.xlsx", "-w", ws.root).exit_code == 0
    cli("check", path, "--annotate", "-o", ws.out_dir, "-w", ws.root)
    out = ws.out_dir.resolve()
    produced = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(out) for p in produced)
    assert not [p for p in ws.root.parent.rglob("*evil*") if not p.resolve().is_relative_to(out)]
    for path in produced:
        text = _text(path)
        if path.suffix == ".xlsx":
            assert "<f>" not in text, path.name  # never a formula
        else:
            assert "<script>" not in text and "<b>" not in text, path.name  # escaped
            assert "{{ 7*7 }}" in text, path.name  # shown, never evaluated
    assert {p.name for p in produced if p.suffix == ".html"} >= {
        "海岸路_未命名_CON_报到介绍信.html"
    } or any("CON" in p.name for p in produced)


def test_gbk_console_is_safe(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    result = subprocess.run(
        [sys.executable, "-m", "shuanggang", "status"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1
    assert "没有找到工作区".encode("gbk") in result.stderr


def test_backup_names_are_windows_safe(ws: Workspace) -> None:
    from shuanggang.store.backup import backup

    path = backup(ws)
    assert not re.search(r'[<>:"/\\|?*]', path.name)
    assert datetime.now().year >= 2026
