"""The one place personal data is masked, for everything that leaves the office
(letters, messages, --json of check/register): `370602********1234`, `138****1234`."""

from __future__ import annotations


def mask_id(id_number: str) -> str:
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_phone(phone: str) -> str:
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
