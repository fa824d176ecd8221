"""The one reader for every kind of sheet: open the file, find the table, parse each cell
by its field's type, apply the kind's row rules, and report findings at their cells."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuanggang.domain import values as v
from shuanggang.domain.findings import ERROR, WARNING, Finding, Severity, escalate, has_errors
from shuanggang.domain.privacy import mask_id, mask_phone
from shuanggang.domain.rules import RULES, RowContext, no_rules
from shuanggang.errors import InputRejected
from shuanggang.settings import Settings
from shuanggang.sheets.fields import KINDS, Field, nearest_field
from shuanggang.sheets.layout import Layout, detect, hidden_data_sheets, is_footer
from shuanggang.sheets.workbook import Book, FileRejected, Runs, open_book

# None is never a parse (their types say so): the reader's caches use it for 'unseen'.
PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": v.clean_text,
    "id": v.parse_id_number,
    "phone": v.parse_phone,
    "tel": v.parse_tel,
    "date": v.parse_date,
    "gender": v.parse_gender,
    "int": v.parse_count,
    "hours": v.parse_hours,
    "rating": v.parse_rating,
    "yesno": v.parse_yesno,
    "names": v.split_names,
}


# People's names: as written, a Chinese name without spaces (v.parse_name).
NAME_FIELDS = frozenset({"name", "member"})
# Text that names something the store is searched for and holds NFKC'd (an org as a
# preamble names it, a community, a branch, a number): read like an ID, NFKC. Other
# text is kept as written — a service log's 项目名称 too, as the ledger's title is kept.
REFERENCE_FIELDS = frozenset(
    {"org", "community", "branch", "project_no", "member_no", "level", "street"}
)


def parser_for(f: Field) -> Callable[[Any], Any]:
    """How a field's cells are parsed: by its type, names and references apart."""
    if f.type == "text" and f.name in NAME_FIELDS:
        return v.parse_name
    if f.type == "text" and f.name in REFERENCE_FIELDS:
        return v.normalize
    return PARSERS[f.type]


def is_strict(f: Field) -> bool:
    """A field whose bad value refuses the file: a required one, or an ID (who the row
    is about). A bad value anywhere else is a warning and the field is left empty."""
    return f.required or f.type == "id"


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A1 reference for 0-based row and column."""
    return f"{column_letter(col)}{row + 1}"


def shown(f: Field, raw: Any) -> str:
    """A cell's value as it may appear in a message: IDs and phones masked."""
    text = v.normalize(raw)
    if f.type == "id" or f.name == "id_number":
        return mask_id(re.sub(r"\s", "", text))
    if f.type in ("phone", "tel"):
        return mask_phone(text)
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass(slots=True)
class Record:
    row: int  # 1-based row in the original sheet
    values: dict[str, Any]
    letters: dict[str, str]  # field → column letter, shared by the rows of a sheet

    def cell(self, name: str) -> str:
        return f"{self.letters[name]}{self.row}"

    @property
    def cells(self) -> dict[str, str]:
        """field → A1 reference in the original file."""
        return {name: f"{letter}{self.row}" for name, letter in self.letters.items()}


@dataclass(slots=True)
class SheetRead:
    file: Path
    kind: str = ""
    sheet: str = ""
    format: str = ""
    title: str = ""
    preamble: dict[str, str] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    rows_read: int = 0  # records read, kept in `records` or not
    findings: list[Finding] = field(default_factory=list)
    layout: Layout | None = None
    # which header became which field: {"cell", "header", "field", "field_label"}
    columns: list[dict[str, str]] = field(default_factory=list)
    # the filled headers no field was read from: {"cell", "header", "nearest", "nearest_label"}
    ignored_columns: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "kind": self.kind,
            "sheet": self.sheet,
            "records": self.rows_read,
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "findings": [f.as_dict() for f in self.findings],
        }

    @property
    def org_name(self) -> str:
        """The organisation a member sheet is for: preamble, else title, else file name."""
        if self.preamble.get("org"):
            return self.preamble["org"]
        kind = KINDS.get(self.kind)
        if self.title and kind:
            name = self.title.replace(kind.title, "")
            name = re.sub(r"^\d{4}\s*年度?", "", name).strip(" 《》:：-_")
            if name:
                return name
        stem = re.sub(r"[_\-\s]*(团员信息汇总表|汇总表|名单)[_\-\s]*", "", self.file.stem)
        return stem or self.file.stem


