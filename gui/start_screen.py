"""What the window does between its first paint and the store's first load.

Once painted (gui.app calls ``after_paint``): the unit's tasks are shown —
as the store was left (core.first_screen.load), if it is exactly as it was
left, else read straight from the store file (first_screen.peek); then the
program's icon is given (gui.icon.give_icon) and the store opens on the
worker, once the table has painted those rows (under X11 Qt ran a zero timer
before that paint, and the worker's imports then held the interpreter's lock
through it). Until the store is open nothing can be written (the window's
actions are greyed); a store that does not open takes the rows shown
meanwhile away."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, SignalInstance

from core import first_screen
from gui.icon import give_icon

log = logging.getLogger("taizhang.gui")


class StartScreen:
    def __init__(self, window):
        self.w = window

    def after_paint(self) -> None:
        w = self.w
        if w.runner.closed:  # closed before it was painted (the fallback timer of AfterFirstPaint)
            return
        try:
            shown = self.show()
        except Exception:  # a first screen that does not fit: the store's own load follows
            log.warning("首屏数据无法显示，改为等数据打开后读取", exc_info=True)
            self.forget()
            shown = False
        if shown:  # the worker's imports would hold the interpreter's lock through the rows' paint
            AfterFirstPaint(w, w.table.painted, self.open_store)
        else:
            self.open_store()

    def open_store(self) -> None:
        """The program's icon (held back until now: gui.icon.give_icon), then the store."""
        give_icon()
        self.w.open_store()

    def show(self) -> bool:
        """The first rows, heading and selection before the store is open; False
        when there are none to show."""
        w = self.w
        today = w.today()
        screen = first_screen.load(w.folder, today) or first_screen.peek(w.folder, today)
        if screen is None:
            return False
        w.show_tasks(screen.unit_id, screen.plan.get("year"), screen.tasks, w.settings.value("table/current"))
        w.show_identity(screen.unit_name, screen.plan, screen.handler)
        if w.settings.value("table/header") is None:  # a first start: the columns fit the table now, not
            w.table.fit_columns()  # once the store has loaded (the rows would jump)
            w.settings.set("table/header", w.table.horizontalHeader().saveState())
        return True

    def forget(self) -> None:
        """No rows, no heading: what was shown came from a store that did not open."""
        w = self.w
        w.show_tasks(None, None, [], None)
        w.show_identity("", {}, "")


class AfterFirstPaint(QObject):
    """Calls ``fn`` once ``painted`` has fired for the first time (after the
    rest of that paint), or after FALLBACK_MS if nothing is painted (a window
    started minimised).

    The paint is told by the table's own paintEvent (TaskTable.painted), not
    by an event filter: a filter is handed every event as a QEvent, and
    PySide6 then builds the Python class of each kind of event it might be
    (~50 of them, ~3 ms of the start); a paintEvent builds only QPaintEvent's.
    The table paints within the window's first paint, empty or not."""

    FALLBACK_MS = 300

    def __init__(self, parent: QObject, painted: SignalInstance, fn: Callable[[], None]):
        super().__init__(parent)
        self.fn: Callable[[], None] | None = fn
        self.painted = painted
        painted.connect(self._painted)
        QTimer.singleShot(self.FALLBACK_MS, self, self._run)

    def _painted(self) -> None:
        self.painted.disconnect(self._painted)
        QTimer.singleShot(0, self, self._run)  # after the rest of the window is painted too

    def _run(self) -> None:
        if self.fn is None:
            return
        fn, self.fn = self.fn, None
        fn()
