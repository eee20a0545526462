"""The Excel work ledger, reloaded with openpyxl."""

from __future__ import annotations

import zipfile

import openpyxl

from tests.test_reports_data import (
    ACCEPTED,
    ACTION_9A,
    ACTION_9B,
    ACTION_10,
    ALL_40,
    PENDING,
    RARE,
    TODAY,
    UNIT,
    UNIT_FULL,
    populate,
)

HEADERS = ["序号", "工作任务", "具体要求", "本单位角色", "牵头/配合单位", "时限要求", "责任科室", "责任人", "落实情况",
           "完成状态", "佐证材料", "备注"]


def build(ledger, tmp_path, decide=False, attach=True):
    from core.reports import build_report

    uid = populate(ledger, tmp_path if attach else None, decide=decide)
    out = tmp_path / "out" / "台账.xlsx"
    out.parent.mkdir(exist_ok=True)
    res = build_report("ledger", ledger, uid, out, today=TODAY)
    return res, out


def rows_by_number(ws) -> dict[int, dict]:
    out = {}
    for r in ws.iter_rows(min_row=4, values_only=True):
        if r[0] is None:
            continue
        out[r[0]] = dict(zip(HEADERS, r))
    return out


def test_one_row_per_task_with_pending_marked(ledger, tmp_path):
    res, out = build(ledger, tmp_path)
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == f"{UNIT_FULL}2021年政务公开工作重点任务台账"
    assert [c.value for c in ws[3]] == HEADERS
    rows = rows_by_number(ws)
    assert list(rows) == ALL_40  # 36 accepted + 4 pending (18 23 32 41), in plan order
    for n in PENDING:
        assert rows[n]["本单位角色"] == "待确认" and rows[n]["备注"].startswith("待确认")
    assert [n for n in rows if rows[n]["本单位角色"] == "牵头"] == [9, 10, 11]
    assert rows[34]["时限要求"] == "2021年10月31日前（已逾期）"
    assert rows[2]["时限要求"] == "2021年12月31日前"
    assert rows[43]["时限要求"] == "每年（2021年12月31日前）"
    assert rows[1]["时限要求"] == "长期坚持"
    assert rows[9]["牵头/配合单位"].startswith("牵头：市财政局")
    assert rows[3]["牵头/配合单位"].splitlines()[:2] == ["牵头：市政府办公室", "配合：市政数局"]
    assert "第18、23、32、41项" in " ".join(res.warnings)


def test_confirmed_related_is_in_dismissed_is_not(ledger, tmp_path):
    _, out = build(ledger, tmp_path, decide=True)
    rows = rows_by_number(openpyxl.load_workbook(out).active)
    assert 23 not in rows and len(rows) == 39
    assert rows[18]["本单位角色"] == "相关（已确认）"
    assert rows[32]["本单位角色"] == rows[41]["本单位角色"] == "待确认"
    assert set(ACCEPTED) | {18} <= set(rows)


def test_recorded_work_is_in_the_rows(ledger, tmp_path):
    _, out = build(ledger, tmp_path)
    rows = rows_by_number(openpyxl.load_workbook(out).active)
    r9 = rows[9]
    lines = r9["落实情况"].splitlines()
    assert lines[0].startswith("2021年9月1日，" + ACTION_9A) and "公开链接：http://www.dg.gov.cn" in lines[0]
    assert lines[1].startswith("2021年10月15日，" + ACTION_9B)  # in date order
    assert "经办人：王玥" in lines[0]
    assert r9["完成状态"] == "已完成" and r9["佐证材料"] == f"债务公开截图{RARE[3]}.png"
    assert (r9["责任科室"], r9["责任人"], r9["备注"]) == ("=预算科", f"@李{RARE[2]}", "-按月更新")
    assert rows[10]["落实情况"] == "2021年8月20日，" + ACTION_10 + "（经办人：王玥）"
    assert rows[10]["完成状态"] == "推进中"
    assert rows[1]["落实情况"] is None and rows[1]["完成状态"] == "未启动"


def test_user_text_starting_with_formula_characters_stays_text(ledger, tmp_path):
    uid = ledger.find_unit(UNIT).id
    for n, text in ((1, "=1+1"), (2, "+86 769"), (3, "-减少"), (4, "@all")):
        ledger.set_division(uid, ledger.task_id(n), dept=text, person=text, notes=text)
    _, out = build(ledger, tmp_path)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    rows = rows_by_number(ws)
    for n, text in ((1, "=1+1"), (2, "+86 769"), (3, "-减少"), (4, "@all")):
        assert rows[n]["责任科室"] == rows[n]["责任人"] == text
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", (c.coordinate, c.value)
    g = [c for c in ws["G"] if c.value == "=1+1"][0]
    assert g.data_type == "s" and g.quotePrefix
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere in the file


