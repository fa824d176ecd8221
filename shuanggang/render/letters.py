"""Letters as printable HTML (Jinja2) and Word (.docx, docxtpl-style templates).

Templates are looked up in the workspace's `templates/` first, then the built-in ones.
Everything from users is escaped (HTML autoescape; XML escaping in the .docx). Each .docx
letter is what docxtpl renders (body, headers, footers, properties, footnotes), byte for
byte; the template is read and its parts compiled once per renderer, not once per letter,
and what is the same for every letter is rendered and compressed once.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from shuanggang import fsutil
from shuanggang.render import ooxml
from shuanggang.resources import templates_dir

FIXED_TIME = datetime(2000, 1, 1)
FORMATS = ("html", "docx", "pdf")  # pdf: the .docx letter converted by LibreOffice


@dataclass(frozen=True, slots=True)
class RosterLine:
    index: int
    name: str
    gender: str
    id_number: str  # masked
    phone: str  # masked
    specialty: str
    category: str


@dataclass(frozen=True, slots=True)
class CheckinLetter:
    number: str
    org: str
    community: str
    community_name: str  # 海岸路社区居民委员会
    street: str
    issuer: str  # 共青团东山街道工作委员会
    issued_on: str  # 2026年3月5日
    members: int
    projects: tuple[str, ...]
    validity_days: int
    roster: tuple[RosterLine, ...]

    @property
    def org_unit(self) -> str:
        """The organisation as a league body: 某公司团组织, but 烟台山医院团委 as it is
        (not 烟台山医院团委团组织)."""
        return self.org if _LEAGUE_BODY.search(self.org) else f"{self.org}团组织"


_LEAGUE_BODY = re.compile(r"(团委|团支部|团总支|团工委|团组织)(\s*[（(][^（()）]*[）)])?$")


def template_path(name: str, override: Path | None) -> Path:
    if override is not None and (override / name).is_file():
        return override / name
    return templates_dir() / name


def html_environment(override: Path | None) -> Any:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(str(p)) for p in (override, templates_dir()) if p is not None]
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


class HtmlLetters:
    """HTML letters from one Jinja environment and one compiled template, for as many
    letters and files as a writer makes."""

    def __init__(self, override: Path | None, name: str = "checkin.html.j2") -> None:
        self.environment = html_environment(override)
        self._name = name
        self._template: Any = None

    def _compiled(self) -> Any:
        if self._template is None:
            self._template = self.environment.get_template(self._name)
        return self._template

    def render(self, letters: Sequence[Any]) -> str:
        return str(self._compiled().render(letters=letters))

    # A page of up to this many letters is rendered whole and written at once; a longer
    # one (a combined print file) piece by piece, never held whole.
    WHOLE = 16

    def write(self, target: Path, letters: Sequence[Any]) -> Path:
        """The page, atomically: the same bytes as `render`."""
        if len(letters) <= self.WHOLE:
            # One write: a letter's thousand small pieces written one by one cost more
            # than rendering them.
            return fsutil.write_bytes(target, self.render(letters).encode("utf-8"))
        with (
            fsutil.atomic_path(target) as tmp,
            open(tmp, "w", encoding="utf-8", newline="") as out,
        ):
            for piece in self._compiled().generate(letters=letters):
                out.write(piece)
        return target


def render_html(
    letters: Sequence[Any], override: Path | None = None, name: str = "checkin.html.j2"
) -> str:
    return HtmlLetters(override, name).render(letters)


class DocxTemplate:
    """A .docx template read once and rendered many times, each time as docxtpl renders.

    Each letter comes out as docxtpl's own steps make it (patching the template's XML,
    rendering it with Jinja, resolving tabs and breaks, fixing table grids, numbering
    drawings) for the body, headers, footers, core properties and footnotes. What makes
    hundreds of letters from one template fast, and a combined file of thousands small
    in memory:

    - the template is read once, and each part's Jinja source compiled once;
    - headers, footers, properties and footnotes without a Jinja tag are rendered once,
      when the template is read, and the whole package but `word/document.xml` is then
      written and compressed once (`_Package`). With tags there, they are rendered for
      each letter, what the last render changed being put back first;
    - a body whose template structure is plain and whose fields hold plain text (see
      `_plain_structure`), as the built-in letters are, is Jinja's output written as it
      is, which is what lxml's parse and serialisation would give back (but for empty
      elements and escaped quotes, rewritten on the text);
    - any other body is streamed: Jinja's output is taken piece by piece, cut between
      two paragraphs, parsed as it comes, and each finished top-level element
      (paragraph, table) is fixed, written into the compressed `word/document.xml` and
      let go, between the document's own XML before and after its body. Neither the
      body's text nor its tree is held whole (a body is held whole, up to `_HELD`
      characters, only to be written as it is).

    The tests hold each part to what docxtpl's render followed by its save writes, byte
    for byte. Not for use from two threads at once.
    """

    def __init__(self, path: Path) -> None:
        self._template = _docxtpl_class()(io.BytesIO(path.read_bytes()))
        docx = self._template.get_docx()
        package = docx.part.package
        docx.core_properties  # noqa: B018 -- made here if missing, as docxtpl's render would
        self._core = package.part_related_by(_CORE)
        document = docx.part.blob
        body = _BODY.search(document)
        if body is None:
            raise ValueError(f"{path} has no document body")
        self._before_body, self._after_body = document[: body.start()], document[body.end() :]
        self._namespaces = dict(docx.element.nsmap)
        self._margins = {  # headers and footers, by relationship id
            key: rel.target_part
            for key, rel in docx.part.rels.items()
            if not rel.is_external and rel.reltype in (_HEADER, _FOOTER)
        }
        self._footnotes = {
            part: part.blob for part in package.iter_parts() if part.content_type == _FOOTNOTES
        }
        self._core_element = copy.deepcopy(self._core.element)
        self._rendered = frozenset(
            part.partname.membername
            for part in (docx.part, self._core, *self._margins.values(), *self._footnotes)
        )
        # Everything else, as docxtpl would save it, compressed once.
        saved = io.BytesIO()
        docx.save(saved)
        skeleton = io.BytesIO()
        with zipfile.ZipFile(saved) as src, zipfile.ZipFile(skeleton, "w") as out:
            for info in src.infolist():
                if info.filename not in self._rendered:
                    out.writestr(_entry(info.filename), src.read(info))
        self._skeleton = skeleton.getvalue()
        self._env = _environment(autoescape=True)
        self._template.env = self._env
        self._starts: dict[bytes, bytes] = {}
        self._source = ""
        # With no field in the headers, footers, properties and footnotes, their render
        # is the same for every letter: done once, and the whole package but the body
        # written and compressed once.
        self._fixed: _Package | None = None
        if not self._margins_have_fields():
            self._template.render_margins({}, self._env)
            self._template.is_rendered = False  # so that render_init keeps this document
            self._fixed = _Package(self._skeleton, self._rendered_parts())

    def _margins_have_fields(self) -> bool:
        """Whether a Jinja tag stands in the source of a header, footer, core property or
        footnotes, as docxtpl gives each to Jinja."""
        template = self._template
        sources = [template.patch_xml(template.get_part_xml(p)) for p in self._margins.values()]
        sources += [template.patch_xml(blob.decode("utf-8")) for blob in self._footnotes.values()]
        properties = template.docx.core_properties
        sources += [str(getattr(properties, name) or "") for name in _TEXT_PROPERTIES]
        return any(mark in text for text in sources for mark in ("{{", "{%", "{#"))

    def _rendered_parts(self) -> list[tuple[str, bytes | None]]:
        """The parts docxtpl renders, in the order its save writes them, as rendered
        (None for the document)."""
        package = self._template.docx.part.package
        document = package.main_document_part
        parts: list[tuple[str, bytes | None]] = []
        for part in package.iter_parts():
            name = part.partname.membername
            if part is document:
                parts.append((name, None))
            elif name in self._rendered:
                blob = part.blob
                if part is self._core:
                    blob = ooxml.fixed_core_times(blob, FIXED_TIME)
                parts.append((name, blob))
        return parts

    def _restore(self) -> None:
        """The template as read: what the last render changed is put back."""
        template = self._template
        rels = template.docx.part.rels
        for key, part in self._margins.items():
            rels[key]._target = part  # where docxtpl put the rendered header or footer
        for part, blob in self._footnotes.items():
            part._blob = blob  # where docxtpl put the rendered footnotes
        self._core._element = copy.deepcopy(self._core_element)
        template.is_rendered = False  # so that render() uses this document, not a new read

    def render(self, **context: Any) -> bytes:
        out = io.BytesIO()
        self._write(out, context)
        return out.getvalue()

    def write(self, target: Path, **context: Any) -> Path:
        """The letter(s) written into `target` atomically, the body streamed: the same
        bytes as `render`, without holding the document in memory."""
        with fsutil.atomic_path(target) as tmp, open(tmp, "w+b") as out:
            self._write(out, context)
        return target

    def _write(self, out: BinaryIO, context: dict[str, Any]) -> None:
        template = self._template
        if self._fixed is not None:
            template.render_init()  # what docxtpl's render sets up for the body
            self._fixed.write(out, self._document(context))
            return
        self._restore()
        template.render_margins(context, self._env)
        out.write(self._skeleton)
        with zipfile.ZipFile(out, "a") as docx:
            for name, blob in self._rendered_parts():
                if blob is not None:
                    docx.writestr(_entry(name), blob)
                    continue
                with docx.open(_entry(name), "w") as stream:
                    for piece in self._document(context):
                        stream.write(piece)

    def _document(self, context: dict[str, Any]) -> Iterator[bytes]:
        """`word/document.xml` with the rendered body, in pieces."""
        yield self._before_body
        yield from self._body(context)
        yield self._after_body

    def _body(self, context: dict[str, Any]) -> Iterator[bytes]:
        """The rendered `<w:body>` as python-docx would write it into the document once
        docxtpl's render had put it there, in pieces.

        A letter of a template whose structure is plain (see `_plain_structure`), with
        only plain text in its fields, is rendered text that lxml would write back as it
        is, but for its empty elements and the escapes of quotes: it is written so,
        without a parse. Anything else, and any body too long to hold, goes through
        lxml as docxtpl's render does."""
        template = self._template
        env = self._env
        if not self._source:  # the template's body never changes: nor does its source
            self._source = template.body_source()
        source = self._source
        plain = template.plain_structure(source)
        env.only_text, env.quoted, env.emptied = True, False, False
        if plain is None:
            yield from self._parsed(template.body_pieces(template.render_text(context, source)))
            return
        held: list[str] = []
        size = 0
        texts = template.jinja(source).generate(context)
        with template.located(source):
            while size <= _HELD and env.only_text:
                text = "".join(itertools.islice(texts, 1024))
                if not text:
                    break
                held.append(text)
                size += len(text)
        if size > _HELD or not env.only_text:  # too long to hold, or not plain text
            rest = template.render_text(context, source, texts)
            yield from self._parsed(template.body_pieces(itertools.chain(held, rest)))
            return
        whole = "".join(held)
        del held[:]
        written = self._written_as_is(whole, plain)
        if written is None:
            yield from self._parsed(template.body_pieces(iter((whole,))))
        else:
            yield written

    def _written_as_is(self, text: str, plain: _Plain) -> bytes | None:
        """`xml`, Jinja's output for a body of plain structure with plain text in every
        field, as docxtpl's rewrites and lxml's parse and serialisation would leave it.

        Its only line ends are the ones docxtpl puts before paragraphs and takes away;
        it has no tab nor break for docxtpl to rewrite; lxml writes it back as it is but
        for quotes in text, which markupsafe escapes and lxml does not, and empty
        elements, which lxml writes as `<a/>`. (None for an empty body: lxml's way.)"""
        xml = text.encode("utf-8").replace(b"\n", b"")
        if b"_" in xml and (b"{_" in xml or b"_}" in xml):
            xml = xml.replace(b"{_{", b"{{").replace(b"}_}", b"}}").replace(b"{_%", b"{%")
            xml = xml.replace(b"%_}", b"%}")
        if self._env.quoted:
            xml = xml.replace(b"&#34;", b'"').replace(b"&#39;", b"'")
        end = xml.index(b">") + 1
        start, rest = xml[:end], xml[end:]
        root = start[1:].split(None, 1)[0].rstrip(b">").decode()
        names = plain.after_blocks | (plain.after_fields if self._env.emptied else frozenset())
        for name in names:
            if name == root:  # its end tag is the last thing in it
                if rest == f"</{root}>".encode():
                    return None
            else:
                rest = _collapsed(rest, name.encode())
        return self._start(start) + rest

    def _start(self, tag: bytes) -> bytes:
        """The body's start tag as `_head` writes it."""
        from lxml import etree

        if tag not in self._starts:
            name = tag[1:].split(None, 1)[0].rstrip(b">")
            body = etree.fromstring(tag + b"<x/></" + name + b">")  # not empty: not <w:body/>
            self._starts[tag] = self._head(body)[0]
        return self._starts[tag]

    def _parsed(self, pieces: Iterator[str]) -> Iterator[bytes]:
        """The body written by lxml, parsed piece by piece as the pieces come."""
        from lxml import etree

        body_tag = f"{{{self._namespaces.get('w', '')}}}body"
        parser = etree.XMLPullParser(events=("start",), tag=body_tag, recover=True)
        body: Any = None
        head = b""
        ancestors: list[bytes] = []
        for xml in pieces:
            parser.feed(xml)
            for _, element in parser.read_events():  # only the first is wanted: the body
                if body is None:
                    body = element
            element = None  # no Python object left on an element that will be let go
            if body is not None and len(body) > 1:
                if not head:
                    head, ancestors = self._head(body)
                    yield head
                # All but the last one, which may still be growing.
                yield self._elements(body, len(body) - 1, ancestors)
        root = parser.close()
        if body is None:
            body = root
        if not head:
            if len(body) == 0:  # nothing but, perhaps, text: written whole
                yield self._whole(body)
                return
            head, ancestors = self._head(body)
            yield head
        yield self._elements(body, len(body), ancestors)
        yield _close_tag(body)

    def _head(self, body: Any) -> tuple[bytes, list[bytes]]:
        """The body's start tag and text, and the namespace declarations it passes on."""
        from lxml import etree

        start = etree.tostring(body, encoding="UTF-8")
        start = start[: start.index(b">") + 1]
        ancestors = _DECLARATION.findall(start)
        if body.nsmap.items() <= self._namespaces.items():  # declared on the document too
            start = _DECLARATION.sub(b"", start[:-1]) + b">"
        return start + _escaped(body.text), ancestors

    def _elements(self, body: Any, count: int, ancestors: list[bytes]) -> bytes:
        """The body's first `count` top-level elements, fixed as docxtpl fixes the whole
        body, written as they are inside it, and let go."""
        pieces = []
        for _ in range(count):
            pieces.append(self._element(body[0], ancestors))
            # Deleted with no Python object left on it, lxml frees the element at once
            # (with one left, it would first walk it to keep its namespaces: slow).
            del body[0]
        return b"".join(pieces)

    def _element(self, element: Any, ancestors: list[bytes]) -> bytes:
        from lxml import etree

        template = self._template
        fixed = template.fix_element(element)
        template.number_drawings(fixed)
        xml = etree.tostring(fixed, encoding="UTF-8")
        end = xml.index(b">")
        return _without_inherited(xml[:end], ancestors) + xml[end:]

    def _whole(self, body: Any) -> bytes:
        from lxml import etree

        xml = etree.tostring(body, encoding="UTF-8")
        if body.nsmap.items() <= self._namespaces.items():  # declared on the document too
            end = xml.index(b">")
            xml = _DECLARATION.sub(b"", xml[:end]) + xml[end:]
        return xml


