"""Rows as they really come: shifted by a lost merged cell, missing a cell,
numbered per category, a bureau's plan of offices with 主办/协办."""

from __future__ import annotations

import json

import pytest

from core.assign import parse_mentions
from core.plan_parser import parse_plan
from core.plans.check import draft_report, read_plan_file
from core.units import UnitDirectory
from tests.plan_files import write_csv, write_docx

BUREAU = """某局2022年疫情防控信息公开工作任务分工
工作任务 | 具体要求 | 责任科室
信息发布 | 1.及时发布疫情防控信息。 | 局防控办主办、各工作组协办
2.做好疫苗接种信息公开。 | 办公室
3.回应社会关切。 | 办公室牵头,各科室配合
政策解读 | 4.解读防控政策。 | 法规科
"""


def test_rows_shifted_by_a_lost_merged_cell_are_put_back_and_named():
    plan = parse_plan(BUREAU, "疫情.txt")
    assert [(t.number, t.category, t.text, t.units_text) for t in plan.tasks] == [
        (1, "信息发布", "及时发布疫情防控信息。", "局防控办主办、各工作组协办"),
        (2, "信息发布", "做好疫苗接种信息公开。", "办公室"),
        (3, "信息发布", "回应社会关切。", "办公室牵头,各科室配合"),
        (4, "政策解读", "解读防控政策。", "法规科"),
    ]
    assert len(plan.warnings) == 2
    assert "第4行" in plan.warnings[0] and "第5行" in plan.warnings[1]
    assert all("请核对" in w for w in plan.warnings)


def test_an_unclear_shift_is_a_warning_naming_the_row():
    plan = parse_plan(BUREAU + "完善解读机制 | 财务科\n", "疫情.txt")
    assert len(plan.tasks) == 5
    assert any("第7行" in w and "财务科" in w and "像是单位名称" in w for w in plan.warnings)


def test_a_deadline_in_the_units_column_moves_right():
    plan = parse_plan("某局2022年方案\n工作任务 | 具体要求 | 责任科室 | 完成时限\n"
                      "制度 | 1.完善制度。 | 办公室 | 6月底\n"
                      " | 2.开展培训。 | 9月底 | \n")
    assert [(t.units_text, t.deadline_text) for t in plan.tasks] == [("办公室", "6月底"), ("办公室", "9月底")]
    assert len(plan.warnings) == 1 and "第4行" in plan.warnings[0] and "完成时限" in plan.warnings[0]


def test_a_row_missing_a_cell_is_a_warning_not_a_lost_task(tmp_path):
    path = tmp_path / "方案.csv"
    path.write_text("某市2022年方案\r\n工作任务,具体要求,落实单位\r\n制度,1.完善制度。,市财政局\r\n"
                    "平台,2.更新栏目。\r\n,3.开展培训。,市司法局\r\n", encoding="utf-8-sig")
    plan = read_plan_file(path)
    assert [(t.number, t.category, t.units_text) for t in plan.tasks] == [
        (1, "制度", "市财政局"), (2, "平台", "市财政局"), (3, "平台", "市司法局")]
    assert plan.warnings == ["第4行只有 2 个单元格，比表头少 1 个，请核对"]


def test_numbering_restarted_in_each_category_is_continued_with_a_warning():
    plan = parse_plan("某局2023年方案\n工作任务 | 具体要求 | 责任科室\n制度 | 1.完善制度。2.开展培训。 | 办公室\n"
                      "平台 | 1.更新栏目。 | 信息科\n | 2.管理新媒体。 | 信息科\n")
    assert [(t.number, t.category, t.text) for t in plan.tasks] == [
        (1, "制度", "完善制度。"), (2, "制度", "开展培训。"), (3, "平台", "更新栏目。"), (4, "平台", "管理新媒体。")]
    assert len(plan.warnings) == 1 and "重新编号" not in plan.warnings[0] and "连续编号" in plan.warnings[0]


def test_a_plan_without_a_title_line_takes_the_file_name(tmp_path):
    rows = [["重点任务", "工作措施", "主办科室", "协办科室"], ["制度建设", "完善制度。", "办公室", "法规科"]]
    plan = read_plan_file(write_docx(tmp_path / "某局2024年政务公开工作任务.docx", [], rows))
    assert (plan.title, plan.year, plan.issuer) == ("某局2024年政务公开工作任务", 2024, "")
    assert [(t.number, t.text, t.lead_text, t.cooperate_text) for t in plan.tasks] == [(1, "完善制度。", "办公室", "法规科")]


def test_a_merged_requirement_cell_is_one_task(tmp_path):
    """A requirement merged over two rows whose units differ: one task, not two."""
    rows = [["工作任务", "具体要求", "落实单位"], ["制度", "1.完善制度。", "市财政局"], [None, None, "市司法局"],
            ["平台", "2.更新栏目。", "市政数局"]]
    plan = read_plan_file(write_docx(tmp_path / "某市2022年方案.docx", ["某市2022年方案"], rows))
    assert [(t.number, t.units_text) for t in plan.tasks] == [(1, "市财政局"), (2, "市政数局")]


