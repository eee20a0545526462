"""The next start's first screen: the unit's tasks as the window last showed
them, used only while the store is exactly as it was left (core/first_screen.py),
else read straight from the store file (first_screen.peek), and shown before
the store is open (gui/start_screen.py)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from core import first_screen
from core.datafolder import DataFolder
from core.ledger import Ledger
from gui.app import start, stop
from gui.start_screen import StartScreen
from gui.tasks.model import COLUMNS
from tests.conftest import settle

JUNE = date(2021, 6, 1)
NOVEMBER = date(2021, 11, 2)  # task 34 (市财政局 落实, due 2021-10-31) is overdue


def _closed_store(folder: DataFolder) -> None:
    """A store with 本单位 市财政局, closed (as the command line or a script
    closes it: the Ledger remembers the first screen)."""
    led = Ledger.open(folder)
    led.set_my_unit("市财政局")
    led.set_handler("李晓燕")
    led.close()


def _task(screen, number):
    return next(t for t in screen.tasks if t.number == number)


def test_a_closed_store_gives_the_next_start_its_tasks_with_todays_lights(tmp_path):
    folder = DataFolder(tmp_path / "data")
    _closed_store(folder)

    screen = first_screen.load(folder, NOVEMBER)
    assert screen is not None
    assert screen.unit_name == "市财政局" and screen.handler == "李晓燕" and screen.plan["year"] == 2021
    assert len(screen.tasks) == 50  # every task of the plan, as the window loads them
    assert _task(screen, 9).role == "lead"  # 牵头
    t34 = _task(screen, 34)
    assert t34.deadline == date(2021, 10, 31) and t34.role == "implement"
    assert t34.light == "red"  # worked out for the day of the start, not the day it was written
    assert first_screen.load(folder, JUNE) is not None and _task(first_screen.load(folder, JUNE), 34).light == "green"


def test_a_store_written_since_is_not_shown_from_memory(tmp_path):
    import sqlite3

    folder = DataFolder(tmp_path / "data")
    _closed_store(folder)
    conn = sqlite3.connect(folder.store)  # written by something else than a Ledger (no first screen left)
    conn.execute("UPDATE task_states SET dept = '办公室'")
    conn.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
    conn.commit()
    conn.close()
    assert first_screen.load(folder, JUNE) is None


def test_whoever_closes_the_store_leaves_the_next_first_screen(tmp_path):
    """The command line records an action while the window is closed: the next
    window still starts from the first screen, and it has the record."""
    folder = DataFolder(tmp_path / "data")
    _closed_store(folder)
    led = Ledger.open(folder)
    led.add_action(led.my_unit().id, led.task_id(9), "召开专题会议研究预算公开", "2021-05-20")
    led.close()
    screen = first_screen.load(folder, JUNE)
    assert screen is not None and _task(screen, 9).action_count == 1
    assert _task(screen, 9).last_action == "召开专题会议研究预算公开"


@pytest.mark.parametrize("damage", ["garbage", "other_version", "missing_field", "wrong_type", "no_file"])
def test_an_unreadable_or_foreign_file_is_passed_over(tmp_path, damage):
    import json

    folder = DataFolder(tmp_path / "data")
    _closed_store(folder)
    path = folder.first_screen
    doc = json.loads(path.read_text(encoding="utf-8"))
    if damage == "garbage":
        path.write_bytes(b'{"version": ')
    elif damage == "other_version":
        doc["version"] = "0.1"
        path.write_text(json.dumps(doc), encoding="utf-8")
    elif damage == "missing_field":
        del doc["tasks"][0]["status"]
        path.write_text(json.dumps(doc), encoding="utf-8")
    elif damage == "wrong_type":
        doc["tasks"][0]["number"] = None
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:
        path.unlink()
    assert first_screen.load(folder, JUNE) is None


def test_with_nothing_remembered_the_first_screen_is_read_from_the_store_file(tmp_path):
    import sqlite3

    folder = DataFolder(tmp_path / "data")
    _closed_store(folder)
    folder.first_screen.unlink()
    conn = sqlite3.connect(folder.store)  # another program: task 9 done, after the Ledger closed
    unit_id = conn.execute("SELECT value FROM settings WHERE key = 'my_unit_id'").fetchone()[0]
    task_id, plan_id = conn.execute("SELECT id, plan_id FROM tasks WHERE number = 9").fetchone()
    conn.execute("INSERT INTO task_states (id, plan_id, unit_id, task_id, status, created_at, updated_at) "
                 "VALUES ('probe', ?, ?, ?, '已完成', '2021-06-01', '2021-06-01')", (plan_id, unit_id, task_id))
    conn.commit()
    conn.close()
    before = folder.store.read_bytes()

    screen = first_screen.peek(folder, NOVEMBER)
    assert screen is not None
    assert screen.unit_name == "市财政局" and screen.handler == "李晓燕" and screen.plan["year"] == 2021
    assert len(screen.tasks) == 50 and _task(screen, 9).role == "lead"
    assert _task(screen, 9).status == "已完成" and _task(screen, 9).light == "grey"  # the store as it is now
    assert _task(screen, 34).light == "red"  # due 2021-10-31, worked out for the day of the start
    assert folder.store.read_bytes() == before  # only looked at
    assert not folder.first_screen.exists()  # and it remembers nothing: only a Ledger closing does


@pytest.mark.parametrize("case", ["no_store", "no_unit", "other_version", "garbage", "busy", "bad_date"])
def test_a_store_file_that_cannot_be_peeked_at_gives_no_first_screen(tmp_path, case):
    """Nothing to show rather than a wrong screen or a wait: the store's own
    opening (checks, migrations, the messages) follows and decides."""
    import sqlite3
    import time

    folder = DataFolder(tmp_path / "data")
    if case != "no_unit":
        _closed_store(folder)
    else:
        Ledger.open(folder).close()  # a store without 本单位 (the clerk has not chosen yet)
    holder = None
    if case == "no_store":
        folder.store.unlink()
    elif case == "other_version":  # a newer Taizhang's store, or an older one still to migrate
        conn = sqlite3.connect(folder.store)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.close()
    elif case == "garbage":
        folder.store.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    elif case == "bad_date":  # written by another program: no calendar has this day
        conn = sqlite3.connect(folder.store)
        conn.execute("UPDATE tasks SET deadline = '2021-13-45' WHERE number = 9")
        conn.commit()
        conn.close()
    elif case == "busy":  # another program in the middle of a write, in the old journal mode
        conn = sqlite3.connect(folder.store, isolation_level=None)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN EXCLUSIVE")
        holder = conn
    started = time.monotonic()
    try:
        assert first_screen.peek(folder, JUNE) is None
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
    assert time.monotonic() - started < 5  # not the store's 30 s wait for a writer


def test_a_commit_by_another_program_while_closing_leaves_no_first_screen(tmp_path, monkeypatch):
    """What was read before another program's commit would be older than the file it is stamped with."""
    import sqlite3

    folder = DataFolder(tmp_path / "data")
    _closed_store(folder)
    real = first_screen.read

    def read_while_another_commits(led, today):
        screen = real(led, today)
        other = sqlite3.connect(folder.store)
        other.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
        other.commit()
        other.close()
        return screen

    monkeypatch.setattr(first_screen, "read", read_while_another_commits)
    led = Ledger.open(folder)
    led.set_handler("王五")
    led.close()
    assert not folder.first_screen.exists()


