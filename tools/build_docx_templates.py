"""Build the Word letters, templates/checkin.docx and templates/feedback.docx.

    python tools/build_docx_templates.py

The .docx files are committed; run this after changing the layout, never edit them by
hand. Every face, size and spacing is written once, in FACES, SIZES and STYLES below, and
both letters take them from there: change the body face or the title size here and both
templates follow.

Layout after GB/T 9704-2012: A4; margins top 37 mm, bottom 35, left 28, right 26; a grid
of 22 lines of 28 characters; title 2号 小标宋, body 3号 仿宋 with a two-character
first-line indent, first-level headings 黑体 and second-level 楷体; page numbers "— 1 —"
in 4号 宋体, on the right of odd pages and the left of even ones. All text is black: the
styles are written here in full, none is left from Word's default template (whose theme
fonts and blue headings would win over the faces named here).

Each face is declared in the font table with the face to use where it is missing
(altName), the Chinese character set (charset 86, GB2312) and its generic family, so
Word, WPS and LibreOffice pick the face, or the nearest one of its kind.

Jinja tags follow docxtpl: {%p %} for paragraph loops, {%tr %} for table-row loops. The
document is one section, so that a letterhead or footer edited in Word holds for every
letter; in a combined print file the page numbers run on from letter to letter.
"""

from __future__ import annotations

import io
import math
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuanggang.render.ooxml import normalise  # noqa: E402

# --- the one source of the letters' look --------------------------------------------------


@dataclass(frozen=True)
class Face:
    """A face as the letters name it, what to use where it is missing, and its kind."""

    name: str
    fallback: str  # the next face to try (w:altName)
    family: str  # OOXML generic family: roman (serif), swiss (sans)
    panose: str


FACES = {
    "title": Face("方正小标宋简体", "华文中宋", "roman", "02010600010101010101"),
    "body": Face("仿宋_GB2312", "仿宋", "roman", "02010609030101010101"),
    "heading1": Face("黑体", "SimHei", "swiss", "02010609060101010101"),
    "heading2": Face("楷体_GB2312", "楷体", "roman", "02010609030101010101"),
    "table": Face("宋体", "SimSun", "roman", "02010600030101010101"),
}
# The rest of each chain: declared too, so that each step has its own fallback.
FALLBACKS = (
    Face("华文中宋", "宋体", "roman", "02010600040101010101"),
    Face("仿宋", "FangSong", "roman", "02010609060101010101"),
    Face("楷体", "KaiTi", "roman", "02010609060101010101"),
)

# Chinese type sizes, in points.
SIZES = {"二号": 22.0, "小二": 18.0, "三号": 16.0, "四号": 14.0, "小四": 12.0, "五号": 10.5}

PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
FOOTER_DISTANCE = Mm(21)  # the page number's dashes 7 mm below the text block
LINES, CHARS = 22, 28  # the grid of the text block


def twips(emu: int) -> int:
    return round(emu / 635)


TEXT_WIDTH = twips(PAGE[0] - MARGINS["left"] - MARGINS["right"])  # 156 mm
LINE_PITCH = twips(PAGE[1] - MARGINS["top"] - MARGINS["bottom"]) // LINES  # 28.95 pt
BODY_SIZE = SIZES["三号"]
CHAR_PITCH = TEXT_WIDTH / CHARS / 20  # points
# Characters of the body size closer together by this much (twentieths of a point, as
# w:spacing counts), so that 28 of them fill a line: 15.75 pt apart, not 16.
CHAR_ADJUST = math.floor((CHAR_PITCH - BODY_SIZE) * 4) * 5


@dataclass(frozen=True)
class Style:
    """A paragraph style: face, size, alignment, spacing (points, None: the grid's line)."""

    style_id: str
    name: str
    face: str
    size: str
    align: str = "both"
    line: float | None = None
    before: float = 0
    after: float = 0
    first_line_chars: int = 0
    right_chars: int = 0
    keep_next: bool = False
    keep_lines: bool = False
    on_grid: bool = True
    page_break_before: bool = False