def read_sheet(
    path: Path,
    settings: Settings,
    *,
    kind: str | None = None,
    sheet: str | None = None,
    strict: bool = False,
    keep: bool = True,
    include_hidden: bool = False,
) -> SheetRead:
    """Read one file; a file that cannot be read at all comes back with one error.
    `keep=False` only counts the records (checking a million rows needs none kept).
    Hidden rows and sheets are left out and reported, unless `include_hidden`."""
    result = SheetRead(file=path)
    try:
        book = open_book(path, settings.limits)
        _read_book(book, settings, kind, sheet, result, keep, include_hidden)
    except InputRejected as exc:
        result.findings.append(
            Finding(
                ERROR,
                exc.message,
                exc.hint,
                file=path.name,
                code=exc.code if isinstance(exc, FileRejected) else "file-unreadable",
            )
        )
    if strict:
        result.findings = escalate(result.findings)
    return result


def _read_book(
    book: Book,
    settings: Settings,
    kind: str | None,
    sheet: str | None,
    result: SheetRead,
    keep: bool = True,
    include_hidden: bool = False,
) -> None:
    result.format = book.format
    extra = settings.aliases.headers
    layout = detect(book, kind, sheet, extra, include_hidden)
    if sheet is None and not include_hidden:
        _report_hidden_sheets(book, layout, kind, extra, result)
    if layout is None:
        names = "、".join(s.name for s in book.sheets)
        raise FileRejected(
            f"{book.path.name}：在前 20 行中找不到表头（工作表：{names}）",
            "表头应包含“姓名”“身份证号”等列名；如果数据在其他工作表，用 --sheet 指定",
            code="header-missing",
        )
    result.kind, result.sheet, result.layout = layout.kind.name, layout.sheet.name, layout
    result.title, result.preamble = layout.title, layout.preamble
    finding = _Findings(
        book.path.name, layout.sheet.name, result.findings, settings.limits.max_findings
    )
    _account_for_columns(layout, extra, result, finding)
    missing = layout.missing()
    if missing:
        wanted = "；".join(
            f"{f.label}（可写作：{'、'.join((f.label, *f.aliases))}）" for f in missing
        )
        finding.add(
            ERROR,
            f"缺少必填列：{'、'.join(f.label for f in missing)}",
            f"找到的表头：{'、'.join(layout.headers) or '（无）'}。需要的列：{wanted}",
            code="column-missing",
            cell=cell_ref(layout.header_row, 0),
        )
        return
    _check_community(result, settings, finding)
    _read_rows(layout, settings, result, finding, keep, include_hidden)


def _report_hidden_sheets(
    book: Book,
    layout: Layout | None,
    kind: str | None,
    extra: tuple[tuple[str, str], ...],
    result: SheetRead,
) -> None:
    """A hidden sheet that holds a table is not read, but said so."""
    for hidden, found in hidden_data_sheets(book, layout, kind, extra):
        result.findings.append(
            Finding(
                WARNING,
                f"工作表“{hidden.name}”是隐藏的，其中有{found.label}，没有读取",
                "确需读取请在 Excel/WPS 中取消隐藏，或加 --include-hidden，"
                f"或用 --sheet {hidden.name} 指定；不需要的工作表可删除",
                file=book.path.name,
                sheet=hidden.name,
                code="sheet-hidden",
            )
        )


