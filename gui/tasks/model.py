"""The task table's data: Qt's item model filled from the unit's TaskViews, and
the proxy that sorts it and applies the quick filter, the category and the
search.

Nothing here touches the store: the window loads TaskViews through an op and
hands them over (``set_tasks`` for a full load, ``update_tasks`` for the rows
an op changed). The date the filters compare with is read from the clock each
time they filter, so a window left open past midnight filters with today's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)

from core.vocabulary import (
    CONFIRMED,
    COOPERATE,
    DISMISSED,
    DONE,
    IMPLEMENT,
    LEAD,
    LIGHT_LABELS,
    LIGHT_MEANING,
    LIGHTS,
    LIGHTS_LEGEND,
    RELATED,
    ROLES,
    WARN_DAYS,
    deadline_text,
    deadline_tip,
    format_cn_date,
)

if TYPE_CHECKING:
    from core.tasks import TaskView

SORT_ROLE = Qt.ItemDataRole.UserRole
TASK_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
# The roles as ints, looked up once: comparing and passing Qt's enum objects
# costs microseconds each, and a load sets ~3,000 values.
_SORT, _TASK, _ID = int(SORT_ROLE), int(TASK_ROLE), int(ID_ROLE)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

# key, header, default width. The columns a clerk needs to act on (序号 … 状态)
# come first, so that they fit a 1024-pixel screen without scrolling sideways;
# the full requirement is always in the detail panel.
COLUMNS = [
    ("number", "序号", 44),
    ("light", "预警", 52),
    ("category", "工作任务", 104),
    ("role", "本单位角色", 78),
    ("deadline", "时限", 100),
    ("status", "状态", 62),
    ("text", "具体要求", 200),
    ("dept", "责任科室", 84),
    ("last", "最近进展", 220),
    ("files", "佐证数", 54),
]
KEY_COLUMNS = ("number", "light", "category", "role", "deadline", "status")
COL = {key: i for i, (key, _, _) in enumerate(COLUMNS)}

LIGHT_COLORS = {"red": "#d93025", "yellow": "#e8a100", "green": "#1e8e3e", "grey": "#9aa0a6"}
LIGHT_ORDER = {light: i for i, light in enumerate(LIGHTS)}
ROLE_ORDER = {role: i for i, role in enumerate(ROLES)}
PENDING_BG = QColor("#fff1d6")
PENDING_FG = QColor("#a15c00")
GREY = QColor("#80868b")  # a task that is not the unit's

# The quick filters: key, label. Counts are shown next to the label.
QUICK_TIPS = {
    "mine": "分配给本单位的全部任务（不含已排除的）",
    "implement": "本单位落实的任务，含确认由本单位负责的相关任务",
    "pending": "提到“有关单位”等、需要确认是否由本单位负责的任务",
    "overdue": "已过明确时限、尚未完成",
    "due30": "时限在今后30天内、尚未完成",
    "dismissed": "已确认与本单位无关的任务，可在此撤销",
    "plan": "方案中的全部任务，包括没有分配给本单位的",
}
QUICK_FILTERS = [
    ("mine", "本单位全部"),
    ("lead", "我牵头"),
    ("cooperate", "我配合"),
    ("implement", "我落实"),
    ("pending", "待确认"),
    ("overdue", "已逾期"),
    ("due30", "30天内到期"),
    ("done", "已完成"),
    ("dismissed", "已排除"),
    ("plan", "方案全部"),
]


def assigned(t: TaskView) -> bool:
    """The unit's own tasks: assigned in any role, minus related ones it dismissed."""
    return t.role is not None and not (t.role == RELATED and t.decision == DISMISSED)


def recordable(t: TaskView) -> bool:
    """The clerk may record on it: the unit's own task, and not waiting for 本单位负责/无关."""
    return assigned(t) and not t.pending


def quick_predicate(key: str, today: date) -> Callable[[TaskView], bool]:
    horizon = today + timedelta(days=WARN_DAYS)
    preds: dict[str, Callable[[TaskView], bool]] = {
        "mine": assigned,
        "lead": lambda t: t.role == LEAD,
        "cooperate": lambda t: t.role == COOPERATE,
        "implement": lambda t: t.role == IMPLEMENT or (t.role == RELATED and t.decision == CONFIRMED),
        "pending": lambda t: t.pending,
        "overdue": lambda t: assigned(t) and t.light == "red",
        "due30": lambda t: (assigned(t) and t.status != DONE and t.deadline is not None
                            and today <= t.deadline <= horizon),
        "done": lambda t: assigned(t) and t.status == DONE,
        "dismissed": lambda t: t.role == RELATED and t.decision == DISMISSED,
        "plan": lambda t: True,
    }
    return preds[key]