STYLES = (
    Style("Normal", "Normal", "body", "三号"),
    Style("Title", "Title", "title", "二号", align="center", on_grid=False),
    Style("Heading1", "heading 1", "heading1", "三号", align="left", keep_next=True),
    Style("Heading2", "heading 2", "heading2", "三号", align="left", keep_next=True),
    Style("BodyText", "Body Text", "body", "三号", first_line_chars=2),
    # The last paragraph before the signature, and the signature: one block on one page.
    Style("Closing", "Closing", "body", "三号", first_line_chars=2, keep_next=True),
    Style("Salute", "敬礼", "body", "三号", align="left", keep_next=True),
    # Above the signature: room for the top of the seal, which presses on the name and date.
    Style("SealRoom", "用印位置", "body", "四号", line=14, keep_next=True, on_grid=False),
    Style("Signature", "Signature", "body", "三号", align="right", right_chars=2, keep_next=True),
    Style("Date", "Date", "body", "三号", align="right", right_chars=2),
    # A certificate's person in charge, handler and contact, under the issuing body.
    Style(
        "Signers",
        "签字人",
        "body",
        "四号",
        align="right",
        line=24,
        right_chars=2,
        keep_next=True,
        on_grid=False,
    ),
    Style("Number", "发文字号", "body", "三号", align="right", keep_next=True),
    Style("Note", "附注", "body", "四号", line=24, on_grid=False),
    Style(
        "AnnexLabel",
        "附件标识",
        "heading1",
        "三号",
        align="left",
        keep_next=True,
        page_break_before=True,
    ),
    Style(
        "AnnexTitle",
        "附件标题",
        "title",
        "小二",
        align="center",
        line=32,
        after=6,
        keep_next=True,
        on_grid=False,
    ),
    Style(
        "StubTitle",
        "存根标题",
        "title",
        "三号",
        align="center",
        line=26,
        keep_next=True,
        on_grid=False,
    ),
    Style(
        "StubText",
        "存根正文",
        "body",
        "四号",
        line=22,
        first_line_chars=2,
        keep_next=True,
        on_grid=False,
    ),
    Style(
        "StubNumber",
        "存根字号",
        "body",
        "四号",
        align="right",
        line=22,
        keep_next=True,
        on_grid=False,
    ),
    Style("CutLine", "裁切线", "table", "五号", align="left", line=22, after=8, on_grid=False),
    Style("TableText", "表格文字", "table", "小四", align="center", line=18, on_grid=False),
    Style("ScoreText", "得分表文字", "table", "五号", align="center", line=14, on_grid=False),
    Style("Footer", "footer", "table", "四号", line=18, on_grid=False),
    Style("NextLetter", "下一封", "table", "五号", line=1, on_grid=False, page_break_before=True),
    Style("LetterEnd", "信尾", "table", "五号", line=1, on_grid=False),
)
STYLE_IDS = {s.style_id for s in STYLES}

# Annex tables: each column's header, field and width in characters of 小四 (12 pt);
# the widths fit an 18-character masked ID, an 11-digit masked phone and a four-character
# name on one line. The last column takes what is left of the text width.
CELL_MARGIN = 57  # twips, left and right of each cell's text
CHECKIN_ROSTER = (
    ("序号", "index", 2.2),
    ("姓名", "name", 4.2),
    ("性别", "gender", 2.2),
    ("身份证号", "id_number", 9.5),
    ("手机号码", "phone", 6),
    ("专业特长", "specialty", 4.5),
    ("服务类别", "category", 0),
)
FEEDBACK_ROSTER = (
    ("序号", "index", 2.2),
    ("姓名", "name", 4.2),
    ("身份证号", "id_number", 9.5),
    ("服务次数", "services", 4.5),
    ("服务时长（小时）", "hours", 8.5),
    ("推优资格", "eligible", 0),
)
SCORES = (("考评项目", "label", 0), ("满分", "weight", 7), ("得分", "value", 7))


# --- styles and fonts ---------------------------------------------------------------------


def _fonts(face: str) -> str:
    name = quoteattr(FACES[face].name)
    return f"<w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}/>"


def _size(size: str) -> str:
    half_points = round(SIZES[size] * 2)
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def _style_xml(s: Style) -> str:
    ppr = []
    if s.keep_next:
        ppr.append("<w:keepNext/>")
    if s.keep_lines:
        ppr.append("<w:keepLines/>")
    if s.page_break_before:
        ppr.append("<w:pageBreakBefore/>")
    if not s.on_grid:
        ppr.append('<w:snapToGrid w:val="0"/>')
    line = round(s.line * 20) if s.line is not None else LINE_PITCH
    ppr.append(
        f'<w:spacing w:before="{round(s.before * 20)}" w:after="{round(s.after * 20)}"'
        f' w:line="{line}" w:lineRule="exact"/>'
    )
    indent = SIZES[s.size] * 20
    if s.first_line_chars or s.right_chars:
        ppr.append(
            f'<w:ind w:right="{round(s.right_chars * indent)}" w:rightChars="{s.right_chars * 100}"'
            f' w:firstLine="{round(s.first_line_chars * indent)}"'
            f' w:firstLineChars="{s.first_line_chars * 100}"/>'
        )
    ppr.append(f'<w:jc w:val="{s.align}"/>')
    spacing = f'<w:spacing w:val="{CHAR_ADJUST if SIZES[s.size] == BODY_SIZE else 0}"/>'
    default = ' w:default="1"' if s.style_id == "Normal" else ""
    based = "" if s.style_id == "Normal" else '<w:basedOn w:val="Normal"/>'
    return (
        f'<w:style w:type="paragraph"{default} w:styleId="{s.style_id}">'
        f'<w:name w:val="{s.name}"/>{based}<w:qFormat/>'
        f"<w:pPr>{''.join(ppr)}</w:pPr>"
        f'<w:rPr>{_fonts(s.face)}<w:b w:val="0"/><w:color w:val="000000"/>'
        f"{spacing}{_size(s.size)}</w:rPr>"
        "</w:style>"
    )


