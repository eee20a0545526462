"""Keeping the year from the window: 备份到…, 从备份恢复… (the current data kept
aside), 清空回收站, and a damaged store shown read-only."""

from __future__ import annotations

import shutil
import zipfile

from PySide6.QtWidgets import QMessageBox

from gui.ops import OpChanges, Written
from tests.conftest import select_task, settle, wait_until
from tests.test_backup import corrupt


def add_record(win, text: str, day: str = "2021-09-01") -> None:
    unit_id, task_id = win.unit.id, win.current_task_id()
    win.runner.write(lambda led: Written(OpChanges.of_task(task_id),
                                         led.add_action(unit_id, task_id, text, day))).run()
    settle(win)


def test_backup_then_restore_brings_the_year_back_and_keeps_the_rest(open_window, file_dialogs, message_boxes,
                                                                     tmp_path):
    win = open_window(unit="虎门")
    select_task(win, 9)
    add_record(win, "在镇政府网站公开本级预算。")
    usb = tmp_path / "U盘"
    usb.mkdir()
    file_dialogs.save_name = str(usb / "台账备份")
    win.act_backup.trigger()
    settle(win)
    archive = usb / "台账备份.zip"
    assert zipfile.is_zipfile(archive)
    assert any(str(archive) in t and "已核对无误" in t for t in message_boxes.texts("information"))

    add_record(win, "这条记录在备份之后，恢复后不应在。", "2021-10-01")
    wait_until(lambda: len(win.detail.actions) == 2)

    file_dialogs.open_name = str(archive)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    win.act_restore.trigger()
    settle(win)
    wait_until(lambda: win.detail.task is not None and len(win.detail.actions) == 1)
    assert [a["content"] for a in win.detail.actions] == ["在镇政府网站公开本级预算。"]
    assert any("已从备份恢复" in t for t in message_boxes.texts("information"))
    kept = [p for p in (win.folder.backups).glob("before-restore-*") if p.is_dir()]
    assert len(kept) == 1 and (kept[0] / "taizhang.db").is_file()  # the data before the restore, kept


def test_empty_the_recycle_bin_after_asking(open_window, message_boxes):
    win = open_window(unit="虎门")
    select_task(win, 9)
    add_record(win, "要删除的记录。")
    action_id = win.detail.actions[0]["id"]
    win.tasks.delete_action(action_id)  # the fixture answers 是 to "删除这条进展记录吗？"
    settle(win)
    win.act_recycle.trigger()
    settle(win)
    bin_dialog = win.recycle_bin.dialog
    assert bin_dialog.actions.rowCount() == 1

    message_boxes.answer = QMessageBox.StandardButton.No
    bin_dialog.empty_button.click()
    settle(win)
    assert bin_dialog.actions.rowCount() == 1  # 否: nothing removed

    message_boxes.answer = QMessageBox.StandardButton.Yes
    bin_dialog.empty_button.click()
    settle(win)
    wait_until(lambda: bin_dialog.actions.rowCount() == 0)
    assert "回收站已清空：1 项" in win.statusBar().currentMessage()


def test_a_damaged_store_is_shown_read_only(open_window, _store_templates, message_boxes, tmp_path):
    folder = tmp_path / "damaged"
    shutil.copytree(_store_templates("虎门"), folder)
    corrupt(folder / "taizhang.db")
    win = open_window(data_dir=folder)
    wait_until(lambda: win.unit is not None)
    assert any("已损坏" in t and "backups" in t for t in message_boxes.texts("warning"))
    assert win.windowTitle().endswith("（只读）")
    assert not win.act_new_action.isEnabled() and not win.act_identity.isEnabled()
    assert not win.package_export.action.isEnabled() and not win.plan_life.menu.menuAction().isEnabled()
    assert win.current_task() is not None
    assert not next(a for a in win.tasks.menu().actions() if a.text() == "状态").isEnabled()  # the right-click too
    assert win.act_backup.isEnabled()  # what is there can still be saved elsewhere


def test_restoring_a_damaged_store_from_a_backup_makes_it_writable_again(open_window, _store_templates,
                                                                        file_dialogs, message_boxes, tmp_path):
    from core.backup import write_archive
    from core.ledger import Ledger

    folder = tmp_path / "damaged"
    shutil.copytree(_store_templates("虎门"), folder)
    led = Ledger.open(folder)
    write_archive(led, tmp_path / "好的备份.zip")  # made while the store was sound
    led.close()
    corrupt(folder / "taizhang.db")
    win = open_window(data_dir=folder)
    wait_until(lambda: win.unit is not None)
    assert win.windowTitle().endswith("（只读）") and not win.act_identity.isEnabled()

    file_dialogs.open_name = str(tmp_path / "好的备份.zip")
    message_boxes.answer = QMessageBox.StandardButton.Yes
    win.act_restore.trigger()
    settle(win)
    wait_until(lambda: any("已从备份恢复" in t for t in message_boxes.texts("information")))
    settle(win)
    assert not win.windowTitle().endswith("（只读）")
    assert win.act_identity.isEnabled() and win.package_export.action.isEnabled()
    select_task(win, 9)
    add_record(win, "恢复之后可以记录了。")
    wait_until(lambda: [a["content"] for a in win.detail.actions] == ["恢复之后可以记录了。"])
