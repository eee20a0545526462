"""The left panel: search box, quick filters and categories, with counts."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.tasks.model import QUICK_FILTERS, QUICK_TIPS, TaskFilterProxy, quick_predicate
from gui.widgets.look import set_bold

if TYPE_CHECKING:
    from core.tasks import TaskView

ALL_CATEGORIES = "__all__"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    set_bold(label)
    label.setContentsMargins(0, 4, 0, 0)
    return label


def _plain_list(name: str) -> QListWidget:
    box = QListWidget()
    box.setObjectName(name)
    box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return box


class SearchBox(QLineEdit):
    """Down or Enter go to the first hit; Esc clears the search."""

    to_results = Signal()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.to_results.emit()
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class FilterPanel(QWidget):
    """Search box, quick filters with counts, categories with counts."""

    search_changed = Signal(str)
    quick_changed = Signal(str)
    category_changed = Signal(object)  # name or None

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 2, 6)
        self.search = SearchBox()
        self.search.setPlaceholderText("搜索（Ctrl+F，↓ 到结果，Esc 清除）")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("在具体要求、进展记录、责任科室等中查找，边输入边筛选；两个字的词（如“舆情”）也可以，多个词用空格隔开")
        lay.addWidget(self.search)
        lay.addWidget(_heading("筛选"))
        self.quick = _plain_list("quickFilters")
        for key, label in QUICK_FILTERS:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            if key in QUICK_TIPS:
                item.setToolTip(QUICK_TIPS[key])
            self.quick.addItem(item)
        self.quick.setCurrentRow(0)
        self.quick.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit_quick()
        lay.addWidget(self.quick)
        lay.addWidget(_heading("工作任务（类别）"))
        self.categories = _plain_list("categories")
        self.categories.setWordWrap(True)
        self.categories.setTextElideMode(Qt.TextElideMode.ElideNone)
        lay.addWidget(self.categories, 1)
        self._labels = dict(QUICK_FILTERS)
        self._category_names: list[str] = []

        self.search.textChanged.connect(self.search_changed)
        self.quick.currentItemChanged.connect(
            lambda item, _prev: item is not None and self.quick_changed.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.categories.currentItemChanged.connect(self._category_item_changed)

    def _fit_quick(self) -> None:
        """Every quick filter visible, whatever the font and scale."""
        rows = sum(self.quick.sizeHintForRow(i) for i in range(self.quick.count()))
        self.quick.setFixedHeight(rows + 2 * self.quick.frameWidth() + 4)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_quick()

    def _category_item_changed(self, item, _prev) -> None:
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        self.category_changed.emit(None if key == ALL_CATEGORIES else key)

    def quick_label(self, key: str) -> str:
        return self._labels[key]

    def set_quick(self, key: str) -> None:
        for i in range(self.quick.count()):
            if self.quick.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.quick.setCurrentRow(i)
                return
        raise KeyError(key)

    def set_category(self, name: str | None) -> None:
        want = ALL_CATEGORIES if name is None else name
        for i in range(self.categories.count()):
            if self.categories.item(i).data(Qt.ItemDataRole.UserRole) == want:
                self.categories.setCurrentRow(i)
                return
        raise KeyError(name)

    def update_counts(self, tasks: list[TaskView], proxy: TaskFilterProxy) -> None:
        """Quick filters count the unit's tasks; categories count what the
        current quick filter and search would show in each."""
        today = proxy.clock()
        for i in range(self.quick.count()):
            item = self.quick.item(i)
            key = item.data(Qt.ItemDataRole.UserRole)
            pred = quick_predicate(key, today)
            n = sum(1 for t in tasks if pred(t))
            if proxy.numbers is None:
                item.setText(f"{self._labels[key]}　{n}")
            else:  # while searching: hits of the search / all under this filter
                hits = sum(1 for t in tasks if pred(t) and proxy.matches_search(t))
                item.setText(f"{self._labels[key]}　{hits}/{n}")
            item.setData(Qt.ItemDataRole.UserRole + 1, n)
            if key in ("pending", "overdue"):
                item.setForeground(Qt.GlobalColor.darkRed if n and key == "overdue" else
                                   (Qt.GlobalColor.darkYellow if n else Qt.GlobalColor.black))
        order: dict[str, int] = {}
        for t in tasks:
            order.setdefault(t.category, t.category_ord)
        names = sorted(order, key=order.get)
        shown = Counter(t.category for t in tasks if proxy.accepts(t, category=False))
        total = sum(shown.values())
        current = proxy.category
        self.categories.blockSignals(True)
        if names != self._category_names:
            self.categories.clear()
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, ALL_CATEGORIES)
            self.categories.addItem(item)
            for name in names:
                it = QListWidgetItem()
                it.setData(Qt.ItemDataRole.UserRole, name)
                it.setToolTip(name)
                self.categories.addItem(it)
            self._category_names = names
        for i in range(self.categories.count()):
            it = self.categories.item(i)
            key = it.data(Qt.ItemDataRole.UserRole)
            n = total if key == ALL_CATEGORIES else shown.get(key, 0)
            it.setText(f"全部类别　{n}" if key == ALL_CATEGORIES else f"{key}　{n}")
            it.setData(Qt.ItemDataRole.UserRole + 1, n)
            it.setForeground(Qt.GlobalColor.gray if n == 0 else Qt.GlobalColor.black)
            if (key == ALL_CATEGORIES and current is None) or key == current:
                self.categories.setCurrentItem(it)
        self.categories.blockSignals(False)

    def count_of(self, key: str) -> int:
        for i in range(self.quick.count()):
            if self.quick.item(i).data(Qt.ItemDataRole.UserRole) == key:
                return self.quick.item(i).data(Qt.ItemDataRole.UserRole + 1)
        raise KeyError(key)

    def category_count(self, name: str | None) -> int:
        want = ALL_CATEGORIES if name is None else name
        for i in range(self.categories.count()):
            if self.categories.item(i).data(Qt.ItemDataRole.UserRole) == want:
                return self.categories.item(i).data(Qt.ItemDataRole.UserRole + 1)
        raise KeyError(name)