def styles_xml() -> bytes:
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(
        border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    margins = "".join(f'<w:{side} w:w="{CELL_MARGIN}" w:type="dxa"/>' for side in ("left", "right"))
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {nsdecls("w")}>'
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{_fonts("body")}<w:color w:val="000000"/>{_size("三号")}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        + "".join(_style_xml(s) for s in STYLES)
        + '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "</w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>{margins}</w:tblCellMar>'
        "</w:tblPr></w:style>"
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr>'
        f"<w:tblBorders>{borders}</w:tblBorders><w:tblCellMar>{margins}</w:tblCellMar>"
        "</w:tblPr></w:style>"
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
        '<w:name w:val="No List"/><w:semiHidden/></w:style>'
        "</w:styles>"
    )
    return xml.encode("utf-8")


def font_table_xml() -> bytes:
    # Signature of a face with the Chinese (GB2312) code page, as Windows' own faces have.
    sig = (
        '<w:sig w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000"'
        ' w:csb0="00040001" w:csb1="00000000"/>'
    )
    entries = "".join(
        f"<w:font w:name={quoteattr(f.name)}><w:altName w:val={quoteattr(f.fallback)}/>"
        f'<w:panose1 w:val="{f.panose}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{f.family}"/><w:pitch w:val="variable"/>{sig}</w:font>'
        for f in (*FACES.values(), *FALLBACKS)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:fonts {nsdecls('w')}>{entries}</w:fonts>"
    ).encode()


# --- the document -------------------------------------------------------------------------


