"""Shared fixtures. Every test gets a fresh temporary data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "resources" / "plans" / "dongguan-2021.txt"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test may touch the real user's data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TAIZHANG_DATA", str(home / "Taizhang"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ledger(data_dir):
    from core.ledger import Ledger

    led = Ledger.open(data_dir)
    yield led
    led.close()


# ---- Qt fixtures for the window tests (tests/test_gui_*.py) ------------------
# A seeded store is made once per session for each "本单位" and copied into
# every test's fresh data folder; the window runs its ops on the real worker
# thread, as for the clerk, and the tests wait where an op runs (settle). Static
# QMessageBox / QFileDialog calls are replaced so that no test can hang on a
# modal dialog.

GUI_TODAY = __import__("datetime").date(2021, 12, 10)


@pytest.fixture(scope="session")
def qapp_args(tmp_path_factory):
    """pytest-qt's QApplication: offscreen, on a 1366×768 screen (the clerk's
    smallest) instead of the offscreen plugin's default 800×600."""
    config = tmp_path_factory.mktemp("qt") / "screen.json"
    config.write_text('{"screens": [{"name": "1366x768", "x": 0, "y": 0, "width": 1366, "height": 768, '
                      '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}', encoding="utf-8")
    return ["taizhang-tests", "-platform", f"offscreen:configfile={config}"]


@pytest.fixture(scope="session")
def _store_templates(tmp_path_factory):
    made: dict = {}

    def template(unit: str | None, handler: str = "张三") -> Path:
        key = (unit, handler)
        if key not in made:
            from core.ledger import Ledger

            folder = tmp_path_factory.mktemp("store-template") / "data"
            led = Ledger.open(folder)
            if unit:
                led.set_my_unit(unit)
                led.set_handler(handler)
            led.close()
            made[key] = folder
        return made[key]

    return template


class MessageBoxes:
    """Records every static QMessageBox call; answers ``answer`` to questions."""

    def __init__(self):
        self.calls: list[tuple[str, str]] = []
        self.answer = None

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.calls if kind is None or k == kind]


@pytest.fixture
def message_boxes(monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    boxes = MessageBoxes()

    def fake(kind):
        def call(parent, title, text, *args, **kwargs):
            boxes.calls.append((kind, text))
            if kind == "question":
                return boxes.answer if boxes.answer is not None else QMessageBox.StandardButton.Yes
            return QMessageBox.StandardButton.Ok
        return staticmethod(call)

    for kind in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return boxes


@pytest.fixture
def file_dialogs(monkeypatch):
    """Set ``file_dialogs.open_names`` / ``open_name`` / ``save_name`` before the call."""
    from PySide6.QtWidgets import QFileDialog

    class Answers:
        open_names: list[str] = []
        open_name: str = ""
        save_name: str = ""
        asked: list[tuple] = []

    answers = Answers()
    answers.asked = []

    def get_open_file_names(parent, caption="", folder="", filters="", *a, **k):
        answers.asked.append(("open_names", caption, folder))
        return list(answers.open_names), ""

    def get_open_file_name(parent, caption="", folder="", filters="", *a, **k):
        answers.asked.append(("open_name", caption, folder))
        return answers.open_name, ""

    def get_save_file_name(parent, caption="", folder="", filters="", *a, **k):
        answers.asked.append(("save_name", caption, folder))
        return answers.save_name, ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(get_open_file_names))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_open_file_name))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    return answers


@pytest.fixture
def open_window(qtbot, tmp_path, _store_templates, message_boxes, file_dialogs):
    """open_window(unit="市财政局", sync=False, today=GUI_TODAY, data_dir=None, clock=None) -> MainWindow,
    returned once the store is open and every op of the start-up has come back."""
    import shutil

    from gui.app import start, stop

    windows = []

    def make(unit: str | None = "市财政局", sync: bool = False, today=GUI_TODAY, data_dir: Path | None = None,
             handler: str = "张三", clock=None):
        folder = data_dir or tmp_path / f"data{len(windows)}"
        if data_dir is None:
            shutil.copytree(_store_templates(unit, handler), folder)
        win = start(folder, today=today, sync=sync, clock=clock)
        assert win is not None
        qtbot.addWidget(win)
        windows.append(win)
        wait_until(lambda: win.store_open or not win.runner.idle)  # the open starts after the first paint
        settle(win, 20000)
        assert win.store_open
        return win

    yield make
    for win in windows:
        if win.lock is not None:
            win.runner.wait_idle(10)
            win.close()
            stop(win)


