"""催办单 (PDF): one page per unit that has overdue or unstarted tasks.

Each page: the title 催办单, the unit as addressee, one paragraph asking it to
finish and report, a table of its overdue tasks (number, requirement, deadline,
status), its unstarted tasks by number, and the office's name and date. A unit
with very many overdue tasks runs on to a second page; the next unit always
starts on a new page. Layout and fonts as the 通报 (core/reports/bulletin.py).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import PageBreak

from core.errors import InputError
from core.reports import ReportResult, output_path
from core.reports.bulletin import Kit, office_name
from core.reports.data import cn_punct, numbers_text
from core.reports.self_report import BLOCK_W
from core.vocabulary import NOT_STARTED, RED, deadline_text, format_cn_date

MAX_TEXT = 40  # characters of a requirement shown in the table


def reminder_units(rollup) -> list:
    out = []
    for u in rollup.units:
        items = rollup.unit_items(u.unit_id)
        overdue = [(t, c) for t, c in items if c.light == RED]
        idle = [(t, c) for t, c in items if c.status == NOT_STARTED and c.light != RED]
        if overdue or idle:
            out.append((u, overdue, idle))
    return out


def build_reminders(ledger, rollup, out: Path) -> ReportResult:
    from datetime import date as _date

    from core.supervise import package_due

    out = output_path(out, "催办单", ".pdf")
    todo = reminder_units(rollup)
    if not todo:
        raise InputError("各单位都没有逾期或未启动的任务，不需要催办。")
    k = Kit()
    st = k.st
    office = office_name(ledger)
    due = package_due(ledger, rollup.plan)
    story: list = []
    for i, (u, overdue, idle) in enumerate(todo):
        if i:
            story.append(PageBreak())
        story += k.title("催办单")
        story.append(k.P(f"{u.full_name}：", st.plain))
        what = []
        if overdue:
            what.append(f"{len(overdue)}项任务已超过时限仍未完成")
        if idle:
            what.append(f"{len(idle)}项任务尚未启动")
        reported = "" if u.reported else "贵单位尚未报送上报包。"
        story.append(k.P(f"截至{format_cn_date(rollup.today)}，"
                         f"贵单位有{'，'.join(what)}。{reported}请抓紧推进，并于{format_cn_date(max(due, rollup.today))}前"
                         f"将落实情况及佐证材料通过上报包报送{office}。", st.body))
        if overdue:
            story.append(k.P("一、逾期未完成的任务", st.h1))
            rows = []
            for t, c in overdue:
                text = cn_punct(t.text if len(t.text) <= MAX_TEXT else t.text[:MAX_TEXT] + "……")
                d = _date.fromisoformat(t.deadline) if t.deadline else None
                rows.append([t.number, text, deadline_text(d, t.deadline_kind), c.status])
            story.append(k.table(["序号", "工作要求", "时限", "状态"], rows,
                                 [x * BLOCK_W for x in (0.09, 0.51, 0.26, 0.14)]))
        if idle:
            story.append(k.P(f"{'二' if overdue else '一'}、尚未启动的任务", st.h1))
            story.append(k.P(f"第{numbers_text([t.number for t, _ in idle])}项，共{len(idle)}项。", st.body))
        story.append(k.signature(office, rollup.today, blank_lines=0))  # the seal presses on the name and date (GB/T 9704 7.3.5.1)
    pages = k.save(story, out, "催办单", office, rollup.plan["title"])
    return ReportResult(out, pages, k.ts.warnings())
