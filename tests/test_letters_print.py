"""The Word letters as an office prints them: GB/T 9704 typography from one set of styles,
the same words as the HTML letters, and (where LibreOffice is installed) PDFs whose page
count, line breaks and faces are what a person checking the printout would look at."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import sheetmaker as sm
from lxml import etree
from test_certificates import CERTIFICATE, LINES
from test_letters import LETTER
from test_register import LEDGER, member_sheet
from test_report import LETTER as FEEDBACK

from shuanggang.render import pdf
from shuanggang.render.letters import (
    MemberLine,
    RosterLine,
    ScorePart,
    docx_template,
    render_html,
)
from shuanggang.store import Workspace

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰")
SPECIALTIES = (("临床医学", "义诊服务"), ("会计", "金融服务"), ("计算机维修", "家电维修"))


def roster(n: int) -> tuple[RosterLine, ...]:
    """n members as a real roster has them: two- to four-character names, masked IDs
    (some ending in X) and phones, specialties of differing length."""
    lines = []
    for i in range(1, n + 1):
        name = ("欧阳" if i % 9 == 0 else SURNAMES[i % 20]) + GIVEN[(i * 5) % len(GIVEN)]
        tail = "246X" if i % 5 == 0 else f"{(i * 37) % 10000:04d}"
        specialty, category = SPECIALTIES[i % 3]
        gender = "男" if i % 2 else "女"
        phone = f"138****{(i * 1234) % 10000:04d}"
        lines.append(
            RosterLine(i, name, gender, f"370602********{tail}", phone, specialty, category)
        )
    return tuple(lines)


BIG = dataclasses.replace(
    LETTER,
    org="烟台海岸物业服务有限公司",
    members=40,
    roster=roster(40),
    projects=("2026-01 健康义诊进社区", "2026-03 小家电义务维修", "2026-07 防范电信诈骗宣讲"),
)
NO_PROJECTS = dataclasses.replace(LETTER, projects=())
# A full year's letter: all six items scored, a note on the grade, four members recommended.
FULL_FEEDBACK = dataclasses.replace(
    FEEDBACK,
    members=40,
    active=34,
    parts=(
        ScorePart("团员参与率", 30, 25.5),
        ScorePart("人均服务时长", 25, 20.0),
        ScorePart("人均服务次数", 15, 15.0),
        ScorePart("认领项目完成率", 10, 10.0),
        ScorePart("互通协商", 10, 9.5),
        ScorePart("社区评价", 10, 8.0),
    ),
    note="优秀比例已达上限，按得分排序评为合格",
    recommended=("张伟", "李娜", "王芳", "刘洋"),
    verdict="感谢贵单位团员青年一年来参加社区为民服务。"
    "在互通协商方面还有提升空间：全年与社区互通协商 1 次。",
    recommend_text="经考评，张伟、李娜、王芳、刘洋等 4 名团员符合推优入党的服务条件，"
    "请在推优工作中优先考虑。",
    expectation="建议贵单位来年每半年与社区互通协商一次，共同做好团员教育管理。",
    roster=tuple(
        MemberLine(r.index, r.name, r.id_number, r.index % 7, str(r.index % 13), "")
        for r in roster(40)
    ),
)
# A certificate whose ten activities fit its page, and one of twelve with an annex.
CERTIFICATE_10 = dataclasses.replace(CERTIFICATE, lines=LINES[:10], annex=())
KINDS: dict[str, tuple[str, str, list[Any]]] = {
    "checkin": ("checkin.docx", "checkin.html.j2", [LETTER]),
    "checkin-40": ("checkin.docx", "checkin.html.j2", [BIG]),
    "checkin-no-projects": ("checkin.docx", "checkin.html.j2", [NO_PROJECTS, LETTER]),
    "feedback": ("feedback.docx", "feedback.html.j2", [FEEDBACK]),
    "feedback-full": ("feedback.docx", "feedback.html.j2", [FULL_FEEDBACK, FEEDBACK]),
    "certificate": ("certificate.docx", "certificate.html.j2", [CERTIFICATE_10]),
    "certificate-annex": (
        "certificate.docx",
        "certificate.html.j2",
        [CERTIFICATE, CERTIFICATE_10],
    ),
}


def word(kind: str) -> bytes:
    template, _, letters = KINDS[kind]
    return docx_template(None, template).render(letters=letters)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


# --- same words -------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("head", "style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("head", "style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_words(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return re.sub(r"\s+", "", "".join(parser.parts))


def word_words(data: bytes) -> str:
    body = part(data, "word/document.xml")
    return re.sub(r"\s+", "", "".join(t.text or "" for t in body.iter(f"{{{W}}}t")))


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_html_and_word_letters_say_the_same(kind: str) -> None:
    _, template, letters = KINDS[kind]
    page = render_html(letters, None, template)
    assert word_words(word(kind)) == html_words(page)
    assert letters[0].number in html.unescape(page)  # the comparison saw the letter


# --- typography -------------------------------------------------------------------------


def style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


def face_and_size(styles: etree._Element, style_id: str) -> tuple[str, float]:
    """The East Asian face and size (points) a style gives, following basedOn."""
    element: etree._Element | None = style(styles, style_id)
    face = size = None
    while element is not None and (face is None or size is None):
        fonts = element.find("w:rPr/w:rFonts", NS)
        if face is None and fonts is not None:
            face = fonts.get(f"{{{W}}}eastAsia")
        sz = element.find("w:rPr/w:sz", NS)
        if size is None and sz is not None:
            size = int(sz.get(f"{{{W}}}val")) / 2
        based = element.find("w:basedOn", NS)
        element = None if based is None else style(styles, based.get(f"{{{W}}}val"))
    assert face is not None and size is not None
    return face, size


@pytest.mark.parametrize("kind", ["checkin", "feedback"])
def test_faces_and_sizes_follow_gbt_9704(kind: str) -> None:
    styles = part(word(kind), "word/styles.xml")
    assert face_and_size(styles, "Title") == ("方正小标宋简体", 22)  # 2号
    assert face_and_size(styles, "Normal") == ("仿宋_GB2312", 16)  # 3号
    assert face_and_size(styles, "BodyText") == ("仿宋_GB2312", 16)
    assert face_and_size(styles, "Heading1") == ("黑体", 16)
    assert face_and_size(styles, "Heading2") == ("楷体_GB2312", 16)
    assert face_and_size(styles, "AnnexLabel") == ("黑体", 16)
    assert face_and_size(styles, "Footer") == ("宋体", 14)  # 4号 page numbers
    assert face_and_size(styles, "TableText")[1] in (12, 14)  # 小4号 or 4号
    body = style(styles, "BodyText").find("w:pPr/w:ind", NS)
    assert body is not None and body.get(f"{{{W}}}firstLineChars") == "200"


@pytest.mark.parametrize("kind", ["checkin", "feedback"])
def test_all_text_is_black_and_no_theme_font_overrides_a_face(kind: str) -> None:
    data = word(kind)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = {n: package.read(n) for n in names}
    assert "word/stylesWithEffects.xml" not in xml
    for name, text in xml.items():
        if name.startswith("word/theme/"):
            continue
        assert re.search(rb'w:(?:ascii|hAnsi|eastAsia|cs)theme="', text, re.I) is None, name
        colors = set(re.findall(rb'w:color w:val="([0-9A-Fa-f]{6}|auto)"', text))
        assert colors <= {b"000000"}, (name, colors)
        assert b"w:themeColor" not in text, name


def test_each_face_is_declared_with_its_fallback_and_kind() -> None:
    fonts = part(word("checkin"), "word/fontTable.xml")
    declared = {f.get(f"{{{W}}}name"): f for f in fonts.findall("w:font", NS)}
    for face in (
        "方正小标宋简体",
        "华文中宋",
        "仿宋_GB2312",
        "仿宋",
        "黑体",
        "楷体_GB2312",
        "宋体",
    ):
        entry = declared[face]
        alt = entry.find("w:altName", NS)
        assert alt is not None and alt.get(f"{{{W}}}val") in pdf.FALLBACKS[face], face
        assert entry.find("w:charset", NS).get(f"{{{W}}}val") == "86", face  # GB2312
        family = entry.find("w:family", NS).get(f"{{{W}}}val")
        assert family == ("swiss" if face == "黑体" else "roman"), face
    assert declared["方正小标宋简体"].find("w:altName", NS).get(f"{{{W}}}val") == "华文中宋"
    assert declared["华文中宋"].find("w:altName", NS).get(f"{{{W}}}val") == "宋体"
    assert declared["仿宋_GB2312"].find("w:altName", NS).get(f"{{{W}}}val") == "仿宋"
    assert declared["仿宋"].find("w:altName", NS).get(f"{{{W}}}val") == "FangSong"


def test_the_page_is_a_grid_of_22_lines_with_page_numbers_on_the_outer_side() -> None:
    data = word("checkin")
    body = part(data, "word/document.xml")
    (section,) = body.iter(f"{{{W}}}sectPr")
    grid = section.find("w:docGrid", NS)
    margins = section.find("w:pgMar", NS)
    assert grid is not None and margins is not None
    height = 297 - 37 - 35  # mm
    pitch = int(grid.get(f"{{{W}}}linePitch"))  # twips
    assert int(height / 25.4 * 1440 / pitch) == 22
    styles = part(data, "word/styles.xml")
    spacing = style(styles, "Normal").find("w:pPr/w:spacing", NS)
    assert spacing.get(f"{{{W}}}line") == str(pitch)
    assert spacing.get(f"{{{W}}}lineRule") == "exact"
    # 28 characters of 3号 fill the line: 156 mm wide, characters 16 pt less the spacing.
    width_pt = (210 - 28 - 26) / 25.4 * 72
    condensed = style(styles, "Normal").find("w:rPr/w:spacing", NS)
    pitch_pt = 16 + int(condensed.get(f"{{{W}}}val")) / 20
    assert int(width_pt / pitch_pt) == 28
    settings = part(data, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    footers = {
        ref.get(f"{{{W}}}type"): ref.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
        for ref in section.findall("w:footerReference", NS)
    }
    assert set(footers) == {"default", "even"}
    rels = part(data, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    for kind, side in (("default", "right"), ("even", "left")):
        footer = part(data, f"word/{targets[footers[kind]]}")
        p = footer.find("w:p", NS)
        assert p.find("w:pPr/w:jc", NS).get(f"{{{W}}}val") == side
        assert p.find(f"w:pPr/w:ind[@w:{side}]", NS) is not None  # one character in
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t", f"{{{W}}}instrText"))
        assert re.fullmatch(r"— \s*PAGE\s*1 —", text), text


def test_annex_tables_repeat_their_header_and_never_split_a_row() -> None:
    for kind in ("checkin-40", "feedback-full"):
        body = part(word(kind), "word/document.xml")
        tables = body.findall(".//w:tbl", NS)
        assert tables
        for table in tables:
            rows = table.findall("w:tr", NS)
            assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
            assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
            assert table.find("w:tblPr/w:tblLayout", NS).get(f"{{{W}}}type") == "fixed"
            widths = [int(c.get(f"{{{W}}}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
            assert sum(widths) <= round((210 - 28 - 26) / 25.4 * 1440)
            header = ["".join(t.text or "" for t in c.iter(f"{{{W}}}t")) for c in rows[0]]
            header = [h for h in header if h]
            if "身份证号" in header:  # 18 half-width characters of 12 pt, and the margins
                assert widths[header.index("身份证号")] >= 9 * 12 * 20 + 2 * 57


def test_the_signature_is_kept_with_the_paragraph_it_signs() -> None:
    for kind, last_words in (("checkin", "请予接洽。"), ("feedback", FEEDBACK.expectation)):
        data = word(kind)
        styles = part(data, "word/styles.xml")
        paragraphs = part(data, "word/document.xml").findall(".//w:body/w:p", NS)
        texts = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in paragraphs]
        start = next(i for i, t in enumerate(texts) if t.endswith(last_words))
        end = texts.index(FEEDBACK.issued_on if kind == "feedback" else LETTER.issued_on, start)
        for p in paragraphs[start:end]:
            name = p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")
            assert style(styles, name).find("w:pPr/w:keepNext", NS) is not None, name


def test_no_page_breaks_that_could_leave_an_empty_page() -> None:
    for kind in KINDS:
        body = part(word(kind), "word/document.xml")
        assert body.find(".//w:br[@w:type='page']", NS) is None
        last = body.find("w:body", NS)[-2]  # before the section's properties
        assert last.tag == f"{{{W}}}p" and not "".join(last.itertext()).strip()


# --- printed: LibreOffice's PDF ----------------------------------------------------------

needs_office = pytest.mark.skipif(
    pdf.soffice() is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) or poppler-utils is not installed; .ci/run installs them "
    "with apt-get where the system has it",
)
MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dX]")


def printed(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf.docx_to_pdf(word(kind)))
    return path


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def page_text(path: Path, page: int | None = None) -> str:
    first_last = [] if page is None else ["-f", str(page), "-l", str(page)]
    command = ["pdftotext", "-layout", *first_last, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def embedded_fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in out.stdout.splitlines()[2:] if line.strip()]


def faces_on_page(path: Path, page: int) -> set[str]:
    """The faces the text of one page is set in (pdffonts lists a file's fonts, and
    LibreOffice's pages share theirs)."""
    command = ["pdftohtml", "-xml", "-i", "-stdout", "-f", str(page), "-l", str(page), str(path)]
    xml = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    families = dict(re.findall(r'<fontspec id="(\d+)"[^>]*family="([^"]+)"', xml))
    return {families[f] for f in re.findall(r'<text [^>]*font="(\d+)"', xml)}


SERIF = re.compile(r"Serif|Song|Sung|Ming|Kai|FangSong|XiaoBiao|Zhongsong", re.I)


@pytest.mark.office
@needs_office
def test_printed_letters_keep_their_pages(tmp_path: Path) -> None:
    # The check-in letter: counterfoil, cut line and letter on page 1, the roster after.
    one = printed("checkin", tmp_path)
    assert pages(one) == 2
    first = page_text(one, 1)
    assert first.index("存根") < first.index("此处裁开") < first.index("兹介绍")
    assert LETTER.issuer in first.split("此处裁开")[1]
    # 40 members: the letter, and an annex of at most two pages.
    forty = printed("checkin-40", tmp_path)
    assert pages(forty) <= 3
    assert "附件" not in page_text(forty, 1)
    ids = MASKED_ID.findall(page_text(forty))
    assert len(ids) == 40, "a masked ID broken over two lines"
    # The feedback letter with its signature on page 1; the annex after.
    full = printed("feedback-full", tmp_path)
    first = page_text(full, 1)
    assert FULL_FEEDBACK.issuer in first and "附件" not in first
    assert "年12月28日" in first.replace(" ", "")
    feedback_pages = pages(full)
    # Two letters in one file: each starts on a page of its own, and no page is empty.
    texts = [page_text(full, n).strip() for n in range(1, feedback_pages + 1)]
    assert all(texts), "an empty page"
    starts = [n for n, t in enumerate(texts, 1) if "考评结果反馈函" in t]
    assert len(starts) == 2 and starts[0] == 1
    assert FEEDBACK.issuer in texts[starts[1] - 1]  # the short letter: one page too
    # The faces: CJK faces only, the letters' pages in serif ones; the 附件 label is
    # 黑体, a sans face, as the standard has it.
    for path in (one, forty, full):
        fonts = embedded_fonts(path)
        assert fonts and all("CJK" in f or SERIF.search(f) for f in fonts), fonts
    for path in (one, full):
        faces = faces_on_page(path, 1)
        assert faces and all(SERIF.search(f) for f in faces), faces
    assert any(not SERIF.search(f) for f in faces_on_page(one, 2)), "附件 in 黑体"


@pytest.mark.office
@needs_office
def test_printed_certificates_keep_their_pages(tmp_path: Path) -> None:
    # Ten activities: identity, the table, the issuer's block and the remarks on one page.
    one = printed("certificate", tmp_path)
    assert pages(one) == 1
    text = page_text(one).replace(" ", "")
    assert CERTIFICATE.id_number in text and CERTIFICATE.issuer in text
    assert "2026年12月1日" in text and "备注" in text
    # Twelve: the certificate's page, an annex with all twelve; then the next certificate
    # on a page of its own.
    two = printed("certificate-annex", tmp_path)
    texts = [page_text(two, n).replace(" ", "") for n in range(1, pages(two) + 1)]
    assert len(texts) == 3 and all(texts)
    assert CERTIFICATE.issuer in texts[0] and "记录明细" not in texts[0]
    assert "记录明细" in texts[1] and "2026-03-12" in texts[1]
    assert texts[2].startswith("志愿服务记录证明") or "志愿服务记录证明" in texts[2][:40]


@pytest.mark.office
@needs_office
def test_the_same_letter_makes_the_same_pdf() -> None:
    data = word("checkin")
    assert pdf.docx_to_pdf(data) == pdf.docx_to_pdf(data)


# --- --letters pdf -----------------------------------------------------------------------


def test_pdf_letters_without_libreoffice_stop_before_anything_is_done(
    cli, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    result = cli("register", member_sheet(tmp_path), "--letters", "html,pdf", "-w", ws.root)
    assert result.exit_code == 1
    assert "LibreOffice" in result.stderr and "Traceback" not in result.stderr
    assert not (ws.out_dir / "报到介绍信").exists()
    status = cli("orgs", "list", "--json", "-w", ws.root)
    assert json.loads(status.stdout) == []


@pytest.mark.office
@needs_office
def test_register_writes_pdf_letters(cli, ws: Workspace, tmp_path: Path) -> None:
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    result = cli("register", member_sheet(tmp_path), "--json", "--letters", "pdf", "-w", ws.root)
    assert result.exit_code == 0, result.stderr
    outputs = [Path(p) for p in json.loads(result.stdout)[0]["outputs"]]
    assert outputs and {p.suffix for p in outputs} == {".pdf"}
    letter = next(p for p in outputs if not p.name.startswith("合并打印"))
    assert letter.read_bytes().startswith(b"%PDF") and pages(letter) == 2
    assert not list(letter.parent.glob("*.docx"))
