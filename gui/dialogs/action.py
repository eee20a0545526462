"""An action (进展记录): add or edit; and its earlier versions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.deadlines import format_cn_date
from core.tasks import default_date
from gui.dialogs.base import FormDialog
from gui.widgets.date_edit import DateEdit
from gui.widgets.look import MUTED, set_text_color


class ActionDialog(FormDialog):
    """``plan_year``: the current plan's year; a new record's date starts from it
    (core.tasks.default_date) and a date more than a year away asks once."""

    def __init__(self, task_title: str, handler: str, action: dict | None = None, parent: QWidget | None = None,
                 today: date | None = None, *, plan_year: int | None = None):
        super().__init__(parent)
        self.action = action
        self.plan_year = plan_year
        self.setWindowTitle("修改进展记录" if action else "新增进展记录")
        lay = QVBoxLayout(self)
        head = QLabel(task_title)
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        lay.addWidget(head)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if action:
            first = date.fromisoformat(action["action_date"])
        else:
            first = today or date.today()
            if plan_year:
                first = default_date(plan_year, first)
        self.date = DateEdit(first, plan_year=plan_year)
        form.addRow("日期", self.date)
        self.content = QPlainTextEdit(action["content"] if action else "")
        self.content.setPlaceholderText("本单位做了什么，例如：7月15日在门户网站财政信息专栏公开2021年部门预算及“三公”经费预算。")
        self.content.setMinimumHeight(140)
        self.content.setTabChangesFocus(True)
        form.addRow("进展内容", self.content)
        self.handler = QLineEdit(action["handler"] if action else handler)
        self.handler.setMaxLength(50)
        form.addRow("经办人", self.handler)
        self.link = QLineEdit(action["link"] if action else "")
        self.link.setPlaceholderText("公开的网页地址（可不填）")
        form.addRow("公开链接", self.link)
        lay.addLayout(form)
        if action and action.get("version", 1) > 1:
            note = QLabel(f"这条记录已修改过 {action['version'] - 1} 次，每次修改前的内容都会保留。")
            set_text_color(note, MUTED)
            lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(560, 400)
        self.content.setFocus()

    def values(self) -> dict:
        return {"action_date": self.date.value(), "content": self.content.toPlainText(),
                "handler": self.handler.text(), "link": self.link.text()}

    def snapshot(self):
        return {**self.values(), "action_date": self.date.text()}

    def check(self, values: dict) -> str:
        if values["action_date"] is None:
            self.date.setFocus()
            return self.date.problem() or "请填写日期。"
        if not values["content"].strip():
            return "请填写进展内容。"
        return ""

    def confirm(self, values: dict) -> bool:
        return self.date.confirm_year(self)


class HistoryDialog(QDialog):
    """The current version and every earlier one, newest first."""

    def __init__(self, current: dict, versions: list[dict], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("进展记录的历史版本")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"共 {len(versions) + 1} 个版本，最上面是当前内容。"))
        rows = [("当前", current)] + [(f"第{v['version']}版", v) for v in reversed(versions)]
        self.table = QTableWidget(len(rows), 5)
        self.table.setHorizontalHeaderLabels(["版本", "日期", "进展内容", "经办人", "公开链接"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for r, (label, v) in enumerate(rows):
            for c, text in enumerate([label, format_cn_date(v["action_date"]), v["content"], v["handler"],
                                      v["link"]]):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.setColumnWidth(0, 60)
        self.table.setColumnWidth(1, 110)
        self.table.setColumnWidth(2, 330)
        self.table.setColumnWidth(3, 70)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeRowsToContents()
        self.table.verticalHeader().hide()
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(760, 380)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
