"""Start-up, Chinese Qt texts, one Taizhang per data folder, the op runner,
unexpected errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from core.errors import InputError
from gui.app import ensure_app, start, stop
from gui.errors import ErrorDialog
from gui.ops import OpChanges, OpRunner, Written
from tests.conftest import ROOT, find_dialog, settle, wait_until


# The window's own methods these tests call, each in one place.
def install_excepthook(win) -> None:
    """What gui.app.main does: unhandled exceptions go to the window's error dialog."""
    win.errors.install_excepthook(lambda: win)


def test_qt_dialog_buttons_are_chinese(qapp):
    loaded = ensure_app()._taizhang_translators
    assert loaded and loaded[0].filePath().endswith("qtbase_zh_CN.qm")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Save)
    texts = {b: box.button(b).text() for b in (QDialogButtonBox.StandardButton.Ok,
                                              QDialogButtonBox.StandardButton.Cancel,
                                              QDialogButtonBox.StandardButton.Close,
                                              QDialogButtonBox.StandardButton.Save)}
    assert list(texts.values()) == ["确定", "取消", "关闭", "保存"]
    msg = QMessageBox()
    msg.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert [b.text().split("(")[0] for b in msg.buttons()] == ["是", "否"]


def test_the_window_uses_chinese_everywhere(open_window):
    win = open_window()
    texts = [a.text() for a in win.findChildren(type(win.act_new_action))] + [m.title() for m in win.menuBar().findChildren(type(win.report_menu))]
    for t in texts:
        if t:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in t), t


def test_a_second_taizhang_on_the_same_folder_is_refused(open_window, message_boxes):
    win = open_window()
    before = sorted(p.name for p in win.folder.root.iterdir())
    assert start(win.folder.root) is None
    warning = message_boxes.texts("warning")[-1]
    assert "已经在运行" in warning and str(win.folder.root) in warning and "没有做任何改动" in warning
    assert sorted(p.name for p in win.folder.root.iterdir()) == before
    # once the first one has closed, the folder is free again
    win.close()
    stop(win)
    again = open_window(data_dir=win.folder.root)
    assert again.store_open


