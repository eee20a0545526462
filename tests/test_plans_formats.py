"""The same plan as Word, Excel (.xlsx/.xls), web page, CSV, text and PDF files
written here with the libraries offices use: one reading for all of them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.plan_parser import plan_from_grid
from core.plans.check import read_plan_file
from core.plans.read import grid_from_clipboard
from tests.conftest import SEED
from tests.plan_files import (
    html_page,
    write_csv,
    write_docx,
    write_html,
    write_pdf,
    write_xls,
    write_xlsx,
)
from tests.test_plan_parser import CATEGORIES, CATEGORY_OF

BEFORE = ["某市2022年政务公开工作要点分工方案", "某市人民政府办公室", "2022年3月1日"]
TABLE = [["工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"],
         ["制度建设", "1.完善信息公开审核制度。", "市政府办公室", "市司法局", "2022年6月30日"],
         [None, "2.每年至少开展1次政务公开培训。\n3.建立政策解读台账。", None, None, "2022年12月31日"],
         ["平台建设", "4.更新政府网站栏目。", "市政数局", "各镇街(园区)", "长期坚持"],
         [None, "5.做好政务新媒体管理。", "市政数局", "市委网信办", "9月底"]]
# number, category, text, lead, cooperate, deadline column: read off TABLE by hand
FACTS = [(1, "制度建设", "完善信息公开审核制度。", "市政府办公室", "市司法局", "2022年6月30日"),
         (2, "制度建设", "每年至少开展1次政务公开培训。", "市政府办公室", "市司法局", "2022年12月31日"),
         (3, "制度建设", "建立政策解读台账。", "市政府办公室", "市司法局", "2022年12月31日"),
         (4, "平台建设", "更新政府网站栏目。", "市政数局", "各镇街(园区)", "长期坚持"),
         (5, "平台建设", "做好政务新媒体管理。", "市政数局", "市委网信办", "9月底")]


def _facts(plan):
    return [(t.number, t.category, t.text, t.lead_text, t.cooperate_text, t.deadline_text) for t in plan.tasks]


WRITERS = {
    "docx": lambda p: write_docx(p / "方案.docx", BEFORE, TABLE),
    "docx-two-tables": lambda p: write_docx(p / "方案.docx", BEFORE, TABLE, split_at=3),
    "xlsx": lambda p: write_xlsx(p / "方案.xlsx", BEFORE, TABLE),
    "xls": lambda p: write_xls(p / "方案.xls", BEFORE, TABLE),
    "html-utf8": lambda p: write_html(p / "方案.html", BEFORE, TABLE),
    "html-gb2312-p": lambda p: write_html(p / "方案.htm", BEFORE, TABLE, "gb2312", paragraphs=True),
    "csv-gbk": lambda p: write_csv(p / "方案.csv", BEFORE, TABLE, "gbk"),
    "csv-utf8-bom": lambda p: write_csv(p / "方案.csv", BEFORE, TABLE, "utf-8-sig"),
    "unicode-text": lambda p: write_csv(p / "方案.txt", BEFORE, TABLE, "utf-16", "\t"),
    "tab-text-gbk": lambda p: write_csv(p / "方案.txt", BEFORE, TABLE, "gbk", "\t"),
    "tsv": lambda p: write_csv(p / "方案.tsv", BEFORE, TABLE, "utf-8", "\t"),
    "pdf": lambda p: write_pdf(p / "方案.pdf", BEFORE, TABLE),
}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_each_format_gives_the_same_tasks(kind, tmp_path):
    plan = read_plan_file(WRITERS[kind](tmp_path))
    assert (plan.title, plan.issuer, plan.issued_date, plan.year) == (
        "某市2022年政务公开工作要点分工方案", "某市人民政府办公室", date(2022, 3, 1), 2022)
    assert plan.categories == ["制度建设", "平台建设"]
    assert _facts(plan) == FACTS
    assert plan.warnings == []


def test_html_chrome_around_the_table_and_a_gb18030_charset(tmp_path):
    page = html_page(BEFORE, TABLE, "gb2312").replace("制度建设", "制度建设䶮")  # a GB18030-only character
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gb18030"))
    plan = read_plan_file(path)
    assert plan.categories == ["制度建设䶮", "平台建设"]
    assert "首页" not in plan.preamble and "网站标识码" not in plan.preamble


def test_html_without_a_meta_charset_is_detected(tmp_path):
    page = html_page(BEFORE, TABLE).replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gbk"))
    assert _facts(read_plan_file(path)) == FACTS


def test_clipboard_html_first_then_text():
    html = "Version:0.9\r\nStartHTML:00000097\r\n" + html_page(BEFORE, TABLE)
    assert _facts(plan_from_grid(grid_from_clipboard(html, "垃圾文本"))) == FACTS
    text = "\n".join(BEFORE) + "\n" + "\n".join("\t".join("" if v is None else v.replace("\n", " ") for v in row)
                                                  for row in TABLE)
    assert _facts(plan_from_grid(grid_from_clipboard(None, text))) == FACTS
    from core.errors import PlanParseError
    with pytest.raises(PlanParseError, match="剪贴板中没有表格"):
        grid_from_clipboard(None, "  ")


def test_excel_cells_with_line_breaks_and_numbers_and_dates(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某局2023年政务公开重点任务清单"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "重点任务", "工作措施", "责任科室", "完成时间"])
    ws.append([1, "制度建设", "完善制度。\n健全机制。", "办公室", date(2023, 6, 30)])
    ws.append([2, "平台建设", "更新栏目。", "信息科", "长期"])
    path = tmp_path / "清单.xlsx"
    wb.save(path)
    plan = read_plan_file(path)
    assert [(t.number, t.category, t.text, t.units_text, t.deadline_text) for t in plan.tasks] == [
        (1, "制度建设", "完善制度。\n健全机制。", "办公室", "2023年6月30日"), (2, "平台建设", "更新栏目。", "信息科", "长期")]


# ---- the embedded plan in every format, through the command line ----------

HW = str.maketrans("（），；：", "(),;:")


def _seed_table():
    from core.plans.text import text_grid

    grid = text_grid(SEED.read_text("utf-8"))
    rows = [list(r) for r in grid.rows]
    for row in rows[1:]:
        for c in (0, 2):  # empty 工作任务 / 落实单位: vertically merged cells, as in the printed plan
            if row[c] == "":
                row[c] = None
    return [ln for ln in grid.before if ln.strip()], rows


def _check_json(capsys, path, data_dir):
    from core.cli import main

    assert main(["--data-dir", str(data_dir), "import-plan", "--check", "--json", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def _key(report):
    return [(t["number"], t["category"].translate(HW), t["text"].translate(HW), t["deadline"],
             [(u["name"].translate(HW), u["role"], u["kind"]) for u in t["units"]]) for t in report["tasks"]]


def test_the_embedded_plan_reads_the_same_in_every_format(capsys, tmp_path):
    before, rows = _seed_table()
    full_width = str.maketrans("(),;:", "（），；：")
    fw_rows = [[None if v is None else v.translate(full_width) for v in r] for r in rows]
    files = {"docx": write_docx(tmp_path / "方案.docx", before, fw_rows, split_at=25),
             "xlsx": write_xlsx(tmp_path / "方案.xlsx", before, rows),
             "xls": write_xls(tmp_path / "方案.xls", before, rows),
             "html": write_html(tmp_path / "方案.html", before, rows, "gb2312"),
             "csv": write_csv(tmp_path / "方案.csv", before, rows, "gbk"),
             "pdf": write_pdf(tmp_path / "方案.pdf", before, rows)}
    data_dir = tmp_path / "data"
    ref = _check_json(capsys, SEED, data_dir)
    # facts of the printed plan, written by hand
    assert ref["title"] == "东莞市贯彻落实国家、省2021年政务公开工作要点分工方案" and ref["year"] == 2021
    assert ref["issuer"] == "东莞市人民政府办公室" and ref["issued_date"] == "2021-08-03"
    assert ref["categories"] == CATEGORIES
    assert [t["number"] for t in ref["tasks"]] == list(range(1, 51))
    assert all(t["category"] == CATEGORIES[CATEGORY_OF[t["number"]] - 1] for t in ref["tasks"])
    by = {t["number"]: t for t in ref["tasks"]}
    assert [(u["name"], u["role"]) for u in by[9]["units"]] == [
        ("各镇街(园区)", "implement"), ("市财政局", "lead"), ("具有行政职能的市直其他单位", "implement")]
    assert ("市政数局", "cooperate") in [(u["name"], u["role"]) for u in by[4]["units"]]
    assert by[2]["deadline"] == "2021-12-31" and by[1]["deadline"] is None
    assert ref["warnings"] == [] and ref["unknown"] == []
    for kind, path in files.items():
        report = _check_json(capsys, path, data_dir)
        assert (report["title"], report["issuer"], report["year"]) == (ref["title"], ref["issuer"], 2021), kind
        assert _key(report) == _key(ref), kind
        assert report["warnings"] == [], kind
    assert not data_dir.exists()  # --check writes nothing, not even the data folder


def test_import_plan_reads_a_docx_into_the_store(ledger, tmp_path):
    res = ledger.import_plan_file(write_docx(tmp_path / "方案.docx", BEFORE, TABLE))
    assert (res.title, res.year, res.categories, res.tasks) == ("某市2022年政务公开工作要点分工方案", 2022, 2, 5)
    plan = ledger.find_plan("2022")
    finance = ledger.find_unit("市司法局")
    assert [(v.number, v.role) for v in ledger.tasks(finance.id, plan_id=plan["id"])] == [
        (1, "cooperate"), (2, "cooperate"), (3, "cooperate")]


def test_an_old_page_laid_out_with_tables(tmp_path):
    """The notice and the plan's table inside the cell of a layout table, a navigation table above."""
    inner = html_page(BEFORE, TABLE).split('<div class="article">')[1].split("</div>")[0]
    page = ('<html><head><meta charset="gbk"><title>通知</title></head><body>'
            "<table><tr><td>首页</td><td>政务公开</td></tr></table>"
            f"<table><tr><td width=20></td><td>{inner}</td></tr></table></body></html>")
    path = tmp_path / "old.htm"
    path.write_bytes(page.encode("gbk"))
    plan = read_plan_file(path)
    assert (plan.title, plan.issuer, plan.year) == ("某市2022年政务公开工作要点分工方案", "某市人民政府办公室", 2022)
    assert _facts(plan) == FACTS


