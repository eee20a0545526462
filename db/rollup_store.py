"""The supervising office's SQL: exchange packages and the roll-up.

A second repository module beside db/store.py, over the same ``Store`` (same
connection, same lock, same ``atomic()``). It is separate because store.py is
shared with other work in progress: the supervisor's queries (a unit's records
as a package carries them, replacing them all at once, the packages received,
the roll-up's counts) are about 150 lines that would otherwise sit in the middle
of every other change to store.py. Like store.py it imports nothing from core.
"""

from __future__ import annotations

from collections.abc import Iterable

from db.store import Store, now

# The columns a package carries for each table, in this order (the package
# format's data/records.json names them; a newer schema adds columns at the end).
STATE_COLUMNS = ("id", "plan_id", "unit_id", "task_id", "status", "dept", "person", "notes", "decision",
                 "problem", "remedy", "remedy_due", "done_date", "created_at", "updated_at")
ACTION_COLUMNS = ("id", "plan_id", "unit_id", "task_id", "action_date", "content", "handler", "link", "version",
                  "created_at", "updated_at")
ATTACHMENT_COLUMNS = ("id", "plan_id", "unit_id", "task_id", "action_id", "sha256", "name", "size", "added_at",
                      "updated_at")
REPORT_COLUMNS = ("id", "plan_id", "unit_id", "summary", "problems", "next_steps", "created_at", "updated_at")


