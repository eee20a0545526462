"""The 报表 menu: preview and save each report through an op, the last folder
remembered, warnings shown; the clerk's report texts. core.reports is
replaced by a fake with the same contract (the real one is tested in its own
suite)."""

from __future__ import annotations

import sys
import threading
import types
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from core.ledger import Ledger
from core.vocabulary import REPORT_KINDS as REPORTS
from gui.dialogs.gaps import GapsDialog
from gui.dialogs.report_texts import ReportTextsDialog
from gui.ops import OpChanges, Written
from tests.conftest import (
    GUI_TODAY,
    click,
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


def write(win, fn) -> None:
    """``fn(ledger)`` on the worker; waits for the refresh."""
    win.runner.write(lambda led: Written(OpChanges.all(), fn(led))).run()
    settle(win)


def read(win, fn):
    """``fn(ledger)`` on the worker; its result."""
    got = []
    win.runner.read(fn).success(got.append).run()
    settle(win)
    return got[0]


@pytest.fixture
def fake_reports(monkeypatch):
    calls = []
    mod = types.ModuleType("core.reports")
    mod.REPORT_KINDS = dict(REPORTS)

    def default_filename(kind, unit_short_name, year):
        return f"{unit_short_name}{year}年{REPORTS[kind][0]}{REPORTS[kind][1]}"

    def build_report(kind, ledger, unit_id, out, plan_id=None, today=None, progress=None, cancelled=None):
        assert isinstance(ledger, Ledger)
        tasks = ledger.tasks(unit_id, plan_id, today=today)
        for i in range(3):
            if progress:
                progress(i + 1, 3)
        Path(out).write_bytes(f"{kind}:{len(tasks)}".encode())
        calls.append((kind, Path(out), unit_id, plan_id, today, threading.current_thread().name))
        return types.SimpleNamespace(path=Path(out), pages=2 if REPORTS[kind][1] == ".pdf" else None,
                                     warnings=["字体中没有“𠀀”，已用方框代替。"] if kind == "self" else [],
                                     gaps=[])

    mod.default_filename = default_filename
    mod.build_report = build_report
    monkeypatch.setitem(sys.modules, "core.reports", mod)
    return calls


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url) or True))
    return urls


def test_menu_and_toolbar(open_window):
    win = open_window()
    titles = [a.text() for a in win.report_menu.actions() if a.text()]
    assert titles[:3] == ["预览年度自查报告（PDF）", "预览回头看核查清单（PDF）", "预览工作台账（Excel）"]
    assert "保存工作台账到…" in titles and "自查报告文字…" in titles
    assert {b.text() for b in win.toolbar.findChildren(type(win.toolbar.widgetForAction(win.act_new_action)))} >= {"预览报表", "保存报表"}


def test_preview_builds_under_the_data_folder_and_opens_it(open_window, fake_reports, opened, message_boxes):
    win = open_window()
    win.reports.preview_actions["ledger"].trigger()
    settle(win)
    kind, out, unit_id, plan_id, today, _thread = fake_reports[-1]
    assert kind == "ledger" and unit_id == win.unit.id and plan_id == win.plan["id"] and today == GUI_TODAY
    assert out.parent == win.folder.root / "tmp" / "preview"
    assert out.name == "市财政局2021年工作台账.xlsx"
    assert out.read_bytes() == b"ledger:40"
    assert [u.toLocalFile() for u in opened] == [str(out)]
    win.reports.preview_actions["self"].trigger()
    settle(win)
    assert any("𠀀" in t for t in message_boxes.texts("warning"))  # the report's warnings are shown
    assert opened[-1].toLocalFile().endswith("市财政局2021年年度自查报告.pdf")


def test_save_to_a_folder_remembers_it(open_window, fake_reports, file_dialogs, tmp_path, message_boxes):
    usb = tmp_path / "U盘"
    usb.mkdir()
    win = open_window()
    file_dialogs.save_name = str(usb / "自查报告")  # no suffix typed
    win.reports.save_actions["lookback"].trigger()
    settle(win)
    kind, made, *_ = fake_reports[-1]
    out = usb / "自查报告.pdf"
    assert kind == "lookback" and out.read_bytes() == made.read_bytes()
    assert file_dialogs.asked[-1][2].endswith("市财政局2021年回头看核查清单.pdf")
    assert any("已保存" in t and "共 2 页" in t for t in message_boxes.texts("information"))
    file_dialogs.save_name = ""
    win.reports.save_actions["ledger"].trigger()  # cancelled in the file dialog: nothing saved
    settle(win)
    assert [p.name for p in usb.iterdir()] == ["自查报告.pdf"]
    assert file_dialogs.asked[-1][2] == str(usb / "市财政局2021年工作台账.xlsx")  # the last folder


def test_report_failure_is_a_clear_message(open_window, fake_reports, file_dialogs, tmp_path, message_boxes):
    from core.errors import StoreError

    def fails(*a, **k):
        raise StoreError("U盘已拔出或只读，报表没有保存。")

    sys.modules["core.reports"].build_report = fails
    win = open_window()
    file_dialogs.save_name = str(tmp_path / "x.xlsx")
    win.reports.save_actions["ledger"].trigger()
    settle(win)
    assert "U盘已拔出或只读，报表没有保存。" in message_boxes.texts("warning")


