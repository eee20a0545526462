"""Operations off the GUI thread, after Anki's CollectionOp.

    self.runner.op(lambda led: led.set_status(unit, task, "已完成")) \\
        .success(on_done).failure(on_error).run()

Every ``fn`` runs on ONE worker thread that owns the Ledger, so SQLite access
stays serial and the window never waits on the store; the result (or the
exception) comes back on the GUI thread through a queued signal. A long
operation gets a ``Job`` (``.with_progress(...)``): it reports progress and
checks ``job.cancelled()``; a progress dialog appears when it takes longer than
half a second, with a cancel button.

An operation that writes returns a ``Changes`` naming what it changed; the
runner announces it (``changed`` signal) so the window refreshes only that.

Tests (and scripts) can make the runner synchronous: ``OpRunner(sync=True)``
runs each operation at once on the calling thread, callbacks included.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger("taizhang.gui")

PROGRESS_DELAY_MS = 500
PROGRESS_STEPS = 1000


@dataclass
class Changes:
    """What a write changed, so the window refreshes only that."""
    tasks: set[str] = field(default_factory=set)  # task ids whose row or detail changed
    everything: bool = False  # unit, plan or directory changed: reload all
    recycle_bin: bool = False  # the 回收站's contents changed
    value: Any = None  # what the operation wants to hand back to its caller

    @classmethod
    def task(cls, task_id: str, value: Any = None, recycle_bin: bool = False) -> Changes:
        return cls(tasks={task_id}, value=value, recycle_bin=recycle_bin)


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


class Op:
    def __init__(self, runner: OpRunner, fn: Callable):
        self._runner = runner
        self.fn = fn
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: tuple[QWidget | None, str, bool] | None = None
        self.job: Job | None = None
        self.dialog: QProgressDialog | None = None
        self.name = getattr(fn, "__name__", "op")

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


class OpRunner(QObject):
    """The one worker thread that owns the Ledger."""

    _finished = Signal(object, object, object)  # op, result, exception
    _progressed = Signal(object, int, int)  # op, done, total
    changed = Signal(object)  # Changes, after the op's own success callback
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, sync: bool = False,
                 on_error: Callable[[QWidget | None, BaseException], None] | None = None):
        super().__init__(parent)
        self.sync = sync
        self.ledger = None  # set on the worker by open_ledger()
        self.on_error = on_error
        self.error_parent: QWidget | None = None
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pending = 0
        self._close_on_exit = None
        self._jobs: set[Job] = set()
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    # ---- building ops -------------------------------------------------------
    def op(self, fn: Callable) -> Op:
        return Op(self, fn)

    def open_ledger(self, data_dir) -> Op:
        """An op that opens (creates, migrates, seeds) the store on the worker."""
        def fn(_):
            from core.ledger import Ledger  # imported here: keeps start-up light

            if self.ledger is not None:
                self.ledger.close()
                self.ledger = None
            self.ledger = Ledger.open(data_dir)
            return self.ledger
        return self.op(fn)

    @property
    def idle(self) -> bool:
        return self._pending == 0

    # ---- running ------------------------------------------------------------
    def submit(self, op: Op) -> None:
        if op._progress is not None:
            op.job = Job(self, op)
            self._jobs.add(op.job)
            parent, label, cancellable = op._progress
            if not self.sync:
                op.dialog = self._make_dialog(op, parent, label, cancellable)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        if self.sync:
            result, exc = self._call(op)
            self._deliver(op, result, exc)
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="taizhang-store", daemon=True)
            self._thread.start()
        self._queue.put(op)

    def _call(self, op: Op) -> tuple[Any, BaseException | None]:
        try:
            if op.job is not None:
                return op.fn(self.ledger, op.job), None
            return op.fn(self.ledger), None
        except BaseException as exc:  # handed to the GUI thread
            return None, exc

    def _loop(self) -> None:
        while True:
            op = self._queue.get()
            if op is None:
                ledger, self._close_on_exit = self._close_on_exit, None
                if ledger is not None:
                    ledger.close()
                return
            result, exc = self._call(op)
            self._finished.emit(op, result, exc)

    def _deliver(self, op: Op, result: Any, exc: BaseException | None) -> None:
        self._pending -= 1
        self._jobs.discard(op.job)
        if op.dialog is not None:
            op.dialog.reset()
            op.dialog.hide()
            op.dialog.deleteLater()
            op.dialog = None
        try:
            if exc is None:
                if op._success is not None:
                    op._success(result)
                if isinstance(result, Changes):
                    self.changed.emit(result)
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
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda: op.dialog is dlg and not dlg.isVisible() and dlg.show())
        return dlg

    def _emit_progress(self, op: Op, done: int, total: int) -> None:
        if self.sync:
            return
        self._progressed.emit(op, done, total)

    def _show_progress(self, op: Op, done: int, total: int) -> None:
        dlg = op.dialog
        if dlg is None or op.job is None or op.job.cancelled():
            return
        dlg.setValue(int(PROGRESS_STEPS * done / total) if total else 0)

    # ---- life cycle -----------------------------------------------------------
    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Process events until every submitted op has been delivered (tests, shutdown)."""
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
        """Cancel long operations, close the ledger on the worker, stop the thread."""
        self.cancel_all()
        ledger, self.ledger = self.ledger, None
        if self._thread is not None:
            self._close_on_exit = ledger
            self._queue.put(None)
            self._thread.join(timeout=30)
            self._thread = None
        elif ledger is not None:
            ledger.close()
