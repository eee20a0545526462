"""The search box: as the clerk types, the store finds the tasks whose text,
units, division or records hold every word; the table shows only those.
One search runs at a time; words typed meanwhile are searched when it ends.
A search goes before the ops waiting for the worker (a detail load among them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from gui.main_window import MainWindow


PREPARE_AFTER_MS = 800  # after a load, once the window has settled


class TaskSearch(QObject):
    applied = Signal(str)  # the table shows the result of this search ("" = none)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.w = window
        self.query: str | None = None
        self._running: str | None = None
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(PREPARE_AFTER_MS)
        self._prepare_timer.timeout.connect(self._prepare)

    def prepare_soon(self) -> None:
        """The tasks were (re)loaded: have the store read what the search looks
        through in a quiet moment, not on the first keystroke."""
        self._prepare_timer.start()

    def _prepare(self) -> None:
        w = self.w
        if w.unit is None or w.plan is None or self.query:
            return
        unit_id, plan_id = w.unit.id, w.plan["id"]
        w.runner.read(lambda led: led.prepare_search(unit_id, plan_id)).failure(lambda exc: None).run()

    def focus(self) -> None:
        box = self.w.filters.search
        box.setFocus()
        box.selectAll()

    def text_changed(self, text: str) -> None:
        q = " ".join(text.split())
        if not q:
            self.query = None
            self.w.apply_filter(lambda: self.w.proxy.set_numbers(None), typing=True)
            self.applied.emit("")
            return
        self.query = q
        if self._running is None:
            self.run(q)

    def rerun(self) -> None:
        """The tasks changed: search again for what the box holds."""
        if self.query:
            self.run(self.query)

    def run(self, q: str) -> None:
        w = self.w
        if w.unit is None or w.plan is None:
            return
        self._running = q
        unit_id, plan_id = w.unit.id, w.plan["id"]
        w.runner.read(lambda led: led.search(unit_id, q, plan_id)).urgent() \
            .success(lambda numbers: self._done(q, numbers)).failure(self._failed).run()

    def _done(self, q: str, numbers: list[int]) -> None:
        self._running = None
        if self.query != q:
            if self.query:
                self.run(self.query)  # the clerk typed on meanwhile
            return
        self.w.apply_filter(lambda: self.w.proxy.set_numbers(numbers), typing=True)
        self.applied.emit(q)

    def _failed(self, exc: BaseException) -> None:
        self._running = None
        self.w.runner.report_error(exc, self.w)
