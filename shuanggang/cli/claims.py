"""`shuanggang claims add|remove`: claims after the launch ceremony."""

from __future__ import annotations

from typing import Annotated

import typer

from shuanggang.cli.common import Context, command, letter_formats, split_list

app = typer.Typer(help="认领为民服务项目：启动仪式之后增加或取消认领。", no_args_is_help=True)

OrgArg = Annotated[str, typer.Argument(help="报到单位名称", show_default=False)]
NumbersArg = Annotated[
    list[str], typer.Argument(help="项目编号（可多个，如 2026-01 2026-03）", show_default=False)
]
CommunityOpt = Annotated[
    str | None, typer.Option(help="报到社区（两个社区有同名单位时必填）", show_default=False)
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只演练：不入库、不写文件")]
LettersOpt = Annotated[
    str, typer.Option(help="重写该单位报到介绍信的格式：html、docx、pdf，逗号分隔；none 不写")
]


def _run(
    ctx: Context,
    org: str,
    numbers: list[str],
    community: str | None,
    dry_run: bool,
    letters: str,
    *,
    add: bool,
) -> None:
    from shuanggang.workflow.claims import change_claims, find_org

    formats = letter_formats(letters)
    wanted = [n for text in numbers for n in split_list(text)]
    with ctx.opened() as (ws, settings, store):
        ref = find_org(store, settings, org, community)
        result = change_claims(
            ws, store, settings, ref, wanted, add=add, dry_run=dry_run, letters=formats
        )
    ctx.ui.emit(result.as_json())
    done = "认领" if add else "取消认领"
    head = "（演练，未保存）" if dry_run else ""
    if result.changed:
        ctx.ui.say(f"{head}{ref.qualified()} {done}：{'、'.join(result.changed)}")
    if result.unchanged:
        ctx.ui.say(f"{'已' if add else '本来就没有'}认领，无变化：{'、'.join(result.unchanged)}")
    ctx.ui.say(f"现在认领的项目：{'；'.join(result.claimed) or '无'}")
    for path in result.outputs:
        ctx.ui.say(f"  介绍信：{path}")


@app.command("add")
@command()
def add(
    ctx: Context,
    org: OrgArg,
    numbers: NumbersArg,
    community: CommunityOpt = None,
    dry_run: DryRunOpt = False,
    letters: LettersOpt = "html,docx",
) -> None:
    """为已报到的单位增加认领的项目，并重写它的报到介绍信。"""
    _run(ctx, org, numbers, community, dry_run, letters, add=True)


@app.command("remove")
@command()
def remove(
    ctx: Context,
    org: OrgArg,
    numbers: NumbersArg,
    community: CommunityOpt = None,
    dry_run: DryRunOpt = False,
    letters: LettersOpt = "html,docx",
) -> None:
    """取消认领，并重写该单位的报到介绍信。"""
    _run(ctx, org, numbers, community, dry_run, letters, add=False)
