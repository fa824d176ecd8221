"""The Python API: `shuanggang.open_workspace` on the demo year — each view's rows and
dtypes, masking, the snapshot, the assessment against `report --json`, docs/api.md's
example run as written, and `import shuanggang` staying light."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_register import member_sheet
from typer.testing import CliRunner

import shuanggang
from shuanggang.cli import app
from shuanggang.domain.privacy import mask_id, mask_phone
from shuanggang.errors import StoreError, WorkspaceError
from shuanggang.store import Workspace

DOC = Path(__file__).parent.parent / "docs" / "api.md"
VIEWS = (
    "orgs",
    "members",
    "projects",
    "claims",
    "branches",
    "services",
    "consultations",
    "certificates",
)
TABLE_OF = {"orgs": "orgs", "members": "members", "projects": "projects", "claims": "claims"}
TABLE_OF |= {"branches": "branches", "services": "services", "consultations": "consultations"}
TABLE_OF |= {"certificates": "certificates"}
ID_SHAPED = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
MOBILE_SHAPED = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _blocks(language: str, after: str = "") -> list[str]:
    """The fenced code blocks of docs/api.md in `language`, from the heading `after` on."""
    text = DOC.read_text(encoding="utf-8")
    if after:
        text = text[text.index(after) :]
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


EXAMPLE = "## 示例"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo year, built by the command docs/api.md gives."""
    (command,) = [
        line for block in _blocks("console", EXAMPLE) for line in block.splitlines() if line
    ]
    program, *args = command.split()
    assert program == "shuanggang" and args[0] == "demo"
    folder = tmp_path_factory.mktemp("api")
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return folder / args[1]


