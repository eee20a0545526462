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

import contextlib
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from db.errors import (BackupFailedError, DbUnavailableError, MigrationFailedError, MigrationsIncompleteError,
                       SchemaTooNewError)

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


BUSY_TIMEOUT_MS = 30000  # a writer waits this long for another (the window, a script) to finish

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xff)
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def connect(path: Path | str, read_only: bool = False, busy_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection in autocommit mode; transactions are explicit (Store.atomic).
    ``read_only`` opens the file for reading only (a damaged store is looked at,
    never written); ``busy_ms`` is how long it waits for another's write."""
    try:
        if read_only:
            uri = Path(path).resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # 1 MiB of pages (SQLite's default is 2): a unit's whole store is a few
        # MB and stays in the system's file cache; the window's resident size is
        # ~1 MB smaller, a full read of 10,000 records ~1.5 ms slower.
        conn.execute("PRAGMA cache_size = -1024")
        if str(path) != ":memory:" and not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                conn.execute("PRAGMA journal_mode = DELETE")
        # FULL: a record the clerk was told is saved survives a power cut (bench/bench_sync.py)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _open_error(Path(str(path)), exc) from exc
    return conn


def _too_long(path: Path) -> bool:
    return len(os.fsencode(str(path))) >= 4096 or any(len(os.fsencode(part)) > 255 for part in path.parts)


def classify(exc: sqlite3.Error, path: Path | None) -> DbUnavailableError | None:
    """What a storage error means, or None when it is not about the disk or the
    file (a programming error, which stays as it is)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).lower()
    where = Path(path) if path is not None else Path(".")
    folder = where.parent
    if code == _FULL or "database or disk is full" in text:
        kind = DbUnavailableError.FULL
    elif code in (_BUSY, _LOCKED) or "locked" in text:
        kind = DbUnavailableError.LOCKED
    elif code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        kind = DbUnavailableError.CORRUPT
    elif code in (_READONLY, _IOERR, _CANTOPEN) or "readonly" in text or "unable to open" in text \
            or "disk i/o" in text:
        if path is not None and not folder.exists():
            kind = DbUnavailableError.GONE
        elif path is not None and _too_long(where):
            kind = DbUnavailableError.TOO_LONG
        elif code == _READONLY or "readonly" in text or not os.access(folder, os.W_OK) \
                or (where.exists() and not os.access(where, os.W_OK)):
            kind = DbUnavailableError.READONLY
        else:
            kind = DbUnavailableError.IO
    else:
        return None
    return DbUnavailableError(kind, where, str(exc))


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> DbUnavailableError:
    return classify(exc, path) or DbUnavailableError(DbUnavailableError.CORRUPT, path, str(exc))


def quick_check(conn: sqlite3.Connection, limit: int = 10) -> list[str]:
    """SQLite's quick_check: [] when the file is sound, else what it found."""
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA quick_check({int(limit)})")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in every table (a backup is compared with its source by these)."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no folder fsync)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def backup(conn: sqlite3.Connection, dest: Path) -> dict[str, int]:
    """A verified copy of the store at ``dest`` through SQLite's backup API,
    returning its row counts. It is written to ``dest``.part, checked
    (integrity_check, row counts equal to the source's at the moment of the
    copy), fsynced and only then renamed: ``dest`` is never a partial or 0-byte
    file. On failure the partial file is removed and BackupFailedError says why."""
    dest = Path(dest)
    import uuid  # here, as in db.store.new_id: it imports platform

    # a name of its own: two programs making the day's copy at once must not write into one file
    part = dest.with_name(f"{dest.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(part), isolation_level=None)
        try:
            began = not conn.in_transaction
            if began:
                conn.execute("BEGIN")  # one snapshot for the counts and the copy
            try:
                source_counts = table_counts(conn)
                conn.backup(target)
            finally:
                if began:
                    conn.execute("COMMIT")
            target.execute("PRAGMA journal_mode = DELETE")
            problems = [r[0] for r in target.execute("PRAGMA integrity_check(10)")]
            if problems != ["ok"]:
                raise BackupFailedError(BackupFailedError.VERIFY, dest, "; ".join(problems))
            counts = table_counts(target)
            if counts != source_counts:
                raise BackupFailedError(BackupFailedError.VERIFY, dest, f"{counts} != {source_counts}")
        finally:
            target.close()
        fd = os.open(part, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if part.stat().st_size == 0:
            raise BackupFailedError(BackupFailedError.VERIFY, dest, "0 bytes")
        os.replace(part, dest)
        fsync_dir(dest.parent)
        return counts
    except BackupFailedError:
        _unlink(part)
        raise
    except sqlite3.Error as exc:
        _unlink(part)
        found = classify(exc, part)
        raise BackupFailedError(found.kind if found else BackupFailedError.VERIFY, dest, str(exc)) from exc
    except OSError as exc:
        _unlink(part)
        raise BackupFailedError(_os_kind(exc), dest, str(exc)) from exc


def _os_kind(exc: OSError) -> str:
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DbUnavailableError.FULL
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DbUnavailableError.READONLY
    if exc.errno == errno.ENAMETOOLONG:
        return DbUnavailableError.TOO_LONG
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return DbUnavailableError.GONE
    return DbUnavailableError.IO


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def split_statements(script: str) -> list[str]:
    """A migration script as single statements (executescript would commit first)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    rest = "\n".join(l for l in buf.splitlines() if l.strip() and not l.strip().startswith("--"))
    if rest.strip():
        out.append(buf.strip())  # incomplete: SQLite says what is wrong with it
    return out


def migrate(conn: sqlite3.Connection, backup_dir: Path | None, folder: Path | None = None) -> int:
    """Bring the schema to the latest version; returns the version before.

    The version is read again after BEGIN IMMEDIATE: of several programs
    starting at once on a new or old file, one upgrades and the others wait
    for it and find nothing left to do."""
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
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise _open_error(Path(conn.execute("PRAGMA database_list").fetchone()[2] or "."), exc) from exc
    try:
        current = user_version(conn)
        if current > latest:
            raise SchemaTooNewError(current, latest)
        for _n, path in files[current:]:
            for statement in split_statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
        if current != latest:
            conn.execute(f"PRAGMA user_version = {latest}")
        conn.execute("COMMIT")
    except SchemaTooNewError:
        conn.execute("ROLLBACK")
        raise
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise MigrationFailedError(str(exc)) from exc
    return current
