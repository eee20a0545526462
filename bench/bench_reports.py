#!/usr/bin/env python3
"""Benchmark (not a test): the reports for a unit with 50 tasks and 2,000 actions.

Compares, in the same run and on the same text:
  - the self-report (core.reports, GridParagraph, GB/T 9704 layout)
    against a bare reportlab document: SimpleDocTemplate with one
    Paragraph(wordWrap="CJK") per text, same fonts, same sizes;
  - the 回头看 checklist against a bare reportlab table: the same cells
    (number, category, text, unit and role, deadline, actions, completion)
    as Paragraph(wordWrap="CJK") in a plain Table with the same column
    widths, fonts, grid, repeated header and spanned group title; a task's
    actions go 4 to a row, further rows saying "N（续）" (reportlab's own
    splitInRow takes ten times longer and makes three times the pages);
  - the Excel ledger (core.reports) against a bare openpyxl workbook holding
    the same cells: every value of every sheet of the ledger just written
    (read back outside the timing), appended row by row without styles and
    saved to a file. (Both sides start from the store: the ledger's figure
    includes reading it, the bare one gets its values ready — as the two
    reportlab baselines do.)

Prints the median of several runs, absolute and as a ratio; each report and
its baseline are run in turns.

    python bench/bench_reports.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TASKS, ACTIONS = 50, 2000
TODAY = date(2022, 12, 20)
PHRASES = ["在门户网站政府信息公开专栏公开", "召开专题会议研究部署", "组织全局业务培训",
           "更新政策解读专栏", "完成年度自查并形成台账", "向市政府办公室报送工作情况"]


def make_ledger():
    """A 2022 plan whose 50 tasks (texts of the seed plan) all name 市财政局 as lead."""
    from core.ledger import Ledger
    from core.vocabulary import DONE, IN_PROGRESS, NOT_STARTED, ONGOING

    ledger = Ledger.memory()
    seed = ledger.tasks(ledger.units()[0].id, include_all=True)  # every task of the embedded plan
    lines = ["某市人民政府办公室", "2022年3月1日", "某市2022年政务公开工作要点分工方案",
             "工作任务 | 具体要求 | 落实单位"]
    for i in range(TASKS):
        t = seed[i % len(seed)]
        text = t.text.replace("|", "｜").replace("\n", "")
        lines.append(f"{t.category} | {i + 1}.{text} | 市财政局牵头")
    res = ledger.import_plan_text("\n".join(lines) + "\n", source="bench")
    unit = ledger.find_unit("市财政局")
    views = ledger.tasks(unit.id, plan_id=res.plan_id, today=TODAY)
    assert len(views) == TASKS, len(views)
    ledger.set_handler("张堃")
    for k in range(ACTIONS):
        v = views[k % TASKS]
        text = (f"第{k + 1}次：{PHRASES[k % len(PHRASES)]}第{v.number}项任务相关信息，"
                f"涉及文件{k % 7 + 1}件、数据{k % 13 + 2}条，完成率{k % 100}％，经办人王玥核对。")
        ledger.add_action(unit.id, v.id, text, date(2022, 1 + k % 12, 1 + k % 28))
    for i, v in enumerate(views):
        ledger.set_status(unit.id, v.id, (DONE, IN_PROGRESS, ONGOING, NOT_STARTED)[i % 4])
    ledger.set_report_texts(unit.id, res.plan_id, summary="我局高度重视政务公开工作。" * 10,
                            problems="部分科室重视不够。" * 5, next_steps="继续深化财政信息公开。" * 5)
    return ledger, unit.id, res.plan_id


def texts_of(ledger, unit_id, plan_id):
    from core.reports.data import action_line

    out = []
    for v in ledger.tasks(unit_id, plan_id=plan_id, today=TODAY):
        out.append((v, [action_line(a) for a in ledger.actions(unit_id, v.id)]))
    return out


def bare_reportlab(items) -> int:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from core.pdf_fonts import register_fonts

    fs = register_fonts()
    st = ParagraphStyle("b", fontName=fs.body, fontSize=16, leading=29, wordWrap="CJK", firstLineIndent=32)
    story = []
    for v, lines in items:
        story.append(Paragraph(f"第{v.number}项：{v.text}", st))
        story.extend(Paragraph(t, st) for t in lines)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=37 * mm,
                            bottomMargin=35 * mm)
    doc.build(story)
    return doc.page


def bare_table(items) -> int:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from xml.sax.saxutils import escape

    from core.pdf_fonts import register_fonts
    from core.reports.lookback import COLUMNS

    fs = register_fonts()
    cell = ParagraphStyle("c", fontName=fs.song, fontSize=9, leading=12.5, wordWrap="CJK")
    cell_c = ParagraphStyle("cc", parent=cell, alignment=TA_CENTER)
    head = ParagraphStyle("h", parent=cell_c, fontName=fs.heading)

    def p(text, st=cell):
        return Paragraph(escape(text).replace("\n", "<br/>"), st) if text else ""

    rows = [[p(h, head) for h, _, _ in COLUMNS], [p("一、任务", head)] + [""] * (len(COLUMNS) - 1)]
    for v, lines in items:
        rows.append([p(str(v.number), cell_c), p(v.category), p(v.text), p("市财政局（牵头）"),
                     p(v.deadline_text, cell_c), p("\n".join(lines[:4])), p(v.status, cell_c), "", "", "", ""])
        for k in range(4, len(lines), 4):
            rows.append([p(f"{v.number}\n（续）", cell_c), "", "", "", "", p("\n".join(lines[k:k + 4])), "", "", "",
                         "", ""])
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), fs.song),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("SPAN", (0, 1), (-1, 1)),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    table = Table(rows, colWidths=[w * mm for _, w, _ in COLUMNS], repeatRows=2, style=style, hAlign="LEFT")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=17 * mm)
    doc.build([table])
    return doc.page


def cells_of(xlsx: Path) -> list[tuple[str, list[list]]]:
    """Every sheet's values, as written by the ledger."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    return [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]


