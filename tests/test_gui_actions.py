"""Progress records and evidence files in the window: add, edit (with
history), delete and restore; attach by dialog and by drop; open, remove and
restore files; a cancelled copy leaves nothing."""

from __future__ import annotations

import re
import threading
import time

from PySide6.QtCore import QDate, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from core.errors import StoreError
from core.ledger import Ledger
from gui.detail.timeline import KIND_ACTION, KIND_FILE
from gui.dialogs.action import ActionDialog, HistoryDialog
from gui.dialogs.recycle import RecycleBinDialog
from gui.errors import ErrorDialog
from gui.ops import OpChanges, Written
from gui.tasks.model import COL
from tests.conftest import (
    click,
    click_row,
    find_dialog,
    gone,
    select_task,
    settle,
    type_into,
    wait_until,
)


# The window's own methods these tests call, each in one place.
def current_task(win):
    return win.current_task()


def new_action(win) -> None:
    """What 新增进展 does (its button and menu item are disabled for the task under test)."""
    win.tasks.new_action()


def attach(win, paths, task_id=None) -> None:
    win.files.attach_files(paths, task_id=task_id)


def task_menu(win):
    return win.tasks.menu()


def write(win, fn) -> None:
    """``fn(ledger)`` on the worker as a write that changes everything; waits for the refresh."""
    win.runner.write(lambda led: Written(OpChanges.all(), fn(led))).run()
    settle(win)


def cell(win, number: int, column: str):
    row = next(i for i, t in enumerate(win.model.tasks) if t.number == number)
    return win.model.index(row, COL[column]).data()


def timeline_items(win) -> list[tuple[str, str, list[str]]]:
    """(kind, first column, [children's first column]) for each top-level item."""
    tl = win.detail.timeline
    out = []
    for i in range(tl.topLevelItemCount()):
        item = tl.topLevelItem(i)
        kind = (item.data(0, Qt.ItemDataRole.UserRole) or (None, None))[0]
        out.append((kind, item.text(0), [item.child(j).text(1) for j in range(item.childCount())]))
    return out


def add_action_via_dialog(win, content: str, day: QDate | None = None, link: str = ""):
    win.act_new_action.trigger()
    dlg = find_dialog(ActionDialog)
    type_into(dlg.content, content)
    if day is not None:
        dlg.date.setDate(day)  # (QTest cannot type into a QDateEdit's sections reliably)
    type_into(dlg.link, link)
    click(dlg.ok_button)
    settle(win)
    return dlg


def click_item(tree, item) -> None:
    """Click a timeline (tree) item."""
    tree.scrollToItem(item)
    click(tree.viewport(), tree.visualItemRect(item).center())


def restore_first(win, tab: int) -> None:
    """In the 回收站: the tab (0 records, 1 files), its first row, 恢复."""
    bin_ = find_dialog(RecycleBinDialog)
    bar = bin_.tabs.tabBar()
    click(bar, bar.tabRect(tab).center())
    table = bin_.actions if tab == 0 else bin_.files
    click_row(table, table.model().index(0, 0))
    click(bin_.restore_button)
    settle(win)


