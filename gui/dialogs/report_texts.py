"""The clerk's own texts for the year-end self-report."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from gui.dialogs.base import FormDialog
from gui.widgets.look import MUTED, set_bold, set_text_color

FIELDS = [
    ("summary", "一、总体情况", "台账会自动写出任务数、完成数、逾期数等，这里补充本单位的总体情况，"
                             "例如：领导重视、机构人员、制度建设等。"),
    ("problems", "三、存在问题", "总体上存在的问题（各项任务未完成的原因在任务的“回头看”里填写）。"),
    ("next_steps", "四、下一步工作计划", "下一步的工作打算。"),
]


class ReportTextsDialog(FormDialog):
    def __init__(self, texts: dict, unit_name: str, year: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("自查报告文字")
        lay = QVBoxLayout(self)
        head = QLabel(f"{unit_name}{year or ''}{'年' if year else ''}政务公开工作要点落实情况自查报告 —— 由经办人填写的部分")
        head.setWordWrap(True)
        set_bold(head)
        lay.addWidget(head)
        self.tabs = QTabWidget()
        self.edits: dict[str, QPlainTextEdit] = {}
        for key, title, hint in FIELDS:
            page = QWidget()
            pl = QVBoxLayout(page)
            label = QLabel(hint)
            label.setWordWrap(True)
            set_text_color(label, MUTED)
            pl.addWidget(label)
            edit = QPlainTextEdit(texts.get(key, ""))
            pl.addWidget(edit, 1)
            self.edits[key] = edit
            self.tabs.addTab(page, title)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(640, 460)

    def values(self) -> dict:
        return {k: e.toPlainText() for k, e in self.edits.items()}
