"""The one place personal data is masked, for everything that leaves the office
(letters, messages, --json of check/register): `370602********1234`, `138****1234`.

`mask_text` masks by what a value looks like, not by the column it came from: an ID
number typed into 性别 or a mobile in 服务时长 is as personal as one in its own column.
"""

from __future__ import annotations

import re


def mask_id(id_number: str) -> str:
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_phone(phone: str) -> str:
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


# A run of 15 to 18 digits (the last may be X): an ID number, old or new, or one cut
# short where a long value was shortened for a message. 20260305 (a date), 2026-01 (a
# project number) or an amount never match; a 20-digit run is not an ID.
_ID_SHAPED = re.compile(r"(?<!\d)\d{14,17}[\dXx](?![\dXx])")
# 13805351234, 138-0535-1234, 138 0535 1234, +86 138 0535 1234, 86-13805351234.
_MOBILE_SHAPED = re.compile(
    r"(?<![\d+])((?:(?:\+|00)?86[\s-]?)?)(1[3-9]\d(?:[\s-]?\d{4}){2})(?!\d)"
)


def _mobile(match: re.Match[str]) -> str:
    return match[1] + mask_phone(re.sub(r"\D", "", match[2]))


def mask_text(text: str) -> str:
    """`text` with every ID-number-shaped and mobile-shaped substring masked."""
    if not any(c.isdigit() for c in text):
        return text
    text = _ID_SHAPED.sub(lambda m: mask_id(m[0]), text)
    return _MOBILE_SHAPED.sub(_mobile, text)
