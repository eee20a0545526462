"""The 回收站: deleted actions and removed evidence files, restorable."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.attachments import human_size
from core.deadlines import format_cn_date
from gui.detail.timeline import local_day


def _table(headers: list[str], widths: list[int]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    t.verticalHeader().hide()
    for i, w in enumerate(widths):
        t.setColumnWidth(i, w)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class RecycleBinDialog(QDialog):
    restore_actions = Signal(list)  # action rows
    restore_files = Signal(list)  # attachment rows
    empty_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("回收站")
        self.number_of: dict[str, int] = {}
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("删除的进展记录和移除的佐证材料都在这里，选中后点“恢复”即可放回原任务。"))
        self.tabs = QTabWidget()
        self.actions = _table(["任务", "日期", "进展内容", "随附的佐证材料", "删除时间"], [60, 110, 300, 160, 110])
        self.files = _table(["任务", "文件名", "大小", "移除时间"], [60, 360, 90, 120])
        self.tabs.addTab(self.actions, "进展记录")
        self.tabs.addTab(self.files, "佐证材料")
        lay.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("恢复")
        self.restore_button.clicked.connect(self.restore_selected)
        row.addWidget(self.restore_button)
        self.empty_button = QPushButton("清空回收站…")
        self.empty_button.setToolTip("永久删除回收站中的全部内容，释放磁盘空间")
        self.empty_button.clicked.connect(self.empty_requested)
        row.addWidget(self.empty_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        lay.addLayout(row)
        self.resize(760, 420)
        self._action_rows: list[dict] = []
        self._file_rows: list[dict] = []

    def set_rows(self, actions: list[dict], files: list[dict], went_with_actions: list[dict],
                 number_of: dict[str, int]) -> None:
        """Deleted records (each with the files that went with it) and removed files."""
        self.number_of = number_of
        self._action_rows = sorted(actions, key=lambda a: a["deleted_at"] or "", reverse=True)
        self._file_rows = sorted(files, key=lambda f: f["deleted_at"] or "", reverse=True)
        went_with: dict[str, list[str]] = {}
        for f in went_with_actions:
            went_with.setdefault(f["action_id"], []).append(f["name"])
        self._fill(self.actions, [[f"第{number_of.get(a['task_id'], '?')}项", format_cn_date(a["action_date"]),
                                   " ".join(a["content"].split()), "、".join(went_with.get(a["id"], [])),
                                   local_day(a["deleted_at"])]
                                  for a in self._action_rows])
        self._fill(self.files, [[f"第{number_of.get(f['task_id'], '?')}项", f["name"], human_size(f["size"]),
                                 local_day(f["deleted_at"])] for f in self._file_rows])
        self.tabs.setTabText(0, f"进展记录（{len(actions)}）")
        self.tabs.setTabText(1, f"佐证材料（{len(files)}）")

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)

    def restore_selected(self) -> None:
        if self.tabs.currentIndex() == 0:
            rows = sorted({i.row() for i in self.actions.selectedIndexes()})
            chosen = [self._action_rows[r] for r in rows]
            if chosen:
                self.restore_actions.emit(chosen)
        else:
            rows = sorted({i.row() for i in self.files.selectedIndexes()})
            chosen = [self._file_rows[r] for r in rows]
            if chosen:
                self.restore_files.emit(chosen)

    def select_row(self, tab: int, row: int) -> None:
        self.tabs.setCurrentIndex(tab)
        table = self.actions if tab == 0 else self.files
        table.selectRow(row)

