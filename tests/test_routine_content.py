"""The bundled routines are the product: they validate, they are faithful to the seed text,
they fit their breath phases, they use only the illustrations that are drawn, and, heard
with eyes closed, they are complete guidance.

The person lies on a mat two metres from the screen with eyes closed, so most tests here
read what the voice says: the expanded steps' intros and cues, or the lines of
``stretchcoach plan``, which runs the real session on simulated time.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from voice_helpers import link_speech

from stretchcoach import resources
from stretchcoach.cli import main
from stretchcoach.coach.plan import simulate
from stretchcoach.coach.ports import Pace, PhaseStarted
from stretchcoach.coach.timeline import Timing
from stretchcoach.commands.plan import print_plan
from stretchcoach.commands.routines import schema_text
from stretchcoach.routine.catalog import Catalog, Entry, load_catalog
from stretchcoach.routine.checks import WARNINGS, breath_hold_reason
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.loader import load_file, steps_with_loc
from stretchcoach.routine.model import Include
from stretchcoach.routine.safety import SAFETY_NOTE
from stretchcoach.settings import Settings, routine_seconds
from stretchcoach.voice.times import ClipTimes, estimate

ROUTINES = resources.routines_dir()
FILES = sorted(ROUTINES.glob("*.yaml"))
STRETCHES = ["passive-back-arch", "easy-bridge", "hip-stretch", "piriformis-stretch"]
BUNDLED = [
    "lower-back-relief",
    "daily-minimum",
    "easy-bridge",
    "hip-stretch",
    "lower-back-gentle",
    "passive-back-arch",
    "piriformis-stretch",
    "warm-up",
]
RATE = Settings().rate  # the default voice rate, words per minute
# The illustration contract shared with the illustrations (notes/illustrations.md).
DRAWN = {
    "blankets-fold", "blankets-stack", "arch-sit", "arch-lower", "arch-rest", "arch-heel-slide",
    "arch-roll-off", "supine-rest", "bridge-lift", "knee-hug", "piriformis",
}  # fmt: skip
ANIMATED = {"arch-lower", "arch-heel-slide", "bridge-lift", "knee-hug", "piriformis"}
ARCH = {"arch-sit", "arch-lower", "arch-rest", "arch-heel-slide"}
LYING = {"supine-rest", "bridge-lift", "knee-hug", "piriformis"}  # lying on the floor


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()  # per test: the user's folder is private to each test


def entry(catalog: Catalog, routine_id: str) -> Entry:
    found = catalog.get(routine_id)
    assert found is not None, routine_id
    return found


def said(step: ConcreteStep) -> list[str]:
    """Everything the voice says on ``step``, in order: the intro, then each cue."""
    cues = [p.say for c in step.cycles for p in (c.inhale, c.exhale, c.hold) if p and p.say]
    return [step.intro, *cues]


def heard(steps: list[ConcreteStep]) -> str:
    """All the words of ``steps``, lowercased, as one text to search."""
    return re.sub(r"\s+", " ", " ".join(t for s in steps for t in said(s))).lower()


@dataclass(frozen=True)
class PlanLine:
    seconds: float
    step: int  # 1-based, as printed
    phase: str  # "intro", "inhale 2/8", ...
    cue: str


_PLAN_LINE = re.compile(
    r"^\s*(\d+):(\d\d\.\d)  (\d+)/\d+ .*?  "
    r"(get-ready|intro|wait|ready|(?:inhale|exhale|hold) \d+/\d+)\s*(.*)$"
)


def parse_plan(text: str) -> list[PlanLine]:
    lines = []
    rows = text.splitlines()
    assert rows[-2].strip().startswith("if stopped early: ")  # then the total
    for row in rows[:-2]:
        found = _PLAN_LINE.match(row)
        assert found, row
        minutes, seconds, step, phase, cue = found.groups()
        lines.append(PlanLine(60 * int(minutes) + float(seconds), int(step), phase, cue))
    return lines


@pytest.fixture(scope="module")
def plans(
    tmp_path_factory: pytest.TempPathFactory, bundled_speech: Path
) -> dict[str, list[PlanLine]]:
    """``stretchcoach plan ID`` of every bundled routine at the default settings, once for
    the module, with every cue said by the default voice (``bundled_speech``)."""
    home = tmp_path_factory.mktemp("plans")
    link_speech(bundled_speech, home / "xdg_cache_home")
    out: dict[str, list[PlanLine]] = {}
    with pytest.MonkeyPatch.context() as patch:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            patch.setenv(var, str(home / var.lower()))
        for rid in [e.id for e in load_catalog().entries]:
            text, err = io.StringIO(), io.StringIO()
            assert print_plan(rid, None, None, 20.0, text, err=err) == 0, err.getvalue()
            out[rid] = parse_plan(text.getvalue())
    return out


def phases(steps: list[ConcreteStep], pace: Pace | None = None) -> list[PhaseStarted]:
    """The phases the engine runs, speech lengths estimated from the words."""
    settings = Settings()
    timing = Timing(settings.get_ready, None, None)
    found, _ = simulate(steps, pace or settings.pace, timing, ClipTimes({}, settings.rate))
    return found


# --- the files ------------------------------------------------------------------------------


@pytest.mark.usefixtures("warm_speech")
def test_every_bundled_routine_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", *map(str, FILES)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and out == [f"OK {path}" for path in FILES]  # and no warnings


def test_no_bundled_routine_draws_a_warning() -> None:
    for path in FILES:
        source = load_file(path)
        assert [str(p) for check in WARNINGS for p in check(source)] == []


def test_the_catalog_holds_the_bundled_routines_with_no_problem(catalog: Catalog) -> None:
    assert catalog.problems == []
    assert [e.id for e in catalog.entries] == BUNDLED
    assert catalog.default is not None and catalog.default.id == "lower-back-relief"


def test_every_file_points_editors_at_the_schema() -> None:
    for path in FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=routine.schema.json", path


def test_the_schema_file_is_the_generated_schema() -> None:
    written = (ROUTINES / "routine.schema.json").read_text(encoding="utf-8")
    assert written == schema_text(), (
        "regenerate: stretchcoach schema > routines/routine.schema.json"
    )


def test_only_drawn_illustrations_are_used_and_moves_only_where_they_animate(
    catalog: Catalog,
) -> None:
    for e in catalog.entries:
        for step in e.steps:
            name = re.fullmatch(r"illustrations/([a-z-]+)\.svg", step.illustration)
            assert name and name.group(1) in DRAWN, step.illustration
            moves = {c.move for cycle in step.cycles for c in (cycle.inhale, cycle.exhale)}
            assert moves <= {None} or name.group(1) in ANIMATED, step.key


def test_every_routine_has_safety_notes_and_the_first_run_note_says_the_essentials(
    catalog: Catalog,
) -> None:
    assert all(e.routine.safety for e in catalog.entries)
    note = SAFETY_NOTE.lower()
    for words in (
        "not medical advice", "pain sharpens", "down a leg", "within comfort",
        "over weeks of daily practice", "keyboard within reach", "space pauses at any time",
    ):  # fmt: skip
        assert words in note


# --- what the routines hold -------------------------------------------------------------------


def test_lower_back_relief_includes_the_four_stretches_in_the_seeds_order(
    catalog: Catalog,
) -> None:
    """Each stretch as written in its own file, less the getting down and up it says only
    when run by itself; the default routine says those once, for the whole session."""
    routine = entry(catalog, "lower-back-relief").routine
    assert [s.include for s in routine.steps if isinstance(s, Include)] == STRETCHES
    solo = {
        sid: {step.id for _, step in steps_with_loc(entry(catalog, sid).routine) if step.solo}
        for sid in STRETCHES
    }
    expected = [
        step.key
        for sid in STRETCHES
        for step in entry(catalog, sid).steps
        if step.key not in solo[sid]
    ]
    keys = [s.key for s in entry(catalog, "lower-back-relief").steps]
    assert keys == [*expected, "rest-and-rise"]


def test_the_default_routine_warms_up_before_the_back_arch(catalog: Catalog) -> None:
    keys = [s.key for s in entry(catalog, "lower-back-relief").steps]
    warm_up = entry(catalog, "lower-back-relief").steps[keys.index("seated-tilts")]
    assert keys.index("seated-tilts") < keys.index("lower-onto-blankets")
    assert "warm-up" in warm_up.intro.lower() and len(warm_up.cycles) >= 4
    assert all(c.exhale.say for c in warm_up.cycles[:2])  # the movement is taught aloud


def test_there_is_a_gentler_routine_without_the_back_arch(catalog: Catalog) -> None:
    """For people told to avoid back bends, and the link the journal will offer."""
    default = entry(catalog, "lower-back-relief")
    assert default.routine.gentler == "lower-back-gentle"
    gentle = entry(catalog, "lower-back-gentle")
    assert gentle.level == "gentle" and default.level == "moderate"
    pictures = {Path(s.illustration).stem for s in gentle.steps}
    assert not pictures & ARCH and "warm-up" in {s.stretch for s in gentle.steps}
    assert "back bend" in gentle.title.lower()
    assert entry(catalog, "passive-back-arch").routine.gentler == "lower-back-gentle"


def test_the_seeds_stretch_is_a_short_daily_routine_of_its_own(catalog: Catalog) -> None:
    arch = entry(catalog, "passive-back-arch")
    assert "daily" in arch.summary
    assert 5 * 60 <= routine_seconds(arch.steps, Settings()) <= 9 * 60


def test_routine_lengths_at_the_default_pace(catalog: Catalog) -> None:
    """As the picker shows them: the engine's planner, manual steps at their estimates."""
    minutes = {e.id: routine_seconds(e.steps, Settings()) / 60 for e in catalog.entries}
    assert 12 <= minutes["lower-back-relief"] <= 18
    assert 4.5 <= minutes["daily-minimum"] <= 5.5
    assert 10 <= minutes["lower-back-gentle"] <= 18
    assert all(3 <= m <= 18 for m in minutes.values()), minutes


