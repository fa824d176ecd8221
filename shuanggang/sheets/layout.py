"""Finding the table inside an office sheet: which sheet, which kind, where the header is
(one row or two merged rows), the preamble lines above it and the footer below it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from shuanggang.domain.values import clean_text, normalize
from shuanggang.sheets.fields import (
    KINDS,
    Extra,
    Field,
    SheetKind,
    header_key,
    match_key,
    may_be_header,
)
from shuanggang.sheets.workbook import Book, FileRejected, RawSheet

HEADER_SCAN_ROWS = 20
INSTRUCTION_SHEET = re.compile(r"说明|填表须知|须知|指南|instruction|readme", re.IGNORECASE)
FOOTER = re.compile(
    r"^(?:(?:单位负责人|负责人|填表人|填报人|制表人|审核人|联系人|联系电话|备注|注)\s*[:：]"
    r"|说明|填表说明|合计|总计)"
)
# `职务：姓名`, `单位（盖章）：`, `填报日期：2026年3月5日`: a label of 1–12 Chinese characters
# (a bracketed note allowed), a colon of either width, any value or none.
_KEY_VALUE = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*(?:[（(][^）)]*[）)])?\s*[:：]")
# What else a signature line holds between its `键：值` cells: a seal or signature mark,
# a date written out (2026年3月5日) or left to be filled in (年 月 日).
_SIGNATURE_PART = re.compile(
    r"^(?:[（(]?\s*(?:盖章|公章|签字|签名|签章|章)\s*[）)]?"
    r"|(?:\d{4}\s*)?年\s*(?:\d{1,2}\s*)?月\s*(?:\d{1,2}\s*)?日)$"
)
# Header cells that number the rows: expected, never read, not reported as unused.
ROW_NUMBER_HEADERS = frozenset({"序号", "序列号", "顺序号", "行号", "no"})
_PREAMBLE = re.compile(
    r"(?P<key>[\u4e00-\u9fffA-Za-z]{2,10})\s*(?:[（(][^）)]*[）)])?\s*[:：]\s*"
    r"(?P<value>.*?)(?=\s+[\u4e00-\u9fffA-Za-z]{2,10}\s*(?:[（(][^）)]*[）)])?\s*[:：]|$)"
)
PREAMBLE_KEYS = {
    "填表单位": "org",
    "填报单位": "org",
    "报到单位": "org",
    "单位名称": "org",
    "单位": "org",
    "团组织名称": "org",
    "报到社区": "community",
    "接收社区": "community",
    "接收单位": "community",
    "社区": "community",
    "填表日期": "date",
    "日期": "date",
    "报送日期": "date",
}


@dataclass(frozen=True, slots=True)
class Layout:
    sheet: RawSheet
    kind: SheetKind
    header_row: int  # index of the first header row
    header_height: int  # 1, or 2 for a two-row merged header
    columns: dict[int, Field]  # column index → field
    headers: list[str]  # the header texts as found, for messages
    title: str = ""
    preamble: dict[str, str] = field(default_factory=dict)
    # column index → (header text, row index of its cell), every filled header cell
    header_cells: dict[int, tuple[str, int]] = field(default_factory=dict)

    @property
    def ignored(self) -> dict[int, str]:
        """column → header text of each filled header no field was read from: unknown
        headers, and a second column for a field another column gives (序号 aside)."""
        return {
            c: text
            for c, (text, _) in self.header_cells.items()
            if c not in self.columns and header_key(text) not in ROW_NUMBER_HEADERS
        }

    @property
    def width(self) -> int:
        """Columns from A to the last filled header cell."""
        return max(self.header_cells, default=max(self.columns, default=-1)) + 1

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.header_height

    def missing(self) -> list[Field]:
        found = set(self.columns.values())
        return [f for f in self.kind.required if f not in found]

    @property
    def score(self) -> tuple[bool, int, int]:
        return _score(self.kind, set(self.columns.values()))


def _score(kind: SheetKind, found: set[Field]) -> tuple[bool, int, int]:
    """Complete (no required column missing) first, then fields found, then required."""
    required = sum(1 for f in kind.required if f in found)
    return (required == len(kind.required), len(found), required)


def _cell_text(value: Any) -> str:
    return normalize(value) if isinstance(value, str) else ""


Score = tuple[bool, int, int]


class _HeaderTexts:
    """A sheet's top rows as header text, normalised once and shared by every kind the
    search tries. Each cell is matched to a field once per kind; a candidate header is
    scored from those matches, and only the winner becomes a `Layout`."""

    def __init__(self, head: list[list[Any]], extra: Extra = ()) -> None:
        self.extra = extra
        self.rows = [[_cell_text(v) for v in row] for row in head]
        self.keys = {text: header_key(text) for row in self.rows for text in row if text}
        self._data = {
            text for text, key in self.keys.items() if not may_be_header(key, text, extra)
        }
        self._fields: dict[str, list[list[Field | None]]] = {}
        self._rows_found: dict[str, list[set[Field]]] = {}

    def cells(self, r: int, height: int) -> dict[int, tuple[str, int]]:
        """column → (text, row) of each filled cell of the header at (r, height): the
        lower row's where it is filled, as `labels` reads them."""
        lower = self.rows[r + 1] if height == 2 and r + 1 < len(self.rows) else []
        found = {c: (text, r + 1) for c, text in enumerate(lower) if text}
        for c, text in enumerate(self.rows[r]):
            if text and c not in found:
                found[c] = (text, r)
        return dict(sorted(found.items()))

    def labels(self, r: int, height: int) -> list[str]:
        """The header texts of the header at row r, one or two rows high."""
        return self._merged(self.rows, r, height, "")

    def score(self, kind: SheetKind, r: int, height: int) -> Score:
        """`Layout.score` of the header at (r, height), without building the layout."""
        found = self._found(kind)
        if height == 1 or not found[r]:
            # A row that names no field adds nothing above the row below it: the two
            # rows read as that row (most rows a search looks at are data).
            return _score(kind, found[r] if height == 1 else found[r + 1])
        fields = self._merged(self._cell_fields(kind), r, height, None)
        return _score(kind, {f for f in fields if f is not None})

    def _found(self, kind: SheetKind) -> list[set[Field]]:
        """Each row's fields, and an empty set below the last row."""
        found = self._rows_found.get(kind.name)
        if found is None:
            found = self._rows_found[kind.name] = [
                {f for f in row if f is not None} for row in self._cell_fields(kind)
            ]
            found.append(set())
        return found

    def _merged(self, grid: list[list[Any]], r: int, height: int, empty: Any) -> list[Any]:
        """Row r of `grid` (the texts, or their fields), one or two rows high: the lower
        row names a column where its text is filled, the upper one elsewhere (merged
        序号/姓名 above a row of sub-headers)."""
        top = grid[r]
        if height == 1:
            return top
        texts = self.rows[r + 1] if r + 1 < len(self.rows) else []
        below = grid[r + 1] if r + 1 < len(grid) else []
        return [
            below[c] if c < len(texts) and texts[c] else (top[c] if c < len(top) else empty)
            for c in range(max(len(top), len(texts)))
        ]

    def _cell_fields(self, kind: SheetKind) -> list[list[Field | None]]:
        cells = self._fields.get(kind.name)
        if cells is None:
            known = _matches(kind.name, self.extra)
            if len(known) > REMEMBERED:
                known.clear()
            for text in self.keys.keys() - known.keys() - self._data:
                known[text] = _field_of(match_key(kind.name, self.keys[text], text, self.extra))
            cells = self._fields[kind.name] = [
                [None if not t or t in self._data else known[t] for t in row] for row in self.rows
            ]
        return cells


