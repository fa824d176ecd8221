"""The command line: one small module per command, composed here.

A command's module is imported only when that command runs (or shows its own help):
`shuanggang --help` lists the commands from `COMMANDS` below without loading the store,
the sheet reader or the settings. `tests/test_cli_lazy.py` checks that each line of
the listing is what the command's own help says.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from shuanggang import __version__

# name → (module under shuanggang.cli, its command function or typer app, short help),
# in the order `--help` lists them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "init",
        "run",
        "创建工作区：写入带注释的默认设置 shuanggang.toml 和数据库 shuanggang.db。",
    ),
    "status": ("status", "run", "显示工作区中已有的数据，以及哪些结果需要更新。"),
    "check": (
        "check",
        "run",
        "校验表格（不入库）：指出有问题的文件、工作表和单元格。可在工作区外使用。",
    ),
    "blank": (
        "blank",
        "run",
        "生成空白模板：带标题、填表说明、下拉选项，身份证号列为文本格式。",
    ),
    "register": (
        "register",
        "run",
        "单位报到：校验名单、入库、归档原表、认领项目、生成《团组织报到介绍信》。",
    ),
    "assign-branches": (
        "branches",
        "run",
        "编组登记活动团支部：按服务类别、可服务时间、居住地编组，小单位联合编组，生成编组表。",
    ),
    "report": (
        "report",
        "run",
        "年终综合考评：考评表（含图表）、考评结果反馈函、推优名单和表彰推荐名单。",
    ),
    "certificates": (
        "certificates",
        "run",
        "出具《志愿服务记录证明》：按服务记录逐人出具，编号登记，可生成公示名单。",
    ),
    "backup": (
        "backup",
        "backup",
        "备份工作区：数据库（运行中也能一致地备份）、设置和归档的原始文件，打包为一个 zip。",
    ),
    "restore": ("backup", "restore", "从备份恢复数据库、设置和归档（恢复前自动备份当前状态）。"),
    "merge": ("merge", "run", "把各街道的工作区（或备份文件）合并到本工作区（区级）。"),
    "export": ("export", "run", "导出 Excel（内部使用：含完整身份证号和手机号，请勿外传）。"),
    "history": (
        "history",
        "history",
        "列出工作区的更改记录（最新的在前）：编号、时间、命令、说明、文件、改动行数，已撤销的注明。",
    ),
    "undo": (
        "history",
        "undo",
        "撤销最近一次尚未撤销的更改，数据库恢复到那次更改之前的样子；再次运行继续往前撤销。",
    ),
    "demo": (
        "demo",
        "run",
        "用自带样例演示一整年的工作：建工作区、报到、编组、服务、考评，输出到 DIRECTORY。",
    ),
    "projects": ("projects", "app", "社区《为民服务实事台账》：导入、查看。"),
    "claims": ("claims", "app", "认领为民服务项目：启动仪式之后增加或取消认领。"),
    "orgs": (
        "orgs",
        "app",
        "报到单位：查看、更名、迁移社区、撤回（每项更正都记入审计，可先 --dry-run）。",
    ),
    "letters": (
        "letters",
        "app",
        "文书：按数据库现状重新生成介绍信、反馈函及合并打印文件；查看文书登记。",
    ),
    "services": ("services", "app", "服务活动台账与互通协商记录。"),
    "liaisons": ("liaisons", "liaisons", "团干部基层联系点。"),
    "consultations": ("liaisons", "consultations", "互通协商：每个报到单位与社区每半年一次。"),
    "members": ("members", "app", "团员：查找、查看、更正信息、离团（调离）与回到本单位。"),
    "templates": ("templates", "app", "文书模板：复制到工作区后可按本地格式修改。"),
}

_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}


def load(name: str) -> Any:
    """The command function or typer app behind `name` (its module imported now)."""
    module, attribute, _ = COMMANDS[name]
    return getattr(importlib.import_module(f"shuanggang.cli.{module}"), attribute)


def _click_command(name: str) -> Any:
    target = load(name)
    holder = typer.Typer(**_SETTINGS)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class _LazyGroup(TyperGroup):
    """The root group: commands listed from `COMMANDS`, each built when first asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(n for n in COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = _click_command(cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        built = self.commands
        if args and args[0] not in COMMANDS and args[0] not in built:
            # An unknown name: typer suggests the nearest from the names in `commands`
            # (only the names are looked at, so the unbuilt ones may stand as None).
            self.commands = {**dict.fromkeys(COMMANDS), **built}  # type: ignore[dict-item]
            try:
                return super().resolve_command(ctx, args)
            finally:
                self.commands = built
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, help) for name, (_, _, help) in COMMANDS.items()]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, _shortened(help, limit)) for name, help in rows])


def _shortened(text: str, limit: int) -> str:
    """As click shortens a command's help in a listing: whole, or cut with "..."."""
    try:
        from typer._click.utils import make_default_short_help
    except ImportError:  # typer releases before it vendored click
        from click.utils import make_default_short_help  # type: ignore[no-redef]

    return str(make_default_short_help(text, limit))


app = typer.Typer(
    name="shuanggang",
    help="团员“双岗双责”工作台：报到登记、活动团支部编组、服务记录、年终考评与反馈函。",
    no_args_is_help=True,
    cls=_LazyGroup,
    **_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        print(f"shuanggang {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="显示版本并退出"
    ),
) -> None:
    """团员“双岗双责”工作台。"""


def main() -> None:
    # Windows consoles may not encode every character of a Chinese message.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    app(prog_name="shuanggang")
