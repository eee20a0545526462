"""How the window shows errors, and the log file in the data folder.

A ``TaizhangError`` is a complete Chinese sentence: shown as it is. Anything
else is unexpected: written with its traceback to <data>/logs/taizhang.log and
shown in a dialog whose details can be copied and sent to whoever supports
the clerk.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
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

log = logging.getLogger("taizhang")
LOG_FILE = "taizhang.log"


def setup_logging(data_dir: Path) -> Path | None:
    """Log to <data>/logs/taizhang.log (rotated); returns the file, or None if it cannot be written."""
    folder = Path(data_dir) / "logs"
    path = folder / LOG_FILE
    root = logging.getLogger("taizhang")
    for h in list(root.handlers):
        if getattr(h, "_taizhang", False):
            root.removeHandler(h)
            h.close()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler._taizhang = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.info("台账 %s 启动（Python %s，%s）", __version__, platform.python_version(), platform.platform())
    return path


def log_file_of(data_dir: Path) -> Path:
    return Path(data_dir) / "logs" / LOG_FILE


def details_of(exc: BaseException) -> str:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (f"台账 {__version__}，Python {platform.python_version()}，{platform.platform()}\n\n{tb}")


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
    """Shows errors for one window; ``shown`` keeps the last dialogs for tests."""

    def __init__(self, data_dir: Path | None = None):
        self.data_dir = data_dir
        self.last_dialog: ErrorDialog | None = None

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
        path = log_file_of(self.data_dir) if self.data_dir else None
        dlg = ErrorDialog(parent, exc, path)
        self.last_dialog = dlg
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