@pytest.fixture
def copy(demo: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace a test may change."""
    return Path(shutil.copytree(demo, tmp_path / "demo"))


@pytest.fixture
def ws(demo: Path) -> Iterator[shuanggang.WorkspaceView]:
    with shuanggang.open_workspace(demo) as view:
        yield view


def _count(root: Path, table: str) -> int:
    import sqlite3

    conn = sqlite3.connect(root / "shuanggang.db")
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


# --- rows ----------------------------------------------------------------------------


def test_every_view_lists_every_row_of_its_table(ws, demo: Path) -> None:
    for name in VIEWS:
        view = getattr(ws, name)
        assert len(view) == _count(demo, TABLE_OF[name]) > 0, name
        assert len(list(view)) == len(view)


def test_rows_are_frozen_dataclasses_with_documented_types(ws) -> None:
    for name in (*VIEWS, "assessment"):
        row = next(iter(getattr(ws, name)))
        assert dataclasses.is_dataclass(row) and type(row).__doc__, name
        field = dataclasses.fields(row)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(row, field, None)


def test_rows_join_by_their_keys(ws) -> None:
    orgs = {o.org_id: o for o in ws.orgs}
    members = {m.member_id: m for m in ws.members}
    projects = {p.project_id for p in ws.projects}
    branches = {b.branch_id: b for b in ws.branches}
    for m in members.values():
        assert m.org == orgs[m.org_id].org and m.community == orgs[m.org_id].community
        assert m.branch_id is None or branches[m.branch_id].branch == m.branch
    for s in ws.services:
        assert members[s.member_id].name == s.member
        assert s.project_id is None or s.project_id in projects
        assert isinstance(s.hours, float) and s.hours > 0
    for c in ws.claims:
        assert c.project_id in projects and c.org_id in orgs
    # a branch's size is the number of members placed in it
    sizes: dict[int, int] = {}
    for m in members.values():
        if m.branch_id is not None:
            sizes[m.branch_id] = sizes.get(m.branch_id, 0) + 1
    assert {b.branch_id: b.members for b in branches.values()} == sizes


def test_the_demo_services_carry_a_category_and_a_date_of_the_year(ws) -> None:
    services = list(ws.services)
    assert all(s.category for s in services)
    assert {s.date.year for s in services} == {ws.year}


# --- DataFrames ------------------------------------------------------------------------


def test_dtypes(ws) -> None:
    pd = pytest.importorskip("pandas")
    types = pd.api.types
    members = ws.members.to_pandas()
    for column in ("birth", "joined", "left_on"):
        assert types.is_datetime64_any_dtype(members[column]), column
    assert members.birth.notna().all()
    for column in ("street", "community", "category", "gender"):
        assert isinstance(members[column].dtype, pd.CategoricalDtype), column
    assert str(members.member_id.dtype) == "int64" and str(members.branch_id.dtype) == "Int64"
    assert str(members.consent.dtype) == "boolean"

    services = ws.services.to_pandas()
    assert types.is_datetime64_any_dtype(services.date)
    assert str(services.hours.dtype) == "float64" and str(services.rating.dtype) == "float64"
    assert isinstance(services.category.dtype, pd.CategoricalDtype)
    assert services.hours.sum() == pytest.approx(sum(s.hours for s in ws.services))

    for name in ("orgs", "claims", "consultations"):
        frame = getattr(ws, name).to_pandas()
        dates = [c for c in frame.columns if c in ("registered_on", "claimed_on", "date")]
        assert dates and all(types.is_datetime64_any_dtype(frame[c]) for c in dates), name

    assessment = ws.assessment.to_pandas()
    assert assessment.grade.dtype.ordered
    assert list(assessment.grade.dtype.categories) == ["不合格", "基本合格", "合格", "优秀"]
    for column in ("score", "participation", "hours", "participation_raw", "rating_weight"):
        assert str(assessment[column].dtype) == "float64", column

    for name in VIEWS:
        frame = getattr(ws, name).to_pandas()
        assert len(frame) == len(getattr(ws, name))
        assert list(frame.columns) == [
            f.name for f in dataclasses.fields(getattr(ws, name).row_type)
        ]


def test_a_loose_date_is_its_periods_first_day(ws, demo: Path) -> None:
    pd = pytest.importorskip("pandas")
    joined = ws.members.to_pandas().joined
    texts = [m.joined for m in ws.members]
    month_only = [i for i, t in enumerate(texts) if len(t) == 7]
    assert month_only  # the demo's rosters give 入团年月 to the month
    assert joined[month_only[0]] == pd.Timestamp(texts[month_only[0]] + "-01")


def test_chinese_headers_are_the_exports(ws, demo: Path) -> None:
    pytest.importorskip("pandas")
    from openpyxl import load_workbook

    members = ws.members.to_pandas(labels="zh")
    for header in ("身份证号", "手机号码", "报到单位", "报到社区", "活动团支部", "服务类别"):
        assert header in members.columns
    services = ws.services.to_pandas(labels="zh")
    assert "服务时长（小时）" in services.columns and "日期" in services.columns
    (workbook,) = demo.glob("out/*年度考评/综合考评.xlsx")
    book = load_workbook(workbook, read_only=True)
    try:  # a read-only workbook holds its file open until closed
        sheet = book["组织考评"]
        headers = [c for c in next(sheet.iter_rows(max_row=1, values_only=True)) if c]
    finally:
        book.close()
    assert list(ws.assessment.to_pandas(labels="zh").columns[1:]) == headers


def test_labels_must_be_en_or_zh(ws) -> None:
    pytest.importorskip("pandas")
    with pytest.raises(ValueError):
        ws.orgs.to_pandas(labels="fr")


# --- masking ---------------------------------------------------------------------------


def test_personal_numbers_are_masked_unless_asked_for(ws) -> None:
    pd = pytest.importorskip("pandas")
    full = ws.members.rows(unmasked=True)
    shown = list(ws.members)
    assert [m.id_number for m in shown] == [mask_id(m.id_number) for m in full]
    assert [m.phone for m in shown] == [mask_phone(m.phone) if m.phone else "" for m in full]
    assert all(ID_SHAPED.fullmatch(m.id_number) for m in full)
    frame = ws.members.to_pandas()
    assert list(frame.id_number) == [m.id_number for m in shown]
    assert list(ws.members.to_pandas(unmasked=True).phone) == [m.phone for m in full]
    contacts = ws.projects.to_pandas()
    assert not contacts.contact_phone.str.fullmatch(r"1\d{10}").any()
    # Nowhere in any view's frame does a full ID number or mobile show by default.
    for name in (*VIEWS, "assessment"):
        frame = getattr(ws, name).to_pandas()
        text = frame.astype(str).to_csv()
        assert not ID_SHAPED.search(text) and not MOBILE_SHAPED.search(text), name
    assert isinstance(frame, pd.DataFrame)


# --- the snapshot ----------------------------------------------------------------------


def _register_elsewhere(root: Path, tmp_path: Path) -> None:
    sheet = member_sheet(tmp_path, org="某新单位团支部")
    done = subprocess.run(
        [sys.executable, "-m", "shuanggang", "register", sheet, "--letters", "none", "-w", root],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_a_register_in_another_process_does_not_change_an_open_view(
    copy: Path, tmp_path: Path
) -> None:
    with shuanggang.open_workspace(copy) as ws:
        orgs = list(ws.orgs)  # read before the change
        _register_elsewhere(copy, tmp_path)
        # read after it: still the store as it was when opened
        members, assessment = list(ws.members), list(ws.assessment)
        assert len(ws.orgs) == len(orgs)
        assert {m.org_id for m in members} == {o.org_id for o in orgs}
        assert len(members) == 204 and len(assessment) == len(orgs)
    with shuanggang.open_workspace(copy) as again:
        assert len(again.orgs) == len(orgs) + 1
        assert len(again.members) > len(members)


def test_opening_and_reading_never_write_the_workspace(copy: Path) -> None:
    def state() -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(copy.iterdir())
            if p.is_file()
        }

    before = state()
    with shuanggang.open_workspace(copy) as ws:
        for name in (*VIEWS, "assessment"):
            list(getattr(ws, name))
    assert state() == before


# --- one source of figures ----------------------------------------------------------------


def test_the_assessment_is_report_json(cli, copy: Path) -> None:
    with shuanggang.open_workspace(copy) as ws:
        rows = list(ws.assessment)
        year = ws.year
    result = cli("report", "--json", "--letters", "none", "-w", copy)
    assert result.exit_code == 0, result.stderr
    reported = json.loads(result.stdout)
    assert reported["year"] == year
    mine: list[dict[str, Any]] = [
        {
            "org": r.org,
            "community": r.community,
            "score": r.score,
            "grade": r.grade,
            "parts": {i.key: i.score for i in r.items},
            "items": [
                {
                    "item": i.key,
                    "label": i.label,
                    "raw": None if i.raw is None else round(i.raw, 4),
                    "score": i.score,
                    "weight": i.weight,
                    "applicable": i.applicable,
                }
                for i in r.items
            ],
            "note": r.note,
        }
        for r in rows
    ]
    assert mine == reported["orgs"]
    assert {r.grade for r in rows} >= {"优秀", "合格"}


def test_another_years_assessment(ws) -> None:
    earlier = list(ws.assessment_of(ws.year - 1))
    assert earlier and all(r.services == 0 and r.grade == "不合格" for r in earlier)


# --- the docs' example -----------------------------------------------------------------


def test_the_docs_example_runs_as_written(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    monkeypatch.chdir(demo.parent)
    scope: dict[str, Any] = {}
    blocks = _blocks("python", EXAMPLE)
    assert len(blocks) >= 4
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), scope)
    by_street, hours, fewest = scope["by_street"], scope["hours"], scope["fewest"]
    assessment = scope["assessment"]
    # the figures agree with the assessment's own counts
    assert scope["registered"].member_id.size == assessment.members.sum()
    total_active = assessment.active.sum() / assessment.members.sum()
    assert by_street.mean() == pytest.approx(total_active)  # the demo has one street
    assert hours.to_numpy().sum() == pytest.approx(assessment.hours.sum())
    assert set(hours.columns) <= set(range(1, 13))
    assert 0 < len(fewest) <= 10
    assert list(fewest.active_per_100) == sorted(fewest.active_per_100)


def test_the_docs_name_every_field_of_every_row_type() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("OrgRow", "MemberRow", "ProjectRow", "ClaimRow", "BranchRow", "ServiceRow"):
        _fields_documented(text, name)
    _fields_documented(text, "ConsultationRow")
    _fields_documented(text, "CertificateRow")
    _fields_documented(text, "OrgAssessment", also=shuanggang.ItemScore)


def _fields_documented(text: str, name: str, also: type | None = None) -> None:
    start = text.index(f"**`{name}`**")
    section = text[start : text.find("**`", start + 4)]
    for kind in (getattr(shuanggang, name), also):
        for f in dataclasses.fields(kind) if kind else ():
            assert f"`{f.name}`" in section, (name, f.name)


# --- without pandas, finding the workspace, the public surface --------------------------


def test_without_pandas_a_chinese_message_says_what_to_install(
    ws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert len(list(ws.orgs)) == 12  # the rows need no pandas
    with pytest.raises(ImportError, match=re.escape("pip install 'shuanggang[pandas]'")) as info:
        ws.orgs.to_pandas()
    assert "需要 pandas" in str(info.value)


def test_the_workspace_is_found_as_the_command_line_finds_it(
    demo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(demo / "out")
    with shuanggang.open_workspace() as ws:
        assert ws.root == demo.resolve() and ws.year == 2026 and ws.district == "芝罘区"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHUANGGANG_WORKSPACE", str(demo))
    with shuanggang.open_workspace() as ws:
        assert ws.root == demo.resolve()
    with shuanggang.open_workspace(str(demo)) as ws:
        assert len(ws.orgs) == 12
    monkeypatch.delenv("SHUANGGANG_WORKSPACE")
    with pytest.raises(WorkspaceError):
        shuanggang.open_workspace()
    with pytest.raises(WorkspaceError):
        shuanggang.open_workspace(tmp_path)


def test_a_workspace_without_its_database_is_refused(ws: Any, copy: Path) -> None:
    (copy / "shuanggang.db").unlink()
    with pytest.raises(WorkspaceError):
        shuanggang.open_workspace(copy)


def test_a_newer_or_broken_store_is_refused_and_left_as_it_is(copy: Path) -> None:
    import sqlite3

    db = copy / "shuanggang.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError):
        shuanggang.open_workspace(copy)
    assert db.read_bytes() == before
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError):
        shuanggang.open_workspace(copy)


def test_an_empty_workspace_has_empty_views(tmp_path: Path) -> None:
    from shuanggang.store import init_workspace

    empty: Workspace = init_workspace(tmp_path / "空", district="芝罘区", year=2026)
    with shuanggang.open_workspace(empty.root) as ws:
        for name in (*VIEWS, "assessment"):
            assert len(getattr(ws, name)) == 0
        pytest.importorskip("pandas")
        frame = ws.services.to_pandas()
        assert frame.empty and str(frame.hours.dtype) == "float64"


def test_the_public_names_are_all_there() -> None:
    for name in shuanggang.__all__:
        assert getattr(shuanggang, name) is not None, name
    assert set(shuanggang.__all__) <= set(dir(shuanggang))
    with pytest.raises(AttributeError):
        _ = shuanggang.no_such_name  # type: ignore[attr-defined]  # the point: it is not there
    assert (Path(shuanggang.__file__).parent / "py.typed").is_file()


LIGHT = """
import sys
import shuanggang
{extra}
heavy = [m for m in ("pandas", "numpy", "openpyxl", "python_calamine", "docxtpl", "jinja2",
                     "rich", "typer") if m in sys.modules]
print("HEAVY=" + ",".join(heavy))
"""


@pytest.mark.parametrize(
    "extra",
    ["", "shuanggang.open_workspace", "shuanggang.OrgAssessment"],
    ids=["import", "open_workspace", "row-types"],
)
def test_import_shuanggang_stays_light(extra: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", LIGHT.format(extra=extra)],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    ).stdout
    assert out.rsplit("HEAVY=", 1)[1].strip() == ""


def test_the_certificates_view_is_the_register(ws, demo: Path) -> None:
    rows = list(ws.certificates)
    conn = sqlite3.connect(demo / "shuanggang.db")
    try:
        stored = conn.execute(
            "SELECT number, minutes FROM certificates WHERE status = 'valid' ORDER BY year, seq"
        ).fetchall()
    finally:
        conn.close()
    assert [(r.number, r.minutes) for r in rows if r.status == "valid"] == stored
    assert all(r.hours == r.minutes / 60 for r in rows)
    assert rows and all("*" in r.id_number for r in rows)  # masked unless asked
    assert not any("*" in r.id_number for r in ws.certificates.rows(unmasked=True))
    df = ws.certificates.to_pandas()
    assert str(df["issued_on"].dtype) == "datetime64[ns]" and str(df["hours"].dtype) == "float64"
