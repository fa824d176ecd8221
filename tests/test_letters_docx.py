""".docx letters render every part docxtpl renders (body, headers, footers, core
properties, footnotes), exactly as docxtpl's own `DocxTemplate.render` does, however
many letters come from one loaded template."""

from __future__ import annotations

import dataclasses
import functools
import io
import re
import zipfile
from pathlib import Path

import docxtpl
import markupsafe
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined
from test_letters import LETTER

from shuanggang.render import ooxml
from shuanggang.render.letters import FIXED_TIME, DocxTemplate, docx_template, template_path
from shuanggang.store import Workspace

OTHER = dataclasses.replace(
    LETTER, number="芝团报〔2026〕018号", org="芝罘区教育局团委", roster=LETTER.roster[:1]
)
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>报到地点：{{ letters[0].street }}团工委</w:t></w:r>'
    "</w:p></w:footnote></w:footnotes>"
)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """The built-in check-in letter as a user might edit it in Word: fields in the header,
    the footer, the document title and a footnote."""
    doc = Document(str(template_path("checkin.docx", None)))
    section = doc.sections[0]
    section.header.paragraphs[0].text = "{{ letters[0].issuer }}（页眉）"
    section.footer.paragraphs[0].text = "共 {{ letters|length }} 份　{{ letters[0].org }}"
    doc.core_properties.title = "{{ letters[0].org }} 报到介绍信"
    doc.core_properties.subject = "{{ letters[0].number }}"
    edited = io.BytesIO()
    doc.save(edited)
    path = tmp_path / "checkin.docx"
    with zipfile.ZipFile(edited) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                part = f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/>'
                data = data.replace(b"</Types>", part.encode() + b"</Types>")
            elif info.filename == "word/_rels/document.xml.rels":
                rel = f'<Relationship Id="rId99" Type="{FOOTNOTES_REL}" Target="footnotes.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            out.writestr(info, data)
        out.writestr("word/footnotes.xml", FOOTNOTES.encode("utf-8"))
    return path


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def opened(data: bytes, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "letter.docx"
    path.write_bytes(data)
    return Document(str(path))


def test_header_footer_properties_and_footnotes_are_rendered(template: Path, tmp_path: Path):
    data = docx_template(template.parent).render(letters=[LETTER])
    doc = opened(data, tmp_path)
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "共青团东山街道工作委员会（页眉）"
    assert section.footer.paragraphs[0].text == "共 1 份　烟台山医院团委"
    assert doc.core_properties.title == "烟台山医院团委 报到介绍信"
    assert doc.core_properties.subject == "芝团报〔2026〕017号"
    footnotes = parts(data)["word/footnotes.xml"].decode("utf-8")
    assert "报到地点：东山街道团工委" in footnotes
    assert not [n for n, xml in parts(data).items() if b"{{" in xml], "a field left unrendered"


def test_the_combined_file_holds_every_letter(template: Path, tmp_path: Path) -> None:
    data = docx_template(template.parent).render(letters=[LETTER, OTHER, LETTER])
    doc = opened(data, tmp_path)
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("团组织报到介绍信（存根）") == 3
    assert texts.count("芝团报〔2026〕017号") == 4 and texts.count("芝团报〔2026〕018号") == 2
    assert doc.sections[0].footer.paragraphs[0].text == "共 3 份　烟台山医院团委"


def test_letters_from_one_template_are_what_docxtpl_makes_of_each(template: Path) -> None:
    """Byte for byte the parts docxtpl's public render writes, with the zip's times and
    the document's created and modified times fixed, whatever was rendered before."""
    ours = docx_template(template.parent)
    ours.render(letters=[OTHER])  # a render before must leave nothing behind
    for letters in ([LETTER], [OTHER, LETTER]):
        naive = docxtpl.DocxTemplate(str(template))
        naive.render({"letters": letters}, Environment(autoescape=True, undefined=StrictUndefined))
        saved = io.BytesIO()
        naive.save(saved)
        expected = parts(saved.getvalue())
        expected["docProps/core.xml"] = ooxml.fixed_core_times(
            expected["docProps/core.xml"], FIXED_TIME
        )
        actual = parts(ours.render(letters=letters))
        assert sorted(actual) == sorted(expected)
        assert [n for n in expected if actual[n] != expected[n]] == []


def test_same_letters_same_bytes(template: Path) -> None:
    renderer = docx_template(template.parent)
    first = renderer.render(letters=[LETTER])
    renderer.render(letters=[OTHER, OTHER])
    assert renderer.render(letters=[LETTER]) == first
    assert docx_template(template.parent).render(letters=[LETTER]) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {ooxml.ZIP_TIME}


def test_properties_hold_the_value_itself(template: Path, tmp_path: Path) -> None:
    """Word shows core properties as plain text: escaped once, by python-docx."""
    hostile = dataclasses.replace(LETTER, org='A&B "团委" <x>')
    data = docx_template(template.parent).render(letters=[hostile])
    doc = opened(data, tmp_path)
    assert doc.core_properties.title == 'A&B "团委" <x> 报到介绍信'
    assert doc.sections[0].footer.paragraphs[0].text == '共 1 份　A&B "团委" <x>'
    assert re.search(rb"<x>", parts(data)["word/document.xml"]) is None


def docxtpl_parts(path: Path, letters: list[object]) -> dict[str, bytes]:
    """What docxtpl's own render and save write, with the document's times fixed."""
    naive = docxtpl.DocxTemplate(str(path))
    naive.render({"letters": letters}, Environment(autoescape=True, undefined=StrictUndefined))
    saved = io.BytesIO()
    naive.save(saved)
    expected = parts(saved.getvalue())
    expected["docProps/core.xml"] = ooxml.fixed_core_times(
        expected["docProps/core.xml"], FIXED_TIME
    )
    return expected


@pytest.fixture
def table_fixes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times docxtpl's full table fix ran for one of our renders."""
    calls: list[int] = []
    full = docxtpl.DocxTemplate.fix_tables

    def counted(self, xml):  # type: ignore[no-untyped-def]
        if type(self) is not docxtpl.DocxTemplate:
            calls.append(1)
        return full(self, xml)

    monkeypatch.setattr(docxtpl.DocxTemplate, "fix_tables", counted)
    return calls


def test_a_table_whose_grid_changes_goes_through_docxtpls_fix(
    tmp_path: Path, table_fixes: list[int]
) -> None:
    """Columns made by `{%tc for %}` under a `{% colspan %}` cell: the table's grid grows
    and shrinks with the letters, as docxtpl's table fix makes it, byte for byte."""
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    cells = ("{%tc for l in letters %}", "{{ l.org }}", "{%tc endfor %}")
    for cell, text in zip(table.rows[0].cells, cells, strict=True):
        cell.text = text
    heading = table.cell(1, 0).merge(table.cell(1, 2))
    heading.text = "{% colspan letters|length %}{{ letters[0].number }}"
    path = tmp_path / "columns.docx"
    doc.save(str(path))
    ours = docx_template(tmp_path, "columns.docx")
    columns = []
    for letters in ([LETTER], [LETTER, OTHER, LETTER, OTHER, LETTER], [OTHER, LETTER, OTHER]):
        actual = parts(ours.render(letters=letters))
        expected = docxtpl_parts(path, list(letters))
        assert sorted(actual) == sorted(expected)
        assert [n for n in expected if actual[n] != expected[n]] == []
        columns.append(actual["word/document.xml"].count(b"<w:gridCol "))
    assert columns == [1, 5, 3]
    assert len(table_fixes) == 2, "one letter and five need docxtpl's fix; three fit"


def test_a_table_that_fits_its_grid_skips_the_full_fix(
    template: Path, table_fixes: list[int]
) -> None:
    ours = docx_template(template.parent)
    assert parts(ours.render(letters=[LETTER])) == docxtpl_parts(template, [LETTER])
    assert table_fixes == []


def many(n: int) -> list[object]:
    """Letters of differing rosters, with tabs and line breaks in names (docxtpl turns
    them into Word's tabs and breaks): enough XML for the body to be cut many times."""
    lines = LETTER.roster
    return [
        dataclasses.replace(
            LETTER,
            number=f"芝团报〔2026〕{i:03d}号",
            org=f"单位{i}\t甲\n乙",
            roster=tuple(dataclasses.replace(lines[i % 2], index=j) for j in range(i % 40)),
        )
        for i in range(n)
    ]


def test_a_long_combined_file_is_what_docxtpl_makes_of_it(template: Path) -> None:
    """The streamed body, cut and parsed piece by piece, comes out as docxtpl's whole."""
    letters = many(60)
    ours = parts(docx_template(template.parent).render(letters=letters))
    assert len(ours["word/document.xml"]) > 20 * (1 << 16), "the body is cut many times"
    assert ours == docxtpl_parts(template, letters)


def test_a_combined_file_written_to_disk_is_the_rendered_one(
    template: Path, tmp_path: Path
) -> None:
    letters = many(30)
    renderer = docx_template(template.parent)
    target = tmp_path / "out" / "合并打印.docx"
    assert renderer.write(target, letters=letters) == target
    assert target.read_bytes() == renderer.render(letters=letters)
    assert [p.name for p in target.parent.iterdir()] == [target.name], "no temporary left"


def test_a_failing_letter_leaves_no_combined_file(template: Path, tmp_path: Path) -> None:
    broken = dataclasses.replace(LETTER, roster=None)  # type: ignore[arg-type]  # its loop fails
    target = tmp_path / "合并打印.docx"
    with pytest.raises(TypeError):
        docx_template(template.parent).write(target, letters=[*many(30), broken])
    assert list(tmp_path.iterdir()) == [template]


def test_a_combined_file_is_written_in_little_memory(template: Path, tmp_path: Path) -> None:
    """The body is never held whole: Python's peak allocation while writing 120 letters
    stays a small part of the document's XML."""
    import tracemalloc

    letters = many(120)
    renderer = docx_template(template.parent)
    renderer.write(tmp_path / "warm.docx", letters=letters[:2])
    tracemalloc.start()
    renderer.write(tmp_path / "合并打印.docx", letters=letters)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with zipfile.ZipFile(tmp_path / "合并打印.docx") as package:
        xml = package.getinfo("word/document.xml").file_size
    assert xml > 3 << 20
    assert peak < xml / 2  # the body as one string would be about twice the XML


# --- letters written without a parse --------------------------------------------------


def builtin_parts(name: str, letters: list[object]) -> dict[str, bytes]:
    return docxtpl_parts(template_path(name, None), letters)


@pytest.fixture
def unparsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bodies went through lxml (docxtpl's way) for our renders."""
    calls: list[int] = []
    parsed = DocxTemplate._parsed

    def counted(self, pieces):  # type: ignore[no-untyped-def]
        calls.append(1)
        return parsed(self, pieces)

    monkeypatch.setattr(DocxTemplate, "_parsed", counted)
    return calls


def kinds() -> list[tuple[str, list[object]]]:
    from test_certificates import CERTIFICATE
    from test_report import LETTER as FEEDBACK

    return [
        ("checkin.docx", [LETTER]),
        ("checkin.docx", [LETTER, OTHER]),
        ("checkin.docx", [dataclasses.replace(LETTER, projects=(), roster=())]),
        ("feedback.docx", [FEEDBACK]),
        ("certificate.docx", [CERTIFICATE]),
    ]


@pytest.mark.parametrize("index", range(5))
def test_each_builtin_letter_is_written_without_a_parse_as_docxtpl_writes_it(
    index: int, unparsed: list[int]
) -> None:
    name, letters = kinds()[index]
    ours = docx_template(None, name)
    for _ in range(2):  # and the same again from the loaded template
        assert parts(ours.render(letters=letters)) == builtin_parts(name, letters)
    assert unparsed == []


# Values lxml would write otherwise than they come out of Jinja: quotes (escaped by
# markupsafe as character references), empty text (an empty element), markup, tabs and
# breaks (docxtpl's runs), carriage returns, other control characters.
AWKWARD = [
    ("引号\"双\"与'单'", False),
    ("A&B <团委> ]]> &amp; &#34;", False),
    ("", False),
    ("　全角空格 与 emoji 🎉", False),
    ("制表\t与换行\n", True),
    ("回车\r", True),
    ("响铃\a分页\f", True),
    (markupsafe.Markup("A&amp;B"), True),
    (markupsafe.Markup("甲<w:br/>乙"), True),
]


@pytest.mark.parametrize(("value", "through_lxml"), AWKWARD)
def test_awkward_values_come_out_as_docxtpl_writes_them(
    value: str, through_lxml: bool, unparsed: list[int]
) -> None:
    letter = dataclasses.replace(
        LETTER,
        org=value,
        roster=(dataclasses.replace(LETTER.roster[0], specialty=value, phone=""),),
    )
    assert parts(docx_template(None).render(letters=[letter])) == builtin_parts(
        "checkin.docx", [letter]
    )
    assert len(unparsed) == through_lxml


def test_a_template_with_a_block_among_cells_goes_through_lxml(
    tmp_path: Path, unparsed: list[int]
) -> None:
    """Rows whose cells a block leaves out or repeats: docxtpl's table fix decides."""
    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "{%tc for l in letters %}"
    table.cell(0, 1).text = "{{ l.org }}{%tc endfor %}"
    table.cell(1, 0).text = "{{ letters[0].number }}"
    doc.save(str(tmp_path / "cells.docx"))
    for letters in ([LETTER], [LETTER, OTHER, LETTER]):
        actual = parts(docx_template(tmp_path, "cells.docx").render(letters=letters))
        assert actual == docxtpl_parts(tmp_path / "cells.docx", list(letters))
    assert len(unparsed) == 2


def test_a_table_whose_only_full_row_a_block_may_drop_goes_through_lxml(
    tmp_path: Path, unparsed: list[int]
) -> None:
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr if letters|length > 1 %}"
    table.cell(1, 0).text = "{{ letters[0].org }}"
    table.cell(1, 1).text = "x"
    table.cell(2, 0).text = "{%tr endif %}"
    merged = doc.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "{{ letters[0].number }}"
    doc.save(str(tmp_path / "rows.docx"))
    for letters in ([LETTER], [LETTER, OTHER]):
        actual = parts(docx_template(tmp_path, "rows.docx").render(letters=letters))
        assert actual == docxtpl_parts(tmp_path / "rows.docx", list(letters))
    assert len(unparsed) == 2


@pytest.mark.parametrize(
    ("body", "plain"),
    [
        ("<w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p>", ({"w:t"}, set())),
        ("{% for x in a %}<w:p/>{% else %}<w:p><w:r/></w:p>{% endfor %}", (set(), {"w:body"})),
        (
            "<w:p>{# a #}<w:r><w:t>{{ a }}{% if b %}x{% endif %}</w:t></w:r></w:p>",
            ({"w:t"}, {"w:p"}),
        ),
        ("<w:p>{% if a %}<w:r>{% endif %}</w:r></w:p>", None),  # a block cuts an element
        ("<w:p>{% if a %}<w:r/>{% else %}</w:p><w:p>{% endif %}</w:p>", None),
        ('<w:p w:rsidR="{{ a }}"/>', None),  # a field inside a tag
        ("<w:p><w:r><w:t>&#34;{{ a }}</w:t></w:r></w:p>", None),  # a character reference
        ("<w:p><!-- {{ a }} --></w:p>", None),
        ("<w:p><w:r><w:t>&quot;{{ a }}</w:t></w:r></w:p>", None),  # not as lxml writes text
        ('<w:p><w:r xmlns:x="x"><w:t>{{ a }}</w:t></w:r></w:p>', None),
        ("<w:p></w:p>", None),  # an empty element as lxml never writes it
        ("{% set x = 1 %}<w:p/>", None),
        ('<w:p><w:r><w:drawing><wp:docPr id="1"/></w:drawing></w:r></w:p>', None),
        (
            "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:tbl><w:tblGrid/>"
            "</w:tbl></w:tc></w:tr></w:tbl>",
            None,  # a nested table
        ),
        (
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr><w:tc/>"
            '<w:tc/></w:tr>{% for x in a %}<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/>'
            "</w:tcPr></w:tc></w:tr>{% endfor %}</w:tbl>",
            (set(), set()),
        ),
        (
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{% for x in a %}<w:tr>"
            "<w:tc/><w:tc/></w:tr>{% endfor %}</w:tbl>",
            None,  # the one full row may be left out
        ),
        (
            "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc/><w:tc/></w:tr></w:tbl>",
            None,  # more cells than columns
        ),
    ],
)
def test_which_structures_are_plain(body: str, plain: tuple[set[str], set[str]] | None) -> None:
    """Plain, and which elements may come out empty after a field or after a block."""
    from shuanggang.render.letters import _environment, _plain_structure

    source = f'<w:body xmlns:w="{W}" xmlns:wp="wp">{body}</w:body>'
    found = _plain_structure(source, _environment(autoescape=False))
    if plain is None:
        assert found is None
    else:
        assert found is not None
        assert (found.after_fields, found.after_blocks) == plain


# --- margins without fields: rendered once ---------------------------------------------


def edited(tmp_path: Path, where: str) -> Path:
    """The built-in check-in letter with one field in one place outside its body."""
    doc = Document(str(template_path("checkin.docx", None)))
    if where == "header":
        doc.sections[0].header.paragraphs[0].text = "{{ letters[0].issuer }}"
    elif where == "footer":
        doc.sections[0].footer.add_paragraph("{{ letters|length }} 份")
    elif where == "property":
        doc.core_properties.keywords = "{{ letters[0].number }}"
        doc.core_properties.subject = "{{ letters[0].number }}"
    elif where == "comment":
        doc.sections[0].footer.add_paragraph("{# 备注 #}")
    path = tmp_path / where / "checkin.docx"
    path.parent.mkdir()
    doc.save(str(path))
    return path


@pytest.mark.parametrize("where", ["header", "footer", "property", "comment", "nowhere"])
def test_margins_with_a_field_are_rendered_for_each_letter(tmp_path: Path, where: str) -> None:
    path = edited(tmp_path, where)
    ours = docx_template(path.parent)
    assert (ours._fixed is None) == (where != "nowhere")
    for letters in ([LETTER], [OTHER, LETTER]):
        assert parts(ours.render(letters=letters)) == docxtpl_parts(path, list(letters))


@pytest.mark.parametrize("name", ["checkin.docx", "feedback.docx", "certificate.docx"])
def test_a_package_written_once_holds_the_bytes_zipfile_writes(name: str) -> None:
    """The built-in templates have no field outside their body: all but the document is
    written once, and each letter's package is byte for byte the one zipfile writes."""
    _, letters = next(kind for kind in kinds() if kind[0] == name)
    fixed = docx_template(None, name)
    assert fixed._fixed is not None
    general = docx_template(None, name)
    general._fixed = None
    for batch in (letters, letters * 3, []):
        assert fixed.render(letters=batch) == general.render(letters=batch)


def test_a_long_combined_file_of_plain_letters_is_what_docxtpl_makes_of_it(
    unparsed: list[int],
) -> None:
    """Too long to hold whole: begun as a letter written as is, streamed through lxml."""
    lines = LETTER.roster
    letters: list[object] = [
        dataclasses.replace(
            LETTER,
            number=f"芝团报〔2026〕{i:03d}号",
            roster=tuple(dataclasses.replace(lines[i % 2], index=j) for j in range(i % 40)),
        )
        for i in range(60)
    ]
    ours = parts(docx_template(None).render(letters=letters))
    assert len(ours["word/document.xml"]) > 4 * (1 << 18), "more than is held"
    assert ours == builtin_parts("checkin.docx", letters)
    assert len(unparsed) == 1


def test_a_body_left_empty_is_what_docxtpl_makes_of_it(tmp_path: Path) -> None:
    doc = Document()
    for text in ("{%p for l in letters %}", "{{ l.org }}", "{%p endfor %}"):
        doc.add_paragraph(text)
    body = doc.element.body
    body.remove(body.sectPr)
    doc.save(str(tmp_path / "bare.docx"))
    ours = docx_template(tmp_path, "bare.docx")
    for letters in ([], [LETTER], []):
        actual = parts(ours.render(letters=letters))
        assert actual == docxtpl_parts(tmp_path / "bare.docx", list(letters))


# Pieces of field text: quotes, XML's and Jinja's and docxtpl's special characters, tabs
# and breaks, a full-width space, what looks like an escape or a CDATA end.
FIELD_TEXT = st.lists(
    st.sampled_from(
        [*"甲乙 \u3000a&<>\"'{}%_#;/\\=\t\n", "&amp;", "&#34;", "]]>", "{_{", "}_}", "{_%", "%_}"]
    ),
    max_size=8,
).map("".join)


@functools.cache
def checkin_renderer() -> DocxTemplate:
    return docx_template(None)


@settings(max_examples=40, deadline=None)
@given(org=FIELD_TEXT, name=FIELD_TEXT, phone=FIELD_TEXT, projects=st.lists(FIELD_TEXT, max_size=2))
def test_whatever_the_fields_hold_a_letter_is_what_docxtpl_makes_of_it(
    org: str, name: str, phone: str, projects: list[str]
) -> None:
    letter = dataclasses.replace(
        LETTER,
        org=org,
        projects=tuple(projects),
        roster=(dataclasses.replace(LETTER.roster[0], name=name, phone=phone),),
    )
    rendered = checkin_renderer().render(letters=[letter])
    assert parts(rendered) == builtin_parts("checkin.docx", [letter])


def test_a_workspace_word_template_with_fields_in_its_margins(
    cli, ws: Workspace, tmp_path: Path
) -> None:
    """A check-in letter template a street edited in Word, fields in its header and
    footer, put in the workspace's templates/: the letter `register` writes has them
    rendered."""
    import json

    import sheetmaker as sm
    from test_register import LEDGER, member_sheet

    doc = Document(str(template_path("checkin.docx", None)))
    doc.sections[0].header.paragraphs[0].text = "{{ letters[0].issuer }}（页眉）"
    doc.sections[0].footer.add_paragraph("{{ letters[0].org }} 共 {{ letters|length }} 份")
    ws.templates_dir.mkdir(exist_ok=True)
    doc.save(str(ws.templates_dir / "checkin.docx"))
    cli("projects", "import", sm.write_xlsx(tmp_path / "台账.xlsx", LEDGER), "-w", ws.root)
    org = "海岸物业公司"
    result = cli("register", member_sheet(tmp_path), "--org", org, "--json", "-w", ws.root)
    assert result.exit_code == 0, result.stdout
    (path,) = [p for p in json.loads(result.stdout)[0]["outputs"] if p.endswith(".docx")]
    letter = Document(path)
    assert letter.sections[0].header.paragraphs[0].text.endswith("工作委员会（页眉）")
    assert letter.sections[0].footer.paragraphs[-1].text == f"{org} 共 1 份"
    assert not [n for n, xml in parts(Path(path).read_bytes()).items() if b"{{" in xml]