def _account_for_columns(
    layout: Layout,
    extra: tuple[tuple[str, str], ...],
    result: SheetRead,
    finding: _Findings,
) -> None:
    """Which header became which field, and a warning at each filled header no field
    is read from, with the field it may have meant."""
    cells = layout.header_cells
    result.columns = [
        {
            "cell": cell_ref(cells[c][1], c) if c in cells else "",
            "header": cells[c][0] if c in cells else "",
            "field": f.name,
            "field_label": f.label,
        }
        for c, f in sorted(layout.columns.items())
    ]
    by_field = {f: c for c, f in layout.columns.items()}
    for c, header in layout.ignored.items():
        cell = cell_ref(cells[c][1], c)
        near = nearest_field(layout.kind.name, header, extra)
        result.ignored_columns.append(
            {
                "cell": cell,
                "header": header,
                "nearest": near.name if near else "",
                "nearest_label": near.label if near else "",
            }
        )
        if near is not None and near in by_field:
            hint = (
                f"“{near.label}”已从 {column_letter(by_field[near])} 列读取；"
                f"这一列如也需要，请把内容并入 {column_letter(by_field[near])} 列，重复的列可删除"
            )
        elif near is not None:
            hint = (
                f"是否是“{near.label}”？可把表头改为“{near.label}”，"
                f'或在 shuanggang.toml 的 [aliases.headers] 中写 "{header}" = "{near.name}"'
            )
        else:
            hint = (
                f"{layout.kind.label}不读取这一列；如是需要的信息，把表头改为 docs/fields.md "
                "中的写法，或在 shuanggang.toml 的 [aliases.headers] 中添加"
            )
        finding.add(
            WARNING,
            f"“{header}”一列没有读取（不是{layout.kind.label}的表头）",
            hint,
            code="column-ignored",
            cell=cell,
            value=header if len(header) <= 40 else header[:40] + "…",
        )


class _Findings:
    def __init__(self, file: str, sheet: str, into: list[Finding], limit: int = 0) -> None:
        self.file, self.sheet, self.into, self.limit = file, sheet, into, limit

    def add(
        self,
        severity: Severity,
        message: str,
        hint: str = "",
        *,
        code: str,
        cell: str = "",
        field: Field | str = "",
        value: str = "",
        fix: str = "",
    ) -> None:
        """A finding in this sheet. A `Field` gives the label this kind of sheet heads
        its column with; a field's name alone, the label of domain.labels."""
        name, label = (field.name, field.label) if isinstance(field, Field) else (field, "")
        if self.limit and len(self.into) >= self.limit:
            # a file this broken is refused as a whole: the reading stops here
            raise FileRejected(
                f"{self.file}：问题超过 {self.limit:,} 条，已停止读取（到 {cell or '此处'} 为止）",
                "文件可能整体有误（列错位、重复了大量行等）：先改正前面列出的问题再交；"
                "或调整设置 limits.max_findings",
                code="too-many-findings",
            )
        self.into.append(
            Finding(
                severity,
                message,
                hint,
                name,
                self.file,
                self.sheet,
                cell,
                value,
                code=code,
                field_label=label,
                fix=fix,
            )
        )


def _check_community(result: SheetRead, settings: Settings, finding: _Findings) -> None:
    text = result.preamble.get("community")
    if text and settings.community_named(text) is None:
        close = settings.communities_like(text)
        finding.add(
            ERROR,
            f"报到社区“{text}”不在本区社区名单中",
            f"是否是：{'、'.join(close)}？"
            if close
            else "检查社区名称，或在 shuanggang.toml 中添加",
            code="community-unknown",
            field="community",
            value=text,
        )


# Unique per person: caching their parses would only fill memory.
_UNCACHED = {"id", "phone", "names"}
# What a column's cache holds besides parses: an empty cell. (None: not seen yet.)
_BLANK = object()
# An overlong cell: never cached; a ValueProblem, so the row takes the careful path,
# which reports it.
_LONG = v.ValueProblem("overlong", code="cell-too-long")


Column = tuple[int, Field, Callable[[Any], Any], "dict[Any, Any] | None"]

# Each parser's cache, kept for the process: the sheets of a district share their dates,
# genders and phrases. Parsers are pure, so a parse is the same whichever sheet it came
# from; a cache that grows past REMEMBERED starts afresh (free-text columns).
_CACHES: dict[Callable[[Any], Any], dict[Any, Any]] = {}
REMEMBERED = 65536


def _cache_of(parse: Callable[[Any], Any]) -> dict[Any, Any]:
    cache = _CACHES.setdefault(parse, {})
    if len(cache) > REMEMBERED:
        cache.clear()
    return cache


CHUNK_ROWS = 4096  # rows parsed column by column at a time: fast, and memory stays flat


