"""Operations off the GUI thread, after Anki's CollectionOp and QueryOp.

Two kinds, both run on ONE worker thread that owns the Ledger (so SQLite
access stays serial and the window never waits on the store):

    runner.write(lambda led: Written(OpChanges.of_task(tid), led.set_status(...)),
                 initiator=self).success(on_done).run()
    runner.read(lambda led: led.actions(unit_id, tid)).success(show).run()

A write must return ``Written`` — what it changed and, optionally, a value for
its caller; anything else is a programming error, reported as such, so a write
can never silently refresh nothing. After the write's own success callback the
runner broadcasts ``changed(changes, initiator)`` to every listener. A read
returns a value and changes nothing.

The function gets the Ledger, and a ``Job`` when the op was built with
``with_progress`` (progress reports, the cancel flag, a progress dialog after
half a second). A read built with ``supersedes(key)`` is skipped, unrun, when a
newer one with the same key was submitted before the worker reached it: the
clerk has moved on. A read built with ``urgent()`` (a search keystroke) goes
before every op still waiting, never behind a detail load. The worker never reads widgets: everything it needs is in
the function's closure, captured on the GUI thread.

Exceptions come back to the GUI thread; SystemExit and KeyboardInterrupt are
not caught. ``OpRunner(sync=True)`` runs each op at once on the calling thread
(scripts; a test of that mode).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger("taizhang.gui")

PROGRESS_DELAY_MS = 500
PROGRESS_STEPS = 1000


@dataclass(frozen=True)
class OpChanges:
    """What a write changed, so each listener refreshes only its part."""
    tasks: frozenset[str] = frozenset()  # task ids whose row, detail or records changed
    everything: bool = False  # my unit, the plan or the directory changed: reload all
    recycle_bin: bool = False  # the 回收站's contents changed

    @classmethod
    def of_tasks(cls, task_ids: Iterable[str], recycle_bin: bool = False) -> OpChanges:
        return cls(tasks=frozenset(task_ids), recycle_bin=recycle_bin)

    @classmethod
    def of_task(cls, task_id: str, recycle_bin: bool = False) -> OpChanges:
        return cls.of_tasks([task_id], recycle_bin)

    @classmethod
    def all(cls) -> OpChanges:
        return cls(everything=True, recycle_bin=True)


@dataclass(frozen=True)
class Written:
    """A write's result: its changes, and a value for the caller."""
    changes: OpChanges
    value: Any = None


@dataclass(frozen=True)
class StoreOpened:
    """What the window should say once the store is open."""
    warnings: list[str]  # e.g. the day's backup failed; the store is damaged
    read_only: bool  # damaged: opened for reading only, every write refused


class OpContractError(RuntimeError):
    """A write returned something else than ``Written``: a bug, not bad input."""


class Job:
    """Handed to a long operation: progress reports and the cancel flag."""

    def __init__(self, runner: OpRunner, op: Op):
        self._runner = runner
        self._op = op
        self._cancel = threading.Event()
        self._last = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        t = time.monotonic()
        if done < total and t - self._last < 0.05:
            return  # at most 20 updates a second
        self._last = t
        self._runner._emit_progress(self._op, done, total)


_SKIPPED = object()


class Op:
    """One operation; build it with the runner's ``read`` or ``write``."""

    writes = False
    priority = 1  # the worker takes lower first, in order of submission within one

    def __init__(self, runner: OpRunner, fn: Callable):
        self._runner = runner
        self.fn = fn
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: tuple[QWidget | None, str, bool] | None = None
        self._key: str | None = None
        self._superseded = False
        self.job: Job | None = None
        self.progress_dialog: QProgressDialog | None = None

    def success(self, cb: Callable[[Any], None]) -> Op:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op:
        self._failure = cb
        return self

    def with_progress(self, parent: QWidget | None, label: str, cancellable: bool = True) -> Op:
        """``fn`` is then called as ``fn(ledger, job)``."""
        self._progress = (parent, label, cancellable)
        return self

    def run(self) -> Op:
        self._runner.submit(self)
        return self

    def _result(self, raw: Any) -> Any:
        return raw

    def _delivered(self, result: Any) -> None:
        if self._success is not None:
            self._success(result)


