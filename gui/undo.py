"""撤销 in the status bar: a change the program made for the clerk (e.g. the
first record started a task) is said, with a button to take it back, for a
few seconds."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QPushButton, QStatusBar

UNDO_MS = 15_000  # how long 撤销 stays


class UndoBar(QObject):
    def __init__(self, bar: QStatusBar):
        super().__init__(bar)
        self.bar = bar
        self.button = QPushButton("撤销")
        self.button.hide()
        self.button.clicked.connect(self._run)
        bar.addWidget(self.button)
        self._undo: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UNDO_MS)
        self._timer.timeout.connect(self._drop)

    def offer(self, message: str, undo: Callable[[], None]) -> None:
        self.bar.showMessage(message, UNDO_MS)
        self._undo = undo
        self.button.show()
        self._timer.start()

    def _run(self) -> None:
        undo = self._undo
        self._drop()
        if undo is not None:
            undo()

    def _drop(self) -> None:
        self._undo = None
        self.button.hide()
        self._timer.stop()
