"""Finding and creating workspaces: a folder with shuanggang.toml and
shuanggang.db, found like git finds a repository."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shuanggang import fsutil, settings
from shuanggang.errors import NoWorkspace, WorkspaceError
from shuanggang.settings import SETTINGS_FILE, Settings
from shuanggang.store.db import Store

ENV_VAR = "SHUANGGANG_WORKSPACE"
DB_FILE = "shuanggang.db"


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    @property
    def archive_dir(self) -> Path:
        return self.root / "archive"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    @property
    def templates_dir(self) -> Path:
        """The workspace's own templates, which override the built-in ones."""
        return self.root / "templates"

    def settings(self) -> Settings:
        return settings.load(self.settings_path)

    def open_store(self) -> Store:
        if not self.db_path.exists():
            raise NoWorkspace(
                f"工作区 {self.root} 缺少数据库 {DB_FILE}", "如果是误删，请从备份恢复"
            )
        return Store.open(self.db_path)

    def snapshot_store(self) -> Store:
        """A copy in memory of the store as it is now (`Store.snapshot`): read-only use."""
        if not self.db_path.exists():
            raise NoWorkspace(
                f"工作区 {self.root} 缺少数据库 {DB_FILE}", "如果是误删，请从备份恢复"
            )
        return Store.snapshot(self.db_path)


def _is_workspace(folder: Path) -> bool:
    return (folder / SETTINGS_FILE).is_file()


def find_workspace(
    explicit: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    named_by: str = "-w/--workspace",
) -> Workspace:
    """`-w DIR`, else $SHUANGGANG_WORKSPACE, else the current folder or its parents.
    `named_by`: what the error message calls `explicit` (the option, or an argument)."""
    env = os.environ if env is None else env
    for given, origin in ((explicit, named_by), (env.get(ENV_VAR) or None, ENV_VAR)):
        if given:
            folder = Path(given).expanduser().resolve()
            if not _is_workspace(folder):
                raise NoWorkspace(
                    f"{origin} 指定的 {folder} 不是工作区（没有 {SETTINGS_FILE}）", "检查路径"
                )
            return Workspace(folder)
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if _is_workspace(folder):
            return Workspace(folder)
    raise NoWorkspace(f"当前目录（{start}）及其上级目录中没有找到工作区（{SETTINGS_FILE}）")


def init_workspace(folder: Path, *, district: str, year: int) -> Workspace:
    """Create a workspace with the default settings; refuse to touch an existing one."""
    folder = folder.expanduser().resolve()
    ws = Workspace(folder)
    if _is_workspace(folder) or ws.db_path.exists():
        raise WorkspaceError(f"{folder} 已经是一个工作区", "直接在其中运行命令，或换一个目录")
    if not 2000 <= year <= 2100:
        raise WorkspaceError(f"年度 {year} 不合理", "请用四位数年份，例如 --year 2026")
    if not district.strip():
        raise WorkspaceError("区（县）名称不能为空", "例如 --district 芝罘区")
    chosen = settings.defaults(district=district.strip(), year=year)
    folder.mkdir(parents=True, exist_ok=True)
    for sub in (ws.archive_dir, ws.out_dir):
        sub.mkdir(exist_ok=True)
    # The database first: a half-made workspace (no toml yet) is not found as one.
    with Store.open(ws.db_path) as store, store.change("init", f"{district} {year}"):
        store.sync_divisions(chosen.streets)
    fsutil.write_text(ws.settings_path, settings.default_toml(chosen))
    private(folder, ws.archive_dir, ws.out_dir, ws.db_path)
    return ws


def private(*paths: Path) -> None:
    """Readable by the owner only, where the OS has POSIX modes (personal data inside)."""
    if os.name != "posix":
        return
    for path in paths:
        path.chmod(0o700 if path.is_dir() else 0o600)
