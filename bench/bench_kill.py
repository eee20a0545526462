#!/usr/bin/env python3
"""Benchmark (not a test): kill -9 while recording, again and again.

A writer process records (Ledger.record, each with its own 1 MB evidence file,
every third one also with a shared file) and prints each record's id once
record() has returned — the moment the clerk reads "已记录". It is killed with
SIGKILL a random 0.03–0.3 s after it has opened the store; then the store is opened and checked:

  - integrity_check is ok;
  - every record reported as saved is there (lost = 0);
  - every attachment row has its file, with the right sha256 (missing = 0,
    counted afresh after each kill, like lost; a blob is hashed again only
    when its file has changed since it last checked out);
  - the blobs no row uses (crash leftovers) are collected by collect_unused_files.

    python bench/bench_kill.py [--kills 100] [--size-mb 1]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRITER = r"""
import os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from core.ledger import Ledger
data, src, shared = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
size = int(sys.argv[5])
led = Ledger.open(data, seed=False)
unit = led.find_unit("市财政局"); task = led.task_id(9)
print("ready", flush=True)
i = 0
while True:
    f = src / f"{os.getpid()}-{i}.bin"
    f.write_bytes(os.urandom(size))
    files = [f, shared] if i % 3 == 0 else [f]
    a = led.record(unit.id, task, f"第{i}条", "2021-09-01", attach=files)
    print(a["id"], flush=True)
    i += 1
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--size-mb", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    random.seed(args.seed)
    from core.attachments import blob_path, valid_sha
    from core.datafolder import DataFolder
    from core.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, src = tmp / "data", tmp / "src"
        src.mkdir()
        shared = tmp / "shared.pdf"
        shared.write_bytes(os.urandom(100_000))
        Ledger.open(data).close()
        size = int(args.size_mb * 1024 * 1024)
        blobs_root = DataFolder(data).attachments
        checked: dict[str, tuple[int, int, int]] = {}  # sha → (inode, size, mtime_ns) when it hashed right

        def blob_ok(sha: str) -> bool:
            if not valid_sha(sha):
                return False
            blob = blob_path(blobs_root, sha)
            try:
                st = blob.stat()
            except OSError:
                return False
            if not stat.S_ISREG(st.st_mode):
                return False
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
            if checked.get(sha) == stamp:
                return True
            if hashlib.sha256(blob.read_bytes()).hexdigest() != sha:
                checked.pop(sha, None)
                return False
            checked[sha] = stamp
            return True

        reported: set[str] = set()
        lost = missing = bad_integrity = orphans = orphan_bytes = 0
        started = time.monotonic()
        for k in range(args.kills):
            proc = subprocess.Popen([sys.executable, "-c", WRITER, str(ROOT), str(data), str(src), str(shared),
                                     str(size)], stdout=subprocess.PIPE, text=True)
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(random.uniform(0.03, 0.3))
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate()
            reported |= {line.strip() for line in out.splitlines() if line.strip()}
            for f in src.iterdir():
                f.unlink()
            conn = sqlite3.connect(data / "taizhang.db")
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            ids = {r[0] for r in conn.execute("SELECT id FROM actions")}
            rows = conn.execute("SELECT sha256 FROM attachments").fetchall()
            conn.close()
            bad_integrity += not ok
            lost = len(reported - ids)
            ok_now = {sha: blob_ok(sha) for sha in {r[0] for r in rows}}  # each blob once per kill
            missing = sum(not ok_now[sha] for (sha,) in rows)
            if k % 10 == 9 or k == args.kills - 1:
                led = Ledger.open(data, seed=False)
                freed = led.collect_unused_files()
                orphans += freed.count
                orphan_bytes += freed.bytes
                led.close()
        led = Ledger.open(data, seed=False)
        n = len(led.actions(led.find_unit("市财政局").id, led.task_id(9)))
        led.close()
        print(f"{args.kills} kills in {time.monotonic() - started:.0f} s, {args.size_mb:g} MB files: "
              f"{len(reported)} records reported saved, {n} in the store")
        print(f"lost: {lost}   integrity failures: {bad_integrity}   rows without their file: {missing}")
        print(f"crash leftovers collected: {orphans} files, {orphan_bytes / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
