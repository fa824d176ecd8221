"""Check-in letters: golden files for both formats, layout after GB/T 9704, escaping of
hostile names, masking, template overrides. Set SHUANGGANG_UPDATE_GOLDEN=1 to rewrite
the golden files after an intended change (and review the diff)."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
import sheetmaker as sm
from docx import Document
from docx.shared import Mm, Pt
from test_register import LEDGER, member_sheet

from shuanggang.render.letters import CheckinLetter, RosterLine, docx_template, render_html
from shuanggang.store import Workspace

GOLDEN = Path(__file__).parent / "golden"
LETTER = CheckinLetter(
    number="芝团报〔2026〕017号",
    org="烟台山医院团委",
    community="海岸路",
    community_name="海岸路社区",
    street="东山街道",
    issuer="共青团东山街道工作委员会",
    issued_on="2026年3月5日",
    members=2,
    projects=("2026-01 健康义诊进社区", "2026-03 小家电义务维修"),
    validity_days=30,
    roster=(
        RosterLine(1, "张伟", "男", "370602********1235", "138****1234", "临床医学", "义诊服务"),
        RosterLine(2, "李娜", "女", "370602********246X", "138****4321", "会计", "金融服务"),
    ),
)


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SHUANGGANG_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def docx_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.docx"
    path.write_bytes(data)
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    lines += [" | ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join(lines) + "\n"


def test_html_letter_matches_golden() -> None:
    golden("checkin.html", render_html([LETTER]))


def test_docx_letter_matches_golden_text(tmp_path: Path) -> None:
    golden("checkin.docx.txt", docx_text(docx_template(None).render(letters=[LETTER]), tmp_path))


def test_docx_layout_follows_gbt_9704(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    path.write_bytes(docx_template(None).render(letters=[LETTER]))
    doc = Document(str(path))
    section = doc.sections[0]
    sizes = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    expected = (Mm(210), Mm(297), Mm(37), Mm(35), Mm(28), Mm(26))
    assert None not in sizes
    assert all(abs((a or 0) - b) < Mm(0.1) for a, b in zip(sizes, expected, strict=True))  # twips
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert (
        normal.element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "仿宋_GB2312"
    )
    title = doc.styles["Title"]
    assert title.font.size == Pt(22) and title.font.name == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("兹介绍"))
    body_style = body.style  # the body style indents the first line two characters of 16 pt
    assert body_style is not None and body_style.paragraph_format.first_line_indent == Pt(32)
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("芝团报〔2026〕017号") == 2  # counterfoil and letter share the number
    assert "此致" in texts and "敬礼！" in texts


def test_html_has_print_rules_and_counterfoil() -> None:
    html = render_html([LETTER, LETTER])
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in html
    assert "仿宋_GB2312" in html and "方正小标宋简体" in html
    assert html.count("团组织报到介绍信（存根）") == 2 and html.count("（此处裁开）") == 2
    assert html.count("芝团报〔2026〕017号") == 4


def test_docx_renders_each_letter_without_reparsing(tmp_path: Path) -> None:
    template = docx_template(None)
    first = template.render(letters=[LETTER])
    assert template.render(letters=[LETTER]) == first  # deterministic bytes
    many = template.render(letters=[LETTER] * 3)
    assert docx_text(many, tmp_path).count("团组织报到介绍信（存根）") == 3


HOSTILE_ORG = '=HYPERLINK("http://x")<script>alert(1)</script>/../../x'


def test_hostile_names_are_escaped_and_stay_inside_out(cli, ws: Workspace, tmp_path: Path) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    rows = [
        [1, "=1+2", "男", sm.ID_A, "2000.05", "13805351234", "<b>医</b>", "周末", "是"],
        [2, "@SUM(A1)", "女", sm.ID_B, "2001.08", "13805354321", "+会计", "周末", "是"],
    ]
    path = member_sheet(tmp_path, rows=rows)
    result = cli("register", path, "--org", HOSTILE_ORG, "--json", "-w", ws.root)
    assert result.exit_code == 0, result.stdout
    outputs = [Path(p) for p in json.loads(result.stdout)[0]["outputs"]]
    out = ws.out_dir.resolve()
    assert all(p.resolve().is_relative_to(out) for p in outputs)
    assert not (tmp_path / "x").exists() and not (ws.root / "x").exists()
    html = next(p for p in outputs if p.suffix == ".html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>医</b>" not in html
    with zipfile.ZipFile(next(p for p in outputs if p.suffix == ".docx")) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    roster = tmp_path / "roster.xlsx"
    assert cli("export", "roster", "-o", roster, "-w", ws.root).exit_code == 0
    with zipfile.ZipFile(roster) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "=1+2" in sheet and "@SUM(A1)" in sheet


def test_no_full_id_or_phone_in_any_letter(cli, ws: Workspace, tmp_path: Path) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    result = cli("register", member_sheet(tmp_path), "--json", "-w", ws.root)
    assert result.exit_code == 0
    secrets = [sm.ID_A, sm.ID_B, sm.ID_C, "13805351234", "13805354321", "13905356789"]
    letters = list((ws.out_dir / "报到介绍信").iterdir())
    assert letters
    for path in letters:
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                text = "".join(docx.read(n).decode("utf-8", "replace") for n in docx.namelist())
        else:
            text = path.read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", text)
        assert not [s for s in secrets if s in text], path.name
        assert "370602********1235" in text or sm.ID_A[-4:] in text
    assert all(s not in result.stdout for s in secrets)


def test_workspace_templates_override_the_built_ins(cli, ws: Workspace, tmp_path: Path) -> None:
    copied = cli("templates", "copy", "--json", "-w", ws.root)
    assert copied.exit_code == 0
    names = sorted(Path(p).name for p in json.loads(copied.stdout)["copied"])
    assert names == [
        "certificate.docx",
        "certificate.html.j2",
        "checkin.docx",
        "checkin.html.j2",
        "feedback.docx",
        "feedback.html.j2",
        "liaisons.html.j2",
        "publicity.html.j2",
    ]
    own = ws.templates_dir / "checkin.html.j2"
    own.write_text(
        own.read_text(encoding="utf-8").replace("此致", "此致（本街道格式）"), encoding="utf-8"
    )
    again = cli("templates", "copy", "-w", ws.root)
    assert "已存在，未覆盖" in again.stderr and "本街道格式" in own.read_text(encoding="utf-8")
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    result = cli("register", member_sheet(tmp_path), "--json", "--letters", "html", "-w", ws.root)
    (html,) = json.loads(result.stdout)[0]["outputs"]
    assert "此致（本街道格式）" in Path(html).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["odt", "html,doc"])
def test_unknown_letter_format_is_a_usage_error(cli, ws: Workspace, tmp_path: Path, fmt: str):
    assert cli("register", member_sheet(tmp_path), "--letters", fmt, "-w", ws.root).exit_code == 2


def test_a_league_body_is_not_called_团组织_twice() -> None:
    from dataclasses import replace

    assert LETTER.org_unit == "烟台山医院团委"
    assert replace(LETTER, org="某银行团支部（烟台）").org_unit == "某银行团支部（烟台）"
    assert (
        replace(LETTER, org="烟台海岸物业服务有限公司").org_unit == "烟台海岸物业服务有限公司团组织"
    )


def test_html_written_piece_by_piece_is_the_rendered_page(tmp_path: Path) -> None:
    from shuanggang.render.letters import HtmlLetters

    writer = HtmlLetters(None)
    # a few letters are written whole, many piece by piece: the same bytes either way
    for count in (1, 3, HtmlLetters.WHOLE + 1):
        letters = [LETTER] * count
        target = tmp_path / f"合并打印{count}.html"
        assert writer.write(target, letters) == target
        assert target.read_bytes() == render_html(letters).encode("utf-8")
    assert writer.render([LETTER]) == render_html([LETTER])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"合并打印{count}.html" for count in (1, 3, HtmlLetters.WHOLE + 1)
    )


def test_an_html_writer_compiles_its_template_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2 import Environment

    from shuanggang.render.letters import HtmlLetters

    compiled: list[str] = []
    original = Environment.compile

    def counted(self, source, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(str(args[0] if args else kwargs.get("name")))
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counted)
    writer = HtmlLetters(None)
    for _ in range(5):
        writer.render([LETTER])
    assert compiled == ["checkin.html.j2"]
