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

from core.reports import Gap, ReportResult
from core.reports.cjk_paragraph import GridParagraph
from core.reports.data import (
    ReportData,
    Steps,
    as_sentence,
    cn_punct,
    dated_text,
    gather,
    numbers_text,
    paragraphs,
    task_title,
)
from core.reports.pdf_common import StepMarker, Typesetter, one_frame_doc, save_pdf
from core.vocabulary import (
    COOPERATE,
    DONE,
    IMPLEMENT,
    IN_PROGRESS,
    LEAD,
    NOT_STARTED,
    ONGOING,
    RELATED,
    ROLES,
    STATUSES,
    format_cn_date,
)

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
        # a web address in the attachment list: 小四 (12 pt) so that one of 70
        # characters fits a line whole, under its item's text
        self.link = ParagraphStyle("link", parent=self.item, fontSize=12, firstLineIndent=0)
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


def work_paragraph(ordinal: int | None, e, link_refs: dict[str, int]) -> str:
    """一是{title}（第N项）。{the records, each dated once}{已于…完成。}
    (without 一是 when it is the category's only one: ``ordinal`` None)

    The title is the plan's own words (data.task_title); the records are the
    clerk's sentences; a web address goes to the attachment list, the text
    points to its number there."""
    v = e.view
    lead = f"{cn_number(ordinal)}是" if ordinal else ""
    out = [f"{lead}{task_title(v.text, v.category)}（第{v.number}项）。"]
    for a in e.actions:
        sentence = as_sentence(dated_text(a))
        ref = link_refs.get(a["id"])
        if ref is not None:
            sentence = sentence[:-1] + f"（公开网址见附件第{ref}项）" + sentence[-1]
        out.append(sentence)
    if v.status == DONE and v.done_date:
        out.append(f"该项任务已于{format_cn_date(v.done_date)}完成。")
    return "".join(out)


def idle_sentence(items) -> str:
    """The tasks of one category with nothing recorded, in one sentence."""
    return f"第{numbers_text([e.number for e in items])}项任务暂无工作记录。"


def evidence(es) -> list[tuple]:
    """The attachment list: per task, its files and the web addresses of its
    records, numbered on: [(entry, [(n, text, is_link, action_id)])]."""
    out, n = [], 0
    for e in es:
        items = []
        for f in e.attachments:
            n += 1
            items.append((n, f["name"], False, None))
        for a in e.actions:
            if a.get("link"):
                n += 1
                items.append((n, a["link"], True, a["id"]))
        if items:
            out.append((e, items))
    return out


H2_RE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


class WithNext(Flowable):
    """A heading and the first lines of what follows it, never parted: when
    fewer than two lines of the text fit under the heading (one, if the text
    has only one), the whole goes to the next page. reportlab's keepWithNext
    cannot promise that for a paragraph that is split across pages."""

    def __init__(self, head, body):
        super().__init__()
        self.head, self.body = head, body

    def wrap(self, aw, ah):
        _, self.hh = self.head.wrap(aw, ah)
        _, self.bh = self.body.wrap(aw, max(0, ah - self.hh))
        self.width, self.height = aw, self.hh + self.bh
        return aw, self.height

    def split(self, aw, ah):
        _, hh = self.head.wrap(aw, ah)
        if hh >= ah:
            return []
        parts = self.body.split(aw, ah - hh)
        if len(parts) < 2:
            return []  # nothing of the body fits (orphan control said no): all of it moves on
        return [WithNext(self.head, parts[0]), *parts[1:]]

    def draw(self):
        self.head.drawOn(self.canv, 0, self.bh)
        self.body.drawOn(self.canv, 0, 0)


