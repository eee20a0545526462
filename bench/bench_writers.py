#!/usr/bin/env python3
"""Benchmark (not a test): many writers on one data folder.

N CLI processes (record --attach, one process per record) and N Ledger
processes each write M records with a shared and an own evidence file, while
one more process keeps attaching the shared file, binning it, emptying the
回收站 and collecting unused files (the blob keeps becoming unused while the
others attach it). Prints failures, records and rows without their file.

    python bench/bench_writers.py [--writers 4] [--records 50] [--churn-seconds 20]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_concurrency import _churner, _cli_writer, _ledger_writer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--records", type=int, default=50)
    ap.add_argument("--churn-seconds", type=float, default=20)
    args = ap.parse_args()
    from core.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        Ledger.open(data).close()
        shared = tmp / "shared.pdf"
        shared.write_bytes(b"%PDF shared " * 20000)
        own = tmp / "own"
        own.mkdir()
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        started = time.monotonic()
        procs = [ctx.Process(target=_ledger_writer, args=(str(data), str(shared), str(own), args.records, f"L{k}", out))
                 for k in range(args.writers)]
        procs.append(ctx.Process(target=_churner, args=(str(data), str(shared), args.churn_seconds, out)))
        for p in procs:
            p.start()
        with ThreadPoolExecutor(args.writers) as pool:
            cli_failures = list(pool.map(lambda k: _cli_writer(data, shared, own, args.records, f"C{k}"),
                                         range(args.writers)))
        results = dict(out.get(timeout=600) for _ in procs)
        for p in procs:
            p.join()
        elapsed = time.monotonic() - started
        led = Ledger.open(data)
        fin = led.find_unit("市财政局")
        n = len(led.actions(fin.id, led.task_id(9)))
        without = sum(1 for r in led.store.all_attachment_rows()
                      if not led.attachment_path(r).is_file()
                      or hashlib.sha256(led.attachment_path(r).read_bytes()).hexdigest() != r["sha256"])
        problems = led.check_store()
        led.close()
        failed = sum(len(f) for f in cli_failures) + sum(len(v) for v in results.values())
        print(f"{args.writers} CLI + {args.writers} Ledger writers × {args.records} records, with a collector, "
              f"in {elapsed:.0f} s")
        print(f"failed: {failed}   records: {n} of {2 * args.writers * args.records}   "
              f"rows without their file: {without}   quick_check: {problems or 'ok'}")
        for msg in [m for f in cli_failures for m in f] + [m for v in results.values() for m in v]:
            print("  ", msg[:200])


if __name__ == "__main__":
    main()