def test_a_header_of_two_rows_in_excel(tmp_path):
    """"责任单位" merged across over "牵头单位 | 配合单位"; 序号/工作任务/具体要求 merged down."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某市2022年政务公开重点任务分工"])
    ws.append(["序号", "工作任务", "具体要求", "责任单位", None])
    ws.append([None, None, None, "牵头单位", "配合单位"])
    ws.append(["1", "制度建设", "完善制度。", "市政府办公室", "市司法局"])
    ws.append(["2", None, "开展培训。", "市财政局", "各镇街(园区)"])
    for rng in ("A1:E1", "D2:E2", "A2:A3", "B2:B3", "C2:C3", "B4:B5"):
        ws.merge_cells(rng)
    wb.save(tmp_path / "a.xlsx")
    plan = read_plan_file(tmp_path / "a.xlsx")
    assert [(t.number, t.category, t.text, t.lead_text, t.cooperate_text, t.units_text) for t in plan.tasks] == [
        (1, "制度建设", "完善制度。", "市政府办公室", "市司法局", ""),
        (2, "制度建设", "开展培训。", "市财政局", "各镇街(园区)", "")]
    assert plan.warnings == []


def test_check_uses_the_data_folders_directory_and_changes_no_file(tmp_path, capsys):
    from core.ledger import Ledger

    data = tmp_path / "data"
    from core.units import Unit, unit_uuid

    led = Ledger.open(data)  # the user adds a unit the embedded directory does not have
    led.save_unit(Unit(id=unit_uuid("东莞市委网络安全和信息化委员会办公室"), full_name="东莞市委网络安全和信息化委员会办公室",
                       short_name="市委网信办", kind="municipal"))
    led.close()
    files_before = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in data.rglob("*") if p.is_file()}
    report = _check_json(capsys, write_docx(tmp_path / "方案.docx", BEFORE, TABLE), data)
    assert [(u["name"], u["role"], u["kind"]) for u in report["tasks"][4]["units"]] == [
        ("市政数局", "lead", "unit"), ("市委网信办", "cooperate", "unit")]  # known from the data folder
    assert report["unknown"] == []
    assert {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in data.rglob("*") if p.is_file()} == files_before