def _holds(steps: list[ConcreteStep]) -> list[tuple[str, float]]:
    """Each time the picture reaches its end pose and stays: (step, seconds stayed), from
    the end of the breath that moved there to the start of the breath that moves back."""
    out = []
    reached: float | None = None
    found = phases(steps)
    for i, phase in enumerate(found):
        if phase.move == "end":
            reached = found[i + 1].start if i + 1 < len(found) else None
        elif phase.move == "start" and reached is not None:
            out.append((steps[phase.step_index].key, phase.start - reached))
            reached = None
    return out


@pytest.mark.parametrize("routine_id", ["lower-back-relief", "lower-back-gentle"])
def test_knee_hugs_and_piriformis_are_held_twice_per_side_as_home_programmes_dose_them(
    catalog: Catalog, routine_id: str
) -> None:
    holds = _holds(entry(catalog, routine_id).steps)
    for key in ("knee-hug", "knee-hug-right", "piriformis", "piriformis-right"):
        seconds = [s for k, s in holds if k == key]
        assert len(seconds) == 2, (key, holds)
        assert all(20 <= s <= 30 for s in seconds), (key, seconds)


def test_the_daily_minimum_holds_each_stretch_once_per_side(catalog: Catalog) -> None:
    holds = _holds(entry(catalog, "daily-minimum").steps)
    assert [k for k, _ in holds] == ["knee-hug", "knee-hug-right", "piriformis", "piriformis-right"]
    assert all(20 <= s <= 30 for _, s in holds), holds


