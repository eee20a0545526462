"""Opening the database: the one place that makes SQLite connections.

WAL, foreign keys and a busy timeout on every connection; the schema is
brought up to date by the numbered scripts in db/migrations, applied as one
chain inside one transaction after a backup (SQLite's backup API, never a file
copy of a live WAL database). A database from a newer Taizhang is refused
before anything is written to it.

The migrations are found beside this file, which is where they are both in
the source tree and in the PyInstaller bundle (pyinstaller.spec copies
db/migrations to _MEIPASS/db/migrations, where this module's __file__ is).
Errors are db.errors; core.ledger says them in Chinese.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from db.errors import DbUnavailableError, MigrationFailedError, MigrationsIncompleteError, SchemaTooNewError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migration_files(folder: Path | None = None) -> list[tuple[int, Path]]:
    folder = folder or MIGRATIONS_DIR
    found = []
    for p in sorted(folder.iterdir()):
        m = _MIGRATION.match(p.name)
        if m:
            found.append((int(m[1]), p))
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise MigrationsIncompleteError(numbers)
    return found


def latest_version(folder: Path | None = None) -> int:
    return len(migration_files(folder))


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode; transactions are explicit (Store.atomic)."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _open_error(Path(str(path)), exc) from exc
    return conn


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> DbUnavailableError:
    text = str(exc).lower()
    folder = path.parent
    if "readonly" in text or "unable to open" in text or "disk i/o" in text:
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            return DbUnavailableError(DbUnavailableError.READONLY, path, str(exc))
        return DbUnavailableError(DbUnavailableError.IO, path, str(exc))
    if "locked" in text or "busy" in text:
        return DbUnavailableError(DbUnavailableError.LOCKED, path, str(exc))
    return DbUnavailableError(DbUnavailableError.CORRUPT, path, str(exc))


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def backup(conn: sqlite3.Connection, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(str(dest))
    try:
        conn.backup(target)
    finally:
        target.close()
    return dest


def migrate(conn: sqlite3.Connection, backup_dir: Path | None, folder: Path | None = None) -> int:
    """Bring the schema to the latest version; returns the version before."""
    files = migration_files(folder)
    latest = len(files)
    current = user_version(conn)
    if current > latest:
        raise SchemaTooNewError(current, latest)
    if current == latest:
        return current
    if current > 0 and backup_dir is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup(conn, backup_dir / f"taizhang-v{current}-{stamp}.db")
    script = ["BEGIN IMMEDIATE;"]
    for n, path in files[current:]:
        script.append(f"-- {path.name}\n" + path.read_text(encoding="utf-8"))
    script.append(f"PRAGMA user_version = {latest};")
    script.append("COMMIT;")
    try:
        conn.executescript("\n".join(script))
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise MigrationFailedError(str(exc)) from exc
    return current
