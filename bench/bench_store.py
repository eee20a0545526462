#!/usr/bin/env python3
"""Benchmark (not a test): what durability and the open-time check cost.

  - one record (Ledger.add_action, one transaction) with synchronous=NORMAL
    against synchronous=FULL, same store, same run: the median and the ratio;
  - quick_check when the store opens (Ledger.check_seconds) for the seeded
    store and for one with 10,000 records (and 1,000 attachment rows);
  - the daily verified backup (backup API + integrity_check + row counts) of
    the same two stores.

    python bench/bench_store.py [--records 10000] [--runs 200] [--dir DIR]

--dir puts the stores on the disk to measure (a USB stick: fsync costs more there).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def per_record(led, sync: str, runs: int) -> float:
    led.store.conn.execute(f"PRAGMA synchronous = {sync}")
    unit = led.find_unit("市财政局")
    task = led.task_id(9)
    times = []
    for i in range(runs):
        t = time.perf_counter()
        led.add_action(unit.id, task, f"记录 {i}", "2021-09-01")
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fill(led, n: int) -> None:
    """n records over the unit's tasks, in one transaction (fast to make)."""
    from db.store import new_id, now

    unit = led.find_unit("市财政局")
    tasks = [t.id for t in led.tasks(unit.id, include_all=True)]
    plan = led.current_plan()["id"]
    stamp = now()
    with led.store.atomic():
        for i in range(n):
            aid = new_id()
            led.store.db["actions"].insert({
                "id": aid, "plan_id": plan, "unit_id": unit.id, "task_id": tasks[i % len(tasks)],
                "action_date": "2021-09-01", "content": f"第{i}条进展：在门户网站公开相关信息，召开专题会议研究部署。" * 3,
                "handler": "张三", "link": "https://example.gov.cn/x", "version": 1,
                "created_at": stamp, "updated_at": stamp, "deleted_at": None})
            if i % 10 == 0:
                led.store.db["attachments"].insert({
                    "id": new_id(), "plan_id": plan, "unit_id": unit.id, "task_id": tasks[i % len(tasks)],
                    "action_id": aid, "sha256": f"{i:064x}", "name": f"佐证{i}.pdf", "size": 1000,
                    "added_at": stamp, "updated_at": stamp, "deleted_at": None})


def open_and_backup(folder: Path, runs: int = 5) -> tuple[float, float, int]:
    from core import backup
    from core.ledger import Ledger

    checks, copies = [], []
    for k in range(runs):
        led = Ledger.open(folder)
        checks.append(_time(led.store.check))
        t = time.perf_counter()
        backup.auto_backup(led.store, led.folder, date(2000, 1, 1 + k))
        copies.append(time.perf_counter() - t)
        led.close()
    return statistics.median(checks), statistics.median(copies), (folder / "taizhang.db").stat().st_size


def _time(fn) -> float:
    t = time.perf_counter()
    problems = fn()
    assert problems == [], problems
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    from core.ledger import Ledger

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        led = Ledger.open(Path(tmp) / "sync")
        normal = per_record(led, "NORMAL", args.runs)
        full = per_record(led, "FULL", args.runs)
        led.close()
        print(f"one record, synchronous=NORMAL: {normal * 1000:.2f} ms (median of {args.runs})")
        print(f"one record, synchronous=FULL:   {full * 1000:.2f} ms")
        print(f"FULL / NORMAL: {full / normal:.2f}x")

        seeded = Path(tmp) / "seeded"
        Ledger.open(seeded).close()
        check, copy, size = open_and_backup(seeded)
        print(f"seeded store ({size / 1e6:.1f} MB): quick_check {check * 1000:.1f} ms, daily backup {copy * 1000:.1f} ms")

        big = Path(tmp) / "big"
        led = Ledger.open(big)
        fill(led, args.records)
        led.close()
        check, copy, size = open_and_backup(big)
        print(f"{args.records} records ({size / 1e6:.1f} MB): quick_check {check * 1000:.1f} ms, "
              f"daily backup {copy * 1000:.1f} ms")


if __name__ == "__main__":
    main()
