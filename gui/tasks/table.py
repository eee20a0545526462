"""The task table view; files dropped on a row attach to that task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from gui.drop import FileDropTarget, dropped_paths
from gui.tasks.model import COLUMNS, ID_ROLE, KEY_COLUMNS, recordable

if TYPE_CHECKING:
    from core.tasks import TaskView


class TaskTable(FileDropTarget, QTableView):
    """The task table; files dropped on a row attach to that task."""

    files_dropped = Signal(object, str)  # list[Path], task id
    painted = Signal()  # the rows have been painted (gui.start_screen waits for the first time)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table for the task's detail
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        h = self.horizontalHeader()
        h.setSectionsMovable(True)
        h.setHighlightSections(False)
        h.setStretchLastSection(False)
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def paintEvent(self, event) -> None:
        # every repaint passes through Python for the start's two waits (a few µs
        # against the paint's milliseconds; nothing listens afterwards)
        super().paintEvent(event)
        self.painted.emit()

    def default_widths(self, available: int | None = None) -> None:
        """The columns' default widths; with ``available`` (the viewport's
        width) 工作任务 takes what the key columns leave, up to 130 pixels,
        and 具体要求 the rest."""
        widths = {key: width for key, _, width in COLUMNS}
        if available:
            if not self.verticalScrollBar().isVisible():  # it will be, once the rows are in
                available -= self.verticalScrollBar().sizeHint().width()
            fixed = sum(widths[k] for k in KEY_COLUMNS if k != "category")
            room = available - fixed - 4
            widths["category"] = max(64, min(130, room))
            widths["text"] = max(160, room - widths["category"])
        for i, (key, _, _) in enumerate(COLUMNS):
            self.setColumnWidth(i, widths[key])

    def fit_columns(self) -> None:
        """The default widths fitted to the table's width (a first start). The
        viewport's width is asked of the table: asking for the viewport widget
        Qt made would have PySide6 build every widget class to type it (~7 ms)."""
        bar = self.verticalScrollBar()
        self.default_widths(self.maximumViewportSize().width() - (bar.sizeHint().width() if bar.isVisible() else 0))

    def task_id_at(self, pos) -> str | None:
        t = self.model().task_at(self.indexAt(pos).row())
        return t.id if t else None

    def current_task(self) -> TaskView | None:
        return self.model().task_at(self.currentIndex().row())

    def select_task(self, task_id: str) -> bool:
        model = self.model()
        for row in range(model.rowCount()):
            idx = model.index(row, 0)
            if idx.data(ID_ROLE) == task_id:
                self.selectionModel().setCurrentIndex(
                    idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.scrollTo(idx)
                return True
        return False

    def step(self, delta: int) -> None:
        row = self.currentIndex().row()
        self.select_row(0 if row < 0 else row + delta)

    def select_row(self, row: int) -> None:
        """Make ``row`` (clipped to the rows there are) the current one."""
        model = self.model()
        if model.rowCount() == 0:
            return
        idx = model.index(max(0, min(model.rowCount() - 1, row)), 0)
        self.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.scrollTo(idx)

    def accepts_drop(self, event) -> bool:
        if not dropped_paths(event.mimeData()):
            return False
        t = self.model().task_at(self.indexAt(event.position().toPoint()).row())
        return t is not None and recordable(t)

    def dragEnterEvent(self, event):
        # the row under the cursor is judged while moving; entering needs only files
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        FileDropTarget.dragEnterEvent(self, event)

    def dropEvent(self, event):
        paths = dropped_paths(event.mimeData())
        task_id = self.task_id_at(event.position().toPoint())
        if not paths or not task_id:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(paths, task_id)

