"""What the reports say, gathered through the Ledger's public API.

No reportlab or openpyxl here: the same data feeds the PDFs and the workbook,
and the wording shared by them (roles, deadlines, counts) lives here too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from core.errors import Cancelled, InputError
from core.tasks import TaskView
from core.vocabulary import (
    DONE,
    NOT_DONE,
    ONGOING,
    RED,
    ROLE_WORDS,
    ROLES,
    format_cn_date,
)


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
           action_ids: bool = False) -> ReportData:
    """What a report shows; ``action_ids``: each record with its id (the
    self-report's evidence links need them, the others do not read them)."""
    unit = ledger.directory().get(unit_id)
    if unit is None:
        raise InputError("找不到该单位，请在单位名录中选择本单位后再生成报表。")
    plan = ledger.current_plan() if plan_id is None else ledger.plan(plan_id)
    views = ledger.tasks(unit_id, plan_id=plan["id"], today=today)
    pending = [v for v in views if v.pending]
    actions = ledger.actions_by_task(unit_id, plan["id"], ids=action_ids)
    files = ledger.attachments_by_task(unit_id, plan["id"])
    entries = [Entry(v, actions.get(v.id, []), files.get(v.id, [])) for v in views
               if include_pending or not v.pending]
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


# A record that begins with its own date ("3月15日在…", "2021年3月15日，…",
# "2021-03-15 …", "今年3月…") must not get the record's date in front of it
# again: the clerk was told to start with the date.
_ISO_START = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})日?\s*[,，:：]?\s*")
_CN_FULL_START = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_CN_MONTH_START = re.compile(r"(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_WORD_START = ("今年", "年初", "年内", "年中", "年底", "上半年", "下半年", "日前", "近日", "近期", "当天", "当日",
               "同日", "同月", "本月", "上旬", "中旬", "下旬")


def _cn_date(y: int | str, m: int | str, d: int | str | None) -> str:
    return f"{int(y)}年{int(m)}月" + (f"{int(d)}日" if d else "")


_DATE_PUNCT = frozenset("-/.年月日号,，:：")


@functools.lru_cache(maxsize=4096)
def _datey(c: str) -> bool:
    """Whether the date patterns can match this character once NFKC-folded."""
    return all(ch in _DATE_PUNCT or ch.isspace() or ch.isdecimal() for ch in unicodedata.normalize("NFKC", c))


def dated_text(a: dict) -> str:
    """The record's text with its date written once, in 公文 form (2021年3月15日):
    a leading date of the clerk's own is kept (given the record's year if it
    has none, un-padded if it was ISO or padded); otherwise the record's date
    goes in front. Only the date is rewritten: the rest is the clerk's text
    as typed (its full-width ，：％ stay)."""
    text = a["content"].strip()
    # The date patterns read only the run of date-like characters the text
    # starts with (and the one after it): that run is folded, not the whole
    # record (~7 µs each for text with a full-width ，or ：, 2,000 records a
    # tenth of the Excel ledger's time).
    end = 0
    while end < len(text) and _datey(text[end]):
        end += 1
    head, source = _fold(text[:end + 1]) if end else ("", [])  # most records: no date-like start at all
    if head[:1].isdecimal():  # every date pattern starts with a digit (most records do not)
        m = _ISO_START.match(head)
        if m and _possible(m[2], m[3]):
            rest = text[source[m.end()]:].lstrip()
            return _cn_date(m[1], m[2], m[3]) + (f"，{rest}" if rest else "")
        m = _CN_FULL_START.match(head)
        if m and _possible(m[2], m[3]):
            return _cn_date(m[1], m[2], m[3]) + text[source[m.end()]:]
        m = _CN_MONTH_START.match(head)
        if m and _possible(m[1], m[2]):
            return _cn_date(str(a["action_date"])[:4], m[1], m[2]) + text[source[m.end()]:]
    if text.startswith(_WORD_START):
        return text
    return f"{format_cn_date(a['action_date'])}，{text}"


def _possible(month: str, day: str | None) -> bool:
    """A month and day (or none) a calendar has: "2021-15-20" or "3月45日" is
    the clerk's text, not a date to rewrite."""
    return 1 <= int(month) <= 12 and (day is None or 1 <= int(day) <= 31)


def _fold(head: str) -> tuple[str, list[int]]:
    """``head`` NFKC-folded character by character (full-width digits; ㋈ is
    "9月", two characters), and for each position of the folded text — and
    its end — where in ``head`` the character it came from starts."""
    folded, source = [], []
    for i, c in enumerate(head):
        f = unicodedata.normalize("NFKC", c) if not c.isascii() else c
        folded.append(f)
        source.extend([i] * len(f))
    source.append(len(head))
    return "".join(folded), source


def action_line(a: dict, with_handler: bool = False, with_link: bool = True) -> str:
    """"2021年9月1日，在门户网站公开……（公开链接：…）" — the user's text, its date once."""
    extra = []
    if with_handler and a.get("handler"):
        extra.append(f"经办人：{a['handler']}")
    if with_link and a.get("link"):
        extra.append(f"公开链接：{a['link']}")
    tail = f"（{'；'.join(extra)}）" if extra else ""
    return dated_text(a) + tail


def as_sentence(text: str) -> str:
    """The text ending like a sentence: "。" added unless it ends with 。！？…;
    a trailing ASCII full stop, comma or semicolon after Chinese becomes "。"."""
    text = text.rstrip()
    if not text:
        return text
    if text[-1] in "。！？…!?":
        return text
    if text[-1] in ".,;，；、" and len(text) > 1 and not text[-2].isascii():
        return text[:-1] + "。"
    return text + "。"


# ASCII punctuation next to a Chinese character is a typing habit (the seed
# plan is full of "信息,通过"); in Chinese sentences it becomes full-width.
_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》]"
_PUNCT_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*([,;:?!()])|([,;:?!()])\s*(?={_CJK})")


def cn_punct(text: str) -> str:
    """Full-width ，；：（）？！ for ASCII ones touching Chinese text; "2,316" and
    "http://a.b/c?d=1" are left alone."""
    return _PUNCT_NEAR_CJK.sub(lambda m: _ASCII_PUNCT[m[1] or m[2]], text)


# A clause that only sets the scene (按照…要求, 重点围绕…) or names who acts
# (…相关市直部门) does not say what the task is; the title is the first clause
# that does.
_SCENE = ("按照", "根据", "对照", "围绕", "重点围绕", "结合", "依照", "参照", "针对", "已经")
_AGENT_END = ("部门", "单位", "机关", "政府", "机构", "同志")
_SUBJECT = re.compile(r"^[^，,、。；;]{0,10}(?:部门|单位|政府|机构|机关|网站|镇街|园区|街道)要")  # "基层政府要…"
TITLE_MAX = 60


def task_title(text: str, category: str = "") -> str:
    """A short title made of the plan's own words, never cut: the first clause
    of the first sentence that says what is to be done (a leading "…要"
    subject dropped); else the first sentence if it is short, else the
    task's category, else the first sentence however long."""
    text = cn_punct(re.sub(r"\s+", "", text)).strip()
    first = re.split(r"[。；;]", text, maxsplit=1)[0].rstrip("，,") or text
    for clause in re.split(r"[，,：:]", first):
        c = _SUBJECT.sub("", clause).strip("、")
        if not 4 <= len(c) <= TITLE_MAX or c.startswith(_SCENE) or c.endswith(_AGENT_END):
            continue
        if c.count("（") != c.count("）") or c.count("《") != c.count("》") or c.count("“") != c.count("”"):
            continue
        return c
    if len(first) <= TITLE_MAX or not category:
        return first
    return category


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
