"""The two kinds of operation and the broadcast: a write must say what it
changed, every listener hears it, stale reads are skipped, and the date the
window filters with is today's even past midnight."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from PySide6.QtCore import QObject

from gui.ops import OpChanges, OpContractError, OpRunner, Written
from tests.conftest import find_dialog, select_task


class Listener(QObject):
    def __init__(self, runner: OpRunner):
        super().__init__()
        self.heard: list[tuple[OpChanges, object]] = []
        runner.changed.connect(lambda changes, initiator: self.heard.append((changes, initiator)))


@pytest.fixture
def runner(qtbot):
    r = OpRunner()
    yield r
    r.shutdown()


def test_a_write_is_broadcast_to_every_listener_with_its_initiator(qtbot, runner):
    first, second = Listener(runner), Listener(runner)
    me = object()
    values = []
    runner.write(lambda _led: Written(OpChanges.of_task("t9"), "saved"), initiator=me) \
        .success(values.append).run()
    qtbot.waitUntil(lambda: runner.idle and bool(first.heard) and bool(second.heard), timeout=5000)
    assert values == ["saved"]  # the caller gets the value, not the wrapper
    for listener in (first, second):
        assert listener.heard == [(OpChanges(tasks=frozenset({"t9"})), me)]


def test_a_write_that_does_not_say_what_it_changed_fails_and_refreshes_nothing(qtbot, runner):
    listener = Listener(runner)
    succeeded, failures = [], []
    runner.write(lambda _led: {"id": 1}).success(succeeded.append).failure(failures.append).run()
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert succeeded == [] and listener.heard == []
    assert len(failures) == 1 and isinstance(failures[0], OpContractError)
    assert "没有返回它改变了什么" in str(failures[0])


def test_a_read_changes_nothing_and_returns_its_value(qtbot, runner):
    listener = Listener(runner)
    got = []
    runner.read(lambda _led: 42).success(got.append).run()
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert got == [42] and listener.heard == []


def test_a_read_superseded_before_the_worker_reached_it_is_skipped(qtbot, runner):
    import threading

    gate = threading.Event()
    ran, delivered = [], []
    runner.read(lambda _led: gate.wait(5)).run()  # keeps the worker busy
    for n in (1, 2, 3):
        runner.read(lambda _led, n=n: ran.append(n) or n).supersedes("detail").success(delivered.append).run()
    gate.set()
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert ran == [3] and delivered == [3]


def test_system_exit_is_not_swallowed():
    runner = OpRunner(sync=True)
    with pytest.raises(SystemExit):
        runner.read(lambda _led: sys.exit(3)).run()


def test_the_table_and_the_open_recycle_bin_both_refresh_after_a_delete(qtbot, open_window):
    from gui.dialogs.recycle import RecycleBinDialog

    win = open_window(unit="虎门")
    led_rows = []
    select_task(win, 9)

    def add(led):
        row = led.add_action(win.unit.id, win.current_task_id(), "在镇政府网站公开预算。", "2021-09-01")
        led_rows.append(row)
        return Written(OpChanges.of_task(row["task_id"]))

    win.runner.write(add).run()
    qtbot.waitUntil(lambda: win.runner.idle and len(win.detail.actions) == 1, timeout=5000)
    assert win.current_task().last_action == "在镇政府网站公开预算。"

    win.act_recycle.trigger()
    bin_dialog = find_dialog(RecycleBinDialog)
    assert bin_dialog.actions.rowCount() == 0

    win.tasks.delete_action(led_rows[0]["id"])
    qtbot.waitUntil(lambda: win.runner.idle and bin_dialog.actions.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: win.current_task().last_action == "", timeout=5000)
    assert bin_dialog.actions.item(0, 0).text() == "第9项"
    assert win.detail.actions == []


def test_a_window_left_open_past_midnight_filters_with_the_new_date(qtbot, open_window):
    # 虎门镇's tasks 2, 28 and 32 are due 2021年底前; 43 is yearly (due at year end).
    today = [date(2021, 12, 31)]
    win = open_window(unit="虎门", today=None, clock=lambda: today[0])
    assert win.filters.count_of("overdue") == 0
    assert win.filters.count_of("due30") == 4

    today[0] = date(2022, 1, 1)  # the clock passes midnight; nothing has reloaded yet
    win.filters.set_quick("due30")
    qtbot.waitUntil(lambda: win.runner.idle)
    assert win.proxy.visible_numbers() == []  # the filter reads the new date

    win.check_date()  # what the window's day timer does
    qtbot.waitUntil(lambda: win.runner.idle and win.filters.count_of("overdue") == 3, timeout=5000)
    win.filters.set_quick("overdue")
    assert sorted(win.proxy.visible_numbers()) == [2, 28, 32]
    assert {win.proxy.task_at(r).light for r in range(win.proxy.rowCount())} == {"red"}
