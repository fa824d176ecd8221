"""The workspace store: SQLite tables for the whole year, and the archive of inputs."""

from shuanggang.store.db import SCHEMA_VERSION, Store
from shuanggang.store.workspace import Workspace, find_workspace, init_workspace

__all__ = ["SCHEMA_VERSION", "Store", "Workspace", "find_workspace", "init_workspace"]
