"""Colours, bold type and boxes of the window and its dialogs, and the focus ring of every
list and table, set through palettes, fonts and a few paint events — not
style sheets: one style sheet in the window makes Qt polish and paint every
widget of it through the style-sheet engine, which made the first paint of
the window ~10 ms slower."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFrame, QLabel, QWidget

MUTED = "#5f6368"  # secondary text
ACCENT = "#1a73e8"  # busy, and where the keyboard is
WARNING = "#b06000"  # unsaved changes
ERROR = "#c5221f"  # what is wrong with a dialog's input
NOTICE_BORDER = "#f0c36d"  # around something the clerk should look at (待确认, nothing found)


def set_text_color(widget: QWidget, color: str) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    widget.setPalette(palette)


def set_bold(widget: QWidget, pixel_size: int | None = None) -> None:
    font = widget.font()
    font.setBold(True)
    if pixel_size is not None:
        font.setPixelSize(pixel_size)
    widget.setFont(font)


def _paint_box(widget: QWidget, background: str | None, border: str, top_only: bool) -> None:
    p = QPainter(widget)
    r = widget.rect()
    if background is not None:
        p.fillRect(r, QColor(background))
    p.setPen(QPen(QColor(border), 1))
    if top_only:
        p.drawLine(r.left(), r.top(), r.right(), r.top())
    else:
        p.drawRect(r.adjusted(0, 0, -1, -1))
    p.end()


class Box(QFrame):
    """A panel with a background and a 1-px border (or only a line on top)."""

    def __init__(self, background: str | None, border: str, top_only: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._look = (background, border, top_only)

    def paintEvent(self, event) -> None:
        _paint_box(self, *self._look)


class BoxLabel(QLabel):
    """A label on a background with a border, its text ``padding`` px inside."""

    def __init__(self, background: str, border: str, padding: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._look = (background, border, False)
        self.setMargin(padding)

    def paintEvent(self, event) -> None:
        _paint_box(self, *self._look)
        super().paintEvent(event)


class FocusRing(QWidget):
    """A 2-px blue frame over a list or table while it has the keyboard focus:
    Tab walks the panels, and the clerk must see where the keys go."""

    WIDTH = 2

    def __init__(self, view: QAbstractItemView):
        super().__init__(view)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setGeometry(view.rect())
        view.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == event.Type.Resize:
            self.setGeometry(watched.rect())
        return False

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setPen(QPen(QColor(ACCENT), self.WIDTH))
        half = self.WIDTH // 2
        p.drawRect(self.rect().adjusted(half, half, -half, -half))
        p.end()


def show_focus_rings() -> None:
    """From now on, the list or table that has the focus, in any of Taizhang's
    windows and dialogs, wears a FocusRing (made on its view's first focus,
    it lives and dies with the view)."""
    app = QApplication.instance()
    if getattr(app, "_taizhang_focus_rings", False):
        return
    app._taizhang_focus_rings = True

    def focus_changed(old: QWidget | None, new: QWidget | None) -> None:
        for widget, on in ((old, False), (new, True)):
            try:
                if not isinstance(widget, QAbstractItemView):
                    continue
                ring = widget.findChild(FocusRing)
                if ring is None and on:
                    ring = FocusRing(widget)
                if ring is not None:
                    ring.raise_()
                    ring.setVisible(on)
            except RuntimeError:  # a view in the middle of being deleted
                continue

    app.focusChanged.connect(focus_changed)