REMEMBERED = 65536  # header texts whose field is remembered, per kind (a bound)


@cache
def _matches(kind_name: str, extra: Extra) -> dict[str, Field | None]:
    """Header text → its field for this kind: a batch of sheets made from one template
    repeats the same headers, titles and preamble lines."""
    return {}


def _field_of(match: tuple[Field, int] | None) -> Field | None:
    return None if match is None else match[0]


def _map_columns(
    labels: Sequence[str], kind: SheetKind, keys: dict[str, str], extra: Extra = ()
) -> dict[int, Field]:
    """Column → field; when two columns name one field, the more canonical header wins.
    `keys`: each label's `header_key`."""
    chosen: dict[Field, tuple[int, int]] = {}
    for c, label in enumerate(labels):
        found = match_key(kind.name, keys[label], label, extra) if label else None
        if found is None:
            continue
        f, rank = found
        if f not in chosen or rank < chosen[f][1]:
            chosen[f] = (c, rank)
    return {c: f for f, (c, _) in sorted(chosen.items(), key=lambda item: item[1][0])}


def _best_header(sheet: RawSheet, kind: SheetKind, texts: _HeaderTexts) -> Layout | None:
    scan = min(HEADER_SCAN_ROWS, sheet.height)
    singles = [texts.score(kind, r, 1) for r in range(scan)]
    best: tuple[Score, int, int] | None = None  # (score, row, height)
    for r, single in enumerate(singles):
        candidates = [(single, r, 1)]
        # Two rows only when the upper row adds fields the lower one lacks (merged
        # 序号/姓名 above a row of sub-headers), not when it is a preamble line.
        if r + 1 < sheet.height:
            double = texts.score(kind, r, 2)
            below = singles[r + 1] if r + 1 < scan else texts.score(kind, r + 1, 1)
            if double > below and double > single:
                candidates.append((double, r, 2))
        for candidate in candidates:
            if best is None or candidate[0] > best[0]:
                best = candidate
    if best is None or best[0][1] < 2:
        return None
    _, r, height = best
    labels = texts.labels(r, height)
    return Layout(
        sheet,
        kind,
        r,
        height,
        _map_columns(labels, kind, texts.keys, texts.extra),
        [x for x in labels if x],
        header_cells=texts.cells(r, height),
    )