def test_a_second_process_is_refused_while_the_first_runs(open_window, tmp_path):
    """The lock holds across processes (QLockFile with the holder's pid)."""
    win = open_window()
    code = ("import sys; from PySide6.QtCore import QLockFile\n"
            f"lock = QLockFile({str(win.folder.root / 'taizhang.lock')!r})\n"
            "sys.exit(0 if not lock.tryLock(100) else 1)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_startup_shows_the_window_without_report_libraries(tmp_path, _store_templates):
    """In a fresh interpreter: the window modules do not pull the store in
    before the window is shown, and no report library is loaded at start-up."""
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    code = f"""
import sys, time
t0 = time.perf_counter()
import gui.app, gui.main_window
early = [m for m in ("core.ledger", "sqlite_utils", "db.store") if m in sys.modules]
from pathlib import Path
app = gui.app.ensure_app(["taizhang"])
win = gui.app.start(Path({str(data)!r}))
shown = win.isVisible()
opened_before_shown = win.store_open
end = time.monotonic() + 60
while not (win.store_open and win.runner.idle) and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
bad = [m for m in ("reportlab", "openpyxl", "core.reports", "pypdf", "PIL") if m in sys.modules]
print(repr((early, shown and not opened_before_shown, win.store_open, win.proxy.rowCount(), bad)))
win.close(); gui.app.stop(win)
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    early, shown, opened, rows, bad = eval(r.stdout.strip().splitlines()[-1])
    assert early == [] and shown and opened and rows == 40
    assert bad == []


def test_the_window_is_shown_before_the_store_is_open(tmp_path, qtbot, message_boxes, _store_templates):
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    win = start(data)
    qtbot.addWidget(win)
    try:
        assert win.isVisible()
        assert not win.act_new_action.isEnabled()
        qtbot.waitUntil(lambda: win.store_open and win.runner.idle, timeout=20000)
        assert win.proxy.rowCount() == 40
    finally:
        win.close()
        stop(win)


def test_the_started_window_wears_the_program_icon_by_the_time_its_store_is_open(tmp_path, qtbot, message_boxes,
                                                                               _store_templates):
    """The icon is given after the first rows are painted (gui.icon.give_icon),
    and before the store's open: every window of the session wears it."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    before = app.windowIcon()
    app.setWindowIcon(QIcon())  # as in a new process: the start gives it
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    win = start(data)
    qtbot.addWidget(win)
    try:
        qtbot.waitUntil(lambda: win.store_open and win.runner.idle, timeout=20000)
        sizes = sorted(s.width() for s in win.windowIcon().availableSizes())
        assert sizes == [16, 24, 32, 48, 64, 128, 256]
    finally:
        win.close()
        stop(win)
        app.setWindowIcon(before)


def test_a_window_closed_before_its_first_paint_opens_nothing_afterwards(tmp_path, qtbot, message_boxes,
                                                                        _store_templates):
    """stop() releases the data folder: the start's timers that fire later
    (a paint that never came) must not open the store on a new worker."""
    from PySide6.QtTest import QTest

    def workers() -> int:
        return sum(1 for t in threading.enumerate() if t.name == "taizhang-store" and t.is_alive())

    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    before = workers()
    win = start(data)
    qtbot.addWidget(win)
    win.close()
    stop(win)
    QTest.qWait(800)  # past the start's fallback timers (300 ms each)
    assert workers() == before and not win.store_open and win.runner.ledger is None
    assert win.proxy.rowCount() == 0  # nor read the store for a screen nobody sees
    ran: list[int] = []
    win.runner.read(lambda _led: ran.append(1)).run()  # any other timer's op, after stop()
    QTest.qWait(200)
    assert ran == [] and workers() == before


def test_a_window_that_is_never_painted_still_opens_its_store(tmp_path, qtbot, _store_templates, monkeypatch):
    """The store is opened after the window's first paint, or after a short
    wait when no paint comes (a window started minimised)."""
    from PySide6.QtWidgets import QMainWindow

    painted: list[bool] = []
    monkeypatch.setattr(QMainWindow, "show", lambda self: painted.append(False))  # shown nowhere: no paint
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    win = start(data)
    try:
        assert painted == [False] and not win.store_open
        qtbot.waitUntil(lambda: win.store_open and win.runner.idle, timeout=20000)
        assert win.proxy.rowCount() == 40
    finally:
        win.close()
        stop(win)


def test_the_collector_rests_while_the_window_starts_and_then_skips_what_the_start_made(tmp_path, qtbot,
                                                                                         _store_templates):
    """No cycle collection between start() and the first rows (gui.app.CollectorPause);
    then collection is back, with what the start built frozen; stop() unfreezes."""
    import gc

    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    assert gc.isenabled()
    win = start(data)
    try:
        assert not gc.isenabled()
        qtbot.waitUntil(lambda: win.store_open and win.runner.idle, timeout=20000)
        assert gc.isenabled() and gc.get_freeze_count() > 10000
    finally:
        win.close()
        stop(win)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_refused_start_leaves_the_collector_running(open_window, message_boxes):
    import gc

    win = open_window()
    assert start(win.folder) is None  # the folder is taken
    assert gc.isenabled()


def test_a_start_that_fails_leaves_the_collector_running(tmp_path, monkeypatch, _store_templates):
    import gc

    from gui.main_window import MainWindow

    def broken(self, *args, **kwargs):
        raise RuntimeError("the window could not be built")

    monkeypatch.setattr(MainWindow, "__init__", broken)
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    with pytest.raises(RuntimeError):
        start(data)
    assert gc.isenabled()


def test_a_newer_database_is_refused_with_a_clear_message(tmp_path, qtbot, message_boxes):
    import sqlite3

    data = tmp_path / "data"
    data.mkdir()
    con = sqlite3.connect(data / "taizhang.db")
    con.execute("PRAGMA user_version = 999")
    con.close()
    win = start(data)
    qtbot.addWidget(win)
    try:
        wait_until(lambda: any("较新版本" in t for t in message_boxes.texts("critical")), 20000)
        settle(win)
        assert not win.store_open
        assert any("较新版本" in t for t in message_boxes.texts("critical"))
    finally:
        win.close()
        stop(win)


# ---- the op runner ---------------------------------------------------------------


def test_ops_run_on_one_worker_and_come_back_on_the_gui_thread(qapp, qtbot):
    runner = OpRunner()
    seen = []
    main = threading.current_thread()
    for i in range(3):
        runner.read(lambda _led, i=i: (i, threading.current_thread().name)) \
            .success(lambda r: seen.append((r, threading.current_thread() is main))).run()
    assert not runner.idle
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert [r[0][0] for r in seen] == [0, 1, 2]
    assert {r[0][1] for r in seen} == {"taizhang-store"}
    assert all(on_main for _, on_main in seen)
    runner.shutdown()


def test_op_failures_and_changes(qapp, qtbot):
    errors = []
    runner = OpRunner(on_error=lambda parent, exc: errors.append(exc))
    changed = []
    runner.changed.connect(lambda changes, _initiator: changed.append(changes))

    def bad(_led):
        raise InputError("输入有误。")

    runner.read(bad).run()
    got = []
    runner.write(bad).failure(got.append).run()
    runner.write(lambda _led: Written(OpChanges.of_task("t1"))).run()
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert [str(e) for e in errors] == ["输入有误。"]
    assert [str(e) for e in got] == ["输入有误。"]
    assert [c.tasks for c in changed] == [{"t1"}]
    runner.shutdown()


def test_long_ops_report_progress_and_can_be_cancelled(qapp, qtbot):
    from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    runner = OpRunner()
    result = []

    def long(_led, job):
        for i in range(500):
            if job.cancelled():
                return ("cancelled", i)
            job.progress(i, 500)
            time.sleep(0.01)
        return ("done", 500)

    op = runner.read(long).with_progress(parent, "正在处理…").success(result.append).run()
    qtbot.waitUntil(lambda: op.progress_dialog is not None and op.progress_dialog.isVisible(), timeout=3000)
    dlg = op.progress_dialog
    assert isinstance(dlg, QProgressDialog) and dlg.labelText() == "正在处理…"
    qtbot.waitUntil(lambda: dlg.value() > 0, timeout=3000)
    dlg.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert result and result[0][0] == "cancelled" and result[0][1] < 500
    runner.shutdown()


def test_sync_runner_runs_at_once(qapp):
    runner = OpRunner(sync=True)
    out = []
    runner.read(lambda _led: 42).success(out.append).run()
    assert out == [42] and runner.idle


def test_unhandled_exceptions_are_logged_and_shown(open_window, monkeypatch):
    win = open_window()
    install_excepthook(win)
    try:
        raise ValueError("测试用的意外错误")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    finally:
        monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    dlg = find_dialog(ErrorDialog)
    assert dlg.isVisible() and "ValueError: 测试用的意外错误" in dlg.details.toPlainText()
    log = (win.folder.root / "logs" / "taizhang.log").read_text(encoding="utf-8")
    assert "ValueError: 测试用的意外错误" in log
    dlg.close()


@pytest.mark.parametrize("scale", ["1.5"])
def test_usable_at_150_percent(tmp_path, scale, _store_templates):
    """At QT_SCALE_FACTOR=1.5 on a 1366×768 screen the window still fits."""
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    code = f"""
import sys, time
from pathlib import Path
import gui.app
app = gui.app.ensure_app(["taizhang"])
win = gui.app.start(Path({str(data)!r}))
end = time.monotonic() + 60
while not (win.store_open and win.runner.idle) and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
hint = win.minimumSizeHint()
scr = win.screen().availableGeometry()
print(repr((hint.width(), hint.height(), scr.width(), scr.height(), win.width(), win.height())))
win.close(); gui.app.stop(win)
"""
    screen = tmp_path / "screen.json"
    screen.write_text('{"screens": [{"name": "s", "x": 0, "y": 0, "width": 1366, "height": 768, '
                      '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}')
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "QT_SCALE_FACTOR": scale}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    hw, hh, sw, sh, w, h = eval(r.stdout.strip().splitlines()[-1])
    assert (sw, sh) == (911, 512)  # 1366×768 at 150 %, in logical pixels
    assert hw <= sw and hh <= sh, (hw, hh)
    assert w <= sw and h <= sh


