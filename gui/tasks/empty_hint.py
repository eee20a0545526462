"""Said above the table when the filter and the search leave nothing to show,
with the way out: the same search in all the plan's tasks."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from gui.widgets.look import NOTICE_BORDER, Box


class EmptyHint(Box):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("#fef7e0", NOTICE_BORDER, parent=parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.search_all_button = QPushButton("在方案全部任务中查找")
        row.addWidget(self.search_all_button)
        self.hide()

    def show_for(self, where: str, category: str | None, query: str | None, widen: bool) -> None:
        """``where``: the quick filter's name; ``widen``: whether there is more to look in."""
        if category:
            where += f"、“{category}”类别"
        what = f"没有找到“{query}”" if query else "没有任务"
        self.label.setText(f"在“{where}”中{what}。")
        self.search_all_button.setVisible(widen)
        self.show()
