"""A plan's life after its first import: the decisions taken for its unknown
names, the directory it belongs to, the matching of a corrected import with
the tasks already there, and what a replacement would do to the clerk's
records. Pure functions and plain data; the Ledger does the writing.

A replacement matches an old task with a new one by number and text: the
same number and a text at least half the same, or any number and a text at
least three quarters the same (a task moved when a row was inserted above it).
Records (progress, files, status) follow a matched task; an old task without
a match keeps its records in the old plan, which goes to the 回收站.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from core.assign import parse_mentions
from core.plan_parser import PlanDraft
from core.units import KINDS, UnitDirectory

LARGE_PLAN = 300  # more tasks than this: ask before importing
SAME_NUMBER, ANY_NUMBER = 0.5, 0.75
OFFICE_GROUPS = ("offices", "teams", "affiliates", "related_offices")

MAP, ADD, LEAVE = "map", "add", "leave"


@dataclass(frozen=True)
class NameDecision:
    """What to do with a name the directory does not know (or only guesses):
    map it to an existing unit (the name is kept as an alias), add it as a new
    unit of ``kind``, or leave it unresolved on the task."""
    action: str
    unit_id: str | None = None
    kind: str | None = None

    def __post_init__(self):
        if self.action not in (MAP, ADD, LEAVE):
            raise ValueError(self.action)
        if self.action == MAP and not self.unit_id:
            raise ValueError("map needs a unit")
        if self.action == ADD and self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r}")


def plan_home(draft: PlanDraft, decisions: dict[str, NameDecision], known: list[str]) -> str:
    """The directory a plan's offices belong to: its issuer's (else its title's)
    when the plan adds an office or names its offices' groups (各科室 …) or
    its issuer already has a directory; "" (the city's) otherwise."""
    owner = draft.issuer or draft.title
    if owner in known:
        return owner
    if any(d.action == ADD and d.kind == "office" for d in decisions.values()):
        return owner
    empty = UnitDirectory([])
    for t in draft.tasks:
        for text in (t.units_text, t.lead_text, t.cooperate_text):
            if any(m.group in OFFICE_GROUPS for m in parse_mentions(text, empty)):
                return owner
    return ""


def similarity(a: str, b: str) -> float:
    a, b = (re.sub(r"[\s，。；、,.;:：（）()]", "", x) for x in (a, b))
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return m.ratio() if m.quick_ratio() >= SAME_NUMBER else 0.0


def match_tasks(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> dict[int, int]:
    """Old task number -> new task number, one to one: same number first, then by text."""
    new_text = dict(new)
    out: dict[int, int] = {}
    for number, text in old:
        if number in new_text and similarity(text, new_text[number]) >= SAME_NUMBER:
            out[number] = number
    taken = set(out.values())
    scored = sorted(((similarity(ot, nt), on, nn) for on, ot in old if on not in out
                     for nn, nt in new if nn not in taken), reverse=True)
    for score, on, nn in scored:
        if score < ANY_NUMBER:
            break
        if on not in out and nn not in taken:
            out[on] = nn
            taken.add(nn)
    return out


@dataclass
class TaskRecords:
    """A unit's records on one task: progress entries, files, and a status or notes."""
    unit: str
    actions: int = 0
    attachments: int = 0
    state: bool = False

    def __str__(self) -> str:
        parts = [f"{self.actions} 条进展" if self.actions else "", f"{self.attachments} 个佐证材料" if self.attachments else "",
                 "状态和分工" if self.state else ""]
        return f"{self.unit}：{'、'.join(p for p in parts if p)}"


@dataclass
class Moved:
    old_number: int
    new_number: int
    text_changed: bool
    records: list[TaskRecords] = field(default_factory=list)


@dataclass
class Lost:
    number: int
    text: str
    records: list[TaskRecords] = field(default_factory=list)


@dataclass
class Replacement:
    """What replacing a plan by a corrected import would do, before it is done."""
    plan_id: str
    title: str
    kept: list[int] = field(default_factory=list)  # same number, same text
    moved: list[Moved] = field(default_factory=list)  # renumbered or text corrected
    lost: list[Lost] = field(default_factory=list)  # no task in the corrected plan
    added: list[int] = field(default_factory=list)  # new numbers without an old task
    matches: dict[int, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The preview in sentences, for the command line and the window."""
        out = [(f"《{self.title}》：{len(self.kept)} 项任务不变，{len(self.moved)} 项修改或重新编号，"
                f"{len(self.lost)} 项在新方案中没有，新增 {len(self.added)} 项。")]
        for m in self.moved:
            what = f"第{m.old_number}项 → 第{m.new_number}项" if m.old_number != m.new_number else f"第{m.old_number}项"
            change = "（文字有修改）" if m.text_changed else ""
            recs = f"，记录随任务保留：{'；'.join(map(str, m.records))}" if m.records else ""
            out.append(f"  {what}{change}{recs}")
        for x in self.lost:
            recs = f"；这些记录将失去任务（随原方案进入回收站）：{'；'.join(map(str, x.records))}" if x.records else ""
            out.append(f"  第{x.number}项“{x.text[:24]}”在新方案中找不到{recs}")
        if self.added:
            out.append(f"  新增：第{'、'.join(map(str, self.added))}项")
        return out
