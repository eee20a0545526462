"""What an import would give, without writing anything: the plan read from a
file, its tasks with deadlines and responsible units with roles, the names no
unit of the directory answers to, and the warnings (``import-plan --check``)."""

from __future__ import annotations

from pathlib import Path

from core.assign import Context, resolve
from core.deadlines import Deadline, parse_deadline, parse_deadline_column
from core.plan_parser import PlanDraft, TaskDraft, plan_from_grid
from core.units import UnitDirectory, from_elsewhere


def task_deadline(task: TaskDraft, year: int) -> Deadline:
    """The deadline written in the requirement, unless a 完成时限 column gives one."""
    deadline = parse_deadline(task.text, year)
    if task.deadline_text:
        column = parse_deadline_column(task.deadline_text, year)
        if column.kind != "none":
            deadline = column
    return deadline


def read_plan_file(path: Path | str) -> PlanDraft:
    from core.plans.read import read_grid

    return plan_from_grid(read_grid(path))


def draft_report(draft: PlanDraft, directory: UnitDirectory, names: dict[str, str] | None = None) -> dict:
    """The draft as an import would resolve it: against the city's units and
    the plan's own directory, strictly for another city's plan, with the user's
    decisions so far (``names``: name -> unit id). ``unknown``: names no unit
    answers to; ``uncertain``: names that match a Dongguan unit only by a short
    form (with that unit, the ``candidate``)."""
    from core.plan_life import plan_home

    directory = directory.scoped(plan_home(draft, {}, directory.directories()))
    context = Context(from_elsewhere(draft.title, draft.issuer), names or {})
    tasks, unknown, uncertain = [], [], {}
    for t in draft.tasks:
        res = resolve(t.units_text, directory, t.lead_text, t.cooperate_text, context)
        dl = task_deadline(t, draft.year)
        tasks.append({"number": t.number, "category": t.category, "text": t.text,
                      "deadline": dl.iso, "deadline_kind": dl.kind, "deadline_text": t.deadline_text,
                      "units_text": t.units_text, "lead_text": t.lead_text, "cooperate_text": t.cooperate_text,
                      "units": [{"name": m.name, "role": m.role, "kind": m.kind} for m in res.mentions],
                      "unknown": res.unresolved, "line": t.line})
        unknown += [n for n in res.unresolved if n not in unknown]
        for name, uid in res.uncertain.items():
            unit = directory.get(uid)
            uncertain.setdefault(name, {"name": name, "candidate": unit.short_name, "candidate_id": uid,
                                        "candidate_full_name": unit.full_name})
    return {"title": draft.title, "issuer": draft.issuer,
            "issued_date": draft.issued_date.isoformat() if draft.issued_date else None,
            "year": draft.year, "source": draft.source, "categories": draft.categories,
            "tasks": tasks, "unknown": unknown, "uncertain": list(uncertain.values()),
            "warnings": draft.warnings, "columns": draft.columns}
