"""Findings: what is wrong with an input, pointing at the cell.

Every finding has a stable `code` (kebab-case, listed with its meaning and fix in
docs/findings.md); the Chinese message and hint are for people and may change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from enum import StrEnum

from shuanggang.domain.labels import field_label
from shuanggang.domain.privacy import mask_text


class Severity(StrEnum):
    """An error stops a file from being used; a warning is worth a look."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


# Short names for the two severities.
ERROR = Severity.ERROR
WARNING = Severity.WARNING

JSON_KEYS = (
    "file",
    "sheet",
    "cell",
    "field",
    "field_label",
    "code",
    "severity",
    "message",
    "hint",
    "value",
)


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    message: str
    hint: str = ""
    field: str = ""  # the canonical field (id_number, phone…) or "" for the whole file
    file: str = ""
    sheet: str = ""
    cell: str = ""  # A1 reference in the original file
    value: str = ""  # as shown to people: ID numbers and phones masked
    code: str = dataclass_field(kw_only=True)  # stable, kebab-case: see docs/findings.md
    # the field's Chinese label; by default the one in domain.labels
    field_label: str = dataclass_field(default="", kw_only=True)
    # a correction spelled out in full (an old ID converted to 18 digits): personal, so
    # not in JSON_KEYS — only the annotated copy, which stays in the office, may show it
    fix: str = dataclass_field(default="", kw_only=True, repr=False)

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("a finding needs a code")
        if type(self.severity) is not Severity:
            object.__setattr__(self, "severity", Severity(self.severity))
        if self.field and not self.field_label:
            object.__setattr__(self, "field_label", field_label(self.field))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, str]:
        """The one JSON shape of a finding: JSON_KEYS, severity as "error"/"warning".

        Every value is masked by its shape (`privacy.mask_text`): an ID number or mobile
        in a message, hint or value is masked whichever column it was found in."""
        return {key: mask_text(str(getattr(self, key))) for key in JSON_KEYS}


def escalate(findings: list[Finding]) -> list[Finding]:
    """--strict: every warning becomes an error."""
    return [replace(f, severity=Severity.ERROR) for f in findings]


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)


_CELL = re.compile(r"^([A-Z]+)(\d+)")


def finding_order(f: Finding) -> tuple[str, str, int, int]:
    """Sheet order: by file, sheet, row, then column (AA after Z); file-wide findings first."""
    match = _CELL.match(f.cell)
    if not match:
        return (f.file, f.sheet, 0, 0)
    column = 0
    for ch in match[1]:
        column = column * 26 + ord(ch) - 64
    return (f.file, f.sheet, int(match[2]), column)