def test_a_ledger_that_only_read_keeps_the_first_screen_as_it_is(tmp_path):
    """A command that only reads (a report, a listing) neither rewrites it nor makes it stale."""
    folder = DataFolder(tmp_path / "data")
    _closed_store(folder)
    before = folder.first_screen.read_bytes(), folder.first_screen.stat().st_mtime_ns
    led = Ledger.open(folder)
    assert len(led.tasks(led.my_unit().id)) == 40
    led.close()
    assert (folder.first_screen.read_bytes(), folder.first_screen.stat().st_mtime_ns) == before
    assert first_screen.load(folder, JUNE) is not None


def test_closing_twice_keeps_what_the_first_close_remembered(tmp_path):
    folder = DataFolder(tmp_path / "data")
    led = Ledger.open(folder)
    led.set_my_unit("市财政局")
    led.close()
    led.close()
    assert first_screen.load(folder, JUNE) is not None


def test_nothing_is_remembered_without_a_unit_or_from_a_damaged_store(tmp_path):
    folder = DataFolder(tmp_path / "data")
    Ledger.open(folder).close()
    assert not folder.first_screen.exists()  # 本单位 not chosen yet
    _closed_store(folder)
    assert folder.first_screen.exists()
    led = Ledger.open(folder)
    led.store.problems = ["damaged"]  # as a store quick_check found damaged is opened
    led.close()
    assert not folder.first_screen.exists()


