"""A dialog whose OK saves through an op and closes only when the save worked:
a failed save keeps everything the clerk typed, and Esc (or 取消, or the
window's close button) asks before throwing typed text away."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QWidget,
)

from gui.widgets.look import ERROR, set_text_color

DISCARD_QUESTION = "放弃已填写的内容吗？"


class _ButtonTexts(QObject):
    """Renames the Yes/No buttons of the one message box showing ``text``
    before it is painted (QMessageBox.question's statics take only standard buttons)."""

    def __init__(self, text: str, names: dict):
        super().__init__()
        self.text, self.names = text, names

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QMessageBox) and obj.text() == self.text:
            for which, name in self.names.items():
                button = obj.button(which)
                if button is not None:
                    button.setText(name)
        return False


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str, default_yes: bool = False) -> bool:
    """QMessageBox.question with the buttons named for what they do; True for ``yes``.
    Esc answers ``no``."""
    Btn = QMessageBox.StandardButton
    names = _ButtonTexts(text, {Btn.Yes: yes, Btn.No: no})
    app = QApplication.instance()
    app.installEventFilter(names)
    try:
        answer = QMessageBox.question(parent, title, text, Btn.Yes | Btn.No, Btn.Yes if default_yes else Btn.No)
    finally:
        app.removeEventFilter(names)
    return answer == Btn.Yes


class FormDialog(QDialog):
    submitted = Signal(object)  # the values to save

    def __init__(self, parent: QWidget | None = None, ok_text: str = "保存"):
        super().__init__(parent)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_text_color(self.error, ERROR)
        self.error.hide()
        self.saving = False
        self.initial: dict | None = None  # the values when first shown

    def showEvent(self, event) -> None:
        if self.initial is None:
            self.initial = self.snapshot()
        super().showEvent(event)

    # Subclasses: values() -> dict, and optionally check(values) -> error text or "".
    def values(self) -> dict:
        raise NotImplementedError

    def check(self, values: dict) -> str:
        return ""

    def confirm(self, values: dict) -> bool:
        """After check(): questions to ask before saving (False: do not save yet)."""
        return True

    def snapshot(self):
        """What Esc would throw away, compared with its state when shown."""
        return self.values()

    def dirty(self) -> bool:
        return self.initial is not None and self.snapshot() != self.initial

    def accept(self) -> None:
        if self.saving:
            return
        values = self.values()
        problem = self.check(values)
        if problem:
            self.show_error(problem)
            return
        if not self.confirm(values):
            return
        self.saving = True
        self.ok_button.setEnabled(False)
        self.error.hide()
        self.submitted.emit(values)

    def reject(self) -> None:
        """Esc, 取消 or the close button: ask first when something was typed."""
        if not self.saving and self.dirty() and not ask(self, self.windowTitle(), DISCARD_QUESTION, "放弃", "继续编辑"):
            return
        super().reject()

    def saved(self, *_):
        """The op worked: close."""
        self.saving = False
        super().accept()

    def failed(self, message: str | None = None) -> None:
        """The op failed: stay open with what was typed."""
        self.saving = False
        self.ok_button.setEnabled(True)
        if message:
            self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def alive(widget) -> bool:
    """False once Qt has deleted the widget (a dialog closed while its op ran)."""
    import shiboken6

    return widget is not None and shiboken6.isValid(widget)


def save_through(runner, dlg, fn, errors, parent: QWidget, on_saved=None, initiator=None) -> None:
    """Run a dialog's save as a write; close the dialog when it worked, keep it
    (and what was typed) when not. ``fn`` returns ``Written``; ``on_saved`` gets
    its value. A dialog closed while saving hands its error to the window."""
    from core.errors import TaizhangError

    def ok(value):
        if alive(dlg):
            dlg.saved(value)
        if on_saved is not None:
            on_saved(value)

    def bad(exc):
        if not alive(dlg):
            runner.report_error(exc, parent)
        elif isinstance(exc, TaizhangError):
            dlg.failed(str(exc))
        else:
            dlg.failed("保存失败，您填写的内容仍在这里。请把错误详细信息告诉技术支持人员。")
            errors.unexpected(dlg, exc)

    runner.write(fn, initiator=initiator or dlg).success(ok).failure(bad).run()
