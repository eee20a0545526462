"""Before a report is saved: what the clerk has not written yet (the report
prints nothing in its place). Each line goes to where it is filled in; the
clerk may still save."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1


class GapsDialog(QDialog):
    go_to_text = Signal(str)  # "summary" / "problems" / "next_steps"
    go_to_task = Signal(int, str)  # task number, the gap's kind ("reason" / "remedy")
    save_anyway = Signal()

    def __init__(self, title: str, gaps: list, places: dict[str, str], task_titles: dict[int, str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title}：还有未填写的内容")
        lay = QVBoxLayout(self)
        note = QLabel("下面这些内容还没有填写，报表中相应的位置会空着。双击一行（或选中后按“前往填写”）"
                      "到填写的地方；也可以先保存，以后再补。")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        for gap in gaps:
            top = QTreeWidgetItem([f"{places.get(gap.kind, gap.kind)}：{gap.message}"])
            top.setData(0, Qt.ItemDataRole.UserRole, gap.kind)
            top.setToolTip(0, gap.message)
            self.tree.addTopLevelItem(top)
            for n in gap.numbers:
                child = QTreeWidgetItem([f"第{n}项　{task_titles.get(n, '')}"])
                child.setData(0, Qt.ItemDataRole.UserRole, gap.kind)
                child.setData(0, NUMBER_ROLE, n)
                top.addChild(child)
        self.tree.expandToDepth(0)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        lay.addWidget(self.tree, 1)
        buttons = QDialogButtonBox()
        self.go_button = QPushButton("前往填写")
        self.save_button = QPushButton("仍然保存…")
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.go_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.go_button.setDefault(True)
        cancel.clicked.connect(self.reject)
        self.go_button.clicked.connect(lambda: self.go(self.tree.currentItem()))
        self.save_button.clicked.connect(self._save)
        self.tree.itemActivated.connect(lambda item, _col: self.go(item))
        lay.addWidget(buttons)
        self.resize(620, 420)

    def go(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        kind = item.data(0, Qt.ItemDataRole.UserRole)
        number = item.data(0, NUMBER_ROLE)
        if number is None and item.childCount():
            number = item.child(0).data(0, NUMBER_ROLE)
        self.accept()
        if number is not None:
            self.go_to_task.emit(int(number), kind)
        else:
            self.go_to_text.emit(kind)

    def _save(self) -> None:
        self.accept()
        self.save_anyway.emit()
