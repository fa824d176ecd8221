"""What every command shares: the common options, the console, and the one place
where the project's exceptions become a Chinese message and exit code 1."""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from shuanggang.domain.privacy import mask_text
from shuanggang.errors import ShuanggangError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from shuanggang.domain.findings import Finding
    from shuanggang.settings import Settings
    from shuanggang.store import Store, Workspace

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="工作区目录（默认：环境变量 SHUANGGANG_WORKSPACE，或当前目录及其上级目录）",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="在标准输出打印 JSON 结果，供其他程序读取")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="只输出错误")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈")]
# For every command that reads sheets.
IncludeHiddenOpt = Annotated[
    bool,
    typer.Option(
        "--include-hidden",
        help="隐藏的行和工作表也读取（默认不读取，并逐一提示）",
    ),
]


@functools.cache
def _console(stderr: bool) -> Console:
    from rich.console import Console

    # No markup and no :emoji: codes: text from a spreadsheet is never a console command
    # (every command also passes what it prints through `shown`; this is the second lock).
    console = Console(stderr=stderr, highlight=False, markup=False, emoji=False)
    if not console.is_terminal:
        # Piped or redirected: a line is never wrapped, so paths and names stay whole for
        # the program or file that reads them.
        console.soft_wrap = True
    return console


def stdout() -> Console:
    return _console(False)


def stderr() -> Console:
    return _console(True)


# --- what reaches the terminal -----------------------------------------------------------
#
# Everything printed may hold text from an input: an org name, a member's name, a file
# name, a cell. `shown` is the one sanitiser: ID numbers and mobiles are masked by their
# shape (`privacy.mask_text`), and control characters (C0 but tab and newline, DEL, C1,
# bidi overrides) are spelled out (`\x1b`, `\u202e`), so nothing from a file can colour,
# move, hide or reorder what the terminal shows. Rich never parses it as markup:
# messages and table cells reach rich as `Text`, and the consoles have markup and emoji
# codes off. JSON on stdout is masked the same way (`masked`): no CLI document needs a
# full number (exports and letters are files).

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# The characters json.dumps leaves raw (it escapes C0 itself) that a terminal acts on.
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}]")


def visible(text: str) -> str:
    r"""Control characters spelled out: ESC as `\x1b`, RIGHT-TO-LEFT OVERRIDE as `\u202e`."""
    return _INVISIBLE.sub(lambda m: _spelled(m[0]), text)


