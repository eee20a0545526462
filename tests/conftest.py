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
# every test's fresh data folder; the window runs its ops synchronously unless
# a test asks for the real worker thread. Static QMessageBox / QFileDialog
# calls are replaced so that no test can hang on a modal dialog.

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
    """open_window(unit="市财政局", sync=True, today=GUI_TODAY, data_dir=None) -> MainWindow."""
    import shutil

    from gui.app import start, stop

    windows = []

    def make(unit: str | None = "市财政局", sync: bool = True, today=GUI_TODAY, data_dir: Path | None = None,
             handler: str = "张三"):
        folder = data_dir or tmp_path / f"data{len(windows)}"
        if data_dir is None:
            shutil.copytree(_store_templates(unit, handler), folder)
        win = start(folder, today=today, sync=sync)
        assert win is not None
        qtbot.addWidget(win)
        windows.append(win)
        if not sync:
            qtbot.waitUntil(lambda: win.runner.idle and win.store_open, timeout=20000)
        return win

    yield make
    for win in windows:
        if win.lock is not None:
            win.runner.wait_idle(10)
            win.close()
            stop(win)
