"""The import preview, driven as the clerk does: a table copied from a web page
is on the clipboard (text/html), 文件 → 粘贴方案 opens the preview, a column
the header did not name is fixed by keyboard, two names are decided, 导入.
Also: 取消 writes nothing; the screenshot of the preview (docs/screenshots)."""

from __future__ import annotations

import os
import sqlite3

import pytest
from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.dialogs.import_preview import ImportPreviewDialog
from tests.conftest import ROOT, choose, click, find_dialog, gone, settle, wait_until
from tests.plan_files import html_page

BEFORE = ["佛山市卫生健康局2022年政务公开工作任务分工", "佛山市卫生健康局", "2022年3月1日"]
# "工作说明" is no column word: the preview cannot find 具体要求 until the clerk says so.
ROWS = [["序号", "工作任务", "工作说明", "责任科室", "完成时限"],
        ["1", "信息发布", "及时发布疫情防控信息。", "局防控办主办、各工作组协办", "长期"],
        ["2", "财务公开", "公开部门预算和决算。", "财务科", "2022年6月30日"],
        ["3", "制度建设", "修订本局政务公开制度。", "办公室牵头，各科室配合", "2022年9月30日"],
        ["4", "财政信息", "配合公开财政资金信息。", "财政局", "长期"]]


@pytest.fixture(autouse=True)
def _clipboard_emptied():
    """Qt owns what is put on the clipboard: empty it before the application
    goes, or the interpreter crashes at exit deleting it twice."""
    yield
    QApplication.clipboard().clear()
    QApplication.processEvents()


def _paste(win, rows=ROWS, drop: str = ""):
    html = html_page(BEFORE, rows).replace(drop, "") if drop else html_page(BEFORE, rows)
    data = QMimeData()
    data.setHtml(html)
    data.setText("\n".join("\t".join(c or "" for c in r) for r in rows))
    QApplication.clipboard().setMimeData(data)
    win.act_paste_plan.trigger()
    settle(win)
    return find_dialog(ImportPreviewDialog)


def _count(win, sql):
    conn = sqlite3.connect(win.folder.store)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_paste_fix_a_column_decide_two_names_and_import(open_window, message_boxes):
    win = open_window()
    dlg = _paste(win)
    # the header's 工作说明 is unknown: no 具体要求, nothing to import yet
    assert [c.currentText() for c in dlg.column_combos] == ["序号", "工作任务", "忽略", "落实单位", "完成时限"]
    assert "表头缺少“具体要求”列" in dlg.summary.text() and not dlg.ok_button.isEnabled()
    choose(dlg.column_combos[2], "具体要求")
    settle(win)
    assert dlg.ok_button.isEnabled() and dlg.tasks.rowCount() == 4
    assert [dlg.tasks.item(r, 2).text() for r in range(4)][:2] == ["及时发布疫情防控信息。", "公开部门预算和决算。"]
    assert dlg.tasks.item(0, 4).text() == "局防控办（牵头）、各工作组（配合）"
    assert dlg.tasks.item(1, 3).text() == "2022年6月30日前"
    names = {dlg.names.item(r, 0).text(): dlg.names.item(r, 1).text() for r in range(dlg.names.rowCount())}
    assert list(names) == ["局防控办", "财务科", "办公室", "财政局"]
    assert "可能是东莞的“市财政局”" in names["财政局"]
    choose(dlg.name_combos["局防控办"], "新增为科室")
    choose(dlg.name_combos["财政局"], "对应到：市财政局（东莞市财政局）")
    click(dlg.ok_button)
    settle(win)
    assert gone(dlg)
    plans = _count(win, "SELECT id, title, directory FROM plans WHERE year = 2022")
    assert [(t, d) for _i, t, d in plans] == [("佛山市卫生健康局2022年政务公开工作任务分工", "佛山市卫生健康局")]
    plan_id = plans[0][0]
    assert _count(win, "SELECT kind, directory FROM units WHERE full_name = '局防控办'") == [
        ("office", "佛山市卫生健康局")]
    fin = _count(win, "SELECT id FROM units WHERE full_name = '东莞市财政局'")[0][0]
    assert ("财政局",) in _count(win, f"SELECT alias FROM unit_aliases WHERE unit_id = '{fin}'")
    roles = _count(win, "SELECT t.number, u.full_name, a.role FROM assignments a JOIN tasks t ON t.id = a.task_id "
                        f"JOIN units u ON u.id = a.unit_id WHERE t.plan_id = '{plan_id}' ORDER BY t.number")
    assert roles == [(1, "局防控办", "lead"), (3, "局防控办", "cooperate"), (4, "东莞市财政局", "implement")]
    assert any("已导入《佛山市卫生健康局2022年政务公开工作任务分工》" in t for t in message_boxes.texts("question"))


def test_cancel_writes_nothing(open_window):
    win = open_window()
    dlg = _paste(win)
    choose(dlg.column_combos[2], "具体要求")
    settle(win)
    before = _count(win, "SELECT count(*) FROM plans")
    assert before == [(1,)]  # the embedded plan only: the preview itself saved nothing
    click(dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel))  # 取消
    wait_until(lambda: gone(dlg))
    settle(win)
    assert _count(win, "SELECT count(*) FROM plans") == before
    assert _count(win, "SELECT count(*) FROM units WHERE full_name = '局防控办'") == [(0,)]


def test_screenshot_of_the_preview_with_warnings_and_unknown_names(open_window):
    """Saved to docs/screenshots/import-preview.png when TAIZHANG_SCREENSHOTS is set
    (run under xvfb-run for real fonts); the dialog is checked either way."""
    rows = [r[:] for r in ROWS]
    rows[0][2] = "具体要求"
    rows.insert(3, ["3", "培训", "做好政务公开培训。", "丢失", "丢失"])  # it loses two cells: a warning naming it
    for r in rows[4:]:
        r[0] = str(int(r[0]) + 1)
    win = open_window()
    dlg = _paste(win, rows, drop="<td>丢失</td><td>丢失</td>")
    assert dlg.warnings.count() >= 1 and "第" in dlg.warnings.item(0).text()
    assert dlg.names.rowCount() == 4
    if os.environ.get("TAIZHANG_SCREENSHOTS"):
        dlg.resize(1280, 720)
        settle(win)
        out = ROOT / "docs" / "screenshots" / "import-preview.png"
        assert dlg.grab().save(str(out))
