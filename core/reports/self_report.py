"""The year-end self-report (年度自查报告), laid out after GB/T 9704-2012.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block
156 × 225 mm); title 22 pt in the 小标宋 role, centred; body 16 pt in the
仿宋 role on a 22-line grid; 一、 headings in the 黑体 role, （一） in the 楷体
role, 1. in the body face; page numbers "— 1 —" in 14 pt with the dash 7 mm
below the text block, odd pages right and even pages left, one character in;
the unit's name and the date bottom right with room for the seal; the list of
evidence files as an attachment on its own page, numbered on.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from core.reports import ReportResult
from core.reports.data import ReportData, Steps, action_line, gather, numbers_text, paragraphs, short_requirement
from core.vocabulary import (COOPERATE, DONE, IMPLEMENT, IN_PROGRESS, LEAD, NOT_STARTED, ONGOING, RELATED,
                             ROLE_WORDS, ROLES, STATUSES, format_cn_date)
from core.reports.pdf_common import StepMarker, Typesetter, one_frame_doc, save_pdf

# GB/T 9704-2012, 5.2.1 / 7.x
PAGE_W, PAGE_H = A4
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
BLOCK_W, BLOCK_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM  # 156 × 225 mm
TITLE_SIZE, BODY_SIZE, FOLIO_SIZE = 22, 16, 14  # 2号, 3号, 4号
LINES_PER_PAGE = 22
# 22 lines in 225 mm: 28.99 pt a line; a hair less so that rounding never
# pushes the 22nd line onto the next page.
LEADING = int(BLOCK_H / LINES_PER_PAGE * 100) / 100 - 0.02
CHARS_PER_LINE = 28
# Character spacing that puts 28 characters of 16 pt on the 156 mm line (Word's
# character grid does the same: a 15.79 pt pitch).
BODY_CS = (BLOCK_W - CHARS_PER_LINE * BODY_SIZE) / (CHARS_PER_LINE - 1) - 0.001
PITCH = BODY_SIZE + BODY_CS
TITLE_LEADING = 33
FOLIO_GAP = 7 * mm  # from the text block's lower edge to the top of the page number's dash
INDENT = 2 * PITCH  # 首行缩进二字
SEAL_LINES = 3  # blank lines above the signature for the seal (印章上距正文一行之内, 42 mm seal)

CN_NUMS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (headings rarely go past 99)."""
    if n <= 10:
        return CN_NUMS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMS[tens - 1]
    return head + "十" + (CN_NUMS[ones - 1] if ones else "")


class Styles:
    def __init__(self, fonts):
        common = dict(fontSize=BODY_SIZE, leading=LEADING, wordWrap="CJK", allowOrphans=0, allowWidows=1)
        self.title = ParagraphStyle("title", fontName=fonts.title, fontSize=TITLE_SIZE, leading=TITLE_LEADING,
                                    alignment=TA_CENTER, wordWrap="CJK")
        self.plain = ParagraphStyle("plain", fontName=fonts.body, alignment=TA_JUSTIFY, **common)
        self.body = ParagraphStyle("body", parent=self.plain, firstLineIndent=INDENT)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=fonts.heading, keepWithNext=1,
                                 alignment=TA_LEFT)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=fonts.kai, keepWithNext=1, alignment=TA_LEFT)
        self.h3 = ParagraphStyle("h3", parent=self.body, keepWithNext=1)
        self.attach_head = ParagraphStyle("attach_head", parent=self.plain, fontName=fonts.heading)
        # 附件说明: "附件：" two characters in; a second line aligns under the name
        self.attach_note = ParagraphStyle("attach_note", parent=self.plain, leftIndent=INDENT + 3 * PITCH,
                                          firstLineIndent=-3 * PITCH)
        self.item = ParagraphStyle("item", parent=self.plain, leftIndent=INDENT + PITCH * 1.5,
                                   firstLineIndent=-PITCH * 1.5, alignment=TA_LEFT)
        self.folio = fonts.song  # 4号半角宋体阿拉伯数字


