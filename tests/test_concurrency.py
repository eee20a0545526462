"""Several programs on one data folder: the window, scripts, first starts.

Facts: N writer processes (the CLI and the Ledger) × M records with shared and
own evidence files, while another process keeps emptying its 回收站 and
collecting unused files, give 0 failures and 0 records without their file;
four first starts at once on a new folder all succeed; the CLI writes beside
the window's lock and waits for another writer's transaction.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from core.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent
MAIN = str(ROOT / "main.py")


def cli(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, MAIN, "--data-dir", str(data), *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def _ledger_writer(data: str, shared: str, own_dir: str, n: int, tag: str, out) -> None:
    """n records, each with the shared file and an own file; failures reported."""
    led = Ledger.open(data, seed=False)
    failures = []
    try:
        unit = led.find_unit("市财政局")
        task = led.task_id(9)
        for i in range(n):
            own = Path(own_dir) / f"{tag}-{i}.txt"
            own.write_bytes(f"{tag} record {i}".encode())
            try:
                if i % 2:
                    led.record(unit.id, task, f"{tag} 第{i}条", "2021-09-01", attach=[Path(shared), own])
                else:
                    a = led.add_action(unit.id, task, f"{tag} 第{i}条", "2021-09-01")
                    led.attach_file(unit.id, task, shared, action_id=a["id"])
                    led.attach_file(unit.id, task, own, action_id=a["id"])
            except Exception as exc:  # noqa: BLE001 - counted, not hidden
                failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        led.close()
    out.put((tag, failures))


def _churner(data: str, shared: str, seconds: float, out) -> None:
    """Attach the shared file, bin it, empty the bin, collect: the shared blob
    keeps becoming unused while the writers attach it."""
    led = Ledger.open(data, seed=False)
    failures, rounds = [], 0
    try:
        unit = led.find_unit("虎门")
        task = next(t.id for t in led.tasks(unit.id))
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                row = led.attach_file(unit.id, task, shared)
                led.remove_attachment(row["id"])
                led.empty_recycle_bin(unit.id)
                led.collect_unused_files()
                rounds += 1
            except Exception as exc:  # noqa: BLE001
                failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        led.close()
    out.put(("churn", failures if rounds else ["no rounds"]))


def _cli_writer(data: Path, shared: Path, own_dir: Path, n: int, tag: str) -> list[str]:
    failures = []
    for i in range(n):
        own = own_dir / f"{tag}-{i}.txt"
        own.write_bytes(f"{tag} record {i}".encode())
        r = cli(data, "record", "--unit", "市财政局", "--task", "9", "--text", f"{tag} 第{i}条",
                "--date", "2021-09-01", "--attach", str(shared), str(own))
        if r.returncode != 0:
            failures.append(r.stderr.strip())
    return failures


def test_parallel_writers_lose_nothing(tmp_path):
    data = tmp_path / "data"
    Ledger.open(data).close()
    shared = tmp_path / "共用的通知.pdf"
    shared.write_bytes(b"%PDF shared evidence " * 1000)
    own_dir = tmp_path / "own"
    own_dir.mkdir()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    n_ledger, n_cli = 12, 6
    procs = [ctx.Process(target=_ledger_writer, args=(str(data), str(shared), str(own_dir), n_ledger, f"L{k}", out))
             for k in range(2)]
    procs.append(ctx.Process(target=_churner, args=(str(data), str(shared), 4.0, out)))
    for p in procs:
        p.start()
    with ThreadPoolExecutor(2) as pool:
        cli_failures = list(pool.map(lambda k: _cli_writer(data, shared, own_dir, n_cli, f"C{k}"), range(2)))
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(30)
    assert all(p.exitcode == 0 for p in procs)
    assert results == {"L0": [], "L1": [], "churn": []} and cli_failures == [[], []]

    led = Ledger.open(data)
    try:
        fin = led.find_unit("市财政局")
        actions = led.actions(fin.id, led.task_id(9))
        assert len(actions) == 2 * n_ledger + 2 * n_cli
        rows = led.attachments(fin.id, led.task_id(9))
        assert len(rows) == 2 * len(actions)
        for row in led.store.all_attachment_rows():  # every row, the churner's too: its file is there
            blob = led.attachment_path(row)
            assert blob.is_file(), row
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == row["sha256"]
        assert led.check_store() == []
    finally:
        led.close()


def test_four_first_starts_at_once_on_a_new_folder(tmp_path):
    data = tmp_path / "new"
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: cli(data, "plans"), range(4)))
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    one = Ledger.open(tmp_path / "alone")
    led = Ledger.open(data)
    try:
        assert len(led.plans()) == 1 and len(led.units()) == len(one.units())
        assert led.store.table_counts() == one.store.table_counts()
    finally:
        led.close()
        one.close()


def test_the_cli_writes_beside_the_window_and_waits_for_its_transaction(tmp_path):
    data = tmp_path / "data"
    window = Ledger.open(data)
    try:
        (data / "taizhang.lock").write_text(f"{os.getpid()}\nTaizhang\nhost\n")  # the window's QLockFile
        held = threading.Event()

        def hold_the_write_lock():
            with window.store.atomic():
                window.store.set_setting("handler", "窗口")
                held.set()
                time.sleep(1.5)

        t = threading.Thread(target=hold_the_write_lock)
        t.start()
        held.wait(5)
        started = time.monotonic()
        r = cli(data, "record", "--unit", "市财政局", "--task", "9", "--text", "脚本写入", "--date", "2021-09-01")
        waited = time.monotonic() - started
        t.join()
        assert r.returncode == 0, r.stderr
        assert waited >= 1.0  # it waited for the window's transaction instead of failing
        fin = window.find_unit("市财政局")
        assert [a["content"] for a in window.actions(fin.id, window.task_id(9))] == ["脚本写入"]
    finally:
        window.close()


def test_writes_start_with_begin_immediate(ledger):
    seen = []
    ledger.store.conn.set_trace_callback(seen.append)
    ledger.set_handler("张三")
    ledger.store.conn.set_trace_callback(None)
    assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT"
