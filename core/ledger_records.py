"""The Ledger's records of one unit: its tasks as it sees them, their state
(status, division, 回头看, report texts), the progress records, one record
with its files as the command line takes it, and search."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core import attachments as files
from core.errors import (
    InputError,
    UnknownTaskError,
)
from core.inputs import check_date, check_link, clean_text
from core.search import SearchTexts, numbers_matching, terms_of
from core.tasks import TaskView, default_date, group_by_task, parse_user_date, task_views, view_of_row
from core.vocabulary import (
    DECISIONS,
    DISMISSED,
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    RELATED,
    STATUSES,
)


class RecordServices:
    # ---- tasks ------------------------------------------------------------
    def _plan_id(self, plan_id: str | None) -> str:
        return plan_id or self.current_plan()["id"]

    def tasks(self, unit_id: str, plan_id: str | None = None, today: date | None = None,
              include_all: bool = False, include_dismissed: bool = False) -> list[TaskView]:
        return task_views(self.store, self._plan_id(plan_id), unit_id, today or date.today(),
                          include_all=include_all, include_dismissed=include_dismissed)

    def task(self, unit_id: str, task_id: str, today: date | None = None) -> TaskView:
        task = self.store.get_task(task_id)
        if task is None:
            raise UnknownTaskError(task_id)
        for r in self.store.unit_task_rows(task["plan_id"], unit_id):
            if r["id"] == task_id:
                return view_of_row(r, self.store.mentions_of_task(task_id), today or date.today())
        raise UnknownTaskError(task_id)

    def task_id(self, number: int | str, plan_id: str | None = None) -> str:
        plan = self.plan(self._plan_id(plan_id))
        try:
            n = int(number)
        except (TypeError, ValueError):
            raise InputError(f"任务序号“{number}”应是数字。") from None
        if not 0 < n < 100000:
            raise UnknownTaskError(n, plan["title"])
        row = self.store.task_by_number(plan["id"], n)
        if row is None:
            raise UnknownTaskError(n, plan["title"])
        return row["id"]

    def _task_row(self, task_id: str) -> dict:
        task = self.store.get_task(task_id)
        if task is None:
            raise UnknownTaskError(task_id)
        return task

    def _assigned_task(self, unit_id: str, task_id: str) -> dict:
        task = self._task_row(task_id)
        role = self.store.assignment(task_id, unit_id)
        unit = self.directory().get(unit_id)
        name = unit.short_name if unit else "该单位"
        if role is None:
            raise InputError(f"第{task['number']}项任务没有分配给{name}，不能记录。")
        if role == RELATED:
            state = self.store.get_state(unit_id, task_id)
            if state and state["decision"] == DISMISSED:
                raise InputError(f"第{task['number']}项任务已标记为“与本单位无关”，请先撤销该标记再记录。")
        return task

    # ---- state ------------------------------------------------------------
    def set_status(self, unit_id: str, task_id: str, status: str, done_date: date | str | None = None,
                   today: date | None = None) -> dict:
        """The unit's status of a task; returns the state row.

        已完成 keeps a completion date: ``done_date`` when given, else the date of
        the latest record, else ``default_date`` (today, or the plan year's last
        day once it is over). Any other status clears it."""
        if status not in STATUSES:
            raise InputError(f"状态“{status}”无效，应为：{'、'.join(STATUSES)}。")
        task = self._assigned_task(unit_id, task_id)
        if status != DONE:
            if done_date is not None:
                raise InputError("只有“已完成”的任务才有完成日期。")
            return self.store.update_state(task["plan_id"], unit_id, task_id, status=status, done_date=None)
        when = self._done_date(unit_id, task, done_date, today)
        return self.store.update_state(task["plan_id"], unit_id, task_id, status=status, done_date=when)

    def _done_date(self, unit_id: str, task: dict, given: date | str | None, today: date | None) -> str:
        if isinstance(given, str):
            given = parse_user_date(given)
        if given is not None:
            check_date(given, "完成日期")
        if given is not None:
            return given.isoformat()
        dates = [a["action_date"] for a in self.store.list_actions(unit_id, task["id"])]
        if dates:
            return max(dates)
        year = self.plan(task["plan_id"])["year"]
        return default_date(year, today or date.today()).isoformat()

    def _start_on_first_record(self, unit_id: str, task: dict) -> str | None:
        """Status follows the work: a record on a 未启动 task makes it 推进中.
        Inside the caller's transaction; returns the status it replaced, or None."""
        state = self.store.get_state(unit_id, task["id"])
        if state is not None and state["status"] != NOT_STARTED:
            return None
        self.store.update_state(task["plan_id"], unit_id, task["id"], status=IN_PROGRESS)
        return NOT_STARTED

    def set_division(self, unit_id: str, task_id: str, dept: str | None = None, person: str | None = None,
                     notes: str | None = None) -> dict:
        task = self._assigned_task(unit_id, task_id)
        fields = {}
        if dept is not None:
            fields["dept"] = clean_text(dept, "责任科室", limit=200)
        if person is not None:
            fields["person"] = clean_text(person, "责任人", limit=200)
        if notes is not None:
            fields["notes"] = clean_text(notes, "备注")
        return self.store.update_state(task["plan_id"], unit_id, task_id, **fields)

    def set_lookback(self, unit_id: str, task_id: str, problem: str | None = None, remedy: str | None = None,
                     remedy_due: date | str | None = "") -> dict:
        """存在问题, 整改措施 and 整改时限 of an unfinished task (the 回头看 checklist).
        ``remedy_due`` "" leaves it unchanged; None clears it."""
        task = self._assigned_task(unit_id, task_id)
        fields: dict = {}
        if problem is not None:
            fields["problem"] = clean_text(problem, "存在问题")
        if remedy is not None:
            fields["remedy"] = clean_text(remedy, "整改措施")
        if remedy_due != "":
            if isinstance(remedy_due, str):
                remedy_due = parse_user_date(remedy_due)
            if remedy_due:
                check_date(remedy_due, "整改时限")
            fields["remedy_due"] = remedy_due.isoformat() if remedy_due else None
        return self.store.update_state(task["plan_id"], unit_id, task_id, **fields)

    def report_texts(self, unit_id: str, plan_id: str | None = None) -> dict:
        """The clerk's own texts for the self-report: summary, problems, next_steps."""
        row = self.store.get_unit_report(self._plan_id(plan_id), unit_id)
        return {k: (row or {}).get(k, "") for k in ("summary", "problems", "next_steps")}

    def set_report_texts(self, unit_id: str, plan_id: str | None = None, summary: str | None = None,
                         problems: str | None = None, next_steps: str | None = None) -> dict:
        if self.directory().get(unit_id) is None:
            raise InputError("找不到该单位。")
        fields = {}
        for key, value, what in (("summary", summary, "总体情况"), ("problems", problems, "存在问题"),
                                 ("next_steps", next_steps, "下一步工作计划")):
            if value is not None:
                fields[key] = clean_text(value, what)
        self.store.update_unit_report(self._plan_id(plan_id), unit_id, **fields)
        return self.report_texts(unit_id, plan_id)

    def decide_related(self, unit_id: str, task_id: str, decision: str | None) -> dict:
        """Confirm (本单位负责) or dismiss (与本单位无关) a related task; None undoes it."""
        if decision is not None and decision not in DECISIONS:
            raise InputError("确认结果无效。")
        task = self._task_row(task_id)
        if self.store.assignment(task_id, unit_id) != RELATED:
            raise InputError(f"第{task['number']}项任务不是待确认的相关任务。")
        return self.store.update_state(task["plan_id"], unit_id, task_id, decision=decision)

    # ---- actions ----------------------------------------------------------
    def _action_fields(self, content: str, action_date: date | str | None, handler: str | None,
                       link: str | None) -> dict:
        if isinstance(action_date, str):
            action_date = parse_user_date(action_date)
        if action_date is not None:
            check_date(action_date, "日期")
        return {
            "action_date": (action_date or date.today()).isoformat(),
            "content": clean_text(content, "进展内容", required=True),
            "handler": clean_text(self.handler() if handler is None else handler, "经办人", limit=50),
            "link": check_link(clean_text(link or "", "公开链接", limit=2000)),
        }

    def add_action(self, unit_id: str, task_id: str, content: str, action_date: date | str | None = None,
                   handler: str | None = None, link: str | None = None) -> dict:
        """A record of work done; the action row plus two keys: ``status_changed_from``
        (NOT_STARTED when this first record moved the task to IN_PROGRESS, else
        None: the window offers to undo it with set_status) and ``status`` (the
        task's status now)."""
        task = self._assigned_task(unit_id, task_id)
        fields = self._action_fields(content, action_date, handler, link)
        with self.store.atomic():
            action = self.store.insert_action({"plan_id": task["plan_id"], "unit_id": unit_id, "task_id": task_id,
                                               **fields})
            before = self._start_on_first_record(unit_id, task)
        return {**action, "status_changed_from": before, "status": self._status(unit_id, task_id)}

    def _status(self, unit_id: str, task_id: str) -> str:
        state = self.store.get_state(unit_id, task_id)
        return state["status"] if state else NOT_STARTED

    def _action(self, action_id: str) -> dict:
        row = self.store.get_action(action_id)
        if row is None:
            raise InputError("找不到这条进展记录。")
        return row

    def edit_action(self, action_id: str, content: str | None = None, action_date: date | str | None = None,
                    handler: str | None = None, link: str | None = None) -> dict:
        old = self._action(action_id)
        fields = self._action_fields(
            old["content"] if content is None else content,
            old["action_date"] if action_date is None else action_date,
            old["handler"] if handler is None else handler,
            old["link"] if link is None else link)
        if all(old[k] == v for k, v in fields.items()):
            return old
        return self.store.update_action(action_id, fields)

    def delete_action(self, action_id: str) -> None:
        """Moves the action to the 回收站; restore_action brings it back."""
        self._action(action_id)
        self.store.set_action_deleted(action_id, True)

    def restore_action(self, action_id: str) -> None:
        self._action(action_id)
        self.store.set_action_deleted(action_id, False)

    def actions(self, unit_id: str, task_id: str) -> list[dict]:
        return self.store.list_actions(unit_id, task_id)

    def actions_by_task(self, unit_id: str, plan_id: str, *, ids: bool) -> dict[str, list[dict]]:
        """The unit's live records of a plan, by task id, each task's in date order
        (one query where a report would make one per task), with what a report
        writes of them: task_id, action_date, content, handler, link, and the
        record's id when ``ids``."""
        return group_by_task(self.store.report_actions(unit_id, plan_id, ids=ids))

    def deleted_actions(self, unit_id: str, plan_id: str | None = None) -> list[dict]:
        return self.store.list_actions(unit_id, plan_id=self._plan_id(plan_id), deleted=True)

    def action_history(self, action_id: str) -> list[dict]:
        """Earlier versions, oldest first (the current one is not included)."""
        return self.store.action_versions(action_id)

    # ---- one record, as the command line takes it ------------------------
    def record(self, unit_id: str, task_id: str, content: str, action_date: date | str | None = None,
               handler: str | None = None, link: str | None = None, attach: list[Path] | None = None,
               status: str | None = None) -> dict:
        """An action with its files and an optional status, all or nothing.
        Returns the action row with ``status_changed_from`` (the status before,
        when it changed: by ``status`` or by the first record on a 未启动 task)
        and ``status`` (the status now), as add_action does."""
        task = self._assigned_task(unit_id, task_id)
        fields = self._action_fields(content, action_date, handler, link)
        if status is not None and status not in STATUSES:
            raise InputError(f"状态“{status}”无效，应为：{'、'.join(STATUSES)}。")
        paths = [Path(p) for p in attach or []]
        for p in paths:
            files.check_source(p)
        self._writable()
        parts: list[files.Part] = []
        try:
            for p in paths:
                parts.append(files.copy_in(p, self.attachments_dir))
        except BaseException:
            for part in parts:
                part.discard()
            raise
        with self.placing(parts) as stored:
            action = self.store.insert_action({"plan_id": task["plan_id"], "unit_id": unit_id,
                                               "task_id": task_id, **fields})
            for s in stored:
                self.store.insert_attachment({"plan_id": task["plan_id"], "unit_id": unit_id,
                                              "task_id": task_id, "action_id": action["id"],
                                              "sha256": s.sha256, "name": s.name, "size": s.size})
            old = self._status(unit_id, task_id)
            if status is None:
                self._start_on_first_record(unit_id, task)
            elif status == DONE:
                self.store.update_state(task["plan_id"], unit_id, task_id, status=status,
                                        done_date=self._done_date(unit_id, task, None, None))
            else:
                self.store.update_state(task["plan_id"], unit_id, task_id, status=status, done_date=None)
            now_status = self._status(unit_id, task_id)
        return {**action, "status_changed_from": old if old != now_status else None, "status": now_status}

    # ---- search -----------------------------------------------------------
    def search(self, unit_id: str | None, query: str, plan_id: str | None = None) -> list[int]:
        """Numbers of the tasks whose text, category, units, division or this
        unit's actions contain every word of ``query`` (two-character words too)."""
        return numbers_matching(self.search_texts(unit_id, plan_id), terms_of(query))

    def search_texts(self, unit_id: str | None, plan_id: str | None = None) -> SearchTexts:
        """What the search looks through (core.search), for the window to keep:
        its keystrokes then need no trip to the store."""
        return self.store.search_texts(self._plan_id(plan_id), unit_id)
