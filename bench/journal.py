"""The journal: how long saving a session takes, and how long the Progress screen takes to open.

The window saves a session when it ends and again with the person's answers, on its own
thread, so a save must never be noticed (goal: p99 ≤ 5 ms); the Progress screen must open
at once with years of history (goal: ≤ 150 ms). This prints:

- ``write``: ``Journal.save`` of a full session record (16 steps' worth of fields, a
  skipped step, two "this hurt" marks, a note), each a new session, ``--writes`` times
  into a real file in a temporary folder (WAL, ``synchronous=FULL``: one fsync per save),
  then the same number of saves replacing an existing session (the answers);
- ``progress``: ``progress()`` over five years of daily sessions (1,827), all time on the
  pain chart: in a fresh ``Journal`` (opening the file, its quick check, the version
  check, then every query) and again on the open journal; median and worst of 20;
- ``screen``: opening the real Progress screen (``ui.progress_screen``) on that journal,
  shown at 1280x800 on the offscreen platform: from asking for it (``open_screen``) to its
  figures painted (``drawn``): the read on its own thread with a fresh ``Journal``, the
  handing over to the window's thread, the labels, the list of marks, and every chart's
  first paint; median and worst of 20, the first (Qt's fonts and style warming up) apart.

The last line is ``journal: write_p99_ms=<x> progress_open_ms=<x>``, where
``progress_open_ms`` is the median of the screen figure.

    python bench/journal.py [--writes N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the tests' five years of sessions

from journal_helpers import years_of_daily_sessions  # noqa: E402

from stretchcoach.journal.progress import progress  # noqa: E402
from stretchcoach.journal.record import HurtMark, SessionRecord, SkippedStep  # noqa: E402
from stretchcoach.journal.store import Journal  # noqa: E402

TODAY = date(2026, 12, 3)
RUNS = 20


def _full_session(n: int) -> SessionRecord:
    started = datetime(2026, 1, 1, 7, 30, tzinfo=timezone(timedelta(hours=1))) + timedelta(
        days=n % 3000
    )
    return SessionRecord(
        day=started.date(),
        started=started,
        routine="lower-back-relief",
        routine_title="Lower back relief",
        outcome="completed-with-skips",
        steps_done=15,
        steps_total=16,
        duration_s=912.4,
        inhale_s=4.0,
        exhale_s=6.0,
        pain_before=5,
        pain=3,
        compared="better",
        tighter="left",
        note="The left hip was tighter; the bridge felt easier than last week.",
        skipped=(SkippedStep(step="easy-bridge", title="Easy bridge"),),
        hurt=(
            HurtMark(step="heel-slide", title="Heel slide", side="left", at=started),
            HurtMark(step="knee-hug-right", title="Knee hug", side="right", at=started),
        ),
    )


def _ms(seconds: list[float]) -> tuple[float, float, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000


def _saves(journal: Journal, records: list[SessionRecord]) -> list[float]:
    times = []
    for record in records:
        start = time.perf_counter()
        notice = journal.save(record)
        times.append(time.perf_counter() - start)
        assert notice is None, notice
    return times


def _writes(folder: Path, count: int) -> float:
    with Journal(folder / "writes.sqlite3") as journal:
        journal.open()
        new = [_full_session(n) for n in range(count)]
        first = _saves(journal, new)
        answered = [r.model_copy(update={"pain": 2, "note": "answered"}) for r in new]
        again = _saves(journal, answered)
    for name, times in (("new", first), ("replace", again), ("all", first + again)):
        median, p99, worst = _ms(times)
        print(
            f"write {name}: n={len(times)} median_ms={median:.2f} p99_ms={p99:.2f} "
            f"max_ms={worst:.2f}"
        )
    return _ms(first + again)[1]


def _progress(folder: Path) -> Path:
    path = folder / "five-years.sqlite3"
    history = years_of_daily_sessions(TODAY)
    with Journal(path) as journal:
        journal.merge(history)
    print(f"five years: sessions={len(history)} file_kib={path.stat().st_size / 1024:.0f}")
    fresh, warm = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        with Journal(path) as journal:
            shown = progress(journal, TODAY)
            fresh.append(time.perf_counter() - start)
            start = time.perf_counter()
            progress(journal, TODAY)
            warm.append(time.perf_counter() - start)
        assert len(shown.pain) == len(history)
    for name, times in (("fresh journal", fresh), ("open journal", warm)):
        median, _, worst = _ms(times)
        print(f"progress, {name}: median_ms={median:.1f} max_ms={worst:.1f}")
    return path


def _screen(path: Path) -> float:
    """Open the Progress screen on ``path`` RUNS + 1 times; the median, first run apart."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSize, QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication

    from stretchcoach.ui.journal_reader import JournalReader
    from stretchcoach.ui.progress_screen import ProgressScreen
    from stretchcoach.ui.theme import LIGHT, palette, style_sheet, type_for

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setPalette(palette(LIGHT))
    sessions = len(years_of_daily_sessions(TODAY))
    times = []
    for _ in range(RUNS + 1):
        back = QAction("Back")
        screen = ProgressScreen(back, JournalReader(lambda: path), today=lambda: TODAY)
        screen.setStyleSheet(style_sheet(LIGHT, type_for(QSize(1280, 800))))
        screen.resize(1280, 800)
        screen.show()
        app.processEvents()
        loop = QEventLoop()
        screen.drawn.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        start = time.perf_counter()
        screen.open_screen()
        loop.exec()
        times.append(time.perf_counter() - start)
        assert screen.data is not None and len(screen.data.pain) == sessions, "not drawn"
        screen.reader.close()
        screen.deleteLater()
        back.deleteLater()
        app.processEvents()
    median, _, worst = _ms(times[1:])
    print(
        f"progress screen, opened and painted: first_ms={times[0] * 1000:.1f} "
        f"median_ms={median:.1f} max_ms={worst:.1f}"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:  # a real disk, not a tmpfs
        write_p99 = _writes(Path(tmp), args.writes)
        progress_ms = _screen(_progress(Path(tmp)))
    print(f"journal: write_p99_ms={write_p99:.2f} progress_open_ms={progress_ms:.1f}")


if __name__ == "__main__":
    main()
