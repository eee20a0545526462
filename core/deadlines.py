"""Deadlines read from a requirement's own words.

"2021年底前" -> 2021-12-31, "2021年10月底前" -> 2021-10-31 (explicit);
"每年至少…1次" -> yearly (due by the end of the plan's year, not explicit);
anything else -> no deadline (ongoing work).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from core import vocabulary as vocab
from core.vocabulary import format_cn_date  # noqa: F401  (the one definition; re-exported here)

_BEFORE = r"(?:前|之前|以前)?(?!以来|以后|之后|起)"
_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日" + r"(?:前|之前|以前)")
# In a 完成时限 column a bare date is the deadline: "2022年6月30日", "2022年9月", "6月底", "年底".
_COL_FULL = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})日?(?!以来|以后|之后|起)")
_COL_MONTH = re.compile(r"(\d{4})年(\d{1,2})月(?:底|末|份)?(?![\d日])(?!以来|以后|之后|起)")
_COL_BARE_MONTH = re.compile(r"(?<![\d年])(\d{1,2})月(?:底|末|份)?(?![\d日])(?!以来|以后|之后|起)")
_COL_YEAR_END = re.compile(r"(?<!\d)(?:年底|年末|年内|全年)")
_MONTH_END = re.compile(r"(\d{4})年(\d{1,2})月(?:底|末)" + _BEFORE)
_YEAR_END = re.compile(r"(\d{4})年(?:年底|底|末|年内)" + _BEFORE)
_HALF_YEAR = re.compile(r"(\d{4})年上半年")
_BARE_MONTH_END = re.compile(r"(?<![\d年])(\d{1,2})月(?:底|末)(?:前|之前|以前)")
_BARE_YEAR_END = re.compile(r"(?<!\d)(?<!\d年)(?:今年|本年度?)?年底前")
_YEARLY = re.compile(r"每年(?:至少|均|度)?")


@dataclass(frozen=True)
class Deadline:
    due: date | None
    kind: str  # vocabulary.DATE_KIND, YEARLY_KIND or NO_DEADLINE
    explicit: bool
    phrase: str = ""

    @property
    def iso(self) -> str | None:
        return self.due.isoformat() if self.due else None


NO_DEADLINE = Deadline(None, vocab.NO_DEADLINE, False)


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_deadline(text: str, plan_year: int) -> Deadline:
    """The earliest explicit deadline in ``text``, else yearly, else none."""
    found: list[tuple[date, str]] = []
    for m in _FULL_DATE.finditer(text):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            found.append((d, m[0]))
    for m in _MONTH_END.finditer(text):
        d = _month_end(int(m[1]), int(m[2]))
        if d:
            found.append((d, m[0]))
    for m in _YEAR_END.finditer(text):
        found.append((date(int(m[1]), 12, 31), m[0]))
    for m in _HALF_YEAR.finditer(text):
        found.append((date(int(m[1]), 6, 30), m[0]))
    for m in _BARE_MONTH_END.finditer(text):
        d = _month_end(plan_year, int(m[1]))
        if d:
            found.append((d, m[0]))
    for m in _BARE_YEAR_END.finditer(text):
        found.append((date(plan_year, 12, 31), m[0]))
    if found:
        due, phrase = min(found)
        return Deadline(due, vocab.DATE_KIND, True, phrase)
    m = _YEARLY.search(text)
    if m:
        return Deadline(date(plan_year, 12, 31), vocab.YEARLY_KIND, False, m[0])
    return NO_DEADLINE


def parse_deadline_column(text: str, plan_year: int) -> Deadline:
    """A 完成时限 cell: a date written on its own is the deadline, 前 or not."""
    found = parse_deadline(text, plan_year)
    if found.kind == vocab.DATE_KIND:
        return found
    dates: list[tuple[date, str]] = []
    for m in _COL_FULL.finditer(text):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            dates.append((d, m[0]))
    if not dates:
        for m in _COL_MONTH.finditer(text):
            d = _month_end(int(m[1]), int(m[2]))
            if d:
                dates.append((d, m[0]))
    if not dates:
        for m in _COL_BARE_MONTH.finditer(text):
            d = _month_end(plan_year, int(m[1]))
            if d:
                dates.append((d, m[0]))
    if not dates:
        for m in _COL_YEAR_END.finditer(text):
            dates.append((date(plan_year, 12, 31), m[0]))
    if dates:
        due, phrase = min(dates)
        return Deadline(due, vocab.DATE_KIND, True, phrase)
    return found
