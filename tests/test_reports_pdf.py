"""The two PDF reports, read back with pypdf: text, page size, margins, page numbers."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.test_reports_data import (
    ACCEPTED,
    ACTION_9A,
    ACTION_9B,
    ACTION_10,
    ACTION_29,
    ACTION_34,
    NEXT_STEPS,
    PROBLEM_10,
    PROBLEMS,
    RARE,
    REMEDY_10,
    SUMMARY,
    TODAY,
    UNIT,
    UNIT_FULL,
    populate,
)

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
    for n in (9, 10, 29, 34):  # the recorded tasks, under their plan's words
        assert f"（第{n}项）。" in text, n
    assert "一是持续深化地方政府债务信息公开（第9项）。" in text  # 9, 10 and 11 share a category
    for a in (ACTION_9A, ACTION_9B, ACTION_10, ACTION_29, ACTION_34, SUMMARY, PROBLEMS, NEXT_STEPS, PROBLEM_10):
        assert squash(a) in text, a
    for ch in RARE + "①％ABCxyz0123456789，。；：？！“”（）《》":
        assert ch in text
    assert "2021年9月1日，" + squash(ACTION_9A) in text  # Chinese dates, no zero padding
    assert "该项任务已于2021年10月15日完成。" in text  # 9 done: its latest record's date
    assert "2021年12月20日" in text and "2021年09" not in text
    # the sections in order
    pos = [text.index(h) for h in ("一、总体情况", "二、主要工作及成效", "三、存在问题", "四、下一步工作计划",
                                    "附件：佐证材料清单")]
    assert pos == sorted(pos)
    assert squash(f"债务公开截图{RARE[3]}.png") in text
    assert "第9项持续深化地方政府债务信息公开" in text  # the 附件 list: the same whole title


def test_self_report_prints_only_what_the_clerk_wrote(self_report):
    _, out = self_report
    text = body_text(out)
    assert "原因未填写" not in text and "尚未填写" not in text
    assert "……" not in text  # no requirement cut short
    # no filler line per task: the unrecorded tasks in one sentence per category
    assert text.count("暂无工作记录") <= 14  # at most once per category of the plan (and 33 tasks have none)
    idle = [n for n in ACCEPTED + [18] if n not in (9, 10, 29, 34)]
    gathered = "".join(re.findall(r"[^。]*暂无工作记录。", text))
    for n in idle:
        assert re.search(rf"(?<!\d){n}(?!\d)", gathered), n
    assert "第10项（目前推进中）：" + PROBLEM_10 in text


def test_generated_sentences_use_chinese_punctuation(self_report):
    _, out = self_report
    text = body_text(out)
    for clerk in (ACTION_9A, ACTION_9B, ACTION_10, ACTION_29, ACTION_34, SUMMARY, PROBLEMS, NEXT_STEPS):
        text = text.replace(squash(clerk), "")  # the clerk's own text is printed as written
    # the seed plan writes "信息,通过…"; nothing generated or quoted from it keeps an ASCII comma
    assert not re.search(r"[\u4e00-\u9fff）],|,[\u4e00-\u9fff（]", text), re.findall(r".{8},.{8}", text)
    assert not re.search(r"[\u4e00-\u9fff][;:(]|[;:)][\u4e00-\u9fff]", text)


def test_self_report_overview_counts_as_sentences(self_report):
    _, out = self_report
    text = body_text(out)
    # 37 accepted: 36 + confirmed 18; roles: lead 9 10 11; implement 33; confirmed related 1
    assert "《分工方案》共部署50项重点任务，涉及本单位的有37项，其中牵头3项、按职责分工落实33项、经确认由本单位负责的相关任务1项。" in text
    # 10 and 34 推进中 (34 by its first record)
    assert "截至2021年12月20日，已完成2项，持续推进1项，正在推进2项，尚未启动32项。" in text
    assert "已超过完成时限仍未完成的有1项（第34项）。" in text  # 2021-10-31 passed, not done
    assert f"第10项（目前推进中）：{PROBLEM_10}" in text


def test_self_report_lists_its_gaps_for_the_checklist(self_report):
    from core.reports import GAP_PLACES

    res, _ = self_report
    joined = "\n".join(res.warnings)
    assert "第32、41项" in joined and "尚未确认" in joined
    [reason] = [g for g in res.gaps if g.kind == "reason"]
    assert 34 in reason.numbers and 10 not in reason.numbers  # 10 has its reason written
    assert reason.message in res.warnings and "没有填写原因" in reason.message
    assert {g.kind for g in res.gaps} == {"reason"}  # summary, problems and next steps are written
    assert set(GAP_PLACES) >= {"summary", "problems", "next_steps", "reason"}


def test_missing_texts_are_left_out_and_listed_as_gaps(ledger, tmp_path):
    from core.reports import build_report

    uid = ledger.find_unit(UNIT).id
    ledger.add_action(uid, ledger.task_id(9), "公开债务限额", "2021-09-01")
    res = build_report("self", ledger, uid, tmp_path / "a.pdf", today=TODAY)
    text = body_text(tmp_path / "a.pdf")
    assert {g.kind for g in res.gaps} == {"summary", "problems", "next_steps", "reason"}
    assert "下一步工作计划" not in text and "尚未填写" not in text and "原因未填写" not in text
    assert "三、存在问题" in text  # the unfinished tasks are still counted there


def test_a_record_that_starts_with_its_date_prints_it_once(ledger, tmp_path):
    from core.reports import build_report

    hm = ledger.find_unit("虎门")  # 各镇街(园区) implement task 9, which 市财政局 leads
    fin = ledger.find_unit(UNIT)
    t9 = ledger.task_id(9)
    assert [u["name"] for u in ledger.task(fin.id, t9).units if u["role"] == "lead"] == ["市财政局"]
    ledger.add_action(hm.id, t9, "3月15日在虎门镇政府网站公开镇级债务信息", "2021-03-15")
    ledger.add_action(hm.id, t9, "2021年4月2日，召开债务信息公开专题会议", "2021-04-02")
    ledger.add_action(fin.id, t9, "2021-05-06 在门户网站公开全市债务限额", "2021-05-06")
    for uid, out in ((hm.id, tmp_path / "hm.pdf"), (fin.id, tmp_path / "fin.pdf")):
        build_report("self", ledger, uid, out, today=TODAY)
    hm_text, fin_text = body_text(tmp_path / "hm.pdf"), body_text(tmp_path / "fin.pdf")
    assert "2021年3月15日在虎门镇政府网站公开镇级债务信息。" in hm_text
    assert hm_text.count("3月15日") == 1
    assert "2021年4月2日，召开债务信息公开专题会议。" in hm_text and hm_text.count("4月2日") == 1
    assert "2021年5月6日，在门户网站公开全市债务限额。" in fin_text and "2021-05-06" not in fin_text


URL60 = "http://www.dg.gov.cn/czj/gkmlpt/content/3/3612/post_3612345.html"


def test_a_long_web_address_survives_text_extraction_whole(ledger, tmp_path):
    from core.reports import build_report

    assert len(URL60) >= 60
    uid = ledger.find_unit(UNIT).id
    ledger.add_action(uid, ledger.task_id(9), "在门户网站公开债务限额", "2021-09-01", link=URL60)
    typed = URL60.replace("3612345", "3612346")
    ledger.add_action(uid, ledger.task_id(10), f"公示补贴发放信息，网址为{typed}，供群众查询", "2021-09-02")
    build_report("self", ledger, uid, tmp_path / "a.pdf", today=TODAY)
    raw = "".join(page_texts(tmp_path / "a.pdf"))
    assert URL60 in raw  # the link field: in the attachment list, whole on one line
    assert "公开网址见附件第1项" in squash(raw)
    # an address typed into the text breaks only after a "/"
    m = re.search(r"http://\s*www\.dg\.gov\.cn[\w/.\s]*?post_3612346\.html", raw)
    assert m and squash(m.group(0)) == typed
    for piece in m.group(0).split("\n")[:-1]:
        assert piece.endswith("/"), m.group(0)


def test_a_heading_is_never_alone_at_the_foot_of_a_page(ledger, tmp_path):
    from core.reports import build_report

    uid = ledger.find_unit(UNIT).id
    ledger.add_action(uid, ledger.task_id(9), "公开债务限额", "2021-09-01")
    ledger.set_lookback(uid, ledger.task_id(34), problem="标准目录需与省级目录衔接。")
    first_line = "进一步规范预决算信息公开"
    seen = set()
    for k in range(24):  # the summary grows a line at a time: 四 passes every line of a page
        summary = "\n".join(["全年主动公开政府信息1208条，办理依申请公开6件，均在法定期限内答复。"] * (k // 2 + 1))
        summary += "补" * (14 * (k % 2))
        ledger.set_report_texts(uid, summary=summary, problems="个别科室重视不够。",
                                next_steps=first_line + "，提高公开的及时性和完整性。" * 3)
        out = tmp_path / f"r{k}.pdf"
        build_report("self", ledger, uid, out, today=TODAY)
        pages = [squash(t) for t in page_texts(out)]
        [page] = [i for i, t in enumerate(pages) if "四、下一步工作计划" in t]
        assert first_line in pages[page], k
        seen.add(pages[page].index("四、下一步工作计划") * 10 // max(1, len(pages[page])))
    assert len(seen) > 3  # the heading really moved around the page


def all_fonts_embedded(path) -> list[str]:
    """Names of the fonts on any page without an embedded font program."""
    bad = []
    for page in PdfReader(str(path)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for f in fonts:
                desc = f.get("/FontDescriptor")
                desc = desc.get_object() if desc is not None else {}
                if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    bad.append(str(f.get("/BaseFont")))
    return bad


@pytest.mark.parametrize("kind", ["self_report", "lookback"])
def test_every_font_in_every_pdf_is_embedded(kind, request):
    for _, out in (request.getfixturevalue(kind),):
        names = {str(ref.get_object()["/BaseFont"]) for page in PdfReader(str(out)).pages
                 for ref in page["/Resources"]["/Font"].values()}
        assert names and not any("Helvetica" in n for n in names), names
        assert all_fonts_embedded(out) == [], out.name


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
    # an address that starts near the end of a line moves whole to the next one ("h|ttps" never)
    p = GridParagraph(markup_with_fallback("甲" * 9 + "https://www.dg.gov.cn/x.html", fs.body, fs), st)
    p.wrap(100, 1000)
    assert p.line_texts()[0] == "甲" * 9 and p.line_texts()[1].startswith("https://"), p.line_texts()


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
    # 37 checked (36 + confirmed 18): 已完成 9, 29; 持续推进 43; of the other 34 only 34 has a deadline;
    # 10 has a problem written down but no deadline: 长期坚持, not 正在整改
    assert "本次共核查37项任务，已完成2项，持续推进1项，长期坚持的工作32项，其他尚未完成2项。" in text
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
