"""Findings: what is wrong with an input, pointing at the cell (SPEC §4.5)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str
    message: str
    hint: str = ""
    field: str = ""  # the canonical field (id_number, phone…) or "" for the whole file
    file: str = ""
    sheet: str = ""
    cell: str = ""  # A1 reference in the original file
    value: str = ""  # as shown to people: ID numbers and phones masked

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def escalate(findings: list[Finding]) -> list[Finding]:
    """--strict: every warning becomes an error."""
    from dataclasses import replace

    return [replace(f, severity=ERROR) for f in findings]


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