_TEXT_PROPERTIES = (  # python-docx's core properties that are text (docxtpl renders some)
    "author",
    "category",
    "comments",
    "content_status",
    "identifier",
    "keywords",
    "language",
    "last_modified_by",
    "subject",
    "title",
    "version",
)
_BODY = re.compile(rb"<w:body\b.*</w:body>|<w:body\b[^>]*/>", re.DOTALL)
_DECLARATION = re.compile(rb'\s+xmlns(?::[\w.-]+)?="[^"]*"')
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_PIECE = 1 << 16  # characters of Jinja output gathered before a cut is looked for
_HELD = 1 << 18  # characters of a body held whole to be written without a parse
# What lxml would not write back as it is: control characters (tabs and breaks that
# docxtpl did not rewrite, carriage returns), surrogates and non-characters.
_NOT_AS_IS = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_ODD = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff\"']")  # or quotes
_TAG = re.compile(r"<(/?)([^\s<>/!?]+)([^<>]*?)(/?)>")
# Text and whole tags as lxml writes them: in text, only `&`, `<` and `>` escaped.
_DATA = re.compile(r"(?:[^<>&]|&(?:amp|lt|gt);|<[^<>!?][^<>]*>)*")
_SPAN = re.compile(r'w:val="([0-9]{1,9})"')


