"""Start-up of the window.

The window is shown before anything slow: the store is opened (created,
migrated, seeded) by the first op on the worker thread once the window has
been painted (the worker's imports would otherwise compete with the first
paint for the interpreter's lock), and reportlab /
openpyxl are only imported when a report is made. One Taizhang per data
folder: a lock file there; a second start says so and exits without touching
anything.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def _lighter_pyside_import_hook() -> None:
    """PySide6 asks of every module imported after it whether its source names
    "PySide6" (for ``from __feature__ import …``, which Taizhang never uses),
    through inspect.getsource: tokenizing each file and keeping every line in
    linecache — ~15 ms and ~5 MB at a start from source (the bundle has no
    sources). The same question, answered by reading the file's bytes."""
    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if upstream is None or getattr(upstream, "_taizhang", False):
        return

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not (isinstance(path, str) and path.endswith(".py")):
            return upstream(module)
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return upstream(module)

    uses_pyside._taizhang = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside


_lighter_pyside_import_hook()

from core import APP_ID, APP_TITLE  # noqa: E402  (after the hook: these import too)
from core.datafolder import DataFolder  # noqa: E402
from gui.icon import give_icon  # noqa: E402


def ensure_app(argv: list[str] | None = None, icon: bool = True) -> QApplication:
    """The application, set up once: name, translations, font and, unless
    ``icon`` is False, the icon (a window's start gives it once its first rows
    are painted: gui.start_screen)."""
    from gui.i18n import choose_font, install_translations

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv if argv is None else argv)
    app.setApplicationName(APP_ID)
    # No setApplicationDisplayName: Qt appends the display name to every window
    # title on xcb and Windows ("政务公开工作台账 — 虎门镇 — 政务公开工作台账");
    # the window's own title already starts with APP_TITLE.
    install_translations(app)
    if icon:
        give_icon()
    if not getattr(app, "_taizhang_font", None):
        app._taizhang_font = choose_font(app)
    return app


def as_folder(data) -> DataFolder:
    return data if isinstance(data, DataFolder) else DataFolder(Path(data))


def acquire_lock(folder: DataFolder) -> QLockFile | None:
    """The data folder's lock, or None (after telling the clerk) when another
    Taizhang holds it or the folder cannot be used."""
    from core.errors import StoreError

    try:
        folder.ensure()
    except StoreError as exc:
        give_icon()
        QMessageBox.critical(None, APP_TITLE, str(exc))
        return None
    lock = QLockFile(str(folder.lock))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it has run
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        text = ("台账已经在运行，并且打开了同一个数据文件夹：\n"
                f"{folder.root}\n\n"
                "同一份数据只能由一个台账窗口打开。请切换到已经打开的台账窗口（看看任务栏）。\n"
                "本次启动没有做任何改动。")
    else:
        text = f"无法在数据文件夹中建立锁定文件，台账没有启动，也没有做任何改动：\n{folder.root}"
    give_icon()
    QMessageBox.warning(None, APP_TITLE, text)
    return None


def start(data: DataFolder | Path, today: date | None = None, sync: bool = False,
          clock: Callable[[], date] | None = None):
    """Lock the data folder, show the window, start opening the store.
    Returns the MainWindow, or None when another Taizhang has this folder.
    ``today`` fixes the date (the CLI's --today); ``clock`` tells it (tests)."""
    paused = CollectorPause()
    try:
        win = _start(data, today, sync, clock, paused)
    except BaseException:
        paused.resume(freeze=False)
        raise
    if win is None:
        paused.resume(freeze=False)
    return win


def _start(data, today, sync, clock, paused):
    from gui.errors import setup_logging
    from gui.main_window import MainWindow
    from gui.ops import OpRunner
    from gui.start_screen import AfterFirstPaint

    folder = as_folder(data)
    ensure_app(icon=False)  # given just before the store opens (StartScreen.open_store)
    lock = acquire_lock(folder)
    if lock is None:
        return None
    setup_logging(folder)
    runner = OpRunner(sync=sync)
    if clock is None:
        clock = (lambda: today) if today is not None else date.today
    win = MainWindow(folder, runner, clock=clock)
    runner.setParent(win)
    paused.until(win)
    win.lock = lock
    win.show()
    if sync:
        win.start_screen.open_store()
    else:  # the worker's imports would compete with the first paint for the interpreter
        AfterFirstPaint(win, win.table.painted, win.start_screen.after_paint)
    return win


class CollectorPause(QObject):
    """Python's cycle collector paused while the window starts.

    Importing the window's modules, building it and loading the store's rows
    allocate some 40,000 objects that live as long as the program; the
    collector walked them about ten times on the way (~10 ms of the start).
    From start() until the store's first load is in (or FALLBACK_MS), nothing
    is collected; then everything alive is frozen (gc.freeze: the collector
    never walks it again, which also keeps later pauses short) and collection
    resumes. A start that fails or is refused resumes it unfrozen."""

    FALLBACK_MS = 10_000

    def __init__(self):
        super().__init__()
        self.active = gc.isenabled()  # not when someone else has paused it
        self.froze = False
        if self.active:
            gc.disable()

    def until(self, win) -> None:
        self.setParent(win)
        win.collector_pause = self
        win.loaded.connect(self.resume)
        QTimer.singleShot(self.FALLBACK_MS, self, self.resume)

    def resume(self, freeze: bool = True) -> None:
        if self.active:
            self.active = False
            if freeze:
                gc.freeze()
                self.froze = True
            gc.enable()


def stop(win) -> None:
    """Close the store on the worker, then release the folder's lock."""
    pause = getattr(win, "collector_pause", None)
    if pause is not None:
        pause.resume(freeze=False)
        if pause.froze:
            gc.unfreeze()  # a later window (tests start many) leaves what it frees to the collector
    win.runner.shutdown()
    lock = win.lock
    if lock is not None:
        lock.unlock()
        win.lock = None


def run_gui(data: DataFolder | Path, today: date | None = None) -> int:
    app = ensure_app(icon=False)
    win = start(data, today=today)
    if win is None:
        return 1
    win.errors.install_excepthook(lambda: QApplication.activeWindow() or win)
    try:
        return app.exec()
    finally:
        stop(win)
