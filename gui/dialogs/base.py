"""A dialog whose OK saves through an op and closes only when the save worked:
a failed save keeps everything the clerk typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget


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
        self.error.setStyleSheet("color: #c5221f;")
        self.error.hide()
        self.saving = False

    # Subclasses: values() -> dict, and optionally check(values) -> error text or "".
    def values(self) -> dict:
        raise NotImplementedError

    def check(self, values: dict) -> str:
        return ""

    def accept(self) -> None:
        if self.saving:
            return
        values = self.values()
        problem = self.check(values)
        if problem:
            self.show_error(problem)
            return
        self.saving = True
        self.ok_button.setEnabled(False)
        self.error.hide()
        self.submitted.emit(values)

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