class RollupStore:
    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn
        self.db = store.db

    def _rows(self, sql: str, params: Iterable | dict = ()) -> list[dict]:
        with self.store._lock:
            return [dict(r) for r in self.conn.execute(sql, params if isinstance(params, dict) else tuple(params))]

    def _one(self, sql: str, params: Iterable | dict = ()) -> dict | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # ---- a unit's records, as a package carries them -------------------------
    def unit_records(self, plan_id: str, unit_id: str) -> dict[str, list[dict]]:
        """The unit's task states, live actions, live attachments (of live actions)
        and report texts in ``plan_id``."""
        p = (plan_id, unit_id)
        return {
            "task_states": self._rows(f"SELECT {', '.join(STATE_COLUMNS)} FROM task_states "
                                      "WHERE plan_id = ? AND unit_id = ? ORDER BY task_id", p),
            "actions": self._rows(f"SELECT {', '.join(ACTION_COLUMNS)} FROM actions WHERE plan_id = ? "
                                  "AND unit_id = ? AND deleted_at IS NULL ORDER BY action_date, created_at", p),
            "attachments": self._rows(
                f"SELECT {', '.join(ATTACHMENT_COLUMNS)} FROM attachments WHERE plan_id = ? AND unit_id = ? "
                "AND deleted_at IS NULL AND (action_id IS NULL OR action_id IN "
                "(SELECT id FROM actions WHERE deleted_at IS NULL)) ORDER BY added_at", p),
            "unit_reports": self._rows(f"SELECT {', '.join(REPORT_COLUMNS)} FROM unit_reports "
                                       "WHERE plan_id = ? AND unit_id = ?", p),
        }

    def replace_unit_records(self, plan_id: str, unit_id: str, records: dict[str, list[dict]]) -> None:
        """Drop the unit's records in the plan and put ``records`` in their place
        (inside the caller's transaction)."""
        with self.store.atomic():
            p = (plan_id, unit_id)
            self.conn.execute("DELETE FROM attachments WHERE plan_id = ? AND unit_id = ?", p)
            self.conn.execute("DELETE FROM action_versions WHERE plan_id = ? AND unit_id = ?", p)
            self.conn.execute("DELETE FROM actions WHERE plan_id = ? AND unit_id = ?", p)
            self.conn.execute("DELETE FROM task_states WHERE plan_id = ? AND unit_id = ?", p)
            self.conn.execute("DELETE FROM unit_reports WHERE plan_id = ? AND unit_id = ?", p)
            for table, columns in (("task_states", STATE_COLUMNS), ("actions", ACTION_COLUMNS),
                                   ("attachments", ATTACHMENT_COLUMNS), ("unit_reports", REPORT_COLUMNS)):
                rows = records.get(table) or []
                if rows:
                    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
                           f"VALUES ({', '.join('?' for _ in columns)})")
                    self.conn.executemany(sql, [tuple(r.get(c) for c in columns) for r in rows])

    def ids_taken_elsewhere(self, table: str, ids: list[str], plan_id: str, unit_id: str) -> list[str]:
        """Which of ``ids`` already belong to another unit's or plan's row of ``table``."""
        assert table in ("task_states", "actions", "attachments", "unit_reports")
        taken = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            taken += [r["id"] for r in self._rows(
                f"SELECT id FROM {table} WHERE id IN ({', '.join('?' for _ in chunk)}) "
                "AND NOT (plan_id = ? AND unit_id = ?)", [*chunk, plan_id, unit_id])]
        return taken

    def task_ids(self, plan_id: str) -> set[str]:
        return {r["id"] for r in self._rows("SELECT id FROM tasks WHERE plan_id = ?", (plan_id,))}

    # ---- packages received ---------------------------------------------------
    def current_package(self, plan_id: str, unit_id: str) -> dict | None:
        return self._one("SELECT * FROM rollup_units WHERE plan_id = ? AND unit_id = ?", (plan_id, unit_id))

    def received(self, package_id: str) -> dict | None:
        return self._one("SELECT * FROM received_packages WHERE id = ?", (package_id,))

    def record_package(self, row: dict) -> None:
        """A package imported: its history row and the unit's current package."""
        with self.store.atomic():
            stamp = now()
            self.db["received_packages"].insert({**row, "imported_at": stamp})
            self.db["rollup_units"].upsert(
                {"plan_id": row["plan_id"], "unit_id": row["unit_id"], "package_id": row["id"],
                 "installation_id": row["installation_id"], "sequence": row["sequence"],
                 "created_at": row["created_at"], "imported_at": stamp}, pk=("plan_id", "unit_id"))

    def rollup_units(self, plan_id: str) -> list[dict]:
        return self._rows("SELECT r.*, p.file_name, p.with_files FROM rollup_units r "
                          "JOIN received_packages p ON p.id = r.package_id WHERE r.plan_id = ?", (plan_id,))

    def received_packages(self, plan_id: str | None = None) -> list[dict]:
        if plan_id is None:
            return self._rows("SELECT * FROM received_packages ORDER BY imported_at")
        return self._rows("SELECT * FROM received_packages WHERE plan_id = ? ORDER BY imported_at", (plan_id,))

    # ---- the roll-up's raw facts -------------------------------------------------
    def all_states(self, plan_id: str) -> list[dict]:
        return self._rows("SELECT unit_id, task_id, status, decision, done_date, updated_at FROM task_states "
                          "WHERE plan_id = ?", (plan_id,))

    def counts_by_unit_task(self, plan_id: str) -> dict[tuple[str, str], tuple[int, int]]:
        """(unit, task) -> (live actions, live evidence files)."""
        out: dict[tuple[str, str], list[int]] = {}
        for r in self._rows("SELECT unit_id, task_id, count(*) AS n FROM actions WHERE plan_id = ? "
                            "AND deleted_at IS NULL GROUP BY unit_id, task_id", (plan_id,)):
            out.setdefault((r["unit_id"], r["task_id"]), [0, 0])[0] = r["n"]
        for r in self._rows("SELECT unit_id, task_id, count(*) AS n FROM attachments WHERE plan_id = ? "
                            "AND deleted_at IS NULL AND (action_id IS NULL OR action_id IN "
                            "(SELECT id FROM actions WHERE deleted_at IS NULL)) GROUP BY unit_id, task_id",
                            (plan_id,)):
            out.setdefault((r["unit_id"], r["task_id"]), [0, 0])[1] = r["n"]
        return {k: (v[0], v[1]) for k, v in out.items()}
