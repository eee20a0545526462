"""The program's icon on its windows (resources/icons, drawn by tools/build_icons.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def give_icon() -> None:
    """The program's icon on every window, if it has none yet. Reading its
    seven sizes costs ~3 ms, and under X11 showing a window converts each of
    them for the window manager (~5 ms more): a start gives it after the
    first paint and the first rows (gui.start_screen); ensure_app gives it at once."""
    app = QApplication.instance()
    if app is not None and app.windowIcon().isNull():
        app.setWindowIcon(window_icon())


def window_icon():
    """The icon at each size drawn for it."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    from core.paths import resource_path

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        path = resource_path("icons", f"taizhang-{size}.png")
        if path.exists():
            icon.addFile(str(path), QSize(size, size))
    return icon
