"""The journal's figures in words: how long ago a routine was done, as the picker says it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stretchcoach.journal.words import days_ago, last_done

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (-1, "today"),  # a day to come, from another computer's clock
        (0, "today"),
        (1, "yesterday"),
        (3, "3 days ago"),
        (13, "13 days ago"),
        (14, "2 weeks ago"),
        (55, "7 weeks ago"),
        (56, "on 8 Oct"),
        (400, "on 29 Oct 2025"),
    ],
)
def test_how_long_ago(days: int, said: str) -> None:
    assert days_ago(TODAY - timedelta(days=days), TODAY) == said


def test_last_done() -> None:
    assert last_done(None, TODAY) == "Not done yet"
    assert last_done(TODAY - timedelta(days=1), TODAY) == "Last done yesterday"