def _read_rows(
    layout: Layout,
    settings: Settings,
    result: SheetRead,
    finding: _Findings,
    keep: bool = True,
    include_hidden: bool = False,
) -> None:
    """Each data row down to the footer: cells parsed, row rules applied, findings placed.

    Rows come in chunks; each chunk's cells are parsed column by column (a dict look-up
    for a value seen before), and a row whose cells all parsed cleanly is assembled in
    one step. A row with a problem cell goes through `_careful_cells`, which places the
    findings; both give the same values and findings in the same order."""
    rules = RULES.get(layout.kind.name, no_rules)
    context = RowContext(settings.year, settings.ages)
    max_chars = settings.limits.max_cell_chars
    seen_ids: dict[str, int] = {}
    columns: list[Column] = [
        (c, f, parse, None if f.type in _UNCACHED or f.name in NAME_FIELDS else _cache_of(parse))
        for c, f in layout.columns.items()
        for parse in (parser_for(f),)
    ]
    if not columns:
        return  # no field found: the caller has reported the missing columns
    names = [f.name for _, f, _, _ in columns]
    letters = {f.name: column_letter(c) for c, f in layout.columns.items()}
    fields: dict[str, Field | str] = {f.name: f for f in layout.kind.fields}
    categories = v.categorizer(tuple((c.name, c.keywords) for c in settings.categories))
    is_members = layout.kind.name == "members"
    required = layout.kind.required
    required_names = frozenset(f.name for f in required)
    width = max(layout.columns, default=-1) + 1
    rows = layout.sheet.rows_from(layout.first_data_row)
    r = layout.first_data_row - 1
    hidden = _HiddenRows(
        () if include_hidden else layout.sheet.hidden_rows(), layout, columns, finding
    )
    after_footer: list[list[Any]] = []
    for chunk in iter(lambda: list(itertools.islice(rows, CHUNK_ROWS)), []):
        footer = next((i for i, row in enumerate(chunk) if is_footer(row)), None)
        if footer is not None:
            after_footer = chunk[footer:]
            del chunk[footer:]
        hidden.take(chunk, r + 1)
        if any(len(row) < width for row in chunk):  # short CSV lines
            chunk = [[*row, *[None] * (width - len(row))] for row in chunk]
        parsed, careful = _parse_columns(chunk, columns, max_chars)
        for i, (row, cells) in enumerate(zip(chunk, zip(*parsed, strict=True), strict=True)):
            r += 1
            if i in careful:
                record = Record(r + 1, {}, letters)
                raw = _careful_cells(row, record, columns, max_chars, finding)
                values = record.values
            else:
                values = {n: p for n, p in zip(names, cells, strict=True) if p is not _BLANK}
                record = Record(r + 1, values, letters)
                raw = None  # the filled cells are exactly `values`' fields
            if not values and not raw:
                continue  # blank, or only a 序号
            if not required_names <= (values.keys() if raw is None else raw.keys()):
                filled = values if raw is None else raw
                for f in required:
                    if f.name not in filled:
                        finding.add(
                            ERROR,
                            "必填，没有填写",
                            f"填写{f.label}",
                            code="required-missing",
                            cell=record.cell(f.name),
                            field=f,
                        )
            for problem in rules(values, context):
                if raw is None:
                    raw = {f.name: row[c] for c, f, _, _ in columns if f.name in values}
                name = problem.field
                if problem.drop:
                    values.pop(name, None)
                finding.add(
                    problem.severity,
                    problem.message,
                    problem.hint,
                    code=problem.code,
                    cell=record.cell(name) if name in letters else cell_ref(r, 0),
                    field=fields.get(name, name),
                    value=_shown_value(layout, name, raw),
                )
            if is_members:
                _check_duplicate(record, seen_ids, finding)
                _derive_member(values, categories)
            result.rows_read += 1
            if keep:
                result.records.append(record)
        if footer is not None:
            _report_rows_after_footer(
                itertools.chain(after_footer, rows), r + 2, columns, width, finding
            )
            break
    hidden.close()


