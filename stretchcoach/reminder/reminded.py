"""The day the reminder was last shown, so that it comes at most once a day however often
the person logs in (the login entry runs at each login) and whatever systemd catches up.

One line in a small file in the state folder
(``~/.local/state/io.github.stretchcoach.StretchCoach/reminded``): the day,
``YYYY-MM-DD``. A file that cannot be read counts as "not reminded": a second reminder is
a smaller harm than none.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from stretchcoach.paths import state_dir, write_atomically

log = logging.getLogger(__name__)


def stamp_path() -> Path:
    return state_dir() / "reminded"


def last_day() -> date | None:
    try:
        return date.fromisoformat(stamp_path().read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        log.warning("cannot read the day of the last reminder from %s: %s", stamp_path(), err)
        return None


def mark(day: date) -> None:
    """Remember that the reminder of ``day`` was shown (a failure is logged: the worst it
    costs is a second reminder)."""
    try:
        write_atomically(stamp_path(), f"{day.isoformat()}\n")
    except OSError as err:
        log.warning("cannot remember the day of this reminder in %s: %s", stamp_path(), err)


def forget() -> None:
    stamp_path().unlink(missing_ok=True)
