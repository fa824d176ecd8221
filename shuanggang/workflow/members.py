"""`members`: find a member, show everything the sheet gave, correct a value, record that
a member left (调离、超龄离团) or came back.

Each change is one `Store.change` (audited, and so undoable); `dry_run` makes the same
change and rolls it back. A refusal is a `MemberRefused` with a stable `code`
(docs/corrections.md), raised before anything is written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shuanggang import clock
from shuanggang.domain import values as v
from shuanggang.domain.findings import Finding, Severity
from shuanggang.domain.labels import MEMBER_FIELDS, field_label
from shuanggang.domain.privacy import mask_id, mask_phone
from shuanggang.errors import ShuanggangError
from shuanggang.settings import Settings
from shuanggang.sheets.fields import KINDS
from shuanggang.sheets.reader import parser_for
from shuanggang.store import Store
from shuanggang.store import members as stored
from shuanggang.store.records import MemberRecord

LEAVE_REASONS = ("调离", "超龄离团", "其他")
# What `members show` lists: every field of a member sheet, in the sheet's order.
SHOWN = MEMBER_FIELDS
# The profile texts a category is read from, in the reader's order (sheets.reader).
_PROFILE = ("specialty", "willingness", "occupation", "interests")
_REQUIRED = frozenset(f.name for f in KINDS["members"].fields if f.required)
_KEY_LIKE = re.compile(r"[0-9Xx]+")


class MemberRefused(ShuanggangError):
    """A members command refused: nothing was changed. `code` is stable; `nearest` are
    masked keys of the members nearest to one not found."""

    def __init__(
        self, code: str, message: str, hint: str = "", nearest: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message, hint)
        self.code = code
        self.nearest = nearest

    def as_json(self) -> dict[str, Any]:
        return {
            "status": "refused",
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "nearest": list(self.nearest),
        }


class _RolledBack(Exception):
    """Ends a dry run's transaction: everything it did is rolled back."""


# --- reading ---------------------------------------------------------------------------


def _masked_key(key: str) -> str:
    return mask_id(key) if len(key) >= 15 else key


def status_label(left_on: str) -> str:
    return f"已调离（{left_on}）" if left_on else "在册"


def summary(m: MemberRecord, standing: stored.Standing) -> dict[str, Any]:
    """A member in a line, masked: for find and for every change's result."""
    return {
        "name": m.name,
        "id_number": mask_id(m.id_number),
        "member_no": m.member_no,
        "phone": mask_phone(m.phone) if m.phone else "",
        "org": m.org.name,
        "community": m.org.community,
        "branch": m.branch,
        "category": m.category,
        "status": standing.label,
    }


def find_members(store: Store, text: str) -> list[dict[str, Any]]:
    text = v.normalize(text).replace(" ", "")
    if not text:
        raise MemberRefused("find-text-empty", "请给出姓名、身份证号或手机号的后几位")
    if _KEY_LIKE.fullmatch(text) and len(text) < 4:
        raise MemberRefused(
            "find-text-too-short",
            f"“{text}”太短：身份证号、手机号请给出后 4–6 位",
            "例如 shuanggang members find 1234",
        )
    return [summary(m, stored.standing(store, m.id)) for m in stored.find(store, text)]


def resolve(store: Store, key: str) -> MemberRecord:
    """The one member with that ID number or 团员编号, or a refusal naming the nearest."""
    key = v.normalize(key).replace(" ", "")
    found = stored.by_key(store, key)
    if len(found) == 1:
        return found[0]
    if found:
        raise MemberRefused(
            code="member-ambiguous",
            message=f"团员编号 {key} 有 {len(found)} 名团员",
            hint="请改用身份证号",
            nearest=tuple(f"{m.name} {mask_id(m.id_number)}（{m.org.name}）" for m in found),
        )
    nearest = tuple(
        _masked_key(k) for k in difflib.get_close_matches(key.upper(), stored.keys(store), 3, 0.6)
    )
    raise MemberRefused(
        code="member-unknown",
        message=f"没有身份证号或团员编号为 {_masked_key(key)} 的团员",
        hint=("最接近的：" + "、".join(nearest))
        if nearest
        else "可用 shuanggang members find 查找",
        nearest=nearest,
    )


