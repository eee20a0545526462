"""What can go wrong below the ledger, as facts rather than sentences.

db/ speaks no user's language: these carry what happened (a kind, a path,
the versions) and core.ledger turns them into the Chinese messages the
user sees (core.errors).
"""

from __future__ import annotations

from pathlib import Path


class DbError(Exception):
    """Base class of the store's errors."""


class SchemaTooNewError(DbError):
    """The database was written by a newer program (its user_version is higher)."""

    def __init__(self, found: int, supported: int):
        self.found = found
        self.supported = supported
        super().__init__(f"schema version {found} is newer than {supported}")


class MigrationsIncompleteError(DbError):
    """db/migrations does not hold one unbroken chain 0001, 0002, …"""

    def __init__(self, numbers: list[int]):
        self.numbers = numbers
        super().__init__(f"migration scripts are not a complete chain: {numbers}")


class MigrationFailedError(DbError):
    """A migration script failed; the transaction was rolled back."""

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(f"migration failed: {detail}")


class DbUnavailableError(DbError):
    """The database file cannot be opened; ``kind`` says why."""

    READONLY = "readonly"  # the folder or the file cannot be written
    IO = "io"  # the disk is failing
    GONE = "gone"  # the folder is no longer there (a pulled USB stick)
    FULL = "full"  # no space left on the disk
    TOO_LONG = "too_long"  # the path is longer than the system allows
    LOCKED = "locked"  # another program holds it (longer than the busy timeout)
    CORRUPT = "corrupt"  # not an SQLite database (or a damaged one)
    KINDS = (READONLY, IO, GONE, FULL, TOO_LONG, LOCKED, CORRUPT)

    def __init__(self, kind: str, path: Path, detail: str = ""):
        assert kind in self.KINDS, kind
        self.kind = kind
        self.path = Path(path)
        self.detail = detail
        super().__init__(f"{kind}: {path}" + (f" ({detail})" if detail else ""))


class DbReadOnlyError(DbError):
    """A write was refused: the store was opened read-only because it is damaged."""

    def __init__(self, path: Path | None, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"store opened read-only (damaged): {problems[:3]}")


class BackupFailedError(DbError):
    """A copy of the store could not be written or did not verify; its partial
    file was removed. ``kind`` is one of DbUnavailableError's kinds or
    ``"verify"`` (the copy did not match)."""

    VERIFY = "verify"

    def __init__(self, kind: str, path: Path, detail: str = ""):
        self.kind = kind
        self.path = Path(path)
        self.detail = detail
        super().__init__(f"backup {kind}: {path}" + (f" ({detail})" if detail else ""))