class Signature(Flowable):
    """The unit's name centred over the date; the date four characters in from
    the right (GB/T 9704 7.3.5.1), after blank lines that leave room for the seal."""

    def __init__(self, name_para, date_para, blank_lines: int = SEAL_LINES):
        super().__init__()
        self.name_para, self.date_para = name_para, date_para
        self.blank = blank_lines

    def _line_width(self, para, avail):
        para.wrap(avail, LEADING * 4)
        return max(para.getActualLineWidths0() or [0])

    def wrap(self, aw, ah):
        self.avail = aw
        self.name_w = min(self._line_width(self.name_para, aw), aw)
        self.date_w = self._line_width(self.date_para, aw)
        self.name_lines = len(self.name_para.blPara.lines)
        self.height = (self.blank + self.name_lines + 1) * LEADING
        return aw, self.height

    def draw(self):
        aw = self.avail
        date_right = aw - 4 * BODY_SIZE
        center = date_right - self.date_w / 2
        name_left = center - self.name_w / 2
        if name_left + self.name_w > aw - 2 * BODY_SIZE:  # a long name: 右空二字, date centred under it
            name_left = max(0, aw - 2 * BODY_SIZE - self.name_w)
            center = name_left + self.name_w / 2
        date_left = center - self.date_w / 2
        y_date = 0
        y_name = LEADING
        self.date_para.drawOn(self.canv, date_left, y_date)
        self.name_para.wrap(self.name_w + 1, LEADING * 4)
        self.name_para.drawOn(self.canv, name_left, y_name)


def _title_lines(title: str, font: str) -> list[str]:
    """Break a two-line title at a meaningful place: before 工作要点 (as the
    plan's own title does), else after 关于; one line when it fits."""
    if stringWidth(title, font, TITLE_SIZE) <= BLOCK_W:
        return [title]
    for marker, after in (("工作要点", False), ("关于", True)):
        i = title.find(marker)
        if i > 0:
            cut = i + len(marker) if after else i
            a, b = title[:cut], title[cut:]
            if b and max(stringWidth(a, font, TITLE_SIZE), stringWidth(b, font, TITLE_SIZE)) <= BLOCK_W:
                return [a, b]
    return [title]


def report_title(data: ReportData) -> str:
    return f"{data.unit_name}关于{data.year}年政务公开工作要点落实情况的自查报告"


def _plan_short(title: str) -> str:
    return "分工方案" if title.endswith("分工方案") else "方案"


def overview_sentences(data: ReportData) -> list[str]:
    """一、总体情况: the counts, as sentences."""
    es = data.accepted()
    plan = data.plan
    short = _plan_short(plan["title"])
    counts = {r: sum(1 for e in es if e.view.role == r) for r in ROLES}
    parts = []
    for r in ROLES:
        if counts[r]:
            word = {LEAD: "牵头", COOPERATE: "配合", IMPLEMENT: "按职责分工落实",
                    RELATED: "经确认由本单位负责的相关任务"}[r]
            parts.append(f"{word}{counts[r]}项")
    total = plan.get("task_count") or 0
    s1 = (f"《{short}》共部署{total}项重点任务，" if total else f"《{short}》") + \
         f"涉及本单位的有{len(es)}项" + (f"，其中{'、'.join(parts)}。" if parts else "。")
    by = {s: sum(1 for e in es if e.view.status == s) for s in STATUSES}
    states = [f"{DONE}{by[DONE]}项"]
    if by[ONGOING]:
        states.append(f"{ONGOING}{by[ONGOING]}项")
    states.append(f"正在推进{by[IN_PROGRESS]}项")
    if by[NOT_STARTED]:
        states.append(f"尚未启动{by[NOT_STARTED]}项")
    s2 = f"截至{format_cn_date(data.today)}，{'，'.join(states)}。"
    overdue = [e.number for e in es if e.overdue]
    if overdue:
        s2 += f"已超过完成时限仍未完成的有{len(overdue)}项（第{numbers_text(overdue)}项）。"
    else:
        s2 += "没有超过完成时限仍未完成的任务。"
    return [s1 + s2]


