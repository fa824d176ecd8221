"""`certificates`: volunteer service certificates (志愿服务记录证明) from the stored
service records, their register (证明登记簿) and the publicity list (公示名单).

Numbers are decided inside one transaction: a holder whose certificate for the period
still says the truth gets that certificate again (same number, same date, same file); one
whose data changed gets a new number, and the old certificate is voided in the register.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shuanggang import fsutil
from shuanggang.domain import certificates as cert
from shuanggang.domain.findings import ERROR, WARNING, Finding
from shuanggang.domain.privacy import mask_id
from shuanggang.render.certificates import (
    Certificate,
    CertificateLine,
    HtmlCertificates,
    Publicity,
    PublicityLine,
    write_publicity,
    write_register,
)
from shuanggang.settings import Settings
from shuanggang.store import Store, Workspace
from shuanggang.store import certificates as stored
from shuanggang.workflow.letters import chinese_date, combined_stem, replace_combined
from shuanggang.workflow.orgs import Refused

CERT_DIR = "志愿服务记录证明"
REGISTER_FILE = "证明登记簿.xlsx"
REMARKS = (
    "本证明依据团组织的志愿服务记录出具。服务时长为各次实际服务时间之和，"
    "以小时计、保留一位小数（四舍五入），括号内为分钟数。"
)
STATUS_LABEL = {"valid": "有效", "void": "作废"}


@dataclass(frozen=True, slots=True)
class Request:
    """What to issue: one member, an organisation, a branch, or everyone; for a period."""

    member: str | None = None
    org: str | None = None
    community: str | None = None
    branch: str | None = None
    everyone: bool = False
    min_hours: float = 0.0
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class IssuedOne:
    number: str
    name: str
    id_number: str  # masked
    org: str
    community: str
    services: int
    minutes: int
    hours: str
    state: str  # new | same | reissued
    replaces: str = ""  # the voided number a reissue replaces
    outputs: tuple[Path, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "id_number": self.id_number,
            "org": self.org,
            "community": self.community,
            "services": self.services,
            "minutes": self.minutes,
            "hours": self.hours,
            "state": self.state,
            "replaces": self.replaces,
            "outputs": [str(p) for p in self.outputs],
        }


@dataclass(slots=True)
class Issued:
    label: str
    period: cert.Period
    issued: list[IssuedOne] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    combined: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    register: Path | None = None
    publicity: list[Path] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "set": self.label,
            "period": [self.period.start.isoformat(), self.period.end.isoformat()],
            "certificates": [c.as_json() for c in self.issued],
            "new": sum(c.state == "new" for c in self.issued),
            "same": sum(c.state == "same" for c in self.issued),
            "reissued": sum(c.state == "reissued" for c in self.issued),
            "combined": [str(p) for p in self.combined],
            "removed": [str(p) for p in self.removed],
            "register": str(self.register) if self.register else "",
            "publicity": [str(p) for p in self.publicity],
            "findings": [f.as_dict() for f in self.findings],
        }


def period_of(request: Request, settings: Settings) -> cert.Period:
    start = request.start or date(settings.year, 1, 1)
    end = request.end or date(settings.year, 12, 31)
    if end < start:
        raise Refused(
            Finding(
                ERROR,
                f"服务期间的结束日期 {end} 早于开始日期 {start}",
                "检查 --from 和 --to",
                code="certificate-period-reversed",
            )
        )
    return cert.Period(start, end)


def _selection(
    store: Store, settings: Settings, request: Request
) -> tuple[stored.Selection, str, bool]:
    """The members asked for, the set's name and whether they were named one by one (a
    member or a set named by the user, where one without service deserves a word)."""
    from shuanggang.workflow import members as member_flow
    from shuanggang.workflow import orgs as org_flow

    if request.member:
        try:
            found = member_flow.resolve(store, request.member)
        except member_flow.MemberRefused as exc:
            raise Refused(
                Finding(
                    ERROR,
                    exc.message,
                    exc.hint,
                    code=exc.code,
                    value="、".join(exc.nearest),
                )
            ) from None
        return stored.member(found.id), f"团员_{found.name}", True
    if request.org:
        org = org_flow.resolve(store, settings, request.org, request.community)
        return stored.org(org.ref.id), f"{org.ref.community}社区_{org.ref.name}", True
    if request.branch:
        found_id = stored.branch_id(store, request.branch.strip())
        if found_id is None:
            close = difflib.get_close_matches(request.branch, stored.branch_names(store), 3, 0.4)
            raise Refused(
                Finding(
                    ERROR,
                    f"没有名为“{request.branch}”的活动团支部",
                    f"是否是：{'、'.join(close)}？"
                    if close
                    else "用 shuanggang export 查看支部名单",
                    code="branch-unknown",
                    value=request.branch,
                )
            )
        return stored.branch(found_id), request.branch.strip(), True
    if request.everyone or request.min_hours > 0:
        return stored.EVERYONE, "全部", False
    raise Refused(
        Finding(
            ERROR,
            "请指定出具范围",
            "用 --member、--org、--branch、--all 或 --min-hours 之一",
            code="certificate-no-selection",
        )
    )


def _issuer(settings: Settings, holder: cert.Holder) -> cert.Issuer:
    c = settings.certificates
    issuers = settings.issuers
    name = {
        "street": lambda: issuers.street.format(street=holder.street),
        "community": lambda: issuers.community.format(community=holder.community),
        "district": lambda: issuers.district,
    }[c.issuer]()
    return cert.Issuer(name, c.person_in_charge, c.handler, c.contact)


def _no_service(holder: cert.Holder, period: cert.Period) -> Finding:
    return Finding(
        WARNING,
        f"{holder.name}（{holder.org}）在 {period.label()} 没有服务记录，不出具证明",
        "服务记录用 shuanggang services import 导入后再出具",
        value=mask_id(holder.id_number),
        code="certificate-no-service",
    )


def _voided(holder: cert.Holder, before: stored.CertificateRecord) -> Finding:
    return Finding(
        WARNING,
        f"{holder.name}（{holder.org}）在 {before.period.label()} 已没有服务记录，"
        f"原证明 {before.number} 已作废",
        "服务记录被删除或替换后，原证明不再属实；如有误，重新导入服务记录后再出具",
        value=mask_id(holder.id_number),
        code="certificate-voided",
    )


def _below(holder: cert.Holder, minutes: int, min_hours: float) -> Finding:
    return Finding(
        WARNING,
        f"{holder.name}（{holder.org}）服务 {cert.hours(minutes)} 小时，"
        f"不足 --min-hours {min_hours:g} 小时，不出具证明",
        value=mask_id(holder.id_number),
        code="certificate-below-min-hours",
    )


@dataclass(frozen=True, slots=True)
class _Decided:
    record: stored.CertificateRecord
    holder: cert.Holder
    issuer: cert.Issuer
    lines: tuple[cert.ServiceLine, ...]
    state: str
    replaces: stored.CertificateRecord | None


def _decide(
    store: Store, settings: Settings, request: Request, period: cert.Period, on: date
) -> tuple[str, list[_Decided], list[Finding], list[stored.CertificateRecord]]:
    """Inside the transaction: who gets a certificate, with which number; and the valid
    certificates voided because their holder's records in the period are gone."""
    selection, label, named = _selection(store, settings, request)
    holders = stored.holders(store, selection)
    lines = stored.service_lines(store, selection, period)
    current = stored.valid_certificates(store, period)
    decided: list[_Decided] = []
    findings: list[Finding] = []
    voided: list[stored.CertificateRecord] = []
    seq = stored.next_seq(store, on.year)
    for member_id, holder in holders:
        mine = tuple(lines.get(member_id, ()))
        if not mine:
            before = current.get(holder.id_number)
            if before is not None:  # its records are gone: it no longer says the truth
                stored.void(store, before.id, on)
                voided.append(before)
                findings.append(_voided(holder, before))
            elif named:
                findings.append(_no_service(holder, period))
            continue
        minutes = cert.total_minutes(mine)
        if minutes < request.min_hours * 60:
            if named:
                findings.append(_below(holder, minutes, request.min_hours))
            continue
        issuer = _issuer(settings, holder)
        fingerprint = cert.digest(holder, period, issuer, mine)
        before = current.get(holder.id_number)
        if before is not None and before.digest == fingerprint:
            decided.append(_Decided(before, holder, issuer, mine, "same", None))
            continue
        if before is not None:
            stored.void(store, before.id, on)
        record = stored.add(
            store,
            year=on.year,
            seq=seq,
            number=cert.certificate_number(settings.certificates.number, year=on.year, seq=seq),
            member_id=member_id,
            holder=holder,
            period=period,
            minutes=minutes,
            services=len(mine),
            digest=fingerprint,
            issued_on=on,
        )
        seq += 1
        decided.append(
            _Decided(record, holder, issuer, mine, "new" if before is None else "reissued", before)
        )
    return label, decided, findings, voided


