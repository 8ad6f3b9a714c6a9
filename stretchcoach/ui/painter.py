"""The pictures' primitives drawn with QPainter: the window's twin of ``illustration/svg.py``,
which writes the same primitives as SVG for the files in assets/ and the docs.

The window draws the primitives itself (``FigureView``) so it can put the figure at any
point between two poses; this module knows only how each primitive looks.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)

from stretchcoach.illustration.draw import bounds
from stretchcoach.illustration.primitives import (
    Box,
    Disc,
    Frame,
    Group,
    Ink,
    Label,
    Line,
    Primitive,
    Shape,
)
from stretchcoach.illustration.style import GHOST_OPACITY_ON_DARK, ON_DARK

Outline = Line | Shape | Disc | Box  # a primitive whose box is known (a label's is a guess)
Drawn = Outline | Label  # a primitive drawn as it is (not a group's layer)
LABEL_FONT = "DejaVu Sans"
_FONT_PX = 100  # labels are laid out at this size, then scaled: crisp at any scale


def _colour(value: str, dark: bool) -> QColor:
    return QColor(ON_DARK.get(value, value) if dark else value)


@lru_cache(maxsize=256)  # a picture has a few dozen inks; each frame of a move asks again
def _pen(ink: Ink, dark: bool) -> QPen:
    if not ink.stroke:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(_colour(ink.stroke, dark), ink.width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if ink.dash:
        pen.setDashPattern([d / ink.width for d in ink.dash])  # Qt counts in pen widths
    return pen


@lru_cache(maxsize=256)
def _brush(ink: Ink, dark: bool = False) -> QBrush:
    return QBrush(_colour(ink.fill, dark)) if ink.fill else QBrush(Qt.BrushStyle.NoBrush)


def paint_items(painter: QPainter, items: tuple[Primitive, ...], layers: Layers) -> None:
    """Draw primitives in scene units through the painter's current transform (in the
    dark screen's colours if ``layers.dark``; a label's text, always on its light plate,
    keeps its own)."""
    for item in items:
        if isinstance(item, Group):
            at, layer = layers.image(item.items, painter.transform())
            _lay(painter, at, layer, GHOST_OPACITY_ON_DARK if layers.dark else item.opacity)
        else:
            _paint_item(painter, item, layers.dark)
    painter.setOpacity(1.0)


def paint_frame(painter: QPainter, items: tuple[Primitive, ...], layers: Layers) -> None:
    """``paint_items`` for a frame of a moving figure: the parts that stay where they were
    in the frame before (the floor, the body while a leg moves) are laid down from a layer
    drawn once, in the same order, and only the moving parts are drawn again. Laying the
    layer over what is below it gives the picture drawn part by part (paint "over" is
    associative), to the rounding of a colour level."""
    before, layers.frame = layers.frame, items
    transform = painter.transform()
    kept: dict[tuple[object, ...], tuple[QPointF, QImage]] = {}
    still: list[Outline] = []

    def lay_still() -> None:
        if len(still) == 1:
            _paint_item(painter, still[0], layers.dark)
        elif still:
            key = (tuple(still), *_matrix(transform))
            at, layer = kept[key] = layers.runs.get(key) or layers.draw(tuple(still), transform)
            _lay(painter, at, layer, 1.0)
        still.clear()

    for index, item in enumerate(items):
        if isinstance(item, Outline) and index < len(before) and before[index] == item:
            still.append(item)
            continue
        lay_still()
        paint_items(painter, (item,), layers)
    lay_still()
    layers.runs = kept  # this frame's runs only: a few images at most
    painter.setOpacity(1.0)


def _matrix(transform: QTransform) -> tuple[float, ...]:
    return (
        transform.m11(), transform.m12(), transform.m21(), transform.m22(),
        transform.dx(), transform.dy(),
    )  # fmt: skip


def _lay(painter: QPainter, at: QPointF, layer: QImage, opacity: float) -> None:
    painter.save()
    painter.resetTransform()
    painter.setOpacity(opacity)
    painter.drawImage(at, layer)
    painter.restore()


def _paint_item(painter: QPainter, item: Drawn, dark: bool) -> None:
    painter.setOpacity(item.ink.opacity)
    painter.setPen(_pen(item.ink, dark))
    painter.setBrush(_brush(item.ink, dark))
    if isinstance(item, Line):
        painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in item.points]))
    elif isinstance(item, Shape):
        painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in item.points]))
    elif isinstance(item, Disc):
        painter.drawEllipse(QPointF(*item.centre), item.radius, item.radius)
    elif isinstance(item, Box):
        rect = QRectF(item.x, item.y, item.w, item.h)
        painter.drawRoundedRect(rect, item.radius, item.radius)
    else:
        _paint_label(painter, item)


def _paint_label(painter: QPainter, label: Label) -> None:
    font = QFont(LABEL_FONT)
    font.setPixelSize(_FONT_PX)
    font.setBold(True)
    path = QPainterPath()
    path.addText(0, 0, font, label.text)
    k = label.size / _FONT_PX
    width = path.boundingRect().width()
    shape = QTransform().translate(label.at[0] - width * k / 2, label.at[1]).scale(k, k).map(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillPath(shape, _brush(label.ink))


class Layers:
    """Parts of a picture drawn off-screen, then laid down: see-through groups (the ghost),
    so shapes that overlap inside a group do not darken each other, and the runs of parts
    that stay still while the figure moves (``paint_frame``).

    The last group's layer is kept: the ghost stays the same through a whole move, so it
    is drawn once per move rather than once per frame. A layer covers its parts' own box,
    not the whole view: laying it down costs its area.
    """

    def __init__(self, width: int, height: int, ratio: float, *, dark: bool = False) -> None:
        self.size = (width, height, ratio)
        self.dark = dark
        self._key: tuple[object, ...] = ()
        self._layer = (QPointF(), QImage())
        self.frame: tuple[Primitive, ...] = ()  # the items of the frame drawn last
        self.runs: dict[tuple[object, ...], tuple[QPointF, QImage]] = {}  # its still runs

    def at_rest(self, items: tuple[Primitive, ...]) -> None:
        """``items`` were drawn still: the next move starts from them, and no run of the
        last move is kept."""
        self.frame, self.runs = items, {}

    def image(self, items: tuple[Primitive, ...], transform: QTransform) -> tuple[QPointF, QImage]:
        """A group's ``items`` drawn through ``transform``, and where its top left goes."""
        key = (items, *_matrix(transform))
        if key != self._key:
            self._layer = self.draw(items, transform)
            self._key = key
        return self._layer

    def draw(self, items: tuple[Primitive, ...], transform: QTransform) -> tuple[QPointF, QImage]:
        """``items`` drawn through ``transform`` on a layer of their own box, and where
        its top left goes."""
        width, height, ratio = self.size
        left, top, right, bottom = bounds(items)
        # and a box's or disc's outline, which ``bounds`` leaves out
        pen = max((i.ink.width for i in items if isinstance(i, Disc | Box)), default=0) / 2
        scene_box = transform.mapRect(
            QRectF(left - pen, top - pen, right - left + 2 * pen, bottom - top + 2 * pen)
        )
        view = QRectF(0, 0, width, height)
        # Whole pixels (and the antialiased edge), so the layer lands on the pixel grid.
        box = scene_box.adjusted(-2, -2, 2, 2).intersected(view).toAlignedRect()
        layer = QImage(
            max(1, round(box.width() * ratio)),
            max(1, round(box.height() * ratio)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        layer.setDevicePixelRatio(ratio)
        layer.fill(Qt.GlobalColor.transparent)
        painter = QPainter(layer)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(transform * QTransform.fromTranslate(-box.x(), -box.y()))
        paint_items(painter, items, self)
        painter.end()
        return QPointF(box.topLeft()), layer


def fit_scale(frame: Frame, width: float, height: float) -> float:
    """Widget pixels per scene unit when ``frame`` is as large as fits (``fit``)."""
    return min(width / frame.w, height / frame.h)


def fit(frame: Frame, width: float, height: float, mirrored: bool) -> QTransform:
    """Scene units to widget pixels: the frame as large as fits, centred, and flipped
    left to right about the widget's centre when mirrored."""
    scale = fit_scale(frame, width, height)
    dx = (width - frame.w * scale) / 2 - frame.x * scale
    dy = (height - frame.h * scale) / 2 - frame.y * scale
    placed = QTransform(scale, 0, 0, scale, dx, dy)
    if mirrored:
        placed = placed * QTransform(-1, 0, 0, 1, width, 0)
    return placed
