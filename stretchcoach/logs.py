"""The app's log: what went wrong, kept for a bug report, never flooding the disk or the terminal.

Everything goes through Python's ``logging`` (Qt's own messages too, see
``stretchcoach.ui.qtlog``) to a small rotating file in the platform's log folder and, from
warnings up, to stderr. Both pass through ``RepeatFilter``: a message is written the first
time, and a message that keeps coming is counted rather than written, with a count every
few seconds and, if it comes many times a second, one line saying it is a flood. That is
what a stuck Qt socket notifier needed: one warning a few hundred thousand times a second
once filled 1.3 GB of log in 70 s.
"""

from __future__ import annotations

import logging
import logging.handlers
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stretchcoach import paths

LOG_NAME = "stretchcoach.log"
LOG_BYTES = 256 * 1024  # per file; one older file is kept beside it
REPORT_EVERY = 5.0  # seconds between counts of a repeating message
FLOOD_PER_SECOND = 50  # more than this is a flood, said once
MAX_TRACKED = 256  # distinct messages remembered; the least recent is forgotten


def log_dir() -> Path:
    return paths.log_dir()


@dataclass
class _Seen:
    since: float  # when the current count began
    count: int = 0  # repeats not yet reported
    flooding: bool = False


class RepeatFilter(logging.Filter):
    """Lets a message through once, then only with a count of its repeats every
    ``every`` seconds (the record that carries the count is rewritten to say so)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, every: float = REPORT_EVERY):
        super().__init__()
        self._clock = clock
        self._every = every
        self._seen: OrderedDict[tuple[str, int, str], _Seen] = OrderedDict()

    def filter(self, record: logging.LogRecord) -> bool:
        verdict: bool | None = getattr(record, "repeat_verdict", None)
        if verdict is None:  # judged once, however many handlers share this filter
            verdict = record.repeat_verdict = self._judge(record)
        return verdict

    def _judge(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        key = (record.name, record.levelno, text)
        now = self._clock()
        seen = self._seen.get(key)
        if seen is None:
            self._seen[key] = _Seen(now)
            if len(self._seen) > MAX_TRACKED:
                self._seen.popitem(last=False)
            return True
        self._seen.move_to_end(key)
        seen.count += 1
        elapsed = now - seen.since
        if not seen.flooding and seen.count > FLOOD_PER_SECOND * max(elapsed, 1.0):
            seen.flooding = True
            self._rewrite(record, f"{text} [flooding: {seen.count} times in {elapsed:.1f} s; "
                                  f"from now on counted every {self._every:g} s]")  # fmt: skip
            seen.since, seen.count = now, 0
            return True
        if elapsed < self._every:
            return False
        if seen.count == 1:  # written once before, a while ago: not a flood, say so plainly
            self._rewrite(record, f"{text} [again, {elapsed:.0f} s later]")
        else:
            self._rewrite(record, f"{text} [repeated {seen.count} times in {elapsed:.0f} s]")
        seen.since, seen.count = now, 0
        return True

    def pending(self) -> list[str]:
        """Repeats not yet reported, one line each (said when the log closes)."""
        return [
            f"{text} [repeated {seen.count} more times]"
            for (_name, _level, text), seen in self._seen.items()
            if seen.count
        ]

    @staticmethod
    def _rewrite(record: logging.LogRecord, text: str) -> None:
        record.msg, record.args = text, None


class _Closing(logging.Handler):
    """Writes the counts still pending when logging shuts down (at exit)."""

    def __init__(self, repeats: RepeatFilter, target: logging.Handler) -> None:
        super().__init__(level=logging.CRITICAL + 1)  # takes no records: it acts on close
        self._repeats, self._target = repeats, target

    def emit(self, record: logging.LogRecord) -> None:
        """Never called (see the level)."""

    def close(self) -> None:
        for line in self._repeats.pending():
            record = {"msg": line, "levelno": logging.INFO, "levelname": "INFO", "name": "log"}
            self._target.handle(logging.makeLogRecord(record))
        super().close()


def configure(*, to_file: bool = True, stderr_level: int = logging.WARNING) -> Path | None:
    """Send the app's log to a bounded file (if ``to_file`` and the folder can be made) and
    warnings to stderr; return the file's path."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    repeats = RepeatFilter()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    console = logging.StreamHandler()
    console.setLevel(stderr_level)
    console.setFormatter(logging.Formatter("stretchcoach: %(name)s: %(message)s"))
    console.addFilter(repeats)
    root.addHandler(console)
    path: Path | None = None
    if to_file:
        # Finding the folder may rename StretchCoach 0.1's (paths logs it): kept until the
        # file is open, so that line is in the file too.
        early = logging.handlers.BufferingHandler(capacity=64)
        root.addHandler(early)
        try:
            folder = log_dir()
        finally:
            root.removeHandler(early)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_NAME
            file = logging.handlers.RotatingFileHandler(
                path, maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8"
            )
        except OSError as err:
            logging.getLogger("log").warning("cannot keep a log file in %s: %s", folder, err)
            path = None
        else:
            file.setFormatter(formatter)
            file.addFilter(repeats)
            root.addHandler(file)
            for record in early.buffer:  # the console had them when they came
                file.handle(record)
    last = root.handlers[-1]
    root.addHandler(_Closing(repeats, last))
    return path
