"""The window's own settings (geometry, splitters, columns, last folders),
kept in the data folder's window.ini: tests and portable copies stay isolated."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

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