def _report_rows_after_footer(
    rows: Iterator[list[Any]], first: int, columns: list[Column], width: int, finding: _Findings
) -> None:
    """Rows that look like records below a footer are not read; say so, never in silence
    (a signature line in the middle of a list would otherwise hide the rest of it)."""
    found: list[int] = []
    for n, row in enumerate(rows, first):
        filled = sum(1 for c, _, _, _ in columns if c < len(row) and row[c] not in (None, ""))
        if filled >= 2 and not is_footer(row):
            found.append(n)
    if found:
        last = column_letter(max(width - 1, 0))
        finding.add(
            WARNING,
            f"表尾（签名、日期等）之后还有 {len(found)} 行像是数据，没有读取",
            "如果这些也是名单中的人，把表尾移到最后一行之后再交来",
            code="row-after-footer",
            cell=f"A{found[0]}:{last}{found[-1]}",
        )


class _HiddenRows:
    """Hidden data rows are not records: each is blanked in its chunk, and each run of
    them reported once (A7:I8) as a `row-hidden` warning."""

    def __init__(
        self, runs: Runs, layout: Layout, columns: list[Column], finding: _Findings
    ) -> None:
        self.runs = [run for run in runs if run[1] > layout.first_data_row]
        self.at = 0  # the first run not yet behind the chunks read
        self.columns = [c for c, _, _, _ in columns]
        self.last = column_letter(layout.width - 1)
        self.finding = finding
        self.pending: tuple[int, int] | None = None  # rows (first, last) of a run

    def take(self, chunk: list[list[Any]], start: int) -> None:
        """Blank the hidden rows of `chunk`, whose first row has index `start`."""
        end = start + len(chunk)
        while self.at < len(self.runs) and self.runs[self.at][0] < end:
            first, stop = self.runs[self.at]
            for r in range(max(first, start), min(stop, end)):
                row = chunk[r - start]
                if any(c < len(row) and not _blank(row[c]) for c in self.columns):
                    self._note(r)
                chunk[r - start] = []
            if stop > end:
                break
            self.at += 1

    def _note(self, r: int) -> None:
        if self.pending is not None and self.pending[1] == r - 1:
            self.pending = (self.pending[0], r)
            return
        self.close()
        self.pending = (r, r)

    def close(self) -> None:
        if self.pending is None:
            return
        first, last = self.pending
        self.pending = None
        rows = f"第 {first + 1} 行" if first == last else f"第 {first + 1}–{last + 1} 行"
        self.finding.add(
            WARNING,
            f"{rows}是隐藏行，没有读取",
            "确属名单请在 Excel/WPS 中取消隐藏，或加 --include-hidden 一并读取；不需要的行请删除",
            code="row-hidden",
            cell=f"A{first + 1}:{self.last}{last + 1}",
        )


def _blank(value: Any) -> bool:
    return value is None or value == "" or (type(value) is str and not value.strip())


def _parse_columns(
    chunk: list[list[Any]], columns: list[Column], max_chars: int
) -> tuple[list[list[Any]], set[int]]:
    """Every cell of the chunk parsed, column by column: the parse, or _BLANK; and the
    rows that hold a problem or an overlong cell, for `_careful_cells`. The scans run
    in C (`map`, `operator.is_`): a clean column costs a dict look-up per cell."""
    parsed: list[list[Any]] = []
    careful: set[int] = set()
    for c, _, parse, cache in columns:
        cells = [row[c] for row in chunk]
        if cache is None or bool in set(map(type, cells)):
            # a cache cannot tell True from 1 (equal keys): such a column goes uncached
            got = _parse_each(parse, cells, max_chars)
        else:
            got = list(map(cache.get, cells))  # None: not seen yet (no parse gives None)
            if any(map(operator.is_, got, itertools.repeat(None))):
                for i in [i for i, p in enumerate(got) if p is None]:
                    got[i] = _first_sight(parse, cache, cells[i], max_chars)
        kinds = list(map(type, got))
        if v.ValueProblem in kinds:  # _LONG is one too
            careful.update(i for i, kind in enumerate(kinds) if kind is v.ValueProblem)
        parsed.append(got)
    return parsed, careful


