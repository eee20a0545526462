"""已完成 asks when: the date the task was completed (the self-report and the
回头看 checklist print it)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from gui.dialogs.base import FormDialog
from gui.widgets.date_edit import DateEdit


class DoneDateDialog(FormDialog):
    def __init__(self, task_title: str, first: date, plan_year: int | None = None, parent: QWidget | None = None):
        super().__init__(parent, ok_text="已完成")
        self.setWindowTitle("完成日期")
        lay = QVBoxLayout(self)
        head = QLabel(f"{task_title}\n\n这项任务是哪一天完成的？")
        head.setWordWrap(True)
        lay.addWidget(head)
        form = QFormLayout()
        self.date = DateEdit(first, plan_year=plan_year)
        form.addRow("完成日期", self.date)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.date.setFocus()

    def values(self) -> dict:
        return {"done_date": self.date.value()}

    def check(self, values: dict) -> str:
        return self.date.problem()

    def confirm(self, values: dict) -> bool:
        return self.date.confirm_year(self)