def build_self_report(ledger, unit_id: str, out: Path, plan_id: str | None = None, today: date | None = None,
                      progress=None, cancelled=None) -> ReportResult:
    today = today or date.today()
    steps = Steps(progress, cancelled)
    data = gather(ledger, unit_id, plan_id, today, action_ids=True)
    es = data.accepted()
    steps.total = 2 * len(es) + 2
    steps.tick()
    ts = Typesetter()
    st = Styles(ts.fonts)
    gaps: list[Gap] = []

    def P(text, style):
        if style is st.title:
            return ts.rl_para(text, style)
        return ts.para(text, style, BODY_CS)

    story: list = []
    section_no = 0

    def section(title: str, body: list) -> None:
        """一、… with its paragraphs; the heading keeps its first lines."""
        nonlocal section_no
        section_no += 1
        head = P(f"{cn_number(section_no)}、{title}", st.h1)
        head.keepWithNext = 0
        story.append(WithNext(head, body[0]) if body else head)
        story.extend(body[1:])

    # title, addressee, opening
    for line in _title_lines(report_title(data), st.title.fontName):
        story.append(P(line, st.title))
    story.append(Spacer(1, LEADING))
    issuer = (data.plan.get("issuer") or "").strip()
    if issuer:
        story.append(P(f"{issuer}：", st.plain))
    short = _plan_short(data.plan["title"])
    story.append(P(f"根据《{cn_punct(data.plan['title'])}》（以下简称《{short}》）要求，现将本单位{data.year}年"
                   "政务公开工作要点落实情况报告如下。", st.body))

    # 一、总体情况: the figures, then the clerk's own summary
    summary = paragraphs(data.texts.get("summary", ""))
    if not summary:
        gaps.append(Gap("summary", "“总体情况”中本单位的工作概述尚未填写，报告中只有任务统计。"))
    section("总体情况", [P(s, st.body) for s in overview_sentences(data)] + _clerk_paragraphs(ts, st, summary))

    # 二、主要工作及成效: per category, the recorded work as 一是…二是…; the
    # tasks with nothing recorded in one sentence per category
    files = evidence(es)
    link_refs = {aid: n for _, items in files for n, _, is_link, aid in items if is_link}
    cats: dict[tuple[int, str], list] = {}
    for e in es:
        cats.setdefault((e.view.category_ord, e.view.category), []).append(e)
    work: list = []
    idle_cats: list[str] = []
    ci = 0
    for (_, cat), items in sorted(cats.items(), key=lambda kv: kv[0][0]):
        done = [e for e in items if e.actions]
        idle = [e for e in items if not e.actions]
        if not done:
            idle_cats.append(f"{cn_punct(cat)}方面第{numbers_text([e.number for e in idle])}项")
            for _ in items:
                steps.tick()
            continue
        ci += 1
        paras = [P(work_paragraph(ti if len(done) > 1 else None, e, link_refs), st.body)
                 for ti, e in enumerate(done, start=1)]
        if idle:
            paras.append(P(idle_sentence(idle), st.body))
        head = P(f"（{cn_number(ci)}）{cn_punct(cat)}", st.h2)
        head.keepWithNext = 0
        work.append(WithNext(head, paras[0]))
        work.extend(paras[1:])
        for _ in items:
            work.append(StepMarker(steps))
            steps.tick()
    if idle_cats:
        lead = "此外，" if ci else ""
        work.append(P(f"{lead}{'；'.join(idle_cats)}任务暂无工作记录。", st.body))
    if not es:
        work.append(P("本方案未分配给本单位任务。", st.body))
    section("主要工作及成效", work)

    # 三、存在问题: what is not done, the reasons the clerk gave, the clerk's remarks
    open_items = [e for e in es if e.open]
    problems = paragraphs(data.texts.get("problems", ""))
    body = []
    if open_items:
        body.append(P(open_sentence(open_items, short), st.body))
        for e in open_items:
            v = e.view
            if not v.problem.strip():
                continue
            due = f"时限要求{v.deadline_text}，" if v.deadline and e.overdue else ""
            late = "已逾期，" if e.overdue else ""
            body.append(P(f"第{v.number}项（{due}{late}目前{v.status}）：{as_sentence(v.problem.strip())}", st.body))
        no_reason = [e.number for e in open_items if not e.view.problem.strip()]
        if no_reason:
            gaps.append(Gap("reason", f"第{numbers_text(no_reason)}项未完成，但没有填写原因（存在问题）。",
                            tuple(no_reason)))
    body.extend(_clerk_paragraphs(ts, st, problems))
    if not problems:
        gaps.append(Gap("problems", "“存在问题”中本单位的问题分析尚未填写。"))
    if body:
        section("存在问题", body)

    # 四、下一步工作计划: only what the clerk wrote
    plan_next = _clerk_paragraphs(ts, st, paragraphs(data.texts.get("next_steps", "")))
    if plan_next:
        section("下一步工作计划", plan_next)
    else:
        gaps.append(Gap("next_steps", "“下一步工作计划”尚未填写，报告中没有这一部分。"))

    # 附件说明 and the signature stay with the last paragraph (never a page
    # holding only the signature); the attachment follows on a new page.
    tail = [story.pop()]
    warnings: list[str] = []
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
        for e, items in files:
            head = P(f"第{e.number}项　{task_title(e.view.text, e.view.category)}", st.h3)
            head.keepWithNext = 0
            rows = []
            for n, text, is_link, _ in items:
                if is_link:  # the address whole on a line of its own, in smaller type
                    rows.append(P(f"{n}. 公开网址：", st.item))
                    rows.append(ts.para(text, st.link))
                else:
                    rows.append(P(f"{n}. {text}", st.item))
            story.append(WithNext(head, rows[0]))
            story.extend(rows[1:])

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
    return ReportResult(Path(out), pages, [g.message for g in gaps] + warnings + ts.warnings(), gaps)


def _clerk_paragraphs(ts, st, paras: list[str]) -> list:
    """The clerk's lines as paragraphs; a line that is a （一） heading is kept
    with the paragraph after it."""
    out: list = []
    for p in paras:
        heading = bool(H2_RE.match(p)) and len(p) <= 40
        para = ts.para(p, st.h2 if heading else st.body, BODY_CS)
        prev = out[-1] if out else None
        if isinstance(prev, GridParagraph) and prev.style is st.h2 and not heading:
            prev.keepWithNext = 0
            out[-1] = WithNext(prev, para)
        else:
            out.append(para)
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