def _close_tag(element: Any) -> bytes:
    name = element.tag.rpartition("}")[2]
    return f"</{element.prefix}:{name}>".encode() if element.prefix else f"</{name}>".encode()


def _collapsed(xml: bytes, name: bytes) -> bytes:
    """`xml` with its `name` elements that have nothing in them written `<name .../>`,
    as lxml writes them. (In XML as lxml writes it, no `<` stands in attributes or
    text: the last one before a `>` starts that tag.)"""
    end_tag = b"></" + name + b">"
    at = xml.find(end_tag)
    if at < 0:
        return xml
    pieces: list[bytes] = []
    done = 0
    start = b"<" + name
    while at >= 0:
        tag = xml.rfind(b"<", 0, at)
        follows = xml[tag + len(start) : tag + len(start) + 1]
        if xml.startswith(start, tag) and follows in (b" ", b">") and xml[at - 1 : at] != b"/":
            pieces += (xml[done:at], b"/>")
            done = at + len(end_tag)
        at = xml.find(end_tag, at + len(end_tag))
    pieces.append(xml[done:])
    return b"".join(pieces)


@dataclass(frozen=True, slots=True)
class _Plain:
    """The elements of a plain body structure that may come out empty: those whose
    content starts with a field (empty when the field is) and with a block or comment."""

    after_fields: frozenset[str]
    after_blocks: frozenset[str]