def one_line(text: str) -> str:
    return " ".join((text or "").split())


_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape_html(text: str) -> str:
    """html.escape's result, without importing html (its entity table costs
    ~2 ms of the start, and the table's tooltips need only these five)."""
    return text.translate(_HTML_SPECIAL)


def rich_tooltip(text: str) -> str:
    """Rich text, so Qt wraps it instead of drawing one endless line."""
    return "<div style='max-width: 480px'>" + escape_html(text).replace("\n", "<br>") + "</div>"


_icons: dict[str, QIcon] = {}
_bold: list[QFont] = []


def bold_font() -> QFont:
    if not _bold:
        f = QFont()
        f.setBold(True)
        _bold.append(f)
    return _bold[0]


def light_icon(light: str) -> QIcon:
    if light not in _icons:
        pm = QPixmap(28, 28)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(LIGHT_COLORS[light]))
        p.setPen(QColor(LIGHT_COLORS[light]).darker(130))
        p.drawEllipse(3, 3, 22, 22)
        p.end()
        _icons[light] = QIcon(pm)
    return _icons[light]


class TaskTableModel(QStandardItemModel):
    """The rows live in Qt's own item model: a repaint asks ~1,000 values of
    the model, and asking Qt's C++ items instead of a Python ``data()`` makes
    each repaint (every search keystroke's result) about twice as fast. A
    row's values are worked out once, when ``set_tasks`` / ``update_tasks``
    hand it over."""

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.tasks: list[TaskView] = []
        self._row_of: dict[str, int] = {}
        self.my_unit_id: str | None = None
        for i, (key, header, _) in enumerate(COLUMNS):
            item = QStandardItem(header)
            if key == "light":
                item.setToolTip(LIGHTS_LEGEND)
            self.setHorizontalHeaderItem(i, item)

    # ---- loading ------------------------------------------------------------
    def set_tasks(self, tasks: Iterable[TaskView]) -> None:
        self.tasks = list(tasks)
        self._row_of = {t.id: i for i, t in enumerate(self.tasks)}
        # One reset instead of a signal per cell (the proxy would re-sort on each).
        self.beginResetModel()
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(0)
            self.setRowCount(len(self.tasks))
            for row, t in enumerate(self.tasks):
                self._fill(row, t)
        finally:
            self.blockSignals(blocked)
            self.endResetModel()

    def update_tasks(self, tasks: Iterable[TaskView]) -> None:
        """Replace the rows of these tasks in place (selection and scroll stay)."""
        last = self.columnCount() - 1
        for t in tasks:
            row = self._row_of.get(t.id)
            if row is None:
                continue
            self.tasks[row] = t
            blocked = self.blockSignals(True)
            try:
                self._fill(row, t)
            finally:
                self.blockSignals(blocked)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def task(self, task_id: str) -> TaskView | None:
        row = self._row_of.get(task_id)
        return None if row is None else self.tasks[row]

    def _fill(self, row: int, t: TaskView) -> None:
        # ~0.1 ms a row: the roles are plain ints and each cell gets only the
        # values it has (the view is read-only: NoEditTriggers, no flags to set);
        # the task and its id are in the row's first cell only (TaskFilterProxy.task_at).
        grey = None if assigned(t) else QBrush(GREY)
        for column, (key, _, _) in enumerate(COLUMNS):
            item = QStandardItem(self._display(t, key))
            item.setData(self._sort_key(t, key), _SORT)
            if column == 0:
                item.setData(t, _TASK)
                item.setData(t.id, _ID)
            for role, value in self._extras(t, key, grey):
                item.setData(value, role)
            self.setItem(row, column, item)

    @staticmethod
    def _extras(t: TaskView, key: str, grey: QBrush | None) -> list[tuple[int, object]]:
        """A cell's tooltip, icon, colours, font and alignment (those it has)."""
        out: list[tuple[int, object]] = []
        tip = None
        if key == "text":
            tip = rich_tooltip(t.text)
        elif key == "last" and t.last_action:
            when = format_cn_date(date.fromisoformat(t.last_action_date)) if t.last_action_date else ""
            tip = rich_tooltip(f"{when}：{t.last_action}")
        elif key == "light":
            tip = LIGHT_MEANING[t.light]
            out.append((_DECORATION, light_icon(t.light)))
        elif key == "role":
            if t.pending:
                tip = "本任务提到“有关单位”等，请在右侧确认是否由本单位负责"
                out.append((_BACKGROUND, QBrush(PENDING_BG)))
            if t.role == LEAD:
                out.append((_FONT, bold_font()))
        elif key == "category":
            tip = t.category
        elif key == "deadline":
            tip = deadline_tip(t.deadline, t.deadline_kind, t.deadline_explicit)
        elif key in ("number", "files"):
            out.append((_ALIGNMENT, _CENTER))
        if tip is not None:
            out.append((_TOOLTIP, tip))
        if key == "role" and t.pending:
            out.append((_FOREGROUND, QBrush(PENDING_FG)))
        elif grey is not None:
            out.append((_FOREGROUND, grey))
        elif key == "light":
            out.append((_FOREGROUND, QBrush(QColor(LIGHT_COLORS[t.light]).darker(115))))
        return out

    @staticmethod
    def _display(t: TaskView, key: str) -> str:
        if key == "number":
            return str(t.number)
        if key == "category":
            return t.category
        if key == "text":
            return one_line(t.text)
        if key == "role":
            return t.role_label or "—"
        if key == "deadline":
            return deadline_text(t.deadline, t.deadline_kind)
        if key == "status":
            return t.status if t.role is not None else ""
        if key == "light":
            return LIGHT_LABELS[t.light] if t.role is not None else ""
        if key == "dept":
            return t.dept
        if key == "last":
            return one_line(t.last_action)
        if key == "files":
            return str(t.attachment_count) if t.attachment_count else ""
        return ""

    @staticmethod
    def _sort_key(t: TaskView, key: str):
        if key == "number":
            return t.number
        if key == "category":
            return t.category_ord * 1000 + t.number
        if key == "role":
            return ROLE_ORDER.get(t.role, 9) * 1000 + (1 if t.pending else 0) * 100 + t.number
        if key == "deadline":
            return (t.deadline.isoformat() if t.deadline else "9999") + f"{t.number:04d}"
        if key == "light":
            return LIGHT_ORDER[t.light] * 1000 + t.number
        if key == "files":
            return t.attachment_count * 1000 + t.number
        if key == "last":
            return (t.last_action_date or "") + f"{t.number:04d}"
        return TaskTableModel._display(t, key)


