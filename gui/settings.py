"""The window's own settings (geometry, splitters, columns, last folders),
kept in the data folder's window.ini: tests and portable copies stay isolated."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from core.datafolder import DataFolder


class WindowSettings:
    def __init__(self, folder: DataFolder):
        self.qsettings = QSettings(str(folder.window_state), QSettings.Format.IniFormat)

    def value(self, key: str, default=None):
        return self.qsettings.value(key, default)

    def set(self, key: str, value) -> None:
        self.qsettings.setValue(key, value)

    def sync(self) -> None:
        self.qsettings.sync()

    def last_dir(self, key: str) -> str:
        """The folder the clerk last chose files in for ``key``, or home."""
        value = self.qsettings.value(f"dirs/{key}")
        return str(value) if value and Path(str(value)).is_dir() else str(Path.home())

    def remember_dir(self, key: str, path: str | Path, is_folder: bool = False) -> None:
        folder = Path(path) if is_folder else Path(path).parent
        self.qsettings.setValue(f"dirs/{key}", str(folder))

    # ---- the main window's layout ------------------------------------------------
    def restore_window(self, win) -> None:
        geo = self.value("window/geometry")
        if geo is not None:
            win.restoreGeometry(geo)
        else:
            self.default_geometry(win)
        state = self.value("window/state")
        if state is not None:
            win.restoreState(state)
        header = self.value("table/header")
        if header is not None:
            win.table.horizontalHeader().restoreState(header)

    def restore_splitters(self, win) -> None:
        """Once the window is shown and its widgets have their real sizes."""
        for key, splitter in (("window/splitter", win.splitter), ("window/detail_splitter", win.detail.content)):
            state = self.value(key)
            if state is not None:
                splitter.restoreState(state)

    @staticmethod
    def default_geometry(win) -> None:
        """1280×740 or the screen, the panels shared as the clerk's eye goes."""
        screen = win.screen().availableGeometry() if win.screen() else None
        w, h = 1280, 740
        if screen is not None:
            w, h = min(w, screen.width()), min(h, screen.height())
        win.resize(w, h)
        if screen is not None and (w >= screen.width() - 40 or h >= screen.height() - 40):
            win.setWindowState(Qt.WindowState.WindowMaximized)
        side = max(190, min(230, w // 7))
        win.splitter.setSizes([side, int((w - side) * 0.58), int((w - side) * 0.42)])
        win.detail.content.setSizes([int(h * 0.36), int(h * 0.64)])

    def save_window(self, win) -> None:
        self.set("window/geometry", win.saveGeometry())
        self.set("window/state", win.saveState())
        self.set("window/splitter", win.splitter.saveState())
        self.set("window/detail_splitter", win.detail.content.saveState())
        self.set("table/header", win.table.horizontalHeader().saveState())
        self.sync()
