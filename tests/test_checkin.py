"""The registration policy, apart from the store: what a member sheet does."""

from __future__ import annotations

import pytest

from shuanggang.domain.checkin import registration_outcome
from shuanggang.domain.labels import Outcome


@pytest.mark.parametrize(
    ("known", "same", "replace", "expected"),
    [
        (False, False, False, Outcome.REGISTERED),
        (False, False, True, Outcome.REGISTERED),
        (True, True, False, Outcome.UNCHANGED),
        (True, True, True, Outcome.UNCHANGED),
        (True, False, False, Outcome.REJECTED),
        (True, False, True, Outcome.REPLACED),
    ],
)
def test_registration_outcome(known: bool, same: bool, replace: bool, expected: Outcome) -> None:
    assert registration_outcome(known=known, same_members=same, replace=replace) is expected
