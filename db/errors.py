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
    IO = "io"  # the disk is gone or failing
    LOCKED = "locked"  # another program holds it
    CORRUPT = "corrupt"  # not an SQLite database (or a damaged one)
    KINDS = (READONLY, IO, LOCKED, CORRUPT)

    def __init__(self, kind: str, path: Path, detail: str = ""):
        assert kind in self.KINDS, kind
        self.kind = kind
        self.path = Path(path)
        self.detail = detail
        super().__init__(f"{kind}: {path}" + (f" ({detail})" if detail else ""))