def _spelled(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """Any text as it may be printed: personal numbers masked, control characters visible."""
    return visible(mask_text("" if text is None else str(text)))


def cell(value: object, style: str = "") -> Text:
    """A table cell or message for rich: `shown` and never parsed as markup."""
    from rich.text import Text

    if isinstance(value, Text):
        return Text(shown(value.plain), style=style or value.style)
    return Text(shown(value), style=style)


@functools.cache
def _safe_table() -> type[Table]:
    from rich.table import Table

    class SafeTable(Table):
        """A rich Table whose title, headers and cells all go through `cell`."""

        def add_column(self, header: Any = "", *args: Any, **kwargs: Any) -> None:
            super().add_column(cell(header), *args, **kwargs)

        def add_row(self, *cells: Any, **kwargs: Any) -> None:
            super().add_row(*(None if c is None else cell(c) for c in cells), **kwargs)

    return SafeTable


def safe_table(title: object = None, **options: Any) -> Table:
    """The one way commands build tables: `rich.table.Table(title=…, **options)` with
    every title, header and cell shown as plain text (`shown`)."""
    return _safe_table()(title=None if title is None else cell(title), **options)


def masked(data: Any) -> Any:
    """A JSON document with every string (keys too) masked by `mask_text`."""
    if isinstance(data, str):
        return mask_text(data)
    if isinstance(data, dict):
        return {masked(k): masked(v) for k, v in data.items()}
    if isinstance(data, list | tuple | set | frozenset):
        return [masked(x) for x in data]
    if data is None or isinstance(data, bool | int | float):
        return data
    return mask_text(str(data))  # paths, dates: as json.dumps(default=str) would write them


def json_text(data: Any) -> str:
    r"""`data` as the JSON commands print: masked, and with the characters a terminal would
    act on written as \u escapes (the same string to a JSON reader)."""
    text = json.dumps(masked(data), ensure_ascii=False, indent=2, default=str)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


# The variables by which rich decides a stream is a terminal although it is not one.
_TERMINAL_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def _terminal(stream: Any) -> bool:
    """Whether rich would treat `stream` as a terminal (colour, boxes, wrapping)."""
    if any(name in os.environ for name in _TERMINAL_ENV):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _line(message: str, style: str) -> None:
    """A message on stderr: through rich, coloured, on a terminal; piped or redirected,
    where rich would print the same characters without colour, written as they are
    without loading rich (a small `check` starts faster; a batch of 300 files says
    2,000 lines)."""
    if _terminal(sys.stderr):
        stderr().print(cell(message, style))
    else:
        sys.stderr.write(shown(message) + "\n")


_BREAKS = re.compile(r"[\t\r\n]+")


def _plain_table(table: Table) -> str:
    """A table for a pipe or a file: its title, then the header and each row as cells
    separated by tabs, one line each (a program or a spreadsheet reads the columns; a
    tab or line break inside a cell becomes a space). Cells are `shown` already."""

    def text(value: Any) -> str:
        plain = value.plain if hasattr(value, "plain") else str(value or "")
        return _BREAKS.sub(" ", plain)

    lines = [text(table.title)] if table.title else []
    columns = table.columns
    lines.append("\t".join(text(c.header) for c in columns))
    rows = zip(*(c.cells for c in columns), strict=True)
    lines += ["\t".join(text(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Ui:
    """How a command talks: human tables, or JSON on stdout; quiet keeps only errors."""

    json: bool = False
    quiet: bool = False

    def say(self, message: str, style: str | None = None) -> None:
        if not (self.json or self.quiet):
            _line(message, style or "")

    def show(self, renderable: str | Table) -> None:
        """A table made by `safe_table`, or a line of text, on stdout."""
        if not isinstance(renderable, str | _safe_table()):
            raise TypeError("build tables with shuanggang.cli.common.safe_table")
        if self.json or self.quiet:
            return
        if _terminal(sys.stdout):
            stdout().print(cell(renderable) if isinstance(renderable, str) else renderable)
        elif isinstance(renderable, str):
            sys.stdout.write(shown(renderable) + "\n")
        else:  # piped or redirected: columns by tabs, never wrapped or boxed
            sys.stdout.write(_plain_table(renderable))

    def error(self, message: str) -> None:
        """An error: shown even with --quiet (only --json keeps stderr for JSON readers)."""
        if not self.json:
            _line(message, "red")

    def finding(self, f: Finding, prefix: str = "") -> None:
        """One finding as a line: where, level, message and hint. Errors are never muted."""
        where = "".join(f"{x} " for x in (f.sheet, f.cell, f.field_label) if x)
        hint = f"（{f.hint}）" if f.hint else ""
        line = f"{prefix}{where}{f.severity.label}：{f.message}{hint}"
        if f.is_error:
            self.error(line)
        else:
            self.say(line, style="yellow")

    def emit(self, data: Any) -> None:
        if self.json:
            sys.stdout.write(json_text(data) + "\n")
            sys.stdout.flush()


def report_error(message: str, hint: str = "") -> None:
    """An error message and hint on stderr, through `shown` like everything printed."""
    console = stderr()
    console.print(cell(f"错误：{message}", "bold red"))
    if hint:
        console.print(cell(f"提示：{hint}", "yellow"))


def _print_trace() -> None:
    """--debug: the traceback, with control characters made visible (not masked: README
    warns that a debug trace may hold raw data)."""
    sys.stderr.write(visible(traceback.format_exc()))
    sys.stderr.flush()


F = TypeVar("F", bound=Callable[..., Any])
# click's base of usage errors; newer typer releases vendor click, older ones import it.
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


@dataclass(frozen=True, slots=True)
class Context:
    """What every command is handed: the common options, parsed once."""

    ui: Ui
    workspace: Path | None = None
    debug: bool = False

    def opened(self) -> contextlib.AbstractContextManager[tuple[Workspace, Settings, Store]]:
        return opened(self.workspace)

    @contextlib.contextmanager
    def reading(self) -> Iterator[tuple[Workspace, Settings, Store]]:
        """The workspace opened for a command that only reads: one consistent snapshot."""
        with opened(self.workspace) as (ws, settings, store), store.reading():
            yield ws, settings, store


# The common options, declared here once; `command` adds them to every command.
_COMMON = (
    ("workspace", WorkspaceOpt, None),
    ("json_", JsonOpt, False),
    ("quiet", QuietOpt, False),
    ("debug", DebugOpt, False),
)


_KEYWORD = inspect.Parameter.KEYWORD_ONLY


def command(*, workspace: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make `fn(ctx: Context, **own_options)` a typer command with the common options
    (-w unless `workspace=False`, --json, -q, --debug) and the one error handler."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        own = list(inspect.signature(fn, eval_str=True).parameters.values())[1:]
        common = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind
            )
            for name, kind, default in _COMMON
            if workspace or name != "workspace"
        ]

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            ctx = Context(
                ui=Ui(json=kwargs.pop("json_"), quiet=kwargs.pop("quiet")),
                workspace=kwargs.pop("workspace", None),
                debug=kwargs.pop("debug") or os.environ.get("SHUANGGANG_DEBUG") == "1",
            )
            return _handled(fn, ctx, kwargs)

        del wrapper.__wrapped__  # typer must see the signature below, not fn's
        params = [p.replace(kind=_KEYWORD) for p in own] + common
        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return wrapper

    return decorate


def _next_step(exc: ShuanggangError) -> str:
    """What to run next, for errors that the store and the domain raise without naming
    commands."""
    from shuanggang.errors import NotABackup, NoWorkspace

    if isinstance(exc, NoWorkspace):
        return "新工作区请先运行 shuanggang init 创建，或用 -w 指定工作区目录"
    if isinstance(exc, NotABackup):
        return "请选择 shuanggang backup 生成的 .zip 文件"
    return ""


def _handled(fn: Callable[..., Any], ctx: Context, kwargs: dict[str, Any]) -> Any:
    """Run a command, turning failures into a Chinese message and exit code 1.

    Tracebacks only with --debug (or SHUANGGANG_DEBUG=1); the messages of unexpected
    exceptions are not shown either, since they may quote personal data from a file.
    """
    try:
        return fn(ctx, **kwargs)
    except (typer.Exit, typer.Abort, _ClickException):
        raise  # usage errors keep click's message and exit code 2
    except ShuanggangError as exc:
        if ctx.debug:
            _print_trace()
        report_error(exc.message, "；".join(x for x in (exc.hint, _next_step(exc)) if x))
    except KeyboardInterrupt:
        report_error("已中断：未完成的更改已撤销，未写出半成品文件")
    except OSError as exc:
        if ctx.debug:
            _print_trace()
        where = f"（{Path(exc.filename).name}）" if exc.filename else ""
        report_error(
            f"文件读写失败{where}：{exc.strerror or type(exc).__name__}",
            "检查文件是否被 Excel/WPS 打开、磁盘是否已满、是否有写入权限",
        )
    except Exception as exc:
        if ctx.debug:
            _print_trace()
        report_error(
            f"程序内部错误（{type(exc).__name__}）",
            "请加 --debug 重新运行，把输出交给维护人员",
        )
    raise typer.Exit(1)


@contextlib.contextmanager
def opened(workspace: Path | None) -> Iterator[tuple[Workspace, Settings, Store]]:
    """The workspace a command runs in, its settings and its open store."""
    from shuanggang.store import find_workspace

    ws = find_workspace(workspace)
    settings = ws.settings()
    with ws.open_store() as store:
        yield ws, settings, store


def split_list(text: str | None) -> tuple[str, ...]:
    """`1,3,5` or `1，3、5` → ('1', '3', '5')."""
    import re

    return tuple(x for x in re.split(r"[,，、;；\s]+", text or "") if x)


def letter_formats(text: str) -> tuple[str, ...]:
    """--letters html,docx | html | pdf | none → the formats to write. PDF needs
    LibreOffice: without it the command stops here, before anything is done."""
    from shuanggang.render.letters import FORMATS

    formats = tuple(f for f in split_list(text) if f != "none")
    if bad := [f for f in formats if f not in FORMATS]:
        raise typer.BadParameter(
            f"不支持的格式：{'、'.join(bad)}（可用 {'、'.join(FORMATS)}、none）",
            param_hint="--letters",
        )
    if "pdf" in formats:
        from shuanggang.render.pdf import require_soffice

        require_soffice()
    return formats


def letter_date(text: str | None) -> date | None:
    """--date 2026-03-05: the date printed on letters (None: today)."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise typer.BadParameter("日期应写成 2026-03-05 这样的格式", param_hint="--date") from None