def drop_files(widget, point, paths) -> bool:
    """A drag from the file manager: enter, move, drop (Qt delivers a drop only
    to the widget that accepted the drag)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    rest = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(point, *rest)  # drag events take a QPoint, drops a QPointF
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(point, *rest)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(point), *rest)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def test_add_edit_delete_and_restore_an_action(open_window):
    win = open_window()
    select_task(win, 9)
    win.act_new_action.trigger()
    dlg = find_dialog(ActionDialog)
    assert dlg.windowTitle() == "新增进展记录"
    assert dlg.date.date() == QDate(2021, 12, 10)  # today
    assert dlg.date.displayFormat() == "yyyy-MM-dd"
    assert dlg.handler.text() == "张三"  # the current handler
    type_into(dlg.content, "在财政局门户网站公开2021年地方政府债务限额、余额情况")
    dlg.date.setDate(QDate(2021, 9, 15))  # (QTest cannot type into a QDateEdit's sections reliably)
    type_into(dlg.link, "http://czj.dg.gov.cn/zwgk/zfzw/")
    click(dlg.ok_button)
    settle(win)
    assert gone(dlg)
    items = timeline_items(win)
    assert items[0][:2] == (KIND_ACTION, "2021年9月15日")
    assert "地方政府债务限额" in cell(win, 9, "last")
    assert current_task(win).action_count == 1
    assert win.detail.timeline.selected_key()[0] == KIND_ACTION  # the new action is selected

    # edit: the earlier version is kept and viewable
    click(win.detail.edit_button)
    edit = find_dialog(ActionDialog)
    assert edit.windowTitle() == "修改进展记录" and "债务限额" in edit.content.toPlainText()
    type_into(edit.content, "在财政局门户网站公开2021年地方政府债务限额、余额、发行等情况")
    click(edit.ok_button)
    settle(win)
    assert "发行" in cell(win, 9, "last")
    assert win.detail.history_button.isEnabled()
    click(win.detail.history_button)
    hist = find_dialog(HistoryDialog)
    assert hist.table.rowCount() == 2
    assert "发行" in hist.table.item(0, 2).text() and "发行" not in hist.table.item(1, 2).text()
    hist.close()

    # delete: to the 回收站, and back
    click(win.detail.delete_button)
    settle(win)
    assert [k for k, _, _ in timeline_items(win)] == [None]  # only the "no records yet" hint
    assert cell(win, 9, "last") == ""
    win.act_recycle.trigger()
    settle(win)
    bin_ = find_dialog(RecycleBinDialog)
    assert bin_.actions.rowCount() == 1 and "发行" in bin_.actions.item(0, 2).text()
    assert bin_.actions.item(0, 0).text() == "第9项"
    restore_first(win, 0)
    assert bin_.actions.rowCount() == 0
    assert "发行" in cell(win, 9, "last")
    assert timeline_items(win)[0][0] == KIND_ACTION


def test_a_failed_save_keeps_what_was_typed(open_window, monkeypatch):
    win = open_window()
    select_task(win, 10)

    def full_disk(*a, **k):
        raise StoreError("数据盘空间已满，未保存。")

    monkeypatch.setattr(Ledger, "add_action", full_disk)
    dlg = add_action_via_dialog(win, "公开惠民惠农补贴发放信息")
    assert dlg.isVisible() and dlg.ok_button.isEnabled()
    assert dlg.content.toPlainText() == "公开惠民惠农补贴发放信息"
    assert dlg.error.isVisibleTo(dlg) and "空间已满" in dlg.error.text()
    monkeypatch.undo()
    click(dlg.ok_button)  # saved once the disk has room
    settle(win)
    assert gone(dlg)
    assert "补贴" in cell(win, 10, "last")


def test_an_unexpected_error_is_logged_and_shown_with_details(open_window, monkeypatch):
    win = open_window()
    select_task(win, 10)

    def broken(*a, **k):
        raise RuntimeError("意外的内部错误")

    monkeypatch.setattr(Ledger, "add_action", broken)
    dlg = add_action_via_dialog(win, "这段文字不会丢")
    assert dlg.isVisible() and dlg.content.toPlainText() == "这段文字不会丢"
    err = find_dialog(ErrorDialog)
    assert err is not None and err.isVisible()
    assert "RuntimeError" in err.details.toPlainText() and "意外的内部错误" in err.details.toPlainText()
    click(err.copy_button)
    assert "RuntimeError" in QApplication.clipboard().text()
    log = (win.folder.root / "logs" / "taizhang.log").read_text(encoding="utf-8")
    assert "RuntimeError: 意外的内部错误" in log
    err.close()


def test_empty_content_is_refused_in_the_dialog(open_window, qtbot):
    win = open_window()
    select_task(win, 9)
    dlg = add_action_via_dialog(win, "   ")
    assert dlg.isVisible() and "请填写进展内容" in dlg.error.text()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert gone(dlg)


def test_related_task_must_be_confirmed_before_recording(open_window, message_boxes):
    win = open_window()
    select_task(win, 18)  # 待确认
    assert not win.act_new_action.isEnabled()
    new_action(win)
    assert any("不是本单位的任务" in t and "本单位负责" in t for t in message_boxes.texts())


def test_attach_through_the_file_dialog_open_and_remove(open_window, tmp_path, file_dialogs, monkeypatch):
    win = open_window()
    select_task(win, 9)
    report = tmp_path / "2021年债务信息公开截图.png"
    report.write_bytes(b"\x89PNG fake image" * 100)
    file_dialogs.open_names = [str(report)]
    win.act_attach.trigger()
    settle(win)
    items = timeline_items(win)
    assert items[-1][1] == "任务佐证材料" and items[-1][2] == ["2021年债务信息公开截图.png"]
    assert cell(win, 9, "files") == "1"
    file_item = win.detail.timeline.topLevelItem(len(items) - 1).child(0)
    assert file_item.text(2) == "1.5 KB"  # name, size and the day it was added
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", file_item.text(0))

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    click_item(win.detail.timeline, file_item)
    click(win.detail.open_button)
    settle(win)
    assert len(opened) == 1
    path = opened[0].toLocalFile()
    assert path.endswith("2021年债务信息公开截图.png") and open(path, "rb").read() == report.read_bytes()

    click(win.detail.remove_button)
    settle(win)
    assert cell(win, 9, "files") == ""
    win.act_recycle.trigger()
    settle(win)
    bin_ = find_dialog(RecycleBinDialog)
    assert bin_.files.rowCount() == 1 and bin_.files.item(0, 1).text() == report.name
    restore_first(win, 1)
    assert cell(win, 9, "files") == "1"


def test_attach_to_an_action_through_the_dialog(open_window, tmp_path, file_dialogs):
    win = open_window()
    select_task(win, 10)
    add_action_via_dialog(win, "发布补贴资金发放公告")
    doc = tmp_path / "补贴发放公告.pdf"
    doc.write_bytes(b"%PDF-1.4 fake")
    file_dialogs.open_names = [str(doc)]
    assert win.detail.timeline.selected_key()[0] == KIND_ACTION
    click(win.detail.attach_button)
    settle(win)
    items = timeline_items(win)
    assert items[0][0] == KIND_ACTION and items[0][2] == ["补贴发放公告.pdf"]


def test_attach_by_dropping_files_on_a_table_row(open_window, tmp_path):
    win = open_window()
    select_task(win, 9)
    files = [tmp_path / "会议纪要.docx", tmp_path / "公开页面.png"]
    for f in files:
        f.write_bytes(f.name.encode("utf-8") * 50)
    row = next(r for r in range(win.proxy.rowCount()) if win.proxy.task_at(r).number == 11)
    rect = win.table.visualRect(win.proxy.index(row, COL["text"]))
    assert drop_files(win.table.viewport(), rect.center(), files)
    settle(win)
    assert current_task(win).number == 11  # the task dropped on
    assert cell(win, 11, "files") == "2"
    assert sorted(timeline_items(win)[-1][2]) == ["会议纪要.docx", "公开页面.png"]
    assert cell(win, 9, "files") == ""


def test_attach_by_dropping_a_file_on_an_action(open_window, tmp_path):
    win = open_window()
    select_task(win, 10)
    add_action_via_dialog(win, "第一次进展", QDate(2021, 8, 1))
    add_action_via_dialog(win, "第二次进展", QDate(2021, 11, 1))
    shot = tmp_path / "截图.jpg"
    shot.write_bytes(b"jpeg" * 10)
    tl = win.detail.timeline
    older = tl.topLevelItem(1)  # newest first
    assert older.text(1) == "第一次进展"
    assert drop_files(tl.viewport(), tl.visualItemRect(older).center(), [shot])
    settle(win)
    items = timeline_items(win)
    assert items[1][2] == ["截图.jpg"] and items[0][2] == []


def test_drop_on_an_unassigned_task_is_refused(open_window, tmp_path, message_boxes):
    win = open_window()
    win.filters.set_quick("plan")
    settle(win)
    f = tmp_path / "x.txt"
    f.write_text("x")
    attach(win, [f], task_id=next(t.id for t in win.model.tasks if t.number == 28))
    assert any("不是本单位的任务" in t for t in message_boxes.texts())


def test_a_large_copy_shows_progress_and_cancelling_leaves_nothing(open_window, tmp_path, monkeypatch, file_dialogs):
    import core.attachments
    from gui.ops import Job

    monkeypatch.setattr(core.attachments, "CHUNK", 64 * 1024)
    big = tmp_path / "全年工作视频.mp4"
    big.write_bytes(b"\0" * (4 * 1024 * 1024))
    gate = threading.Event()
    real_progress = Job.progress

    def held(self, done, total):
        real_progress(self, done, total)
        gate.wait(10)  # hold the copy until the test has pressed 取消

    monkeypatch.setattr(Job, "progress", held)
    win = open_window()
    select_task(win, 9)
    file_dialogs.open_names = [str(big)]
    win.act_attach.trigger()
    dialogs = []

    def visible_dialog():
        dialogs[:] = [d for d in win.findChildren(QProgressDialog) if d.isVisible()]
        return bool(dialogs)

    wait_until(visible_dialog, 10000)  # the progress dialog appears after half a second
    assert "全年工作视频.mp4" in dialogs[0].labelText()
    cancel = dialogs[0].findChild(QPushButton)
    assert cancel.text() == "取消"
    cancel.click()
    gate.set()
    settle(win)
    assert "已取消" in win.statusBar().currentMessage()
    blobs = [p for p in (win.folder.root / "attachments").rglob("*") if p.is_file()]
    assert blobs == []
    assert cell(win, 9, "files") == ""


def test_timeline_shows_files_under_their_action(open_window, tmp_path):
    win = open_window()
    select_task(win, 9)
    unit, tid = win.unit.id, current_task(win).id
    a = tmp_path / "a.pdf"
    a.write_bytes(b"a")

    def fill(led):
        act = led.add_action(unit, tid, "公开债务限额", "2021-07-01")
        led.attach_file(unit, tid, a, action_id=act["id"])
        led.add_action(unit, tid, "公开债务余额", "2021-10-01")

    write(win, fill)
    items = timeline_items(win)
    assert [(k, t) for k, t, _ in items] == [(KIND_ACTION, "2021年10月1日"), (KIND_ACTION, "2021年7月1日")]
    assert items[1][2] == ["a.pdf"]
    child = win.detail.timeline.topLevelItem(1).child(0)
    assert child.data(0, Qt.ItemDataRole.UserRole)[0] == KIND_FILE


def test_long_records_wrap_in_the_timeline(qapp):
    from PySide6.QtGui import QFontMetrics

    from gui.detail.timeline import wrap_text

    fm = QFontMetrics(qapp.font())
    text = "在局门户网站“政府债务”专栏公开2021年全市地方政府债务限额、余额情况。同步在“粤财通”公开。"
    width = fm.horizontalAdvance("在局门户网站“政府债务”专栏")
    wrapped = wrap_text(text, fm, width)
    lines = wrapped.split("\n")
    assert len(lines) > 2 and "".join(lines) == text
    assert all(fm.horizontalAdvance(line) <= width for line in lines)  # as Qt measures the whole line
    assert not any(line.startswith(("、", "，", "。")) for line in lines)
    assert "2021" in wrapped  # a number is not split


def test_a_record_wraps_again_to_a_narrower_timeline(open_window):
    win = open_window()
    select_task(win, 9)
    text = "在局门户网站“政府债务”专栏公开2021年全市地方政府债务限额、余额情况。"
    unit_id, task_id = win.unit.id, win.current_task_id()
    write(win, lambda led: led.add_action(unit_id, task_id, text, "2021-09-01"))
    tl = win.detail.timeline
    wait_until(lambda: tl.topLevelItemCount() >= 1 and tl.topLevelItem(0).data(1, Qt.ItemDataRole.UserRole) == text)

    def lines() -> list[str]:
        return tl.topLevelItem(0).text(1).split("\n")

    wide = len(lines())
    sizes = win.splitter.sizes()
    win.splitter.setSizes([sizes[0], sizes[1] + sizes[2] // 3, sizes[2] - sizes[2] // 3])  # the detail narrower
    wait_until(lambda: len(lines()) > wide)
    fm = tl.fontMetrics()
    assert "".join(lines()) == text
    assert all(fm.horizontalAdvance(line) <= tl.columnWidth(1) - 12 for line in lines())


def test_context_menus_and_the_delete_key(open_window, qtbot):
    win = open_window()
    select_task(win, 18)  # 待确认
    labels = [a.text() for a in task_menu(win).actions()]
    assert labels[:3] == ["新增进展…", "添加佐证材料…", "状态"] and "本单位负责" in labels and "与本单位无关" in labels
    select_task(win, 9)
    add_action_via_dialog(win, "要删除的记录")
    menu = win.detail.timeline_menu()
    enabled = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert enabled["修改"] and enabled["删除"] and not enabled["打开"]
    win.activateWindow()
    win.detail.timeline.setFocus()
    qtbot.waitUntil(win.detail.timeline.hasFocus, timeout=2000)
    qtbot.keyClick(win.detail.timeline, Qt.Key.Key_Delete)
    settle(win)
    assert cell(win, 9, "last") == ""


def test_closing_cancels_a_running_copy(open_window, tmp_path, monkeypatch, file_dialogs):
    import core.attachments
    from gui.app import stop
    from gui.ops import Job

    monkeypatch.setattr(core.attachments, "CHUNK", 64 * 1024)
    big = tmp_path / "大文件.bin"
    big.write_bytes(b"\0" * (2 * 1024 * 1024))
    started = threading.Event()
    real_progress = Job.progress

    def slow(self, done, total):
        real_progress(self, done, total)
        started.set()
        time.sleep(0.02)

    monkeypatch.setattr(Job, "progress", slow)
    win = open_window()
    select_task(win, 9)
    file_dialogs.open_names = [str(big)]
    win.act_attach.trigger()
    assert started.wait(10)
    t = time.monotonic()
    win.close()
    stop(win)
    assert time.monotonic() - t < 5
    assert [p for p in (win.folder.root / "attachments").rglob("*") if p.is_file()] == []


def test_old_viewer_copies_are_cleaned(tmp_path):
    import os

    from core.datafolder import DataFolder
    from gui.attachments import clean_viewer_copies

    folder = DataFolder(tmp_path)
    old = folder.open_copies / "a1" / "旧文件.pdf"
    new = folder.previews / "报表.pdf"
    for p in (old, new):
        p.parent.mkdir(parents=True)
        p.write_bytes(b"x")
    os.utime(old, (time.time() - 5 * 86400,) * 2)
    assert clean_viewer_copies(folder) == 1
    assert not old.exists() and not old.parent.exists() and new.exists()