def _plain_structure(source: str, env: Any) -> _Plain | None:
    """Whether every render of the body's Jinja `source` whose fields hold plain text is
    XML that lxml writes back as it is (but for empty elements and escaped quotes), and
    that docxtpl's table fix and drawing numbering leave alone; if so, the elements
    that may come out empty.

    So it is when: the text between Jinja tags is whole XML tags and text as lxml writes
    them (no character references, comments, CDATA, control characters, drawings, or
    namespace declarations but the body's own);
    fields stand in text, never inside a tag; each `if` and `for` block holds whole
    elements, the same ones on every branch; and tables are not nested, hold no block
    among a row's cells, and fit their grid whichever of their rows a block leaves out
    or repeats. None when not."""
    if "docPr" in source or _NOT_AS_IS.search(source.replace("\n<w:p", "<w:p")):
        return None
    if "xmlns" in source[source.find(">") :]:
        return None  # namespaces declared inside the body: one a patch may have cut off
    try:
        tokens = list(env.lex(source))
    except Exception:  # a template Jinja cannot read: docxtpl's way says why
        return None
    after_fields: set[str] = set()
    after_blocks: set[str] = set()
    open_before: str | None = None  # the element whose start tag ends the text before
    stack: list[str] = []  # open XML elements
    blocks: list[tuple[str, tuple[str, ...]]] = []  # open Jinja blocks: keyword, elements
    tables: list[dict[str, Any]] = []  # open tables: grid, blocks open at the start, rows
    expect_name = False
    for _, kind, value in tokens:
        if kind == "data":
            if _DATA.fullmatch(value) is None:
                return None
            last: Any = None
            for tag in _TAG.finditer(value):
                if tag.group(1) and _opens(last) and last.end() == tag.start():
                    return None  # an empty element written `<a></a>`: not lxml's way
                if not _element(tag, stack, blocks, tables):
                    return None
                last = tag
            ends_open = _opens(last) and last.end() == len(value)
            open_before = last.group(2) if ends_open else None
        elif kind in ("block_begin", "variable_begin", "comment_begin"):
            if open_before is not None:
                (after_fields if kind == "variable_begin" else after_blocks).add(open_before)
                open_before = None
            if kind == "block_begin":
                expect_name = True
            elif kind == "variable_begin" and (not stack or stack[-1] in _ROWS):
                return None
        elif kind == "name" and expect_name:
            expect_name = False
            if not _block(value, stack, blocks, tables):
                return None
        elif kind not in _INSIDE_TAGS:
            return None
    if stack or blocks:
        return None
    return _Plain(frozenset(after_fields), frozenset(after_blocks))


