"""What the clerk does to a task: its status, the internal division and 回头看,
confirming a related task, and its progress records (new, edit, delete,
history). Each is a write on the worker that returns its changes; the window
and the other listeners refresh from the broadcast.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from core import APP_TITLE
from core.tasks import default_date
from core.vocabulary import (
    CONFIRMED,
    DISMISSED,
    DONE,
    RELATED,
    STATUSES,
    format_cn_date,
)
from gui.dialogs.base import ask, save_through
from gui.ops import OpChanges, Written
from gui.tasks.model import recordable

if TYPE_CHECKING:
    from core.tasks import TaskView
    from gui.main_window import MainWindow

DECISION_WORDS = {CONFIRMED: "已确认由本单位负责", DISMISSED: "已排除（与本单位无关），可在“已排除”中撤销",
                  None: "已恢复为待确认"}


def short(text: str, limit: int = 60) -> str:
    """One line of a record for a question box (the whole record is in the timeline)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit] + "…"


def not_ours_text(t: TaskView, what: str) -> str:
    return (f"第{t.number}项任务不是本单位的任务，不能{what}。"
            + ("请先确认“本单位负责”。" if t.role == RELATED else ""))


class TaskCommands:
    def __init__(self, window: MainWindow):
        self.w = window

    def _say(self, text: str, ms: int = 5000) -> None:
        self.w.statusBar().showMessage(text, ms)

    def require_task(self) -> TaskView | None:
        """The selected task when the clerk may record on it; otherwise says why."""
        t = self.w.current_task()
        if t is None or self.w.unit is None:
            self._say("请先在表格中选择一项任务。")
            return None
        if not recordable(t):
            QMessageBox.information(self.w, APP_TITLE, not_ours_text(t, "记录"))
            return None
        return t

    # ---- state ------------------------------------------------------------------
    def set_status(self, status: str) -> None:
        """The unit's status of the selected task; 已完成 first asks for the date."""
        t = self.w.current_task()
        if t is None or self.w.unit is None:
            return
        if status == DONE:
            self._ask_done_date(t)
            return
        unit_id, tid = self.w.unit.id, t.id

        def failed(exc):
            self.w.runner.report_error(exc, self.w)
            self.w.load_detail(tid)  # the combo shows the stored status again

        self.w.runner.write(lambda led: Written(OpChanges.of_task(tid), led.set_status(unit_id, tid, status)),
                            initiator=self) \
            .success(lambda _: self._say(f"第{t.number}项状态已改为“{status}”。")).failure(failed).run()

    def _ask_done_date(self, t: TaskView) -> None:
        """The date it was done: the latest record's by default, else one in the plan's year."""
        detail = self.w.detail
        dates = [a["action_date"] for a in detail.actions] if detail.task and detail.task.id == t.id else []
        year = self.w.plan_year()
        first = date.fromisoformat(max(dates)) if dates else (default_date(year, self.w.today()) if year
                                                              else self.w.today())
        from gui.dialogs.done_date import DoneDateDialog

        dlg = DoneDateDialog(f"第{t.number}项　{t.category}", first, plan_year=year, parent=self.w)
        unit_id, tid = self.w.unit.id, t.id

        def save(v):
            def fn(led):
                return Written(OpChanges.of_task(tid), led.set_status(unit_id, tid, DONE, done_date=v["done_date"]))
            save_through(self.w.runner, dlg, fn, self.w.errors, self.w,
                         on_saved=lambda _: self._say(f"第{t.number}项已完成（{format_cn_date(v['done_date'])}）。"))

        dlg.rejected.connect(lambda: self.w.load_detail(tid))  # the status box shows the stored status again
        self._open(dlg, save)

    def save_state(self, values: dict, task_id: str | None = None) -> None:
        """责任科室, 责任人, 备注 and 回头看 of a task (the current one by default)."""
        tid = task_id or self.w.current_task_id()
        if tid is None or self.w.unit is None:
            return
        unit_id = self.w.unit.id
        task = self.w.model.task(tid)
        number = task.number if task else "?"

        def fn(led):
            led.set_division(unit_id, tid, dept=values["dept"], person=values["person"], notes=values["notes"])
            led.set_lookback(unit_id, tid, problem=values["problem"], remedy=values["remedy"],
                             remedy_due=values["remedy_due"])
            return Written(OpChanges.of_task(tid))

        def ok(_):
            detail = self.w.detail
            if detail.task is not None and detail.task.id == tid:
                detail.state_saved_ok()
            self._say(f"第{number}项的分工和回头看内容已保存。")

        self.w.runner.write(fn, initiator=self).success(ok).run()

    def decide(self, decision: str | None) -> None:
        """本单位负责 / 与本单位无关 for a related task; None undoes it."""
        t = self.w.current_task()
        if t is None or self.w.unit is None:
            return
        unit_id, tid = self.w.unit.id, t.id
        self.w.runner.write(lambda led: Written(OpChanges.of_task(tid), led.decide_related(unit_id, tid, decision)),
                            initiator=self) \
            .success(lambda _: self._say(f"第{t.number}项{DECISION_WORDS[decision]}。", 6000)).run()

    # ---- progress records ---------------------------------------------------------
    def new_action(self) -> None:
        t = self.require_task()
        if t is None:
            return
        from gui.dialogs.action import ActionDialog

        dlg = ActionDialog(f"第{t.number}项　{t.category}", self.w.handler, parent=self.w, today=self.w.today(),
                           plan_year=self.w.plan_year())
        unit_id, tid = self.w.unit.id, t.id

        def save(v):
            def fn(led):
                row = led.add_action(unit_id, tid, v["content"], v["action_date"], v["handler"], v["link"])
                return Written(OpChanges.of_task(tid), row)
            save_through(self.w.runner, dlg, fn, self.w.errors, self.w, on_saved=lambda row: self._added(t, row))

        self._open(dlg, save)

    def edit_action(self, action_id: str) -> None:
        t = self.require_task()
        action = self.w.detail.action_row(action_id)
        if t is None or action is None:
            return
        from gui.dialogs.action import ActionDialog

        dlg = ActionDialog(f"第{t.number}项　{t.category}", self.w.handler, action=action, parent=self.w,
                           plan_year=self.w.plan_year())
        tid = t.id

        def save(v):
            def fn(led):
                led.edit_action(action_id, content=v["content"], action_date=v["action_date"],
                                handler=v["handler"], link=v["link"])
                return Written(OpChanges.of_task(tid), action_id)
            save_through(self.w.runner, dlg, fn, self.w.errors, self.w,
                         on_saved=lambda aid: self._saved(aid, "进展记录已修改，原内容保留为历史版本。"))

        self._open(dlg, save)

    @staticmethod
    def _open(dlg, save) -> None:
        dlg.submitted.connect(save)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _added(self, t: TaskView, row: dict) -> None:
        """A new record; when it started the task (未启动 → 推进中), say so with 撤销."""
        self.w.select_action_when_shown(row["id"])
        before = row.get("status_changed_from")
        if not before:
            self._say("已新增进展记录。")
            return
        self.w.undo.offer(f"已新增进展记录，第{t.number}项状态由“{before}”改为“{row['status']}”。",
                          lambda: self._set_status_of(t, before))

    def _set_status_of(self, t: TaskView, status: str) -> None:
        unit_id, tid = self.w.unit.id, t.id
        self.w.runner.write(lambda led: Written(OpChanges.of_task(tid), led.set_status(unit_id, tid, status)),
                            initiator=self) \
            .success(lambda _: self._say(f"第{t.number}项状态已改回“{status}”。")).run()

    def _saved(self, action_id: str, message: str) -> None:
        self._say(message)
        self.w.select_action_when_shown(action_id)

    def delete_action(self, action_id: str) -> None:
        """After the clerk has seen what goes with it: the record and its files to the 回收站."""
        t = self.w.current_task()
        action = self.w.detail.action_row(action_id)
        if t is None or action is None:
            return
        tid = t.id
        files = [f["name"] for f in self.w.detail.files if f["action_id"] == action_id]
        text = f"删除这条进展记录吗？\n\n{format_cn_date(action['action_date'])}：{short(action['content'])}"
        if files:
            text += f"\n\n它的 {len(files)} 个佐证材料也一并移到回收站：\n" + "\n".join(files)
        text += "\n\n删除后可以在“文件 → 回收站”中恢复。"
        if not ask(self.w, "删除进展记录", text, "删除", "取消"):
            return

        def fn(led):
            led.delete_action(action_id)
            return Written(OpChanges.of_task(tid, recycle_bin=True))

        with_files = f"和它的 {len(files)} 个佐证材料" if files else ""
        self.w.runner.write(fn, initiator=self).success(
            lambda _: self._say(f"已删除进展记录{with_files}，可在“文件 → 回收站”中恢复。", 8000)).run()

    def show_history(self, action_id: str) -> None:
        current = self.w.detail.action_row(action_id)
        if current is None:
            return
        self.w.runner.read(lambda led: led.action_history(action_id)) \
            .success(lambda versions: _history(current, versions, self.w)).run()

    # ---- the right-click menu -------------------------------------------------------
    def menu(self) -> QMenu:
        """Right-click on a task: record, attach, set the status, decide a related task."""
        w = self.w
        menu = QMenu(w)
        t = w.current_task()
        menu.addAction(w.act_new_action)
        menu.addAction(w.act_attach)
        status = menu.addMenu("状态")
        for name in STATUSES:
            act = status.addAction(name)
            act.setCheckable(True)
            act.setChecked(t is not None and t.status == name)
            act.triggered.connect(lambda _=False, n=name: self.set_status(n))
        # nothing is written before the store is open (the first screen,
        # core.first_screen) or into a damaged one: as 新增进展 is
        writable = w.writable
        status.setEnabled(writable and t is not None and recordable(t))
        if t is not None and t.role == RELATED:
            menu.addSeparator()
            if t.decision is None:
                decisions = [menu.addAction("本单位负责", lambda: self.decide(CONFIRMED)),
                             menu.addAction("与本单位无关", lambda: self.decide(DISMISSED))]
            else:
                decisions = [menu.addAction("撤销确认（恢复为待确认）", lambda: self.decide(None))]
            for act in decisions:
                act.setEnabled(writable)
        return menu


def _history(current, versions, parent) -> None:
    from gui.dialogs.action import HistoryDialog

    HistoryDialog(current, versions, parent).open()
