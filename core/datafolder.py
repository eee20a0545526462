"""The data folder's layout, named in one place.

    <data>/taizhang.db      the store (SQLite, WAL)
    <data>/attachments/     evidence files by content hash
    <data>/backups/         verified copies of the store: daily/, weekly/, before upgrades
                            and restores
    <data>/logs/taizhang.log
    <data>/taizhang.lock    one window per folder
    <data>/window.ini       window geometry, last folders
    <data>/first-screen.json  the unit's tasks as the store was left (the next window's first screen)
    <data>/tmp/open/        copies handed to the system's viewer
    <data>/tmp/preview/     reports made for a look, not to keep

Every module that needs one of these paths asks a ``DataFolder``; none
joins names onto the folder itself.
"""

from __future__ import annotations

from pathlib import Path


class DataFolder:
    STORE = "taizhang.db"

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"DataFolder({str(self.root)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, DataFolder) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    @classmethod
    def default(cls) -> DataFolder:
        """The user's folder: TAIZHANG_DATA, portable, or the platform's (core.paths)."""
        from core.paths import default_data_dir

        return cls(default_data_dir())

    @property
    def store(self) -> Path:
        return self.root / self.STORE

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "taizhang.log"

    @property
    def lock(self) -> Path:
        return self.root / "taizhang.lock"

    @property
    def window_state(self) -> Path:
        return self.root / "window.ini"

    @property
    def first_screen(self) -> Path:
        return self.root / "first-screen.json"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def open_copies(self) -> Path:
        return self.tmp / "open"

    @property
    def previews(self) -> Path:
        return self.tmp / "preview"

    def ensure(self) -> None:
        """Create the folder if needed; StoreError (Chinese) if it cannot be."""
        from core.errors import StoreError, os_error_text

        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"“{self.root}”是一个文件，不是文件夹。请指定一个文件夹作为数据文件夹。")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据文件夹“{self.root}”（{os_error_text(exc)}）。") from exc

    def open_copy(self, attachment_id: str, name: str) -> Path:
        """Where the viewer's copy of an evidence file goes: tmp/open/<id>/<name>.
        Both come from the store, which may have been tampered with: only the
        last part of each counts, without control characters, and the name is
        made one that Windows can hold (core.attachments.disk_name), so nothing
        outside tmp/open can be named through them."""
        from core.attachments import disk_name

        return self.open_copies / disk_name(attachment_id, limit=64) / disk_name(name)
