"""Office Open XML packages (.xlsx, .docx) with bytes that depend on content only."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STAMPS = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


def fixed_core_times(core: bytes, when: datetime) -> bytes:
    """docProps/core.xml with `when` as its created and modified times."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _STAMPS.sub(rb"\g<1>" + stamp + rb"\g<2>", core)


def normalise(data: bytes, when: datetime) -> bytes:
    """Fixed zip entry times and host, and `when` for the times in docProps/core.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = fixed_core_times(body, when)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            entry.create_system = 3
            dst.writestr(entry, body)
    return out.getvalue()