def _places(lines: Sequence[cert.ServiceLine]) -> str:
    """Where the member served: the communities of the records, first served first."""
    seen = list(dict.fromkeys(line.community for line in lines if line.community))
    return f"{'、'.join(seen)}社区" if seen else "本辖区"


def _period_text(period: cert.Period) -> str:
    return f"{chinese_date(period.start.isoformat())}至{chinese_date(period.end.isoformat())}"


def _certificate(d: _Decided, settings: Settings) -> Certificate:
    lines = tuple(
        CertificateLine(
            i, line.date, line.community, line.project, line.content, cert.hours(line.minutes)
        )
        for i, line in enumerate(d.lines, 1)
    )
    on_page = settings.certificates.lines_on_page
    return Certificate(
        number=d.record.number,
        name=d.holder.name,
        id_document=cert.id_document(d.holder.id_number),
        id_number=d.holder.id_number,
        member_no=d.holder.member_no,
        org=d.holder.org,
        community=d.holder.community,
        places=_places(d.lines),
        period=_period_text(d.record.period),
        services=d.record.services,
        hours=cert.hours(d.record.minutes),
        minutes=d.record.minutes,
        lines=lines[:on_page],
        annex=lines if len(lines) > on_page else (),
        issuer=d.issuer.name,
        person_in_charge=d.issuer.person_in_charge,
        handler=d.issuer.handler,
        contact=d.issuer.contact,
        issued_on=chinese_date(d.record.issued_on.isoformat()),
        remarks=REMARKS,
    )