def bare_openpyxl(sheets, out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(out)


def timed_in_turns(ours, bare, runs: int) -> tuple[float, object, float, object]:
    """Median seconds and last result of ``ours`` and of ``bare``, run in turns
    (ours, bare, ours, …): a change in the machine's load (a shared VM's
    neighbours) falls on both sides alike instead of on one."""
    times_ours, times_bare, r_ours, r_bare = [], [], None, None
    for _ in range(runs):
        t = time.perf_counter()
        r_ours = ours()
        times_ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        r_bare = bare()
        times_bare.append(time.perf_counter() - t)
    return statistics.median(times_ours), r_ours, statistics.median(times_bare), r_bare


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    t = time.perf_counter()
    import reportlab.platypus  # noqa: F401  (import time is not what we measure)
    import openpyxl  # noqa: F401

    from core.pdf_fonts import register_fonts
    from core.reports import build_report

    register_fonts()
    print(f"imports and font registration: {time.perf_counter() - t:.2f} s (once per process)")
    t = time.perf_counter()
    ledger, uid, plan_id = make_ledger()
    print(f"setup: {TASKS} tasks, {ACTIONS} actions in {time.perf_counter() - t:.1f} s")
    items = texts_of(ledger, uid, plan_id)
    chars = sum(len(v.text) + sum(len(x) for x in lines) for v, lines in items)
    print(f"text: {chars} characters")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def report(kind, ext):
            return lambda: build_report(kind, ledger, uid, out / f"r{ext}", plan_id=plan_id, today=TODAY)

        rows = []
        s_self, r_self, s_bare_pdf, bare_pages = timed_in_turns(report("self", ".pdf"),
                                                                lambda: bare_reportlab(items), args.runs)
        s_look, r_look, s_bare_table, table_pages = timed_in_turns(report("lookback", ".pdf"),
                                                                   lambda: bare_table(items), args.runs)
        report("ledger", ".xlsx")()  # once first: the bare side writes the cells this ledger holds
        sheets = cells_of(out / "r.xlsx")
        n_cells = sum(1 for _, rows in sheets for row in rows for v in row if v is not None)
        s_ledger, _, s_bare_xlsx, _ = timed_in_turns(report("ledger", ".xlsx"),
                                                     lambda: bare_openpyxl(sheets, out / "bare.xlsx"), args.runs)
        rows.append(("self-report PDF", s_self, f"{r_self.pages} pages", s_bare_pdf))
        rows.append(("bare reportlab, same text", s_bare_pdf, f"{bare_pages} pages", None))
        rows.append(("回头看 checklist PDF", s_look, f"{r_look.pages} pages", s_bare_table))
        rows.append(("bare reportlab table, same cells", s_bare_table, f"{table_pages} pages", None))
        rows.append(("Excel ledger", s_ledger, f"{(out / 'r.xlsx').stat().st_size // 1024} KiB", s_bare_xlsx))
        rows.append(("bare openpyxl, same cells", s_bare_xlsx, f"{n_cells} cells", None))
    print(f"\nmedian of {args.runs} runs")
    for name, secs, what, base in rows:
        ratio = f"{secs / base:5.2f}× the bare one" if base else ""
        print(f"  {name:<32} {secs:7.3f} s  {what:<10} {ratio}")
    ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
