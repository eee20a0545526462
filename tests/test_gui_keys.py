"""The clerk's keyboard and the window's words when something does not work:
Tab out of the table, the search box's keys, an empty result that says so,
deleting a record with its files, a file no program can open, small screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from gui.detail.timeline import KIND_ACTION
from gui.dialogs.recycle import RecycleBinDialog
from gui.ops import OpChanges, Written
from gui.tasks.model import COL, KEY_COLUMNS
from tests.conftest import (
    click,
    find_dialog,
    select_task,
    settle,
    type_into,
    wait_until,
)


def record_with_file(win, tmp_path, name: str = "预算公开截图.png") -> str:
    """A record on the current task with one evidence file; returns the record's id."""
    unit_id, task_id = win.unit.id, win.current_task_id()
    path = tmp_path / name
    path.write_bytes(b"\x89PNG evidence")

    def fn(led):
        action = led.add_action(unit_id, task_id, "在门户网站公开本级预算。", "2021-09-01")
        led.attach_file(unit_id, task_id, path, action_id=action["id"])
        return Written(OpChanges.of_task(task_id), action["id"])

    got = []
    win.runner.write(fn).success(got.append).run()
    settle(win)
    wait_until(lambda: len(win.detail.actions) == 1)
    return got[0]


def test_tab_leaves_the_table_for_the_tasks_detail(open_window):
    win = open_window()
    select_task(win, 9)
    win.table.setFocus()
    wait_until(win.table.hasFocus)
    QTest.keyClick(win.table, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not None and win.detail.isAncestorOf(focus)
    assert win.current_task().number == 9  # Tab did not walk the table


def test_the_detail_panel_makes_its_widgets_when_first_needed(qapp):
    """The window's first screen shows the empty panel only; the task's widgets
    are made with the first task shown, or when one is asked for before."""
    from PySide6.QtWidgets import QTabWidget

    from gui.detail.panel import TaskDetail
    from gui.detail.timeline import Timeline

    empty = TaskDetail()
    assert empty.findChild(QTabWidget) is None and empty.findChild(Timeline) is None
    assert empty.status.count() > 0  # asked for: made now
    assert empty.findChild(Timeline) is empty.timeline
    with pytest.raises(AttributeError):
        empty.no_such_widget


def border_is_blue(view) -> bool:
    """The view's left edge, as drawn on screen, in the focus colour (#1a73e8)."""
    image = view.grab().toImage()
    colour = image.pixelColor(1, image.height() // 2)
    return (colour.red(), colour.green(), colour.blue()) == (0x1A, 0x73, 0xE8)


def test_the_list_or_table_with_the_keyboard_wears_a_blue_frame(open_window):
    win = open_window()
    select_task(win, 9)
    win.table.setFocus()
    wait_until(win.table.hasFocus)
    assert border_is_blue(win.table)
    QTest.keyClick(win.table, Qt.Key.Key_Tab)  # to the detail: the table's frame goes back to grey
    assert not win.table.hasFocus() and not border_is_blue(win.table)
    win.detail.timeline.setFocus()
    wait_until(win.detail.timeline.hasFocus)
    assert border_is_blue(win.detail.timeline) and not border_is_blue(win.table)


def test_search_box_down_goes_to_the_first_hit_and_escape_clears(open_window, qtbot):
    win = open_window()
    box = win.filters.search
    box.setFocus()
    with qtbot.waitSignal(win.search_applied, timeout=10000, check_params_cb=lambda q: q == "舆情"):
        type_into(box, "舆情")
    settle(win)
    first = win.proxy.task_at(0).number
    QTest.keyClick(box, Qt.Key.Key_Down)
    assert win.table.hasFocus() and win.current_task().number == first

    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert win.table.hasFocus()

    box.setFocus()
    with qtbot.waitSignal(win.search_applied, timeout=5000, check_params_cb=lambda q: q == ""):
        QTest.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and win.proxy.rowCount() == win.filters.count_of("mine")


def test_an_empty_result_under_a_filter_says_so_and_offers_all_tasks(open_window, qtbot):
    # 市财政局 on 2021-12-10: task 34 (2021年10月底前) is its one overdue task, and it says nothing of 舆情.
    win = open_window()
    win.filters.set_quick("overdue")
    settle(win)
    assert win.proxy.visible_numbers() == [34] and not win.empty_hint.isVisible()
    with qtbot.waitSignal(win.search_applied, timeout=10000, check_params_cb=lambda q: q == "舆情"):
        type_into(win.filters.search, "舆情")
    settle(win)
    assert win.proxy.rowCount() == 0
    assert win.empty_hint.isVisible()
    assert win.empty_hint.label.text() == "在“已逾期”中没有找到“舆情”。"
    assert win.filters.quick.currentItem().text() == "已逾期　0/1"  # hits of the search / all overdue

    click(win.empty_hint.search_all_button)
    settle(win)
    assert win.proxy.rowCount() > 0 and not win.empty_hint.isVisible()
    assert win.filters.search.text() == "舆情"  # the search is kept, in all the plan's tasks


def test_deleting_a_record_names_its_files_and_asks(open_window, message_boxes, tmp_path):
    win = open_window(unit="虎门")
    select_task(win, 9)
    action_id = record_with_file(win, tmp_path)
    win.detail.select_action(action_id)
    assert win.detail.timeline.selected_key() == (KIND_ACTION, action_id)

    win.activateWindow()
    win.detail.timeline.setFocus()
    wait_until(win.detail.timeline.hasFocus)
    message_boxes.answer = QMessageBox.StandardButton.No
    QTest.keyClick(win.detail.timeline, Qt.Key.Key_Delete)
    settle(win)
    question = message_boxes.texts("question")[-1]
    assert "2021年9月1日" in question and "1 个佐证材料" in question and "预算公开截图.png" in question
    assert len(win.detail.actions) == 1  # No: nothing deleted

    message_boxes.answer = QMessageBox.StandardButton.Yes
    win.detail.timeline.setFocus()
    QTest.keyClick(win.detail.timeline, Qt.Key.Key_Delete)
    settle(win)
    wait_until(lambda: win.detail.actions == [] and win.detail.files == [])

    win.act_recycle.trigger()
    bin_dialog = find_dialog(RecycleBinDialog)
    settle(win)
    assert bin_dialog.actions.rowCount() == 1
    assert bin_dialog.actions.item(0, 3).text() == "预算公开截图.png"  # went with the record
    bin_dialog.close()


def test_a_file_no_program_can_open_gives_its_path_and_folder(open_window, monkeypatch, tmp_path):
    win = open_window(unit="虎门")
    select_task(win, 9)
    record_with_file(win, tmp_path, "说明.pdf")
    asked = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: asked.append(url.toLocalFile()) and False))
    win.files.open_file(win.detail.files[0])
    settle(win)
    box = find_dialog(QMessageBox)
    copy = win.folder.open_copy(win.detail.files[0]["id"], "说明.pdf")
    assert "没有找到可以打开“说明.pdf”的程序" in box.text() and str(copy) in box.text()
    folder_button = next(b for b in box.findChildren(QPushButton) if b.text() == "打开所在文件夹")
    click(folder_button)
    assert asked == [str(copy), str(copy.parent)]