_ROWS = ("w:tbl", "w:tr", "w:tblGrid")
_INSIDE_TAGS = frozenset(
    {
        "whitespace",
        "name",
        "operator",
        "string",
        "integer",
        "float",
        "block_end",
        "variable_end",
        "comment",
        "comment_end",
    }
)


def _opens(tag: Any) -> bool:
    """Whether `tag` (a match of `_TAG`, or None) is a start tag, not an empty one."""
    return tag is not None and not (tag.group(1) or tag.group(4))


def _block(keyword: str, stack: list[str], blocks: list[Any], tables: list[Any]) -> bool:
    """A Jinja block's keyword met in the source: whether the structure stays plain."""
    if stack and stack[-1] in ("w:tr", "w:tblGrid"):
        return False  # among a row's cells or a grid's columns
    here = tuple(stack)
    if keyword in ("if", "for"):
        blocks.append((keyword, here))
        return True
    if not blocks or blocks[-1][1] != here:
        return False
    if keyword in ("elif", "else"):
        return True
    if keyword == f"end{blocks[-1][0]}":
        blocks.pop()
        return True
    return False


def _element(tag: Any, stack: list[str], blocks: list[Any], tables: list[Any]) -> bool:
    """An XML tag met in the source's text: whether the structure stays plain."""
    closing, name, attributes, empty = tag.groups()
    if closing:
        if blocks and len(stack) <= len(blocks[-1][1]):
            return False  # a block closes an element it did not open
        if not stack or stack.pop() != name:
            return False
        if name == "w:tbl":
            table = tables.pop()
            if table["grids"] != 1:
                return False
            # As docxtpl counts them: no row has more cells than the grid has columns,
            # and a row in every render (outside the table's blocks) spans them all.
            if any(cells > table["grid"] for cells, _, _ in table["rows"]):
                return False
            return any(not kept and width >= table["grid"] for _, width, kept in table["rows"])
        return True
    parent = stack[-1] if stack else None
    if name == "w:tbl":
        if tables:
            return False  # a nested table
        tables.append({"grid": 0, "blocks": len(blocks), "rows": [], "grids": 0, "cell": None})
    elif tables:
        table = tables[-1]
        if name in ("w:sdt", "w:customXml") and "w:tc" not in stack:
            return False  # rows or cells inside a control
        if name == "w:tblGrid" and parent == "w:tbl":
            if len(blocks) > table["blocks"]:
                return False  # a grid a block may leave out
            table["grids"] += 1
        elif name == "w:gridCol" and parent == "w:tblGrid" and table["grids"] == 1:
            table["grid"] += 1
        elif name == "w:tr":
            if parent != "w:tbl":
                return False
            table["rows"].append([0, 0, len(blocks) > table["blocks"]])
        elif name == "w:tc" and parent == "w:tr":
            row = table["rows"][-1]
            row[0] += 1
            row[1] += 1
            table["cell"] = {"tcPr": 0, "span": False}
        elif name == "w:tcPr" and parent == "w:tc" and len(stack) >= 2 and stack[-2] == "w:tr":
            table["cell"]["tcPr"] += 1
        elif name == "w:gridSpan" and parent == "w:tcPr" and stack[-2:-1] == ["w:tc"]:
            cell = table["cell"]
            if cell["tcPr"] == 1 and not cell["span"] and stack[-3:-2] == ["w:tr"]:
                span = _SPAN.search(attributes)
                if span is None:
                    return False
                cell["span"] = True
                table["rows"][-1][1] += int(span.group(1)) - 1
    if name == "w:tblGrid" and not tables:
        return False
    if not empty:
        stack.append(name)
    return True


def _escaped(text: str | None) -> bytes:
    """`text` as lxml writes an element's text."""
    from lxml import etree

    if not text:
        return b""
    holder = etree.Element("t")
    holder.text = text
    return etree.tostring(holder, encoding="UTF-8")[3:-4]


def _without_inherited(start: bytes, inherited: list[bytes]) -> bytes:
    """An element's start tag as lxml writes it inside its parent: lxml writes an element
    taken alone with its own namespace declarations first, then those of its ancestors
    that it does not redeclare; the latter go. (An element that redeclares exactly what
    it inherits, to the same namespace, is written as if it did not.)

    The declarations stand together after the tag's name, and every element of a letter
    has the same run of them: the run's answer is worked out once."""
    first = _DECLARATION.search(start)
    if first is None:
        return start
    *_, last = _DECLARATION.finditer(start, first.start())
    run = start[first.start() : last.end()]
    return start[: first.start()] + _kept(run, tuple(inherited)) + start[last.end() :]


