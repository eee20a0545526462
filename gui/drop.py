"""Files dragged in from the desktop or the file manager: the table, the
detail panel and the timeline all take them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData


def dropped_paths(mime: QMimeData) -> list[Path]:
    """Local files in a drag from the desktop or the file manager."""
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class FileDropTarget:
    """Accepts a drag of local files where ``accepts_drop(event)`` says so
    (by default: anywhere). The subclass's dropEvent decides what to attach to."""

    def accepts_drop(self, event) -> bool:
        return bool(dropped_paths(event.mimeData()))

    def dragEnterEvent(self, event):
        if self.accepts_drop(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        self.dragEnterEvent(event)
