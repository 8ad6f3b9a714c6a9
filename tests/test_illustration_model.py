"""The pictures as data: every named picture exists, the files match the data, poses that
follow each other are the same pose, and the body stays plausible (no limb through the
floor, knees and elbows bending the way they can)."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET

import pytest

from stretchcoach import resources
from stretchcoach.illustration import ILLUSTRATIONS, blend, name_of
from stretchcoach.illustration.catalog import Track
from stretchcoach.illustration.draw import bounds, figure
from stretchcoach.illustration.export import svg_files
from stretchcoach.illustration.pose import SEGMENTS, Pose, _turn
from stretchcoach.illustration.poses import LONG_PAD, PAD_THICKNESS, PAD_WIDTH
from stretchcoach.illustration.primitives import Line, Primitive, Shape
from stretchcoach.illustration.style import OUTLINE_WIDTH
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.loader import load_file, steps_with_loc

# The contract shared with the routine authors: name -> animated.
CONTRACT = {
    "blankets-fold": False,
    "blankets-stack": False,
    "arch-sit": False,
    "arch-lower": True,
    "arch-rest": False,
    "arch-heel-slide": True,
    "arch-roll-off": False,
    "supine-rest": False,
    "bridge-lift": True,
    "knee-hug": True,
    "piriformis": True,
}

# Where one picture follows another in the routines, the poses must be one and the same.
FOLLOWS = [
    (("arch-sit", "start"), ("arch-lower", "start")),
    (("arch-lower", "end"), ("arch-rest", "start")),
    (("arch-rest", "start"), ("arch-heel-slide", "start")),
    (("supine-rest", "start"), ("bridge-lift", "start")),
    (("supine-rest", "start"), ("knee-hug", "start")),
]

# Consecutive steps where the person changes position between the pictures, as the
# later step's intro tells them to: these alone may start from a different pose.
REPOSITIONING = {
    ("arch-rest", "arch-roll-off"),
    ("arch-roll-off", "supine-rest"),
    ("knee-hug", "piriformis"),
    ("supine-rest", "piriformis"),
    ("piriformis", "supine-rest"),
}

ASSETS = resources.assets_dir()
FIGURES = [i for i in ILLUSTRATIONS.values() if i.start is not None]


def test_every_contract_picture_exists_with_its_animation() -> None:
    assert {n: i.animated for n, i in ILLUSTRATIONS.items()} == CONTRACT


def _routine_illustrations() -> set[str]:
    refs = set()
    for path in sorted(resources.routines_dir().glob("*.yaml")):
        routine = load_file(path).routine
        refs |= {step.illustration for _, step in steps_with_loc(routine)}
    return refs


def test_every_picture_a_bundled_routine_names_is_a_file_and_a_definition() -> None:
    refs = _routine_illustrations()
    assert refs, "the bundled routines should name pictures"
    for ref in refs:
        assert (ASSETS / ref).is_file(), ref
        assert name_of(ref) in ILLUSTRATIONS, ref


def test_committed_files_are_what_the_data_produces_now() -> None:
    stale = [
        rel
        for rel, text in svg_files().items()
        if not (ASSETS / rel).is_file() or (ASSETS / rel).read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: python scripts/make_illustrations.py"


def test_no_stray_picture_files() -> None:
    on_disk = {f"illustrations/{p.name}" for p in (ASSETS / "illustrations").glob("*.svg")}
    assert on_disk == {rel for rel in svg_files() if rel.startswith("illustrations/")}


@pytest.mark.parametrize("rel", sorted(svg_files()))
def test_svg_is_well_formed_with_a_title_and_viewbox(rel: str) -> None:
    root = ET.fromstring(svg_files()[rel])
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert len(root.get("viewBox", "").split()) == 4
    title = root.find(f"{ns}title")
    assert title is not None and title.text
    assert len(list(root)) > 5


@pytest.mark.parametrize(("earlier", "later"), FOLLOWS, ids="-".join)
def test_poses_that_follow_each_other_are_equal(
    earlier: tuple[str, str], later: tuple[str, str]
) -> None:
    a = ILLUSTRATIONS[earlier[0]].pose(earlier[1])
    b = ILLUSTRATIONS[later[0]].pose(later[1])
    assert a == b
    assert ILLUSTRATIONS[earlier[0]].pads == ILLUSTRATIONS[later[0]].pads


def _ends_in(step: ConcreteStep) -> str:
    """The pose a step leaves its figure in: where its last move went, else the start."""
    moves = [
        phase.move
        for cycle in step.cycles
        for phase in (cycle.inhale, cycle.exhale, cycle.hold)
        if phase is not None and phase.move
    ]
    return moves[-1] if moves else "start"


def test_each_bundled_routine_picks_up_each_picture_where_the_last_one_left_off() -> None:
    checked = 0
    for entry in load_catalog().entries:
        if entry.source != "bundled":
            continue
        for a, b in itertools.pairwise(entry.steps):
            first, second = (
                ILLUSTRATIONS[name_of(a.illustration)],
                ILLUSTRATIONS[name_of(b.illustration)],
            )
            if first.start is None or second.start is None:
                continue
            if (first.name, second.name) in REPOSITIONING:
                continue
            where = f"{entry.id}: {a.key} -> {b.key}"
            assert first.pose(_ends_in(a)) == second.pose("start"), where
            assert first.pads == second.pads, where
            checked += 1
    assert checked >= 10


def _poses(illustration_name: str) -> list[Pose]:
    picture = ILLUSTRATIONS[illustration_name]
    found = [picture.pose("start")]
    if picture.end is not None:
        found += [blend(picture.pose("start"), picture.pose("end"), t / 8) for t in range(1, 9)]
    return found


@pytest.mark.parametrize("name", [i.name for i in FIGURES])
def test_nothing_passes_through_the_floor_at_any_point_of_the_move(name: str) -> None:
    for pose in _poses(name):
        _, _, _, lowest = bounds(figure(pose, frozenset(), frozenset()))
        # Screen y grows downward and the floor is y = 0. The outline may overlap the
        # floor line, and half an inch more allows for a body's soft flattening on it.
        assert lowest <= OUTLINE_WIDTH + 0.5, f"{name}: {lowest:.1f} in below the floor"


@pytest.mark.parametrize("name", [i.name for i in FIGURES])
def test_knees_and_elbows_bend_only_forward(name: str) -> None:
    """Checked where a limb lies in the picture's plane; a limb drawn shortened (turned
    toward or away from the viewer) or a body seen from the front is exempt."""
    for pose in _poses(name):
        if pose.frontal:
            continue
        for side in ("near", "far"):
            if f"{side}.thigh" not in pose.scale and f"{side}.shin" not in pose.scale:
                knee = _turn(pose.angles[f"{side}.thigh"] - pose.angles[f"{side}.shin"])
                assert -3 <= knee <= 160, f"{name}: {side} knee bent {knee:.0f} degrees"
            elbow = _turn(pose.angles[f"{side}.forearm"] - pose.angles[f"{side}.arm"])
            assert -3 <= elbow <= 160, f"{name}: {side} elbow bent {elbow:.0f} degrees"


def test_pads_are_real_size_relative_to_the_body() -> None:
    assert 4 <= PAD_THICKNESS <= 8
    assert 10 <= PAD_WIDTH <= 12
    rest = ILLUSTRATIONS["arch-rest"].pose("start").joints()
    # The head and shoulders rest on the floor beyond the pads, the hips on top of them.
    assert rest["head"][0] < LONG_PAD.x and rest["shoulder"][0] < LONG_PAD.x
    assert rest["hip"][1] > 2 * PAD_THICKNESS


def test_the_left_leg_moves_on_the_far_side_in_the_heel_slide() -> None:
    """With the head to the left and the face up, the left side is away from the viewer."""
    slide = ILLUSTRATIONS["arch-heel-slide"]
    start, end = slide.pose("start").joints(), slide.pose("end").joints()
    assert math.dist(start["near.heel"], end["near.heel"]) < 0.01
    assert end["far.heel"][0] - start["far.heel"][0] > 5
    assert abs(end["far.heel"][1] - start["far.heel"][1]) < 1.0  # it slides along the floor


def test_a_pose_names_every_segment_and_nothing_else() -> None:
    angles = dict.fromkeys(SEGMENTS, 0.0)
    Pose((0, 0), angles)
    with pytest.raises(ValueError, match="missing"):
        Pose((0, 0), {k: v for k, v in angles.items() if k != "neck"})
    with pytest.raises(ValueError, match="unknown"):
        Pose((0, 0), {**angles, "tail": 1.0})


def test_blend_ends_at_its_poses_and_turns_the_short_way() -> None:
    hug = ILLUSTRATIONS["knee-hug"]
    a, b = hug.pose("start"), hug.pose("end")
    for t, pose in ((0.0, a), (1.0, b)):
        got, want = blend(a, b, t).joints(), pose.joints()
        assert all(math.dist(got[k], want[k]) < 1e-6 for k in want)
    turned = blend(a.with_(pelvis=170.0), a.with_(pelvis=-170.0), 0.5)
    assert abs(_turn(turned.angles["pelvis"] - 180.0)) < 1e-9


def test_reference_names() -> None:
    assert name_of("illustrations/arch-rest.svg") == "arch-rest"
    assert name_of("arch-rest") == "arch-rest"


def test_the_frame_holds_every_pose_of_a_moving_picture() -> None:
    for picture in FIGURES:
        f = picture.frame
        for pose in _poses(picture.name):
            left, top, right, bottom = bounds(picture.content(pose))
            assert f.x <= left and right <= f.x + f.w, picture.name
            assert f.y <= top and bottom <= f.y + f.h, picture.name


def _arrow_points(items: list[Primitive]) -> list[tuple[float, float]]:
    """The shaft of the arrow (its outline line) and the points of its head; none at the
    end of the move, where there is no way left to go."""
    if not items:
        return []
    shaft, _fill, head = items
    assert isinstance(shaft, Line) and isinstance(head, Shape)
    return [*shaft.points, *head.points]


@pytest.mark.parametrize("name", sorted(n for n, p in ILLUSTRATIONS.items() if p.animated))
def test_a_moves_track_draws_the_arrow_from_the_pose_shown_to_the_moves_end(name: str) -> None:
    """The window reads a moving figure's arrow off the move's track (worked out once per
    move) rather than blending the poses at each of its points every frame: the arrow is
    the one the blends give, within a two-hundredth of an inch (a twentieth of a pixel on
    a large screen), and the same at rest."""
    picture = ILLUSTRATIONS[name]
    for start, end in ((picture.start, picture.end), (picture.end, picture.start)):
        assert start is not None and end is not None
        track = Track(picture, start, end)
        for frame in range(41):
            done = frame / 40
            pose = blend(start, end, done)
            figure = len(picture.content(pose, end, arrow=[]))
            blended = picture.content(pose, end)[figure:]  # the arrow, blended at its points
            tracked, exact = _arrow_points(track.arrow(done)), _arrow_points(blended)
            assert len(tracked) == len(exact)
            assert bool(exact) == (frame < 40)
            tolerance = 1e-9 if frame == 0 else 5e-3
            for a, b in zip(tracked, exact, strict=True):
                assert math.dist(a, b) < tolerance, (name, frame)