@dataclass(frozen=True, slots=True)
class MemberView:
    member: MemberRecord
    standing: stored.Standing
    totals: stored.ServiceTotals

    def fields(self) -> list[tuple[str, str]]:
        """(label, value) of every field the sheet gave, masked, then what follows."""
        m = self.member
        shown = []
        for name in SHOWN:
            value: Any = getattr(m, name)
            if name == "consent":
                value = "" if value is None else ("是" if value else "否")
            elif name == "id_number":
                value = mask_id(value)
            elif name == "phone" and value:
                value = mask_phone(value)
            shown.append((field_label(name), str(value)))
        return shown

    def as_json(self) -> dict[str, Any]:
        m, s, t = self.member, self.standing, self.totals
        return {
            **summary(m, s),
            "fields": {name: value for name, (_, value) in zip(SHOWN, self.fields(), strict=True)},
            "slots": v.slot_labels(m.slots),
            "left_on": s.left_on,
            "left_reason": s.left_reason,
            "services": t.services,
            "hours": t.minutes / 60,
            "first_service": t.first,
            "last_service": t.last,
        }


def show_member(store: Store, key: str) -> MemberView:
    m = resolve(store, key)
    return MemberView(m, stored.standing(store, m.id), stored.service_totals(store, m.id))


# --- changing --------------------------------------------------------------------------


@dataclass(slots=True)
class MemberChange:
    """What a change did (or, dry, would do)."""

    command: str
    status: str  # changed, unchanged
    member: dict[str, Any]
    dry_run: bool = False
    changes: list[dict[str, str]] = field(default_factory=list)  # field, label, before, after
    released: bool = False  # taken out of their activity branch
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "status": self.status,
            "dry_run": self.dry_run,
            "member": self.member,
            "changes": self.changes,
            "released": self.released,
            "findings": [f.as_dict() for f in self.findings],
        }


@contextmanager
def _changing(store: Store, command: str, detail: str, dry_run: bool) -> Iterator[Store]:
    try:
        with store.change(command, detail) as tx:
            yield tx
            if dry_run:
                raise _RolledBack
    except _RolledBack:
        pass


def _shown_value(name: str, value: str) -> str:
    if name == "phone" and value:
        return mask_phone(value)
    return value


def _parse(name: str, raw: str, settings: Settings, findings: list[Finding]) -> str:
    """A new value parsed as the sheet reader parses that column."""
    f = KINDS["members"].field(name)
    text = v.clean_text(raw)
    if not text:
        if name in _REQUIRED:
            raise MemberRefused("required-missing", f"{field_label(name)}不能为空")
        return ""
    if len(text) > settings.limits.max_cell_chars:
        raise MemberRefused(
            "cell-too-long",
            f"{field_label(name)}超过 {settings.limits.max_cell_chars} 个字符",
        )
    try:
        return str(parser_for(f)(text))
    except v.ValueProblem as problem:
        if problem.severity is Severity.ERROR or problem.keep is None:
            raise MemberRefused(
                problem.code, f"{field_label(name)}{problem.message}", problem.hint
            ) from None
        findings.append(
            Finding(
                problem.severity,
                problem.message,
                problem.hint,
                code=problem.code,
                field=name,
                value=_shown_value(name, str(problem.keep)),
            )
        )
        return str(problem.keep)


