"""Letters as PDF: the Word letter converted by LibreOffice (`soffice`), where installed.

The conversion runs LibreOffice headless with a profile of its own (the user's open
LibreOffice, if any, is left alone) and with a fontconfig file that adds the letters'
Chinese faces and their fallbacks to the system's: on Linux, fontconfig knows neither
仿宋_GB2312 nor 方正小标宋简体 by name and would set the letters in a sans face. The
PDF's creation date and file identifier, which LibreOffice takes from the clock, are
replaced by a fixed date and a digest of the content: same letter, same bytes.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from shuanggang.errors import ShuanggangError

# Each face of the letters, then what to use in its place, best first; the last word is
# the generic family. Kept in step with the faces in tools/build_docx_templates.py.
FALLBACKS: Mapping[str, tuple[str, ...]] = {
    "方正小标宋简体": ("华文中宋", "STZhongsong", "宋体", "SimSun", "Noto Serif CJK SC", "serif"),
    "华文中宋": ("STZhongsong", "宋体", "SimSun", "Noto Serif CJK SC", "serif"),
    "仿宋_GB2312": ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "serif"),
    "仿宋": ("FangSong", "STFangsong", "Noto Serif CJK SC", "serif"),
    "楷体_GB2312": ("楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", "serif"),
    "楷体": ("KaiTi", "STKaiti", "Noto Serif CJK SC", "serif"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "serif"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "sans-serif"),
}
TIMEOUT = 300  # seconds for one conversion
_FIXED_DATE = b"D:20000101000000"  # then the time zone as LibreOffice wrote it


class NoOffice(ShuanggangError):
    """LibreOffice is not installed: no PDF can be made."""


def soffice() -> str | None:
    """The LibreOffice program, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    program = soffice()
    if program is None:
        raise NoOffice(
            "没有找到 LibreOffice（soffice），无法生成 PDF 文书",
            "请安装 LibreOffice（如 apt-get install libreoffice-writer-nogui fonts-noto-cjk），"
            "或改用 --letters html,docx，在 Word/WPS 中打开 .docx 另存为 PDF",
        )
    return program


def fontconfig_xml() -> str:
    """A fontconfig file: the system's configuration, then the letters' faces."""
    aliases = "".join(
        f'<alias binding="same"><family>{face}</family><prefer>'
        + "".join(f"<family>{f}</family>" for f in chain[:-1])
        + f"</prefer><default><family>{chain[-1]}</family></default></alias>"
        for face, chain in FALLBACKS.items()
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        '<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{aliases}</fontconfig>\n"
    )


@functools.cache
def _workdir() -> Path:
    """A folder for this process's conversions: LibreOffice's profile and the font file."""
    folder = Path(tempfile.mkdtemp(prefix="shuanggang-pdf-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "fonts.conf").write_text(fontconfig_xml(), encoding="utf-8")
    return folder


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF LibreOffice makes of a .docx, with fixed date and identifier."""
    program = require_soffice()
    work = _workdir()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        source = Path(tmp) / "letter.docx"
        source.write_bytes(docx)
        env = dict(os.environ, FONTCONFIG_FILE=str(work / "fonts.conf"))
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, timeout=TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ShuanggangError(f"LibreOffice 转换 PDF 失败：{exc}") from None
        target = source.with_suffix(".pdf")
        if not target.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-300:]
            raise ShuanggangError(f"LibreOffice 没有生成 PDF（退出码 {done.returncode}）：{said}")
        return fixed(target.read_bytes())


_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)")
# The file identifier and LibreOffice's checksum of the document: made from the clock.
_STAMPS = re.compile(
    rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)|(/DocChecksum\s*/)([0-9A-Fa-f]+)"
)


def fixed(pdf: bytes) -> bytes:
    """The PDF with its dates fixed, and its identifier and checksum a digest of the
    rest. Each value keeps its length, so the cross-reference offsets stay right."""

    def date(m: re.Match[bytes]) -> bytes:
        value = m.group(1)
        if len(value) < len(_FIXED_DATE):
            return m.group(0)
        return m.group(0).replace(value, _FIXED_DATE + value[len(_FIXED_DATE) :])

    def filled(m: re.Match[bytes], hex_digits: bytes) -> bytes:
        parts = [g for g in m.groups() if g is not None]
        return b"".join((hex_digits * 4)[: len(p)] if i % 2 else p for i, p in enumerate(parts))

    pdf = _DATE.sub(date, pdf)
    blank = _STAMPS.sub(lambda m: filled(m, b"0"), pdf)
    digest = hashlib.sha256(blank).hexdigest().upper().encode()
    return _STAMPS.sub(lambda m: filled(m, digest), pdf)