@functools.lru_cache(maxsize=256)
def _kept(run: bytes, inherited: tuple[bytes, ...]) -> bytes:
    """What stays of a run of namespace declarations (see `_without_inherited`)."""
    found = list(_DECLARATION.finditer(run))
    names = [m.group(0).strip() for m in found]
    outer = [d.strip() for d in inherited]
    for own in range(len(names) + 1):
        prefixes = {_prefix(d) for d in names[:own]}
        if names[own:] == [d for d in outer if _prefix(d) not in prefixes]:
            break
    else:
        return run
    if own == len(names):
        return run
    kept = run[: found[own].start()]
    for before, after in zip(found[own:], found[own + 1 :], strict=False):
        kept += run[before.end() : after.start()]
    return kept + run[found[-1].end() :]


def _prefix(declaration: bytes) -> bytes:
    return declaration.partition(b"=")[0]


def _locate(exc: Any, source: str) -> None:
    """docxtpl's note of where in the template a Jinja error is."""
    lineno = getattr(exc, "lineno", None)
    if lineno is not None:
        line_number = max(lineno - 4, 0)
        exc.docx_context = map(
            lambda x: re.sub(r"<[^>]+>", "", x),
            source.splitlines()[line_number : (line_number + 7)],
        )


class _Package:
    """A .docx package whose parts are all fixed but the document: everything else is
    written and compressed once, by zipfile, as `DocxTemplate._write` writes a letter
    whose margins have fields; a letter's package is those bytes with its document put
    in, and the offsets after it moved."""

    def __init__(self, skeleton: bytes, parts: list[tuple[str, bytes | None]]) -> None:
        package = io.BytesIO()
        package.write(skeleton)
        with zipfile.ZipFile(package, "a") as docx:
            for name, blob in parts:
                docx.writestr(_entry(name), b"" if blob is None else blob)
        data = package.getvalue()
        self._name = next(name for name, blob in parts if blob is None)
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            infos = docx.infolist()
            document = docx.getinfo(self._name)
        if data[-22:-18] != b"PK\x05\x06" or len(infos) > 0xFFFF:  # no comment, no zip64
            raise ValueError("an unexpected zip archive")
        directory = int.from_bytes(data[-6:-2], "little")  # where the central directory is
        self._offset = document.header_offset
        self._placeholder = len(document.FileHeader(False)) + document.compress_size
        self._before = data[: self._offset]
        self._after = data[self._offset + self._placeholder : directory]
        self._end = data[-22:]
        # The central directory's records: bytes, whether the part lies after the
        # document, whether it is the document.
        self._records: list[tuple[bytes, bool, bool]] = []
        at = directory
        for info in infos:
            size = 46 + int.from_bytes(data[at + 28 : at + 30], "little")
            size += int.from_bytes(data[at + 30 : at + 32], "little")
            size += int.from_bytes(data[at + 32 : at + 34], "little")
            record = data[at : at + size]
            self._records.append((record, info.header_offset > self._offset, info is document))
            at += size

    def write(self, out: BinaryIO, document: Iterator[bytes]) -> None:
        """The package with `document` (its pieces) as the document, into `out` from its
        start, as zipfile writes a part opened for writing."""
        out.write(self._before)
        info = _entry(self._name)
        info.flag_bits, info.CRC, info.compress_size = 0, 0, 0
        out.write(info.FileHeader(False))
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        crc = size = packed = 0
        for piece in document:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
            data = compressor.compress(piece)
            packed += len(data)
            out.write(data)
        data = compressor.flush()
        packed += len(data)
        out.write(data)
        if size > zipfile.ZIP64_LIMIT or packed > zipfile.ZIP64_LIMIT:
            raise RuntimeError("File size too large, try using force_zip64")  # as zipfile's
        info.CRC, info.compress_size, info.file_size = crc, packed, size
        end = out.tell()
        out.seek(self._offset)
        out.write(info.FileHeader(False))
        out.seek(end)
        out.write(self._after)
        shift = end - self._offset - self._placeholder
        directory = bytearray()
        for record, after, is_document in self._records:
            if is_document:
                record = record[:16] + struct.pack("<LLL", crc, packed, size) + record[28:]
            elif after:
                offset = int.from_bytes(record[42:46], "little") + shift
                record = record[:42] + offset.to_bytes(4, "little") + record[46:]
            directory += record
        out.write(directory)
        offset = int.from_bytes(self._end[16:20], "little") + shift
        out.write(self._end[:16] + offset.to_bytes(4, "little") + self._end[20:])


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=ooxml.ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 3
    return entry