class Letter:
    """Paragraphs and tables added to a document, styled from STYLES."""

    def __init__(self) -> None:
        self.doc: DocumentObject = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        section.footer_distance = FOOTER_DISTANCE
        section.header_distance = Mm(15)
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._page_numbers()
        sect = section._sectPr
        sect.append(parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'))
        grid = sect.find(qn("w:docGrid"))
        if grid is not None:
            sect.remove(grid)
        sect.append(
            parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{LINE_PITCH}"/>')
        )
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)

    def _page_numbers(self) -> None:
        """— 1 —: odd pages on the right, even pages on the left, one character in."""
        section = self.doc.sections[0]
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            p = footer.paragraphs[0]
            indent = round(SIZES["四号"] * 20)  # one character of the page number's size
            p._p.append(
                parse_xml(
                    f'<w:pPr {nsdecls("w")}><w:pStyle w:val="Footer"/>'
                    f'<w:ind w:{align}="{indent}"/><w:jc w:val="{align}"/></w:pPr>'
                )
            )
            for xml in (
                '<w:t xml:space="preserve">— </w:t>',
                '<w:fldChar w:fldCharType="begin"/>',
                '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>',
                "<w:t>1</w:t>",
                '<w:fldChar w:fldCharType="end"/>',
                '<w:t xml:space="preserve"> —</w:t>',
            ):
                p._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))

    def para(self, text: str = "", style: str = "Normal") -> Paragraph:
        assert style in STYLE_IDS, style
        p = self.doc.add_paragraph(text)
        p._p.get_or_add_pPr().style = style
        return p

    def cut_line(self) -> None:
        """（此处裁开） in the middle of a dashed line from margin to margin."""
        p = self.para("\t（此处裁开）\t", "CutLine")
        tabs = parse_xml(
            f"<w:tabs {nsdecls('w')}>"
            f'<w:tab w:val="center" w:leader="hyphen" w:pos="{TEXT_WIDTH // 2}"/>'
            f'<w:tab w:val="right" w:leader="hyphen" w:pos="{TEXT_WIDTH}"/></w:tabs>'
        )
        p._p.get_or_add_pPr().append(tabs)

    def table(
        self,
        columns: tuple[tuple[str, str, float], ...],
        item: str,
        loop: str,
        total: tuple[str, ...] = (),
        style: str = "TableText",
    ) -> None:
        """A header row repeated on every page, the `{%tr for %}` rows, and an optional
        total row; rows are never split across pages; columns are fixed widths."""
        char = round(SIZES[next(s.size for s in STYLES if s.style_id == style)] * 20)
        widths = [round(w * char) + 2 * CELL_MARGIN for _, _, w in columns]
        rest = TEXT_WIDTH - sum(widths)
        widths = [w if columns[i][2] else rest for i, w in enumerate(widths)]
        assert min(widths) > 2 * CELL_MARGIN + char, widths
        header = tuple(c[0] for c in columns)
        cells = tuple(f"{{{{ {item}.{c[1]} }}}}" for c in columns)
        rows = [header, (f"{{%tr for {item} in {loop} %}}",), cells, ("{%tr endfor %}",)]
        if total:
            rows.append(total)
        grid: Table = self.doc.add_table(rows=len(rows), cols=len(columns))
        tbl = grid._tbl
        tbl.remove(tbl.tblPr)
        tbl.insert(
            0,
            parse_xml(
                f'<w:tblPr {nsdecls("w")}><w:tblStyle w:val="TableGrid"/>'
                f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
                '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>'
            ),
        )
        for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            col.set(qn("w:w"), str(width))
        for r, (row, texts) in enumerate(zip(grid.rows, rows, strict=True)):
            trpr = row._tr.get_or_add_trPr()
            trpr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            if r == 0:
                trpr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            for c, cell in enumerate(row.cells):
                cell.width = widths[c] * 635
                p = cell.paragraphs[0]
                p._p.get_or_add_pPr().style = style
                if c < len(texts):
                    p.add_run(texts[c])

    def letter_start(self) -> None:
        """Each letter but the first starts a page: a paragraph one point high with a page
        break before it (a break at the end of a letter would leave an empty page when
        the letter fills its last page)."""
        self.para("{%p if not loop.first %}")
        self.para(style="NextLetter")
        self.para("{%p endif %}")

    def letter_end(self) -> None:
        """The paragraph Word wants after a table, one point high: never a page of its own."""
        self.para(style="LetterEnd")

    def saved(self, title: str) -> bytes:
        doc = self.doc
        doc.core_properties.author = "shuanggang"
        doc.core_properties.title = title
        doc.core_properties.comments = ""
        package = doc.part.package
        for rel_id, rel in list(doc.part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                doc.part.drop_rel(rel_id)
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                package.rels.pop(rel_id)
        buffer = io.BytesIO()
        doc.save(buffer)
        data = _replaced(
            buffer.getvalue(),
            {"word/styles.xml": styles_xml(), "word/fontTable.xml": font_table_xml()},
        )
        return normalise(data, datetime(2000, 1, 1))


def _replaced(data: bytes, parts: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, parts.get(info.filename, src.read(info)))
    return out.getvalue()


def signature(letter: Letter) -> None:
    """Room for the seal, the issuing body and the date, kept with the text above."""
    letter.para(style="SealRoom")
    letter.para("{{ letter.issuer }}", "Signature")
    letter.para("{{ letter.issued_on }}", "Date")


def build() -> bytes:
    """团组织报到介绍信: counterfoil, cut line, letter; the roster as an annex."""
    letter = Letter()
    para = letter.para
    para("{%p for letter in letters %}")
    letter.letter_start()
    para("团组织报到介绍信（存根）", "StubTitle")
    para("{{ letter.number }}", "StubNumber")
    para(
        "{{ letter.org_unit }}（团员 {{ letter.members }} 名）前往{{ letter.community_name }}报到"
        "{% if letter.projects %}，认领为民服务项目 {{ letter.projects|length }} 个{% endif %}。",
        "StubText",
    )
    para("{{ letter.issuer }}　{{ letter.issued_on }}", "StubNumber")
    letter.cut_line()
    para("团组织报到介绍信", "Title")
    para("{{ letter.number }}", "Number")
    para("{{ letter.community_name }}：")
    para(
        "兹介绍{{ letter.org_unit }}携团员 {{ letter.members }} 名（名单附后），"
        "前往你社区统一报到，参加团员“双岗双责”工作，编入登记活动团支部开展为民服务活动。"
        "{% if letter.projects %}"
        "该团组织现场认领为民服务项目：{{ letter.projects|join('；') }}。{% else %}"
        "请向其提供《为民服务实事台账》，以便认领服务项目。{% endif %}请予接洽。",
        "Closing",
    )
    para("此致", "Closing")
    para("敬礼！", "Salute")
    signature(letter)
    para("（本介绍信有效期 {{ letter.validity_days }} 天）", "Note")
    para("附件", "AnnexLabel")
    para("{{ letter.org }}团员名单", "AnnexTitle")
    para("共 {{ letter.members }} 人", "Number")
    letter.table(CHECKIN_ROSTER, "m", "letter.roster")
    letter.letter_end()
    para("{%p endfor %}")
    return letter.saved("团组织报到介绍信")


def build_feedback() -> bytes:
    """考评结果反馈函: the letter with its score table; the members as an annex."""
    letter = Letter()
    para = letter.para
    para("{%p for letter in letters %}")
    letter.letter_start()
    para("{{ letter.year }}年度团员“双岗双责”工作\n考评结果反馈函", "Title")
    para("{{ letter.number }}", "Number")
    para("{{ letter.org }}：")
    para(
        "{{ letter.year }}年，贵单位团组织在{{ letter.community_name }}报到，"
        "团员 {{ letter.members }} 名，"
        "其中 {{ letter.active }} 名参加了为民服务活动（参与率 {{ letter.participation }}），"
        "全年服务 {{ letter.services }} 人次、{{ letter.hours }} 小时，与社区互通协商 "
        "{{ letter.consultations }} 次。经综合考评，得分 {{ letter.score }} 分，"
        "等次为“{{ letter.grade }}”。"
        "{% if letter.note %}{{ letter.note }}。{% endif %}",
        "BodyText",
    )
    total = ("合计", "100", "{{ letter.score }}")
    letter.table(SCORES, "part", "letter.parts", total=total, style="ScoreText")
    para("{{ letter.verdict }}{{ letter.recommend_text }}", "BodyText")
    para("{{ letter.expectation }}", "Closing")
    signature(letter)
    para("附件", "AnnexLabel")
    para("{{ letter.org }}团员参与情况", "AnnexTitle")
    letter.table(FEEDBACK_ROSTER, "m", "letter.roster")
    letter.letter_end()
    para("{%p endfor %}")
    return letter.saved("考评结果反馈函")


CERTIFICATE_LINES = (
    ("序号", "index", 2.2),
    ("日期", "date", 5.4),
    ("社区", "community", 4.2),
    ("服务项目", "project", 8.2),
    ("服务内容", "content", 0),
    ("时长（小时）", "hours", 6.2),
)


def build_certificate() -> bytes:
    """志愿服务记录证明: identity, service and issuer on one page, signed and sealed; all
    the activities on an annex when they do not fit the certificate's table."""
    letter = Letter()
    para = letter.para
    para("{%p for c in letters %}")
    letter.letter_start()
    para("志愿服务记录证明", "Title")
    para("{{ c.number }}", "Number")
    para(
        "兹证明{{ c.name }}（{{ c.id_document }}号码：{{ c.id_number }}"
        "{% if c.member_no %}，团员编号：{{ c.member_no }}{% endif %}）系{{ c.org }}团员，"
        "{{ c.period }}在{{ c.places }}参加志愿服务 {{ c.services }} 次，"
        "累计实际服务时长 {{ c.hours }} 小时（{{ c.minutes }} 分钟）。"
        "{% if c.annex %}服务记录共 {{ c.annex|length }} 条，前 {{ c.lines|length }} 条如下，"
        "全部记录见附件。{% else %}服务记录如下：{% endif %}",
        "BodyText",
    )
    letter.table(CERTIFICATE_LINES, "line", "c.lines", style="ScoreText")
    para("特此证明。", "Closing")
    para(style="SealRoom")
    para("{{ c.issuer }}（盖章）", "Signature")
    para(
        "负责人：{{ c.person_in_charge }}　经办人：{{ c.handler }}　联系电话：{{ c.contact }}",
        "Signers",
    )
    para("{{ c.issued_on }}", "Date")
    para("备注：{{ c.remarks }}", "Note")
    para("{%p if c.annex %}")
    para("附件", "AnnexLabel")
    para("{{ c.name }}志愿服务记录明细", "AnnexTitle")
    para("{{ c.number }}", "Number")
    letter.table(CERTIFICATE_LINES, "line", "c.annex", style="ScoreText")
    para("{%p endif %}")
    letter.letter_end()
    para("{%p endfor %}")
    return letter.saved("志愿服务记录证明")


def main() -> None:
    for name, make in (
        ("checkin.docx", build),
        ("feedback.docx", build_feedback),
        ("certificate.docx", build_certificate),
    ):
        target = ROOT / "templates" / name
        target.write_bytes(make())
        print(target)


if __name__ == "__main__":
    main()
