"""The one clock: today's date and year. Defaults that depend on the date (the working
year, the date printed on letters, what is overdue) ask here, so a test can set the
date in one place and next year's `init` works on next year."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()


def this_year() -> int:
    return today().year
