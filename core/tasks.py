"""A task as one unit sees it, its warning light, and the dates a user types.

Built from the store's rows (``task_views``: for the Ledger, and for the
window's first screen without it); read by the window, the command line and
the reports. The words (statuses, roles, lights, deadline wording) come from
core.vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from core import vocabulary as vocab
from core.errors import InputError


def compute_light(deadline: date | None, kind: str, status: str, today: date) -> str:
    """grey: done (已完成); red: an explicit deadline passed and not done;
    yellow: due within WARN_DAYS (or a yearly task whose year is over and not
    done); green otherwise. 持续推进 is not done: an overdue one stays red."""
    if status == vocab.DONE:
        return vocab.GREY
    if deadline is None:
        return vocab.GREEN
    if deadline < today:
        return vocab.RED if kind == vocab.DATE_KIND else vocab.YELLOW
    if deadline <= today + timedelta(days=vocab.WARN_DAYS):
        return vocab.YELLOW
    return vocab.GREEN


_DATE_FORMS = (
    re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"),  # 2021-6-30, 2021/6/30, 2021.6.30, 2021年6月30日
    re.compile(r"(\d{4})(\d{2})(\d{2})"),  # 20210630
)


def parse_user_date(text: str) -> date:
    """2021-06-30, 2021/6/30, 2021.6.30, 20210630 or 2021年6月30日, also in
    full-width digits (NFKC folds ２０２１／６／３０ to 2021/6/30); InputError otherwise."""
    s = unicodedata.normalize("NFKC", text or "").strip()
    for form in _DATE_FORMS:
        m = form.fullmatch(s)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise InputError(f"日期“{text}”无效，应写成 YYYY-MM-DD，例如 2021-08-03。")


PLAN_YEAR_SLACK = 1  # a record or deadline may fall in the year before or after the plan's


def outside_plan_years(d: date, plan_year: int, slack: int = PLAN_YEAR_SLACK) -> bool:
    """True when ``d`` is more than ``slack`` years from the plan's year — most
    likely a typing slip (2012 for 2021) that the window asks about once."""
    return abs(d.year - int(plan_year)) > slack


def default_date(plan_year: int, today: date) -> date:
    """The date a new record, completion or 整改时限 starts with: today while the
    plan's year runs; its last day once the year is over (a clerk catching up
    on 2021 in 2022 means 2021); its first day before it has begun."""
    year = int(plan_year)
    if today.year == year:
        return today
    return date(year, 12, 31) if today.year > year else date(year, 1, 1)


@dataclass
class TaskView:
    """One task as one unit sees it."""
    id: str
    plan_id: str
    number: int
    category: str
    category_ord: int
    text: str
    units_text: str
    role: str | None
    deadline: date | None
    deadline_kind: str
    deadline_explicit: bool
    status: str
    dept: str
    person: str
    notes: str
    decision: str | None
    light: str
    action_count: int
    attachment_count: int
    last_action: str
    last_action_date: str | None
    units: list[dict] = field(default_factory=list)
    problem: str = ""  # 存在问题 / why it is not done
    remedy: str = ""  # 整改措施 (回头看)
    remedy_due: date | None = None  # 整改时限
    done_date: date | None = None  # 完成日期, for 已完成 only

    @property
    def pending(self) -> bool:
        """待确认: a related task the unit has not yet confirmed or dismissed."""
        return self.role == vocab.RELATED and self.decision is None

    @property
    def light_label(self) -> str:
        return vocab.LIGHT_LABELS[self.light]

    @property
    def role_label(self) -> str:
        return vocab.role_label(self.role, self.decision)

    @property
    def deadline_text(self) -> str:
        """时限: "2021年12月31日前", "每年（2021年12月31日前）" or "长期坚持"."""
        return vocab.deadline_text(self.deadline, self.deadline_kind)

    def to_json(self) -> dict:
        return {
            "number": self.number, "category": self.category, "text": self.text, "role": self.role,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_explicit": self.deadline_explicit, "status": self.status,
            "units": [{"name": u["name"], "role": u["role"], "kind": u["kind"]} for u in self.units],
            "light": self.light,
            "id": self.id, "deadline_kind": self.deadline_kind, "decision": self.decision,
            "role_label": self.role_label, "light_label": self.light_label,
            "dept": self.dept, "person": self.person,
            "action_count": self.action_count, "attachment_count": self.attachment_count,
            "problem": self.problem, "remedy": self.remedy,
            "remedy_due": self.remedy_due.isoformat() if self.remedy_due else None,
            "done_date": self.done_date.isoformat() if self.done_date else None,
        }


# ---- a unit's tasks from the store's rows ---------------------------------------
def task_views(store, plan_id: str, unit_id: str, today: date, include_all: bool = False,
               include_dismissed: bool = False) -> list[TaskView]:
    """The plan's tasks as this unit sees them, with today's lights: those
    assigned to it, less a related task it dismissed unless ``include_dismissed``
    (every task of the plan with ``include_all``). ``store`` is a db.store.Store."""
    mentions = group_by_task(store.mentions(plan_id))
    out = []
    for r in store.unit_task_rows(plan_id, unit_id):
        if not include_all:
            if r["role"] is None:
                continue
            if r["role"] == vocab.RELATED and r["decision"] == vocab.DISMISSED and not include_dismissed:
                continue
        out.append(view_of_row(r, mentions.get(r["id"], []), today))
    return out


def view_of_row(r: dict, mentions: list[dict], today: date) -> TaskView:
    """A row of store.unit_task_rows and the task's unit mentions as a TaskView."""
    due = date.fromisoformat(r["deadline"]) if r["deadline"] else None
    return TaskView(
        id=r["id"], plan_id=r["plan_id"], number=r["number"], category=r["category"],
        category_ord=r["category_ord"], text=r["text"], units_text=r["units_text"], role=r["role"],
        deadline=due, deadline_kind=r["deadline_kind"], deadline_explicit=bool(r["deadline_explicit"]),
        status=r["status"], dept=r["dept"], person=r["person"], notes=r["notes"], decision=r["decision"],
        light=compute_light(due, r["deadline_kind"], r["status"], today),
        action_count=r["action_count"], attachment_count=r["attachment_count"],
        last_action=r["last_action"] or "", last_action_date=r["last_action_date"],
        units=[{"name": m["name"], "role": m["role"], "kind": m["kind"], "unit_id": m["unit_id"],
                "group": m["group_key"]} for m in mentions],
        problem=r["problem"], remedy=r["remedy"],
        remedy_due=date.fromisoformat(r["remedy_due"]) if r["remedy_due"] else None,
        done_date=date.fromisoformat(r["done_date"]) if r["done_date"] else None,
    )


def group_by_task(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows by their task id, in the order given."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["task_id"], []).append(r)
    return out