# ---- the window ------------------------------------------------------------------------


def _report_buttons(win) -> dict[str, bool]:
    """The toolbar's 预览报表 / 保存报表 drop-down buttons: enabled or not."""
    from PySide6.QtWidgets import QToolButton

    return {b.text(): b.isEnabled() for b in win.toolbar.findChildren(QToolButton) if b.text() in ("预览报表", "保存报表")}


def _watch_first_screen(monkeypatch) -> list:
    """What the window showed the moment its first screen was in."""
    seen: list = []
    real = StartScreen.show

    def watched(screen):
        used = real(screen)
        win = screen.w
        number, role = (next(i for i, (key, _, _) in enumerate(COLUMNS) if key == k) for k in ("number", "role"))
        rows = {win.proxy.index(r, number).data(): win.proxy.index(r, role).data()
                for r in range(win.proxy.rowCount())}
        status_menu = next(a for a in win.tasks.menu().actions() if a.text() == "状态")
        if used:  # files dropped on a row now: the clerk is told to wait, nothing is lost or broken
            win.files.dropped_on_row([Path(__file__)], win.current_task_id())
        seen.append({"used": used, "rows": win.proxy.rowCount(),
                     "heading": win.heading.text(), "can_record": win.act_new_action.isEnabled(), "cells": rows,
                     "can_set_status": status_menu.isEnabled(), "selected": win.current_task_id() is not None,
                     "statuses": {t.number: t.status for t in win.model.tasks},
                     "report_buttons": _report_buttons(win),
                     "widths": [win.table.columnWidth(c) for c in range(len(COLUMNS))],
                     "status_bar": win.statusBar().currentMessage()})
        return used

    monkeypatch.setattr(StartScreen, "show", watched)
    return seen


def _run_window(data, qtbot, today=JUNE):
    win = start(data, today=today)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.store_open and win.runner.idle, timeout=20000)
    settle(win, 20000)
    return win


def _close(win) -> None:
    win.close()
    stop(win)


@pytest.fixture
def closed_once(tmp_path, qtbot, message_boxes, _store_templates, monkeypatch):
    """A 市财政局 folder a window has been opened on and closed, and what every
    window on it showed first."""
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    DataFolder(data).first_screen.unlink()  # as the template's Ledger left it: not this test's
    seen = _watch_first_screen(monkeypatch)
    _close(_run_window(data, qtbot))
    return data, seen


def test_the_next_start_shows_the_units_tasks_before_the_store_is_open(closed_once, qtbot):
    data, seen = closed_once
    assert seen[-1]["used"] is True and seen[-1]["rows"] == 40  # nothing remembered: read from the store file
    assert not seen[-1]["can_record"]
    assert DataFolder(data).first_screen.exists()

    win = _run_window(data, qtbot)
    try:
        first = seen[-1]
        assert first["used"] is True  # shown before the store opened: what the window held then
        assert first["selected"] and not first["can_record"] and not first["can_set_status"]  # nothing written yet
        assert first["report_buttons"] == {"预览报表": False, "保存报表": False}  # no report from a closed store
        assert "请稍候再把文件拖到任务上" in first["status_bar"]
        assert first["rows"] == 40 and first["heading"].startswith("市财政局")
        assert first["cells"]["9"] == "牵头"
        # and once the store is open, the same rows, now its own, and the task's records
        assert win.proxy.rowCount() == 40 and win.act_new_action.isEnabled()
        assert next(a for a in win.tasks.menu().actions() if a.text() == "状态").isEnabled()
        assert _report_buttons(win) == {"预览报表": True, "保存报表": True}
        qtbot.waitUntil(lambda: win.detail.task is not None, timeout=20000)
    finally:
        _close(win)


