"""The pictures' primitives drawn with QPainter: the window's twin of ``illustration/svg.py``,
which writes the same primitives as SVG for the files in assets/ and the docs.

The window draws the primitives itself (``FigureView``) so it can put the figure at any
point between two poses; this module knows only how each primitive looks.
"""

from __future__ import annotations

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

LABEL_FONT = "DejaVu Sans"
_FONT_PX = 100  # labels are laid out at this size, then scaled: crisp at any scale


def _colour(value: str, dark: bool) -> QColor:
    return QColor(ON_DARK.get(value, value) if dark else value)


def _pen(ink: Ink, dark: bool) -> QPen:
    if not ink.stroke:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(_colour(ink.stroke, dark), ink.width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if ink.dash:
        pen.setDashPattern([d / ink.width for d in ink.dash])  # Qt counts in pen widths
    return pen


def _brush(ink: Ink, dark: bool = False) -> QBrush:
    return QBrush(_colour(ink.fill, dark)) if ink.fill else QBrush(Qt.BrushStyle.NoBrush)


def paint_items(painter: QPainter, items: tuple[Primitive, ...], layers: Layers) -> None:
    """Draw primitives in scene units through the painter's current transform (in the
    dark screen's colours if ``layers.dark``; a label's text, always on its light plate,
    keeps its own)."""
    dark = layers.dark
    for item in items:
        if isinstance(item, Group):
            at, layer = layers.image(item, painter.transform())
            painter.save()
            painter.resetTransform()
            painter.setOpacity(GHOST_OPACITY_ON_DARK if dark else item.opacity)
            painter.drawImage(at, layer)
            painter.restore()
            continue
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
    painter.setOpacity(1.0)


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
    """See-through groups (the ghost) drawn off-screen, then laid down at their opacity,
    so shapes that overlap inside a group do not darken each other.

    The last layer is kept: the ghost stays the same through a whole move, so it is drawn
    once per move rather than once per frame. A layer covers the group's own box, not the
    whole view: laying it down is most of a moving figure's frame, and costs its area.
    """

    def __init__(self, width: int, height: int, ratio: float, *, dark: bool = False) -> None:
        self.size = (width, height, ratio)
        self.dark = dark
        self._key: tuple[object, ...] = ()
        self._layer = (QPointF(), QImage())

    def image(self, group: Group, transform: QTransform) -> tuple[QPointF, QImage]:
        """The group drawn through ``transform``, and where its top left goes."""
        matrix = (transform.m11(), transform.m12(), transform.m21(), transform.m22())
        key = (group, *self.size, *matrix, transform.dx(), transform.dy())
        if key != self._key:
            self._layer = self._draw(group, transform)
            self._key = key
        return self._layer

    def _draw(self, group: Group, transform: QTransform) -> tuple[QPointF, QImage]:
        width, height, ratio = self.size
        left, top, right, bottom = bounds(group.items)
        scene_box = transform.mapRect(QRectF(left, top, right - left, bottom - top))
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
        paint_items(painter, group.items, self)
        painter.end()
        return QPointF(box.topLeft()), layer


def fit(frame: Frame, width: float, height: float, mirrored: bool) -> QTransform:
    """Scene units to widget pixels: the frame as large as fits, centred, and flipped
    left to right about the widget's centre when mirrored."""
    scale = min(width / frame.w, height / frame.h)
    dx = (width - frame.w * scale) / 2 - frame.x * scale
    dy = (height - frame.h * scale) / 2 - frame.y * scale
    placed = QTransform(scale, 0, 0, scale, dx, dy)
    if mirrored:
        placed = placed * QTransform(-1, 0, 0, 1, width, 0)
    return placed