class ReadOp(Op):
    """Reads and returns a value; changes nothing."""

    def supersedes(self, key: str) -> ReadOp:
        """Skip any read with this key still waiting for the worker."""
        self._key = key
        return self

    def urgent(self) -> ReadOp:
        """Run before the ops already waiting (the clerk is waiting on this one)."""
        self.priority = 0
        return self


class WriteOp(Op):
    """Writes; must return ``Written``; its changes are broadcast."""

    writes = True

    def __init__(self, runner: OpRunner, fn: Callable, initiator: object | None):
        super().__init__(runner, fn)
        self.initiator = initiator

    def _result(self, raw: Any) -> Any:
        if not isinstance(raw, Written):
            raise OpContractError(f"写操作 {getattr(self.fn, '__qualname__', self.fn)} 没有返回它改变了什么"
                                  f"（应返回 Written，实际为 {type(raw).__name__}）。")
        return raw

    def _delivered(self, result: Written) -> None:
        try:
            super()._delivered(result.value)
        finally:
            self._runner.changed.emit(result.changes, self.initiator)


class OpRunner(QObject):
    """The one worker thread that owns the Ledger."""

    _finished = Signal(object, object, object)  # op, result, exception
    _progressed = Signal(object, int, int)  # op, done, total
    changed = Signal(object, object)  # OpChanges, initiator — after the write's own success callback
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, sync: bool = False,
                 on_error: Callable[[QWidget | None, BaseException], None] | None = None):
        super().__init__(parent)
        self.sync = sync
        self.ledger = None  # set on the worker by open_ledger()
        self.on_error = on_error
        self.error_parent: QWidget | None = None
        self._queue = None  # (priority, order, op); made with the worker (queue is not on the start path)
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._pending = 0
        self.closed = False  # shut down: no op runs any more (see shutdown)
        self._close_on_exit = None
        self._jobs: set[Job] = set()
        self._latest: dict[str, ReadOp] = {}
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    # ---- building ops -------------------------------------------------------
    def read(self, fn: Callable) -> ReadOp:
        return ReadOp(self, fn)

    def write(self, fn: Callable, initiator: object | None = None) -> WriteOp:
        return WriteOp(self, fn, initiator)

    def open_ledger(self, folder) -> ReadOp:
        """A read that opens (creates, migrates, seeds) the store on the worker.
        (It writes the seed on a first start, but nothing on screen shows yet.)"""
        def fn(_):
            from core.ledger import Ledger  # imported here: keeps start-up light

            if self.ledger is not None:
                self.ledger.close()
                self.ledger = None
            self.ledger = Ledger.open(folder)
            return StoreOpened(list(self.ledger.warnings), self.ledger.read_only)
        return self.read(fn)

    def reopening(self, fn: Callable, folder) -> WriteOp:
        """A write that closes the Ledger, runs ``fn(job)`` while the store is
        closed (a restore replaces its file), and opens it again, whatever
        happened. Build it ``with_progress``; everything on screen reloads."""
        def op(_led, job):
            from core.ledger import Ledger

            if self.ledger is not None:
                self.ledger.close()
                self.ledger = None
            try:
                value = fn(job)
            finally:
                self.ledger = Ledger.open(folder)
            return Written(OpChanges.all(), value)
        return self.write(op)

    @property
    def idle(self) -> bool:
        return self._pending == 0

    # ---- running ------------------------------------------------------------
    def submit(self, op: Op) -> None:
        if self.closed:  # a timer of a window being closed: nothing may open or touch the store now
            log.info("已关闭，不再执行：%s", getattr(op.fn, "__qualname__", op.fn))
            return
        if op._progress is not None:
            op.job = Job(self, op)
            self._jobs.add(op.job)
            parent, label, cancellable = op._progress
            if not self.sync:
                op.progress_dialog = self._make_dialog(op, parent, label, cancellable)
        if op._key is not None:
            older = self._latest.get(op._key)
            if older is not None:
                older._superseded = True
            self._latest[op._key] = op
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        if self.sync:
            result, exc = self._call(op)
            self._deliver(op, result, exc)
            return
        if self._thread is None:
            import queue

            self._queue = queue.PriorityQueue()
            self._thread = threading.Thread(target=self._loop, name="taizhang-store", daemon=True)
            self._thread.start()
        self._queue.put((op.priority, next(self._order), op))

    def _call(self, op: Op) -> tuple[Any, Exception | None]:
        if op._superseded:
            return _SKIPPED, None
        try:
            raw = op.fn(self.ledger, op.job) if op.job is not None else op.fn(self.ledger)
            return op._result(raw), None
        except Exception as exc:  # handed to the GUI thread; SystemExit/KeyboardInterrupt pass
            return None, exc

    def _loop(self) -> None:
        while True:
            op = self._queue.get()[2]
            if op is None:
                ledger, self._close_on_exit = self._close_on_exit, None
                if ledger is not None:
                    ledger.close()
                return
            result, exc = self._call(op)
            self._finished.emit(op, result, exc)

    def _deliver(self, op: Op, result: Any, exc: Exception | None) -> None:
        self._pending -= 1
        self._jobs.discard(op.job)
        if op._key is not None and self._latest.get(op._key) is op:
            del self._latest[op._key]
        if op.progress_dialog is not None:
            op.progress_dialog.reset()
            op.progress_dialog.hide()
            op.progress_dialog.deleteLater()
            op.progress_dialog = None
        try:
            if result is _SKIPPED:
                return
            if exc is None:
                op._delivered(result)
            elif op._failure is not None:
                op._failure(exc)
            else:
                self.report_error(exc)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)

    def report_error(self, exc: BaseException, parent: QWidget | None = None) -> None:
        if self.on_error is not None:
            self.on_error(parent or self.error_parent, exc)
        else:
            log.error("操作失败", exc_info=exc)

    # ---- progress -----------------------------------------------------------
    def _make_dialog(self, op: Op, parent: QWidget | None, label: str, cancellable: bool) -> QProgressDialog:
        dlg = QProgressDialog(label, "取消" if cancellable else "", 0, PROGRESS_STEPS, parent)
        dlg.setWindowTitle("请稍候")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(PROGRESS_DELAY_MS)
        dlg.setAutoReset(False)
        dlg.setAutoClose(False)
        if not cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(op.job.cancel)
        dlg.canceled.connect(lambda: dlg.setLabelText("正在取消…"))
        dlg.setValue(0)
        # Busy indicator until the first report; shown after the delay even then.
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda: op.progress_dialog is dlg and not dlg.isVisible() and dlg.show())
        return dlg

    def _emit_progress(self, op: Op, done: int, total: int) -> None:
        if self.sync:
            return
        self._progressed.emit(op, done, total)

    def _show_progress(self, op: Op, done: int, total: int) -> None:
        dlg = op.progress_dialog
        if dlg is None or op.job is None or op.job.cancelled():
            return
        dlg.setValue(int(PROGRESS_STEPS * done / total) if total else 0)

    # ---- life cycle -----------------------------------------------------------
    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Process events until every submitted op has been delivered (shutdown, tests)."""
        from PySide6.QtCore import QCoreApplication

        end = time.monotonic() + timeout
        while self._pending and time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.002)
        return self._pending == 0

    def cancel_all(self) -> None:
        """Ask every long operation still running or queued to stop."""
        for job in list(self._jobs):
            job.cancel()

    def shutdown(self) -> None:
        """Cancel long operations, close the ledger on the worker, stop the thread.
        Ops submitted afterwards are dropped: a new worker would open nothing
        that anyone closes, in a data folder whose lock is already released."""
        self.closed = True
        self.cancel_all()
        ledger, self.ledger = self.ledger, None
        if self._thread is not None:
            self._close_on_exit = ledger
            self._queue.put((Op.priority, next(self._order), None))  # after everything submitted
            self._thread.join(timeout=30)
            self._thread = None
        elif ledger is not None:
            ledger.close()