# ---- driving the window as the clerk does ------------------------------------------
# Plain functions (no fixture needed), for the tests and their helpers.


def wait_until(condition, timeout: int = 10000) -> None:
    """Process events until ``condition()`` is true (what qtbot.waitUntil does);
    fails after ``timeout`` milliseconds."""
    import time

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout / 1000
    while True:
        QApplication.processEvents()
        if condition():
            return
        if time.monotonic() > end:
            raise AssertionError(f"still waiting after {timeout} ms for {getattr(condition, '__name__', condition)}")
        QTest.qWait(2)


def settle(win, timeout: int = 10000) -> None:
    """Wait until every op the window has started, and the ops their results
    started, has come back from the worker; then let the GUI catch up. Waits in
    an event loop woken by the runner's busy signal rather than polling, so the
    worker is not slowed by the test thread asking for the GIL."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    runner = win.runner
    if not runner.idle:
        loop = QEventLoop()

        def busy_changed(busy: bool) -> None:
            if not busy:
                loop.quit()

        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        runner.busy_changed.connect(busy_changed)
        timer.start(timeout)
        try:
            while not runner.idle and timer.isActive():
                loop.exec()
        finally:
            runner.busy_changed.disconnect(busy_changed)
            timer.stop()
        assert runner.idle, f"ops still running after {timeout} ms"
    QApplication.processEvents()


def find_dialog(cls, timeout: int = 5000):
    """The one visible window (dialog) of class ``cls``, as the clerk sees it;
    waits for it to appear (it may open when an op comes back)."""
    from PySide6.QtWidgets import QApplication

    found = []

    def shown():
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
        return bool(found)

    wait_until(shown, timeout)
    assert len(found) == 1, f"{len(found)} visible {cls.__name__} windows"
    return found[0]


def type_into(widget, text: str, clear: bool = True) -> None:
    """Type ``text`` with key presses (Enter for a line break). QTest.keyClicks
    aborts on characters outside ASCII, so each character is sent as a key event
    carrying its text, as an input method does. ``clear``: select all and Delete first."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    if clear:
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(widget, Qt.Key.Key_Delete)
    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def gone(dialog) -> bool:
    """Closed: hidden, or already deleted by Qt (WA_DeleteOnClose)."""
    import shiboken6

    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def choose(combo, text: str) -> None:
    """Pick ``text`` in a combo box by keyboard: F4 opens the list, arrows move, Enter chooses
    (one ``activated``, as for the clerk)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    target = combo.findText(text)
    assert target >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    assert combo.isVisible() and combo.isEnabled()
    QTest.keyClick(combo, Qt.Key.Key_F4)
    view = combo.view()
    wait_until(view.isVisible, 2000)
    while view.currentIndex().row() < target:
        QTest.keyClick(view, Qt.Key.Key_Down)
    while view.currentIndex().row() > target:
        QTest.keyClick(view, Qt.Key.Key_Up)
    QTest.keyClick(view, Qt.Key.Key_Return)
    wait_until(lambda: not view.isVisible(), 2000)


def click(widget, pos=None) -> None:
    """A left click on a visible widget (at ``pos``, else its centre)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    assert widget.isVisible(), widget
    if pos is None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def click_row(view, index) -> None:
    """Click the cell ``index`` of an item view, scrolled into sight first."""
    view.scrollTo(index)
    click(view.viewport(), view.visualRect(index).center())


def select_task(win, number: int) -> None:
    """Click task ``number``'s row in the table and wait for its detail."""
    from gui.tasks.model import COL

    proxy = win.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.task_at(r).number == number)
    click_row(win.table, proxy.index(row, COL["text"]))
    settle(win)


@pytest.fixture(autouse=True)
def _file_dialog_helpers_through_statics(request, monkeypatch):
    """gui.file_dialogs' helpers call QFileDialog's statics (which the
    ``file_dialogs`` fixture answers) in every test that uses that fixture."""
    if "file_dialogs" in request.fixturenames:
        import gui.file_dialogs

        monkeypatch.setattr(gui.file_dialogs, "USE_STATICS", True)