class TaskFilterProxy(QSortFilterProxyModel):
    """Quick filter AND category AND search (task numbers found by the store)."""

    def __init__(self, clock: Callable[[], date] = date.today, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.clock = clock
        self.quick = "mine"
        self.category: str | None = None
        self.numbers: set[int] | None = None  # None: no search
        self._pred_for: tuple[str, date] | None = None
        self._pred: Callable[[TaskView], bool] = assigned

    def _predicate(self) -> Callable[[TaskView], bool]:
        key = (self.quick, self.clock())
        if key != self._pred_for:
            self._pred_for, self._pred = key, quick_predicate(*key)
        return self._pred

    def _changing(self, apply: Callable[[], None]) -> None:
        self.beginFilterChange()
        apply()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Filter again (the date may have changed)."""
        self._changing(lambda: None)

    def set_quick(self, key: str) -> None:
        self._changing(lambda: setattr(self, "quick", key))

    def set_category(self, name: str | None) -> None:
        self._changing(lambda: setattr(self, "category", name))

    def set_numbers(self, numbers: Iterable[int] | None) -> None:
        value = None if numbers is None else set(numbers)
        self._changing(lambda: setattr(self, "numbers", value))

    def matches_search(self, t: TaskView) -> bool:
        return self.numbers is None or t.number in self.numbers

    def accepts(self, t: TaskView, category: bool = True, search: bool = True) -> bool:
        if not self._predicate()(t):
            return False
        if category and self.category is not None and t.category != self.category:
            return False
        if search and not self.matches_search(t):
            return False
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model: TaskTableModel = self.sourceModel()  # type: ignore[assignment]
        return self.accepts(model.tasks[source_row])

    def task_at(self, row: int) -> TaskView | None:
        idx = self.index(row, 0)
        return idx.data(TASK_ROLE) if idx.isValid() else None

    def visible_numbers(self) -> list[int]:
        return [self.task_at(r).number for r in range(self.rowCount())]
