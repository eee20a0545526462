"""The supervising office's 通报 (PDF, GB/T 9704-2012 layout as the self-report:
core/reports/self_report.py's page, styles, page numbers and signature).

    关于2021年政务公开工作要点落实情况的通报
    主送 各镇人民政府（街道办事处）、市府直属各单位：
    一、总体情况     the figures in words; two bar charts (reportlab.graphics):
                     completion by category of the plan and by unit group
    二、考评情况     the formula in one paragraph, the ranking table
    三、存在问题     the units that never reported; the overdue list (table)
    四、下一步要求   fixed wording
    the office's name and the date, bottom right

The charts and tables count the units that have reported (the roll-up's
by_category / by_group); the overview says how many have not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from core.reports import ReportResult, output_path
from core.reports.data import cn_punct
from core.reports.pdf_common import Typesetter, one_frame_doc, save_pdf
from core.reports.self_report import (
    BLOCK_W,
    BODY_CS,
    BOTTOM,
    LEADING,
    LEFT,
    RIGHT,
    TOP,
    Signature,
    Styles,
    _draw_folio,
    _title_lines,
    cn_number,
)
from core.vocabulary import format_cn_date

TABLE_SIZE = 12  # 小四
ADDRESSEES = "各镇人民政府（街道办事处）、市府直属各单位"


def pct(done: int, total: int) -> str:
    return f"{done / total:.1%}" if total else "—"


def office_name(ledger) -> str:
    from core.supervise import supervisor_unit

    unit = supervisor_unit(ledger)
    return unit.full_name if unit else "政务公开工作汇总单位"


class Kit:
    """Fonts, styles and small builders shared by the 通报 and the 催办单."""

    def __init__(self):
        self.ts = Typesetter()
        self.st = Styles(self.ts.fonts)
        f = self.ts.fonts
        self.cell = ParagraphStyle("cell", fontName=f.body, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.3,
                                   wordWrap="CJK", alignment=TA_LEFT)
        self.cell_c = ParagraphStyle("cell_c", parent=self.cell, alignment=TA_CENTER)
        self.cell_h = ParagraphStyle("cell_h", parent=self.cell_c, fontName=f.heading)
        self.caption = ParagraphStyle("caption", parent=self.cell_c, fontName=f.heading, fontSize=14,
                                      leading=20)

    def P(self, text, style):
        if style is self.st.title:
            return self.ts.rl_para(text, style)
        return self.ts.para(text, style, BODY_CS)

    def c(self, text, style=None):
        return self.ts.rl_para(str(text), style or self.cell)

    def table(self, head: list[str], rows: list[list], widths: list[float]) -> Table:
        data = [[self.c(h, self.cell_h) for h in head]] + [
            [x if not isinstance(x, (str, int, float)) else self.c(x, self.cell if i == 1 else self.cell_c)
             for i, x in enumerate(r)] for r in rows]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return t

    def signature(self, name: str, when: date, blank_lines: int = 3):
        return Signature(self.ts.rl_para(name, self.st.plain), self.ts.rl_para(format_cn_date(when), self.st.plain),
                         blank_lines)

    def title(self, text: str) -> list:
        return [self.P(line, self.st.title) for line in _title_lines(text, self.st.title.fontName)]

    def save(self, story, out: Path, title: str, author: str, subject: str) -> int:
        def on_page(canv, doc):
            _draw_folio(canv, doc.page, self.st.folio)

        def factory(fh):
            return one_frame_doc(fh, A4, LEFT, RIGHT, TOP, BOTTOM, on_page, title=title, author=author,
                                 subject=subject, initial_font=self.st.folio)

        return save_pdf(factory, story, out)


def bar_chart(groups: list[tuple[str, int, int]], font: str, title: str) -> Drawing:
    """A horizontal bar per group: its completion in per cent, the label on the left."""
    bar_h = 12
    label_w = 150
    height = max(1, len(groups)) * bar_h + 46
    d = Drawing(BLOCK_W, height)
    d.add(String(BLOCK_W / 2, height - 14, title, fontName=font, fontSize=12, textAnchor="middle"))
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, 18
    chart.width, chart.height = BLOCK_W - label_w - 40, height - 46
    # reportlab draws the first category at the bottom: reverse to read top-down
    rows = list(reversed(groups))
    chart.data = [[round(100 * d_ / n, 1) if n else 0 for _, d_, n in rows]]
    chart.categoryAxis.categoryNames = [(g[:11] + "…") if len(g) > 12 else g for g, _, _ in rows]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = colors.HexColor("#4F81BD")
    chart.barLabelFormat = "%.1f%%"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def bulletin_title(year: int) -> str:
    return f"关于{year}年政务公开工作要点落实情况的通报"


def build_bulletin(ledger, rollup, out: Path, scores=None) -> ReportResult:
    out = output_path(out, "通报", ".pdf")
    if scores is None:
        from core.supervise.scoring import score_rollup

        scores = score_rollup(ledger, rollup)
    from core.supervise.scoring import weights

    k = Kit()
    st = k.st
    r = rollup
    year = int(r.plan["year"])
    office = office_name(ledger)
    story: list = k.title(bulletin_title(year))
    story.append(Spacer(1, LEADING))
    story.append(k.P(f"{ADDRESSEES}：", st.plain))
    story.append(k.P(f"为推动《{cn_punct(r.plan['title'])}》落到实处，{office}对各单位报送的落实情况上报包进行了汇总，"
                     f"并对各单位工作落实情况进行了考评。现将有关情况通报如下。", st.body))

    # 一、总体情况
    reported = r.reported
    tasks = sum(u.tasks for u in reported)
    done = sum(u.done for u in reported)
    reported_ids = {u.unit_id for u in reported}
    overdue_items = [(u, t) for u, t in r.overdue_items() if u.unit_id in reported_ids]
    evidence = sum(u.evidence for u in reported)
    story.append(k.P(f"{cn_number(1)}、总体情况", st.h1))
    story.append(k.P(
        f"截至{format_cn_date(r.today)}，纳入汇总的{len(r.units)}个单位中，{len(reported)}个单位报送了上报包，"
        f"{len(r.never_reported)}个单位尚未报送。已报送单位共承担任务{tasks}项次，已完成或持续推进{done}项次，"
        f"完成率{pct(done, tasks)}；逾期未完成{len(overdue_items)}项次；报送佐证材料{evidence}份。", st.body))
    cats = r.by_category()
    groups = r.by_group()
    if cats:
        best = max(cats, key=lambda g: g[1] / g[2] if g[2] else 0)
        worst = min(cats, key=lambda g: g[1] / g[2] if g[2] else 0)
        story.append(k.P(f"从任务类别看，{best[0]}方面完成率最高，为{pct(best[1], best[2])}；"
                         f"{worst[0]}方面完成率最低，为{pct(worst[1], worst[2])}。"
                         + "从单位类别看，" + "，".join(f"{g}完成率为{pct(d_, n)}" for g, d_, n in groups) + "。"
                         "各类任务和各类单位的完成率见图1、图2（按已报送单位统计）。", st.body))
        story.append(bar_chart(cats, k.ts.fonts.body, "图1  各类任务完成率"))
        story.append(Spacer(1, 6))
        story.append(bar_chart(groups, k.ts.fonts.body, "图2  各类单位完成率"))
        story.append(Spacer(1, LEADING / 2))
    else:
        story.append(k.P("目前尚无单位报送上报包，暂无完成率统计。", st.body))

    # 二、考评情况
    w = weights(ledger)
    story.append(k.P(f"{cn_number(2)}、考评情况", st.h1))
    story.append(k.P(f"考评满分100分，由完成率（{w['completion']:g}分）、时效（{w['timeliness']:g}分）、"
                     f"佐证材料（{w['evidence']:g}分）、按时上报（{w['package']:g}分）四部分组成，另有扣分项；"
                     "未报送上报包的单位各项均不得分。各单位得分及排名如下。", st.body))
    widths = [0.09, 0.27, 0.11, 0.11, 0.1, 0.1, 0.12, 0.1]
    rows = [[s.rank, s.name, f"{s.total:.2f}", f"{s.parts['completion']:g}", f"{s.parts['timeliness']:g}",
             f"{s.parts['evidence']:g}", f"{s.parts['package']:g}", f"{s.parts['deductions']:g}"] for s in scores]
    story.append(k.table(["名次", "单位", "总分", "完成率", "时效", "佐证", "按时上报", "扣分"], rows,
                         [x * BLOCK_W for x in widths]))
    story.append(Spacer(1, LEADING / 2))

    # 三、存在问题
    story.append(k.P(f"{cn_number(3)}、存在问题", st.h1))
    if r.never_reported:
        story.append(k.P(f"一是报送不及时。截至{format_cn_date(r.today)}，"
                         f"{'、'.join(u.name for u in r.never_reported)}共{len(r.never_reported)}个单位尚未报送上报包。",
                         st.body))
    if overdue_items:
        story.append(k.P(f"{'二是' if r.never_reported else '一是'}部分任务逾期未完成。已报送单位中，"
                         f"共{len(overdue_items)}项次任务已超过明确时限仍未完成，具体如下。", st.body))
        rows = [[i, u.name, f"第{t.number}项 {t.category}", format_cn_date(t.deadline)]
                for i, (u, t) in enumerate(overdue_items, 1)]
        story.append(k.table(["序号", "单位", "任务", "时限"], rows,
                             [x * BLOCK_W for x in (0.1, 0.26, 0.42, 0.22)]))
        story.append(Spacer(1, LEADING / 2))
    if not r.never_reported and not overdue_items:
        story.append(k.P("各单位均已报送上报包，暂未发现逾期未完成的任务。", st.body))

    # 四、下一步要求
    story.append(k.P(f"{cn_number(4)}、下一步要求", st.h1))
    for line in ("（一）抓紧整改落实。逾期未完成任务的单位要认真分析原因，明确整改措施和时限，确保按要求完成。",
                 "（二）按时报送材料。尚未报送上报包的单位要尽快通过台账程序生成上报包并报送，佐证材料应真实、完整。",
                 "（三）加强日常管理。各单位要及时在台账中记录工作进展，做到任务有分工、推进有记录、完成有佐证。"):
        story.append(k.P(line, st.body))
    story.append(KeepTogether([k.signature(office, r.today)]))
    pages = k.save(story, out, bulletin_title(year), office, r.plan["title"])
    return ReportResult(out, pages, k.ts.warnings())
