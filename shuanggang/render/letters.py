"""Letters as printable HTML (Jinja2) and Word (.docx, docxtpl-style templates).

Templates are looked up in the workspace's `templates/` first, then the built-in ones.
Everything from users is escaped (HTML autoescape; XML escaping in the .docx). Each .docx
letter is rendered by docxtpl (body, headers, footers, properties, footnotes); the
template is read and its parts compiled once per renderer, not once per letter.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

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


def render_html(
    letters: Sequence[Any], override: Path | None = None, name: str = "checkin.html.j2"
) -> str:
    return str(html_environment(override).get_template(name).render(letters=letters))


class DocxTemplate:
    """A .docx template read once and rendered many times, each time by docxtpl itself.

    Every letter is docxtpl's public `DocxTemplate.render`, so everything docxtpl renders
    is rendered: the body (with its table fixes), headers, footers, core properties and
    footnotes. What makes hundreds of letters from one template fast:

    - the template is read once; before each letter, what the last render changed in it
      is put back (headers, footers, properties, footnotes);
    - the rendered body is not put into the loaded document (slow in lxml for a long
      roster) but written between the document's own XML before and after its body;
    - each part's Jinja source is compiled once, and the parts a render leaves alone
      are written and compressed once.

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
        self._restore()
        self._template.render(context, self._env)
        out = io.BytesIO(self._skeleton)
        out.seek(0, io.SEEK_END)
        package = self._template.docx.part.package
        document = package.main_document_part
        with zipfile.ZipFile(out, "a") as docx:
            for part in package.iter_parts():
                name = part.partname.membername
                if part is document:
                    docx.writestr(_entry(name), self._document(self._template.rendered_body))
                elif name in self._rendered:
                    blob = part.blob
                    if part is self._core:
                        blob = ooxml.fixed_core_times(blob, FIXED_TIME)
                    docx.writestr(_entry(name), blob)
        return out.getvalue()

    def _document(self, body: Any) -> bytes:
        """word/document.xml as python-docx writes it once `body` has replaced its body."""
        from lxml import etree

        xml = etree.tostring(body, encoding="UTF-8")
        if body.nsmap.items() <= self._namespaces.items():  # declared on the document too
            end = xml.index(b">")
            xml = _DECLARATION.sub(b"", xml[:end]) + xml[end:]
        return self._before_body + xml + self._after_body


_BODY = re.compile(rb"<w:body\b.*</w:body>|<w:body\b[^>]*/>", re.DOTALL)
_DECLARATION = re.compile(rb'\s+xmlns(?::[\w.-]+)?="[^"]*"')
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


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

        def patch_xml(self, src_xml: str) -> str:
            # A function of its input, and the input is the same for every letter.
            if src_xml not in self.patched:
                self.patched[src_xml] = super().patch_xml(src_xml)
            return self.patched[src_xml]

        def fix_tables(self, xml: str) -> Any:
            # docxtpl's fix evens out each table's grid with its widest row; it walks every
            # row in Python. When no table's grid needs it, the tree is returned as parsed.
            from lxml import etree

            tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
            return tree if _tables_fit(tree) else super().fix_tables(xml)

        def map_tree(self, tree: Any) -> None:
            # Kept aside for DocxTemplate to write: the document keeps the template's body.
            # (Footnotes are rendered once per section: the template's sections, here.)
            self.rendered_body = tree

        def render_xml_part(
            self, src_xml: str, part: Any, context: Any, jinja_env: Any = None
        ) -> str:
            # docxtpl's, with its one rewrite of each source done once and its rewrites of
            # the output done by plain replacing (re.sub spends its time on each match).
            if src_xml not in self.sources:
                self.sources[src_xml] = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            src_xml = self.sources[src_xml]
            try:
                self.current_rendering_part = part
                template = jinja_env.from_string(src_xml) if jinja_env else JinjaTemplate(src_xml)
                dst_xml = template.render(context)
            except TemplateError as exc:
                lineno = getattr(exc, "lineno", None)
                if lineno is not None:
                    line_number = max(lineno - 4, 0)
                    exc.docx_context = map(  # type: ignore[attr-defined]
                        lambda x: re.sub(r"<[^>]+>", "", x),
                        src_xml.splitlines()[line_number : (line_number + 7)],
                    )
                raise
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
    from jinja2 import Environment, StrictUndefined

    class Compiled(Environment):
        def __init__(self) -> None:
            super().__init__(autoescape=autoescape, undefined=StrictUndefined)
            self.compiled: dict[str, Any] = {}

        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            if source not in self.compiled:
                self.compiled[source] = super().from_string(source)
            return self.compiled[source]

    return Compiled()


def docx_template(override: Path | None, name: str = "checkin.docx") -> DocxTemplate:
    return DocxTemplate(template_path(name, override))


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
