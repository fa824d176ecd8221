"""`shuanggang templates copy`: editable copies of the built-in letter templates."""

from __future__ import annotations

from typing import Annotated

import typer

from shuanggang.cli.common import (
    Context,
    command,
)

app = typer.Typer(help="文书模板：复制到工作区后可按本地格式修改。", no_args_is_help=True)


@app.command("copy")
@command()
def copy(
    ctx: Context,
    force: Annotated[bool, typer.Option(help="覆盖工作区中已有的同名模板")] = False,
) -> None:
    """把内置模板复制到工作区的 templates/；此后生成文书时优先使用工作区中的模板。"""
    import shutil

    from shuanggang.fsutil import refuse_workspace_target
    from shuanggang.resources import templates_dir
    from shuanggang.store import find_workspace

    ui = ctx.ui
    ws = find_workspace(ctx.workspace)
    ws.templates_dir.mkdir(exist_ok=True)
    copied, kept = [], []
    for source in sorted(templates_dir().iterdir()):
        if source.suffix not in (".j2", ".docx"):
            continue
        target = ws.templates_dir / source.name
        refuse_workspace_target(ws.root, target, allow_templates=True)  # not a symlink out
        if target.exists() and not force:
            kept.append(target)
            continue
        shutil.copyfile(source, target)
        copied.append(target)
    for path in copied:
        ui.say(f"已复制：{path}")
    for path in kept:
        ui.say(f"已存在，未覆盖：{path}（加 --force 覆盖）", style="yellow")
    ui.emit({"copied": [str(p) for p in copied], "kept": [str(p) for p in kept]})
