"""The app's log: a repeated message is written once and then counted; the file stays small."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from stretchcoach import logs


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def record(text: str, name: str = "qt") -> logging.LogRecord:
    return logging.makeLogRecord({"msg": text, "name": name, "levelno": logging.WARNING})


def test_a_repeated_message_passes_once_then_with_a_count_every_few_seconds() -> None:
    clock = Clock()
    repeats = logs.RepeatFilter(clock, every=5.0)
    assert repeats.filter(record("Invalid socket 30"))
    passed = []
    for _ in range(40):  # a repeat every 0.25 s: not a flood
        clock.now += 0.25
        r = record("Invalid socket 30")
        if repeats.filter(r):
            passed.append(r.getMessage())
    assert passed == ["Invalid socket 30 [repeated 20 times in 5 s]"] * 2
    assert repeats.filter(record("something else"))  # other messages are not held back
    clock.now += 1
    repeats.filter(record("Invalid socket 30"))
    assert repeats.pending() == ["Invalid socket 30 [repeated 1 more times]"]
    clock.now += 60
    again = record("something else")
    assert repeats.filter(again) and again.getMessage() == "something else [again, 61 s later]"


def test_a_flood_is_said_once_then_counted() -> None:
    clock = Clock()
    repeats = logs.RepeatFilter(clock, every=5.0)
    shown = []
    for n in range(100_000):  # 100,000 in 10 s
        clock.now = n / 10_000
        r = record("QSocketNotifier: Invalid socket 30 and type 'Read', disabling...")
        if repeats.filter(r):
            shown.append(r.getMessage())
    assert len(shown) == 3  # the first, the flood, one count 5 s later (and none per repeat)
    assert "[flooding: 51 times in 0.0 s; from now on counted every 5 s]" in shown[1]
    assert shown[2].endswith("[repeated 50000 times in 5 s]")


def test_one_filter_judges_a_record_once_however_many_handlers_share_it() -> None:
    repeats = logs.RepeatFilter(Clock())
    first = record("hello")
    assert repeats.filter(first) and repeats.filter(first)  # file and stderr both write it
    second = record("hello")
    assert not repeats.filter(second) and not repeats.filter(second)


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.usefixtures("root_logging")
def test_the_log_file_is_bounded_and_a_flood_fills_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = logs.configure()
    assert path is not None and path.parent == logs.log_dir()
    log = logging.getLogger("qt.multimedia")
    for _ in range(20_000):
        log.warning("QSocketNotifier: Invalid socket 30 and type 'Read', disabling...")
    for n in range(5_000):
        log.info("distinct line %d with some words to take up room in the file", n)
    for handler in logging.getLogger().handlers:
        handler.flush()
    files = list(path.parent.glob(f"{path.name}*"))
    assert sum(f.stat().st_size for f in files) <= 2 * logs.LOG_BYTES + 4096
    err = capsys.readouterr().err
    assert err.count("Invalid socket 30") == 2  # once, then "flooding" once
    assert "[flooding:" in err


@pytest.mark.usefixtures("root_logging")
def test_without_a_writable_log_folder_it_says_so_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(logs, "log_dir", lambda: blocker / "log")
    assert logs.configure() is None
    assert "cannot keep a log file" in capsys.readouterr().err