def certificate_stem(record: stored.CertificateRecord) -> str:
    """A certificate's file name: its number's year and sequence, org and holder."""
    return fsutil.safe_filename(
        f"{record.year}-{record.seq:04d}_{record.org}_{record.name}", max_chars=80
    )


class CertificateWriter:
    """Writes certificates under out/志愿服务记录证明/, each template compiled once."""

    def __init__(self, ws: Workspace, formats: Sequence[str]) -> None:
        self.ws = ws
        self.formats = tuple(formats)
        self.folder = ws.out_dir / CERT_DIR
        self._html = HtmlCertificates(ws.templates_dir)
        self._docx: Any = None

    def _docx_template(self) -> Any:
        if self._docx is None:
            from shuanggang.render.letters import docx_template

            self._docx = docx_template(self.ws.templates_dir, "certificate.docx")
        return self._docx

    def write(self, stem: str, certificates: Sequence[Certificate]) -> list[Path]:
        paths = []
        if "html" in self.formats:
            target = fsutil.inside(self.folder, f"{stem}.html")
            paths.append(self._html.write(target, certificates))
        if "docx" in self.formats:
            target = fsutil.inside(self.folder, f"{stem}.docx")
            paths.append(self._docx_template().write(target, letters=certificates))
        return paths

    def remove(self, stem: str) -> list[Path]:
        removed = []
        for fmt in ("html", "docx"):
            path = fsutil.inside(self.folder, f"{stem}.{fmt}")
            if path.exists():
                path.unlink()
                removed.append(path)
        return removed

    def publicity(self, publicity: Publicity, stem: str) -> list[Path]:
        html = fsutil.inside(self.folder, f"{stem}.html")
        xlsx = fsutil.inside(self.folder, f"{stem}.xlsx")
        return [
            fsutil.write_text(html, self._html.publicity(publicity)),
            write_publicity(xlsx, publicity),
        ]