# ---- PySide6 6.12.0 on Python 3.11 lost a reference to None/True/False on
# every void call and every emit, and the interpreter aborted after a few
# thousand (Fatal Python error: none_dealloc / bool_dealloc). requirements.txt
# pins a PySide6 without that bug; this keeps it that way.


def test_a_long_session_does_not_wear_out_none_true_and_false():
    code = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QPushButton
app = QApplication([])
class O(QObject):
    changed = Signal(bool)
o = O()
o.changed.connect(lambda value: None)
button = QPushButton()
before = [sys.getrefcount(x) for x in (None, True, False)]
for _ in range(50000):
    button.setEnabled(True)
    o.changed.emit(True)
    o.changed.emit(False)
after = [sys.getrefcount(x) for x in (None, True, False)]
print([a - b for a, b in zip(after, before)])
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr[-500:]
    assert all(abs(d) < 100 for d in eval(r.stdout.strip().splitlines()[-1]))


def test_a_log_over_a_megabyte_moves_aside_at_start_and_the_oldest_goes(tmp_path):
    import logging

    from core.datafolder import DataFolder
    from gui.errors import setup_logging

    folder = DataFolder(tmp_path / "data")
    log = folder.log_file
    log.parent.mkdir(parents=True)
    log.write_bytes(b"old session\n" * 100_000)  # 1.2 MB
    for i, text in ((1, "one before"), (2, "two before"), (3, "the oldest")):
        log.with_name(f"{log.name}.{i}").write_text(text, encoding="utf-8")
    try:
        assert setup_logging(folder) == log
        for h in logging.getLogger("taizhang").handlers:
            h.flush()
        assert log.with_name(log.name + ".1").read_bytes().startswith(b"old session")
        assert log.with_name(log.name + ".2").read_text(encoding="utf-8") == "one before"
        assert log.with_name(log.name + ".3").read_text(encoding="utf-8") == "two before"
        assert not log.with_name(log.name + ".4").exists()
        text = log.read_text(encoding="utf-8")
        assert "启动" in text and "old session" not in text
        size = log.stat().st_size
        setup_logging(folder)  # a small log stays where it is
        assert log.stat().st_size > size
    finally:
        for h in list(logging.getLogger("taizhang").handlers):
            if getattr(h, "_taizhang", False):
                logging.getLogger("taizhang").removeHandler(h)
                h.close()