def _key_columns_fit(win) -> bool:
    view = win.table.viewport().width()
    return all(0 <= win.table.columnViewportPosition(COL[k]) and
               win.table.columnViewportPosition(COL[k]) + win.table.columnWidth(COL[k]) <= view
               for k in KEY_COLUMNS)


def test_key_columns_fit_a_1024_by_700_screen(open_window, tmp_path):
    win = open_window()
    win.settings.qsettings.clear()
    win.resize(1024, 700)
    win.settings.default_geometry(win)
    QApplication.processEvents()
    win.table.default_widths(win.table.viewport().width())
    QApplication.processEvents()
    assert win.table.horizontalScrollBar().value() == 0
    assert _key_columns_fit(win), [(k, win.table.columnViewportPosition(COL[k]), win.table.columnWidth(COL[k]))
                                   for k in KEY_COLUMNS]


def test_the_first_record_starts_the_task_with_undo(open_window):
    from gui.dialogs.action import ActionDialog

    win = open_window(unit="虎门")
    select_task(win, 9)
    assert win.current_task().status == "未启动"
    win.act_new_action.trigger()
    dlg = find_dialog(ActionDialog)
    type_into(dlg.content, "召开专题会议部署财政信息公开。")
    click(dlg.ok_button)
    settle(win)
    wait_until(lambda: win.current_task().status == "推进中")
    assert "由“未启动”改为“推进中”" in win.statusBar().currentMessage()
    assert win.undo.button.isVisible()

    click(win.undo.button)
    settle(win)
    wait_until(lambda: win.current_task().status == "未启动")
    assert not win.undo.button.isVisible() and len(win.detail.actions) == 1  # the record stays
