"""One cell of the roll-up opened: that unit's state, records and evidence
files on that task, read from the imported package (read only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from core.vocabulary import LIGHT_MEANING, format_cn_date


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


class CellDialog(QDialog):
    def __init__(self, unit_name: str, view, actions: list[dict], files: list[dict], open_file, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{unit_name} · 第{view.number}项任务")
        self.resize(640, 520)
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{_esc(unit_name)}</b>　第{view.number}项（{_esc(view.category)}）　"
                      f"{_esc(view.role_label)}　时限：{_esc(view.deadline_text)}<br>"
                      f"状态：<b>{_esc(view.status)}</b>　{_esc(LIGHT_MEANING[view.light])}")
        head.setWordWrap(True)
        lay.addWidget(head)
        body = [f"<p>{_esc(view.text)}</p>"]
        if view.dept or view.person:
            body.append(f"<p>责任科室：{_esc(view.dept)}　责任人：{_esc(view.person)}</p>")
        if view.problem or view.remedy:
            due = f"（{format_cn_date(view.remedy_due)}前）" if view.remedy_due else ""
            body.append(f"<p>存在问题：{_esc(view.problem)}<br>整改措施：{_esc(view.remedy)}{due}</p>")
        body.append("<h4>进展记录</h4>")
        if actions:
            body += [f"<p>{format_cn_date(a['action_date'])}　{_esc(a['content'])}"
                     + (f"（经办人：{_esc(a['handler'])}）" if a["handler"] else "") + "</p>" for a in actions]
        else:
            body.append("<p>（无）</p>")
        self.text = QTextBrowser()
        self.text.setHtml("".join(body))
        lay.addWidget(self.text, 3)
        lay.addWidget(QLabel("佐证材料（双击打开）："))
        self.files = QListWidget()
        for f in files:
            item = QListWidgetItem(f"{f['name']}（{f['size']} 字节）")
            item.setData(Qt.ItemDataRole.UserRole, f)
            self.files.addItem(item)
        self.files.itemDoubleClicked.connect(lambda item: open_file(item.data(Qt.ItemDataRole.UserRole)))
        lay.addWidget(self.files, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        lay.addWidget(buttons)
