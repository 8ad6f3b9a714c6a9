"""The look: calm colours with strong contrast, and type sized to read from two metres.

Colours come in a light and a dark set and follow the system's colour scheme
(``QStyleHints.colorScheme``); where the platform does not say (a bare X server, the
offscreen platform) the lightness of its palette decides. They are installed as the
application's ``QPalette``, so custom-painted widgets (the breath pacer) and Qt's own
dialogs use the same colours as the style sheet.

Type sizes scale with the window: at 1280x800 a step title is 44 px, and everything grows
or shrinks with the smaller of the window's two proportions, within bounds, so a small
window stays usable and a full screen reads from across the room. Text read from the mat
never goes below a share of the window's height (``TypeSizes``; the reasoning, from the
visual angle at two metres, is in docs/design.md). Sizes are in device-independent
pixels, so HiDPI screens stay crisp at the same physical size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from stretchcoach.resources import assets_dir

REFERENCE = QSize(1280, 800)
MIN_SCALE = 0.55
MAX_SCALE = 2.2


@dataclass(frozen=True)
class Colors:
    background: str
    surface: str  # panels and buttons, one step off the background
    text: str
    muted: str  # secondary text: still well above 4.5:1 on the background
    accent: str  # the pacer, progress, focus ring
    on_accent: str  # text on the accent colour
    notice: str  # the background of notices
    on_notice: str
    name: str  # of the drawn marks made for it: assets/ui/check-<name>.svg, up-, down-


LIGHT = Colors(
    background="#f5f2eb",
    surface="#e6e1d6",
    text="#1b2529",
    muted="#46545a",
    accent="#1f6f66",
    on_accent="#ffffff",
    notice="#f3dfb4",
    on_notice="#3d2c05",
    name="light",
)
DARK = Colors(
    background="#141a1d",
    surface="#232c30",
    text="#eef1f1",
    muted="#b4c0c3",
    accent="#69c2b4",
    on_accent="#0c1a18",
    notice="#4a3a17",
    on_notice="#fbecc8",
    name="dark",
)


def system_is_dark() -> bool:
    """Whether the system asks for a dark look (its palette decides when it does not say)."""
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def colors_for(dark: bool) -> Colors:
    return DARK if dark else LIGHT


def palette(colors: Colors) -> QPalette:
    """A full palette from the colour set, so every Qt widget and dialog matches."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.background,
        QPalette.ColorRole.WindowText: colors.text,
        QPalette.ColorRole.Base: colors.background,
        QPalette.ColorRole.AlternateBase: colors.surface,
        QPalette.ColorRole.Text: colors.text,
        QPalette.ColorRole.Button: colors.surface,
        QPalette.ColorRole.ButtonText: colors.text,
        QPalette.ColorRole.Highlight: colors.accent,
        QPalette.ColorRole.HighlightedText: colors.on_accent,
        QPalette.ColorRole.ToolTipBase: colors.surface,
        QPalette.ColorRole.ToolTipText: colors.text,
        QPalette.ColorRole.PlaceholderText: colors.muted,
        QPalette.ColorRole.Link: colors.accent,
        QPalette.ColorRole.Mid: colors.muted,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    disabled = QColor(colors.muted)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def _form_controls(c: Colors, s: Callable[[float], int]) -> str:
    """Check boxes, spin boxes and lists sized with the text and drawn in the palette's
    colours. Styled whole, always: a border set on focus alone makes Qt draw the focused
    box by the style sheet's rules and leave out what they do not name (the arrows)."""
    marks = (assets_dir() / "ui").as_posix()
    return f"""
    QAbstractSpinBox, QComboBox {{
        min-height: {s(36)}px; background: {c.background}; padding: 0 {s(6)}px;
        border: {s(3)}px solid {c.muted}; border-radius: {s(6)}px;
    }}
    QAbstractSpinBox:focus, QComboBox:focus {{ border-color: {c.accent}; background: {c.surface}; }}
    QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
        subcontrol-origin: padding; width: {s(30)}px; background: {c.surface}; border: none;
    }}
    QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
    QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
    QComboBox::drop-down {{
        subcontrol-origin: padding; subcontrol-position: center right; width: {s(30)}px;
        border: none;
    }}
    QAbstractSpinBox::up-arrow {{
        image: url("{marks}/up-{c.name}.svg"); width: {s(18)}px; height: {s(18)}px; }}
    QAbstractSpinBox::down-arrow, QComboBox::down-arrow {{
        image: url("{marks}/down-{c.name}.svg"); width: {s(18)}px; height: {s(18)}px; }}
    QComboBox QAbstractItemView {{
        background: {c.background}; selection-background-color: {c.accent};
        selection-color: {c.on_accent};
    }}
    QCheckBox {{ spacing: {s(12)}px; }}
    QCheckBox::indicator {{
        width: {s(24)}px; height: {s(24)}px; background: {c.background};
        border: {s(2)}px solid {c.text}; border-radius: {s(5)}px;
    }}
    QCheckBox::indicator:checked {{
        background: {c.accent}; border-color: {c.accent};
        image: url("{marks}/check-{c.name}.svg");
    }}
    QCheckBox::indicator:disabled {{ border-color: {c.muted}; }}
    QCheckBox:focus, QSlider:focus {{ border: {s(3)}px solid {c.accent}; }}
    """


