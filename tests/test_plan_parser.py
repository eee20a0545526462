"""The seed plan, parsed, against facts read off the printed plan by hand."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import PlanParseError
from core.plan_parser import decode_plan_bytes, parse_plan, split_requirements

CATEGORIES = [
    "明确工作机构及领导职责", "建立健全政务公开工作制度", "做好各类规划主动公开",
    "做好市场规则标准和监管执法信息公开", "做好财政信息公开", "做好常态化疫情防控信息公开",
    "持续推进粤港澳大湾区建设等重大政策发布解读", "不断改进政策解读工作方式", "切实增强回应关切效果",
    "做好政务信息管理工作", "完善政务公开平台建设", "推进基层政务公开标准化规范化",
    "落实《政府信息公开条例》", "加强政务公开工作指导监督",
]
# task number -> category number (1-based), read off the plan's table
CATEGORY_OF = {1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 4, 7: 4, 8: 5, 9: 5, 10: 5, 11: 5, 12: 6, 13: 6, 14: 6,
               15: 7, 16: 7, **{n: 8 for n in range(17, 23)}, **{n: 9 for n in range(23, 27)},
               27: 10, 28: 10, 29: 10, 30: 11, 31: 11, 32: 11, 33: 11, 34: 12, 35: 12,
               **{n: 13 for n in range(36, 43)}, **{n: 14 for n in range(43, 51)}}
# the beginning of each requirement (after its number)
TEXT_START = {1: "加强政务公开工作组织领导", 2: "2021年底前制定或完善", 4: "加强数据互联互通工作",
              5: "主动公开全国统一的市场准入负面清单", 6: "及时公开建设高标准市场体系", 7: "强化行政执法信息公开",
              11: "财政部门要有效推动", 21: "有效依托12345政务服务便民热线", 32: "2021年底前政府网站(频道)",
              43: "各单位主要负责同志每年至少听取1次", 47: "加强基层政府政策解读", 50: "对上一年度工作要点落实情况开展"}
UNITS_4 = "各镇街(园区);市政府办公室牵头,市政数局配合,具有行政职能的其他单位按职责分工落实"


def test_seed_plan_header_facts(seed_text):
    plan = parse_plan(seed_text)
    assert plan.title == "东莞市贯彻落实国家、省2021年政务公开工作要点分工方案"
    assert plan.issuer == "东莞市人民政府办公室"
    assert plan.issued_date == date(2021, 8, 3)
    assert plan.year == 2021
    assert plan.preamble.startswith("各镇人民政府(街道办事处),市各有关单位:")
    assert "建立本单位2021年政务公开工作重点任务台账" in plan.preamble
    assert "东莞市人民政府办公室" not in plan.preamble


def test_seed_plan_categories_and_tasks(seed_text):
    plan = parse_plan(seed_text)
    assert plan.categories == CATEGORIES
    assert [t.number for t in plan.tasks] == list(range(1, 51))
    for t in plan.tasks:
        assert t.category == CATEGORIES[CATEGORY_OF[t.number] - 1], t.number
    by_number = {t.number: t for t in plan.tasks}
    for n, start in TEXT_START.items():
        assert by_number[n].text.startswith(start), n
    # several requirements in one cell are cut apart, not run together
    assert by_number[5].text == "主动公开全国统一的市场准入负面清单,及时根据调整情况做好更新发布。"
    assert "6." not in by_number[5].text


def test_merged_units_cell_inherits_the_row_above(seed_text):
    by_number = {t.number: t for t in parse_plan(seed_text).tasks}
    assert by_number[3].units_text == UNITS_4
    assert by_number[4].units_text == UNITS_4  # its own cell is "||"
    assert by_number[9].units_text == by_number[11].units_text == \
        "各镇街(园区);市财政局牵头,具有行政职能的市直其他单位按职责分工落实"
    assert by_number[33].units_text == "市政府办公室"
    assert by_number[39].units_text == "市司法局"


def test_split_requirements_keeps_numbers_that_are_not_item_numbers():
    parts = split_requirements("21.有效依托12345政务服务便民热线。 22.基层政府要持续加强。")
    assert parts == [(21, "有效依托12345政务服务便民热线。"), (22, "基层政府要持续加强。")]
    assert split_requirements("2.2021年底前完成。") == [(2, "2021年底前完成。")]
    assert split_requirements("没有编号的要求。") == [(None, "没有编号的要求。")]


ROW_LAYOUT = """某区政务公开工作要点分工方案
某区人民政府办公室
2022年3月1日
某区2022年政务公开工作要点分工方案
工作任务 | 具体要求 | 牵头单位 | 落实单位
规划公开 | 1.公开国民经济规划。 | 市发改局 | 各镇街(园区)
 | 2.2022年6月底前公开专项规划。 | 市自然资源局 | 具有行政职能的市直各单位