def test_the_bridge_is_eight_to_ten_slow_lifts(catalog: Catalog) -> None:
    lift = next(s for s in entry(catalog, "easy-bridge").steps if s.key == "bridge-lift")
    lifts = [c for c in lift.cycles if c.exhale.move == "end"]
    assert 8 <= len(lifts) <= 10
    assert all(c.inhale.move is None for c in lift.cycles)  # moved on breaths out only
    count = {8: "eight", 9: "nine", 10: "ten"}[len(lifts)]
    assert f"{count} slow lifts" in lift.intro and f"{count} lifts" in lift.instruction.lower()


def test_the_default_routines_description_says_stretching_helps_over_weeks(
    catalog: Catalog,
) -> None:
    summary = entry(catalog, "lower-back-relief").summary.lower()
    assert "weeks of daily practice" in summary and "not all at once" in summary


# --- heard with eyes closed ------------------------------------------------------------------


BREATHE = {"inhale": "Breathe in", "exhale": "Breathe out"}


def test_spoken_cues_fit_their_breath_phase_and_speak_calmly(catalog: Catalog) -> None:
    pace = Pace()
    for e in catalog.entries:
        for step in e.steps:
            for cycle in step.cycles:
                for kind, cue, seconds in (
                    ("inhale", cycle.inhale, pace.inhale),
                    ("exhale", cycle.exhale, pace.exhale),
                ):
                    if not cue.say:
                        continue
                    assert estimate(cue.say, RATE) <= seconds * step.pace, (step.key, cue.say)
                    assert cue.say[0].isupper() and cue.say.endswith("."), cue.say
                    if "breathe" in cue.say.lower():
                        assert cue.say.startswith(BREATHE[kind]), cue.say


