"""shuanggang: the toolkit for the Youth League's 团员“双岗双责” practice.

The Python API (docs/api.md) is what `__all__` lists: `open_workspace` and the types it
hands back. Importing this package imports nothing else: each name is loaded when first
used, so the command line and `import shuanggang` stay as quick as `--help`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from shuanggang.api import (
        BranchRow,
        CertificateRow,
        ClaimRow,
        ConsultationRow,
        ItemScore,
        MemberRow,
        OrgAssessment,
        OrgRow,
        ProjectRow,
        ServiceRow,
        View,
        WorkspaceView,
        open_workspace,
    )

__all__ = [
    "BranchRow",
    "CertificateRow",
    "ClaimRow",
    "ConsultationRow",
    "ItemScore",
    "MemberRow",
    "OrgAssessment",
    "OrgRow",
    "ProjectRow",
    "ServiceRow",
    "View",
    "WorkspaceView",
    "__version__",
    "open_workspace",
]


def __getattr__(name: str) -> Any:
    # Only the public names; anything else (a submodule such as `shuanggang.fsutil`) is
    # left to the import system.
    if name in __all__:
        from shuanggang import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
