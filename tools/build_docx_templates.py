"""Build templates/checkin.docx, the Word check-in letter, with python-docx.

    python tools/build_docx_templates.py

The .docx is committed; run this after changing the layout. Layout after GB/T 9704-2012:
A4; margins top 37 mm, bottom 35, left 28, right 26; title 22 pt (2号) 小标宋; body 16 pt
(3号) 仿宋 with a two-character first-line indent; fixed 28.95 pt lines. Jinja tags follow
docxtpl: {%p %} for paragraph loops, {%tr %} for table-row loops.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import cast

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuanggang.render.ooxml import normalise  # noqa: E402

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
TABLE_FONT = "宋体"
HEADER = ("序号", "姓名", "性别", "身份证号", "手机号码", "专业特长", "服务类别")
CELLS = ("index", "name", "gender", "id_number", "phone", "specialty", "category")


def set_font(style_or_run: ParagraphStyle | Run, name: str, size: float) -> None:
    font = style_or_run.font
    font.name = name
    font.size = Pt(size)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def new_document() -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    normal = cast(ParagraphStyle, doc.styles["Normal"])
    set_font(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28.95)
    normal.paragraph_format.space_after = Pt(0)
    title = cast(ParagraphStyle, doc.styles["Title"])
    set_font(title, TITLE_FONT, 22)
    title.font.bold = False
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(40)
    title.paragraph_format.space_after = Pt(0)
    title.element.get_or_add_pPr()
    for border in title.element.pPr.findall(qn("w:pBdr")):  # the default underline rule
        title.element.pPr.remove(border)
    heading = cast(ParagraphStyle, doc.styles["Heading 2"])
    set_font(heading, TITLE_FONT, 16)
    heading.font.bold = False
    heading.font.color.rgb = None
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(0)
    return doc


def saved(doc: DocumentObject, title: str) -> bytes:
    import io

    doc.core_properties.author = "shuanggang"
    doc.core_properties.title = title
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise(buffer.getvalue(), datetime(2000, 1, 1))


def adder(doc: DocumentObject) -> Callable[..., Paragraph]:
    def para(
        text: str = "",
        style: str | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = False,
    ) -> Paragraph:
        p = doc.add_paragraph(text, style=style)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        return p

    return para


def table(
    doc: DocumentObject,
    header: tuple[str, ...],
    cells: tuple[str, ...],
    loop: str,
    end: str,
    total: tuple[str, ...] = (),
) -> None:
    grid = doc.add_table(rows=5 if total else 4, cols=len(header))
    for c, text in enumerate(total):
        grid.cell(4, c).text = text
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, label in enumerate(header):
        grid.cell(0, c).text = label
        grid.cell(2, c).text = cells[c]
    grid.cell(1, 0).text = loop
    grid.cell(3, 0).text = end
    for row in grid.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.line_spacing = Pt(18)
                for run in p.runs:
                    set_font(run, TABLE_FONT, 10.5)


def build() -> bytes:
    doc = new_document()
    para = adder(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    para("{%p for letter in letters %}")
    para("团组织报到介绍信（存根）", style="Heading 2")
    para("{{ letter.number }}", align=right)
    para(
        "{{ letter.org_unit }}（团员 {{ letter.members }} 名）前往{{ letter.community_name }}报到"
        "{% if letter.projects %}，认领为民服务项目 {{ letter.projects|length }} 个{% endif %}。",
        indent=True,
    )
    para("{{ letter.issuer }}　{{ letter.issued_on }}", align=right)
    para(
        "- - - - - - - - - - - - （此处裁开） - - - - - - - - - - - -",
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    para("团组织报到介绍信", style="Title")
    para("{{ letter.number }}", align=right)
    para("{{ letter.community_name }}：")
    para(
        "兹介绍{{ letter.org_unit }}携团员 {{ letter.members }} 名（名单附后），"
        "前往你社区统一报到，参加团员“双岗双责”工作，编入登记活动团支部开展为民服务活动。"
        "{% if letter.projects %}"
        "该团组织现场认领为民服务项目：{{ letter.projects|join('；') }}。{% else %}"
        "请向其提供《为民服务实事台账》，以便认领服务项目。{% endif %}请予接洽。",
        indent=True,
    )
    para("此致", indent=True)
    para("敬礼！")
    para()
    para()
    para("{{ letter.issuer }}", align=right)
    para("{{ letter.issued_on }}", align=right)
    para("（本介绍信有效期 {{ letter.validity_days }} 天）")
    para().add_run().add_break(WD_BREAK.PAGE)
    para("附件")
    para("{{ letter.org }}团员名单", style="Heading 2")
    para("共 {{ letter.members }} 人", align=right)
    table(
        doc,
        HEADER,
        tuple(f"{{{{ m.{c} }}}}" for c in CELLS),
        "{%tr for m in letter.roster %}",
        "{%tr endfor %}",
    )
    para("{%p if not loop.last %}")
    para().add_run().add_break(WD_BREAK.PAGE)
    para("{%p endif %}")
    para("{%p endfor %}")
    return saved(doc, "团组织报到介绍信")


def build_feedback() -> bytes:
    """考评结果反馈函: the same machinery and layout as the check-in letter."""
    doc = new_document()
    para = adder(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    para("{%p for letter in letters %}")
    para("{{ letter.year }}年度团员“双岗双责”工作考评结果反馈函", style="Title")
    para("{{ letter.number }}", align=right)
    para("{{ letter.org }}：")
    para(
        "{{ letter.year }}年，贵单位团组织在{{ letter.community_name }}报到，"
        "团员 {{ letter.members }} 名，"
        "其中 {{ letter.active }} 名参加了为民服务活动（参与率 {{ letter.participation }}），"
        "全年服务 {{ letter.services }} 人次、{{ letter.hours }} 小时，与社区互通协商 "
        "{{ letter.consultations }} 次。经综合考评，得分 {{ letter.score }} 分，"
        "等次为“{{ letter.grade }}”。"
        "{% if letter.note %}{{ letter.note }}。{% endif %}",
        indent=True,
    )
    table(
        doc,
        ("考评项目", "满分", "得分"),
        ("{{ part.label }}", "{{ part.weight }}", "{{ part.value }}"),
        "{%tr for part in letter.parts %}",
        "{%tr endfor %}",
        total=("合计", "100", "{{ letter.score }}"),
    )
    para("{{ letter.verdict }}{{ letter.recommend_text }}", indent=True)
    para("{{ letter.expectation }}", indent=True)
    para()
    para("{{ letter.issuer }}", align=right)
    para("{{ letter.issued_on }}", align=right)
    para().add_run().add_break(WD_BREAK.PAGE)
    para("附件")
    para("{{ letter.org }}团员参与情况", style="Heading 2")
    table(
        doc,
        ("序号", "姓名", "身份证号", "服务次数", "服务时长（小时）", "推优资格"),
        (
            "{{ m.index }}",
            "{{ m.name }}",
            "{{ m.id_number }}",
            "{{ m.services }}",
            "{{ m.hours }}",
            "{{ m.eligible }}",
        ),
        "{%tr for m in letter.roster %}",
        "{%tr endfor %}",
    )
    para("{%p if not loop.last %}")
    para().add_run().add_break(WD_BREAK.PAGE)
    para("{%p endif %}")
    para("{%p endfor %}")
    return saved(doc, "考评结果反馈函")


CERTIFICATE_HEADER = ("序号", "日期", "社区", "服务项目", "服务内容", "时长（小时）")
CERTIFICATE_CELLS = tuple(
    f"{{{{ line.{c} }}}}" for c in ("index", "date", "community", "project", "content", "hours")
)


def build_certificate() -> bytes:
    """志愿服务记录证明: the same layout as the letters; the annex only when the
    activities do not all fit on the certificate."""
    doc = new_document()
    para = adder(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    para("{%p for c in certificates %}")
    para("志愿服务记录证明", style="Title")
    para("{{ c.number }}", align=right)
    para(
        "兹证明{{ c.name }}（{{ c.id_document }}号码：{{ c.id_number }}"
        "{% if c.member_no %}，团员编号：{{ c.member_no }}{% endif %}）系{{ c.org }}团员，"
        "{{ c.period }}在{{ c.places }}参加志愿服务 {{ c.services }} 次，"
        "累计实际服务时长 {{ c.hours }} 小时（{{ c.minutes }} 分钟）。"
        "{% if c.annex %}服务记录共 {{ c.annex|length }} 条，前 {{ c.lines|length }} 条如下，"
        "全部记录见附件。{% else %}服务记录如下：{% endif %}",
        indent=True,
    )
    table(
        doc,
        CERTIFICATE_HEADER,
        CERTIFICATE_CELLS,
        "{%tr for line in c.lines %}",
        "{%tr endfor %}",
    )
    para("特此证明。", indent=True)
    para()
    para("{{ c.issuer }}（盖章）", align=right)
    para("负责人：{{ c.person_in_charge }}　　经办人：{{ c.handler }}　　联系电话：{{ c.contact }}")
    para("{{ c.issued_on }}", align=right)
    para("备注：{{ c.remarks }}")
    para("{%p if c.annex %}")
    para().add_run().add_break(WD_BREAK.PAGE)
    para("附件")
    para("{{ c.name }}志愿服务记录明细", style="Heading 2")
    para("{{ c.number }}", align=right)
    table(
        doc,
        CERTIFICATE_HEADER,
        CERTIFICATE_CELLS,
        "{%tr for line in c.annex %}",
        "{%tr endfor %}",
    )
    para("{%p endif %}")
    para("{%p if not loop.last %}")
    para().add_run().add_break(WD_BREAK.PAGE)
    para("{%p endif %}")
    para("{%p endfor %}")
    return saved(doc, "志愿服务记录证明")


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
