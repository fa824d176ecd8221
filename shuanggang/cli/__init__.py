"""The command line: one small module per command, composed here."""

from __future__ import annotations

import sys

import typer

from shuanggang import __version__
from shuanggang.cli import (
    backup,
    blank,
    branches,
    certificates,
    check,
    claims,
    demo,
    export,
    history,
    init,
    letters,
    liaisons,
    members,
    merge,
    orgs,
    projects,
    register,
    report,
    services,
    status,
    templates,
)

app = typer.Typer(
    name="shuanggang",
    help="团员“双岗双责”工作台：报到登记、活动团支部编组、服务记录、年终考评与反馈函。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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


app.command("init")(init.run)
app.command("status")(status.run)
app.command("check")(check.run)
app.command("blank")(blank.run)
app.add_typer(projects.app, name="projects")
app.add_typer(claims.app, name="claims")
app.command("register")(register.run)
app.add_typer(orgs.app, name="orgs")
app.add_typer(letters.app, name="letters")
app.command("assign-branches")(branches.run)
app.add_typer(services.app, name="services")
app.command("report")(report.run)
app.command("certificates")(certificates.run)
app.add_typer(liaisons.liaisons, name="liaisons")
app.add_typer(liaisons.consultations, name="consultations")
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("merge")(merge.run)
app.command("export")(export.run)
app.add_typer(members.app, name="members")
app.command("history")(history.history)
app.command("undo")(history.undo)
app.add_typer(templates.app, name="templates")
app.command("demo")(demo.run)


def main() -> None:
    # Windows consoles may not encode every character of a Chinese message.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    app(prog_name="shuanggang")
