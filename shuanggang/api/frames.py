"""Rows to pandas DataFrames: each column's dtype follows its field's type, and the
Chinese headers are the exports' (`domain.labels.FIELD_LABELS`, the report's columns).

pandas is an optional extra and only this module imports it, when a DataFrame is asked
for; the command line never does.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, get_type_hints

from shuanggang.domain import assessment as a
from shuanggang.domain.labels import FIELD_LABELS

if TYPE_CHECKING:
    import pandas as pd

INSTALL = "pip install 'shuanggang[pandas]'"


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(f"to_pandas() 需要 pandas，当前环境没有安装。请运行：{INSTALL}") from None
    return pandas


# Columns of few distinct values, read as pandas `category`; the grades are ordered.
CATEGORIES = {
    "street",
    "community",
    "category",
    "gender",
    "ethnicity",
    "political_status",
    "education",
    "form",
}
GRADES = (a.FAILED, a.BASIC, a.QUALIFIED, a.EXCELLENT)
# Text columns holding dates the sheets may give to the month or the year only.
LOOSE_DATES = {"birth", "joined", "date"}

# Chinese headers beyond the sheets' fields (FIELD_LABELS), as the exports write them.
ZH: dict[str, str] = {
    "org_id": "单位ID",
    "member_id": "团员ID",
    "project_id": "项目ID",
    "branch_id": "活动团支部ID",
    "service_id": "服务记录ID",
    "consultation_id": "协商记录ID",
    "secretary_id": "书记团员ID",
    "registered_on": "报到日期",
    "withdrawn_on": "撤回日期",
    "withdraw_reason": "撤回原因",
    "left_on": "离团日期",
    "left_reason": "离团原因",
    "slots": "时段",
    "claimed_on": "认领日期",
    "joint": "联合编组",
    "secretary": "建议书记",
    "flag": "提示",
    "certificate_id": "证明ID",
    "number": "证明编号",
    "period_from": "服务期间起",
    "period_to": "服务期间止",
    "services": "服务次数",
    "minutes": "服务时长（分钟）",
    "issued_on": "出具日期",
    "status": "状态",
    "voided_on": "作废日期",
}
# Per view, where a header differs from the field's label elsewhere.
ZH_BY_VIEW: dict[str, dict[str, str]] = {
    "orgs": {"community": "报到社区"},
    "members": {"community": "报到社区"},
    "branches": {"members": "人数"},
}


@functools.cache
def _assessment_headers() -> dict[str, str]:
    """The 组织考评 sheet's headers, by the result's field names (the same order)."""
    from shuanggang.workflow.report import ITEM_COLUMNS, ORGS

    names = (
        "org",
        "community",
        "members",
        "active",
        "participation",
        "services",
        "hours",
        "consultations",
        "rating",
        "score",
        "grade",
        "note",
    )
    items = [f"{key}_{part}" for key in a.KEYS for part in ("raw", "score", "weight")]
    headers = [c.label for c in (*ORGS, *ITEM_COLUMNS)]
    return dict(zip((*names, *items), headers, strict=True))


def header(view: str, name: str) -> str:
    """The Chinese header of column `name` of `view`."""
    if view == "assessment" and name in _assessment_headers():
        return _assessment_headers()[name]
    own = ZH_BY_VIEW.get(view, {})
    return own.get(name) or ZH.get(name) or FIELD_LABELS.get(name, name)


def _loose(text: str | None) -> str | None:
    """2026 → 2026-01-01, 2026-05 → 2026-05-01: a loose date at its period's first day."""
    if not text:
        return None
    return text + "-01-01"[: 10 - len(text)] if len(text) in (4, 7) else text


def _column(pd: Any, name: str, kind: str, values: list[Any]) -> Any:
    """One column with the dtype its field's type `kind` calls for."""
    optional = "None" in kind
    if "date" in kind or (name in LOOSE_DATES and "str" in kind):
        texts = [v.isoformat() if isinstance(v, date) else _loose(v) for v in values]
        series = pd.to_datetime(pd.Series(texts, dtype=object), errors="coerce", format="ISO8601")
        return series.astype("datetime64[ns]")
    if "tuple" in kind:
        return pd.Series([",".join(v) for v in values], dtype=object)
    if name == "grade":
        return pd.Series(pd.Categorical(values, categories=GRADES, ordered=True))
    if "bool" in kind:
        return pd.Series(values, dtype="boolean" if optional else bool)
    if "float" in kind:
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    if "int" in kind:
        return pd.Series(values, dtype="Int64" if optional else "int64")
    if name in CATEGORIES:  # not given is missing, not a category of its own
        return pd.Series([v or None for v in values], dtype="category")
    return pd.Series(values, dtype=None if values else object)  # text: pandas' own dtype


def _item_columns(rows: Sequence[Any]) -> dict[str, list[Any]]:
    """The assessment's items spread into columns: participation_raw, _score, _weight …"""
    out: dict[str, list[Any]] = {
        f"{key}_{part}": [] for key in a.KEYS for part in ("raw", "score", "weight")
    }
    for row in rows:
        by_key = {i.key: i for i in row.items}
        for key in a.KEYS:
            item = by_key.get(key)
            out[f"{key}_raw"].append(None if item is None else item.raw)
            out[f"{key}_score"].append(None if item is None else item.score)
            out[f"{key}_weight"].append(None if item is None else item.weight)
    return out


def frame(
    view: str, rows: Sequence[Any], labels: Literal["en", "zh"], row_type: type
) -> pd.DataFrame:
    """`rows` (dataclasses of `row_type`) as a DataFrame with typed columns."""
    pd = _pandas()
    if labels not in ("en", "zh"):
        raise ValueError(f'labels 只能是 "en" 或 "zh"，不是 {labels!r}')
    assert is_dataclass(row_type)
    hints = get_type_hints(row_type)
    columns: dict[str, Any] = {}
    for f in fields(row_type):
        if f.name == "items":  # the assessment's items, one column per figure
            for name, values in _item_columns(rows).items():
                columns[name] = _column(pd, name, "float | None", values)
            continue
        kind = str(hints[f.name]).replace("typing.", "")
        if isinstance(hints[f.name], type):
            kind = hints[f.name].__name__
        columns[f.name] = _column(pd, f.name, kind, [getattr(r, f.name) for r in rows])
    df = pd.DataFrame(columns)
    if labels == "zh":
        df.columns = [header(view, c) for c in df.columns]
    return df