def scale_for(size: QSize) -> float:
    """How much bigger than at 1280x800 the type should be in a window of ``size``."""
    raw = min(size.width() / REFERENCE.width(), size.height() / REFERENCE.height())
    # Round so that resizing by a few pixels does not restyle the whole window.
    return round(min(MAX_SCALE, max(MIN_SCALE, raw)) * 20) / 20


MAT_SHARE = 22  # text read from the mat is at least 1/22 of the window's height
GLANCE_SHARE = 32  # text only glanced at (numbers, a few words) at least 1/32


@dataclass(frozen=True)
class TypeSizes:
    """The window's type: a scale for everything, and the floors of text read from the mat.

    The scale follows the smaller proportion (so text fits the width); the floors follow
    the height alone, which is what a person lying two metres away sees shrink.
    """

    scale: float
    mat: int  # px: the step title, the instruction's first sentence, the cue, the phase
    glance: int  # px: step and breath counts, what comes next, time left


def type_for(size: QSize) -> TypeSizes:
    height = size.height()
    return TypeSizes(scale_for(size), round(height / MAT_SHARE), round(height / GLANCE_SHARE))


def px(base: float, scale: float) -> int:
    return max(1, round(base * scale))


def style_sheet(colors: Colors, sizes: TypeSizes) -> str:
    """Sizes, borders and the visible keyboard focus, for the whole window."""

    def s(base: float) -> int:
        return px(base, sizes.scale)

    def mat(base: float) -> int:
        return max(s(base), sizes.mat)

    def glance(base: float) -> int:
        return max(s(base), sizes.glance)

    c = colors
    return f"""
    QWidget {{ font-size: {s(22)}px; color: {c.text}; }}
    QLabel[role="title"] {{ font-size: {mat(44)}px; font-weight: 600; }}
    QLabel[role="heading"] {{ font-size: {s(30)}px; font-weight: 600; }}
    QLabel[role="body"] {{ font-size: {s(24)}px; }}
    QLabel[role="muted"] {{ font-size: {s(22)}px; color: {c.muted}; }}
    QLabel[role="note"] {{ font-size: {s(20)}px; }}
    QLabel[role="lead"] {{ font-size: {mat(30)}px; }}
    QLabel[role="glance"] {{ font-size: {glance(22)}px; color: {c.muted}; }}
    QLabel[role="count"] {{ font-size: {glance(24)}px; }}
    QLabel[role="detail"] {{ font-size: {glance(22)}px; }}
    QLabel[role="caption"] {{ font-size: {mat(30)}px; font-style: italic; color: {c.accent}; }}
    QLabel[role="phase"] {{ font-size: {mat(40)}px; font-weight: 600; color: {c.accent}; }}
    QLabel[role="hint"] {{
        font-size: {s(36)}px; font-weight: 600; color: {c.on_accent};
        background: {c.accent}; border-radius: {s(16)}px; padding: {s(24)}px;
    }}
    QLabel[role="notice"] {{
        font-size: {glance(20)}px; color: {c.on_notice}; background: {c.notice};
        border-radius: {s(10)}px; padding: {s(10)}px {s(16)}px;
    }}
    QLabel[role="notice"]:focus {{ border: {s(3)}px solid {c.text}; }}
    QLabel[role="paused"] {{
        font-size: {glance(26)}px; font-weight: 600; color: {c.on_notice}; background: {c.notice};
        border-radius: {s(10)}px; padding: {s(6)}px {s(20)}px;
    }}
    QFrame[role="panel"] {{ background: {c.surface}; border-radius: {s(16)}px; }}
    QPushButton {{
        font-size: {s(22)}px; font-weight: 600; color: {c.text}; background: {c.surface};
        border: {s(3)}px solid {c.surface}; border-radius: {s(12)}px;
        padding: {s(12)}px {s(18)}px; min-height: {s(40)}px;
    }}
    QPushButton[primary="true"] {{ background: {c.accent}; color: {c.on_accent};
        border-color: {c.accent}; }}
    QPushButton:focus {{ border: {s(4)}px solid {c.text}; }}
    QPushButton:disabled {{ color: {c.muted}; }}
    QListWidget {{
        font-size: {s(26)}px; background: {c.background}; border: {s(2)}px solid {c.surface};
        border-radius: {s(12)}px; padding: {s(6)}px; outline: none;
    }}
    QListWidget:focus {{ border: {s(4)}px solid {c.text}; }}
    QListWidget::item {{ padding: {s(14)}px; border-radius: {s(8)}px; }}
    QListWidget::item:selected {{ background: {c.accent}; color: {c.on_accent}; }}
    QProgressBar {{
        background: {c.surface}; border: none; border-radius: {s(8)}px;
        min-height: {s(16)}px; max-height: {s(16)}px;
    }}
    QProgressBar::chunk {{ background: {c.accent}; border-radius: {s(8)}px; }}
    QDialog QWidget {{ font-size: {s(20)}px; }}
    QDialog QPushButton {{ min-height: {s(28)}px; padding: {s(6)}px {s(16)}px; }}
    QMessageBox QLabel {{ font-size: {s(28)}px; }}
    QMessageBox QPushButton {{ font-size: {s(24)}px; min-height: {s(40)}px; }}
    {_form_controls(c, s)}
    QToolTip {{ font-size: {s(18)}px; color: {c.text}; background: {c.surface}; }}
    """