财政公开 | 3.公开部门预算。4.公开部门决算。 | 市财政局 | 各镇街(园区)
"""


def test_one_row_per_line_with_a_lead_column():
    plan = parse_plan(ROW_LAYOUT)
    assert plan.title == "某区2022年政务公开工作要点分工方案"
    assert plan.year == 2022
    assert plan.categories == ["规划公开", "财政公开"]
    assert [(t.number, t.category, t.lead_text, t.units_text) for t in plan.tasks] == [
        (1, "规划公开", "市发改局", "各镇街(园区)"),
        (2, "规划公开", "市自然资源局", "具有行政职能的市直各单位"),
        (3, "财政公开", "市财政局", "各镇街(园区)"),
        (4, "财政公开", "市财政局", "各镇街(园区)"),
    ]
    assert plan.tasks[3].text == "公开部门决算。"


UNNUMBERED = """某局2023年政务公开工作任务分工
| 工作任务 | 具体要求 | 责任科室 |
| --- | --- | --- |
| 制度建设 | 完善信息公开审核制度。 | 办公室 |
| | 每年至少开展1次培训。 | 办公室;法规科配合 |
| 平台建设 | 更新网站栏目。 | |
"""


def test_unnumbered_requirements_are_numbered_in_order_and_empty_units_inherit():
    plan = parse_plan(UNNUMBERED)
    assert plan.year == 2023
    assert [(t.number, t.category, t.units_text) for t in plan.tasks] == [
        (1, "制度建设", "办公室"), (2, "制度建设", "办公室;法规科配合"), (3, "平台建设", "办公室;法规科配合")]


CELL_LAYOUT_MULTILINE = """某镇2021年政务公开工作要点分工方案
工作任务 |
具体要求 |
落实单位 |
制度建设 |
1.完善制度,
第二行仍属同一单元格。 |
各镇街(园区) |
|
2.公开预算。 |
市财政局牵头 |
"""


def test_a_cell_may_run_over_several_lines():
    plan = parse_plan(CELL_LAYOUT_MULTILINE)
    assert [t.number for t in plan.tasks] == [1, 2]
    assert plan.tasks[0].text == "完善制度,\n第二行仍属同一单元格。"
    assert plan.tasks[1].category == "制度建设"
    assert plan.tasks[1].units_text == "市财政局牵头"


@pytest.mark.parametrize("text, line, words", [
    ("", None, "文件为空"),
    ("某市2021年方案\n只有说明，没有表格。\n", None, "未找到表头"),
    ("某市2021年方案\n工作任务 |\n具体要求 |\n落实单位 |\n制度 |\n1.做事。 |\n各镇街(园区)\n", 7, "没有以“|”结尾"),
    ("某市2021年方案\n工作任务 | 具体要求 | 落实单位\n制度 | 1.做事。 | 各镇街(园区) | 多余\n", 3, "比表头的 3 列多"),
    ("某市2021年方案\n工作任务 | 具体要求 | 落实单位\n制度 | 1.做事。 | 各镇街(园区)\n这行不是表格\n", 4, "不是表格行"),
    ("某市2021年方案\n工作任务 | 具体要求 | 落实单位\n制度 | 2.做事。 | 各镇街(园区)\n制度 | 2.又做事。 | 各镇街(园区)\n", 4,
     "编号 2 与前面的编号重复"),
    ("某市2021年方案\n工作任务 | 具体要求 | 落实单位\n | 1.做事。 | 各镇街(园区)\n", 3, "没有“工作任务”"),
    ("某市方案\n工作任务 | 具体要求 | 落实单位\n制度 | 1.做事。 | 各镇街(园区)\n", None, "无法确定方案年度"),
    ("某市2021年方案\n工作任务 | 落实单位\n制度 | 各镇街(园区)\n", 2, "缺少“具体要求”列"),
])
def test_malformed_plans_name_the_line(text, line, words):
    with pytest.raises(PlanParseError) as err:
        parse_plan(text)
    assert err.value.line == line
    assert words in str(err.value)
    if line:
        assert f"第{line}行" in str(err.value)
    assert "未导入任何内容" in str(err.value)


def test_plan_bytes_in_gbk_and_binary_files():
    assert "工作任务" in decode_plan_bytes(ROW_LAYOUT.encode("gb18030"))
    assert decode_plan_bytes("\ufeff工作任务".encode("utf-8")) == "工作任务"
    with pytest.raises(PlanParseError, match="不是文本文件"):
        decode_plan_bytes(b"PK\x03\x04\x00\x00binary")


# Every task's deadline, read off the requirement texts by hand.
DEADLINES = {2: ("2021-12-31", "date"), 28: ("2021-12-31", "date"), 29: ("2021-12-31", "date"),
             32: ("2021-12-31", "date"), 34: ("2021-10-31", "date"), 43: ("2021-12-31", "yearly")}


def test_every_seed_task_deadline(seed_text):
    from core.deadlines import parse_deadline
    plan = parse_plan(seed_text)
    for t in plan.tasks:
        d = parse_deadline(t.text, plan.year)
        expected = DEADLINES.get(t.number, (None, "none"))
        assert (d.iso, d.kind) == expected, t.number


TITLE_FIRST = """某区2022年政务公开工作要点分工方案
某区人民政府办公室
2022年3月1日
工作任务 | 具体要求 | 牵头单位 | 落实单位 | 完成时限
制度建设 | 1.完善制度。 | 市发改局 | 各镇街(园区) | 2022年6月30日
 | 2.加强政府网站建设，
