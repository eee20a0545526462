"""A search keystroke is never queued behind a detail load: urgent reads go
before the ops waiting for the worker, in the order they were submitted."""

from __future__ import annotations

import threading

from gui.ops import OpRunner


def test_urgent_reads_go_before_waiting_ops(qtbot):
    runner = OpRunner()
    runner.ledger = None
    gate = threading.Event()
    ran = []
    runner.read(lambda _led: gate.wait(5)).run()  # the worker is busy with this one
    for name in ("detail 1", "detail 2"):
        runner.read(lambda _led, name=name: ran.append(name)).run()
    runner.read(lambda _led: ran.append("search 1")).urgent().run()
    runner.read(lambda _led: ran.append("search 2")).urgent().run()
    gate.set()
    assert runner.wait_idle(10)
    assert ran == ["search 1", "search 2", "detail 1", "detail 2"]
    runner.shutdown()


def test_shutdown_still_runs_everything_submitted_first(qtbot):
    runner = OpRunner()
    runner.ledger = None
    ran = []
    for i in range(3):
        runner.read(lambda _led, i=i: ran.append(i)).run()
    runner.shutdown()
    assert ran == [0, 1, 2]