@functools.cache
def _docxtpl_class() -> Any:
    """docxtpl's DocxTemplate, with the same output for the same input, faster."""
    import docxtpl
    from jinja2 import Template as JinjaTemplate
    from jinja2.exceptions import TemplateError

    text = _environment(autoescape=False)

    class Template(docxtpl.DocxTemplate):  # type: ignore[misc]
        def __init__(self, template_file: Any) -> None:
            super().__init__(template_file)
            self.patched: dict[str, str] = {}
            self.sources: dict[str, str] = {}
            self.plain: dict[str, _Plain | None] = {}
            self.env: Any = None  # the Jinja environment the body is rendered in

        def patch_xml(self, src_xml: str) -> str:
            # A function of its input, and the input is the same for every letter.
            if src_xml not in self.patched:
                self.patched[src_xml] = super().patch_xml(src_xml)
            return self.patched[src_xml]

        def render_margins(self, context: dict[str, Any], jinja_env: Any) -> None:
            """docxtpl's `render`, all but the body (see `render_text`)."""
            self.render_init()
            for uri in (self.HEADER_URI, self.FOOTER_URI):
                for key, xml in self.build_headers_footers_xml(context, uri, jinja_env):
                    self.map_headers_footers_xml(key, xml)
            self.render_properties(context, jinja_env)
            self.render_footnotes(context, jinja_env)
            self.is_rendered = True

        def body_source(self) -> str:
            """The body's Jinja source, as docxtpl renders it."""
            return self._source(self.patch_xml(self.get_xml()))

        def plain_structure(self, source: str) -> _Plain | None:
            if source not in self.plain:
                self.plain[source] = _plain_structure(source, text)
            return self.plain[source]

        def jinja(self, source: str) -> Any:
            """The body's compiled template, made ready to render as docxtpl does."""
            self.current_rendering_part = self.docx._part
            with self.located(source):
                return self.env.from_string(source)

        @contextlib.contextmanager
        def located(self, source: str) -> Iterator[None]:
            """docxtpl's note, on a Jinja error, of where in the template it is."""
            try:
                yield
            except TemplateError as exc:
                _locate(exc, source)
                raise

        def render_text(
            self, context: dict[str, Any], source: str, texts: Iterator[str] | None = None
        ) -> Iterator[str]:
            """Jinja's output for the body's `source` (or what is left of it), as it
            comes."""
            if texts is None:
                texts = self.jinja(source).generate(context)
            with self.located(source):
                yield from texts

        def body_pieces(self, texts: Iterator[str]) -> Iterator[str]:
            """docxtpl's rendered body XML (before its table fix) from Jinja's output, in
            pieces that end between two paragraphs: docxtpl's rewrites of the output
            (paragraph starts, escaped braces, tabs and breaks in runs) never reach
            across such a cut."""
            pending: list[str] = []
            size, limit = 0, _PIECE
            for text in texts:
                pending.append(text)
                size += len(text)
                if size < limit:
                    continue
                xml = "".join(pending)
                cut = max(xml.rfind("</w:p>\n<w:p "), xml.rfind("</w:p>\n<w:p>"))
                if cut < 0:
                    pending, limit = [xml], 2 * size
                    continue
                cut += len("</w:p>")
                yield self.finish(xml[:cut])
                pending, size, limit = [xml[cut:]], len(xml) - cut, _PIECE
            yield self.finish("".join(pending))

        def fix_element(self, element: Any) -> Any:
            """docxtpl's table fix for one top-level element of the body (it changes
            each table by its own rows only); the element itself when it fits."""
            from lxml import etree

            if _tables_fit(element):
                return element
            return super().fix_tables(etree.tostring(element, encoding="unicode"))

        def number_drawings(self, element: Any) -> None:
            """docxtpl's renumbering of drawings, in document order, element by element."""
            for drawing in element.iter(_DOC_PR):
                self.docx_ids_index += 1
                drawing.attrib["id"] = str(self.docx_ids_index)

        def _source(self, src_xml: str) -> str:
            # docxtpl's one rewrite of each source, done once.
            if src_xml not in self.sources:
                self.sources[src_xml] = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            return self.sources[src_xml]

        def render_xml_part(
            self, src_xml: str, part: Any, context: Any, jinja_env: Any = None
        ) -> str:
            # docxtpl's, with its rewrites of the output done by plain replacing (re.sub
            # spends its time on each match).
            src_xml = self._source(src_xml)
            try:
                self.current_rendering_part = part
                template = jinja_env.from_string(src_xml) if jinja_env else JinjaTemplate(src_xml)
                dst_xml = template.render(context)
            except TemplateError as exc:
                _locate(exc, src_xml)
                raise
            return self.finish(dst_xml)

        def finish(self, dst_xml: str) -> str:
            # "\n" starts only the pattern, so its matches never overlap nor make new ones.
            dst_xml = dst_xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
            if "{_" in dst_xml or "_}" in dst_xml:
                dst_xml = (
                    dst_xml.replace("{_{", "{{")
                    .replace("}_}", "}}")
                    .replace("{_%", "{%")
                    .replace("%_}", "%}")
                )
            return str(self.resolve_listing(dst_xml))

        def resolve_listing(self, xml: str) -> str:
            # Only tabs, line and page breaks in the text are rewritten; most letters have none.
            if any(c in xml for c in "\t\a\n\f"):
                return str(super().resolve_listing(xml))
            return xml

        def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
            # Core properties are plain text, escaped by python-docx when it writes them;
            # autoescaping them as well would show "&amp;" in Word's document properties.
            super().render_properties(context, text)

    return Template


