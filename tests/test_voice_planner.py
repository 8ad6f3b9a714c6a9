"""Synthesis ahead in the background, the speech lengths the engine plans with, and the
warnings for cues that do not fit their breath phase. Real eSpeak throughout."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from voice_helpers import READY, fake_worker, routine_steps

from stretchcoach.coach.timeline import STOPPED_CUE, Timing
from stretchcoach.commands.fit import cue_fit
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.loader import load_file
from stretchcoach.settings import Settings
from stretchcoach.voice.cache import Clip, SpeechCache, VoiceSetting, wav_seconds
from stretchcoach.voice.planner import VoicePlanner
from stretchcoach.voice.synth import Synthesizer
from stretchcoach.voice.times import cue_texts, estimate, synthesized_times
from stretchcoach.voice.voices import NATURAL, VoiceInfo, VoiceList

TIMEOUT = 60.0


def _steps(inhale_cue: str, exhale_cue: str = "Out.") -> list[ConcreteStep]:
    return routine_steps(inhale_cue, exhale_cue)[:2]


class Recorder:
    """Collects what the planner reports, for the test thread to wait on."""

    def __init__(self) -> None:
        self.ready: queue.Queue[tuple[str, Clip]] = queue.Queue()
        self.notices: queue.Queue[str | None] = queue.Queue()

    def next_ready(self) -> tuple[str, Clip]:
        return self.ready.get(timeout=TIMEOUT)

    def next_notice(self) -> str | None:
        return self.notices.get(timeout=TIMEOUT)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def _planner(
    recorder: Recorder, settings: Settings, synth: Synthesizer | None = None
) -> VoicePlanner:
    return VoicePlanner(
        settings.voice_setting,
        synth or Synthesizer(),
        muted=settings.mute,
        on_ready=lambda text, clip: recorder.ready.put((text, clip)),
        on_notice=recorder.notices.put,
    )


@pytest.fixture
def planner(recorder: Recorder) -> Iterator[VoicePlanner]:
    p = _planner(recorder, Settings())
    yield p
    p.close()


def test_cue_texts_are_in_first_spoken_order_without_repeats() -> None:
    texts = cue_texts(_steps("Breathe in, left knee.", "Out."), Timing())
    assert texts == [
        "Get ready.",
        "Lie on your back.",
        "Breathe in, left knee.",
        "Out.",
        "Now the right side. Lie on your back.",
        "Breathe in, right knee.",
        "Ready.",
        "Skipping this stretch.",
        STOPPED_CUE,
    ]


def test_cue_texts_are_what_the_timeline_says_at_this_timing() -> None:
    steps = _steps("Breathe in, left knee.", "Out.")
    welcome = cue_texts(steps, Timing(welcome="Press space to pause."))
    assert welcome[0] == "Press space to pause. Get ready."
    without_get_ready = cue_texts(steps, Timing(get_ready=0, welcome="Press space to pause."))
    assert without_get_ready[0] == "Press space to pause. Lie on your back."
    words = cue_texts(steps, Timing(breath_words=True))
    assert {"Breathe in.", "Breathe out."} <= set(words) - set(cue_texts(steps, Timing()))


def test_prefetched_cues_become_clips_with_their_real_length(
    planner: VoicePlanner, recorder: Recorder
) -> None:
    texts = ["Breathe in.", "Breathe out, and let the knees fall to the left."]
    assert planner.duration(texts[1]) == estimate(texts[1], 150)
    planner.prefetch(texts)
    got = dict(recorder.next_ready() for _ in texts)
    assert set(got) == set(texts)
    for text, clip in got.items():
        assert planner.clip(text) == clip
        assert planner.duration(text) == clip.seconds == wav_seconds(clip.path)
    assert got[texts[1]].seconds > 2 * got[texts[0]].seconds


def test_a_cue_needed_now_jumps_the_queue(planner: VoicePlanner, recorder: Recorder) -> None:
    texts = [f"Prefetched cue number {n}." for n in range(30)]
    planner.prefetch(texts)
    planner.want(texts[-1])
    order = [recorder.next_ready()[0] for _ in texts]
    assert order.index(texts[-1]) <= 1  # at most the cue already being synthesized is first


def test_the_planner_is_busy_until_its_last_job_is_done() -> None:
    idle = threading.Event()
    planner = VoicePlanner(Settings().voice_setting, Synthesizer(), on_idle=idle.set)
    try:
        assert not planner.busy
        planner.prefetch(["Rest.", "Breathe in."])
        assert planner.busy
        assert idle.wait(TIMEOUT)
        assert not planner.busy
    finally:
        planner.close()


def test_a_cue_wanted_again_before_it_is_made_is_made_once(tmp_path: Path) -> None:
    """On a busy machine a slow engine falls behind the phases wanting cues; each is
    queued once, or a small cache evicts a copy's clip before the next copy comes up."""
    entered, gate, idle = threading.Event(), threading.Event(), threading.Event()
    made: list[str] = []

    class Held(Synthesizer):
        def clip(self, text: str, setting: VoiceSetting, *, fall_back: bool = True) -> Clip:
            if text == "Hold on.":
                entered.set()
                gate.wait(TIMEOUT)
            made.append(text)
            return super().clip(text, setting, fall_back=fall_back)

    planner = VoicePlanner(
        VoiceSetting(), Held(SpeechCache(tmp_path, max_bytes=1)), on_idle=idle.set
    )
    try:
        planner.want("Hold on.")
        assert entered.wait(TIMEOUT)
        for text in ("Rest.", "Breathe in.", "Rest."):
            planner.want(text)
        planner.prefetch(["Breathe in.", "Breathe out.", "Breathe out."])
        gate.set()
        assert idle.wait(TIMEOUT)
        assert made == ["Hold on.", "Rest.", "Breathe in.", "Breathe out."]
    finally:
        planner.close()


