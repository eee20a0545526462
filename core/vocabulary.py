"""The words Taizhang speaks: statuses, roles, lights, report kinds and the
wording of deadlines. The window, the command line and the reports all take
them from here, so that a word changed once is changed everywhere.
"""

from __future__ import annotations

import functools
from datetime import date

# ---- a unit's progress on a task ------------------------------------------------
NOT_STARTED = "未启动"
IN_PROGRESS = "推进中"
DONE = "已完成"
ONGOING = "持续推进"  # the dated part is done, the work goes on: not done (an overdue one stays red)
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, ONGOING)
NOT_DONE = (NOT_STARTED, IN_PROGRESS)

# ---- a unit's role in a task -----------------------------------------------------
LEAD, COOPERATE, IMPLEMENT, RELATED = "lead", "cooperate", "implement", "related"
ROLES = (LEAD, COOPERATE, IMPLEMENT, RELATED)
# The plan's own words for each role (责任单位：市财政局（牵头）).
ROLE_WORDS = {LEAD: "牵头", COOPERATE: "配合", IMPLEMENT: "落实", RELATED: "相关"}

# A related task ("有关单位") is the unit's only once it confirms it.
CONFIRMED, DISMISSED = "confirmed", "dismissed"
DECISIONS = (CONFIRMED, DISMISSED)


def role_label(role: str | None, decision: str | None = None) -> str:
    """The unit's role as the window and the ledger show it: 牵头, 配合, 落实,
    待确认, 相关（已确认）, 相关（已排除）; "" when the task is not the unit's."""
    if role is None:
        return ""
    if role == RELATED:
        return {CONFIRMED: "相关（已确认）", DISMISSED: "相关（已排除）"}.get(decision or "", "待确认")
    return ROLE_WORDS[role]


# ---- the three-colour warning (and grey for done) ----------------------------------
WARN_DAYS = 30  # yellow this many days before an explicit deadline
RED, YELLOW, GREEN, GREY = "red", "yellow", "green", "grey"
LIGHTS = (RED, YELLOW, GREEN, GREY)
LIGHT_LABELS = {RED: "红", YELLOW: "黄", GREEN: "绿", GREY: "灰"}
LIGHT_MEANING = {
    RED: "红灯：已过明确时限，尚未完成",
    YELLOW: f"黄灯：{WARN_DAYS}天内到期（或年度任务已到年底），尚未完成",
    GREEN: "绿灯：正常推进",
    GREY: "灰灯：已完成",
}
LIGHTS_LEGEND = f"红：已逾期；黄：{WARN_DAYS}天内到期；绿：正常；灰：已完成"

# ---- reports -------------------------------------------------------------------
# kind: (title in menus and messages, file suffix)
REPORT_KINDS = {
    "self": ("年度自查报告", ".pdf"),
    "lookback": ("回头看核查清单", ".pdf"),
    "ledger": ("工作台账", ".xlsx"),
}

# ---- deadlines -----------------------------------------------------------------
DATE_KIND, YEARLY_KIND, NO_DEADLINE = "date", "yearly", "none"
LONG_TERM = "长期坚持"


def format_cn_date(d: date | str | None) -> str:
    """2021年8月3日 — Arabic numerals, no zero padding (GB/T 9704)."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        return _cn_date_of_iso(d[:10])
    return f"{d.year}年{d.month}月{d.day}日"


@functools.lru_cache(maxsize=2048)
def _cn_date_of_iso(iso: str) -> str:  # a report writes the same few hundred dates thousands of times
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def deadline_text(deadline: date | None, kind: str) -> str:
    """时限: "2021年12月31日前", "每年（2021年12月31日前）" or "长期坚持"."""
    if deadline is None:
        return LONG_TERM
    if kind == YEARLY_KIND:
        return f"每年（{format_cn_date(deadline)}前）"
    return f"{format_cn_date(deadline)}前"


def deadline_tip(deadline: date | None, kind: str, explicit: bool) -> str:
    """The same deadline in a sentence, for tooltips."""
    if deadline is None:
        return "没有明确时限，长期坚持"
    if kind == YEARLY_KIND:
        return f"每年至少一次：本年度应在{format_cn_date(deadline)}前完成"
    return f"{format_cn_date(deadline)}前完成" + ("（方案明确的时限）" if explicit else "")