def update_member(
    store: Store, settings: Settings, key: str, given: Mapping[str, str], *, dry_run: bool = False
) -> MemberChange:
    """Correct the given fields; slots and category are derived again as the reader
    derives them, and a member whose category or slots change leaves their branch (as a
    corrected sheet does: the next assign-branches places them by what they now say)."""
    unknown = set(given) - set(stored.EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    findings: list[Finding] = []
    new = {name: _parse(name, raw, settings, findings) for name, raw in given.items()}
    categorize = v.categorizer(tuple((c.name, c.keywords) for c in settings.categories))
    m = resolve(store, key)
    detail = f"{m.name} {mask_id(m.id_number)}：{'、'.join(field_label(n) for n in given)}"
    result = MemberChange("members update", "unchanged", {}, dry_run, findings=findings)
    with _changing(store, "members update", detail, dry_run) as tx:
        m = stored.member(tx, m.id)  # as it is now the write lock is held
        after = {name: new.get(name, getattr(m, name)) for name in stored.EDITABLE}
        slots = ",".join(sorted(v.parse_availability(after["availability"])))
        category = categorize.decide(tuple(after[n] for n in _PROFILE), (m.org.name,)).category
        values: dict[str, Any] = {n: after[n] for n in new if after[n] != getattr(m, n)}
        if slots != ",".join(m.slots):
            values["slots"] = slots
        if category != m.category:
            values["category"] = category
        if values:
            stored.update(tx, m.id, values)
            result.status = "changed"
            before = {**{n: getattr(m, n) for n in stored.EDITABLE}, "category": m.category}
            before["slots"] = v.slot_labels(m.slots)
            shown_after = {**values, "slots": v.slot_labels(slots.split(","))}
            result.changes = [
                {
                    "field": n,
                    "label": field_label(n) if n != "slots" else "时段",
                    "before": _shown_value(n, str(before[n])),
                    "after": _shown_value(n, str(shown_after[n])),
                }
                for n in values
            ]
            if "slots" in values or "category" in values:
                result.released = stored.release_placement(tx, m.id)
        result.member = summary(stored.member(tx, m.id), stored.standing(tx, m.id))
        if not values:
            raise _RolledBack  # nothing to record: no audit row
    return result


def _leave_date(text: str, year: int, joined: str) -> str:
    """A leaving date that makes sense: a real day, not after today, within the working
    year or later, and not before the member joined the League."""
    try:
        on = date.fromisoformat(v.normalize(text))
    except ValueError:
        raise MemberRefused(
            "leave-date-invalid", f"“{text}”不是日期", "写成 2026-05-01 这样的格式"
        ) from None
    today = clock.today()
    if on > today:
        raise MemberRefused(
            "leave-date-future",
            f"离团日期 {on} 晚于今天（{today}）",
            "离团登记在离团之后办理；日期写错了请改正",
        )
    if on.year < year:
        raise MemberRefused(
            "leave-date-before-year",
            f"离团日期 {on} 早于工作年度 {year} 年",
            "工作年度开始前已离团的团员不应在名单中：请从名单中删去后用 register --replace",
        )
    if joined and on.isoformat() < joined:
        raise MemberRefused(
            "leave-date-before-joining",
            f"离团日期 {on} 早于入团年月 {joined}",
            "核对离团日期和入团年月",
        )
    return on.isoformat()


def leave_member(
    store: Store, settings: Settings, key: str, on: str, reason: str, *, dry_run: bool = False
) -> MemberChange:
    """Record that the member left on `on`: they leave their branch, are out of the year's
    participation from that date (docs/assessment.md) and keep their history."""
    if reason not in LEAVE_REASONS:
        raise MemberRefused(
            "leave-reason-unknown", f"离团原因“{reason}”不可用", f"可用：{'、'.join(LEAVE_REASONS)}"
        )
    m = resolve(store, key)
    day = _leave_date(on, settings.year, m.joined)
    detail = f"{m.name} {mask_id(m.id_number)}：{reason}（{day}）"
    result = MemberChange("members leave", "changed", {}, dry_run)
    with _changing(store, "members leave", detail, dry_run) as tx:
        now = stored.standing(tx, m.id)
        if now.left:
            raise MemberRefused(
                "member-already-left",
                f"{m.name} 已于 {now.left_on} 离团（{now.left_reason}）",
                "回到本单位的请先运行 shuanggang members return",
            )
        stored.set_left(tx, m.id, day, reason)
        result.released = stored.release_placement(tx, m.id)
        result.changes = [
            {"field": "left_on", "label": "状态", "before": "在册", "after": status_label(day)},
            {"field": "left_reason", "label": "离团原因", "before": "", "after": reason},
        ]
        result.member = summary(stored.member(tx, m.id), stored.standing(tx, m.id))
    return result


def return_member(store: Store, key: str, *, dry_run: bool = False) -> MemberChange:
    """Undo a leaving: the member is 在册 again (the next assign-branches places them)."""
    m = resolve(store, key)
    detail = f"{m.name} {mask_id(m.id_number)}"
    result = MemberChange("members return", "changed", {}, dry_run)
    with _changing(store, "members return", detail, dry_run) as tx:
        now = stored.standing(tx, m.id)
        if not now.left:
            raise MemberRefused(
                "member-not-left",
                f"{m.name} 在册，没有离团记录",
                "离团请用 shuanggang members leave",
            )
        stored.set_returned(tx, m.id)
        result.changes = [
            {"field": "left_on", "label": "状态", "before": now.label, "after": "在册"},
            {"field": "left_reason", "label": "离团原因", "before": now.left_reason, "after": ""},
        ]
        result.member = summary(stored.member(tx, m.id), stored.standing(tx, m.id))
    return result
