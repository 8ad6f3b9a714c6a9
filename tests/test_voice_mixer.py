"""The mixer that puts the cue and the chime into one stream (no Qt, no sound card)."""

from __future__ import annotations

import wave
from array import array
from pathlib import Path

import pytest

from stretchcoach.voice.chime import chime_path
from stretchcoach.voice.mixer import (
    RATE,
    Channel,
    ClipError,
    Mark,
    Mixer,
    add_clipped,
    read_wav,
    scaled,
)


def tone(n: int, value: int) -> array[int]:
    return array("h", [value] * n)


def drain(mixer: Mixer, block: int) -> tuple[array[int], list[Mark]]:
    out: array[int] = array("h")
    marks: list[Mark] = []
    while mixer.active:
        samples, new = mixer.read(block)
        out.extend(samples)
        marks.extend(new)
    return out, marks


def test_a_sound_comes_out_whole_in_blocks_with_its_start_and_end_marked() -> None:
    mixer = Mixer()
    mixer.play(Channel.VOICE, tone(250, 1000), tag=7)
    first, marks = mixer.read(100)
    assert list(first) == [1000] * 100 and marks == [Mark(Channel.VOICE, 7, started=True)]
    rest, marks = drain(mixer, 100)
    assert len(rest) == 150 and marks == [Mark(Channel.VOICE, 7, started=False)]
    assert not mixer.active and mixer.read(100) == (array("h"), [])


def test_the_chime_and_the_voice_are_summed_and_clipped_never_cut() -> None:
    mixer = Mixer()
    mixer.play(Channel.VOICE, tone(300, 30000), tag=1)
    mixer.play(Channel.CHIME, tone(100, 5000), tag=2)
    out, marks = drain(mixer, 64)
    assert list(out[:100]) == [32767] * 100  # 35000 clipped to 16 bits
    assert list(out[100:]) == [30000] * 200  # the voice goes on alone, whole
    assert [(m.tag, m.started) for m in marks] == [(1, True), (2, True), (2, False), (1, False)]


def test_a_new_sound_replaces_its_channel_and_stop_silences_one_channel_or_both() -> None:
    mixer = Mixer()
    mixer.play(Channel.VOICE, tone(1000, 100), tag=1)
    mixer.read(10)
    mixer.play(Channel.VOICE, tone(20, 200), tag=2)  # the next cue: the first is gone
    mixer.play(Channel.CHIME, tone(1000, 1), tag=3)
    block, marks = mixer.read(10)
    assert set(block) == {201} and {m.tag for m in marks} == {2, 3}
    mixer.stop(Channel.CHIME)
    block, _ = mixer.read(5)
    assert set(block) == {200}
    mixer.stop()
    assert not mixer.active


def test_add_clipped_and_scaled_keep_to_16_bits() -> None:
    block = tone(4, -32000)
    add_clipped(block, 1, tone(2, -2000))
    assert list(block) == [-32000, -32768, -32768, -32000]
    assert list(scaled(tone(3, 1000), 0.25)) == [250] * 3
    same = tone(2, 5)
    assert scaled(same, 1.0) is same


def _wav(path: Path, rate: int, channels: int, frames: bytes) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def test_read_wav_reads_the_chime_and_refuses_what_it_cannot_play(tmp_path: Path) -> None:
    chime = read_wav(chime_path())
    assert len(chime) == round(0.8 * RATE) and max(chime) > 1000
    assert list(read_wav(_wav(tmp_path / "ok.wav", RATE, 1, b"\x01\x00\xff\xff"))) == [1, -1]
    stereo = _wav(tmp_path / "stereo.wav", 44100, 2, bytes(8))
    with pytest.raises(ClipError, match=r"stereo\.wav is 44100 Hz, 2 channel"):
        read_wav(stereo)
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF, but not a WAV")
    with pytest.raises(ClipError, match=r"garbage\.wav cannot be read as a WAV file"):
        read_wav(garbage)
    with pytest.raises(ClipError, match=r"missing\.wav"):
        read_wav(tmp_path / "missing.wav")
