"""The office's outputs read back: 汇总表 (openpyxl), 通报 and 催办单 (pypdf)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.exchange.importer import IMPORTED, import_one
from core.exchange.package import export_package
from core.ledger import Ledger
from core.supervise import make_supervisor
from core.supervise.rollup import build_rollup
from tests.test_exchange import make_unit_folder

AFTER_YEAR = date(2022, 1, 15)  # tasks 2, 28 and 32 (explicit deadline 2021-12-31) are overdue


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    root = tmp_path_factory.mktemp("outputs")
    unit_folder = make_unit_folder(root)
    led = Ledger.open(unit_folder)
    try:
        pkg = export_package(led, led.my_unit().id, root, reports=False).path
    finally:
        led.close()
    office = Ledger.open(root / "office")
    make_supervisor(office, "市政府办公室", package_due="2099-12-31")
    assert import_one(office, pkg).status == IMPORTED
    yield office
    office.close()


def pdf_text(path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(str(path)).pages]


def test_the_rollup_after_the_year(office):
    humen = build_rollup(office, today=AFTER_YEAR).unit("虎门镇")
    # 43 tasks: 9 done; 2, 28, 32 past 2021-12-31 and not done; due 3, none on time
    assert (humen.tasks, humen.done, humen.overdue, humen.due, humen.on_time) == (43, 1, 3, 3, 0)


def test_the_rollup_workbook(office, tmp_path):
    from core.reports.rollup_xlsx import build_rollup_xlsx

    out = tmp_path / "汇总表.xlsx"
    build_rollup_xlsx(office, build_rollup(office, today=AFTER_YEAR), out)
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["汇总", "考评", "未上报"] and "虎门镇" in wb.sheetnames
    ws = wb["汇总"]
    head = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "虎门镇")
    assert row[head.index("9")].value == "完成" and row[head.index("10")].value == "推进"
    assert row[head.index("2")].fill.fgColor.rgb.endswith("F4B6B6")  # red: overdue
    assert row[head.index("逾期")].value == 3 and row[head.index("佐证材料")].value == 2
    sc = wb["考评"]
    humen = next(r for r in sc.iter_rows(min_row=2, values_only=True) if r[1] == "虎门镇")
    # 40×1/43 = 0.93; timeliness 25×0/3 = 0; evidence 20×1/1 = 20; package on time 15 → 35.93
    assert humen[0] == 1 and humen[2] == 35.93 and humen[3:8] == (0.93, 0, 20, 15, 0)
    unit = wb["虎门镇"]
    nine = next(r for r in unit.iter_rows(min_row=3, values_only=True) if r[0] == 9)
    assert nine[5] == "已完成" and nine[7] == 1 and nine[8] == 1
    assert "东莞市莞城街道办事处" in [r[0] for r in wb["未上报"].iter_rows(min_row=2, values_only=True)]


def test_the_bulletin_reads_back(office, tmp_path):
    from core.reports.bulletin import build_bulletin

    out = tmp_path / "通报.pdf"
    result = build_bulletin(office, build_rollup(office, today=AFTER_YEAR), out)
    pages = pdf_text(out)
    assert result.pages == len(pages) >= 3
    text = "".join(pages)
    assert "关于2021年政务公开工作要点落实情况的通报" in text
    assert "各镇人民政府（街道办事处）、市府直属各单位：" in text
    assert "1个单位报送了上报包" in text and "70个单位尚未报送" in text
    assert "图1各类任务完成率" in text and "图2各类单位完成率" in text
    assert "1虎门镇35.93" in text  # rank, unit, total
    assert "第2项" in text and "第28项" in text and "第32项" in text  # the overdue list
    assert "下一步要求" in text and "东莞市人民政府办公室" in text and "2022年1月15日" in text


def test_the_reminders_have_one_page_per_unit(office, tmp_path):
    from core.reports.reminders import build_reminders

    out = tmp_path / "催办单.pdf"
    rollup = build_rollup(office, today=AFTER_YEAR)
    build_reminders(office, rollup, out)
    pages = pdf_text(out)
    assert len(pages) == len(rollup.units)  # every unit has unstarted tasks; each fits one page
    humen = next(p for p in pages if "东莞市虎门镇人民政府：" in p)
    assert humen.count("催办单") == 1
    assert "3项任务已超过时限仍未完成" in humen and "38项任务尚未启动" in humen  # 41 unstarted, 3 of them overdue
    assert "第1、3、4、5、6、7、8、11" in humen
    assert "尚未报送上报包" not in humen and "尚未报送上报包" in pages[0]


def test_the_cli_writes_them(office, tmp_path, capsys):
    from core.cli import main

    root = str(office.folder.root)  # a second connection to the same store, as a second program would open it
    for argv, words in ((["report", "bulletin", "--out", str(tmp_path / "t.pdf")], "已生成通报"),
                        (["export", "rollup", "--out", str(tmp_path / "h.xlsx")], "已生成汇总表")):
        assert main(["--data-dir", root, "--today", "2022-01-15", *argv]) == 0
        assert words in capsys.readouterr().out
    assert main(["--data-dir", root, "report", "reminders", "--out", str(tmp_path / "t.docx")]) == 1
    assert ".pdf" in capsys.readouterr().err
    from openpyxl import load_workbook

    assert (tmp_path / "t.pdf").read_bytes()[:5] == b"%PDF-"
    assert load_workbook(tmp_path / "h.xlsx").sheetnames[0] == "汇总"
    assert not (tmp_path / "t.docx").exists()
