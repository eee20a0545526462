"""A plan's title, issuer, date and year, as the clerk corrects them."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from gui.dialogs.base import FormDialog
from gui.widgets.date_edit import DateEdit


class PlanEditDialog(FormDialog):
    def __init__(self, plan: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("修改方案信息")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit(plan["title"])
        self.issuer = QLineEdit(plan.get("issuer") or "")
        self.issued = DateEdit(date.fromisoformat(plan["issued_date"]) if plan.get("issued_date") else None)
        if not plan.get("issued_date"):
            self.issued.clear()  # not known: left empty, not today
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(int(plan["year"]))
        form.addRow("标题", self.title)
        form.addRow("发文单位", self.issuer)
        form.addRow("印发日期", self.issued)
        form.addRow("年度", self.year)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(560, 220)

    def values(self) -> dict:
        return {"title": self.title.text().strip(), "issuer": self.issuer.text().strip(),
                "issued_date": self.issued.value() if self.issued.text().strip() else None,
                "year": self.year.value()}

    def check(self, values: dict) -> str:
        if not values["title"]:
            return "请填写方案标题。"
        return self.issued.problem() if self.issued.text().strip() else ""