def _parse_each(parse: Callable[[Any], Any], cells: list[Any], max_chars: int) -> list[Any]:
    """`_parse_cell` of each cell, spelled out in one loop: the uncached columns (IDs,
    phones) hold a value per person."""
    got: list[Any] = []
    append = got.append
    problem_type = v.ValueProblem
    for value in cells:
        if value is None or value == "" or (type(value) is str and value.isspace()):
            append(_BLANK)  # isspace is what a strip() to nothing means
        elif type(value) is str and len(value) > max_chars:
            append(_LONG)
        else:
            try:
                append(parse(value))
            except problem_type as problem:
                append(problem)
    return got


def _first_sight(
    parse: Callable[[Any], Any], cache: dict[Any, Any], value: Any, max_chars: int
) -> Any:
    """A value's parse from the column's cache, worked out and remembered if new (an
    overlong cell is not remembered: it is reported wherever it stands)."""
    known = cache.get(value)
    if known is None:
        known = _parse_cell(parse, value, max_chars)
        if known is not _LONG and type(value) is not bool:
            cache[value] = known
    return known


def _parse_cell(parse: Callable[[Any], Any], value: Any, max_chars: int) -> Any:
    """The parse of one cell, or _BLANK, _LONG, or the ValueProblem it raised."""
    if value is None or value == "" or (type(value) is str and not value.strip()):
        return _BLANK
    if type(value) is str and len(value) > max_chars:
        return _LONG
    try:
        return parse(value)
    except v.ValueProblem as problem:
        return problem


def _careful_cells(
    row: list[Any], record: Record, columns: list[Column], max_chars: int, finding: _Findings
) -> dict[str, Any]:
    """A row with a problem cell: its values into `record`, a finding at each problem
    cell; returns the filled cells (field → raw value)."""
    values = record.values
    raw: dict[str, Any] = {}
    for c, f, parse, cache in columns:
        value = row[c]
        if cache is None or type(value) is bool:
            parsed = _parse_cell(parse, value, max_chars)
        else:
            parsed = _first_sight(parse, cache, value, max_chars)
        if parsed is _BLANK:
            continue
        raw[f.name] = value
        strict = is_strict(f)
        if parsed is _LONG:
            finding.add(
                ERROR if strict else WARNING,
                f"超过 {max_chars} 个字符" + ("" if strict else "，这一栏不保存"),
                "删去多余内容",
                code=_LONG.code,
                cell=record.cell(f.name),
                field=f,
                value=shown(f, value[:40]),
            )
            continue
        if type(parsed) is v.ValueProblem:
            # A bad optional value is a warning, and the field stays empty: the record
            # is kept. A warning's parser may say what to keep (a landline as written).
            severity = parsed.severity if strict else WARNING
            dropped = parsed.severity == ERROR and not strict
            finding.add(
                severity,
                parsed.message + ("；这一栏不保存" if dropped else ""),
                parsed.hint,
                code=parsed.code,
                cell=record.cell(f.name),
                field=f,
                value=shown(f, value),
                fix=parsed.fix,
            )
            if parsed.severity == WARNING and parsed.keep is not None:
                values[f.name] = parsed.keep
        else:
            values[f.name] = parsed
    return raw


def _shown_value(layout: Layout, name: str, raw: dict[str, Any]) -> str:
    if name not in raw:
        return ""
    return shown(layout.kind.field(name), raw[name])


def _check_duplicate(record: Record, seen: dict[str, int], finding: _Findings) -> None:
    """Each ID's first row is remembered as a number, not its record: a million-row
    check keeps no records."""
    id_number = record.values.get("id_number")
    if not id_number:
        return
    first = seen.setdefault(id_number, record.row)
    if first != record.row:
        finding.add(
            ERROR,
            f"与 {record.letters['id_number']}{first} 重复",
            "同一人只能登记一次，删除重复的行",
            code="member-duplicate",
            cell=record.cell("id_number"),
            field="id_number",
            value=mask_id(id_number),
        )


def _derive_member(values: dict[str, Any], categorize: v.Categorizer) -> None:
    """Time slots from 可服务时间; the service category from the profile texts."""
    get = values.get
    values["slots"] = v.parse_availability(get("availability", ""))
    texts = (
        str(get("specialty", "")),
        str(get("willingness", "")),
        str(get("occupation", "")),
        str(get("interests", "")),
    )  # the profile texts a category is read from; spelled out, this runs once per member
    values["category"] = categorize(texts)