def test_what_is_said_before_the_breathing_starts_stays_short() -> None:
    """An intro is said while the person waits; a caution is one sentence or two; the
    opening, before the first step, says only what the session is and how to pause."""

    def words(text: str) -> int:
        return len(text.split())

    for path in FILES:
        routine = load_file(path).routine
        assert routine.opening is None or words(routine.opening) <= 25, path
        for _, step in steps_with_loc(routine):
            assert words(step.intro) <= 40, step.id
            assert step.caution is None or words(step.caution) <= 20, step.id


def test_no_spoken_word_can_be_heard_as_a_breath_hold(catalog: Catalog) -> None:
    """Not even "Breathe in, and hold behind your thigh": the listener stops breathing at
    "hold". The bundled routines never say "hold" at all, but in "never hold your breath"."""
    for e in catalog.entries:
        for step in e.steps:
            for i, text in enumerate(said(step)):
                assert breath_hold_reason(text, during_breath=i > 0) is None, (step.key, text)
                for match in re.finditer(r"\bhold\w*", text, re.IGNORECASE):
                    assert text[: match.start()].lower().endswith("never "), text


def test_bare_breathe_in_and_out_only_where_a_step_begins(catalog: Catalog) -> None:
    """A plain "Breathe in." on every breath is filler: the chime (or the breath-cue
    setting) paces rest breaths. Words stay for the first breath of a step."""
    for e in catalog.entries:
        for step in e.steps:
            for n, cycle in enumerate(step.cycles, start=1):
                for phase in (cycle.inhale, cycle.exhale):
                    if phase.say in ("Breathe in.", "Breathe out."):
                        assert n == 1, (step.key, n, phase.say)


def _stretches(steps: list[ConcreteStep]) -> Iterator[list[ConcreteStep]]:
    """The steps of each stretch, grouped as 'skip this stretch' groups them."""
    group: list[ConcreteStep] = []
    for step in steps:
        if group and step.stretch != group[0].stretch:
            yield group
            group = []
        group.append(step)
    if group:
        yield group


# The one essential caution of each stretch, said before it starts.
ESSENTIAL = {
    "seated-tilts": "keep the movement small and easy",
    "lower-onto-blankets": "if your lower back pinches, roll onto your side",
    "pelvic-tilts": "keep the movement small and easy",
    "knee-rocks": "only a small sway",
    "bridge-lift": "if your back complains, stay lower",
    "knee-hug": "if that is already a stretch, stay there",
    "piriformis": "if that is already a stretch, stay there",
}


def test_each_stretch_says_its_essential_caution_once_before_it_starts(
    catalog: Catalog,
) -> None:
    for e in catalog.entries:
        for stretch in _stretches(e.steps):
            moving = [s for s in stretch if any(c.exhale.move == "end" for c in s.cycles)]
            cautioned = [s for s in stretch if s.caution]
            if moving:  # every stretch that moves has a caution, said before the first move
                assert cautioned, (e.id, stretch[0].stretch)
                assert stretch.index(cautioned[0]) <= stretch.index(moving[0])
            for step in cautioned:
                assert step.caution is not None
                said_here = step.caution in step.intro
                assert said_here == (step.side != "right"), (e.id, step.key)  # once only
                key = step.key.removesuffix("-right")
                if key in ESSENTIAL:
                    assert ESSENTIAL[key] in step.caution.lower(), step.key
    keys = {s.key for e in catalog.entries for s in e.steps if s.caution}
    assert set(ESSENTIAL) <= keys


def test_the_opt_outs_are_in_the_spoken_words_not_only_on_screen(catalog: Catalog) -> None:
    by_key = {s.key: s for e in catalog.entries for s in e.steps}
    expect = {
        "arch-heel-slide": ["only as far as is comfortable"],
        "knee-hug": ["if that is already a stretch, stay there", "only if it wants to"],
        "bridge-lift": ["not arched", "stay lower if your back complains"],
        "piriformis": ["if that is already a stretch, stay there", "for more", "towel"],
    }
    for key, phrases in expect.items():
        text = heard([by_key[key]])
        for phrase in phrases:
            assert phrase in text, (key, phrase)
    slide = by_key["arch-heel-slide"].cycles[0].exhale.say or ""
    assert "only as far as is comfortable" in slide  # on the very breath that moves


