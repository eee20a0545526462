"""The 回头看 checklist (回头看核查清单): a landscape A4 table, one row per task.

Tasks for which the unit is responsible by name or by a defined group
(lead, cooperate, implement) and that carry an explicit deadline come first;
the rest — ongoing work without a deadline, yearly work, and related tasks
the unit has confirmed — follow under their own heading, marked ※.  The
header row repeats on every page; a row too tall for a page is split inside
the row; every page carries "第 N 页 共 M 页" and the date the list was made.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer, Table, TableStyle

from core.reports import Gap, ReportResult
from core.reports.data import (
    Steps,
    action_line,
    cn_punct,
    completion_word,
    gather,
    numbers_text,
)
from core.reports.pdf_common import StepMarker, Typesetter, one_frame_doc, save_pdf
from core.vocabulary import (
    COOPERATE,
    DONE,
    IMPLEMENT,
    LEAD,
    LONG_TERM,
    NOT_DONE,
    ONGOING,
    format_cn_date,
)

PAGE_W, PAGE_H = landscape(A4)
LEFT = RIGHT = 15 * mm
TOP, BOTTOM = 15 * mm, 17 * mm
BLOCK_W, BLOCK_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM
CELL_SIZE, CELL_LEADING = 9, 12.5
MARK = "※"

PAD = 2  # cell padding left and right, pt
COLUMNS = [  # (header, width in mm, centred)
    ("序号", 12, True),
    ("工作任务", 22, False),
    ("具体要求", 44, False),
    ("责任单位（角色）", 28, False),
    ("时限要求", 20, True),
    ("落实情况", 48, False),
    ("是否完成", 15, True),
    ("佐证材料", 22, False),
    ("存在问题", 20, False),
    ("整改措施", 20, False),
    ("整改时限", 16, True),
]
# A row taller than this is continued in further rows ("12（续）"): two such
# pieces fill a page under the repeated header and group title.
MAX_ROW_H = (BLOCK_H - 24 * mm) / 2
assert abs(sum(c[1] for c in COLUMNS) * mm - BLOCK_W) < 0.5 * mm


def is_focus(v) -> bool:
    """回头看 focuses on tasks with an explicit responsible unit and deadline."""
    return v.role in (LEAD, COOPERATE, IMPLEMENT) and v.deadline_explicit


def lookback_title(data) -> str:
    return f"{data.unit_name}{data.year}年政务公开工作“回头看”核查清单"


def summary_counts(entries) -> dict:
    """正在整改 are the unfinished tasks with a problem written down (存在问题),
    except 长期坚持 work (no deadline), which is never "整改"; the other
    unfinished tasks are counted as what they are."""
    def fixing(e):
        v = e.view
        return v.status in NOT_DONE and v.problem.strip() and v.deadline is not None

    return {
        "checked": len(entries),
        "done": sum(1 for e in entries if e.view.status == DONE),
        "ongoing": sum(1 for e in entries if e.view.status == ONGOING),
        "fixing": sum(1 for e in entries if fixing(e)),
        "long_term": sum(1 for e in entries if e.view.status in NOT_DONE and e.view.deadline is None),
        "open": sum(1 for e in entries if e.view.status in NOT_DONE and e.view.deadline is not None
                    and not fixing(e)),
    }


def summary_sentence(c: dict) -> str:
    parts = [f"{DONE}{c['done']}项"]
    if c["ongoing"]:
        parts.append(f"{ONGOING}{c['ongoing']}项")
    if c["fixing"]:
        parts.append(f"正在整改{c['fixing']}项")
    if c["long_term"]:
        parts.append(f"{LONG_TERM}的工作{c['long_term']}项")
    if c["open"]:
        parts.append(f"其他尚未完成{c['open']}项")
    return f"本次共核查{c['checked']}项任务，{'，'.join(parts)}。"


def completion_text(v) -> str:
    """是否完成, with the completion date when there is one."""
    word = completion_word(v)
    return f"{word}\n（{format_cn_date(v.done_date)}）" if v.status == DONE and v.done_date else word


def responsible_text(data, v) -> str:
    lines = [f"{data.unit.short_name}（{v.role_label}）"]
    if v.role != LEAD:
        leads = [u["name"] for u in v.units if u["role"] == LEAD]
        if leads:
            lines.append("牵头：" + "、".join(dict.fromkeys(leads)))
    return "\n".join(lines)


def _footer_canvas(draw_footer):
    class NumberedCanvas(Canvas):
        """Holds the pages back until the end so each can say 共 M 页."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                draw_footer(self, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_lookback(ledger, unit_id: str, out: Path, plan_id: str | None = None, today: date | None = None,
                   progress=None, cancelled=None) -> ReportResult:
    today = today or date.today()
    steps = Steps(progress, cancelled)
    data = gather(ledger, unit_id, plan_id, today)
    entries = data.accepted()
    steps.total = 2 * len(entries) + 2
    steps.tick()
    ts = Typesetter()
    fonts = ts.fonts
    warnings: list[str] = []

    title_st = ParagraphStyle("t", fontName=fonts.title, fontSize=18, leading=26, alignment=TA_CENTER,
                              wordWrap="CJK")
    line_st = ParagraphStyle("l", fontName=fonts.body, fontSize=12, leading=20, alignment=TA_LEFT)
    cell = ParagraphStyle("c", fontName=fonts.song, fontSize=CELL_SIZE, leading=CELL_LEADING, alignment=TA_LEFT)
    cell_c = ParagraphStyle("cc", parent=cell, alignment=TA_CENTER)
    head = ParagraphStyle("h", parent=cell_c, fontName=fonts.heading)
    group = ParagraphStyle("g", parent=cell, fontName=fonts.heading)
    note_st = ParagraphStyle("n", parent=cell, fontSize=9, leading=14)

    focus = [e for e in entries if is_focus(e.view)]
    rest = [e for e in entries if not is_focus(e.view)]
    counts = summary_counts(entries)

    story: list = [ts.para(lookback_title(data), title_st), Spacer(1, 2 * mm)]
    story.append(ts.para(f"填报单位：{data.unit_name}（盖章）　　　　填报日期：{format_cn_date(today)}", line_st))
    story.append(ts.para(summary_sentence(counts), line_st))
    story.append(Spacer(1, 2 * mm))

    header = [ts.para(h, head) for h, _, _ in COLUMNS]
    widths = [w * mm for _, w, _ in COLUMNS]
    base_style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        # empty cells are strings drawn in the cell's font: Table's default is an
        # unembedded Helvetica
        ("FONTNAME", (0, 0), (-1, -1), fonts.song),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("SPAN", (0, 1), (-1, 1)),
        ("BACKGROUND", (0, 1), (-1, 1), colors.Color(0.96, 0.96, 0.96)),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    no_remedy = []

    def task_rows(e, marked: bool) -> list[list]:
        v = e.view
        due = v.deadline_text + ("\n（已逾期）" if e.overdue else "")
        actions = "\n".join(action_line(a) for a in e.actions) or "暂无记录"
        files = "\n".join(a["name"] for a in e.attachments)
        if v.status in NOT_DONE and not v.remedy.strip():
            no_remedy.append(v.number)
        number = f"{v.number}{MARK if marked else ''}"
        values = [
            (number, cell_c), (cn_punct(v.category), cell), (cn_punct(v.text), cell),
            (responsible_text(data, v), cell), (due, cell_c), (actions, cell), (completion_text(v), cell_c),
            (files, cell), (v.problem, cell), (v.remedy, cell),
            (format_cn_date(v.remedy_due) if v.remedy_due else "", cell_c),
        ]
        cells = [ts.para(text, style) if text else "" for text, style in values]
        steps.tick()
        return split_tall_row(cells, widths, lambda: ts.para(f"{number}\n（续）", cell_c))

    def table(title: str, items, marked: bool):
        rows = [header, [ts.para(title, group)] + [""] * (len(COLUMNS) - 1)]
        for e in items:
            rows.extend(task_rows(e, marked))
        if not items:
            rows.append([ts.para("（无）", cell_c)] + [""] * (len(COLUMNS) - 1))
        # the header and the group's title repeat at the top of every page
        return Table(rows, colWidths=widths, repeatRows=2, style=TableStyle(base_style), hAlign="LEFT")

    story.append(table(f"一、明确责任单位和完成时限的任务（{len(focus)}项）", focus, False))
    story.append(table(f"二、其他任务（未明确完成时限，或经本单位确认负责的相关任务，{len(rest)}项，序号后标{MARK}）",
                       rest, True))
    story.append(StepMarker(steps))
    story.append(Spacer(1, 4 * mm))
    story.append(ts.para(f"注：{MARK} 表示该项任务未明确完成时限，或是经本单位确认负责的相关任务。"
                         f"“是否完成”为“{ONGOING}”的，表示有时限要求的部分已完成、工作长期坚持。", note_st))
    story.append(Spacer(1, 4 * mm))
    story.append(ts.para(f"填表人：{data.handler or '　　　　'}　　　　审核人：　　　　　　　　联系电话：", line_st))

    gaps = []
    if no_remedy:
        gaps.append(Gap("remedy", f"第{numbers_text(no_remedy)}项尚未完成，但没有填写整改措施。", tuple(no_remedy)))
        warnings.append(gaps[-1].message)
    w = data.pending_warning("未列入核查清单。")
    if w:
        warnings.insert(0, w)

    made = f"制表日期：{format_cn_date(today)}"
    label = f"{data.unit.short_name}“回头看”核查清单"

    def draw_footer(canv, total):
        canv.saveState()
        canv.setFont(fonts.body, 9)
        y = BOTTOM - 9 * mm
        page = f"第 {canv.getPageNumber()} 页 共 {total} 页"
        canv.drawCentredString(PAGE_W / 2, y, page)
        _draw_text(canv, ts, label, fonts.body, 9, LEFT, y)
        _draw_text(canv, ts, made, fonts.body, 9, PAGE_W - RIGHT - _text_width(ts, made, fonts.body, 9), y)
        canv.restoreState()

    def on_page(canv, doc):
        steps.check()

    def factory(fh):
        return one_frame_doc(fh, landscape(A4), LEFT, RIGHT, TOP, BOTTOM, on_page, title=lookback_title(data),
                             author=data.unit_name, subject=data.plan["title"], initial_font=fonts.body)

    pages = save_pdf(factory, story, out, canvasmaker=_footer_canvas(draw_footer))
    steps.finish()
    return ReportResult(Path(out), pages, warnings + ts.warnings(), gaps)


