"""How the window shows errors, and the log file in the data folder.

A ``TaizhangError`` is a complete Chinese sentence: shown as it is. Anything
else is unexpected: written with its traceback to the data folder's log and
shown in a dialog whose details can be copied and sent to whoever supports
the clerk.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import APP_TITLE, __version__
from core.datafolder import DataFolder

log = logging.getLogger("taizhang")


def setup_logging(data: DataFolder) -> Path | None:
    """Log to the data folder's log file (rotated); returns it, or None if it cannot be written."""
    path = data.log_file
    root = logging.getLogger("taizhang")
    for h in list(root.handlers):
        if getattr(h, "_taizhang", False):
            root.removeHandler(h)
            h.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(path)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler._taizhang = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.info("台账 %s 启动（Python %s，%s）", __version__, python_version(), system_name())
    return path


LOG_MAX_BYTES = 1_000_000
LOG_KEEP = 3  # taizhang.log.1 … .3


def _rotate(path: Path) -> None:
    """At start, a log over LOG_MAX_BYTES moves to .1 (.1 to .2, …): one
    session never writes a megabyte, and logging.handlers' rotating handler
    would import socket, pickle and queue on every start."""
    try:
        if path.stat().st_size < LOG_MAX_BYTES:
            return
    except FileNotFoundError:
        return
    for i in range(LOG_KEEP - 1, 0, -1):
        older = path.with_name(f"{path.name}.{i}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{i + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


def system_name() -> str:
    """"Linux 6.1.0 x86_64", "Windows 10 AMD64". platform.platform() would run
    `uname -p` in a subprocess on every start; importing platform at all takes
    ~2.5 ms of the start, so only Windows (no os.uname) does."""
    if hasattr(os, "uname"):
        u = os.uname()
        parts = (u.sysname, u.release, u.machine)
    else:
        import platform

        parts = (platform.system(), platform.release(), platform.machine())
    return " ".join(p for p in parts if p)


def python_version() -> str:
    return sys.version.split()[0]


def details_of(exc: BaseException) -> str:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (f"台账 {__version__}，Python {python_version()}，{system_name()}\n\n{tb}")


class ErrorDialog(QDialog):
    """An unexpected error: a plain sentence, the details to copy, where the log is."""

    def __init__(self, parent: QWidget | None, exc: BaseException, log_path: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — 程序出错")
        self.resize(640, 420)
        lay = QVBoxLayout(self)
        where = f"详细信息已记录在日志文件：\n{log_path}" if log_path else "详细信息见下方。"
        msg = QLabel(f"程序遇到了意外的错误，刚才的操作可能没有完成。已保存的数据不受影响。\n"
                     f"请把下面的详细信息复制给技术支持人员。{where}")
        msg.setWordWrap(True)
        msg.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(msg)
        self.details = QPlainTextEdit(details_of(exc))
        self.details.setReadOnly(True)
        lay.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("复制详细信息")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("已复制")


class ErrorPresenter:
    """Shows errors for one window."""

    def __init__(self, folder: DataFolder | None = None):
        self.folder = folder

    def __call__(self, parent: QWidget | None, exc: BaseException) -> None:
        from core.errors import Cancelled, TaizhangError

        if isinstance(exc, Cancelled):
            log.info("已取消：%s", exc)
            win = parent.window() if parent is not None else None
            if win is not None and hasattr(win, "statusBar"):
                win.statusBar().showMessage(str(exc), 8000)
            return
        if isinstance(exc, TaizhangError):
            log.info("提示用户：%s", exc)
            QMessageBox.warning(parent, APP_TITLE, str(exc))
            return
        self.unexpected(parent, exc)

    def unexpected(self, parent: QWidget | None, exc: BaseException) -> None:
        log.error("意外错误", exc_info=(type(exc), exc, exc.__traceback__))
        path = self.folder.log_file if self.folder else None
        dlg = ErrorDialog(parent, exc, path)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def install_excepthook(self, parent_of) -> None:
        """Unhandled exceptions in slots: logged and shown, not fatal."""
        def hook(exc_type, exc, tb):
            if issubclass(exc_type, KeyboardInterrupt):
                sys.__excepthook__(exc_type, exc, tb)
                return
            if exc.__traceback__ is None:
                exc = exc.with_traceback(tb)
            try:
                self.unexpected(parent_of(), exc)
            except Exception:  # never let the hook itself crash the program
                sys.__excepthook__(exc_type, exc, tb)
        sys.excepthook = hook