def test_the_easy_bridge_intro_says_what_each_breath_does(catalog: Catalog) -> None:
    intro = next(s for s in entry(catalog, "easy-bridge").steps if s.key == "bridge-lift").intro
    text = intro.lower()
    assert "on a breath out, lift your hips about a hand's width" in text
    assert "stay up while you breathe in" in text and "next breath out, lower" in text
    assert "a little" not in text and "on each breath out" not in text


def test_the_back_arch_starts_thin_offers_a_towel_and_says_who_asks_first(
    catalog: Catalog,
) -> None:
    arch = entry(catalog, "passive-back-arch")
    spoken = heard(arch.steps)
    assert "start thin" in spoken and "towel for your head" in spoken
    assert "add height on another day, only if you want more stretch" in spoken
    shown = re.sub(r"\s+", " ", " ".join(s.instruction for s in arch.steps[:2]))
    assert "add height on another day, only if you want more stretch" in shown
    for rid in ("passive-back-arch", "lower-back-relief"):
        notes = " ".join(entry(catalog, rid).routine.safety).lower()
        for condition in ("spondylolisthesis", "disc problem", "first trimester", "stenosis"):
            assert condition in notes, (rid, condition)


def test_the_piriformis_set_up_is_said_in_full_with_few_left_and_right_words(
    catalog: Catalog,
) -> None:
    for rid in ("piriformis-stretch", "daily-minimum"):
        step = next(s for s in entry(catalog, rid).steps if s.key == "piriformis")
        text = heard([step])
        for phrase in ("just above the knee", "flex that foot", "towel", "head resting down"):
            assert phrase in text, (rid, phrase)
        for cue in said(step)[1:]:
            assert len(re.findall(r"\b(left|right)\b", cue, re.IGNORECASE)) == 0, cue
        assert "crossed knee" in text and "the thigh your ankle rests on" in text


# --- the start and the end of a session -------------------------------------------------------


def test_a_routine_gets_the_person_down_before_its_first_floor_stretch(
    catalog: Catalog,
) -> None:
    for e in catalog.entries:
        pictures = [Path(s.illustration).stem for s in e.steps]
        first = next(i for i, p in enumerate(pictures) if p in LYING | ARCH)
        before = heard(e.steps[: first + 1])
        if pictures[first] in ARCH:  # the seed's own way down: sit, then lower on the arms
            assert "sit down on one end of the blankets, slowly" in before, e.id
            assert "taking your weight on your hands" in before, e.id
        else:
            assert e.steps[0].is_manual, e.id  # it waits until the person is down
            for words in ("get down onto the floor slowly", "kneel", "roll onto your back"):
                assert words in before, (e.id, words)


def test_every_session_says_how_to_pause_within_its_first_minute(
    plans: dict[str, list[PlanLine]],
) -> None:
    """Read from ``stretchcoach plan``: whether the routine or, one day, the engine says
    it, the person must hear it before a minute has gone by."""
    for rid, lines in plans.items():
        early = " ".join(line.cue for line in lines if line.seconds < 60).lower()
        assert "press space" in early and "to pause" in early, rid


def test_every_session_ends_with_the_way_up_and_says_it_has_ended(
    plans: dict[str, list[PlanLine]],
) -> None:
    """No routine ends with the person lying in silence: the last words say how to get up
    (by the side, pushing up with the arms), and that the session is over."""
    for rid, lines in plans.items():
        last_step = [line for line in lines if line.step == lines[-1].step]
        words = " ".join(line.cue for line in last_step).lower()
        assert "push yourself up to sitting with your arms" in words, rid
        assert "side" in words, rid
        assert lines[-1].cue, rid  # the very last breath has words
        assert "that is the end of this session" in lines[-1].cue.lower(), rid
        spoken = [line for line in lines if line.cue and line.phase != "wait"]
        assert spoken[-1] is lines[-1], rid


def test_no_routine_says_its_getting_down_or_up_in_the_middle(catalog: Catalog) -> None:
    """Included stretches leave their own way down and up to the routine that includes
    them: one way down, at the start, and one end, at the end."""
    for e in catalog.entries:
        text = heard(e.steps)
        assert text.count("that is the end of this session") == 1, e.id
        assert text.count("get down onto the floor") <= 1, e.id
        assert text.count("press space at any time to pause") <= 1, e.id  # or the engine's


