"""The root command lists every command without importing it; the listing says what
each command's own help says, and every command still runs through the root."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from shuanggang.cli import COMMANDS, app, load


def _built() -> typer.core.TyperGroup:
    return typer.main.get_group(app)


def test_each_listed_help_is_the_commands_own_short_help() -> None:
    group = _built()
    for name, (_, _, listed) in COMMANDS.items():
        command = group.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None, name
        assert command.get_short_help_str(10**6) == listed, name


def test_every_command_module_is_listed_once() -> None:
    targets = [id(load(name)) for name in COMMANDS]
    assert len(set(targets)) == len(targets)


def test_root_help_lists_every_command_in_order() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    listed = [
        line.split()[0]
        for line in result.output.split("Commands:", 1)[1].splitlines()
        if line.strip()
    ]
    assert listed == list(COMMANDS)


def test_a_misspelt_command_gets_the_nearest_name() -> None:
    result = CliRunner().invoke(app, ["chek"])
    assert result.exit_code == 2
    assert "'check'" in result.output


def test_a_group_runs_its_subcommands() -> None:
    result = CliRunner().invoke(app, ["orgs", "--help"])
    assert result.exit_code == 0
    assert "rename" in result.output
