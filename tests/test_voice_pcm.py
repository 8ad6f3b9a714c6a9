"""The clip format's loudness: the speech's, its pauses left out, so a long cue with many
commas is as loud as a short one. Real samples throughout (tones standing in for speech,
whose loudness is known exactly), written to real WAVs and read back."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from stretchcoach.voice import pcm


def tone(seconds: float, amplitude: float, rate: int = pcm.RATE) -> list[float]:
    """A 220 Hz sine: its RMS is amplitude / √2."""
    return [amplitude * math.sin(2 * math.pi * 220 * n / rate) for n in range(int(seconds * rate))]


def db(ratio: float) -> float:
    return 20 * math.log10(ratio)


def test_pauses_do_not_count_in_the_loudness() -> None:
    speech = tone(1.0, 0.5)
    with_pauses = [*speech, *[0.0] * (2 * pcm.RATE), *speech, *[0.0] * pcm.RATE]
    loudness, peak = pcm.level(with_pauses)
    # within 1 dB: the blocks across a pause's edge count in part, as in BS.1770
    assert db(loudness / (0.5 / math.sqrt(2))) == pytest.approx(0.0, abs=1.0)
    assert peak == pytest.approx(0.5, abs=1e-3)
    plain = math.sqrt(sum(x * x for x in with_pauses) / len(with_pauses))
    assert db(loudness / plain) > 3.0  # what the whole clip's RMS would have missed


def test_breath_noise_in_a_pause_is_a_pause_and_a_short_cue_is_one_block() -> None:
    breath = tone(1.5, 0.5 * 10 ** (-30 / 20))  # 30 dB under the voice: not speech
    loudness, _ = pcm.level([*tone(1.0, 0.5), *breath, *tone(1.0, 0.5)])
    assert db(loudness / (0.5 / math.sqrt(2))) == pytest.approx(0.0, abs=1.0)
    short, _ = pcm.level(tone(0.25, 0.2))
    assert short == pytest.approx(0.2 / math.sqrt(2), rel=0.02)


@pytest.mark.parametrize("pause_seconds", [0.0, 1.0, 4.0])
def test_a_clip_is_written_at_the_target_loudness_whatever_its_pauses(
    tmp_path: Path, pause_seconds: float
) -> None:
    """At a model's own rate (16 kHz), resampled as the worker does: the speech in the
    written WAV is at −20 dBFS with the volume at 100 %, and 6 dB less at 50 %."""
    rate = 16000
    samples = [*tone(1.2, 0.3, rate), *[0.0] * int(pause_seconds * rate), *tone(0.8, 0.3, rate)]
    for volume, expected in ((1.0, -20.0), (0.5, -26.0)):
        path = tmp_path / f"{volume}.wav"
        seconds = pcm.write_clip(path, samples, rate, volume)
        assert seconds == pytest.approx(len(samples) / rate, abs=0.01)
        written, written_rate = pcm.read_wav(path)
        assert written_rate == pcm.RATE
        loudness, peak = pcm.level(written)
        assert db(loudness) == pytest.approx(expected, abs=0.3)
        assert peak <= pcm.CEILING


def speech_with_clicks(click: float) -> list[float]:
    """A tone at −20 dBFS with a click ``click`` times its amplitude every 100 ms."""
    samples = tone(2.0, 0.1 * math.sqrt(2))
    for n in range(1000, len(samples), pcm.RATE // 10):
        samples[n] = click * 0.1 * math.sqrt(2)
    return samples


def test_isolated_peaks_are_limited_not_the_whole_clip(tmp_path: Path) -> None:
    """Clicks 20 dB over the speech (a natural voice's plosives reach 23): the speech stays
    at −20 dBFS, the clicks are brought under the ceiling by dips too short to hear, and
    away from them the samples are the tone's own."""
    samples = speech_with_clicks(click=10 ** (20 / 20) / math.sqrt(2))  # 23 dB over the RMS
    path = tmp_path / "clicks.wav"
    pcm.write_clip(path, samples, pcm.RATE, 1.0)
    written, _ = pcm.read_wav(path)
    loudness, peak = pcm.level(written)
    assert db(loudness) == pytest.approx(-20.0, abs=0.3)
    assert peak <= pcm.CEILING
    between = range(1000 + pcm.RATE // 20 - 50, 1000 + pcm.RATE // 20 + 50)  # 50 ms from any
    gains = [written[n] / samples[n] for n in between if abs(samples[n]) > 0.05]
    assert len(gains) > 50 and max(gains) - min(gains) < 0.01 * min(gains)  # one gain, no dip


def test_peaks_past_the_limiters_reach_hold_the_gain_back() -> None:
    loudness, peak = pcm.level(speech_with_clicks(click=40.0))  # 32 dB over the speech
    assert pcm.gain_for(loudness, peak, 1.0) == pytest.approx(pcm.LIMIT * pcm.CEILING / peak)
    limited = pcm.limited(speech_with_clicks(click=40.0), pcm.gain_for(loudness, peak, 1.0))
    assert max(map(abs, limited)) == pytest.approx(pcm.CEILING, rel=1e-4)


@pytest.mark.parametrize(
    ("samples", "why"),
    [([], "no sound"), ([0.0] * 4410, "silence"), ([math.nan] * 10, "NaN")],
)
def test_output_that_is_not_speech_is_refused(samples: list[float], why: str) -> None:
    with pytest.raises(pcm.NoSpeech, match=why):
        pcm.level(samples)
