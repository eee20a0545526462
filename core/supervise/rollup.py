"""The roll-up: every unit × every task of the plan, as the packages say.

A unit is in the roll-up when it is in the directory, not retired, not the
office itself, and has at least one task in the plan: a lead, cooperate or
implement role, or a related task it has confirmed (an undecided or dismissed
related task is not counted). A unit that has sent no package is listed with
its tasks 未启动 and ``reported`` false.

Per unit:
    tasks       its tasks
    done        已完成 or 持续推进 (the dated part done, the work goes on)
    completion  done / tasks
    overdue     red lights: an explicit deadline passed and not 已完成
    evidence    its live evidence files
    due         tasks with an explicit date deadline on or before today
    on_time     of those, 已完成 with a completion date on or before the deadline
    done_with_evidence  done tasks with at least one evidence file
    last_package  when its current package was made (ISO time), or None

By category and by unit group (镇街园区 / 市直单位 / 垂直管理单位) the completion
counts the units that have reported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from core.supervise import supervisor_unit
from core.tasks import compute_light
from core.units import KINDS
from core.vocabulary import (
    CONFIRMED,
    DATE_KIND,
    DONE,
    LIGHT_LABELS,
    NOT_DONE,
    NOT_STARTED,
    RED,
    RELATED,
)
from db.rollup_store import RollupStore


@dataclass
class Cell:
    status: str
    light: str
    role: str
    actions: int = 0
    files: int = 0


@dataclass
class UnitFacts:
    unit_id: str
    name: str  # short name
    full_name: str
    kind: str
    reported: bool
    tasks: int = 0
    done: int = 0
    overdue: int = 0
    not_started: int = 0
    evidence: int = 0
    due: int = 0
    on_time: int = 0
    done_with_evidence: int = 0
    last_package: str | None = None
    sequence: int | None = None

    @property
    def completion(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass
class TaskColumn:
    id: str
    number: int
    category: str
    category_ord: int
    text: str
    deadline: str | None
    deadline_kind: str


@dataclass
class Rollup:
    plan: dict
    today: date
    tasks: list[TaskColumn]
    units: list[UnitFacts]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (unit_id, task_id)

    def unit(self, name_or_id: str) -> UnitFacts:
        for u in self.units:
            if name_or_id in (u.unit_id, u.name, u.full_name):
                return u
        raise KeyError(name_or_id)

    @property
    def never_reported(self) -> list[UnitFacts]:
        return [u for u in self.units if not u.reported]

    @property
    def reported(self) -> list[UnitFacts]:
        return [u for u in self.units if u.reported]

    def overdue_items(self) -> list[tuple[UnitFacts, TaskColumn]]:
        by_id = {t.id: t for t in self.tasks}
        out = []
        for u in self.units:
            for t in self.tasks:
                c = self.cells.get((u.unit_id, t.id))
                if c is not None and c.light == RED:
                    out.append((u, by_id[t.id]))
        return out

    def unit_items(self, unit_id: str) -> list[tuple[TaskColumn, Cell]]:
        return [(t, self.cells[(unit_id, t.id)]) for t in self.tasks if (unit_id, t.id) in self.cells]

    def completion_by(self, key) -> list[tuple[str, int, int]]:
        """(label, done, total) over reported units' cells, grouped by ``key(unit, task)``, in first-seen order."""
        groups: dict[str, list[int]] = {}
        for u in self.reported:
            for t in self.tasks:
                c = self.cells.get((u.unit_id, t.id))
                if c is None:
                    continue
                g = groups.setdefault(key(u, t), [0, 0])
                g[0] += c.status not in NOT_DONE
                g[1] += 1
        return [(k, v[0], v[1]) for k, v in groups.items()]

    def by_category(self) -> list[tuple[str, int, int]]:
        order = {t.category: t.category_ord for t in self.tasks}
        return sorted(self.completion_by(lambda u, t: t.category), key=lambda g: order[g[0]])

    def by_group(self) -> list[tuple[str, int, int]]:
        order = list(KINDS.values())
        rows = self.completion_by(lambda u, t: u.kind_label)
        return sorted(rows, key=lambda g: order.index(g[0]) if g[0] in order else 99)

    def to_json(self) -> dict:
        return {
            "plan": {"id": self.plan["id"], "title": self.plan["title"], "year": self.plan["year"]},
            "today": self.today.isoformat(),
            "tasks": [asdict(t) for t in self.tasks],
            "units": [{**asdict(u), "completion": round(u.completion, 4), "kind_label": u.kind_label,
                       "cells": {str(t.number): {**asdict(c), "light_label": LIGHT_LABELS[c.light]}
                                 for t, c in self.unit_items(u.unit_id)}} for u in self.units],
            "never_reported": [u.name for u in self.never_reported],
            "by_category": [{"category": k, "done": d, "total": n} for k, d, n in self.by_category()],
            "by_group": [{"group": k, "done": d, "total": n} for k, d, n in self.by_group()],
        }


def build_rollup(ledger, plan_id: str | None = None, today: date | None = None) -> Rollup:
    plan = ledger.plan(plan_id) if plan_id else ledger.current_plan()
    today = today or date.today()
    rs = RollupStore(ledger.store)
    own = supervisor_unit(ledger)
    tasks = [TaskColumn(t["id"], t["number"], t["category"], t["category_ord"], t["text"], t["deadline"],
                        t["deadline_kind"]) for t in ledger.store.list_tasks(plan["id"])]
    states = {(s["unit_id"], s["task_id"]): s for s in rs.all_states(plan["id"])}
    counts = rs.counts_by_unit_task(plan["id"])
    packages = {r["unit_id"]: r for r in rs.rollup_units(plan["id"])}
    roles: dict[str, dict[str, str]] = {}
    for a in ledger.store.all_assignments(plan["id"]):
        roles.setdefault(a["unit_id"], {})[a["task_id"]] = a["role"]
    units, cells = [], {}
    for unit in ledger.units(include_retired=False):
        if own is not None and unit.id == own.id:
            continue
        mine = roles.get(unit.id, {})
        pkg = packages.get(unit.id)
        facts = UnitFacts(unit.id, unit.short_name, unit.full_name, unit.kind, reported=pkg is not None,
                          last_package=pkg["created_at"] if pkg else None, sequence=pkg["sequence"] if pkg else None)
        for t in tasks:
            role = mine.get(t.id)
            if role is None:
                continue
            s = states.get((unit.id, t.id))
            if role == RELATED and (s is None or s["decision"] != CONFIRMED):
                continue
            status = s["status"] if s else NOT_STARTED
            due = date.fromisoformat(t.deadline) if t.deadline else None
            light = compute_light(due, t.deadline_kind, status, today)
            n_actions, n_files = counts.get((unit.id, t.id), (0, 0))
            cells[(unit.id, t.id)] = Cell(status, light, role, n_actions, n_files)
            facts.tasks += 1
            facts.done += status not in NOT_DONE
            facts.not_started += status == NOT_STARTED
            facts.overdue += light == RED
            facts.evidence += n_files
            facts.done_with_evidence += status not in NOT_DONE and n_files > 0
            if t.deadline_kind == DATE_KIND and due is not None and due <= today:
                facts.due += 1
                done_on = s["done_date"] if s else None
                facts.on_time += status == DONE and done_on is not None and done_on <= t.deadline
        if facts.tasks:
            units.append(facts)
    return Rollup(plan, today, tasks, units, cells)
