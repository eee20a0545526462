"""Importing report packages at the supervising office, against a bare baseline.

    python bench/bench_packages.py [--packages 100] [--window]

Makes N packages (each: 50 task states, 200 actions, 20 evidence files of
100 KB, for N different units), then in the same run:

    taizhang   core.exchange.importer.import_packages on a supervisor's folder:
               every name, size and sha256 checked, the records validated, the
               files placed, one transaction per package
    baseline   the same data with no checks: unzip, json.loads, write the files,
               DELETE + executemany INSERT per package in a second store

and prints both times and their ratio (goal: ≤ 2× and under 10 s), then the
roll-up built over all those units; with --window, the 汇总工作台 (offscreen)
from asking for the roll-up to the matrix painted (goal: 300 units under 1 s:
run with --packages 230, which with the directory's 71 units makes 301).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.exchange import RECORDS, REPORT_KIND  # noqa: E402
from core.exchange.plan_package import plan_sha256  # noqa: E402
from core.exchange.writer import Entry, base_manifest, json_bytes, write_package  # noqa: E402
from core.ledger import Ledger  # noqa: E402
from core.supervise import make_supervisor  # noqa: E402
from core.units import Unit, unit_uuid  # noqa: E402
from db.rollup_store import ACTION_COLUMNS, ATTACHMENT_COLUMNS, REPORT_COLUMNS, STATE_COLUMNS  # noqa: E402

TASKS, ACTIONS, FILES, FILE_SIZE = 50, 200, 20, 100 * 1024


def add_units(led: Ledger, n: int) -> list[str]:
    ids = []
    with led.store.atomic():
        for i in range(n):
            u = Unit(id=unit_uuid(f"基准测试单位{i:03d}"), full_name=f"基准测试单位{i:03d}", short_name=f"基准{i:03d}",
                     kind="town", ord=1000 + i)
            led.store.upsert_unit(led._unit_row(u), [])
            ids.append(u.id)
        tasks = [t["id"] for t in led.store.list_tasks(led.current_plan()["id"])][:TASKS]
        # set-up only: each bench unit carries out the first 50 tasks, so that the roll-up counts it
        led.store.db["assignments"].insert_all(
            [{"task_id": t, "unit_id": u, "role": "implement"} for u in ids for t in tasks])
    led._directory = None
    return ids


def make_packages(led: Ledger, units: list[str], folder: Path) -> list[Path]:
    plan = led.current_plan()
    tasks = [t["id"] for t in led.store.list_tasks(plan["id"])][:TASKS]
    stamp = "2021-12-01T00:00:00.000000Z"
    content_sha = plan_sha256(led, plan["id"])
    paths = []
    for i, unit_id in enumerate(units):
        common = {"plan_id": plan["id"], "unit_id": unit_id, "created_at": stamp, "updated_at": stamp}
        states = [{**common, "id": str(uuid.uuid4()), "task_id": t, "status": "推进中", "dept": "综合科",
                   "person": "张三", "notes": "", "decision": None, "problem": "", "remedy": "", "remedy_due": None,
                   "done_date": None} for t in tasks]
        actions = [{**common, "id": str(uuid.uuid4()), "task_id": tasks[k % TASKS], "action_date": "2021-06-01",
                    "content": f"第{k}条进展：按要求在政府网站公开相关信息并做好解读。" * 3, "handler": "张三", "link": "",
                    "version": 1} for k in range(ACTIONS)]
        blobs = [os.urandom(FILE_SIZE) for _ in range(FILES)]
        shas = [hashlib.sha256(b).hexdigest() for b in blobs]
        attachments = [{**{k: v for k, v in common.items() if k != "created_at"}, "id": str(uuid.uuid4()),
                        "task_id": actions[k]["task_id"], "action_id": actions[k]["id"], "sha256": shas[k],
                        "name": f"佐证{k}.pdf", "size": FILE_SIZE, "added_at": stamp} for k in range(FILES)]
        records = {"plan_id": plan["id"], "unit_id": unit_id, "task_states": states, "actions": actions,
                   "attachments": attachments, "unit_reports": []}
        entries = [Entry(RECORDS, json_bytes(records))]
        entries += [Entry(f"files/{s}", b, compress=False) for s, b in zip(shas, blobs)]
        unit = led.directory().get(unit_id)
        manifest = {**base_manifest(REPORT_KIND, led), "package_id": str(uuid.uuid4()), "sequence": 1,
                    "installation_id": str(uuid.uuid4()),
                    "plan": {"id": plan["id"], "title": plan["title"], "year": plan["year"],
                             "content_sha256": content_sha},
                    "unit": {"id": unit_id, "full_name": unit.full_name, "short_name": unit.short_name,
                             "kind": unit.kind},
                    "with_files": True}
        path = folder / f"{unit.short_name}.tzbg"
        write_package(path, manifest, entries)
        paths.append(path)
    return paths


def baseline(led: Ledger, paths: list[Path], files_dir: Path) -> None:
    conn = led.store.conn
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            data = json.loads(zf.read(RECORDS))
            for name in zf.namelist():
                if name.startswith("files/"):
                    (files_dir / name[6:]).write_bytes(zf.read(name))
        conn.execute("BEGIN")
        p = (data["plan_id"], data["unit_id"])
        for table in ("attachments", "actions", "task_states", "unit_reports"):
            conn.execute(f"DELETE FROM {table} WHERE plan_id = ? AND unit_id = ?", p)
        for table, columns in (("task_states", STATE_COLUMNS), ("actions", ACTION_COLUMNS),
                               ("attachments", ATTACHMENT_COLUMNS), ("unit_reports", REPORT_COLUMNS)):
            rows = data[table]
            if rows:
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                 f"({', '.join('?' for _ in columns)})",
                                 [tuple(r.get(c) for c in columns) for r in rows])
        conn.execute("COMMIT")
        del manifest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=100)
    ap.add_argument("--window", action="store_true")
    args = ap.parse_args()
    n = args.packages
    with tempfile.TemporaryDirectory(prefix="bench-packages-") as tmp:
        tmp = Path(tmp)
        office = Ledger.open(tmp / "office")
        make_supervisor(office, "市政府办公室")
        units = add_units(office, n)
        bare = Ledger.open(tmp / "bare")
        add_units(bare, n)
        stick = tmp / "stick"
        stick.mkdir()
        t0 = time.perf_counter()
        paths = make_packages(office, units, stick)
        made = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in paths)
        print(f"{n} packages, {size / 1024 ** 2:.0f} MB, made in {made:.2f} s "
              f"(each {TASKS} tasks, {ACTIONS} actions, {FILES} files of {FILE_SIZE // 1024} KB)")
        files_dir = tmp / "bare-files"
        files_dir.mkdir()
        t0 = time.perf_counter()
        baseline(bare, paths, files_dir)
        t_bare = time.perf_counter() - t0
        from core.exchange.importer import import_packages

        t0 = time.perf_counter()
        summary = import_packages(office, [stick])
        t_ours = time.perf_counter() - t0
        assert summary.count("imported") == n, [o.message for o in summary.outcomes if o.status != "imported"][:3]
        print(f"baseline (unzip + insert, no checks): {t_bare:.2f} s")
        print(f"taizhang import_packages:             {t_ours:.2f} s")
        ratio = t_ours / t_bare
        print(f"ratio: {ratio:.2f}×  (goal ≤ 2× and < 10 s: {'met' if ratio <= 2 and t_ours < 10 else 'NOT met'})")
        from core.supervise.rollup import build_rollup

        t0 = time.perf_counter()
        r = build_rollup(office)
        print(f"roll-up of {len(r.units)} units × {len(r.tasks)} tasks: {time.perf_counter() - t0:.2f} s")
        office.close()
        bare.close()
        if args.window:
            window_time(tmp / "office")
    return 0


def window_time(folder: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.app import start, stop

    win = start(folder, sync=True)  # opens the 汇总工作台 once (a supervisor's folder)
    app = QApplication.instance()
    sup = win.supervisor.window
    sup.resize(1366, 768)
    t0 = time.perf_counter()
    sup.refresh()  # sync runner: the roll-up is built and the model filled here
    sup.repaint()
    app.processEvents()
    took = time.perf_counter() - t0
    print(f"汇总工作台 with {sup.model.rowCount()} units × {len(sup.model.tasks)} tasks: roll-up read and "
          f"painted in {took:.2f} s (goal < 1 s: {'met' if took < 1 else 'NOT met'})")
    stop(win)


if __name__ == "__main__":
    sys.exit(main())
