"""The unit's tasks as the store was left, for the next window's first screen.

Opening the store (quick_check, migrations, the daily backup) and reading the
unit's tasks take the worker ~90 ms after the window appears. When a Ledger
closes a data folder's store (the window, the command line, a script), the
tasks the window would load are written to first-screen.json together with
the size and modification time of the store file once it is closed. At the
next start, if the store is exactly as it was left — nothing has written it
since: a crashed session, a restored file, another program — the table is
filled from that file before the store is open, with each task's light
worked out again for today. The store's own load replaces the rows a moment
later. When the file does not match or cannot be read, the rows are read
straight from the store file (``peek``: read-only, before quick_check and the
rest of the opening; the worker's Ledger imports are not needed for it); only
when that fails too does the table wait for the store's own load.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from datetime import date

from core import __version__
from core.clerk_settings import K_UNIT, current_plan, handler
from core.datafolder import DataFolder
from core.tasks import TaskView, compute_light, task_views

_DATES = ("deadline", "remedy_due", "done_date")  # TaskView's date fields
_TEXTS = ("plan_id", "category", "text", "units_text", "deadline_kind", "status", "dept", "person", "notes",
          "problem", "remedy")  # and some of its always-text ones, checked before use (light is worked out again)


@dataclass
class FirstScreen:
    unit_id: str
    unit_name: str  # the unit's short name, for the heading
    handler: str
    plan: dict  # id, year, title
    tasks: list[TaskView]


def read(store, today: date) -> FirstScreen | None:
    """What the window shows first, from a db.store.Store (None without 本单位
    or a plan)."""
    unit_id = store.get_setting(K_UNIT)
    unit = store.get_unit(unit_id) if unit_id else None
    plan = current_plan(store)
    if unit is None or plan is None:
        return None
    tasks = task_views(store, plan["id"], unit_id, today, include_all=True, include_dismissed=True)
    return FirstScreen(unit_id, unit["short_name"], handler(store),
                       {k: plan.get(k) for k in ("id", "year", "title")}, tasks)


def peek(folder: DataFolder, today: date) -> FirstScreen | None:
    """What the window shows first, read straight from the store file before it
    is opened the full way (quick_check, migrations, the daily backup): for a
    start with nothing remembered. None when there is no store, or it is of
    another version, busy or unreadable."""
    from db.errors import DbError
    from db.store import Store  # here: the window shows before this is read

    try:
        store = Store.peek(folder.store)
        if store is None:
            return None
        try:
            return read(store, today)
        finally:
            store.close()
    except (DbError, ValueError, TypeError, KeyError):  # not checked yet: a bad value is the open's to report
        return None


def stamp(folder: DataFolder) -> list:
    """The store file and its write-ahead log as they are on disk: size and
    modification time of each (None for a file that is not there)."""
    out = []
    for path in (folder.store, folder.store.with_name(folder.store.name + "-wal")):
        try:
            st = os.stat(path)
            out.append([st.st_size, st.st_mtime_ns])
        except OSError:
            out.append(None)
    return out


def save(folder: DataFolder, screen: FirstScreen | None) -> None:
    """Remember ``screen`` for the next start (Ledger.close, once the store is
    closed). None forgets what was remembered."""
    import json

    from core.safe_write import write_bytes_safely

    path = folder.first_screen
    if screen is None:
        path.unlink(missing_ok=True)
        return
    tasks = []
    for t in screen.tasks:
        d = asdict(t)
        for k in _DATES:
            d[k] = d[k].isoformat() if d[k] else None
        tasks.append(d)
    doc = {"version": __version__, "store": stamp(folder), "unit_id": screen.unit_id,
           "unit_name": screen.unit_name, "handler": screen.handler, "plan": screen.plan, "tasks": tasks}
    write_bytes_safely(path, json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def load(folder: DataFolder, today: date) -> FirstScreen | None:
    """The remembered first screen, if the store is exactly as it was when it
    was written by this version of Taizhang; else None."""
    try:
        with open(folder.first_screen, "rb") as f:
            data = f.read()
        import json  # here: the window shows before this is read, and json costs its start ~3 ms

        doc = json.loads(data)
        if doc.get("version") != __version__ or doc.get("store") != stamp(folder):
            return None
        names = {f.name for f in fields(TaskView)}
        tasks = []
        for d in doc["tasks"]:
            if set(d) != names or not (isinstance(d["id"], str) and type(d["number"]) is int
                                       and all(isinstance(d[k], str) for k in _TEXTS)):
                return None
            for k in _DATES:
                d[k] = date.fromisoformat(d[k]) if d[k] else None
            d["light"] = compute_light(d["deadline"], d["deadline_kind"], d["status"], today)
            tasks.append(TaskView(**d))
        return FirstScreen(doc["unit_id"], doc["unit_name"], doc["handler"], dict(doc["plan"]), tasks)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