# --- the seed ---------------------------------------------------------------------------------


def _arch_text(catalog: Catalog) -> str:
    steps = entry(catalog, "passive-back-arch").steps
    parts = [f"{s.title} {s.instruction} {s.intro}" for s in steps]
    parts += [c.say or "" for s in steps for cy in s.cycles for c in (cy.inhale, cy.exhale)]
    return re.sub(r"\s+", " ", " ".join(parts)).lower()


@pytest.mark.parametrize(
    "seed",
    [
        "two firm blankets",
        "big and comfortable enough to bring your middle back, lower back, buttocks and legs",
        "fold each blanket in half lengthwise",
        "fanfold it neatly",
        "four to eight inches thick",
        "ten to twelve inches wide",
        "one folded blanket crosswise on top of the other",
        "sit on one end of the stacked blankets, your knees bent and your feet flat on the floor",
        "use your arms for support as you lower your torso down to lie on the stacked blankets",
        "your bottom rests on the edge of the blankets",
        "your torso and buttocks are on the blankets, and your arms, shoulders, neck and head "
        "are on the ground",
        "the back of your head, your shoulders, the backs of your arms and the soles of your feet "
        "are on the ground",
        "your knees are bent, and your legs and buttocks are off the ground",
        "on an exhalation, slide your left heel away from you until your leg is fully straight",
        "with the heel and calf resting on the floor",
        "pay attention to how your lower back feels as you slide your leg",
        "inhale, and on the next exhalation bend your left leg back into its original position",
        "knee bent, with the sole of your foot on the floor",
        "on an exhalation, slide your right heel away from you",
        "note if there were any differences in sensation between the two legs",
        "return to both knees bent, feet on the floor",
    ],
)
def test_the_passive_back_arch_leaves_nothing_of_the_seed_out(catalog: Catalog, seed: str) -> None:
    assert seed in _arch_text(catalog)


def test_the_seeds_breath_instructions_are_breath_phase_cues(catalog: Catalog) -> None:
    steps = {s.key: s for s in entry(catalog, "passive-back-arch").steps}
    for key, side in (("arch-heel-slide", "left"), ("arch-heel-slide-right", "right")):
        slide, back = steps[key].cycles
        assert slide.inhale.say == "Breathe in."
        assert slide.exhale.move == "end" and f"slide your {side} heel away" in str(
            slide.exhale.say
        )
        assert back.inhale.say is not None and back.inhale.say.startswith("Breathe in")
        assert back.exhale.move == "start" and f"bend your {side} knee back" in str(back.exhale.say)
    lower = steps["lower-onto-blankets"].cycles
    assert [c.exhale.move for c in lower] == [None, "end", None]
    assert all(c.inhale.move is None for s in steps.values() for c in s.cycles)


def test_nothing_said_contradicts_the_seed(catalog: Catalog) -> None:
    """The additions (thin pads, only as far as is comfortable) qualify the seed's
    instructions; none of them says otherwise: no pad outside four to eight inches, no
    movement on a breath in, no sitting straight up from the arch."""
    text = _arch_text(catalog)
    inches = [int(n) for n in re.findall(r"\b(\d+) inches", text)]
    words = {"four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10, "twelve": 12, "two": 2}
    inches += [words[w] for w in re.findall(r"\b(\w+) inches", text) if w in words]
    assert inches and all(4 <= n <= 12 for n in inches), inches
    assert "sit straight up" not in text.replace("never sit straight up", "")
    for step in entry(catalog, "passive-back-arch").steps:
        for cycle in step.cycles:
            moves = r"\b(slide|lower (your|the|yourself)|bend|roll)\b"
            assert not re.search(moves, cycle.inhale.say or "", re.IGNORECASE), cycle.inhale


def test_the_documented_example_is_a_valid_routine(catalog: Catalog, tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "routines.md").read_text()
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "evening-unwind.yaml"
    path.write_text(example, encoding="utf-8")
    assert [str(p) for check in WARNINGS for p in check(load_file(path))] == []
    found = catalog.find(str(path))
    keys = [s.key for s in found.steps]
    assert keys[:4] == ["get-down", "settle", "my-knee-hug", "my-knee-hug-right"]
    assert keys[-1] == "get-up" and "rest-and-rise" not in keys  # the include's own is solo
    assert found.steps[0].intro.startswith(found.routine.opening or "no opening")