def _tables_fit(tree: Any) -> bool:
    """Whether docxtpl's `fix_tables` would leave `tree` as it is: in every table no row
    has more cells than the grid has columns, and some row spans them all. False when
    unsure (no grid, a span that is not a plain number), so that docxtpl decides."""
    w = None if tree is None else tree.nsmap.get("w")
    if w is None:
        return False
    row = f"{{{w}}}tr"
    for table in tree.iter(f"{{{w}}}tbl"):
        grid = table.find(f"{{{w}}}tblGrid")
        if grid is None:
            return False
        columns = len(grid.findall(f"{{{w}}}gridCol"))
        # docxtpl counts every row inside the table; when they are all its own rows
        # (no nested table, no row in a content control), looking at those is enough.
        own = sum(1 for _ in table.iter(row)) == len(table.findall(row))
        spans, wider_row, plain_full_row, full_row = _grid_checks(w, "w:tr" if own else ".//w:tr")
        if any(_PLAIN_NUMBER.fullmatch(s.get(f"{{{w}}}val") or "") is None for s in spans(table)):
            return False
        if wider_row(table, n=columns):
            return False
        if not (plain_full_row(table, n=columns) or full_row(table, n=columns)):
            return False
    return True


@functools.cache
def _grid_checks(w: str, rows: str) -> tuple[Any, Any, Any, Any]:
    """As docxtpl counts them: a row's cells are its `tc` children, each spanning the
    `gridSpan` in its first `tcPr`, or one column. (A row without spans, the usual
    one, is as wide as its count of cells: cheaper to find than a sum of spans.)"""
    from lxml import etree

    span = "w:tcPr[1]/w:gridSpan[1]"
    row_width = f"sum(w:tc/{span}/@w:val) + count(w:tc[not({span})])"
    return (
        etree.XPath(f"{rows}/w:tc/{span}", namespaces={"w": w}),
        etree.XPath(f"boolean({rows}[count(w:tc) > $n])", namespaces={"w": w}),
        etree.XPath(f"boolean({rows}[not(w:tc/{span})][count(w:tc) >= $n])", namespaces={"w": w}),
        etree.XPath(f"boolean({rows}[{row_width} >= $n])", namespaces={"w": w}),
    )


_PLAIN_NUMBER = re.compile(r"[0-9]{1,9}")


def _environment(autoescape: bool) -> Any:
    """Jinja as the letters use it, compiling each distinct source once."""
    from jinja2 import Environment, StrictUndefined, pass_context

    @pass_context  # so that Jinja calls it at each render, never once when compiling
    def _note(context: Any, value: Any) -> Any:
        # The value itself, unchanged: the same output; one that is not plain text
        # (markup, rich text, None, an undefined, text with control characters) is noted.
        kind = type(value)
        if kind is str:
            if not value:
                context.environment.emptied = True
            elif _ODD.search(value) is not None:
                if _NOT_AS_IS.search(value) is None:
                    context.environment.quoted = True
                else:
                    context.environment.only_text = False
        elif kind is not int and kind is not float:
            context.environment.only_text = False
        return value

    class Compiled(Environment):
        def __init__(self) -> None:
            super().__init__(autoescape=autoescape, undefined=StrictUndefined, finalize=_note)
            self.compiled: dict[str, Any] = {}
            # Whether every field's value since these were last set was plain text (a
            # string without control characters, or a number); whether one held quotes;
            # whether one was empty.
            self.only_text = True
            self.quoted = False
            self.emptied = False

        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            if source not in self.compiled:
                self.compiled[source] = super().from_string(source)
            return self.compiled[source]

    return Compiled()


def docx_template(override: Path | None, name: str = "checkin.docx") -> DocxTemplate:
    return DocxTemplate(template_path(name, override))


def write_word(
    template: DocxTemplate, folder: Path, stem: str, formats: Sequence[str], **context: Any
) -> list[Path]:
    """`stem`.docx and/or `stem`.pdf in `folder`, as `formats` ask. The .docx is streamed
    to disk; the PDF is LibreOffice's conversion of the same .docx."""
    from shuanggang.render.pdf import docx_to_pdf

    paths = []
    docx: bytes | None = None
    if "docx" in formats:
        paths.append(template.write(fsutil.inside(folder, f"{stem}.docx"), **context))
    if "pdf" in formats:
        docx = paths[0].read_bytes() if paths else template.render(**context)
        paths.append(fsutil.write_bytes(fsutil.inside(folder, f"{stem}.pdf"), docx_to_pdf(docx)))
    return paths


@dataclass(frozen=True, slots=True)
class ScorePart:
    label: str
    weight: float | str  # the weight scaled over the applicable items; "—" when 不适用
    value: float | str  # points, or "不适用"


@dataclass(frozen=True, slots=True)
class MemberLine:
    index: int
    name: str
    id_number: str  # masked
    services: int
    hours: str
    eligible: str  # 符合 / ""


@dataclass(frozen=True, slots=True)
class FeedbackLetter:
    number: str
    year: int
    org: str
    community_name: str
    issuer: str  # the community's league organisation
    issued_on: str
    members: int
    active: int
    inactive: int
    participation: str  # 85.0%
    services: int
    hours: str
    consultations: int
    score: float
    grade: str
    note: str
    parts: tuple[ScorePart, ...]
    recommended: tuple[str, ...]
    roster: tuple[MemberLine, ...]
    # Grade-specific wording (workflow/report.py `letter_wording`): the paragraph that
    # weighs the year (praise for 优秀, thanks and a suggestion for 合格, the shortfalls
    # plainly below), the sentence on the recommended members, and what next year expects.
    verdict: str = ""
    recommend_text: str = ""
    expectation: str = ""
