"""Related tasks (待确认) and the unit-directory editor."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.ledger import RoleChange
from gui.dialogs.units import change_line, split_aliases
from gui.models import COL

FIN_RELATED = [18, 23, 32, 41]


def shown(win) -> list[int]:
    return sorted(win.proxy.visible_numbers())


def role_cell(win, number: int, role=Qt.ItemDataRole.DisplayRole):
    row = next(i for i, t in enumerate(win.model.tasks) if t.number == number)
    return win.model.index(row, COL["role"]).data(role)


def test_pending_related_tasks_are_marked(open_window):
    win = open_window()
    assert role_cell(win, 18) == "待确认"
    assert role_cell(win, 18, Qt.ItemDataRole.BackgroundRole) is not None
    win.select_number(18)
    d = win.detail
    assert d.pending_box.isVisibleTo(d) and "待确认" in d.pending_label.text()
    assert d.confirm_button.isVisibleTo(d) and d.dismiss_button.isVisibleTo(d)
    assert not d.undo_button.isVisibleTo(d)
    assert not d.state_box.isEnabled()  # confirm first


def test_confirm_dismiss_and_undo_a_related_task(open_window):
    win = open_window()
    win.select_number(18)
    d = win.detail
    d.confirm_button.click()
    assert role_cell(win, 18) == "相关（已确认）"
    assert win.filters.count_of("pending") == 3
    assert win.filters.count_of("implement") == 34  # 本单位负责: counted with 我落实
    assert d.undo_button.isVisibleTo(d) and "已确认" in d.pending_label.text()
    assert d.state_box.isEnabled() and win.act_new_action.isEnabled()
    d.undo_button.click()
    assert role_cell(win, 18) == "待确认" and win.filters.count_of("pending") == 4

    win.select_number(23)
    d.dismiss_button.click()
    assert win.filters.count_of("mine") == 39
    assert 23 not in shown(win)
    assert win.current_task().number != 23  # it left the view; another task is selected
    win.filters.set_quick("dismissed")
    assert shown(win) == [23]
    assert win.current_task().number == 23
    assert "已排除" in d.pending_label.text()
    d.undo_button.click()
    assert shown(win) == []
    win.filters.set_quick("pending")
    assert shown(win) == FIN_RELATED


def test_change_line_and_aliases():
    c = RoleChange("p", 32, "市财政局", "related", "implement")
    assert change_line(c) == "第32项：市财政局 待确认 → 落实"
    assert change_line(RoleChange("p", 5, "某局", None, "lead"), {"p": 2021, "q": 2022}) == "2021年方案第5项：某局 无 → 牵头"
    assert split_aliases("人社局\n市人社局、 人社 ,，") == ["人社局", "市人社局", "人社"]


def test_unit_editor_attribute_change_lists_role_changes(open_window):
    win = open_window()
    win.act_units.trigger()
    dlg = win.unit_dialog
    assert dlg.isVisible() and dlg.windowTitle() == "单位名录"
    dlg.search.setText("财政局")
    dlg.select("市财政局")
    assert dlg.full_name.text() == "东莞市财政局"
    assert dlg.has_website.currentText() == "未知"
    assert [dlg.has_website.itemText(i) for i in range(3)] == ["是", "否", "未知"]
    dlg.has_website.setCurrentText("是")  # 开设网站的市府直属各单位: 32 becomes the unit's own
    dlg.save_button.click()
    assert "第32项：市财政局 待确认 → 落实" in dlg.changes.toPlainText()
    assert role_cell(win, 32) == "落实"  # the window re-read the assignments
    assert win.filters.count_of("pending") == 3


def test_unit_editor_add_rename_alias_and_retire(open_window):
    win = open_window()
    win.act_units.trigger()
    dlg = win.unit_dialog
    n = len(dlg.units)
    dlg.new_button.click()
    dlg.full_name.setText("东莞市数据资源中心")
    dlg.short_name.setText("市数据中心")
    dlg.aliases.setPlainText("数据中心")
    dlg.kind.setCurrentText("市直单位")
    dlg.has_admin.setCurrentText("否")
    dlg.save_button.click()
    assert len(dlg.units) == n + 1
    assert dlg.current.short_name == "市数据中心" and dlg.current.has_admin is False
    # a municipal unit without administrative functions: 市直各单位 (19, 20) and the vague mentions
    assert "第19项：市数据中心 无 → 落实" in dlg.changes.toPlainText()
    assert "第18项：市数据中心 无 → 待确认" in dlg.changes.toPlainText()
    assert "第9项" not in dlg.changes.toPlainText()  # 具有行政职能的…: not this one

    # rename: the old full name stays an alias by default
    dlg.full_name.setText("东莞市政务数据资源中心")
    dlg.full_name.textEdited.emit("东莞市政务数据资源中心")
    assert dlg.keep_old_name.isVisibleTo(dlg)
    dlg.save_button.click()
    assert dlg.current.full_name == "东莞市政务数据资源中心"
    assert "东莞市数据资源中心" in dlg.current.aliases and "数据中心" in dlg.current.aliases

    # a name another unit already has is refused, and the form keeps the text
    dlg.aliases.setPlainText("市财政局")
    dlg.save_button.click()
    assert "与“东莞市财政局”的名称相同" in dlg.error.text()
    assert dlg.aliases.toPlainText() == "市财政局"

    # retire and restore
    dlg.select("市财政局")
    dlg.retire_button.click()
    assert dlg.current.retired and dlg.retire_button.text() == "恢复单位"
    text = dlg.changes.toPlainText()
    # a retired unit leaves the groups (各镇街、市直各单位…); where a task names it, it stays
    assert "第1项：市财政局 落实 → 无" in text and "第9项" not in text
    changed = int(text.split("已保存。")[1].split(" 处")[0])
    assert win.filters.count_of("mine") == 40 - changed and win.filters.count_of("lead") == 3
    dlg.retire_button.click()
    assert not dlg.current.retired
    assert "第1项：市财政局 无 → 落实" in dlg.changes.toPlainText()
    assert win.filters.count_of("mine") == 40
