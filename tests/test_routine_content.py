"""The bundled routines are the product: they validate, they are faithful to the seed text,
they fit their breath phases, and they use only the illustrations that are drawn."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stretchcoach import resources
from stretchcoach.cli import main
from stretchcoach.coach.ports import Pace
from stretchcoach.routine.catalog import Catalog, Entry, load_catalog
from stretchcoach.routine.checks import WARNINGS
from stretchcoach.routine.commands import schema_text
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.loader import load_file
from stretchcoach.routine.model import Include
from stretchcoach.routine.safety import SAFETY_NOTE
from stretchcoach.settings import Settings
from stretchcoach.voice.times import estimate, estimated_length

ROUTINES = resources.routines_dir()
FILES = sorted(ROUTINES.glob("*.yaml"))
STRETCHES = ["passive-back-arch", "easy-bridge", "hip-stretch", "piriformis-stretch"]
RATE = Settings().rate  # the default voice rate, words per minute
# The illustration contract shared with the illustrations (notes/illustrations.md).
DRAWN = {
    "blankets-fold", "blankets-stack", "arch-sit", "arch-lower", "arch-rest", "arch-heel-slide",
    "arch-roll-off", "supine-rest", "bridge-lift", "knee-hug", "piriformis",
}  # fmt: skip
ANIMATED = {"arch-lower", "arch-heel-slide", "bridge-lift", "knee-hug", "piriformis"}


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()  # per test: the user's folder is private to each test


def entry(catalog: Catalog, routine_id: str) -> Entry:
    found = catalog.get(routine_id)
    assert found is not None, routine_id
    return found


def test_every_bundled_routine_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", *map(str, FILES)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and out == [f"OK {path}" for path in FILES]  # and no warnings


def test_the_catalog_holds_the_bundled_routines_with_no_problem(catalog: Catalog) -> None:
    assert catalog.problems == []
    assert [e.id for e in catalog.entries] == [
        "lower-back-relief",
        "daily-minimum",
        *sorted(STRETCHES),
    ]
    assert catalog.default is not None and catalog.default.id == "lower-back-relief"


def test_lower_back_relief_includes_the_four_stretches_in_the_seeds_order(
    catalog: Catalog,
) -> None:
    routine = entry(catalog, "lower-back-relief").routine
    assert [s.include for s in routine.steps if isinstance(s, Include)] == STRETCHES
    assert len(routine.steps) == 4
    expected = [step.key for sid in STRETCHES for step in entry(catalog, sid).steps]
    assert [s.key for s in entry(catalog, "lower-back-relief").steps] == expected


def test_daily_minimum_takes_about_five_minutes(catalog: Catalog) -> None:
    seconds = estimated_length(entry(catalog, "daily-minimum").steps, Settings())
    assert 4.5 * 60 <= seconds <= 5.5 * 60


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
    for words in ("not medical advice", "pain sharpens", "down a leg", "within comfort"):
        assert words in note


def test_two_sided_stretches_are_done_on_both_sides(catalog: Catalog) -> None:
    for sid in ("hip-stretch", "piriformis-stretch"):
        sides = [s.side for s in entry(catalog, sid).steps if s.side]
        assert sides == ["left", "right"], sid
    heel = [s for s in entry(catalog, "passive-back-arch").steps if s.side]
    assert [s.side for s in heel] == ["left", "right"]
    assert "slide your right heel away" in heel[1].cycles[0].exhale.say.lower()  # type: ignore[union-attr]


def _spoken(step: ConcreteStep) -> list[tuple[str, str, float]]:
    """Each cue with its phase's length at the default pace."""
    pace = Pace()
    out = []
    for cycle in step.cycles:
        phases = [("inhale", cycle.inhale, pace.inhale), ("exhale", cycle.exhale, pace.exhale)]
        for phase, cue, seconds in phases:
            if cue.say:
                out.append((phase, cue.say, seconds * step.pace))
    return out


def test_spoken_cues_fit_their_breath_phase_and_speak_calmly(catalog: Catalog) -> None:
    for e in catalog.entries:
        for step in e.steps:
            for phase, say, seconds in _spoken(step):
                assert estimate(say, RATE) <= seconds, (step.key, say)
                assert say[0].isupper() and say.endswith("."), say
                if phase == "inhale" and "breathe" in say.lower():
                    assert say.startswith("Breathe in"), say
                if phase == "exhale" and "breathe" in say.lower():
                    assert say.startswith("Breathe out"), say
            assert estimate(step.intro, RATE) <= estimate(" ".join(["word"] * 40), RATE), step.key


def test_no_bundled_routine_draws_a_warning() -> None:
    for path in FILES:
        source = load_file(path)
        assert [str(p) for check in WARNINGS for p in check(source)] == []


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


def test_the_documented_example_is_a_valid_routine(catalog: Catalog, tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "routines.md").read_text()
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "evening-unwind.yaml"
    path.write_text(example, encoding="utf-8")
    found = catalog.find(str(path))
    assert [s.key for s in found.steps][:4] == [
        "get-down",
        "settle",
        "my-knee-hug",
        "my-knee-hug-right",
    ]
    assert found.steps[-1].key == "rest-and-rise"