def test_muted_cues_take_no_time_and_estimates_stand_in_until_synthesized(
    planner: VoicePlanner, recorder: Recorder
) -> None:
    planner.prefetch(["Rest."])
    recorder.next_ready()
    planner.configure(VoiceSetting(), muted=True)
    assert planner.duration("Rest.") == 0.0
    planner.configure(VoiceSetting(rate=220), muted=False)
    assert planner.clip("Rest.") is None  # another rate: the old clip does not apply
    assert planner.duration("Rest.") == estimate("Rest.", 220)
    planner.want("Rest.")
    text, clip = recorder.next_ready()
    assert text == "Rest." and planner.duration("Rest.") == clip.seconds


def test_a_clip_the_cache_evicted_under_another_setting_is_not_handed_out(
    planner: VoicePlanner, recorder: Recorder
) -> None:
    planner.want("Rest.")
    _, first = recorder.next_ready()
    planner.configure(VoiceSetting(rate=220), muted=False)  # meanwhile, others fill the cache ...
    first.path.unlink()  # ... and its size bound evicts this one
    planner.configure(VoiceSetting(), muted=False)
    assert planner.clip("Rest.") is None  # not a path to a file that has gone
    planner.want("Rest.")
    text, again = recorder.next_ready()
    assert text == "Rest." and again.path.exists()


def test_voices_are_listed_in_the_background_natural_first(recorder: Recorder) -> None:
    listed: queue.Queue[VoiceList] = queue.Queue()
    planner = VoicePlanner(VoiceSetting(), on_voices=listed.put)
    try:
        planner.list_voices()
        voices = listed.get(timeout=TIMEOUT)
    finally:
        planner.close()
    assert voices.voices[0] == VoiceInfo(NATURAL, "piper", "en-us", "Joe (medium)")
    assert voices.default == NATURAL
    assert len([v for v in voices.voices if v.engine == "espeak-ng"]) > 10
    assert voices.problems == ()
    # issue 14: eSpeak NG's English voices next, by name, then its other languages by name
    system = [v for v in voices.voices if v.engine == "espeak-ng"]
    english = [v for v in system if v.language.startswith("en")]
    assert len(english) >= 3 and system[: len(english)] == english
    for group in (english, system[len(english) :]):
        names = [v.name.casefold() for v in group]
        assert names == sorted(names)
    assert english[0].name == "English (America)"