def split_tall_row(cells: list, widths: list[float], continued) -> list[list]:
    """One row, or several when a cell is taller than MAX_ROW_H: the tall
    cells go on in continuation rows whose first cell says "N（续）"."""
    inner = [w - 2 * PAD for w in widths]
    pad_v = 5
    heights = [c.wrap(w, 1e6)[1] if c else 0 for c, w in zip(cells, inner)]
    if max(heights) + pad_v <= MAX_ROW_H:
        return [cells]
    pieces: list[list] = []
    for c, w, h in zip(cells, inner, heights):
        if not c or h + pad_v <= MAX_ROW_H:
            pieces.append([c])
            continue
        parts, rest = [], c
        while rest is not None:
            got = rest.split(w, MAX_ROW_H - pad_v)
            if len(got) <= 1:
                parts.append(rest)
                rest = None
            else:
                parts.append(got[0])
                rest = got[1]
        pieces.append(parts)
    n = max(len(p) for p in pieces)
    rows = []
    for k in range(n):
        row = [p[k] if k < len(p) else "" for p in pieces]
        if k:
            row[0] = continued()
        rows.append(row)
    return rows


def _runs(ts, text: str, font: str):
    """(text, face) runs with the fonts module's fallback, for drawing straight on the canvas."""
    from reportlab.platypus.paraparser import ParaParser

    st = ParagraphStyle("x", fontName=font, fontSize=9)
    _, frags, _ = ParaParser().parse(ts.markup(text, font), st)
    return [(f.text, f.fontName) for f in frags if getattr(f, "text", "")]


def _text_width(ts, text, font, size) -> float:
    return sum(stringWidth(t, f, size) for t, f in _runs(ts, text, font))


def _draw_text(canv, ts, text, font, size, x, y) -> None:
    for t, f in _runs(ts, text, font):
        canv.setFont(f, size)
        canv.drawString(x, y, t)
        x += stringWidth(t, f, size)