做好栏目更新。 |  | 具有行政职能的市直各单位 | 9月底
平台建设 | 3.公开规章。 | 市司法局 | 各镇街(园区) | 长期坚持
"""


def test_title_first_a_cell_over_two_lines_merged_lead_and_a_deadline_column():
    plan = parse_plan(TITLE_FIRST)
    assert (plan.title, plan.issuer, plan.issued_date) == ("某区2022年政务公开工作要点分工方案", "某区人民政府办公室",
                                                           date(2022, 3, 1))
    assert [(t.number, t.category, t.text, t.lead_text, t.units_text, t.deadline_text) for t in plan.tasks] == [
        (1, "制度建设", "完善制度。", "市发改局", "各镇街(园区)", "2022年6月30日"),
        (2, "制度建设", "加强政府网站建设，\n做好栏目更新。", "市发改局", "具有行政职能的市直各单位", "9月底"),
        (3, "平台建设", "公开规章。", "市司法局", "各镇街(园区)", "长期坚持"),
    ]


def test_deadline_column_dates_without_qian():
    from core.deadlines import parse_deadline, parse_deadline_column
    assert parse_deadline_column("2022年6月30日", 2022).iso == "2022-06-30"
    assert parse_deadline_column("9月底", 2022).iso == "2022-09-30"
    assert parse_deadline_column("2022年9月", 2022).iso == "2022-09-30"
    assert parse_deadline_column("年底", 2022).iso == "2022-12-31"
    assert parse_deadline_column("长期坚持", 2022).kind == "none"
    assert parse_deadline("2020年底以来，各单位持续推进", 2021).kind == "none"


def test_tab_separated_full_width_bars_and_utf16():
    tabbed = "某局2022年政务公开工作要点分工方案\n工作任务\t具体要求\t落实单位\n制度\t1.完善制度。\t市财政局\n"
    assert [(t.category, t.units_text) for t in parse_plan(tabbed).tasks] == [("制度", "市财政局")]
    bars = "某局2022年政务公开工作要点分工方案\n工作任务｜具体要求｜落实单位\n制度｜1.完善制度。｜市财政局\n"
    assert parse_plan(bars).tasks[0].units_text == "市财政局"
    assert decode_plan_bytes(bars.encode("utf-16")) == bars


def test_a_first_row_without_units_is_kept_with_a_warning_naming_its_line():
    plan = parse_plan("某市2021年方案\n工作任务 | 具体要求 | 落实单位\n制度 | 1.做事。 | \n")
    assert [(t.number, t.text, t.units_text) for t in plan.tasks] == [(1, "做事。", "")]
    assert len(plan.warnings) == 1 and "第3行" in plan.warnings[0] and "落实单位为空" in plan.warnings[0]
