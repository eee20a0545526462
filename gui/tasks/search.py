"""The search box: as the clerk types, the tasks whose text, units, division
or records hold every word; the table shows only those.

The window keeps what the search looks through (core.search: each task's
text, read by the worker once the window has settled after a load, and
again after a write to tasks or records: at once while something is
searched, else once settled), so a keystroke is a substring test on the
GUI thread — no trip to the worker, never queued behind a detail load, no
thread to wake on a busy machine. Until that text is
back (just after a write), a keystroke has the worker read it at once (an
urgent read, before the ops waiting) and keeps it; one such read runs at a
time, and words typed meanwhile are searched when it ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from core.search import SearchTexts, numbers_matching, terms_of

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
        self._texts: SearchTexts | None = None  # of the window's unit and plan (a load forgets them)
        self._generation = 0  # moves on each change: a read begun before it is stale
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(PREPARE_AFTER_MS)
        self._prepare_timer.timeout.connect(self.prepare)

    # ---- what the search looks through ---------------------------------------------
    def forget(self, soon: bool = False) -> None:
        """The tasks or records changed: read their text again — at once after
        a write while something is searched; else once the window has settled
        (after a load, or a write with the box empty: ~25 ms of reading per
        10,000 records that would otherwise come before the rows' refresh)."""
        self._generation += 1
        self._texts = None
        if soon or not self.query:
            self._prepare_timer.start()
        else:
            self.prepare()

    def prepare(self) -> None:
        w = self.w
        if w.unit is None or w.plan is None or self._texts is not None:
            return
        key, generation = (w.unit.id, w.plan["id"]), self._generation
        w.runner.read(lambda led: led.search_texts(*key)) \
            .success(lambda texts: self._prepared(generation, texts)).failure(lambda exc: None).run()

    def _prepared(self, generation: int, texts: SearchTexts) -> None:
        if generation == self._generation:
            self._texts = texts

    @property
    def kept(self) -> SearchTexts | None:
        """What the search looks through, when the window has it."""
        return self._texts

    # ---- typing ---------------------------------------------------------------------
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
        texts = self._texts
        if texts is not None:
            self._show(q, numbers_matching(texts, terms_of(q)))
            return
        self._running = q
        key, generation = (w.unit.id, w.plan["id"]), self._generation
        w.runner.read(lambda led: led.search_texts(*key)).urgent() \
            .success(lambda texts: self._done(q, generation, texts)).failure(self._failed).run()

    def _done(self, q: str, generation: int, texts: SearchTexts) -> None:
        self._running = None
        self._prepared(generation, texts)
        if self.query != q:
            if self.query:
                self.run(self.query)  # the clerk typed on meanwhile
            return
        self._show(q, numbers_matching(texts, terms_of(q)))

    def _show(self, q: str, numbers: list[int]) -> None:
        self.w.apply_filter(lambda: self.w.proxy.set_numbers(numbers), typing=True)
        self.applied.emit(q)

    def _failed(self, exc: BaseException) -> None:
        self._running = None
        self.w.runner.report_error(exc, self.w)