def open_sentence(open_items, short: str) -> str:
    """三、存在问题: how many tasks are not done, by state, with their numbers."""
    late = [e.number for e in open_items if e.overdue]
    going = [e.number for e in open_items if e.view.status == IN_PROGRESS and not e.overdue]
    idle = [e.number for e in open_items if e.view.status == NOT_STARTED and not e.overdue]
    parts = []
    if late:
        parts.append(f"已超过完成时限的{len(late)}项（第{numbers_text(late)}项）")
    if going:
        parts.append(f"正在推进的{len(going)}项（第{numbers_text(going)}项）")
    if idle:
        parts.append(f"尚未启动的{len(idle)}项（第{numbers_text(idle)}项）")
    return f"对照《{short}》要求，尚有{len(open_items)}项任务未完成，其中{'；'.join(parts)}。"


H2_RE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def build_self_report(ledger, unit_id: str, out: Path, plan_id: str | None = None, today: date | None = None,
                      progress=None, cancelled=None) -> ReportResult:
    today = today or date.today()
    steps = Steps(progress, cancelled)
    data = gather(ledger, unit_id, plan_id, today, include_pending=False, steps=None)
    es = data.accepted()
    steps.total = 2 * len(es) + 2
    steps.tick()
    ts = Typesetter()
    st = Styles(ts.fonts)
    warnings: list[str] = []

    def P(text, style):
        if style is st.title:
            return ts.rl_para(text, style)
        return ts.para(text, style, BODY_CS)

    story: list = []

    # title, addressee, opening
    for line in _title_lines(report_title(data), st.title.fontName):
        story.append(P(line, st.title))
    story.append(Spacer(1, LEADING))
    issuer = (data.plan.get("issuer") or "").strip()
    if issuer:
        story.append(P(f"{issuer}：", st.plain))
    short = _plan_short(data.plan["title"])
    story.append(P(f"根据《{data.plan['title']}》（以下简称《{short}》）要求，现将本单位{data.year}年"
                   "政务公开工作要点落实情况报告如下。", st.body))

    # 一、总体情况
    story.append(P("一、总体情况", st.h1))
    for s in overview_sentences(data):
        story.append(P(s, st.body))
    summary = paragraphs(data.texts.get("summary", ""))
    if not summary:
        warnings.append("“总体情况”中本单位的工作概述尚未填写，报告中只有任务统计。")
    story.extend(_clerk_paragraphs(ts, st, summary))

    # 二、主要工作及成效: per category, per task, what was done
    story.append(P("二、主要工作及成效", st.h1))
    if not es:
        story.append(P("本方案未分配给本单位任务。", st.body))
    cats: dict[tuple[int, str], list] = {}
    for e in es:
        cats.setdefault((e.view.category_ord, e.view.category), []).append(e)
    for ci, ((_, cat), items) in enumerate(sorted(cats.items(), key=lambda kv: kv[0][0]), start=1):
        story.append(P(f"（{cn_number(ci)}）{cat}", st.h2))
        for ti, e in enumerate(items, start=1):
            v = e.view
            story.append(P(f"{ti}. 第{v.number}项：{short_requirement(v.text)}（{v.role_label}，{v.status}）", st.h3))
            if e.actions:
                for a in e.actions:
                    story.append(P(action_line(a), st.body))
            else:
                story.append(P("暂无工作记录。", st.body))
            story.append(StepMarker(steps))
            steps.tick()

    # 三、存在问题
    story.append(P("三、存在问题", st.h1))
    open_items = [e for e in es if e.open]
    if open_items:
        story.append(P(open_sentence(open_items, short), st.body))
        no_reason = [e.number for e in open_items if not e.view.problem.strip()]
        for e in open_items:
            v = e.view
            if not (v.problem.strip() or e.overdue):
                continue
            due = f"时限要求{v.deadline_text}，" if v.deadline else ""
            late = "已逾期，" if e.overdue else ""
            reason = v.problem.strip() or "原因未填写。"
            story.append(P(f"第{v.number}项（{due}{late}目前{v.status}）：{reason}", st.body))
        if no_reason:
            warnings.append(f"第{numbers_text(no_reason)}项未完成，但没有填写原因（存在问题）。")
    problems = paragraphs(data.texts.get("problems", ""))
    story.extend(_clerk_paragraphs(ts, st, problems))
    if not open_items and not problems:
        story.append(P("（尚未填写）", st.body))
        warnings.append("“存在问题”尚未填写。")

    # 四、下一步工作计划
    story.append(P("四、下一步工作计划", st.h1))
    plan_next = _clerk_paragraphs(ts, st, paragraphs(data.texts.get("next_steps", "")))
    if not plan_next:
        plan_next = [P("（尚未填写）", st.body)]
        warnings.append("“下一步工作计划”尚未填写。")
    story.extend(plan_next[:-1])

    # 附件说明 and the signature stay with the last paragraph (never a page
    # holding only the signature); the attachment follows on a new page.
    files = [(e, a) for e in es for a in e.attachments]
    tail = [plan_next[-1]]
    if files:
        tail += [Spacer(1, LEADING), P("附件：佐证材料清单", st.attach_note)]
    else:
        warnings.append("本单位尚未添加佐证材料，报告不带附件。")
    tail.append(Signature(ts.rl_para(data.unit_name, st.plain), ts.rl_para(format_cn_date(today), st.plain)))
    story.append(KeepTogether(tail))
    if files:
        story.append(PageBreak())
        story.append(P("附件", st.attach_head))
        story.append(Spacer(1, LEADING))
        story.append(P("佐证材料清单", st.title))
        story.append(Spacer(1, LEADING))
        n = 0
        by_task: dict[int, list] = {}
        for e, a in files:
            by_task.setdefault(e.number, []).append((e, a))
        for number, rows in by_task.items():
            story.append(P(f"第{number}项：{short_requirement(rows[0][0].view.text, 24)}", st.h3))
            for _, a in rows:
                n += 1
                story.append(P(f"{n}. {a['name']}", st.item))

    w = data.pending_warning("未列入自查报告。")
    if w:
        warnings.insert(0, w)

    def on_page(canv, doc):
        steps.check()
        _draw_folio(canv, doc.page, st.folio)

    def factory(fh):
        return one_frame_doc(fh, A4, LEFT, RIGHT, TOP, BOTTOM, on_page, title=report_title(data),
                             author=data.unit_name, subject=data.plan["title"], initial_font=st.folio)

    pages = save_pdf(factory, story, out)
    steps.finish()
    return ReportResult(Path(out), pages, warnings + ts.warnings())


def _clerk_paragraphs(ts, st, paras: list[str]) -> list:
    out = []
    for p in paras:
        style = st.h2 if H2_RE.match(p) and len(p) <= 40 else st.body
        out.append(ts.para(p, style))
    return out


def folio_text(page: int) -> str:
    return f"— {page} —"


def folio_position(page: int, text_width: float) -> tuple[float, float]:
    """Lower-left corner of the page number: odd pages right, even pages left,
    each one 4号 character in from the text block; the dash 7 mm below it."""
    dash_mid = 0.33 * FOLIO_SIZE  # height of an em dash above the baseline (serif CJK faces)
    y = BOTTOM - FOLIO_GAP - dash_mid
    if page % 2:
        x = LEFT + BLOCK_W - FOLIO_SIZE - text_width
    else:
        x = LEFT + FOLIO_SIZE
    return x, y


def _draw_folio(canv, page: int, font: str) -> None:
    text = folio_text(page)
    wdt = stringWidth(text, font, FOLIO_SIZE)
    x, y = folio_position(page, wdt)
    canv.saveState()
    canv.setFont(font, FOLIO_SIZE)
    canv.drawString(x, y, text)
    canv.restoreState()
