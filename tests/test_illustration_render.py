"""The pictures as drawn: every SVG renders to a real image, the window's renderer draws
every picture, the right side is the exact mirror of the left, the figure moves only while
a move is under way and holds still when paused, and the desktop entry is valid."""

from __future__ import annotations

import math

import pytest
from paints import Paints
from PySide6.QtCore import QByteArray, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QTransform
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchcoach import resources
from stretchcoach.illustration import ILLUSTRATIONS, Pose
from stretchcoach.illustration.export import svg_files
from stretchcoach.illustration.primitives import Primitive
from stretchcoach.ui.figure import FigureView, ease
from stretchcoach.ui.painter import Layers, fit, paint_items

ASSETS = resources.assets_dir()
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _variety(image: QImage) -> tuple[int, float]:
    """Distinct colours, and the share of pixels that are not the background."""
    background = image.pixel(0, 0)
    colours: set[int] = set()
    inked = 0
    step = 2
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            p = image.pixel(x, y)
            colours.add(p)
            inked += p != background
    total = math.ceil(image.height() / step) * math.ceil(image.width() / step)
    return len(colours), inked / total


@pytest.mark.parametrize("rel", sorted(svg_files()))
def test_each_svg_file_renders_to_a_picture(qapp: object, rel: str) -> None:
    renderer = QSvgRenderer(QByteArray((ASSETS / rel).read_bytes()))
    assert renderer.isValid()
    image = QImage(480, 270, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 480, 270))
    painter.end()
    colours, inked = _variety(image)
    assert colours > 8 and inked > 0.04, (rel, colours, inked)


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_sizes(qapp: object, size: int) -> None:
    image = QImage(str(ASSETS / "icons" / f"stretchcoach-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    assert _variety(image)[0] > 2


def _grab(view: FigureView) -> QImage:
    return view.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _view(qtbot: QtBot, clock: FakeClock | None = None) -> FigureView:
    view = FigureView(clock=clock or FakeClock())
    view.resize(480, 270)
    qtbot.addWidget(view)
    return view


@pytest.mark.parametrize("name", sorted(ILLUSTRATIONS))
def test_the_window_draws_every_picture(qtbot: QtBot, name: str) -> None:
    view = _view(qtbot)
    assert view.set_illustration(f"illustrations/{name}.svg")
    colours, inked = _variety(_grab(view))
    assert colours > 8 and inked > 0.04, (name, colours, inked)


def _differing(a: QImage, b: QImage) -> float:
    assert a.size() == b.size()
    differ = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            if max(abs(pa.red() - pb.red()), abs(pa.green() - pb.green())) > 48:
                differ += 1
    return differ / (a.width() * a.height())


@pytest.mark.parametrize("name", ["arch-heel-slide", "knee-hug", "piriformis"])
def test_the_right_side_is_the_mirror_of_the_left(qtbot: QtBot, name: str) -> None:
    view = _view(qtbot)
    view.set_illustration(name, mirrored=False)
    left = _grab(view)
    view.set_illustration(name, mirrored=True)
    right = _grab(view)
    assert view.mirrored()
    assert _differing(left, right) > 0.01, "a mirrored picture should differ from the left"
    assert _differing(left.flipped(Qt.Orientation.Horizontal), right) < 0.002


ANIMATED = sorted(name for name, picture in ILLUSTRATIONS.items() if picture.animated)


def _drawn_part_by_part(view: FigureView, layers: Layers) -> QImage:
    """What the view shows now, each primitive drawn in turn: no layers of still parts
    (``layers`` draws the ghost only)."""
    scene = view.scene()
    assert scene is not None
    image = QImage(view.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(view.palette().color(QPalette.ColorRole.Window))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(fit(scene.frame, view.width(), view.height(), view.mirrored()))
    paint_items(painter, scene.items, layers)
    painter.end()
    return image


@pytest.mark.parametrize("name", ANIMATED)
def test_a_moving_figure_is_the_picture_drawn_part_by_part(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Each frame lays the parts that did not move from a layer drawn once per move: the
    picture is the same, to the rounding of a colour level at a few antialiased edges."""
    reference = Layers(480, 270, 1.0)
    drawn_at: list[int] = []  # the frames at which the view drew a layer
    draw = Layers.draw

    def counted(self: Layers, items: tuple[Primitive, ...], t: QTransform) -> object:
        if self is not reference:
            drawn_at.append(frame)
        return draw(self, items, t)

    monkeypatch.setattr(Layers, "draw", counted)
    clock = FakeClock()
    view = _view(qtbot, clock)
    view.set_illustration(name, mirrored=name == "knee-hug")
    start, frame, frames = clock.now, 0, 12
    view.move_to("end", duration_s=4.0)
    for frame in range(1, frames + 1):
        clock.now = start + 4.0 * frame / (frames + 1)
        assert view.is_moving()
        shown = QImage(view.size(), QImage.Format.Format_ARGB32_Premultiplied)
        view.render(shown)
        wanted = _drawn_part_by_part(view, reference)
        pairs = list(zip(shown.constBits(), wanted.constBits(), strict=True))
        assert max(abs(a - b) for a, b in pairs) <= 2, f"frame {frame}"
        assert sum(a != b for a, b in pairs) < 0.001 * len(pairs), f"frame {frame}"
    # The ghost's layer was drawn once, and the still parts' at the second frame (what
    # did not move since the first), never again. The bridge moves the whole body but the
    # floor: no two still parts in a row, so each is drawn as it is.
    assert set(drawn_at) <= {1, 2} and (len(drawn_at) >= 2) != (name == "bridge-lift"), drawn_at


def test_a_mirrored_svg_file_of_a_persons_own_is_drawn_too(qtbot: QtBot) -> None:
    """Any SVG under assets/ that is not in the catalog is drawn from the file."""
    view = _view(qtbot)
    assert view.set_illustration("icons/stretchcoach.svg", mirrored=True)
    assert _variety(_grab(view))[1] > 0.1
    assert not view.set_illustration("illustrations/no-such-picture.svg")
    assert _variety(_grab(view))[0] == 1


def _timers(view: FigureView) -> list[QTimer]:
    return [t for t in view.findChildren(QTimer) if t.isActive()]


def _same(a: Pose | None, b: Pose) -> bool:
    assert a is not None
    ja, jb = a.joints(), b.joints()
    return all(math.dist(ja[k], jb[k]) < 1e-6 for k in jb)


def test_the_figure_moves_over_the_phase_then_rests(qtbot: QtBot) -> None:
    clock = FakeClock()
    view = _view(qtbot, clock)
    slide = ILLUSTRATIONS["arch-heel-slide"]
    view.set_illustration("illustrations/arch-heel-slide.svg")
    assert _same(view.shown_pose(), slide.pose("start"))
    assert not view.is_moving() and _timers(view) == []

    view.move_to("end", duration_s=4.0)
    assert view.is_moving() and len(_timers(view)) == 1
    clock.now += 2.0
    assert view.progress() == pytest.approx(0.5)
    heel = view.shown_pose().joints()["far.heel"]  # type: ignore[union-attr]
    start_heel = slide.pose("start").joints()["far.heel"]
    end_heel = slide.pose("end").joints()["far.heel"]
    assert start_heel[0] < heel[0] < end_heel[0]

    clock.now += 2.5
    qtbot.waitUntil(lambda: not view.is_moving())
    assert _timers(view) == []
    assert _same(view.shown_pose(), slide.pose("end"))

    view.move_to("start", duration_s=4.0)  # and back on the next exhale
    clock.now += 4.0
    qtbot.waitUntil(lambda: not view.is_moving())
    assert _same(view.shown_pose(), slide.pose("start"))


def _frame(qtbot: QtBot, view: FigureView) -> None:
    """Let the move's timer fire once, and any repaint it asked for happen."""
    (timer,) = _timers(view)
    with qtbot.waitSignal(timer.timeout):
        pass
    QApplication.processEvents()


def test_a_frame_is_drawn_once_the_figure_has_moved_half_a_pixel(qtbot: QtBot) -> None:
    """A bridge lifts the pelvis about an inch: at the slow start of its move, a frame
    later, the picture is the same to the pixel, and is not drawn again; half-way it is."""
    clock = FakeClock()
    view = _view(qtbot, clock)
    view.show()
    qtbot.waitExposed(view)
    view.set_illustration("bridge-lift")
    bridge = ILLUSTRATIONS["bridge-lift"]
    moved_px = bridge.travel * fit(bridge.frame, view.width(), view.height(), False).m11()
    assert 5 < moved_px < 50  # a small move, and yet a visible one
    paints = Paints(view)
    view.move_to("end", duration_s=4.0)
    qtbot.waitUntil(lambda: paints.count > 0)  # the ghost and arrow point to the new target
    paints.count = 0

    clock.now += 0.033
    assert ease(0.033 / 4.0) * moved_px < 0.05  # one frame in: not a twentieth of a pixel
    _frame(qtbot, view)
    assert paints.count == 0
    clock.now += 1.967
    _frame(qtbot, view)
    assert paints.count == 1
    clock.now += 2.0  # and the last frame, where it rests
    qtbot.waitUntil(lambda: not view.is_moving())
    QApplication.processEvents()
    assert paints.count == 2
    assert _same(view.shown_pose(), bridge.pose("end"))


def test_paused_means_still(qtbot: QtBot) -> None:
    clock = FakeClock()
    view = _view(qtbot, clock)
    view.set_illustration("knee-hug")
    view.move_to("end", duration_s=4.0)
    clock.now += 1.0
    view.set_paused(True)
    assert view.paused() and not view.is_moving() and _timers(view) == []
    held = view.shown_pose()
    clock.now += 30.0
    assert view.progress() == pytest.approx(0.25)
    assert _same(view.shown_pose(), held)  # type: ignore[arg-type]

    view.set_paused(False)
    assert view.is_moving()
    clock.now += 1.0
    assert view.progress() == pytest.approx(0.5)  # the time paused did not count
    clock.now += 2.0
    qtbot.waitUntil(lambda: not view.is_moving())
    assert _same(view.shown_pose(), ILLUSTRATIONS["knee-hug"].pose("end"))


def test_a_late_call_catches_up_with_the_phase(qtbot: QtBot) -> None:
    clock = FakeClock()
    view = _view(qtbot, clock)
    view.set_illustration("bridge-lift")
    view.move_to("end", duration_s=4.0, started_at=clock.now - 3.0)
    assert view.progress() == pytest.approx(0.75)
    clock.now += 1.0
    qtbot.waitUntil(lambda: not view.is_moving())


def test_still_pictures_and_hold_never_start_a_timer(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_illustration("arch-rest")
    view.move_to("end", duration_s=3.0)
    assert not view.is_moving() and _timers(view) == []
    view.set_illustration("piriformis")
    view.hold("end")
    assert _same(view.shown_pose(), ILLUSTRATIONS["piriformis"].pose("end"))
    assert _timers(view) == []
    with pytest.raises(ValueError, match="start"):
        view.move_to("middle", duration_s=1.0)


def test_a_new_picture_ends_the_move(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_illustration("knee-hug")
    view.move_to("end", duration_s=3.0)
    view.set_illustration("supine-rest")
    assert not view.is_moving() and _timers(view) == []


def test_easing_starts_and_ends_gently() -> None:
    assert ease(0) == 0 and ease(1) == 1 and ease(0.5) == pytest.approx(0.5)
    assert ease(0.1) < 0.1 and ease(0.9) > 0.9
    assert ease(-1) == 0 and ease(2) == 1