def test_report_generation_runs_on_the_worker_with_progress(open_window, fake_reports, opened, qtbot, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    from gui.ops import PROGRESS_STEPS, Job

    reported = []
    real = Job.progress
    monkeypatch.setattr(Job, "progress", lambda self, done, total: (reported.append((done, total)),
                                                                     real(self, done, total)))
    shown = []  # what the clerk's progress dialog was set to
    set_value = QProgressDialog.setValue
    monkeypatch.setattr(QProgressDialog, "setValue", lambda self, v: (shown.append(v), set_value(self, v)))
    win = open_window()
    win.reports.preview_actions["self"].trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    kind, *_, thread = fake_reports[-1]
    assert kind == "self" and thread == "taizhang-store"  # made on the worker, not the GUI thread
    assert reported == [(1, 3), (2, 3), (3, 3)]  # the report's steps reached the op's progress
    assert shown[0] == 0 and shown[-1] == PROGRESS_STEPS  # … and the dialog, up to full


def test_report_texts_are_edited_and_stored(open_window):
    win = open_window()
    win.act_report_texts.trigger()
    dlg = find_dialog(ReportTextsDialog)
    assert [dlg.tabs.tabText(i) for i in range(3)] == ["一、总体情况", "三、存在问题", "四、下一步工作计划"]
    type_into(dlg.edits["summary"], "我局高度重视政务公开工作，成立了以分管副局长为组长的工作小组。")
    bar = dlg.tabs.tabBar()
    click(bar, bar.tabRect(2).center())
    type_into(dlg.edits["next_steps"], "进一步规范预决算公开。")
    click(dlg.ok_button)
    settle(win)
    assert gone(dlg)
    unit_id = win.unit.id
    got = read(win, lambda led: led.report_texts(unit_id))
    assert got["summary"].startswith("我局高度重视") and got["next_steps"] == "进一步规范预决算公开。"
    assert got["problems"] == ""
    win.act_report_texts.trigger()
    assert find_dialog(ReportTextsDialog).edits["summary"].toPlainText().startswith("我局高度重视")


# ---- with the real core.reports --------------------------------------------------


def test_real_reports_preview_and_save(open_window, opened, file_dialogs, tmp_path, message_boxes):
    import openpyxl
    import pypdf

    win = open_window()
    select_task(win, 9)
    unit_id, task_id = win.unit.id, current_task(win).id
    write(win, lambda led: led.add_action(unit_id, task_id, "公开2021年地方政府债务限额", "2021-08-20"))
    win.reports.preview_actions["ledger"].trigger()
    settle(win)
    xlsx = Path(opened[-1].toLocalFile())
    assert xlsx.parent == win.folder.root / "tmp" / "preview" and xlsx.suffix == ".xlsx" and xlsx.stat().st_size > 0
    sheet = openpyxl.load_workbook(xlsx, read_only=True).worksheets[0]
    assert any("公开2021年地方政府债务限额" in str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    assert any("待确认" in t for t in message_boxes.texts("warning"))  # 18, 23, 32, 41 are undecided
    usb = tmp_path / "U盘"
    usb.mkdir()
    file_dialogs.save_name = str(usb / "自查报告.pdf")
    win.reports.save_actions["self"].trigger()
    settle(win)
    gaps = find_dialog(GapsDialog)  # nothing of 总体情况, 存在问题, 下一步 is written yet
    listed = [gaps.tree.topLevelItem(i).text(0) for i in range(gaps.tree.topLevelItemCount())]
    assert any(line.startswith("总体情况") for line in listed) and any(line.startswith("下一步工作计划") for line in listed)
    assert not (usb / "自查报告.pdf").exists()  # nothing saved before the clerk says so
    click(gaps.save_button)
    settle(win)
    pdf = usb / "自查报告.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    pages = len(pypdf.PdfReader(pdf).pages)
    assert pages >= 1
    assert any(str(pdf) in t and f"共 {pages} 页" in t for t in message_boxes.texts("information"))
    assert not list(usb.glob("*.tmp*")) and [p.name for p in usb.iterdir()] == ["自查报告.pdf"]


def test_real_report_on_the_worker_thread(open_window, opened, qtbot):
    win = open_window()
    win.reports.preview_actions["lookback"].trigger()
    qtbot.waitUntil(lambda: bool(opened) and win.runner.idle, timeout=30000)
    assert opened[-1].toLocalFile().endswith(".pdf")


def test_a_missing_reason_goes_to_the_tasks_lookback(open_window, file_dialogs, tmp_path):
    # 虎门镇 has recorded on task 9 but written no 存在问题: the self-report's gaps name it.
    win = open_window(unit="虎门")
    select_task(win, 9)
    unit_id, task_id = win.unit.id, current_task(win).id
    write(win, lambda led: led.add_action(unit_id, task_id, "在镇政府网站公开本级预算。", "2021-08-20"))
    win.filters.set_quick("lead")  # 虎门 leads nothing: the jump must widen the view itself
    settle(win)
    file_dialogs.save_name = str(tmp_path / "自查报告.pdf")
    win.reports.save_actions["self"].trigger()
    settle(win)
    gaps = find_dialog(GapsDialog)
    reason = next(gaps.tree.topLevelItem(i) for i in range(gaps.tree.topLevelItemCount())
                  if gaps.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == "reason")
    nine = next(reason.child(j) for j in range(reason.childCount()) if reason.child(j).text(0).startswith("第9项"))
    gaps.tree.setCurrentItem(nine)
    click(gaps.go_button)
    settle(win)
    wait_until(lambda: win.detail.task is not None and win.detail.task.number == 9)
    assert current_task(win).number == 9
    assert win.detail.tabs.currentIndex() == win.detail.TAB_LOOKBACK and win.focusWidget() is win.detail.problem
    assert not (tmp_path / "自查报告.pdf").exists()
