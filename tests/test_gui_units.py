"""Related tasks (待确认) and the unit-directory editor."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.ledger import RoleChange
from gui.dialogs.units import UnitEditorDialog, change_line, split_aliases
from gui.tasks.model import COL
from tests.conftest import (
    choose,
    click,
    click_row,
    find_dialog,
    select_task,
    settle,
    type_into,
)

FIN_RELATED = [18, 23, 32, 41]


def shown(win) -> list[int]:
    return sorted(win.proxy.visible_numbers())


# The window's own methods these tests call, each in one place.
def current_task(win):
    return win.current_task()


def pick_unit(dlg, name: str) -> None:
    """Click the unit called ``name`` in the directory's list."""
    lst = dlg.list
    row = next(i for i in range(lst.count()) if lst.item(i).text().split("（")[0].split("　")[0] == name)
    click_row(lst, lst.model().index(row, 0))
    assert dlg.current.short_name == name


def role_cell(win, number: int, role=Qt.ItemDataRole.DisplayRole):
    row = next(i for i, t in enumerate(win.model.tasks) if t.number == number)
    return win.model.index(row, COL["role"]).data(role)


def test_pending_related_tasks_are_marked(open_window):
    win = open_window()
    assert role_cell(win, 18) == "待确认"
    assert role_cell(win, 18, Qt.ItemDataRole.BackgroundRole) is not None
    select_task(win, 18)
    d = win.detail
    assert d.pending_box.isVisibleTo(d) and "待确认" in d.pending_label.text()
    assert d.confirm_button.isVisibleTo(d) and d.dismiss_button.isVisibleTo(d)
    assert not d.undo_button.isVisibleTo(d)
    assert not d.state_box.isEnabled()  # confirm first


def test_confirm_dismiss_and_undo_a_related_task(open_window):
    win = open_window()
    select_task(win, 18)
    d = win.detail
    click(d.confirm_button)
    settle(win)
    assert role_cell(win, 18) == "相关（已确认）"
    assert win.filters.count_of("pending") == 3
    assert win.filters.count_of("implement") == 34  # 本单位负责: counted with 我落实
    assert d.undo_button.isVisibleTo(d) and "已确认" in d.pending_label.text()
    assert d.state_box.isEnabled() and win.act_new_action.isEnabled()
    click(d.undo_button)
    settle(win)
    assert role_cell(win, 18) == "待确认" and win.filters.count_of("pending") == 4

    select_task(win, 23)
    click(d.dismiss_button)
    settle(win)
    assert win.filters.count_of("mine") == 39
    assert 23 not in shown(win)
    assert current_task(win).number != 23  # it left the view; another task is selected
    win.filters.set_quick("dismissed")
    settle(win)
    assert shown(win) == [23]
    assert current_task(win).number == 23
    assert "已排除" in d.pending_label.text()
    click(d.undo_button)
    settle(win)
    assert shown(win) == []
    win.filters.set_quick("pending")
    settle(win)
    assert shown(win) == FIN_RELATED


def test_change_line_and_aliases():
    c = RoleChange("p", 32, "市财政局", "related", "implement")
    assert change_line(c) == "第32项：市财政局 待确认 → 落实"
    assert change_line(RoleChange("p", 5, "某局", None, "lead"), {"p": 2021, "q": 2022}) == "2021年方案第5项：某局 无 → 牵头"
    assert split_aliases("人社局\n市人社局、 人社 ,，") == ["人社局", "市人社局", "人社"]


def test_unit_editor_attribute_change_lists_role_changes(open_window):
    win = open_window()
    win.act_units.trigger()
    dlg = find_dialog(UnitEditorDialog)
    assert dlg.isVisible() and dlg.windowTitle() == "单位名录"
    type_into(dlg.search, "财政局")
    pick_unit(dlg, "市财政局")
    assert dlg.full_name.text() == "东莞市财政局"
    assert dlg.has_website.currentText() == "未知"
    assert [dlg.has_website.itemText(i) for i in range(3)] == ["是", "否", "未知"]
    choose(dlg.has_website, "是")  # 开设网站的市府直属各单位: 32 becomes the unit's own
    click(dlg.save_button)
    settle(win)
    assert "第32项：市财政局 待确认 → 落实" in dlg.changes.toPlainText()
    assert role_cell(win, 32) == "落实"  # the window re-read the assignments
    assert win.filters.count_of("pending") == 3


def test_unit_editor_add_rename_alias_and_retire(open_window):
    win = open_window()
    win.act_units.trigger()
    dlg = find_dialog(UnitEditorDialog)
    n = len(dlg.units)
    click(dlg.new_button)
    type_into(dlg.full_name, "东莞市数据资源中心")
    type_into(dlg.short_name, "市数据中心")
    type_into(dlg.aliases, "数据中心")
    choose(dlg.kind, "市直单位")
    choose(dlg.has_admin, "否")
    click(dlg.save_button)
    settle(win)
    assert len(dlg.units) == n + 1
    assert dlg.current.short_name == "市数据中心" and dlg.current.has_admin is False
    # a municipal unit without administrative functions: 市直各单位 (19, 20) and the vague mentions
    assert "第19项：市数据中心 无 → 落实" in dlg.changes.toPlainText()
    assert "第18项：市数据中心 无 → 待确认" in dlg.changes.toPlainText()
    assert "第9项" not in dlg.changes.toPlainText()  # 具有行政职能的…: not this one

    # rename: the old full name stays an alias by default
    type_into(dlg.full_name, "东莞市政务数据资源中心")
    assert dlg.keep_old_name.isVisibleTo(dlg)
    click(dlg.save_button)
    settle(win)
    assert dlg.current.full_name == "东莞市政务数据资源中心"
    assert "东莞市数据资源中心" in dlg.current.aliases and "数据中心" in dlg.current.aliases

    # a name another unit already has is refused, and the form keeps the text
    type_into(dlg.aliases, "市财政局")
    click(dlg.save_button)
    settle(win)
    assert "与“东莞市财政局”的名称相同" in dlg.error.text()
    assert dlg.aliases.toPlainText() == "市财政局"

    # retire and restore
    pick_unit(dlg, "市财政局")
    click(dlg.retire_button)
    settle(win)
    assert dlg.current.retired and dlg.retire_button.text() == "恢复单位"
    text = dlg.changes.toPlainText()
    # a retired unit leaves the groups (各镇街、市直各单位…); where a task names it, it stays
    assert "第1项：市财政局 落实 → 无" in text and "第9项" not in text
    changed = int(text.split("已保存。")[1].split(" 处")[0])
    assert win.filters.count_of("mine") == 40 - changed and win.filters.count_of("lead") == 3
    click(dlg.retire_button)
    settle(win)
    assert not dlg.current.retired
    assert "第1项：市财政局 无 → 落实" in dlg.changes.toPlainText()
    assert win.filters.count_of("mine") == 40
