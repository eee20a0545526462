"""The roll-up as a table: one row per unit, the unit's figures, then one
column per task with the unit's status on its light's colour (blank where the
task is not the unit's). Rows filter by unit kind and by a state; task columns
by category (the view hides the others)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from core.vocabulary import GREEN, GREY, LIGHT_MEANING, NOT_STARTED, RED, YELLOW

FIXED = ["单位", "类别", "完成率", "逾期", "佐证", "最近上报"]
COLOURS = {RED: "#F4B6B6", YELLOW: "#FBE5A6", GREEN: "#CDE8C4", GREY: "#DDDDDD"}
NOT_REPORTED = "#f1f3f4"  # a unit that sent no package: its cells are unknown, not green
SHORT = {"未启动": "未启", "推进中": "推进", "已完成": "完成", "持续推进": "持续"}
STATES = {"全部单位": None, "有逾期任务": "overdue", "从未上报": "never", "有未启动任务": "idle", "已上报": "reported"}
UNIT_ROLE = Qt.ItemDataRole.UserRole + 1


class RollupModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rollup = None
        self.units: list = []
        self.tasks: list = []

    def set_rollup(self, rollup) -> None:
        self.beginResetModel()
        self.rollup = rollup
        self.units = list(rollup.units) if rollup else []
        self.tasks = list(rollup.tasks) if rollup else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(FIXED) + len(self.tasks)

    def task_at(self, column: int):
        k = column - len(FIXED)
        return self.tasks[k] if 0 <= k < len(self.tasks) else None

    def cell(self, row: int, column: int):
        t = self.task_at(column)
        if t is None:
            return None
        return self.rollup.cells.get((self.units[row].unit_id, t.id))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        t = self.task_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return FIXED[section] if t is None else str(t.number)
        if role == Qt.ItemDataRole.ToolTipRole and t is not None:
            return f"第{t.number}项（{t.category}）：{t.text[:120]}"
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        u = self.units[index.row()]
        c = index.column()
        if role == UNIT_ROLE:
            return u
        if c < len(FIXED):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return [u.name, u.kind_label, f"{u.completion:.0%}", str(u.overdue), str(u.evidence),
                        u.last_package[:10] if u.last_package else "未上报"][c]
            if role == Qt.ItemDataRole.UserRole:  # sort keys
                return [u.name, u.kind_label, u.completion, u.overdue, u.evidence, u.last_package or ""][c]
            return None
        cell = self.cell(index.row(), c)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return SHORT.get(cell.status, cell.status) if u.reported else "未报"  # no package: nothing known
        if role == Qt.ItemDataRole.BackgroundRole:
            if not u.reported and cell.light != "red":  # nothing known of it: no colour but overdue
                return QBrush(QColor(NOT_REPORTED))
            return QBrush(QColor(COLOURS[cell.light]))
        if role == Qt.ItemDataRole.ToolTipRole:
            t = self.task_at(c)
            return (f"{u.name} 第{t.number}项：{cell.status}（{LIGHT_MEANING[cell.light]}）\n"
                    f"进展记录 {cell.actions} 条，佐证材料 {cell.files} 个。双击查看。")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return cell.status
        return None


class RollupFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind: str | None = None  # a kind label (镇街园区 …) or None
        self.state: str | None = None  # a value of STATES
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def set_filter(self, kind: str | None, state: str | None) -> None:
        self.beginFilterChange()
        self.kind, self.state = kind, state
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        m: RollupModel = self.sourceModel()
        u = m.units[row]
        if self.kind and u.kind_label != self.kind:
            return False
        if self.state == "overdue":
            return u.overdue > 0
        if self.state == "never":
            return not u.reported
        if self.state == "reported":
            return u.reported
        if self.state == "idle":
            return any(c.status == NOT_STARTED for _, c in m.rollup.unit_items(u.unit_id))
        return True
