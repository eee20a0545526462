"""The selected task in full: requirement, responsible units, this unit's
state (status, 责任科室, 责任人, 回头看), and the timeline of actions with their
evidence files. It only shows and emits; the window runs the operations.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QLabel, QMenu, QSplitter, QVBoxLayout, QWidget

from core.tasks import default_date
from core.vocabulary import (
    CONFIRMED,
    DONE,
    LIGHT_MEANING,
    RELATED,
    ROLE_WORDS,
    deadline_text,
)
from gui.detail import KIND_ACTION, KIND_FILE
from gui.drop import FileDropTarget, dropped_paths
from gui.tasks.model import LIGHT_COLORS, escape_html, recordable
from gui.widgets.look import MUTED, set_text_color

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTreeWidgetItem

    from core.tasks import TaskView


class TaskDetail(FileDropTarget, QWidget):
    status_chosen = Signal(str)
    state_saved = Signal(dict)  # dept, person, notes, problem, remedy, remedy_due
    decided = Signal(object)  # "confirmed" / "dismissed" / None (undo)
    new_action = Signal()
    edit_action = Signal(str)
    delete_action = Signal(str)
    action_history = Signal(str)
    add_files = Signal(object)  # action id or None
    files_dropped = Signal(object, object)  # list[Path], action id or None
    open_file = Signal(dict)
    remove_file = Signal(str)

    TAB_TIMELINE, TAB_LOOKBACK, TAB_NOTES = 0, 1, 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.task: TaskView | None = None
        self.my_unit_id: str | None = None
        self.clock = date.today  # the window hands over its own
        self.plan_year: int | None = None  # the plan's year, for default dates
        self.actions: list[dict] = []
        self.files: list[dict] = []
        self._loading = False
        self._dirty = False
        self.tab_from: QWidget | None = None  # what Tab leaves for the panel (the window's table)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 6, 6, 4)
        self.empty = QLabel("在表格中选择一项任务，这里显示它的全部内容和进展记录。")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        set_text_color(self.empty, MUTED)
        self.empty.setMargin(24)
        lay.addWidget(self.empty)

        # Top: what the task is and who is responsible (scrolls when long);
        # bottom: the timeline, 回头看 and notes in tabs. The split is remembered.
        self.content = QSplitter(Qt.Orientation.Vertical)
        self.content.setObjectName("detailSplitter")
        self.content.setChildrenCollapsible(False)
        lay.addWidget(self.content, 1)
        self._upper, self._lower = QWidget(), QWidget()
        for part in (self._upper, self._lower):
            QVBoxLayout(part).setContentsMargins(0, 0, 0, 0)
            self.content.addWidget(part)
        self.content.setStretchFactor(0, 2)
        self.content.setStretchFactor(1, 3)
        # Their widgets are made when a task is first shown (gui/detail/content.py):
        # the window's first screen shows only ``empty`` (making them took ~9 ms
        # of the start, their modules' import ~5 ms more)
        self._content_built = False
        self.show_task(None)

    def __getattr__(self, name: str):
        """One of the content's widgets asked for before any task was shown: made now."""
        if name.startswith("__") or self.__dict__.get("_content_built", True):
            raise AttributeError(name)
        self._build_content()
        return getattr(self, name)

    def _build_content(self) -> None:
        from gui.detail import content  # here: see its docstring

        self._content_built = True
        content.build(self)

    # ---- showing --------------------------------------------------------------
    def show_task(self, task: TaskView | None, actions: list[dict] | None = None,
                  files: list[dict] | None = None) -> None:
        same = task is not None and self.task is not None and task.id == self.task.id
        self.task = task
        self.actions = actions or []
        self.files = files or []
        self.empty.setVisible(task is None)
        self.content.setVisible(task is not None)
        if task is None:
            self._dirty = False
            return
        if not self._content_built:
            self._build_content()
        self._loading = True
        try:
            self._fill(task, keep_edits=same and self._dirty)
        finally:
            self._loading = False
        self._update_buttons()

    def _fill(self, t: TaskView, keep_edits: bool) -> None:
        self.title.setText(f"第{t.number}项　{t.category}")
        light = LIGHT_COLORS[t.light]
        parts = []
        if t.role is not None:
            parts.append(f"<span style='background:{'#fff1d6' if t.pending else '#e8f0fe'}; padding:2px;'>"
                         f"本单位：{escape_html(t.role_label)}</span>")
            parts.append(f"<span style='color:{light}; font-weight:bold;'>● {LIGHT_MEANING[t.light]}</span>")
        else:
            parts.append("<span style='color:#80868b'>未分配给本单位（只读）</span>")
        parts.append(f"时限：{escape_html(deadline_text(t.deadline, t.deadline_kind))}")
        self.badges.setText("　".join(parts))
        self.requirement.setText(t.text)
        units = []
        for u in t.units:
            name = escape_html(u["name"])
            role = ROLE_WORDS.get(u["role"], u["role"])
            if u["kind"] == "unresolved":
                name += "（未识别）"
            if u.get("unit_id") and u["unit_id"] == self.my_unit_id:
                units.append(f"<b style='background:#fde293;'>{name}（{role}）</b>")
            else:
                units.append(f"{name}（{role}）")
        self.units.setText("<b>责任单位：</b>" + "；".join(units) if units else "<b>责任单位：</b>（未写明）")

        self.pending_box.setVisible(t.role == RELATED)
        if t.role == RELATED:
            if t.decision is None:
                self.pending_label.setText("待确认：这项任务提到“有关单位”等，没有点名本单位。请确认是否由本单位负责。")
            elif t.decision == CONFIRMED:
                self.pending_label.setText("已确认：本单位负责这项任务。")
            else:
                self.pending_label.setText("已排除：这项任务与本单位无关，不列入本单位台账。")
            self.confirm_button.setVisible(t.decision is None)
            self.dismiss_button.setVisible(t.decision is None)
            self.undo_button.setVisible(t.decision is not None)

        editable = recordable(t)
        self.state_box.setEnabled(editable)
        self.status.setCurrentText(t.status)
        if not keep_edits:
            self.dept.setText(t.dept)
            self.person.setText(t.person)
            self.notes.setPlainText(t.notes)
            self.problem.setPlainText(t.problem)
            self.remedy.setPlainText(t.remedy)
            self.has_due.setChecked(t.remedy_due is not None)
            today = self.clock()
            start = default_date(self.plan_year, today) if self.plan_year else today
            d = t.remedy_due or (t.deadline if t.deadline and t.deadline > start else start)
            self.remedy_due.setDate(QDate(d.year, d.month, d.day))
            self._set_dirty(False)
        unfinished = t.status != DONE
        self.tabs.setTabVisible(self.TAB_LOOKBACK, unfinished)
        self.tabs.setTabText(self.TAB_LOOKBACK, "回头看 ●" if unfinished and (t.problem or t.remedy) else "回头看")
        self.tabs.setTabText(self.TAB_NOTES, "备注 ●" if t.notes else "备注")
        self.tabs.setTabText(self.TAB_TIMELINE, f"进展记录（{len(self.actions)}）与佐证材料（{len(self.files)}）")
        self.lookback.setEnabled(editable)
        self.notes.setEnabled(editable)

        for b in (self.new_button, self.attach_button):
            b.setEnabled(editable)
        self.timeline.setAcceptDrops(editable)
        self.timeline.show_records(self.actions, self.files)

    # ---- selection in the timeline -------------------------------------------
    def selected_action_id(self) -> str | None:
        return self.timeline.action_at(self.timeline.currentItem())

    def selected_file(self) -> dict | None:
        key = self.timeline.selected_key()
        if key and key[0] == KIND_FILE:
            return next((f for f in self.files if f["id"] == key[1]), None)
        return None

    def select_action(self, action_id: str) -> None:
        self.timeline.select_action(action_id)

    def open_lookback(self) -> None:
        """The 回头看 tab, with the cursor in 存在问题."""
        if self.tabs.isTabVisible(self.TAB_LOOKBACK):
            self.tabs.setCurrentIndex(self.TAB_LOOKBACK)
            self.problem.setFocus()

    def action_row(self, action_id: str) -> dict | None:
        return next((a for a in self.actions if a["id"] == action_id), None)

    def _update_buttons(self) -> None:
        key = self.timeline.selected_key()
        editable = self.task is not None and self.new_button.isEnabled()
        is_action = bool(key and key[0] == KIND_ACTION)
        is_file = bool(key and key[0] == KIND_FILE)
        self.edit_button.setEnabled(editable and is_action)
        self.delete_button.setEnabled(editable and is_action)
        action = next((a for a in self.actions if key and a["id"] == key[1]), None)
        self.history_button.setEnabled(bool(action and action.get("version", 1) > 1))
        self.open_button.setEnabled(is_file)
        self.remove_button.setEnabled(editable and is_file)

    def timeline_menu(self) -> QMenu:
        """Right-click on the timeline: what the buttons do, for the item under the mouse."""
        menu = QMenu(self)
        for button in (self.new_button, self.edit_button, self.delete_button, self.history_button, None,
                       self.attach_button, self.open_button, self.remove_button):
            if button is None:
                menu.addSeparator()
                continue
            act = menu.addAction(button.text())
            act.setEnabled(button.isEnabled())
            act.triggered.connect(button.click)
        return menu

    def delete_selected(self) -> None:
        """The Delete key: the selected record or file goes to the 回收站."""
        if self.delete_button.isEnabled():
            self.delete_button.click()
        elif self.remove_button.isEnabled():
            self.remove_button.click()

    def _with_action(self, signal) -> None:
        aid = self.selected_action_id()
        if aid:
            signal.emit(aid)

    def _double_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        kind, ident = item.data(0, Qt.ItemDataRole.UserRole) or (None, None)
        if kind == KIND_ACTION and self.edit_button.isEnabled():
            self.edit_action.emit(ident)
        elif kind == KIND_FILE:
            self._open_selected()

    def _open_selected(self) -> None:
        f = self.selected_file()
        if f:
            self.open_file.emit(f)

    def _remove_selected(self) -> None:
        f = self.selected_file()
        if f:
            self.remove_file.emit(f["id"])

    # ---- this unit's state ------------------------------------------------------
    def _status_activated(self, _index: int) -> None:
        if not self._loading and self.task is not None and self.status.currentText() != self.task.status:
            self.status_chosen.emit(self.status.currentText())

    def _mark_dirty(self, *_):
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.save_hint.setText("有未保存的修改" if dirty else "")

    @property
    def dirty(self) -> bool:
        return self._dirty and self.task is not None

    def state_values(self) -> dict:
        due = self.remedy_due.date()
        return {
            "dept": self.dept.text(), "person": self.person.text(), "notes": self.notes.toPlainText(),
            "problem": self.problem.toPlainText(), "remedy": self.remedy.toPlainText(),
            "remedy_due": date(due.year(), due.month(), due.day()) if self.has_due.isChecked() else None,
        }

    def save_state(self) -> None:
        if not self.dirty:
            return
        if self.has_due.isChecked():
            problem = self.remedy_due.problem()
            if problem:
                self.save_hint.setText(problem)
                return
            if not self.remedy_due.confirm_year(self, self.plan_year):
                return
        self.state_saved.emit(self.state_values())

    def state_saved_ok(self) -> None:
        self._set_dirty(False)

    # ---- drops anywhere on the panel attach to the task ----------------------------
    def accepts_drop(self, event) -> bool:
        return self.new_button.isEnabled() and super().accepts_drop(event)

    def dropEvent(self, event):
        paths = dropped_paths(event.mimeData())
        if paths and self.new_button.isEnabled():
            event.acceptProposedAction()
            self.files_dropped.emit(paths, None)
        else:
            event.ignore()
