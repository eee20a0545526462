"""What the reports say, gathered through the Ledger's public API.

No reportlab or openpyxl here: the same data feeds the PDFs and the workbook,
and the wording shared by them (roles, deadlines, counts) lives here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.errors import Cancelled, InputError
from core.tasks import TaskView
from core.vocabulary import DONE, NOT_DONE, ONGOING, RED, ROLE_WORDS, ROLES, format_cn_date


class Steps:
    """Progress and cancel checks for one report."""

    def __init__(self, progress, cancelled, total: int = 1):
        self.progress = progress
        self.cancelled = cancelled
        self.total = max(1, total)
        self.done = 0

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()

    def tick(self, n: int = 1) -> None:
        self.check()
        self.done = min(self.total, self.done + n)
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        self.check()
        self.done = self.total
        if self.progress is not None:
            self.progress(self.total, self.total)


@dataclass
class Entry:
    """One task of the unit, with what the unit recorded on it."""
    view: TaskView
    actions: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.view.number

    @property
    def overdue(self) -> bool:
        return self.view.light == RED

    @property
    def done(self) -> bool:
        return self.view.status == DONE

    @property
    def open(self) -> bool:
        """Not done (未启动/推进中) or past an explicit deadline."""
        return self.view.status in NOT_DONE or self.overdue


@dataclass
class ReportData:
    unit: object  # core.units.Unit
    plan: dict
    today: date
    entries: list[Entry]  # the unit's accepted tasks, by number (and the pending ones if asked for)
    pending: list[TaskView]  # related tasks not yet confirmed or dismissed
    texts: dict  # the clerk's summary, problems, next_steps
    handler: str = ""

    @property
    def year(self) -> int:
        return int(self.plan["year"])

    @property
    def unit_name(self) -> str:
        return self.unit.full_name

    def accepted(self) -> list[Entry]:
        return [e for e in self.entries if not e.view.pending]

    def pending_warning(self, where: str) -> str | None:
        if not self.pending:
            return None
        nums = "、".join(str(v.number) for v in self.pending)
        return (f"第{nums}项是提及“有关单位”等的相关任务，本单位尚未确认是否负责，{where}"
                "请在任务列表中确认或排除后重新生成。")


def gather(ledger, unit_id: str, plan_id: str | None, today: date, include_pending: bool = False,
           steps: Steps | None = None) -> ReportData:
    unit = ledger.directory().get(unit_id)
    if unit is None:
        raise InputError("找不到该单位，请在单位名录中选择本单位后再生成报表。")
    plan = ledger.current_plan() if plan_id is None else ledger.plan(plan_id)
    views = ledger.tasks(unit_id, plan_id=plan["id"], today=today)
    pending = [v for v in views if v.pending]
    entries = []
    for v in views:
        if steps is not None:
            steps.check()
        if v.pending and not include_pending:
            continue
        entries.append(Entry(v, ledger.actions(unit_id, v.id), ledger.attachments(unit_id, v.id)))
        if steps is not None:
            steps.tick()
    return ReportData(unit=unit, plan=plan, today=today, entries=entries, pending=pending,
                      texts=ledger.report_texts(unit_id, plan["id"]), handler=ledger.handler())


# ---- shared wording ---------------------------------------------------------

def units_by_role(v: TaskView, roles=ROLES) -> list[tuple[str, list[str]]]:
    """[(role word, [names])] for the task's responsible units, in role order."""
    out = []
    for role in roles:
        names = list(dict.fromkeys(u["name"] for u in v.units if u["role"] == role))
        if names:
            out.append((ROLE_WORDS[role], names))
    return out


def action_line(a: dict, with_handler: bool = False) -> str:
    """"2021年9月1日，在门户网站公开……（公开链接：…）" — the user's text unchanged."""
    text = a["content"].strip()
    extra = []
    if with_handler and a.get("handler"):
        extra.append(f"经办人：{a['handler']}")
    if a.get("link"):
        extra.append(f"公开链接：{a['link']}")
    tail = f"（{'；'.join(extra)}）" if extra else ""
    return f"{format_cn_date(a['action_date'])}，{text}{tail}"


def short_requirement(text: str, limit: int = 36) -> str:
    """The requirement's first clause, for a heading line."""
    text = re.sub(r"\s+", "", text)
    m = re.match(r"[^。；;]*", text)
    first = m.group(0) if m else text
    if len(first) <= limit and first != text:
        return first
    if len(first) <= limit:
        return first.rstrip("。；;")
    return first[:limit].rstrip("，,、") + "……"


def numbers_text(nums: list[int]) -> str:
    return "、".join(str(n) for n in nums)


def paragraphs(text: str) -> list[str]:
    """The clerk's text as paragraphs: one per non-empty line."""
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()]


def completion_word(v: TaskView) -> str:
    """是否完成 in the 回头看 checklist."""
    if v.status == DONE:
        return "是"
    if v.status == ONGOING:
        return ONGOING
    return "否"
