"""Units of any plan and a plan's life: a bureau's own plan with its offices,
another city's short names asked about, replace with records kept, remove and
restore, next year's carry-over, units add/import, a big plan asks first."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from core.errors import InputError
from core.plan_life import ADD, LEAVE, MAP, NameDecision
from core.plan_parser import parse_plan
from core.plans.check import draft_report
from tests.plan_files import write_csv, write_xlsx

BUREAU = """佛山市卫生健康局2022年政务公开工作任务分工
佛山市卫生健康局
2022年3月1日
序号 | 工作任务 | 具体要求 | 责任科室 | 完成时限
1 | 信息发布 | 及时发布疫情防控信息。 | 局防控办主办、各工作组协办 | 长期
2 | 财务公开 | 公开部门预算和决算。 | 财务科 | 2022年6月30日
3 | 制度建设 | 修订本局政务公开制度。 | 办公室牵头，各科室配合 | 2022年9月30日
4 | 疾控信息 | 公开传染病疫情信息。 | 局疾控科 | 长期
5 | 财政信息 | 配合公开财政资金信息。 | 财政局 | 长期
6 | 宣传 | 做好防控宣传。 | 综合工作组 | 长期
"""
OFFICES = ["局防控办", "财务科", "办公室", "局疾控科", "综合工作组"]


def _numbers(ledger, name, plan_id=None):
    unit = ledger.find_unit(name)
    return [(t.number, t.role) for t in ledger.tasks(unit.id, plan_id)]


def test_an_office_level_plan_whose_offices_see_their_own_tasks_and_none_of_dongguans(ledger):
    dongguan = ledger.current_plan()["id"]
    draft = parse_plan(BUREAU, "卫健局.txt")
    report = draft_report(draft, ledger.directory())
    assert report["unknown"] == OFFICES  # 各工作组 and 各科室 are groups of the bureau's own directory
    assert report["uncertain"] == [{"name": "财政局", "candidate": "市财政局", "candidate_id": ledger.find_unit(
        "市财政局").id, "candidate_full_name": "东莞市财政局"}]  # another city's 财政局: asked, not matched
    res = ledger.import_draft(draft, "卫健局.txt", {n: NameDecision(ADD, kind="office") for n in OFFICES}
                              | {"财政局": NameDecision(LEAVE)})
    assert res.unresolved == {}
    assert res.uncertain == {"财政局": "市财政局"}
    plan = ledger.plan(res.plan_id)
    assert plan["directory"] == "佛山市卫生健康局"
    office = ledger.find_unit("办公室")
    assert (office.kind, office.directory) == ("office", "佛山市卫生健康局")
    # each office sees exactly its tasks, in its roles (主办 = lead, 协办 = cooperate)
    assert _numbers(ledger, "局防控办", res.plan_id) == [(1, "lead"), (3, "cooperate")]
    assert _numbers(ledger, "综合工作组", res.plan_id) == [(1, "cooperate"), (6, "implement")]
    assert _numbers(ledger, "办公室", res.plan_id) == [(3, "lead")]
    assert _numbers(ledger, "财务科", res.plan_id) == [(2, "implement"), (3, "cooperate")]
    assert _numbers(ledger, "局疾控科", res.plan_id) == [(3, "cooperate"), (4, "implement")]
    # and none of Dongguan's (各镇街, 具有行政职能的市直各单位 … never count an office)
    for name in OFFICES:
        assert _numbers(ledger, name, dongguan) == []
    # Dongguan's 财政局 is not silently given the bureau's task 5
    assert _numbers(ledger, "市财政局", res.plan_id) == []
    # the roles as the store keeps them
    t1 = ledger.store.task_by_number(res.plan_id, 1)["id"]
    assert [(m["name"], m["kind"], m["role"]) for m in ledger.store.mentions_of_task(t1)] == [
        ("局防控办", "unit", "lead"), ("各工作组", "group", "cooperate")]
    assert ledger.store.assignment(t1, ledger.find_unit("局防控办").id) == "lead"
    # the clerk picks their office and sees exactly its tasks
    ledger.set_my_unit("局疾控科")
    ledger.set_current_plan(res.plan_id)
    assert [t.number for t in ledger.tasks(ledger.my_unit().id)] == [3, 4]


def test_another_bureau_may_have_its_own_office_of_the_same_name(ledger):
    ledger.import_draft(parse_plan(BUREAU, "a.txt"), "a.txt", {"办公室": NameDecision(ADD, kind="office")})
    other = BUREAU.replace("佛山市卫生健康局", "佛山市教育局")
    res = ledger.import_draft(parse_plan(other, "b.txt"), "b.txt", {"办公室": NameDecision(ADD, kind="office")})
    offices = [u for u in ledger.units() if u.full_name == "办公室"]
    assert sorted(u.directory for u in offices) == ["佛山市卫生健康局", "佛山市教育局"]
    edu = next(u for u in offices if u.directory == "佛山市教育局")
    assert [t.number for t in ledger.tasks(edu.id, res.plan_id)] == [3]


def test_mapping_an_uncertain_name_keeps_it_as_an_alias(ledger):
    fin = ledger.find_unit("市财政局")
    res = ledger.import_draft(parse_plan(BUREAU, "x.txt"), "x.txt", {"财政局": NameDecision(MAP, unit_id=fin.id)})
    assert res.uncertain == {} and 5 not in res.unresolved
    assert _numbers(ledger, "市财政局", res.plan_id) == [(5, "implement")]
    assert "财政局" in ledger.find_unit("东莞市财政局").aliases


SMALL = """某局2023年政务公开工作要点
工作任务 | 具体要求 | 落实单位
制度 | 1.完善政务公开制度。 | 市财政局
公开 | 2.公开财政预算信息。 | 市财政局
公开 | 3.公开专项资金信息。 | 市财政局
"""


def test_replace_with_records_kept(ledger):
    res = ledger.import_plan_text(SMALL, "small.txt")
    fin = ledger.find_unit("市财政局").id
    ids = {n: ledger.store.task_by_number(res.plan_id, n)["id"] for n in (1, 2, 3)}
    for n in (1, 2, 3):
        ledger.add_action(fin, ids[n], f"第{n}项的进展", "2023-03-01")
    ledger.set_division(fin, ids[2], dept="预算科")
    corrected = parse_plan(SMALL.replace("公开财政预算信息。", "公开财政预决算信息。")
                           .replace("公开 | 3.公开专项资金信息。 | 市财政局\n", ""), "small.txt")
    preview = ledger.plan_replacement_preview(res.plan_id, corrected)
    assert preview.kept == [1] and preview.added == []
    [moved] = preview.moved
    assert (moved.old_number, moved.new_number, moved.text_changed) == (2, 2, True)
    [lost] = preview.lost
    assert lost.number == 3 and [str(r) for r in lost.records] == ["市财政局：1 条进展、状态和分工"]
    assert any("第3项" in line and "失去任务" in line for line in preview.lines())
    assert len(ledger.plans()) == 2 and len(ledger.actions(fin, ids[3])) == 1  # the preview wrote nothing

    new = ledger.replace_plan(res.plan_id, corrected, "small-fixed.txt")
    assert new.plan_id != res.plan_id and new.tasks == 2
    t1, t2 = (ledger.store.task_by_number(new.plan_id, n)["id"] for n in (1, 2))
    assert [a["content"] for a in ledger.actions(fin, t1)] == ["第1项的进展"]
    assert [a["content"] for a in ledger.actions(fin, t2)] == ["第2项的进展"]
    assert ledger.task(fin, t2).dept == "预算科" and ledger.task(fin, t2).text == "公开财政预决算信息。"
    # the old plan is in the 回收站 with task 3's record
    assert [p["id"] for p in ledger.removed_plans()] == [res.plan_id]
    assert [a["content"] for a in ledger.actions(fin, ids[3])] == ["第3项的进展"]


def test_remove_and_restore_a_plan(ledger, seed_text):
    dongguan = ledger.current_plan()
    with pytest.raises(InputError, match="唯一的工作方案"):
        ledger.remove_plan(dongguan["id"])
    res = ledger.import_plan_text(SMALL, "small.txt")
    ledger.remove_plan("2021")
    assert [p["id"] for p in ledger.plans()] == [res.plan_id] and ledger.current_plan()["id"] == res.plan_id
    assert [p["id"] for p in ledger.removed_plans()] == [dongguan["id"]]
    with pytest.raises(InputError, match="已经导入过了（在回收站中"):
        ledger.import_plan_text(seed_text)
    ledger.restore_plan(dongguan["id"])
    assert {p["id"] for p in ledger.plans()} == {dongguan["id"], res.plan_id} and not ledger.removed_plans()


def test_edit_a_plan(ledger):
    plan = ledger.edit_plan("2021", title="东莞市2021年政务公开分工方案（修订）", issuer="东莞市政务服务数据管理局",
                            issued_date="2021-08-05", year="2021")
    assert (plan["title"], plan["issuer"], plan["issued_date"]) == (
        "东莞市2021年政务公开分工方案（修订）", "东莞市政务服务数据管理局", "2021-08-05")
    with pytest.raises(InputError, match="年度"):
        ledger.edit_plan(plan["id"], year="明年")


def test_next_year_offers_last_years_unfinished_tasks(ledger):
    fin = ledger.find_unit("市财政局").id
    last = [t.number for t in ledger.tasks(fin)]
    ledger.set_status(fin, ledger.task_id(9), "已完成", "2021-10-01")
    new = ledger.import_plan_text(SMALL.replace("2023", "2022"), "2022.txt")
    prev, views = ledger.unfinished_last_year(fin, new.plan_id)
    assert prev["year"] == 2021
    assert sorted(v.number for v in views) == [n for n in last if n != 9]
    assert ledger.unfinished_last_year(fin, prev["id"]) == (None, [])


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_units_add_and_import(capsys, data_dir, tmp_path):
    d = str(data_dir)
    code, out, _ = run(capsys, "--data-dir", d, "units", "--kinds", "--json")
    assert json.loads(out)["office"] == "科室"
    code, out, err = run(capsys, "--data-dir", d, "units", "add", "法规科", "--kind", "科室", "--alias", "政策法规科",
                         "--directory", "佛山市卫生健康局")
    assert code == 0 and "已添加科室“法规科”" in out, err
    code, out, err = run(capsys, "--data-dir", d, "units", "add", "某科", "--kind", "处室")
    assert code == 1 and "类别“处室”无效" in err
    csv_file = write_csv(tmp_path / "单位.csv", [], [["单位名称", "类别", "别名"], ["财务科", "科室", "计财科"],
                                                     ["佛山市禅城区", "镇街园区", "禅城"]])
    code, out, err = run(capsys, "--data-dir", d, "units", "import", str(csv_file), "--directory", "佛山市卫生健康局")
    assert code == 0 and "已导入 2 个单位" in out, err
    xlsx = write_xlsx(tmp_path / "单位.xlsx", [], [["名称", "类别"], ["局疾控科", "office"]])
    txt = tmp_path / "单位.txt"
    txt.write_text("办公室\t科室\n综合工作组\t科室\n", encoding="gbk")
    for f in (xlsx, txt):
        code, out, err = run(capsys, "--data-dir", d, "units", "import", str(f), "--directory", "佛山市卫生健康局")
        assert code == 0, err
    code, out, _ = run(capsys, "--data-dir", d, "units", "--json")
    units = {u["full_name"]: u for u in json.loads(out)}
    assert (units["法规科"]["kind"], units["法规科"]["aliases"], units["法规科"]["directory"]) == (
        "office", ["政策法规科"], "佛山市卫生健康局")
    assert units["财务科"]["aliases"] == ["计财科"] and units["佛山市禅城区"]["kind"] == "town"
    assert units["局疾控科"]["kind_label"] == "科室" and units["综合工作组"]["directory"] == "佛山市卫生健康局"
    # the bureau's plan now finds its offices: nothing unknown but the uncertain 财政局 and 局防控办
    plan = tmp_path / "卫健局.txt"
    plan.write_text(BUREAU, encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", d, "import-plan", str(plan), "--check", "--json")
    report = json.loads(out)
    assert report["unknown"] == ["局防控办"] and [u["name"] for u in report["uncertain"]] == ["财政局"]


def test_cli_plan_life(capsys, data_dir, tmp_path):
    d = str(data_dir)
    f = tmp_path / "small.txt"
    f.write_text(SMALL, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", d, "import-plan", str(f), "--use", "--title", "某局2023年要点")
    assert code == 0 and "已导入《某局2023年要点》" in out and "已设为当前方案" in out, err
    code, out, _ = run(capsys, "--data-dir", d, "plans", "--use", "2021")
    assert code == 0 and "当前方案：2021年" in out
    code, out, _ = run(capsys, "--data-dir", d, "plans", "--edit", "2023", "--title", "某局2023年工作要点")
    assert code == 0 and "《某局2023年工作要点》" in out
    f.write_text(SMALL.replace("公开 | 3.公开专项资金信息。 | 市财政局\n", ""), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", d, "import-plan", str(f), "--replace", "2023")
    assert code == 0 and "第3项“公开专项资金信息。”在新方案中找不到" in out and "未替换" in out
    code, out, _ = run(capsys, "--data-dir", d, "import-plan", str(f), "--replace", "2023", "--yes")
    assert code == 0 and "已用《某局2023年政务公开工作要点》替换原方案" in out
    code, out, _ = run(capsys, "--data-dir", d, "plans", "--remove", "2023")
    assert code == 0 and "回收站" in out
    code, out, _ = run(capsys, "--data-dir", d, "plans", "--json")
    assert [p["year"] for p in json.loads(out)] == [2021]
    code, out, _ = run(capsys, "--data-dir", d, "plans", "--restore", "2023")
    assert code == 0 and "已恢复" in out


def test_a_plan_of_more_than_300_tasks_asks_first(capsys, data_dir, tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("某局2024年任务清单\n工作任务 | 具体要求 | 落实单位\n"
                 + "".join(f"类别 | {n}.第{n}项工作。 | 市财政局\n" for n in range(1, 302)), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import-plan", str(f))
    assert code == 1 and "有 301 项任务" in err and "--yes" in err
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "plans", "--json")
    assert len(json.loads(out)) == 1  # nothing written
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import-plan", str(f), "--yes")
    assert code == 0 and "301 项任务" in out, err