@pytest.mark.parametrize("text, roles", [
    ("局防控办主办、各工作组协办", [("局防控办", "lead"), ("各工作组", "cooperate")]),
    ("办公室牵头,各科室配合", [("办公室", "lead"), ("各科室", "cooperate")]),
    ("办公室(主办)、财务科(协办)", [("办公室", "lead"), ("财务科", "cooperate")]),
    ("办公室负责，法规科参与", [("办公室", "lead"), ("法规科", "cooperate")]),
    ("财务科会同法规科", [("财务科", "lead"), ("法规科", "cooperate")]),
    ("由办公室牵头，财务科、法规科配合", [("办公室", "lead"), ("财务科", "cooperate"), ("法规科", "cooperate")]),
    ("办公室负责落实", [("办公室", "implement")]),
])
def test_role_words_of_office_plans(text, roles):
    assert [(m.name, m.role) for m in parse_mentions(text, UnitDirectory([]))] == roles


def test_a_bureau_plan_as_csv_with_zhuban_xieban_columns(tmp_path):
    rows = [["序号", "重点任务", "工作措施", "主办科室", "协办科室", "完成时限"],
            ["1", "信息发布", "及时发布疫情信息。", "局防控办", "各工作组", "长期"],
            ["2", None, "做好疫苗接种信息公开。\n3.公开接种点。", "办公室", "财务科、法规科", "2022年6月30日"]]
    plan = read_plan_file(write_csv(tmp_path / "某局2022年任务.csv", ["某局2022年疫情防控信息公开任务"], rows, "gbk"))
    report = draft_report(plan, UnitDirectory([]))
    got = [(t["number"], t["text"], [(u["name"], u["role"]) for u in t["units"]], t["deadline"]) for t in report["tasks"]]
    assert got == [
        (1, "及时发布疫情信息。", [("局防控办", "lead"), ("各工作组", "cooperate")], None),
        (2, "做好疫苗接种信息公开。", [("办公室", "lead"), ("财务科", "cooperate"), ("法规科", "cooperate")], "2022-06-30"),
        (3, "公开接种点。", [("办公室", "lead"), ("财务科", "cooperate"), ("法规科", "cooperate")], "2022-06-30"),
    ]
    # 各工作组 is a group of the bureau's own directory (its 工作组 once added), not an unknown name
    assert report["unknown"] == ["局防控办", "办公室", "财务科", "法规科"]


def test_a_browser_copy_with_a_line_break_inside_a_requirement_cell():
    """Browsers copy a table as tabs and line breaks; a <br> inside a cell breaks the line."""
    text = ("某市2022年政务公开工作要点分工方案\n工作任务\t具体要求\t落实单位\n"
            "制度建设\t1.完善制度。\n2.开展培训。\t市财政局\n平台建设\t3.更新栏目。\t市政数局\n")
    plan = parse_plan(text)
    assert [(t.number, t.category, t.text, t.units_text) for t in plan.tasks] == [
        (1, "制度建设", "完善制度。", "市财政局"), (2, "制度建设", "开展培训。", "市财政局"),
        (3, "平台建设", "更新栏目。", "市政数局")]
    assert plan.warnings == []


def _word_plain_text(piped: str) -> str:
    """The seed's cell-per-line table as Word's "plain text" save writes it:
    every cell on its own line without a pipe, an empty (merged) cell an empty line, CRLF."""
    out = []
    for ln in piped.split("\n"):
        s = ln.strip()
        if s and set(s) == {"|"}:
            out += [""] * len(s)
        else:
            out.append(s[:-1].strip() if s.endswith("|") else s)
    return "\r\n".join(out)


def test_word_plain_text_one_cell_per_line_without_pipes(seed_text):
    from tests.test_plan_parser import CATEGORIES, CATEGORY_OF

    plan = parse_plan(_word_plain_text(seed_text))
    assert plan.title == "东莞市贯彻落实国家、省2021年政务公开工作要点分工方案"
    assert [t.number for t in plan.tasks] == list(range(1, 51))
    assert all(t.category == CATEGORIES[CATEGORY_OF[t.number] - 1] for t in plan.tasks)
    by = {t.number: t for t in plan.tasks}
    assert by[4].units_text == "各镇街(园区);市政府办公室牵头,市政数局配合,具有行政职能的其他单位按职责分工落实"
    assert by[39].units_text == "市司法局"
    assert plan.warnings == []


def test_word_plain_text_a_cell_of_two_paragraphs():
    text = ("某镇2021年政务公开工作要点分工方案\r\n工作任务\r\n具体要求\r\n落实单位\r\n制度建设\r\n1.完善制度,\r\n"
            "第二段仍属同一单元格。\r\n各镇街(园区)\r\n\r\n2.公开预算。\r\n市财政局牵头\r\n")
    plan = parse_plan(text)
    assert [(t.number, t.category, t.text, t.units_text) for t in plan.tasks] == [
        (1, "制度建设", "完善制度,\n第二段仍属同一单元格。", "各镇街(园区)"), (2, "制度建设", "公开预算。", "市财政局牵头")]


def test_import_plan_writes_the_plan_and_prints_its_warnings(tmp_path, capsys):
    from core.cli import main

    path = tmp_path / "疫情.txt"
    path.write_text(BUREAU, encoding="gbk")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "import-plan", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "已导入《某局2022年疫情防控信息公开工作任务分工》：2 类 4 项任务。" in out
    assert [ln for ln in err.splitlines() if ln.startswith("提示：")][:2] == [
        "提示：第4行少一个单元格（合并单元格），已把“2.做好疫苗接种信息公开…”移回“具体要求”列、“办公室”移回“责任科室”列，请核对",
        "提示：第5行少一个单元格（合并单元格），已把“3.回应社会关切。…”移回“具体要求”列、“办公室牵头,各科室配合”移回“责任科室”列，请核对"]
    assert main(["--data-dir", str(data), "plans", "--json"]) == 0
    assert sorted(p["year"] for p in json.loads(capsys.readouterr().out)) == [2021, 2022]
