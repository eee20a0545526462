"""A plan's life from the window (文件 → 方案管理): correct its title, replace it by
a corrected file with the clerk's records kept, remove it and bring it back."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from gui.dialogs.plan_edit import PlanEditDialog
from gui.ops import OpChanges, Written
from tests.conftest import (
    SEED,
    click,
    find_dialog,
    select_task,
    settle,
    type_into,
    wait_until,
)


def test_edit_replace_remove_and_restore_a_plan(open_window, file_dialogs, message_boxes, tmp_path):
    win = open_window(unit="虎门")
    select_task(win, 9)
    unit_id, task_id = win.unit.id, win.current_task_id()
    win.runner.write(lambda led: Written(OpChanges.of_task(task_id), led.add_action(
        unit_id, task_id, "在镇政府网站公开本级预算。", "2021-09-01"))).run()
    settle(win)

    # 修改当前方案的标题
    win.plan_life.edit()
    dlg = find_dialog(PlanEditDialog)
    type_into(dlg.title, "东莞市2021年政务公开工作要点分工方案（更正）")
    click(dlg.ok_button)
    settle(win)
    wait_until(lambda: win.plan["title"] == "东莞市2021年政务公开工作要点分工方案（更正）")

    # a corrected file: task 2's wording changed; the record on task 9 must follow its task
    corrected = tmp_path / "更正后的方案.txt"
    corrected.write_text(SEED.read_text(encoding="utf-8").replace(
        "2021年底前制定或完善本单位政务公开工作相关制度", "2021年底前制定或修订本单位政务公开工作相关制度"),
        encoding="utf-8")
    file_dialogs.open_name = str(corrected)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    win.plan_life.replace()
    settle(win)
    question = message_boxes.texts("question")[-1]
    assert "1 项修改或重新编号" in question and "0 项在新方案中没有" in question
    wait_until(lambda: win.plan is not None and win.plan["title"].startswith("东莞市贯彻落实"))
    select_task(win, 9)
    wait_until(lambda: [a["content"] for a in win.detail.actions] == ["在镇政府网站公开本级预算。"])

    # the old plan is in the 回收站 and comes back from 恢复已删除的方案
    assert win.plan_life.back.isEnabled() and len(win.plan_life.back.actions()) == 1
    win.plan_life.back.actions()[0].trigger()
    settle(win)
    wait_until(lambda: len(win.plans_menu.menu.actions()) == 2)

    # 删除当前方案: it goes to the 回收站 after the clerk says yes
    removed = win.plan["title"]
    win.plan_life.remove()
    settle(win)
    wait_until(lambda: win.plan["title"] != removed and len(win.plans_menu.menu.actions()) == 1)
    assert "移到回收站" in message_boxes.texts("question")[-1]
