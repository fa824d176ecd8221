"""What the commands print is safe to print (README “数据安全与可靠性”):

- text from a spreadsheet is never console markup or a terminal control sequence: an org
  named `单位[/b]丙`, a member named `[link=http://x]李[/link]`, a file `名单[x].csv` and an
  ESC sequence in a name are shown literally, after the command has done its work as it
  would for ordinary text;
- an ID number or a mobile is masked by its shape wherever it appears (in 性别, in a name,
  in 服务时长 …), in messages, tables and JSON alike.

Each test fails if its protection is removed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from test_register import LEDGER

from shuanggang.domain.findings import ERROR, Finding
from shuanggang.domain.idnumber import make
from shuanggang.domain.privacy import mask_text
from shuanggang.store import init_workspace

ESC = "\x1b[31m"


@dataclass(frozen=True)
class Names:
    """The inputs that differ between an ordinary year and a hostile one."""

    tag: str  # in every file name
    org: str
    project: str
    linked: str  # a member
    red: str  # a member
    stranger: str  # not a member: a service log naming them is refused, quoting the name
    linked_stranger: str  # not a member either
    gender: str  # not a gender: check reports it, quoting the cell
    workspace: str


PLAIN = Names("", "单位乙丙", "健康义诊进社区", "李小", "王红", "赵六", "钱七", "男男", "工作区")
HOSTILE = Names(
    "[x]",
    "单位[/b]丙",
    "健康义诊[/b]进:smile:社区",
    "[link=http://x]李[/link]",
    f"王{ESC}红",
    f"赵{ESC}六",
    "[link=http://x]钱[/link]",
    f"男{ESC}",
    "工作区[/b]",
)


def _year(cli, tmp: Path, n: Names) -> tuple[Path, list[tuple[str, Any]]]:
    """Every command that shows inputs, once each, on a workspace made of `n`."""
    tmp.mkdir()
    root = init_workspace(tmp / n.workspace, district="芝罘区", year=2026).root
    ledger = [list(row) for row in LEDGER]
    ledger[3][1] = n.project
    members = [list(row) for row in sm.MEMBERS]
    members[0][1], members[1][1] = n.linked, n.red
    sheet = sm.office_rows(rows=members)
    sheet[1] = [f"填表单位（盖章）：{n.org}"]
    sheet[2] = ["报到社区：海岸路社区"]
    bad = [list(row) for row in sm.MEMBERS]
    bad[2][1], bad[2][2] = n.red, n.gender
    log: list[list[Any]] = [
        ["日期", "社区", "报到单位", "姓名", "服务时长（小时）"],
        ["2026-03-14", "海岸路社区", n.org, n.linked, 2],
        ["2026-03-15", "海岸路社区", n.org, n.red, 2],
    ]
    stray = [
        *log[:2],
        ["2026-03-16", "海岸路社区", n.org, n.stranger, 2],
        ["2026-03-17", "海岸路社区", n.org, n.linked_stranger, 2],
    ]

    def csv(name: str, rows: list[Any]) -> Path:  # CSV: xlsx cannot hold an ESC
        return sm.write_csv(tmp / f"{name}{n.tag}.csv", rows, encoding="utf-8")

    runs = [
        (
            "projects import",
            ("projects", "import", sm.write_xlsx(tmp / f"台账{n.tag}.xlsx", ledger)),
        ),
        ("check", ("check", csv("坏名单", sm.office_rows(rows=bad)))),
        ("register", ("register", csv("名单", sheet), "--claim", "2026-01", "--letters", "none")),
        ("projects list", ("projects", "list")),
        ("assign-branches", ("assign-branches",)),
        ("services import", ("services", "import", csv("服务", log))),
        ("services refused", ("services", "import", csv("另一服务", stray))),
        ("report", ("report", "--letters", "none")),
        ("status", ("status",)),
        ("register --json", ("register", csv("名单", sheet), "--dry-run", "--replace", "--json")),
    ]
    return root, [(label, cli(*args, "-w", root)) for label, args in runs]


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from conftest import Result
    from typer.testing import CliRunner

    from shuanggang.cli import app

    runner = CliRunner()

    def cli(*args: object) -> Result:
        out = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})
        exception = None if isinstance(out.exception, SystemExit) else out.exception
        return Result(out.exit_code, out.stdout, out.stderr, exception)

    base = tmp_path_factory.mktemp("years")
    _, plain = _year(cli, base / "plain", PLAIN)
    root, hostile = _year(cli, base / "hostile", HOSTILE)
    return {"plain": plain, "hostile": hostile, "root": root, "files": base / "hostile"}


def test_hostile_text_runs_every_command_as_ordinary_text_does(years) -> None:
    plain, hostile = years["plain"], years["hostile"]
    assert [(label, r.exception) for label, r in hostile] == [(label, None) for label, _ in plain]
    assert [(label, r.exit_code) for label, r in hostile] == [
        (label, r.exit_code) for label, r in plain
    ]
    codes = dict((label, r.exit_code) for label, r in plain)
    assert codes["register"] == codes["report"] == codes["status"] == 0
    assert codes["services refused"] == 1


def test_hostile_text_is_shown_literally(years) -> None:
    out = {label: r.stdout + r.stderr for label, r in years["hostile"]}
    for label, text in out.items():
        assert "\x1b" not in text, label  # no raw escape sequence reaches the terminal
    for label in ("register", "projects list", "assign-branches", "report"):
        assert "单位[/b]丙" in out[label], label
    assert "工作区[/b]" in out["status"]  # a title: the workspace path
    assert "名单[x].csv" in out["register"]  # not 名单.csv
    assert "坏名单[x].csv" in out["check"]
    assert "健康义诊[/b]进:smile:社区" in out["projects list"]  # no emoji either
    assert r"男\x1b[31m" in out["check"]  # the ESC spelled out, in the check table
    assert r"赵\x1b[31m六" in out["services refused"]
    assert "[link=http://x]钱[/link]" in out["services refused"]
    assert "单位[/b]丙" in out["status"]  # the to-do lines
    data = json.loads(years["hostile"][-1][1].stdout)  # JSON keeps the text exact
    assert data[0]["org"] == "单位[/b]丙"


def test_control_characters_are_spelled_out_everywhere() -> None:
    from shuanggang.cli.common import json_text, shown

    hostile = "a\x1b[2Jb\x07c\rd\x7fe\x9b31mf\u202eg\u2066h\x00i"
    text = shown(hostile)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\u2066]", text)
    assert text == r"a\x1b[2Jb\x07c\x0dd\x7fe\x9b31mf\u202eg\u2066h\x00i"
    assert shown("第一行\n\t第二行") == "第一行\n\t第二行"
    document = json_text({"name": hostile})
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\u2066]", document)
    assert json.loads(document) == {"name": hostile}


def test_no_command_builds_a_table_or_prints_around_the_sanitiser() -> None:
    """Tables come from common.safe_table, messages go through Ui or report_error."""
    cli = Path(__file__).parent.parent / "shuanggang" / "cli"
    bare = re.compile(r"from rich\.(table|text) import|\bprint\(|typer\.echo|\.print\(")
    for path in cli.glob("*.py"):
        if path.name in ("common.py", "__init__.py"):
            continue
        assert not bare.search(path.read_text(encoding="utf-8")), path.name


@pytest.mark.skipif(os.name != "posix", reason="a colour terminal, as on an office PC")
def test_a_colour_terminal_gets_no_sequence_from_a_file(years, tmp_path: Path) -> None:
    """In a real process that believes it writes to a colour terminal, rich emits its own
    styles, but no sequence, hyperlink or markup from a spreadsheet."""
    env = {**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "160"}
    env.pop("NO_COLOR", None)
    workspace = years["root"]
    for args in (("projects", "list"), ("status",), ("report", "--letters", "none")):
        run = subprocess.run(
            [sys.executable, "-m", "shuanggang", *args, "-w", str(workspace)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
        )
        out = run.stdout + run.stderr
        assert run.returncode == 0, out
        assert "\x1b[" in out  # it did believe it was a colour terminal
        assert "\x1b]8;" not in out  # no hyperlink
        assert "单位[/b]丙" in out
    log = years["files"] / "另一服务[x].csv"
    run = subprocess.run(
        [sys.executable, "-m", "shuanggang", "services", "import", str(log), "-w", str(workspace)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert run.returncode == 1
    assert f"赵{ESC}" not in run.stderr and r"赵\x1b[31m六" in run.stderr
    assert "\x1b]8;" not in run.stderr and "[link=http://x]钱[/link]" in run.stderr


# --- personal numbers, masked by their shape ---------------------------------------------

ID_IN_GENDER = make("370602", date(1998, 7, 7), 771)
ID_IN_NAME = make("370613", date(1997, 6, 6), 882)
ID_IN_BIRTH = make("370602", date(1996, 5, 5), 993)
OLD_ID_IN_SLOTS = "370602960505993"  # 15 digits
MOBILE_IN_CONSENT = "13905350001"
MOBILE_IN_SKILLS = "+86 137 0535 0002"
MOBILE_IN_HOURS = "18605350003"
SECRETS = [
    ID_IN_GENDER,
    ID_IN_NAME,
    ID_IN_BIRTH,
    OLD_ID_IN_SLOTS,
    MOBILE_IN_CONSENT,
    MOBILE_IN_SKILLS,
    "13705350002",
    MOBILE_IN_HOURS,
]
UNMASKED = re.compile(r"(?<!\d)(?:\d{14,17}[\dXx]|1[3-9]\d{9})(?!\d)")


def assert_masked(text: str, label: str = "") -> None:
    assert not [s for s in SECRETS if s in text], label
    assert not UNMASKED.findall(text), label


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("370602200005171234", "370602********1234"),
        ("37060220000517123X", "370602********123X"),
        ("张伟370602200005171234", "张伟370602********1234"),
        ("旧号370602000517123。", "旧号370602*****7123。"),
        ("备注：张伟 3706022000051712…", "备注：张伟 370602******1712…"),  # shortened
        ("13805351234", "138****1234"),
        ("电话：138-0535-4321，", "电话：138****4321，"),
        ("+86 139 0535 6789", "+86 139****6789"),
        ("13805351234.0", "138****1234.0"),
        # not personal numbers: left as they are
        ("20260305", "20260305"),
        ("2026-01 健康义诊", "2026-01 健康义诊"),
        ("0535-6612345", "0535-6612345"),
        ("1380535123", "1380535123"),
        ("12345678901234567890", "12345678901234567890"),
        ("服务 1.5 小时，金额 12000.50 元", "服务 1.5 小时，金额 12000.50 元"),
        ("370602********1234 138****1234", "370602********1234 138****1234"),
    ],
)
def test_mask_text_masks_by_shape(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_a_finding_masks_numbers_in_any_of_its_texts() -> None:
    f = Finding(
        ERROR,
        f"“{ID_IN_GENDER}”无法识别",
        hint=f"联系 {MOBILE_IN_CONSENT}",
        field="gender",
        value=ID_IN_GENDER,
        code="gender-invalid",
    )
    document = f.as_dict()
    assert_masked(json.dumps(document, ensure_ascii=False))
    assert (
        document["value"]
        == mask_text(ID_IN_GENDER)
        == ID_IN_GENDER[:6] + "********" + ID_IN_GENDER[-4:]
    )


def _members_with_numbers_everywhere(folder: Path) -> Path:
    rows: list[list[Any]] = [
        [
            1,
            "张伟",
            ID_IN_GENDER,
            sm.ID_A,
            "2000.05",
            "13805351234",
            "临床医学",
            "周末",
            MOBILE_IN_CONSENT,
        ],
        [
            2,
            f"李{ID_IN_NAME}",
            "女",
            sm.ID_B,
            ID_IN_BIRTH,
            "138-0535-4321",
            MOBILE_IN_SKILLS,
            "周末",
            "是",
        ],
        [3, "王强", "男", sm.ID_C, "199912", "13905356789", "家电维修", OLD_ID_IN_SLOTS, "否"],
    ]
    return sm.write_xlsx(folder / "名单.xlsx", sm.office_rows(rows=rows))


def _log_with_a_mobile_for_hours(folder: Path) -> Path:
    rows: list[list[Any]] = [
        ["日期", "社区", "报到单位", "姓名", "服务时长（小时）"],
        ["2026-03-14", "海岸路社区", "烟台山医院团委", "张伟", MOBILE_IN_HOURS],
        ["2026-03-15", "海岸路社区", "烟台山医院团委", ID_IN_NAME, 2],
    ]
    return sm.write_xlsx(folder / "服务.xlsx", rows)


def test_numbers_in_the_wrong_column_are_masked_in_messages_and_json(
    cli, ws, tmp_path: Path
) -> None:
    members = _members_with_numbers_everywhere(tmp_path)
    log = _log_with_a_mobile_for_hours(tmp_path)
    runs = {
        "check": cli("check", members),
        "check --json": cli("check", members, "--json"),
        "check log": cli("check", log),
        "check log --json": cli("check", log, "--json"),
        "register --json": cli("register", members, "--letters", "none", "--json", "-w", ws.root),
        "register": cli(
            "register", members, "--replace", "--dry-run", "--letters", "none", "-w", ws.root
        ),
        "services import": cli("services", "import", log, "-w", ws.root),
        "services import --json": cli("services", "import", log, "--json", "-w", ws.root),
        "status --json": cli("status", "--json", "-w", ws.root),
    }
    for label, result in runs.items():
        assert result.exception is None, label
        assert_masked(result.stdout + result.stderr, label)
    # the numbers were reported (masked), not dropped
    check = runs["check"].stdout + runs["check"].stderr
    assert mask_text(ID_IN_GENDER) in check
    assert mask_text(MOBILE_IN_CONSENT) in check
    findings = [f for r in json.loads(runs["check log --json"].stdout) for f in r["findings"]]
    assert any(f["value"] == mask_text(MOBILE_IN_HOURS) for f in findings)
    registered = json.loads(runs["register --json"].stdout)
    assert registered[0]["status"] == "registered"


def test_an_error_message_is_masked(cli, ws, tmp_path: Path) -> None:
    """report_error masks whatever an error quotes (here a file name), and so does the
    finding of a file that is not there."""
    missing = tmp_path / f"{ID_IN_NAME}备份.zip"
    result = cli("restore", missing, "-w", ws.root)
    assert result.exit_code == 1 and "找不到备份文件" in result.stderr
    assert_masked(result.stdout + result.stderr)
    for args in (("check", missing), ("check", missing, "--json")):
        result = cli(*args)
        assert result.exit_code == 1 and mask_text(ID_IN_NAME) in result.stdout + result.stderr
        assert_masked(result.stdout + result.stderr)


def test_errors_are_masked_when_made_and_nothing_is_logged() -> None:
    from shuanggang.errors import InputRejected

    error = InputRejected(f"{ID_IN_NAME} 已登记", f"联系 {MOBILE_IN_CONSENT}")
    assert_masked(f"{error} {error.message} {error.hint} {error!r}")
    package = Path(__file__).parent.parent / "shuanggang"
    logging = re.compile(r"^\s*(import logging|from logging|import warnings)|\blogging\.", re.M)
    for path in package.rglob("*.py"):  # no log file for a number to end up in
        assert not logging.search(path.read_text(encoding="utf-8")), path