def test_an_engine_that_fails_gives_a_notice_and_clears_it_when_speaking_again(
    tmp_path: Path, recorder: Recorder
) -> None:
    counter = tmp_path / "count"
    command = fake_worker(
        tmp_path,
        READY + "import pathlib, wave\n"
        f"c = pathlib.Path({str(counter)!r})\n"
        "for r in requests:\n"
        "    n = len(c.read_text()) if c.exists() else 0\n"
        "    c.write_text('x' * (n + 1))\n"
        "    if n == 0:\n"
        "        reply({'ok': False, 'message': 'no audio out of the engine'}); continue\n"
        "    with wave.open(r['path'], 'wb') as w:\n"
        "        w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)\n"
        "        w.writeframes(b'\\x10\\x00' * 22050)\n"
        "    reply({'ok': True, 'seconds': 1.0})\n",
    )
    synth = Synthesizer(SpeechCache(tmp_path / "speech"), command)
    planner = _planner(recorder, Settings(), synth)
    try:
        planner.want("First.")
        assert "no audio out of the engine" in (recorder.next_notice() or "")
        assert planner.clip("First.") is None
        assert planner.duration("First.") == estimate("First.", 150)  # the session goes on
        planner.want("Second.")
        assert recorder.next_ready()[0] == "Second."
        assert recorder.next_notice() is None
    finally:
        planner.close()


def test_a_missing_engine_leaves_estimates_and_one_warning(tmp_path: Path) -> None:
    command = fake_worker(
        tmp_path,
        "reply({'ready': False, 'error': 'no-engine', "
        "'message': 'Install it: sudo apt-get install libespeak-ng1'})\n",
    )
    warnings: list[str] = []
    synth = Synthesizer(SpeechCache(tmp_path / "speech"), command)
    times = synthesized_times(["One.", "Two words."], VoiceSetting(), False, synth, warnings.append)
    synth.close()
    assert len(warnings) == 1 and "apt-get install libespeak-ng1" in warnings[0]
    assert times.duration("Two words.") == estimate("Two words.", 150)


def test_synthesized_times_are_the_wav_lengths() -> None:
    texts = ["In.", "Let both knees fall slowly over to the left, keeping the shoulders down."]
    times = synthesized_times(texts, VoiceSetting(rate=150))
    short, long = (times.duration(t) for t in texts)
    assert 0.2 < short < 1.5
    assert 3.0 < long < 8.0
    assert abs(long - estimate(texts[1], 150)) < 0.4 * long  # the fallback is close
    assert synthesized_times(texts, VoiceSetting(), muted=True).duration(texts[1]) == 0.0


def test_validate_warns_at_the_place_of_a_cue_that_does_not_fit(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "knee.svg").write_text("<svg/>")
    path = tmp_path / "mine.yaml"
    path.write_text(
        "id: mine\ntitle: Mine\nsummary: Mine.\nsteps:\n"
        "  - id: rock\n    title: Rock\n    instruction: Rock.\n    intro: Lie down.\n"
        "    illustration: knee.svg\n    breaths:\n      cycles: 2\n      cues:\n"
        "        - on: 1\n          exhale: Breathe out.\n"
        "          inhale: Breathe in slowly and let both of your knees roll all the way "
        "over to the left side.\n",
        encoding="utf-8",
    )
    source = load_file(path, assets=tmp_path / "assets")
    problems = list(cue_fit(source))
    assert len(problems) == 1
    text = str(problems[0])
    assert text.startswith(f"{path}:15: warning: steps[0].breaths.cues[0].inhale: the cue")
    assert "lasts 4.0 s at the default pace" in text and problems[0].severity == "warning"
