"""The dialogs' editors driven by key presses: the date field, Esc with typed
text, the first-run dialog's reasons, the Chinese file dialogs, the title."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from core import APP_TITLE
from gui.dialogs.action import ActionDialog
from gui.dialogs.base import DISCARD_QUESTION, ask
from gui.dialogs.first_run import UnitChooserDialog
from gui.dialogs.report_texts import ReportTextsDialog
from gui.widgets.date_edit import CalendarPopup, DateEdit
from tests.conftest import (
    click,
    find_dialog,
    gone,
    select_task,
    settle,
    type_into,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def field(qtbot):
    """A date field in a window of its own, with a second field to Tab to."""
    host = QWidget()
    from PySide6.QtWidgets import QVBoxLayout

    lay = QVBoxLayout(host)
    edit = DateEdit(date(2021, 12, 10))
    other = QLineEdit()
    lay.addWidget(edit)
    lay.addWidget(other)
    qtbot.addWidget(host)
    host.show()
    host.activateWindow()
    edit.setFocus()
    QApplication.processEvents()
    yield edit
    host.close()


def leave(edit) -> None:
    """Editing ends as when the clerk presses Tab."""
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    QApplication.processEvents()


@pytest.mark.parametrize("typed", ["2021-06-30", "2021/6/30", "2021.6.30", "20210630", " 2021-6-30 "])
def test_a_date_typed_in_the_usual_forms(field, qtbot, typed):
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, typed)  # replaces the selection
    assert field.date() == QDate(2021, 6, 30)
    leave(field)
    assert field.text() == "2021-06-30" and field.is_valid() and field.problem() == ""


@pytest.mark.parametrize("typed", ["2021年6月30日", "２０２１－０６－３０", "２０２１年６月３０日", "２０２１０６３０"])
def test_a_date_typed_in_chinese_and_full_width_digits(field, typed):
    type_into(field, typed)
    leave(field)
    assert field.date() == QDate(2021, 6, 30) and field.text() == "2021-06-30"


def test_select_all_then_type_replaces_the_whole_date(field, qtbot):
    # QDateEdit: Ctrl+A then "2021-06-30" gave 2026-06-30, and "20210315" changed nothing
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2021-06-30")
    assert field.date() == QDate(2021, 6, 30)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "20210315")
    leave(field)
    assert field.date() == QDate(2021, 3, 15) and field.text() == "2021-03-15"


def test_the_whole_date_is_selected_on_focus(field, qtbot):
    leave(field)
    assert not field.hasFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    wait_until(lambda: field.hasFocus() and field.selectedText() == "2021-12-10")
    leave(field)
    click(field)  # a click selects all too, so typing replaces the date
    wait_until(lambda: field.hasFocus() and field.selectedText() == "2021-12-10")
    qtbot.keyClicks(field, "20220131")
    assert field.date() == QDate(2022, 1, 31)


def test_a_pasted_date(field):
    QApplication.clipboard().setText("2021年3月15日")
    if QApplication.clipboard().text() != "2021年3月15日":
        pytest.skip("no clipboard on this platform")
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "2021年3月15日"  # taken as pasted
    leave(field)
    assert field.date() == QDate(2021, 3, 15) and field.text() == "2021-03-15"


def test_an_unreadable_date_is_marked_and_kept(field, qtbot):
    changed = []
    field.dateChanged.connect(changed.append)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2021-13-01")
    assert field.styleSheet() == ""  # not red while typing
    leave(field)
    assert not field.is_valid() and field.value() is None
    assert field.text() == "2021-13-01"  # kept as typed, to be corrected
    assert "无效" in field.problem() and "无效" in field.toolTip() and field.styleSheet()
    assert field.date() == QDate(2021, 12, 10) and changed == []  # the last readable date
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2021-11-01")
    assert field.is_valid() and field.styleSheet() == "" and changed == [QDate(2021, 11, 1)]


def test_arrow_keys_move_the_date(field):
    QTest.keyClick(field, Qt.Key.Key_Up)
    assert field.date() == QDate(2021, 12, 11)
    QTest.keyClick(field, Qt.Key.Key_Down)
    QTest.keyClick(field, Qt.Key.Key_Down)
    assert field.date() == QDate(2021, 12, 9)
    QTest.keyClick(field, Qt.Key.Key_PageUp)
    assert field.date() == QDate(2022, 1, 9)
    QTest.keyClick(field, Qt.Key.Key_PageDown)
    QTest.keyClick(field, Qt.Key.Key_PageDown)
    assert field.date() == QDate(2021, 11, 9)


def test_the_calendar_by_keyboard(field):
    QTest.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field.popup
    wait_until(lambda: popup is not None and popup.isVisible())
    assert isinstance(popup, CalendarPopup) and popup.calendar.selectedDate() == QDate(2021, 12, 10)
    assert popup.calendar.findChild(QAbstractButton, "qt_calendar_prevmonth").toolTip() == "上个月"
    view = popup.calendar.findChild(QAbstractItemView)
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Down)  # a week later
    QTest.keyClick(view, Qt.Key.Key_Return)
    wait_until(lambda: not popup.isVisible())
    assert field.date() == QDate(2021, 12, 18) and field.text() == "2021-12-18"
    QTest.keyClick(field, Qt.Key.Key_F4)
    wait_until(popup.isVisible)
    QTest.keyClick(popup.calendar.findChild(QAbstractItemView), Qt.Key.Key_Escape)
    wait_until(lambda: not popup.isVisible())
    assert field.date() == QDate(2021, 12, 18)


def test_the_calendar_button_is_drawn_in_the_field_and_opens_the_calendar(field):
    from PySide6.QtWidgets import QToolButton

    button = next(b for b in field.findChildren(QToolButton) if b.defaultAction() is field.calendar_action)
    assert button.isVisible() and not button.icon().isNull()  # drawn when the field is first shown
    click(button)
    wait_until(lambda: field.popup is not None and field.popup.isVisible())
    QTest.keyClick(field.popup.calendar.findChild(QAbstractItemView), Qt.Key.Key_Escape)


# ---- the record dialog -------------------------------------------------------------


def test_a_record_dated_by_typing_through_the_window(open_window, qtbot):
    from tests.test_gui_actions import timeline_items

    win = open_window()
    select_task(win, 9)
    win.act_new_action.trigger()
    dlg = find_dialog(ActionDialog)
    type_into(dlg.content, "公开2021年预算")
    dlg.date.setFocus()
    wait_until(lambda: dlg.date.selectedText() == "2021-12-10")  # whole date selected on focus
    qtbot.keyClicks(dlg.date, "20210315")
    click(dlg.ok_button)
    settle(win)
    assert gone(dlg)
    assert timeline_items(win)[0][1] == "2021年3月15日"


def record_dialog(qtbot, content: str = "做了一件事"):
    """A new-record dialog of a 2021 plan on 2021-12-10, ``content`` typed;
    returns it and the list of values it submits."""
    dlg = ActionDialog("第9项", "张三", today=date(2021, 12, 10), plan_year=2021)
    qtbot.addWidget(dlg)
    dlg.show()
    sent = []
    dlg.submitted.connect(sent.append)
    if content:
        type_into(dlg.content, content)
    return dlg, sent


def test_a_record_with_an_unreadable_date_is_not_saved(qtbot, message_boxes):
    dlg, sent = record_dialog(qtbot)
    type_into(dlg.date, "2021年13月1日")
    click(dlg.ok_button)
    assert sent == [] and dlg.error.isVisible() and "无效" in dlg.error.text()
    assert dlg.focusWidget() is dlg.date


def test_the_record_date_starts_from_the_plan_year():
    assert ActionDialog("t", "张三", today=date(2021, 8, 3), plan_year=2021).date.date() == QDate(2021, 8, 3)
    assert ActionDialog("t", "张三", today=date(2026, 11, 28), plan_year=2021).date.date() == QDate(2021, 12, 31)
    assert ActionDialog("t", "张三", today=date(2020, 11, 28), plan_year=2021).date.date() == QDate(2021, 1, 1)
    assert ActionDialog("t", "张三", today=date(2026, 11, 28)).date.date() == QDate(2026, 11, 28)  # no plan
    old = {"action_date": "2021-05-06", "content": "x", "handler": "张三", "link": ""}
    assert ActionDialog("t", "张三", action=old, today=date(2026, 1, 1), plan_year=2021).date.date() \
        == QDate(2021, 5, 6)


def test_a_date_years_away_from_the_plan_asks_once(qtbot, message_boxes):
    dlg, sent = record_dialog(qtbot)
    type_into(dlg.date, "2012-06-30")  # 2021 typed as 2012
    message_boxes.answer = QMessageBox.StandardButton.No
    click(dlg.ok_button)
    assert sent == [] and dlg.isVisible()
    (question,) = message_boxes.texts("question")
    assert "2012" in question and "2021" in question
    assert dlg.focusWidget() is dlg.date and dlg.date.selectedText() == "2012-06-30"  # ready to be corrected
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(dlg.ok_button)
    assert len(message_boxes.texts("question")) == 2 and sent[0]["action_date"] == date(2012, 6, 30)
    dlg.failed()  # (the save failed: OK again does not ask again for the same date)
    click(dlg.ok_button)
    assert len(message_boxes.texts("question")) == 2 and len(sent) == 2
    dlg.failed()
    type_into(dlg.date, "2022-12-31")  # within a year of the plan: no question
    click(dlg.ok_button)
    assert len(message_boxes.texts("question")) == 2 and sent[-1]["action_date"] == date(2022, 12, 31)


# ---- Esc with typed text -------------------------------------------------------------


def test_esc_in_the_record_dialog_asks_before_discarding(open_window, qtbot, message_boxes):
    win = open_window()
    select_task(win, 9)
    win.act_new_action.trigger()
    dlg = find_dialog(ActionDialog)
    QTest.keyClick(dlg.content, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert gone(dlg) and message_boxes.texts("question") == []
    win.act_new_action.trigger()
    dlg = find_dialog(ActionDialog)
    type_into(dlg.content, "7月15日在门户网站公开")
    message_boxes.answer = QMessageBox.StandardButton.No  # 继续编辑
    QTest.keyClick(dlg.content, Qt.Key.Key_Escape)
    assert message_boxes.texts("question") == [DISCARD_QUESTION]
    assert dlg.isVisible() and dlg.content.toPlainText() == "7月15日在门户网站公开"
    message_boxes.answer = QMessageBox.StandardButton.Yes  # 放弃
    QTest.keyClick(dlg.content, Qt.Key.Key_Escape)
    assert gone(dlg) and len(message_boxes.texts("question")) == 2
    assert win.current_task().action_count == 0


def test_only_a_changed_date_counts_as_typed(qtbot, message_boxes):
    dlg, _ = record_dialog(qtbot, content="")
    type_into(dlg.date, "2021/12/10")  # the same date written otherwise
    QTest.keyClick(dlg.date, Qt.Key.Key_Escape)
    assert message_boxes.texts("question") == [DISCARD_QUESTION]  # the text differs: it asks
    dlg2, _ = record_dialog(qtbot, content="")
    type_into(dlg2.handler, "张三")  # typed, but as it was
    QTest.keyClick(dlg2.handler, Qt.Key.Key_Escape)
    assert not dlg2.isVisible() and len(message_boxes.texts("question")) == 1


def test_esc_in_the_report_texts_and_first_run_dialogs_asks(qtbot, message_boxes):
    texts = ReportTextsDialog({"summary": "已写的"}, "虎门镇", 2021)
    qtbot.addWidget(texts)
    texts.show()
    type_into(texts.edits["summary"], "领导高度重视", clear=False)
    message_boxes.answer = QMessageBox.StandardButton.No
    QTest.keyClick(texts.edits["summary"], Qt.Key.Key_Escape)
    assert texts.isVisible() and message_boxes.texts("question") == [DISCARD_QUESTION]
    texts.close()  # the window's close button asks too
    assert texts.isVisible() and len(message_boxes.texts("question")) == 2
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(texts.buttons.button(texts.buttons.StandardButton.Cancel))  # and 取消
    assert not texts.isVisible() and len(message_boxes.texts("question")) == 3

    from core.paths import resource_path
    from core.units import load_directory_file

    chooser = UnitChooserDialog(load_directory_file(resource_path("units.json")), None, "")
    qtbot.addWidget(chooser)
    chooser.show()
    type_into(chooser.handler, "王芳")
    message_boxes.answer = QMessageBox.StandardButton.No
    QTest.keyClick(chooser.handler, Qt.Key.Key_Escape)
    assert chooser.isVisible() and len(message_boxes.texts("question")) == 4


def test_the_discard_question_names_its_buttons(qapp):
    """A real box (no fixture): 放弃 / 继续编辑, Esc keeps editing."""
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append(sorted(b.text() for b in box.buttons()))
        seen.append(box.defaultButton().text())
        QTest.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(0, answer)
    assert ask(None, "新增进展记录", DISCARD_QUESTION, "放弃", "继续编辑") is False
    assert seen == [sorted(["放弃", "继续编辑"]), "继续编辑"]


# ---- the first-run dialog says why 开始使用 is grey ------------------------------------


def test_first_run_says_why_it_cannot_start_yet(open_window):
    open_window(unit=None)
    dlg = find_dialog(UnitChooserDialog)
    assert not dlg.ok_button.isEnabled()
    assert dlg.reason.isVisible() and dlg.reason.text() == "请在列表中选择本单位，并填写经办人姓名"
    type_into(dlg.search, "没有这个单位")
    assert dlg.reason.text() == "请换个名称查找本单位（没有找到），并填写经办人姓名"
    type_into(dlg.search, "虎门")  # one match: chosen
    assert dlg.reason.text() == "请填写经办人姓名" and dlg.ok_button.toolTip() == "请填写经办人姓名"
    type_into(dlg.handler, "王芳")
    assert dlg.reason.text() == "" and dlg.ok_button.isEnabled()
    type_into(dlg.search, "局")  # many matches, none chosen
    assert dlg.reason.text() == "请在列表中选择本单位" and not dlg.ok_button.isEnabled()
    QTest.keyClick(dlg.list, Qt.Key.Key_Down)
    assert dlg.reason.text() == "" and dlg.ok_button.isEnabled()


# ---- file dialogs in Chinese ------------------------------------------------------------

ENGLISH = ("Look in", "Files of type", "File name", "KiB", "Open", "Cancel", "Save", "Detail View", "List View",
           "Back", "Forward", "Parent Directory", "Create New Folder", "Folder", "Size", "Date Modified",
           "Name", "Type", "Directory", "Choose")


def texts_of(dlg: QWidget) -> set[str]:
    """Every text the dialog shows: labels, buttons, tooltips, combo items,
    the views' headers and cells, its actions (context menus)."""
    from PySide6.QtGui import QAction

    out = {dlg.windowTitle()}
    for w in dlg.findChildren(QWidget):
        out |= {w.toolTip(), w.accessibleName(), w.whatsThis()}
        if isinstance(w, (QLabel, QAbstractButton)):
            out.add(w.text())
        if isinstance(w, QComboBox):
            out |= {w.itemText(i) for i in range(w.count())}
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model, root = w.model(), w.rootIndex()
            for c in range(model.columnCount(root)):
                out.add(str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                for r in range(model.rowCount(root)):
                    out.add(str(model.index(r, c, root).data() or ""))
    out |= {a.text() for a in dlg.findChildren(QAction)} | {a.toolTip() for a in dlg.findChildren(QAction)}
    return {t for t in out if t}


@pytest.fixture
def folder_with_files(tmp_path) -> Path:
    folder = tmp_path / "材料"
    (folder / "子文件夹").mkdir(parents=True)
    (folder / "通知.pdf").write_bytes(b"%PDF" + b"0" * 300_000)
    (folder / "说明.txt").write_text("x", encoding="utf-8")
    return folder


@pytest.mark.parametrize("mode", ["open", "open_many", "save", "folder"])
def test_the_file_dialog_is_chinese(qtbot, folder_with_files, mode):
    from gui.file_dialogs import make_dialog

    where = folder_with_files / "自查报告.pdf" if mode == "save" else folder_with_files
    dlg = make_dialog(None, "选择文件", str(where), "PDF 文件 (*.pdf);;所有文件 (*)", mode=mode)
    qtbot.addWidget(dlg)
    dlg.show()
    view = dlg.findChild(QAbstractItemView, "treeView")

    def listed():
        return view.model().rowCount(view.rootIndex()) >= (1 if mode == "folder" else 2)

    wait_until(listed)
    texts = texts_of(dlg)
    english = [t for t in texts if any(word.lower() in t.lower() for word in ENGLISH)]
    assert english == [], english
    assert {"查找范围：", "文件类型：", "取消", "名称", "大小", "修改日期"} <= texts
    assert {"open": "打开", "open_many": "打开", "save": "保存", "folder": "选择文件夹"}[mode] in texts
    model, root = view.model(), view.rootIndex()
    rows = {model.index(r, 0, root).data(): [model.index(r, c, root).data() for c in range(4)]
            for r in range(model.rowCount(root))}
    if mode != "folder":
        assert rows["通知.pdf"][1] == "293 KB"
    assert rows["子文件夹"][1] == "" and rows["子文件夹"][2] == "文件夹"
    assert all(len(r[3]) == 16 and r[3][4] == "-" and r[3][7] == "-" for r in rows.values())  # 2026-11-28 13:02
    if mode == "save":
        assert dlg.defaultSuffix() == "pdf"
        assert dlg.findChild(QLineEdit, "fileNameEdit").text() == "自查报告.pdf"


def test_the_helpers_run_the_chinese_dialog_and_return_like_the_statics(qapp, folder_with_files):
    from gui import file_dialogs

    def answer(name: str):
        def go():
            dlg = QApplication.activeModalWidget()
            if not isinstance(dlg, QFileDialog):
                QTimer.singleShot(10, go)
                return
            try:
                seen.append(dlg.labelText(QFileDialog.DialogLabel.LookIn))
                edit = dlg.findChild(QLineEdit, "fileNameEdit")
                if name.startswith('"'):
                    edit.setText(name)  # (the completer eats a typed leading quote)
                elif name:
                    type_into(edit, name)
                QTest.keyClick(edit, Qt.Key.Key_Return if name else Qt.Key.Key_Escape)
            finally:
                if dlg.isVisible():
                    dlg.reject()
        QTimer.singleShot(0, go)

    seen = []
    assert not file_dialogs.native()
    answer("通知.pdf")
    assert file_dialogs.open_file(None, "选择", str(folder_with_files), "PDF 文件 (*.pdf)") \
        == (str(folder_with_files / "通知.pdf"), "PDF 文件 (*.pdf)")
    answer('"通知.pdf" "说明.txt"')
    names, _ = file_dialogs.open_files(None, "选择", str(folder_with_files), "所有文件 (*)")
    assert sorted(names) == sorted(str(folder_with_files / n) for n in ("通知.pdf", "说明.txt"))
    answer("")
    assert file_dialogs.open_files(None, "选择", str(folder_with_files)) == ([], "")
    answer("报告")
    assert file_dialogs.save_file(None, "保存", str(folder_with_files / "x.pdf"), "PDF 文件 (*.pdf)")[0] \
        == str(folder_with_files / "报告.pdf")  # the filter's suffix added
    answer("子文件夹")
    assert file_dialogs.choose_folder(None, "选择文件夹", str(folder_with_files)) == str(folder_with_files / "子文件夹")
    assert seen == ["查找范围："] * 5


def test_the_tests_answer_the_helpers_like_the_statics(file_dialogs):
    from gui import file_dialogs as helpers

    assert helpers.USE_STATICS
    file_dialogs.open_names = ["/tmp/a.pdf"]
    file_dialogs.save_name = "/tmp/b.pdf"
    assert helpers.open_files(None, "选", "/tmp")[0] == ["/tmp/a.pdf"]
    assert helpers.save_file(None, "存", "/tmp/x.pdf")[0] == "/tmp/b.pdf"
    assert [a[0] for a in file_dialogs.asked] == ["open_names", "save_name"]


# ---- one title ---------------------------------------------------------------------------


def test_the_title_names_the_program_once(open_window):
    win = open_window(unit="虎门")
    assert win.windowTitle() == f"{APP_TITLE} — 虎门镇"
    # Qt appends a display name to every window title on xcb and Windows
    assert QApplication.applicationDisplayName() != APP_TITLE


@pytest.mark.skipif(not (shutil.which("xvfb-run") and shutil.which("xprop")), reason="needs xvfb-run and xprop")
def test_the_title_on_x11_names_the_program_once(tmp_path):
    script = tmp_path / "title.py"
    script.write_text(
        "import subprocess\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QMainWindow\n"
        "from gui.app import ensure_app\n"
        "app = ensure_app()\n"
        "w = QMainWindow(); w.setWindowTitle('政务公开工作台账 — 虎门镇'); w.show()\n"
        "def look():\n"
        "    print(subprocess.run(['xprop', '-id', str(int(w.winId())), '_NET_WM_NAME'],\n"
        "                         capture_output=True, text=True).stdout)\n"
        "    app.quit()\n"
        "QTimer.singleShot(300, look)\n"
        "app.exec()\n", encoding="utf-8")
    env = {k: v for k, v in __import__("os").environ.items() if k != "QT_QPA_PLATFORM"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, str(script)],
                          capture_output=True, text=True, env=env, timeout=60, cwd=ROOT, check=False)
    if "_NET_WM_NAME" not in done.stdout:
        pytest.skip(f"no X display: {done.stderr[-300:]}")
    assert '= "政务公开工作台账 — 虎门镇"' in done.stdout, done.stdout
