"""The app's side of the sound output process: it is started, used, and replaced when it
fails, and the person is told in words meanwhile.

The process is a stand-in here (a few lines of Python speaking the protocol), so each
failure happens on cue: a stream that gets stuck, a crash, a hang, no device. The real
process, on a real sound server, is tested in ``test_output_process.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stretchcoach.ui import output as output_module
from stretchcoach.ui.output import LOST, NO_OUTPUT, SoundOutput
from stretchcoach.voice.chime import chime_path
from stretchcoach.voice.mixer import Channel

WAIT_MS = 20_000
FAST = (0.05, 0.1)  # back-off for the tests


def child(tmp_path: Path, body: str) -> tuple[str, ...]:
    """A stand-in output process: ``send(**event)``, and ``requests`` yields each request."""
    script = tmp_path / f"child_{abs(hash(body))}.py"
    script.write_text(
        "import json, os, sys, time\n"
        "def send(**e):\n    sys.stdout.write(json.dumps(e) + '\\n'); sys.stdout.flush()\n"
        "requests = (json.loads(line) for line in sys.stdin)\n" + body,
        encoding="utf-8",
    )
    return (sys.executable, str(script))


PLAYS = """
send(event='output', device='Test Output', problem=None)
for r in requests:
    if r['op'] == 'play':
        send(event='started', tag=r['tag'], channel=r['channel'], at=time.monotonic())
        with open(os.environ['PLAYED'], 'a') as f:
            f.write(r['channel'] + ' ' + os.path.basename(r['path']) + '\\n')
    elif r['op'] == 'ping':
        send(event='pong')
"""


@pytest.fixture
def played(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "played.txt"
    monkeypatch.setenv("PLAYED", str(path))
    return path


@pytest.fixture
def outputs() -> Iterator[list[SoundOutput]]:
    made: list[SoundOutput] = []
    yield made
    for output in made:
        output.close()


def make(outputs: list[SoundOutput], command: tuple[str, ...]) -> SoundOutput:
    output = SoundOutput(command=command, backoff=FAST)
    outputs.append(output)
    return output


def test_sounds_asked_for_while_it_starts_play_once_it_is_ready(
    qtbot: QtBot, tmp_path: Path, played: Path, outputs: list[SoundOutput]
) -> None:
    out = make(outputs, child(tmp_path, PLAYS))
    with qtbot.waitSignal(out.started, timeout=WAIT_MS) as started:
        tag = out.play(Channel.VOICE, chime_path())  # before its "output" event
    assert tag is not None and started.args[0] == tag
    out.play(Channel.CHIME, chime_path(), 0.5)
    qtbot.waitUntil(lambda: played.is_file() and len(played.read_text().splitlines()) == 2)
    assert played.read_text().splitlines() == ["voice chime.wav", "chime chime.wav"]
    assert out.notice == ""


def test_a_stuck_stream_is_said_and_a_fresh_process_brings_the_sound_back(
    qtbot: QtBot, tmp_path: Path, played: Path, outputs: list[SoundOutput]
) -> None:
    flag = tmp_path / "stuck-once"
    body = (
        f"if not os.path.exists({str(flag)!r}):\n"
        f"    open({str(flag)!r}, 'w').close()\n"
        "    send(event='output', device='Test Output', problem=None)\n"
        "    next(requests)\n"
        "    send(event='stuck', message='the sound output took nothing for 1.5 s')\n"
        "    sys.exit(3)\n" + PLAYS
    )
    out = make(outputs, child(tmp_path, body))
    qtbot.waitUntil(lambda: out.play(Channel.VOICE, chime_path()) is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: out.notice == LOST, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: out.notice == "", timeout=WAIT_MS)  # the second process plays
    with qtbot.waitSignal(out.started, timeout=WAIT_MS):
        out.play(Channel.VOICE, chime_path())


def test_a_process_that_stops_answering_is_killed_and_replaced(
    qtbot: QtBot, tmp_path: Path, outputs: list[SoundOutput], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_module, "PING_SECONDS", 0.1)
    monkeypatch.setattr(output_module, "ANSWER_SECONDS", 0.5)
    pids = tmp_path / "pids"
    body = (
        f"open({str(pids)!r}, 'a').write(str(os.getpid()) + '\\n')\n"
        "send(event='output', device='Test Output', problem=None)\n"
        "time.sleep(3600)\n"  # hung: never reads a request again
    )
    out = make(outputs, child(tmp_path, body))
    qtbot.waitUntil(lambda: out.notice == LOST, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pids.is_file() and len(pids.read_text().split()) >= 2, timeout=WAIT_MS)
    first = int(pids.read_text().split()[0])
    assert (
        not Path(f"/proc/{first}").exists()
        or "zombie" not in Path(f"/proc/{first}/status").read_text()
    )


def test_without_a_device_it_says_so_and_keeps_looking(
    qtbot: QtBot, tmp_path: Path, outputs: list[SoundOutput]
) -> None:
    starts = tmp_path / "starts"
    body = (
        f"open({str(starts)!r}, 'a').write('x')\n"
        "send(event='output', device=None, problem=None)\n"
        "for r in requests: pass\n"
    )
    out = make(outputs, child(tmp_path, body))
    qtbot.waitUntil(lambda: out.notice == NO_OUTPUT, timeout=WAIT_MS)
    assert out.play(Channel.VOICE, chime_path()) is None  # nothing to play it on
    qtbot.waitUntil(lambda: starts.is_file() and len(starts.read_text()) >= 3, timeout=WAIT_MS)


def test_a_crash_is_told_and_wake_tries_again_at_once(
    qtbot: QtBot, tmp_path: Path, outputs: list[SoundOutput], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_module, "WAKE_AFTER", 0.0)
    starts = tmp_path / "starts"
    body = f"open({str(starts)!r}, 'a').write('x')\nsys.exit(1)\n"
    out = SoundOutput(command=child(tmp_path, body), backoff=(3600.0,))  # never by itself
    outputs.append(out)
    qtbot.waitUntil(lambda: out.notice == LOST, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: starts.is_file() and len(starts.read_text()) == 1)
    out.wake()
    qtbot.waitUntil(lambda: len(starts.read_text()) == 2, timeout=WAIT_MS)


def test_a_missing_program_is_a_notice_not_a_crash(
    qtbot: QtBot, tmp_path: Path, outputs: list[SoundOutput]
) -> None:
    out = make(outputs, (str(tmp_path / "no-such-program"),))
    qtbot.waitUntil(lambda: out.notice == LOST, timeout=WAIT_MS)
    assert out.play(Channel.VOICE, chime_path()) is None


def test_close_ends_the_process_at_once(
    qtbot: QtBot, tmp_path: Path, outputs: list[SoundOutput]
) -> None:
    pids = tmp_path / "pids"
    body = f"open({str(pids)!r}, 'w').write(str(os.getpid()))\n" + PLAYS
    out = make(outputs, child(tmp_path, body))
    qtbot.waitUntil(lambda: pids.is_file() and pids.read_text() != "", timeout=WAIT_MS)
    out.close()
    assert not Path(f"/proc/{pids.read_text()}").exists()  # killed and reaped