def register_rows(records: Sequence[stored.CertificateRecord]) -> list[tuple[Any, ...]]:
    return [
        (
            r.number,
            r.name,
            mask_id(r.id_number),
            r.org,
            r.community,
            r.period.label(),
            r.services,
            cert.hours(r.minutes),
            r.minutes,
            r.issued_on.isoformat(),
            STATUS_LABEL[r.status],
            r.voided_on.isoformat() if r.voided_on else "",
        )
        for r in records
    ]


def _publicity(
    writer: CertificateWriter,
    settings: Settings,
    decided: Sequence[_Decided],
    label: str,
    on: date,
) -> list[Path]:
    """The publicity lists: one per issuing body (a district's merged year has one per
    street committee, each posted where its members are)."""
    start, end = cert.publicity_span(on, settings.certificates.publicity_days)
    issuers = list(dict.fromkeys(d.issuer.name for d in decided))
    paths: list[Path] = []
    for issuer in issuers:
        mine = [d for d in decided if d.issuer.name == issuer]
        sheet = Publicity(
            title="志愿服务记录证明公示名单",
            issuer=issuer,
            start=chinese_date(start.isoformat()),
            end=chinese_date(end.isoformat()),
            contact=settings.certificates.contact,
            lines=tuple(
                PublicityLine(
                    i,
                    d.record.number,
                    cert.masked_name(d.holder.name),
                    d.holder.org,
                    cert.hours(d.record.minutes),
                    d.record.period.label(),
                )
                for i, d in enumerate(mine, 1)
            ),
        )
        who = f"_{issuer}" if len(issuers) > 1 else ""
        stem = fsutil.safe_filename(f"公示名单_{label}{who}_{on.isoformat()}", max_chars=80)
        paths += writer.publicity(sheet, stem)
    return paths


def issue(
    ws: Workspace,
    store: Store,
    settings: Settings,
    request: Request,
    *,
    formats: Sequence[str],
    on: date,
    publicity: bool = False,
) -> Issued:
    """Issue the certificates asked for, as of `on`, and write them, the combined print
    file, the register and (if asked) the publicity list."""
    period = period_of(request, settings)
    with store.change("certificates", f"志愿服务记录证明：{period.label()}") as tx:
        label, decided, findings, voided = _decide(tx, settings, request, period, on)
        records = stored.register(tx)
    result = Issued(f"{label}_{period.start.year}", period, findings=findings)
    writer = CertificateWriter(ws, formats)
    for record in voided:
        result.removed += writer.remove(certificate_stem(record))
    with fsutil.synced_at_end():  # one sync for all the letters
        made = []
        for d in decided:
            certificate = _certificate(d, settings)
            made.append(certificate)
            if d.replaces is not None:
                result.removed += writer.remove(certificate_stem(d.replaces))
            outputs = writer.write(certificate_stem(d.record), [certificate]) if formats else []
            result.issued.append(
                IssuedOne(
                    d.record.number,
                    d.holder.name,
                    mask_id(d.holder.id_number),
                    d.holder.org,
                    d.holder.community,
                    d.record.services,
                    d.record.minutes,
                    cert.hours(d.record.minutes),
                    d.state,
                    d.replaces.number if d.replaces else "",
                    tuple(outputs),
                )
            )
        if made and formats:
            stem = combined_stem(result.label, on)
            result.combined = writer.write(stem, made)
            result.removed += replace_combined(writer.folder, result.label, result.combined)
    result.register = write_register(
        fsutil.inside(writer.folder, REGISTER_FILE), register_rows(records)
    )
    if publicity and decided:
        result.publicity = _publicity(writer, settings, decided, result.label, on)
    return result
