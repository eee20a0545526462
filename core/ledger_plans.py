"""The Ledger's plans: import (from a file, a text or a draft read elsewhere),
the current plan, edit, remove and restore, replace by a corrected import
keeping the clerk's records, and last year's unfinished tasks."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from core import clerk_settings
from core.clerk_settings import K_PLAN
from core.errors import (
    InputError,
    TaizhangError,
)
from core.inputs import clean_text
from core.tasks import TaskView, parse_user_date
from core.units import (
    NAMESPACE,
    Unit,
    normalize_name,
)
from core.vocabulary import (
    DONE,
)
from db.store import now

# Plan reading, matching and unit resolution are imported where a plan is
# imported or replaced: opening the store and listing the tasks (the window's
# first screen) never need them.
if TYPE_CHECKING:
    from core.plan_life import NameDecision, Replacement
    from core.plan_parser import PlanDraft


@dataclass
class ImportResult:
    plan_id: str
    title: str
    year: int
    categories: int
    tasks: int
    unresolved: dict[int, list[str]]
    warnings: list[str] = field(default_factory=list)
    uncertain: dict[str, str] = field(default_factory=dict)  # name -> the Dongguan unit it may mean (asked)


def plan_uuid(draft: PlanDraft) -> str:
    return str(uuid.uuid5(NAMESPACE, f"plan:{draft.year}:{draft.issuer}:{draft.title}"))


def _child_uuid(parent: str, what: str) -> str:
    return str(uuid.uuid5(uuid.UUID(parent), what))

class PlanServices:
    # ---- plans ------------------------------------------------------------
    def plans(self) -> list[dict]:
        return self.store.list_plans()

    def plan(self, plan_id: str) -> dict:
        plan = self.store.get_plan(plan_id)
        if plan is None:
            raise InputError("找不到所选的工作方案。")
        return plan

    def current_plan(self) -> dict:
        plan = clerk_settings.current_plan(self.store)
        if plan is None:
            raise TaizhangError("数据中还没有任何工作方案。")
        return plan

    def set_current_plan(self, plan_ref: str) -> dict:
        plan = self.find_plan(plan_ref)
        self.store.set_setting(K_PLAN, plan["id"])
        return plan

    def find_plan(self, ref: str, deleted: bool = False) -> dict:
        """A plan by id, year or title (``deleted``: one in the 回收站)."""
        plans = self.store.list_plans(deleted)
        for p in plans:
            if ref in (p["id"], str(p["year"]), p["title"]):
                return p
        where = "回收站中" if deleted else ""
        raise InputError(f"{where}找不到方案“{ref}”，可用 plans 命令查看已导入的方案。")

    def removed_plans(self) -> list[dict]:
        return self.store.list_plans(deleted=True)

    def edit_plan(self, plan_ref: str, title: str | None = None, issuer: str | None = None,
                  issued_date: date | str | None = "", year: int | str | None = None) -> dict:
        """Title, issuer, date (None clears it; "" leaves it) and year of a plan."""
        plan = self.find_plan(plan_ref)
        fields: dict = {}
        if title is not None:
            fields["title"] = clean_text(title, "方案标题", required=True, limit=200)
        if issuer is not None:
            fields["issuer"] = clean_text(issuer, "发文单位", limit=100)
        if issued_date != "":
            if isinstance(issued_date, str):
                issued_date = parse_user_date(issued_date)
            fields["issued_date"] = issued_date.isoformat() if issued_date else None
        if year is not None:
            if not re.fullmatch(r"\s*(19|20)\d\d\s*", str(year)):
                raise InputError(f"年度“{year}”无效，应为四位年份。")
            fields["year"] = int(year)
        if fields:
            with self.store.atomic():
                self.store.update_plan(plan["id"], fields)
                self.reresolve(plan["id"])  # a new title or issuer may make it another city's plan
        return self.plan(plan["id"])

    def remove_plan(self, plan_ref: str) -> dict:
        """To the 回收站, with every record on it; restore_plan brings it back."""
        plan = self.find_plan(plan_ref)
        if len(self.store.list_plans()) == 1:
            raise InputError("这是唯一的工作方案，不能删除（可先导入新的方案）。")
        with self.store.atomic():
            self.store.set_plan_deleted(plan["id"], True)
            if self.store.get_setting(K_PLAN) == plan["id"]:
                self.store.set_setting(K_PLAN, self.store.list_plans()[0]["id"])
        return plan

    def restore_plan(self, plan_ref: str) -> dict:
        plan = self.find_plan(plan_ref, deleted=True)
        self.store.set_plan_deleted(plan["id"], False)
        return self.plan(plan["id"])

    def import_plan_file(self, path: Path) -> ImportResult:
        """A plan file of any format core.plans reads (.docx .xlsx .xls .html .csv .txt .pdf)."""
        from core.plans.check import read_plan_file
        return self.import_draft(read_plan_file(path), source=Path(path).name)

    def import_plan_text(self, text: str, source: str = "") -> ImportResult:
        from core.plan_parser import parse_plan
        return self.import_draft(parse_plan(text, source), source)

    def import_draft(self, draft: PlanDraft, source: str = "",
                     decisions: dict[str, NameDecision] | None = None) -> ImportResult:
        """A parsed plan, with the user's decisions for its unknown (or uncertain) names."""
        plan_id = plan_uuid(draft)
        if self.store.get_plan(plan_id):
            bin_ = "（在回收站中，可恢复）" if self.store.get_plan(plan_id)["deleted_at"] else ""
            raise InputError(f"方案《{draft.title}》已经导入过了{bin_}。")
        try:
            with self.store.atomic():
                self._insert_draft(plan_id, draft, source, decisions or {})
                if self.store.get_setting(K_PLAN) is None:
                    self.store.set_setting(K_PLAN, plan_id)
        finally:
            self._directory = None
        return self._import_result(plan_id, draft)

    def _insert_draft(self, plan_id: str, draft: PlanDraft, source: str,
                      decisions: dict[str, NameDecision]) -> None:
        """The plan, its categories and tasks, the units the decisions add, resolved
        (inside the caller's transaction)."""
        from core.plan_life import plan_home
        from core.plans.check import task_deadline
        home = plan_home(draft, decisions, self.directory().directories())
        stamp = now()
        plan = {"id": plan_id, "title": draft.title, "issuer": draft.issuer,
                "issued_date": draft.issued_date.isoformat() if draft.issued_date else None,
                "year": draft.year, "preamble": draft.preamble, "source": source,
                "created_at": stamp, "updated_at": stamp, "directory": home}
        cat_ids = {name: _child_uuid(plan_id, f"category:{name}") for name in draft.categories}
        categories = [{"id": cat_ids[n], "plan_id": plan_id, "ord": i, "name": n}
                      for i, n in enumerate(draft.categories)]
        tasks = []
        for t in draft.tasks:
            dl = task_deadline(t, draft.year)
            tasks.append({"id": _child_uuid(plan_id, f"task:{t.number}"), "plan_id": plan_id,
                          "category_id": cat_ids[t.category], "number": t.number, "text": t.text,
                          "units_text": t.units_text, "lead_text": t.lead_text, "cooperate_text": t.cooperate_text,
                          "deadline": dl.iso, "deadline_kind": dl.kind, "deadline_explicit": int(dl.explicit),
                          "source_line": t.line})
        self.store.insert_plan(plan, categories, tasks)
        self._apply_decisions(plan_id, home, decisions)
        self.reresolve(plan_id)

    def _apply_decisions(self, plan_id: str, home: str, decisions: dict[str, NameDecision]) -> None:
        from core.plan_life import ADD, MAP
        for name, d in decisions.items():
            name = normalize_name(name)
            if d.action == ADD:
                unit = self._put_unit(Unit(id="", full_name=name, short_name=name, kind=d.kind or "office",
                                           directory=home if d.kind == "office" else "", has_admin=None))
            elif d.action == MAP:
                unit = self.directory().get(d.unit_id or "")
                if unit is None:
                    raise InputError(f"“{name}”要对应的单位不存在。")
                if name not in unit.names:
                    try:  # the name is kept as an alias, unless another unit answers to it
                        self._put_unit(Unit(**{**unit.__dict__, "aliases": (*unit.aliases, name)}))
                    except InputError:
                        pass  # the plan's own decision below still holds
            else:
                continue
            self.store.set_plan_name(plan_id, name, unit.id)

    def _import_result(self, plan_id: str, draft: PlanDraft) -> ImportResult:
        from core.assign import resolve
        tasks = self.store.list_tasks(plan_id)
        number_of = {t["id"]: t["number"] for t in tasks}
        scoped, context = self.plan_context(self.plan(plan_id))
        unresolved: dict[int, list[str]] = {}
        uncertain: dict[str, str] = {}
        for t in tasks:
            res = resolve(t["units_text"], scoped, t["lead_text"], t["cooperate_text"], context)
            for name in res.unresolved:
                unresolved.setdefault(number_of[t["id"]], []).append(name)
            uncertain.update({n: scoped.get(uid).short_name for n, uid in res.uncertain.items()})
        return ImportResult(plan_id, draft.title, draft.year, len(self.store.list_categories(plan_id)), len(tasks),
                            unresolved, list(draft.warnings), uncertain)

    # ---- replacing a plan by a corrected import ----------------------------
    def plan_replacement_preview(self, plan_ref: str, draft: PlanDraft) -> Replacement:
        """What replace_plan would do, computed without writing: the tasks kept,
        corrected or renumbered (their records follow), lost (their records stay
        with the old plan in the 回收站) and added."""
        from core.plan_life import Lost, Moved, Replacement, TaskRecords, match_tasks
        old = self.find_plan(plan_ref)
        tasks = self.store.list_tasks(old["id"])
        matches = match_tasks([(t["number"], t["text"]) for t in tasks], [(t.number, t.text) for t in draft.tasks])
        new_text = {t.number: t.text for t in draft.tasks}
        records: dict[str, list[TaskRecords]] = {}
        for r in self.store.record_counts(old["id"]):
            unit = self.directory().get(r["unit_id"])
            records.setdefault(r["task_id"], []).append(
                TaskRecords(unit.short_name if unit else r["unit_id"], r["actions"], r["attachments"], bool(r["state"])))
        rep = Replacement(old["id"], old["title"], matches=matches)
        for t in tasks:
            n = matches.get(t["number"])
            if n is None:
                rep.lost.append(Lost(t["number"], t["text"], records.get(t["id"], [])))
            elif n == t["number"] and new_text[n] == t["text"]:
                rep.kept.append(n)
            else:
                rep.moved.append(Moved(t["number"], n, new_text[n] != t["text"], records.get(t["id"], [])))
        rep.added = sorted(set(new_text) - set(matches.values()))
        return rep

    def replace_plan(self, plan_ref: str, draft: PlanDraft, source: str = "",
                     decisions: dict[str, NameDecision] | None = None) -> ImportResult:
        """The corrected plan takes the old one's place (and its current-plan mark);
        the records of matched tasks move to their new task; the old plan goes to
        the 回收站, keeping the records of the tasks that have no match."""
        rep = self.plan_replacement_preview(plan_ref, draft)
        old = self.plan(rep.plan_id)
        plan_id, k = plan_uuid(draft), 0
        while self.store.get_plan(plan_id):
            k += 1
            plan_id = str(uuid.uuid5(NAMESPACE, f"plan:{old['id']}:replaced:{k}"))
        by_number = {t["number"]: t["id"] for t in self.store.list_tasks(old["id"])}
        try:
            with self.store.atomic():
                self._insert_draft(plan_id, draft, source or old["source"], decisions or {})
                new_ids = {t["number"]: t["id"] for t in self.store.list_tasks(plan_id)}
                for o, n in rep.matches.items():
                    self.store.move_task_records(by_number[o], new_ids[n], plan_id)
                self.store.move_plan_texts(old["id"], plan_id)
                self.reresolve(plan_id)
                self.store.set_plan_deleted(old["id"], True)
                if self.store.get_setting(K_PLAN) in (None, old["id"]):
                    self.store.set_setting(K_PLAN, plan_id)
        finally:
            self._directory = None
        return self._import_result(plan_id, draft)

    # ---- next year ----------------------------------------------------------
    def previous_plan(self, plan_id: str | None = None) -> dict | None:
        """The latest plan in use of an earlier year than this one (default: the current plan)."""
        year = self.plan(self._plan_id(plan_id))["year"]
        earlier = [p for p in self.store.list_plans() if p["year"] < year]
        return earlier[0] if earlier else None

    def unfinished_last_year(self, unit_id: str, plan_id: str | None = None,
                             today: date | None = None) -> tuple[dict | None, list[TaskView]]:
        """Last year's plan and this unit's tasks in it that are not 已完成: what
        the new year's 回头看 takes up again (those with a unit and a deadline first)."""
        prev = self.previous_plan(plan_id)
        if prev is None:
            return None, []
        views = [v for v in self.tasks(unit_id, prev["id"], today=today) if v.status != DONE]
        views.sort(key=lambda v: (v.deadline is None, v.number))
        return prev, views

