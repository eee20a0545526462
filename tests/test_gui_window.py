"""The clerk's window: first run, quick filters, search, status and light,
selection, shortcuts, remembered layout."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.ledger import Ledger
from gui.dialogs.done_date import DoneDateDialog
from gui.dialogs.first_run import UnitChooserDialog
from gui.ops import OpChanges, Written
from gui.tasks.model import COL
from tests.conftest import (
    GUI_TODAY,
    choose,
    click,
    find_dialog,
    gone,
    select_task,
    settle,
    type_into,
    wait_until,
)

# Facts of the seed plan, worked out by hand (see tests/test_assign.py).
FIN_LEAD = [9, 10, 11]
FIN_RELATED = [18, 23, 32, 41]
FIN_NONE = [28, 31, 33, 35, 39, 40, 45, 46, 47, 48]
FIN_IMPLEMENT = sorted(set(range(1, 51)) - set(FIN_LEAD) - set(FIN_RELATED) - set(FIN_NONE))
FIN_ALL = sorted(FIN_LEAD + FIN_RELATED + FIN_IMPLEMENT)
HUMEN_NONE = [24, 29, 33, 34, 39, 40, 41]
# On 2021-12-10 (the tests' today): task 34 (2021年10月底前) is overdue; 2, 29, 32 (2021年底前) and the
# yearly 43 fall due within 30 days.
FIN_OVERDUE = [34]
FIN_DUE30 = [2, 29, 32, 43]


def shown(win) -> list[int]:
    return sorted(win.proxy.visible_numbers())


# The window's own methods these tests call, each in one place.
def current_task(win):
    return win.current_task()


def set_status(win, status: str) -> None:
    """For a task whose status box is locked (待确认): what the window does on a choice."""
    win.tasks.set_status(status)
    settle(win)


def add_action(win, content: str, day: str) -> None:
    """A record written straight through the worker (no dialog)."""
    unit_id, task_id = win.unit.id, win.current_task_id()
    win.runner.write(lambda led: Written(OpChanges.of_task(task_id), led.add_action(unit_id, task_id, content, day))).run()
    settle(win)


def cell(win, number: int, column: str, role=Qt.ItemDataRole.DisplayRole):
    model = win.model
    row = next(i for i, t in enumerate(model.tasks) if t.number == number)
    return model.index(row, COL[column]).data(role)


def test_first_run_choose_unit_by_alias_and_enter_handler(open_window, qtbot):
    win = open_window(unit=None)
    dlg = find_dialog(UnitChooserDialog)
    assert dlg.isVisible() and "欢迎" in dlg.windowTitle()
    assert win.model.tasks == [] or win.unit is None
    type_into(dlg.search, "人社局")  # an alias
    assert dlg.list.count() == 1
    assert "人力资源" in dlg.list.item(0).text()
    type_into(dlg.search, "财政局")
    assert dlg.list.count() == 1 and dlg.chosen_id() is not None
    assert not dlg.ok_button.isEnabled()  # no handler yet
    type_into(dlg.handler, "李晓燕")
    assert dlg.ok_button.isEnabled()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    settle(win)
    assert gone(dlg)
    assert win.unit.short_name == "市财政局" and win.handler == "李晓燕"
    assert shown(win) == FIN_ALL
    assert "市财政局" in win.windowTitle()
    # stored: the next start goes straight to the tasks
    data_dir = win.folder.root
    win.close()
    from gui.app import stop

    stop(win)
    led = Ledger.open(data_dir)
    try:
        assert led.my_unit().short_name == "市财政局" and led.handler() == "李晓燕"
    finally:
        led.close()
    again = open_window(data_dir=data_dir)
    assert not any(isinstance(w, UnitChooserDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    assert shown(again) == FIN_ALL


def test_first_run_town_by_short_name(open_window, qtbot):
    win = open_window(unit=None)
    dlg = find_dialog(UnitChooserDialog)
    type_into(dlg.search, "虎门")
    assert dlg.list.count() == 1
    type_into(dlg.handler, "王芳")
    qtbot.keyClick(dlg.handler, Qt.Key.Key_Return)  # Enter: the dialog's default button
    settle(win)
    assert gone(dlg)
    assert win.unit.short_name == "虎门镇"
    assert len(shown(win)) == 43 == 50 - len(HUMEN_NONE)
    assert not set(shown(win)) & set(HUMEN_NONE)


def test_identity_can_be_changed_later(open_window, qtbot):
    win = open_window()
    win.act_identity.trigger()
    dlg = find_dialog(UnitChooserDialog)
    assert "本单位和经办人" in dlg.windowTitle() and dlg.handler.text() == "张三"
    type_into(dlg.search, "虎门镇")
    type_into(dlg.handler, "王芳")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    settle(win)
    assert win.unit.short_name == "虎门镇" and len(shown(win)) == 43
    assert "经办人：王芳" in win.who.text()


@pytest.mark.parametrize("key, expected", [
    ("mine", FIN_ALL),
    ("lead", FIN_LEAD),
    ("cooperate", []),
    ("implement", FIN_IMPLEMENT),
    ("pending", FIN_RELATED),
    ("overdue", FIN_OVERDUE),
    ("due30", FIN_DUE30),
    ("done", []),
    ("dismissed", []),
    ("plan", list(range(1, 51))),
])
def test_quick_filters_of_the_finance_bureau(open_window, key, expected):
    win = open_window()
    win.filters.set_quick(key)
    assert shown(win) == expected
    assert win.filters.count_of(key) == len(expected)
    assert f"显示 {len(expected)} 项" in win.shown_label.text()


def test_quick_filter_counts_and_done(open_window):
    win = open_window()
    assert len(FIN_IMPLEMENT) == 33
    counts = {k: win.filters.count_of(k) for k in ("mine", "lead", "implement", "pending", "overdue", "due30")}
    assert counts == {"mine": 40, "lead": 3, "implement": 33, "pending": 4, "overdue": 1, "due30": 4}
    for n in (9, 34):
        select_task(win, n)
        choose(win.detail.status, "已完成")
        click(find_dialog(DoneDateDialog).ok_button)  # the date it was done: the default
        settle(win)
    win.filters.set_quick("done")
    assert shown(win) == [9, 34]
    assert win.filters.count_of("overdue") == 0


def test_categories_with_counts(open_window):
    win = open_window()
    assert win.filters.category_count(None) == 40
    assert win.filters.category_count("做好财政信息公开") == 4  # 8, 9, 10, 11
    win.filters.set_category("做好财政信息公开")
    assert shown(win) == [8, 9, 10, 11]
    win.filters.set_quick("lead")  # filters combine
    assert shown(win) == [9, 10, 11]
    win.filters.set_category(None)
    win.filters.set_quick("mine")
    assert len(shown(win)) == 40


def test_search_two_character_word(open_window, qtbot):
    win = open_window()
    with qtbot.waitSignal(win.search_applied, timeout=5000):
        type_into(win.filters.search, "舆情")
    assert shown(win) == [23, 24, 25, 26]
    assert win.filters.category_count(None) == 4
    type_into(win.filters.search, "")
    settle(win)
    assert len(shown(win)) == 40


def test_search_finds_recorded_actions_and_combines_with_filters(open_window):
    win = open_window()
    select_task(win, 10)
    add_action(win, "在门户网站公开惠民惠农补贴发放明细", "2021-09-01")
    type_into(win.filters.search, "补贴发放")
    settle(win)
    assert shown(win) == [10]
    type_into(win.filters.search, "财政")  # several tasks mention it
    settle(win)
    hits = shown(win)
    assert {9, 10, 11} <= set(hits)
    win.filters.set_quick("pending")
    settle(win)
    assert set(shown(win)) <= set(FIN_RELATED)
    type_into(win.filters.search, "找不到的词语")
    settle(win)
    assert shown(win) == []


def test_search_coalesces_keystrokes_on_the_worker(open_window, qtbot, monkeypatch):
    import threading

    win = open_window()
    reads: list = []
    real = Ledger.search_texts
    monkeypatch.setattr(Ledger, "search_texts", lambda led, *key: reads.append(key) or real(led, *key))
    win.search.forget()  # what the search looks through not kept yet, as just after a write
    win.search._prepare_timer.stop()  # only the keystrokes read it here (a slow read would meet this timer's)
    gate = threading.Event()
    win.runner.read(lambda led: gate.wait(10)).run()  # the worker busy while the clerk types
    applied: list[str] = []
    win.search_applied.connect(applied.append)
    with qtbot.waitSignal(win.search_applied, timeout=10000, check_params_cb=lambda q: q == "舆情"):
        type_into(win.filters.search, "舆情")  # two keystrokes: one read, one search shown
        gate.set()
    assert shown(win) == [23, 24, 25, 26]
    assert len(reads) == 1 and applied == ["舆情"]


def test_a_write_refreshes_the_rows_before_reading_the_search_texts_again(open_window, monkeypatch):
    """With nothing searched, the texts are read once the window has settled,
    not queued before the changed rows."""
    win = open_window()
    wait_until(lambda: win.search.kept is not None)  # the load's own read is done
    win.search._prepare_timer.setInterval(60_000)  # "settled" comes when the test says (a slow machine's is late)
    calls: list[str] = []
    real_texts, real_task = Ledger.search_texts, Ledger.task
    monkeypatch.setattr(Ledger, "search_texts", lambda led, *a: calls.append("texts") or real_texts(led, *a))
    monkeypatch.setattr(Ledger, "task", lambda led, *a: calls.append("row") or real_task(led, *a))
    select_task(win, 34)
    choose(win.detail.status, "推进中")
    settle(win)
    assert cell(win, 34, "status") == "推进中" and "row" in calls  # the row is refreshed…
    assert "texts" not in calls and win.search._prepare_timer.isActive()  # …and the texts wait to be read
    win.search._prepare_timer.setInterval(0)  # the window has settled
    wait_until(lambda: "texts" in calls)  # read after all, for the next keystroke
    wait_until(lambda: win.search.kept is not None)


def test_status_change_shows_in_table_and_light(open_window):
    win = open_window()
    select_task(win, 34)
    assert cell(win, 34, "light") == "红" and cell(win, 34, "status") == "未启动"
    assert "已过" in cell(win, 34, "light", Qt.ItemDataRole.ToolTipRole)
    assert win.detail.status.currentText() == "未启动"
    choose(win.detail.status, "推进中")
    settle(win)
    assert cell(win, 34, "status") == "推进中" and cell(win, 34, "light") == "红"
    choose(win.detail.status, "已完成")
    asked = find_dialog(DoneDateDialog)
    assert asked.date.value() == GUI_TODAY  # no record yet: today, inside the plan's year
    QTest.keyClick(asked, Qt.Key.Key_Escape)  # changed its mind: nothing written
    settle(win)
    assert cell(win, 34, "status") == "推进中" and win.detail.status.currentText() == "推进中"
    choose(win.detail.status, "已完成")
    asked = find_dialog(DoneDateDialog)
    type_into(asked.date, "2021年10月28日")
    click(asked.ok_button)
    settle(win)
    assert cell(win, 34, "status") == "已完成" and cell(win, 34, "light") == "灰"
    assert current_task(win).done_date == date(2021, 10, 28)
    assert not win.detail.tabs.isTabVisible(win.detail.TAB_LOOKBACK)  # 回头看 is for unfinished tasks
    assert current_task(win).number == 34


def test_light_is_text_and_icon(open_window):
    win = open_window()
    assert cell(win, 2, "light") == "黄"
    assert cell(win, 9, "light") == "绿"
    assert not cell(win, 9, "light", Qt.ItemDataRole.DecorationRole).isNull()


def test_requirement_is_elided_with_full_text_on_hover(open_window):
    win = open_window()
    t9 = win.model.task(win.model.tasks[8].id)
    assert t9.number == 9
    tip = cell(win, 9, "text", Qt.ItemDataRole.ToolTipRole)
    assert "偿还计划" in tip and "偿债资金来源" in tip
    assert win.table.textElideMode() == Qt.TextElideMode.ElideRight


def test_selection_survives_refresh_and_sort(open_window):
    win = open_window()
    select_task(win, 32)
    win.table.sortByColumn(COL["deadline"], Qt.SortOrder.DescendingOrder)
    assert current_task(win).number == 32
    win.act_refresh.trigger()  # F5
    settle(win)
    assert current_task(win).number == 32
    set_status(win, "推进中")  # 32 is 待确认: its status box is locked, so not by the combo
    assert current_task(win).number == 32
    assert win.detail.task.number == 32
    win.filters.set_quick("lead")  # 32 is filtered out: the first visible task is chosen
    settle(win)
    assert current_task(win).number in FIN_LEAD


def test_detail_shows_units_with_this_unit_highlighted(open_window):
    win = open_window()
    select_task(win, 9)
    d = win.detail
    assert d.title.text().startswith("第9项")
    assert "地方政府债务" in d.requirement.text()
    units = d.units.text()
    assert "市财政局（牵头）" in units and "<b style=" in units
    assert "各镇街(园区)（落实）" in units
    assert "牵头" in d.badges.text()


def test_lookback_fields_and_division_saved(open_window, qtbot):
    win = open_window()
    select_task(win, 29)
    d = win.detail
    assert d.tabs.isTabVisible(d.TAB_LOOKBACK)
    type_into(d.dept, "办公室")
    type_into(d.person, "陈明")
    bar = d.tabs.tabBar()
    click(bar, bar.tabRect(d.TAB_LOOKBACK).center())
    type_into(d.problem, "系统对接进度滞后")
    type_into(d.remedy, "12月底前完成数据对接")
    qtbot.keyClick(d.has_due, Qt.Key.Key_Space)
    assert d.has_due.isChecked()
    d.remedy_due.setDate(QDate(2022, 1, 31))  # (QTest cannot type into a QDateEdit's sections reliably)
    assert d.save_button.isEnabled()
    click(d.save_button)
    settle(win)
    assert not d.dirty
    t = current_task(win)
    assert t.dept == "办公室" and t.person == "陈明" and t.problem == "系统对接进度滞后"
    assert str(t.remedy_due) == "2022-01-31"
    assert cell(win, 29, "dept") == "办公室"


def test_unsaved_division_is_saved_when_moving_on(open_window):
    win = open_window()
    select_task(win, 9)
    type_into(win.detail.dept, "预算科")
    select_task(win, 10)
    assert win.model.task(win.model.tasks[8].id).dept == "预算科"


def test_keyboard_shortcuts(open_window, qtbot):
    win = open_window()
    select_task(win, 9)
    win.act_next.trigger()
    assert current_task(win).number == 10
    win.act_prev.trigger()
    win.act_prev.trigger()
    assert current_task(win).number == 8
    settle(win)
    assert win.act_new_action.shortcut().toString() == "Ctrl+N"
    assert win.act_find.shortcut().matches(win.act_find.shortcut()) and win.act_find.shortcut().toString() == "Ctrl+F"
    assert win.act_next.shortcut().toString() == "Alt+Down"
    win.activateWindow()
    win.act_find.trigger()
    assert win.filters.search.hasFocus() or qtbot.waitUntil(lambda: win.filters.search.hasFocus(), timeout=2000) is None


def test_layout_is_remembered_in_the_data_folder(open_window):
    win = open_window()
    win.table.setColumnWidth(COL["text"], 420)
    win.splitter.setSizes([200, 700, 400])
    sizes = win.splitter.sizes()
    data_dir = win.folder.root
    win.close()
    from gui.app import stop

    stop(win)
    assert (data_dir / "window.ini").exists()
    again = open_window(data_dir=data_dir)
    assert again.table.columnWidth(COL["text"]) == 420
    assert all(abs(a - b) <= 4 for a, b in zip(again.splitter.sizes(), sizes, strict=True)), (again.splitter.sizes(), sizes)


def test_window_fits_a_1366x768_screen(open_window):
    win = open_window()
    assert win.minimumSizeHint().width() <= 1366 and win.minimumSizeHint().height() <= 740
    win.resize(1366, 728)
    assert win.width() <= 1366


def test_plan_import_and_switch(open_window, tmp_path, file_dialogs, message_boxes):
    plan = tmp_path / "某市2022年分工方案.txt"
    plan.write_text("东莞市贯彻落实2022年政务公开工作要点分工方案\n工作任务 | 具体要求 | 落实单位\n"
                    "做好财政信息公开 | 1.2022年底前公开财政预算。 | 市财政局牵头\n"
                    "回应关切 | 2.做好舆情回应。 | 各镇街(园区)\n", encoding="utf-8")
    win = open_window()
    file_dialogs.open_name = str(plan)
    win.act_import_plan.trigger()
    settle(win)
    from gui.dialogs.import_preview import ImportPreviewDialog

    preview = find_dialog(ImportPreviewDialog)
    assert preview.tasks.rowCount() == 2
    click(preview.ok_button)  # 导入
    settle(win)
    assert any("已导入" in t for t in message_boxes.texts("question"))
    assert win.plan["year"] == 2022
    assert shown(win) == [1]
    assert current_task(win).role == "lead"
    assert len(win.plans_menu.menu.actions()) == 2 and win.plans_menu.menu.isEnabled()
    old = next(a for a in win.plans_menu.menu.actions() if a.text().startswith("2021"))
    old.trigger()
    settle(win)
    assert win.plan["year"] == 2021 and len(shown(win)) == 40


def test_a_keystroke_is_answered_while_the_worker_is_busy_and_finds_what_was_just_written(open_window, qtbot):
    """Once the window has settled it holds what the search looks through: a
    keystroke filters the table while the store's worker is busy with something
    else (a long detail load, a backup). A record written through the window is
    found by the next keystroke."""
    import threading

    from gui.ops import OpChanges, Written

    win = open_window("市财政局")
    unit_id, t9 = win.unit.id, win.runner.ledger.task_id(9)
    qtbot.waitUntil(lambda: win.search.kept is not None, timeout=5000)  # read once the window settled
    win.runner.write(lambda led: Written(OpChanges.of_task(t9), led.add_action(unit_id, t9, "荔枝节期间发布防汛简报")),
                     initiator=None).run()
    qtbot.waitUntil(lambda: win.runner.idle and win.search.kept is not None, timeout=5000)

    gate = threading.Event()
    win.runner.read(lambda _led: gate.wait(10)).run()  # the worker is busy from now on
    try:
        type_into(win.filters.search, "防汛简报")
        qtbot.waitUntil(lambda: win.search.query == "防汛简报" and win.proxy.visible_numbers() == [9], timeout=2000)
        assert not win.runner.idle  # answered without the worker
    finally:
        gate.set()
    qtbot.waitUntil(lambda: win.runner.idle, timeout=5000)


def test_the_task_last_looked_at_is_selected_at_the_next_start(open_window):
    from gui.app import stop

    win = open_window("市财政局")
    folder = win.folder.root
    select_task(win, 12)
    select_task(win, 9)
    win.close()
    stop(win)
    again = open_window("市财政局", data_dir=folder)
    assert again.current_task_id() == again.runner.ledger.task_id(9)