def test_status_drop_down_and_print_settings(ledger, tmp_path):
    _, out = build(ledger, tmp_path)
    ws = openpyxl.load_workbook(out).active
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1
    dv = dvs[0]
    assert dv.type == "list" and dv.formula1 == '"未启动,推进中,已完成,持续推进"'
    assert str(dv.sqref).startswith("J4:J")  # the 完成状态 column, from the first task row
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    ps = ws.page_setup
    assert ps.orientation == "landscape" and int(ps.paperSize) == 9  # A4
    assert ps.fitToWidth == 1 and ps.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    for col, width in (("C", 36), ("I", 44)):
        assert ws.column_dimensions[col].width == width
    assert all(ws.cell(5, c).alignment.wrap_text for c in range(2, 13))
    assert "&P" in ws.oddFooter.center.text


def test_control_characters_are_dropped_with_a_warning(ledger, tmp_path):
    uid = ledger.find_unit(UNIT).id
    a = ledger.add_action(uid, ledger.task_id(5), "含控制字符的文字", "2021-09-01")
    # the Ledger drops them on input now; a store written by an older Taizhang may still hold them
    ledger.store.conn.execute("UPDATE actions SET content = ? WHERE id = ?", ("含控制字符\x07的文字", a["id"]))
    res, out = build(ledger, tmp_path)
    rows = rows_by_number(openpyxl.load_workbook(out).active)
    assert "含控制字符的文字" in rows[5]["落实情况"]
    assert any("控制字符" in w for w in res.warnings)


def test_wrapped_lines_counts_chinese_as_wide():
    from core.reports.ledger_xlsx import wrapped_lines

    # a 44-wide column holds 43.3 digits: 23 Chinese characters (1.85 each) or 43 digits
    assert wrapped_lines("一" * 23, 44) == 1 and wrapped_lines("一" * 24, 44) == 2
    assert wrapped_lines("1" * 43, 44) == 1 and wrapped_lines("1" * 44, 44) == 2
    assert wrapped_lines("一" * 18 + "a" * 10, 44) == 1  # 33.3 + 10 fills the line exactly
    assert wrapped_lines("，％（）" * 6, 44) == 2  # full-width punctuation is wide too: 24 × 1.85
    assert wrapped_lines("𠀀" * 24, 44) == 2  # so is a CJK character beyond the BMP
    assert wrapped_lines("“”…—" * 6, 44) == 1  # quotes, ellipsis and dash are not: 24 × 1
    assert wrapped_lines("一\n\n" + "一" * 47, 44) == 1 + 1 + 3  # each line of the text starts a line
    assert wrapped_lines("", 44) == 1


def test_common_wide_ranges_are_wide_in_unicode():
    import re
    import unicodedata

    from core.reports.ledger_xlsx import _COMMON_RANGES

    ranges = re.findall(r"(.)-(.)", _COMMON_RANGES)
    assert len(ranges) == 6
    for lo, hi in ranges:
        for cp in range(ord(lo), ord(hi) + 1):
            assert unicodedata.east_asian_width(chr(cp)) in "WF", hex(cp)


def test_rows_are_as_tall_as_their_lines(ledger, tmp_path):
    import math
    import unicodedata

    _, out = build(ledger, tmp_path)
    ws = openpyxl.load_workbook(out).active
    assert ws.merged_cells.ranges and {str(r) for r in ws.merged_cells.ranges} == {"A1:L1", "A2:L2"}
    assert ws["A3"].fill.fgColor.rgb.endswith("D9D9D9") and ws["A3"].font.b and ws["L3"].border.left.style == "thin"
    for r in range(4, ws.max_row + 1):
        h = ws.row_dimensions[r].height
        lines = (h - 4) / 13.5
        assert lines == int(lines) and lines >= 1, (r, h)
        for c in ws[r]:
            assert c.border.top.style == "thin" and c.font.name == "宋体" and c.font.sz == 10
            if isinstance(c.value, str):  # every line of a cell's text takes at least one line
                assert lines >= len(c.value.splitlines()), (c.coordinate, h)
                # and a Chinese character is ~1.85 digit widths (Excel's unit): a long
                # requirement in a 36-wide column takes several lines, line breaks or not
                wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in c.value)
                assert lines >= math.ceil(1.8 * wide / ws.column_dimensions[c.column_letter].width), \
                    (c.coordinate, h)


def test_wrapped_lines_may_stop_at_enough():
    from core.reports.ledger_xlsx import wrapped_lines

    text = "\n".join(["一" * 47] * 40)  # 40 paragraphs of 3 lines each
    assert wrapped_lines(text, 44) == 120
    assert 30 <= wrapped_lines(text, 44, enough=30) < 120
    assert wrapped_lines("一" * 47, 44, enough=30) == 3


def test_a_row_of_many_records_gets_excels_largest_height(ledger, tmp_path):
    uid = ledger.find_unit(UNIT).id
    for k in range(31):
        ledger.add_action(uid, ledger.task_id(5), f"第{k + 1}次记录", "2021-09-01")
    _, out = build(ledger, tmp_path)
    ws = openpyxl.load_workbook(out).active
    r = next(c.row for c in ws["A"] if c.value == 5)
    assert len(ws.cell(r, 9).value.splitlines()) == 31
    assert ws.row_dimensions[r].height == 409
