"""The Python API: a workspace's year read as typed rows and pandas DataFrames.

    import shuanggang

    with shuanggang.open_workspace("芝罘区2026") as ws:
        members = ws.members.to_pandas()
        for grade in ws.assessment:
            ...

Like the command line, this is a shell over the store and the workflows: it opens the
workspace the way every command does and reads one copy of the store taken at that
moment (`Store.snapshot`), so changes other programs commit afterwards never show up
half-way through an analysis. Nothing here writes to the workspace. See docs/api.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from shuanggang.domain.privacy import mask_id, mask_phone, mask_text
from shuanggang.store import find_workspace
from shuanggang.store import tables as _tables
from shuanggang.store.tables import (
    BranchRow,
    CertificateRow,
    ClaimRow,
    ConsultationRow,
    MemberRow,
    OrgRow,
    ProjectRow,
    ServiceRow,
)

if TYPE_CHECKING:
    import pandas as pd

    from shuanggang.settings import Settings
    from shuanggang.store import Store
    from shuanggang.workflow.report import ItemScore, OrgAssessment

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
    "open_workspace",
]

Row = TypeVar("Row")
Labels = Literal["en", "zh"]

# Personal numbers and how each is masked; every other text is masked by shape
# (`mask_text`), as everything the command line prints is.
_PERSONAL: dict[str, Callable[[str], str]] = {
    "id_number": mask_id,
    "phone": mask_phone,
    "contact_phone": mask_phone,
}


def _masked(row: Row) -> Row:
    # Every Row is a dataclass instance; a TypeVar cannot say so to mypy, hence the ignores.
    changes = {}
    for f in fields(row):  # type: ignore[arg-type]
        value = getattr(row, f.name)
        if isinstance(value, str) and value:
            shown = _PERSONAL.get(f.name, mask_text)(value)
            if shown != value:
                changes[f.name] = shown
    return replace(row, **changes) if changes else row  # type: ignore[type-var]


class View(Generic[Row]):
    """One table of the workspace: iterate it for frozen dataclass rows, or call
    `to_pandas()` for a DataFrame. ID numbers and phones are masked (370602********1234,
    138****1234) unless `unmasked=True` is asked for."""

    def __init__(self, name: str, row_type: type[Row], load: Callable[[], list[Row]]) -> None:
        self.name = name
        self.row_type = row_type  # the frozen dataclass each row is
        self._load = load
        self._rows: list[Row] | None = None
        self._shown: list[Row] | None = None  # the rows masked

    def _all(self) -> list[Row]:
        if self._rows is None:
            self._rows = self._load()
        return self._rows

    def rows(self, *, unmasked: bool = False) -> list[Row]:
        """Every row; personal numbers masked unless `unmasked`."""
        if unmasked:
            return list(self._all())
        if self._shown is None:
            self._shown = [_masked(r) for r in self._all()]
        return list(self._shown)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"<shuanggang view {self.name}: {len(self)} rows>"

    def to_pandas(self, *, labels: Labels = "en", unmasked: bool = False) -> pd.DataFrame:
        """The rows as a DataFrame: dates datetime64, hours and rates float, repeated
        names (street, community, category, grade …) `category`; column names in English,
        or with `labels="zh"` the Chinese headers of the exported workbooks. Needs pandas
        (`pip install 'shuanggang[pandas]'`)."""
        from shuanggang.api.frames import frame

        return frame(self.name, self.rows(unmasked=unmasked), labels, self.row_type)


class WorkspaceView:
    """A workspace's store as it was when opened, read-only: made by `open_workspace`.

    `orgs`, `members`, `projects`, `claims`, `branches`, `services` and `consultations`
    list every row of the store (history included: see `withdrawn_on`, `left_on`);
    `assessment` is the working year's 综合考评, the same figures `shuanggang report`
    gives, and `assessment_of(year)` any other year's."""

    def __init__(self, root: Path, settings: Settings, store: Store) -> None:
        self.root = root
        self.settings = settings
        self._store = store
        self._views: dict[Any, View[Any]] = {}
        # The year the workspace works in (shuanggang.toml `year`) and its district.
        self.year: int = settings.year
        self.district: str = settings.district

    def _view(
        self, name: str, row_type: type[Row], load: Callable[[Store], list[Row]]
    ) -> View[Row]:
        if name not in self._views:
            self._views[name] = View(name, row_type, lambda: load(self._store))
        return self._views[name]

    @property
    def orgs(self) -> View[OrgRow]:
        return self._view("orgs", OrgRow, _tables.orgs)

    @property
    def members(self) -> View[MemberRow]:
        return self._view("members", MemberRow, _tables.members)

    @property
    def projects(self) -> View[ProjectRow]:
        return self._view("projects", ProjectRow, _tables.projects)

    @property
    def claims(self) -> View[ClaimRow]:
        return self._view("claims", ClaimRow, _tables.claims)

    @property
    def branches(self) -> View[BranchRow]:
        return self._view("branches", BranchRow, _tables.branches)

    @property
    def services(self) -> View[ServiceRow]:
        return self._view("services", ServiceRow, _tables.services)

    @property
    def consultations(self) -> View[ConsultationRow]:
        return self._view("consultations", ConsultationRow, _tables.consultations)

    @property
    def certificates(self) -> View[CertificateRow]:
        """The certificates of service issued (`shuanggang certificates`), void ones too."""
        return self._view("certificates", CertificateRow, _tables.certificates)

    @property
    def assessment(self) -> View[OrgAssessment]:
        """The working year's assessment: one row per active organisation, best first."""
        return self.assessment_of(self.year)

    def assessment_of(self, year: int) -> View[OrgAssessment]:
        """A year's assessment, computed as `shuanggang report --year` computes it."""
        key = ("assessment", year)
        if key not in self._views:
            from shuanggang.workflow.report import OrgAssessment, assessed

            def load() -> list[OrgAssessment]:
                return assessed(self._store, self.settings, year).results()

            self._views[key] = View("assessment", OrgAssessment, load)
        return self._views[key]

    def close(self) -> None:
        """Let go of the copy of the store (rows already read stay usable)."""
        self._store.close()

    def __enter__(self) -> WorkspaceView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<shuanggang workspace {self.root} ({self.district} {self.year})>"


def open_workspace(path: str | os.PathLike[str] | None = None) -> WorkspaceView:
    """Open a workspace for reading, found as the command line finds it: `path` (the
    workspace folder), else $SHUANGGANG_WORKSPACE, else the current folder or one above.

    The view reads a copy of the store taken now: what other programs change later is
    not seen (open the workspace again for that). Raises `shuanggang.errors.WorkspaceError`
    (a Chinese message and hint) when there is no workspace there."""
    ws = find_workspace(None if path is None else Path(path), named_by="open_workspace")
    settings = ws.settings()
    return WorkspaceView(ws.root, settings, ws.snapshot_store())


def __getattr__(name: str) -> Any:
    # The assessment's row types live with the report workflow; importing it is not free.
    if name in ("ItemScore", "OrgAssessment"):
        from shuanggang.workflow import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
