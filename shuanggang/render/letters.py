"""Letters as printable HTML (Jinja2) and Word (.docx, docxtpl-style templates).

Templates are looked up in the workspace's `templates/` first, then the built-in ones.
Everything from users is escaped (HTML autoescape; XML escaping in the .docx). The .docx
template is read and compiled once per renderer, not once per letter: each letter only
renders the body XML and zips it with the template's other parts.
"""

from __future__ import annotations

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


DOCUMENT = "word/document.xml"
_BODY = re.compile(r"<w:body\b.*</w:body>", re.DOTALL)


class DocxTemplate:
    """A docxtpl template prepared once, rendered many times."""

    def __init__(self, path: Path) -> None:
        import docxtpl
        from jinja2 import Environment, StrictUndefined

        tpl = docxtpl.DocxTemplate(str(path))
        tpl.render_init()
        body = tpl.patch_xml(tpl.get_xml())
        body = re.sub(r"<w:p([ >])", r"\n<w:p\1", body)  # as docxtpl does before rendering
        env = Environment(autoescape=True, undefined=StrictUndefined)
        self._body = env.from_string(body)
        # Every other part is compressed once, into a skeleton each letter is appended to.
        skeleton = io.BytesIO()
        with zipfile.ZipFile(path) as package, zipfile.ZipFile(skeleton, "w") as out:
            for info in package.infolist():
                data = package.read(info)
                if info.filename == DOCUMENT:
                    self._document = data.decode("utf-8")
                else:
                    out.writestr(info, data, zipfile.ZIP_DEFLATED)
        if not _BODY.search(self._document):
            raise ValueError(f"{path} has no document body")
        self._skeleton = ooxml.normalise(skeleton.getvalue(), FIXED_TIME)

    def render(self, **context: Any) -> bytes:
        body = self._body.render(**context)
        body = re.sub(r"\n<w:p([ >])", r"<w:p\1", body)
        document = _BODY.sub(lambda _: body, self._document, count=1)
        out = io.BytesIO(self._skeleton)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a") as package:
            entry = zipfile.ZipInfo(DOCUMENT, date_time=ooxml.ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            package.writestr(entry, document.encode("utf-8"))
        return out.getvalue()


def docx_template(override: Path | None, name: str = "checkin.docx") -> DocxTemplate:
    return DocxTemplate(template_path(name, override))


@dataclass(frozen=True, slots=True)
class ScorePart:
    label: str
    weight: float
    value: float


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
