"""The two PDF reports, read back with pypdf: text, page size, margins, page numbers."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.test_reports_data import (ACCEPTED, ACTION_9A, ACTION_9B, ACTION_10, ACTION_29, ACTION_34, LEAD,
                                     NEXT_STEPS, PENDING, PROBLEM_10, PROBLEMS, RARE, REMEDY_10, SPECIAL, SUMMARY,
                                     TODAY, UNIT, UNIT_FULL, populate)

MM = 72 / 25.4
A4_W, A4_H = 595.2756, 841.8898


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def body_text(path) -> str:
    """The pages' text without whitespace and without the page numbers
    (drawn first on each page, they would cut a paragraph running over)."""
    return re.sub(r"—\d+—", "", squash("".join(page_texts(path))))


def page_texts(path) -> list[str]:
    return [p.extract_text() for p in PdfReader(str(path)).pages]


def text_runs(page) -> list[tuple[float, float, float, str]]:
    """(x, y, font size, text) of every text run on a page."""
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # position = tm × cm; size scaled by the text matrix
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append((x, y, size * (tm[0] or 1), text))

    page.extract_text(visitor_text=visit)
    return out


@pytest.fixture
def self_report(ledger, tmp_path):
    from core.reports import build_report

    uid = populate(ledger, tmp_path, decide=True)
    out = tmp_path / "out" / "自查报告.pdf"
    out.parent.mkdir()
    res = build_report("self", ledger, uid, out, today=TODAY)
    return res, out


@pytest.fixture
def lookback(ledger, tmp_path):
    from core.reports import build_report

    uid = populate(ledger, tmp_path, decide=True)
    out = tmp_path / "out" / "回头看.pdf"
    out.parent.mkdir()
    return build_report("lookback", ledger, uid, out, today=TODAY), out


# ---- the self-report ------------------------------------------------------------

def test_self_report_text_is_complete_and_faithful(self_report):
    res, out = self_report
    text = body_text(out)
    assert res.pages == len(PdfReader(str(out)).pages) >= 3
    assert squash(f"{UNIT_FULL}关于2021年政务公开工作要点落实情况的自查报告") in text
    assert "东莞市人民政府办公室：" in text
    for n in ACCEPTED + [18]:  # 18 confirmed
        assert f"第{n}项：" in text, n
    for n in PENDING:  # 23 dismissed; 32 and 41 still pending: not in a report sent upward
        if n != 18:
            assert f"第{n}项：" not in text, n
    for a in (ACTION_9A, ACTION_9B, ACTION_10, ACTION_29, ACTION_34, SUMMARY, PROBLEMS, NEXT_STEPS, PROBLEM_10):
        assert squash(a) in text, a
    for ch in RARE + "①％ABCxyz0123456789，。；：？！“”（）《》":
        assert ch in text
    assert "2021年9月1日，" + squash(ACTION_9A) in text  # Chinese dates, no zero padding
    assert "2021年12月20日" in text and "2021年09" not in text
    # the sections in order
    pos = [text.index(h) for h in ("一、总体情况", "二、主要工作及成效", "三、存在问题", "四、下一步工作计划",
                                    "附件：佐证材料清单")]
    assert pos == sorted(pos)
    assert squash(f"债务公开截图{RARE[3]}.png") in text


def test_self_report_overview_counts_as_sentences(self_report):
    _, out = self_report
    text = body_text(out)
    # 37 accepted: 36 + confirmed 18; roles: lead 9 10 11; implement 33; confirmed related 1
    assert "《分工方案》共部署50项重点任务，涉及本单位的有37项，其中牵头3项、按职责分工落实33项、经确认由本单位负责的相关任务1项。" in text
    # 10 and 34 推进中 (34 by its first record)
    assert "截至2021年12月20日，已完成2项，持续推进1项，正在推进2项，尚未启动32项。" in text
    assert "已超过完成时限仍未完成的有1项（第34项）。" in text  # 2021-10-31 passed, not done
    assert f"第10项（目前推进中）：{PROBLEM_10}" in text


def test_self_report_warns_about_pending_tasks_and_missing_reasons(self_report):
    res, _ = self_report
    joined = "\n".join(res.warnings)
    assert "第32、41项" in joined and "尚未确认" in joined
    assert "没有填写原因" in joined


def test_self_report_page_geometry(self_report):
    _, out = self_report
    reader = PdfReader(str(out))
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4_W) < 0.5 and abs(float(box.height) - A4_H) < 0.5
    left, right, top, bottom = 28 * MM, A4_W - 26 * MM, A4_H - 37 * MM, 35 * MM
    for i, page in enumerate(reader.pages, start=1):
        runs = text_runs(page)
        folio = [r for r in runs if squash(r[3]) == f"—{i}—"]
        assert len(folio) == 1, (i, runs[-3:])
        fx, fy, fsize, _ = folio[0]
        assert abs(fsize - 14) < 0.1
        # the dash 7 mm below the text block: baseline a little lower
        assert bottom - 10 * MM < fy < bottom - 7 * MM
        if i % 2:  # odd: right, one character in — ends at right - 14 pt
            assert fx > A4_W / 2
        else:  # even: left, one character in
            assert abs(fx - (left + 14)) < 0.5
        body = [r for r in runs if r is not folio[0]]
        assert body
        for x, y, size, t in body:
            assert x >= left - 0.5, (i, x, t)
            assert x < right
            assert bottom <= y <= top - size * 0.8, (i, y, t)  # baselines inside the block
        if i == 1:
            xs = sorted(x for x, *_ in body)
            assert abs(xs[0] - left) < 0.5  # lines start at the left margin
            sizes = {round(s) for *_, s, _ in [(0, 0, r[2], r[3]) for r in body]}
            assert {22, 16} <= sizes  # title 22 pt, body 16 pt


def test_self_report_odd_page_number_right_edge(self_report):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from core.pdf_fonts import register_fonts
    from core.reports.self_report import folio_position

    fs = register_fonts()
    right = A4_W - 26 * MM
    w = stringWidth("— 1 —", fs.song, 14)
    x, _ = folio_position(1, w)
    assert abs(x + w - (right - 14)) < 0.01  # one 4号 character in from the right
    x, _ = folio_position(2, w)
    assert abs(x - (28 * MM + 14)) < 0.01


def test_body_lines_hold_28_characters_and_pages_22_lines():
    from core.pdf_fonts import markup_with_fallback, register_fonts
    from core.reports.cjk_paragraph import GridParagraph
    from core.reports.self_report import BLOCK_H, BLOCK_W, BODY_CS, LEADING, Styles

    fs = register_fonts()
    st = Styles(fs)
    text = "政" * 28 * 3 + "。"
    p = GridParagraph(markup_with_fallback(text, fs.body, fs), st.plain, BODY_CS)
    p.wrap(BLOCK_W, BLOCK_H)
    lines = p.line_texts()
    assert [len(x) for x in lines] == [28, 28, 27, 2]  # the full stop never starts a line: it takes 政 along
    assert int(BLOCK_H // LEADING) == 22
    indented = GridParagraph(markup_with_fallback("政" * 60, fs.body, fs), st.body, BODY_CS)
    indented.wrap(BLOCK_W, BLOCK_H)
    assert [len(x) for x in indented.line_texts()] == [26, 28, 6]


def test_line_breaking_rules():
    from reportlab.lib.styles import ParagraphStyle

    from core.pdf_fonts import markup_with_fallback, register_fonts
    from core.reports.cjk_paragraph import GridParagraph

    fs = register_fonts()
    st = ParagraphStyle("t", fontName=fs.body, fontSize=10, leading=14)
    for text in ("甲" * 9 + "，乙丙丁戊", "甲" * 9 + "》乙", "甲" * 8 + "（乙）丙", "甲" * 7 + "“乙丙”"):
        p = GridParagraph(markup_with_fallback(text, fs.body, fs), st)
        p.wrap(100, 1000)  # ten characters a line
        for line in p.line_texts()[1:]:
            assert line[0] not in "，》）”", (text, p.line_texts())
        for line in p.line_texts():
            assert line[-1] not in "（“", (text, p.line_texts())
        assert "".join(p.line_texts()) == text
    # a number is not cut; a long web address is, and nothing is lost
    p = GridParagraph(markup_with_fallback("甲" * 9 + "2021年", fs.body, fs), st)
    p.wrap(100, 1000)
    assert p.line_texts() == ["甲" * 9, "2021年"]
    url = "http://www.dg.gov.cn/" + "a" * 80
    p = GridParagraph(markup_with_fallback("见" + url, fs.body, fs), st)
    p.wrap(100, 1000)
    assert "".join(p.line_texts()) == "见" + url and len(p.line_texts()) > 2


def test_long_self_report_splits_paragraphs_across_pages(ledger, tmp_path):
    from core.reports import build_report

    uid = ledger.find_unit(UNIT).id
    tid = ledger.task_id(9)
    long_text = "财政资金直达基层的分配、下达和使用管理信息全部公开。" * 40  # > one page
    ledger.add_action(uid, tid, long_text, "2021-09-01")
    res = build_report("self", ledger, uid, tmp_path / "a.pdf", today=TODAY)
    assert squash(long_text) in body_text(tmp_path / "a.pdf")
    assert res.pages >= 3


def test_characters_no_font_has_are_drawn_as_boxes_and_reported(ledger, tmp_path):
    from core.reports import build_report

    uid = ledger.find_unit(UNIT).id
    ledger.add_action(uid, ledger.task_id(9), "藏文ༀ与朝鲜文한글", "2021-09-01")  # Tibetan, Hangul: not in the fonts
    res = build_report("self", ledger, uid, tmp_path / "a.pdf", today=TODAY)
    joined = "\n".join(res.warnings)
    assert "ༀ" in joined and "한" in joined and "方框" in joined
    text = "".join(page_texts(tmp_path / "a.pdf"))
    assert "藏文" in text and "与朝鲜文" in text and "□" in text


# ---- the 回头看 checklist -------------------------------------------------------

def test_lookback_text_and_order(lookback):
    res, out = lookback
    texts = page_texts(out)
    text = squash("".join(texts))
    assert squash(f"{UNIT_FULL}2021年政务公开工作“回头看”核查清单") in text
    for h in ("序号", "工作任务", "具体要求", "责任单位（角色）", "时限要求", "落实情况", "是否完成", "佐证材料",
              "存在问题", "整改措施", "整改时限"):
        assert h in text
    # 37 checked (36 + confirmed 18): 已完成 9, 29; 持续推进 43; the other 34 open
    assert "本次共核查37项任务，已完成2项，持续推进1项，正在整改34项。" in text
    for a in (ACTION_9A, ACTION_9B, ACTION_10, ACTION_29, ACTION_34, PROBLEM_10, REMEDY_10):
        assert squash(a) in text, a
    assert "2022年3月31日" in text
    for ch in RARE + "①％":
        assert ch in text
    # explicit unit and deadline first (2, 29, 34), the rest after, marked ※
    first = text.index("一、明确责任单位和完成时限的任务（3项）")
    second = text.index("二、其他任务")
    assert first < second
    head = text[first:second]
    for n in (2, 29, 34):
        assert f"{n}" in head
    assert "18※" in text and "43※" in text
    assert not re.search(r"(?<!\d)(2|29|34)※", text)
    assert "第1页共" in text and "制表日期：2021年12月20日" in text


def test_lookback_pages_are_landscape_with_repeated_header_and_numbers(lookback):
    res, out = lookback
    reader = PdfReader(str(out))
    assert res.pages == len(reader.pages) >= 2
    for i, page in enumerate(reader.pages, start=1):
        assert float(page.mediabox.width) > float(page.mediabox.height)
        t = squash(page.extract_text())
        assert "序号" in t and "整改时限" in t  # the header on every page
        assert f"第{i}页共{len(reader.pages)}页" in t


def test_lookback_row_taller_than_a_page_is_continued(ledger, tmp_path):
    from core.reports import build_report

    uid = ledger.find_unit(UNIT).id
    tid = ledger.task_id(29)
    for i in range(80):
        ledger.add_action(uid, tid, f"第{i + 1}次清理规范性文件，公开现行有效文件目录。", "2021-10-01")
    res = build_report("lookback", ledger, uid, tmp_path / "a.pdf", today=TODAY)
    text = squash("".join(page_texts(tmp_path / "a.pdf")))
    assert "29（续）" in text
    for i in range(80):  # a piece may end inside an action: the next page's header comes between
        assert f"第{i + 1}次" in text
    assert res.pages >= 3
