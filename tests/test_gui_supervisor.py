"""The supervisor's window: a folder of packages imported, the matrix filtered,
a cell opened to read that unit's records."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from core.exchange.package import export_package
from core.ledger import Ledger
from core.supervise import make_supervisor
from tests.conftest import click, find_dialog, settle, wait_until
from tests.test_exchange import make_unit_folder


def test_import_a_folder_see_the_matrix_and_open_a_cell(open_window, tmp_path, monkeypatch, message_boxes):
    unit_folder = make_unit_folder(tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    led = Ledger.open(unit_folder)
    try:
        export_package(led, led.my_unit().id, stick, reports=False)
    finally:
        led.close()
    office = tmp_path / "office"
    led = Ledger.open(office)
    try:
        make_supervisor(led, "市政府办公室")
        led.set_handler("赵六")
    finally:
        led.close()

    win = open_window(data_dir=office)
    wait_until(lambda: win.supervisor.window is not None and win.supervisor.window.model.rollup is not None)
    sup = win.supervisor.window
    settle(win)
    assert sup.isVisible() and "莞城街道" in sup.rows() and sup.summary.text().endswith("已上报 0 个，未上报 71 个")

    import gui.file_dialogs

    monkeypatch.setattr(gui.file_dialogs, "USE_STATICS", True)  # the fixture's way to answer a file dialog
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(stick)))
    sup.act_import_folder.trigger()
    settle(win)
    wait_until(lambda: "已上报 1 个" in sup.summary.text())
    settle(win)
    assert any("已导入虎门镇的上报包" in t for t in message_boxes.texts("information"))

    sup.state.setCurrentText("已上报")
    assert sup.rows() == ["虎门镇"]
    sup.category.setCurrentText("做好财政信息公开")
    shown = [sup.model.task_at(c).number for c in range(6, sup.model.columnCount()) if not sup.table.isColumnHidden(c)]
    assert shown == [8, 9, 10, 11]

    column = 6 + [t.number for t in sup.model.tasks].index(10)
    index = sup.proxy.index(0, column)
    assert index.data() == "推进"
    sup.table.scrollTo(index)
    rect = sup.table.visualRect(index)
    QTest.mouseClick(sup.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(sup.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    from gui.supervisor.cell import CellDialog

    dlg = find_dialog(CellDialog)
    assert "起草决算公开工作方案" in dlg.text.toPlainText() and "王五" in dlg.text.toPlainText()
    assert dlg.files.count() == 1 and dlg.files.item(0).text().startswith("决算方案.docx")
    dlg.close()

    # the charts: 虎门镇's 43 tasks, by category (做好财政信息公开: 8, 9, 10, 11 of which 9 is done)
    finance = next(g for g in sup.by_category.groups if g[0] == "做好财政信息公开")
    assert finance == ("做好财政信息公开", 1, 4)
    assert sup.by_group.groups == [("镇街园区", 1, 43)]
    sup.tabs.setCurrentIndex(1)
    assert sup.by_category.isVisible() and sup.by_category.height() > 40

    # 考评: 虎门镇 is the one unit that reported, so it ranks first; the others score 0
    from gui.supervisor.scores import ScoresDialog

    sup.act_scores.trigger()
    scores = find_dialog(ScoresDialog)
    wait_until(lambda: scores.table.rowCount() == 71)
    assert [scores.table.item(0, c).text() for c in (0, 1)] == ["1", "虎门镇"]
    total = float(scores.table.item(0, 2).text())
    completion = float(scores.table.item(0, 3).text())
    assert total > 0 and completion > 0 and float(scores.table.item(1, 2).text()) == 0
    assert "虎门镇" in scores.reasons.text()
    scores.spins["completion"].setValue(0)  # the office weighs completion at 0 points
    click(scores.save_weights_button)
    settle(win)
    wait_until(lambda: float(scores.table.item(0, 3).text()) == 0)
    assert abs(float(scores.table.item(0, 2).text()) - (total - completion)) < 0.02
    scores.close()


def test_the_clerk_saves_a_report_package(open_window, tmp_path, file_dialogs, message_boxes):
    win = open_window(unit="虎门")
    out = tmp_path / "stick" / "虎门镇上报包.tzbg"
    out.parent.mkdir()
    file_dialogs.save_name = str(out)
    assert not win.supervisor.menu.menuAction().isVisible()  # a clerk's folder
    win.package_export.action.trigger()
    settle(win, 30000)
    assert out.is_file()
    assert any("上报包（第1号）已保存" in t for t in message_boxes.texts("information"))
    import zipfile

    with zipfile.ZipFile(out) as zf:
        assert zf.namelist()[0] == "manifest.json"


def test_the_first_run_asks_clerk_or_supervising_office(open_window, qtbot):
    from PySide6.QtCore import Qt

    from gui.dialogs.first_run import UnitChooserDialog
    from gui.supervisor.window import SupervisorWindow
    from tests.conftest import click, gone, type_into

    win = open_window(unit=None)
    dlg = find_dialog(UnitChooserDialog)
    type_into(dlg.search, "市政府办公室")
    wait_until(lambda: dlg.chosen_id() is not None)
    type_into(dlg.handler, "赵六")
    qtbot.mouseClick(dlg.supervisor, Qt.MouseButton.LeftButton, pos=dlg.supervisor.rect().center())
    assert dlg.supervisor.isChecked()
    click(dlg.ok_button)
    settle(win)
    assert gone(dlg)
    office = find_dialog(SupervisorWindow)
    assert office.isVisible() and win.supervisor.menu.menuAction().isVisible()
    got = []
    win.runner.read(lambda led: led.store.get_setting("desk_mode")).success(got.append).run()
    settle(win)
    assert got == ["supervisor"] and win.unit.short_name == "市政府办公室"