def test_a_first_start_shows_its_first_rows_in_the_columns_they_keep(tmp_path, qtbot, message_boxes,
                                                                     _store_templates, monkeypatch):
    """No window.ini and nothing remembered: the rows read from the store file
    come in the columns fitted to the table, and the store's load leaves them
    so (they do not jump once it is in)."""
    data = tmp_path / "data"
    shutil.copytree(_store_templates("市财政局"), data)
    folder = DataFolder(data)
    folder.first_screen.unlink()
    folder.window_state.unlink(missing_ok=True)
    seen = _watch_first_screen(monkeypatch)
    win = _run_window(data, qtbot)
    try:
        assert seen[-1]["used"] is True and seen[-1]["rows"] == 40
        assert seen[-1]["widths"] == [win.table.columnWidth(c) for c in range(len(COLUMNS))]
    finally:
        _close(win)


def test_the_store_opens_only_once_the_first_rows_are_painted(closed_once, qtbot, monkeypatch):
    """The worker's imports hold the interpreter's lock: opening the store
    before the table has painted the rows shown first would hold them back."""
    from gui.main_window import MainWindow

    data, _seen = closed_once
    events: list[str] = []
    real_open = MainWindow.open_store
    monkeypatch.setattr(MainWindow, "open_store", lambda self: (events.append("open"), real_open(self))[1])

    def rows_painted():
        if win.proxy.rowCount() and "painted" not in events:
            events.append("painted")

    win = start(data, today=JUNE)
    qtbot.addWidget(win)
    win.table.painted.connect(rows_painted)
    try:
        qtbot.waitUntil(lambda: win.store_open and win.runner.idle, timeout=20000)
        assert events[:2] == ["painted", "open"]
    finally:
        _close(win)


def test_a_store_changed_while_the_window_was_closed_is_read_not_remembered(closed_once, qtbot):
    import sqlite3

    data, seen = closed_once
    conn = sqlite3.connect(DataFolder(data).store)  # not through a Ledger: nothing remembered
    unit_id = conn.execute("SELECT value FROM settings WHERE key = 'my_unit_id'").fetchone()[0]
    task_id, plan_id = conn.execute("SELECT id, plan_id FROM tasks WHERE number = 9").fetchone()
    conn.execute("INSERT INTO task_states (id, plan_id, unit_id, task_id, status, created_at, updated_at) "
                 "VALUES ('probe', ?, ?, ?, '已完成', '2021-06-01', '2021-06-01') "
                 "ON CONFLICT (unit_id, task_id) DO UPDATE SET status = '已完成'", (plan_id, unit_id, task_id))
    conn.commit()
    conn.close()

    win = _run_window(data, qtbot)
    try:
        first = seen[-1]  # before the store was open: read from its file, not from memory
        assert first["used"] is True and first["rows"] == 40 and not first["can_record"]
        assert first["cells"]["9"] == "牵头" and first["statuses"][9] == "已完成"  # the change already
        row = next(r for r in range(win.proxy.rowCount()) if win.proxy.index(r, 0).data() == "9")
        assert "已完成" in [win.proxy.index(row, c).data() for c in range(win.proxy.columnCount())]
    finally:
        _close(win)



def test_a_remembered_screen_that_does_not_fit_still_lets_the_store_open(closed_once, qtbot, monkeypatch):
    """Whatever is wrong with first-screen.json, the start goes on from the store."""
    data, _seen = closed_once
    real = first_screen.load

    def broken(folder, today):
        screen = real(folder, today)
        screen.tasks[0].number = None  # passes the file's checks, fails when shown
        return screen

    monkeypatch.setattr(first_screen, "load", broken)
    win = _run_window(data, qtbot)
    try:
        assert win.proxy.rowCount() == 40 and win.store_open and win.heading.text().startswith("市财政局")
    finally:
        _close(win)


def test_a_store_that_will_not_open_takes_the_remembered_rows_away(closed_once, qtbot, monkeypatch, message_boxes):
    from core.errors import StoreError

    data, seen = closed_once

    def refuse(cls, folder, seed=True):
        raise StoreError("数据文件被其他程序占用。")

    monkeypatch.setattr(Ledger, "open", classmethod(refuse))
    win = start(data, today=JUNE)
    qtbot.addWidget(win)
    try:
        qtbot.waitUntil(lambda: any("被其他程序占用" in t for t in message_boxes.texts("critical")), timeout=20000)
        assert seen[-1]["used"] is True  # the rows were shown from memory
        assert win.proxy.rowCount() == 0 and win.heading.text() == "" and not win.store_open
        assert "市财政局" not in win.windowTitle() and win.who.text() == ""  # nothing names the unit any more
    finally:
        _close(win)