def _preamble(rows: list[list[Any]], header_row: int) -> tuple[str, dict[str, str]]:
    title, found = "", {}
    for row in rows[:header_row]:
        # As written: an organisation's name keeps its full-width brackets (烟台（芝罘）…).
        texts = [clean_text(v) for v in row if clean_text(v)]
        if not texts:
            continue
        line = "  ".join(texts)
        pairs = list(_PREAMBLE.finditer(line))
        if not pairs and not title:
            title = line
        for match in pairs:
            key = PREAMBLE_KEYS.get(match.group("key"))
            value = match.group("value").strip()
            if key and value and key not in found:
                found[key] = value
    return title, found


def candidate_sheets(
    book: Book, sheet_name: str | None, include_hidden: bool = False
) -> list[RawSheet]:
    if sheet_name is not None:
        chosen = [s for s in book.sheets if s.name == sheet_name]
        if not chosen:
            names = "、".join(s.name for s in book.sheets)
            raise FileRejected(
                f"{book.path.name} 中没有名为“{sheet_name}”的工作表",
                f"这个文件的工作表有：{names}",
                code="sheet-not-found",
            )
        return chosen
    visible = [s for s in book.sheets if (s.visible or include_hidden) and s.height]
    data = [s for s in visible if not INSTRUCTION_SHEET.search(s.name)]
    return data or visible


def _best_layout(sheets: Sequence[RawSheet], kinds: list[SheetKind], extra: Extra) -> Layout | None:
    best: Layout | None = None
    for sheet in sheets:
        texts = _HeaderTexts(sheet.head, extra)
        for k in kinds:
            layout = _best_header(sheet, k, texts)
            if layout is not None and (best is None or layout.score > best.score):
                best = layout
    return best


def _kinds(kind: str | None) -> list[SheetKind]:
    return [KINDS[kind]] if kind else [k for k in KINDS.values() if k.detected]


def detect(
    book: Book,
    kind: str | None = None,
    sheet_name: str | None = None,
    extra: Extra = (),
    include_hidden: bool = False,
) -> Layout | None:
    """The best (sheet, kind, header) in the book, or None if no sheet has a header.
    `extra`: the workspace's header aliases; `include_hidden`: hidden sheets are
    candidates too (else only a sheet named by `sheet_name` may be hidden)."""
    best = _best_layout(candidate_sheets(book, sheet_name, include_hidden), _kinds(kind), extra)
    if best is None:
        return None
    title, preamble = _preamble(best.sheet.head, best.header_row)
    return replace(best, title=title, preamble=preamble)


def hidden_data_sheets(
    book: Book, chosen: Layout | None, kind: str | None = None, extra: Extra = ()
) -> list[tuple[RawSheet, SheetKind]]:
    """The hidden sheets `detect` passed over that hold a table: of the chosen sheet's
    kind, or of any kind when no visible sheet had one (instruction sheets aside)."""
    kinds = [chosen.kind] if chosen is not None else _kinds(kind)
    found = []
    for sheet in book.sheets:
        if sheet.visible or not sheet.height or INSTRUCTION_SHEET.search(sheet.name):
            continue
        if chosen is not None and sheet is chosen.sheet:
            continue
        layout = _best_layout([sheet], kinds, extra)
        if layout is not None and not layout.missing():
            found.append((sheet, layout.kind))
    return found


def is_footer(row: Sequence[Any]) -> bool:
    """A line below the table, not a record: its first filled cell names a 负责人/填表人/
    说明/合计…, or every filled cell is a `键：值` pair (社区团支部书记：陈月可 in A,
    填报日期：2026年3月5日 in E; `单位（盖章）：` with no value), seal and date marks
    allowed between them."""
    cells = iter(row)
    head = next((value for value in cells if value is not None and value != ""), None)
    if type(head) is not str:
        return False  # a blank row, or a data row opening with its 序号
    first = normalize(head)
    if FOOTER.match(first):
        return True
    if not (_KEY_VALUE.match(first) or _SIGNATURE_PART.match(first)):
        return False  # most data rows stop here
    pair = bool(_KEY_VALUE.match(first))
    for value in cells:
        if value is None or value == "":
            continue
        if type(value) is not str:
            return False  # a number or a date among them: data
        text = normalize(value)
        if _KEY_VALUE.match(text):
            pair = True
        elif text and not _SIGNATURE_PART.match(text):
            return False
    return pair
