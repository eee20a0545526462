"""The ledger: one facade over the store that every operation receives.

Services for the clerk of one unit — my tasks, actions, evidence files,
status and internal division, search — and for the directory and plans,
each group in its own module (ledger_units, ledger_plans, ledger_records,
ledger_files) and joined here.
Every write is one transaction; bad input raises an ``InputError`` with a
Chinese message before anything is written. Every storage error (full disk,
read-only folder, pulled stick, damaged file) comes out as a Chinese
``StoreError`` (see _speaks_chinese at the end).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import time
from datetime import date
from pathlib import Path

from core import attachments as files
from core import clerk_settings, first_screen
from core.clerk_settings import K_HANDLER, K_UNIT
from core.datafolder import DataFolder
from core.errors import (
    StoreError,
    TaizhangError,
    store_error,
)
from core.inputs import clean_text
from core.ledger_files import FileServices
from core.ledger_plans import ImportResult, PlanServices  # noqa: F401  (callers: core.ledger.ImportResult)
from core.ledger_records import RecordServices
from core.ledger_units import RoleChange, UnitServices  # noqa: F401  (callers: core.ledger.RoleChange)
from core.paths import resource_path
from core.safe_write import SaveError
from core.units import (
    Unit,
    UnitDirectory,
    load_directory_file,
)
from db.errors import DbError
from db.store import Store

EMBEDDED_PLAN = "dongguan-2021.txt"
_KEEP = object()  # Ledger.close: leave the remembered first screen as it is


class Ledger(UnitServices, PlanServices, RecordServices, FileServices):
    def __init__(self, store: Store, folder: DataFolder | None = None):
        self.store = store
        self.folder = folder  # None for a store in memory
        self._directory: UnitDirectory | None = None
        # Chinese sentences for the clerk about the store as opened (a damaged
        # store, a backup that could not be made); the window shows them.
        self.warnings: list[str] = []
        self.check_seconds = 0.0  # how long quick_check took when the store opened
        self._closed = False

    @property
    def read_only(self) -> bool:
        """True when the store was found damaged and opened read-only: every write
        raises StoreError; ``damage_message`` says what to do."""
        return self.store.read_only

    @property
    def damage_message(self) -> str:
        if not self.read_only:
            return ""
        where = self.folder.backups if self.folder else "backups"
        found = " ".join(" ".join(self.store.problems).split())
        found = found if len(found) <= 120 else found[:120] + "…"
        return (f"数据文件“{self.store.path}”已损坏（{found}），"
                f"已以只读方式打开：可以查看和导出，不能修改。请从备份恢复：备份在“{where}”中"
                "（窗口“从备份恢复”，或命令行 taizhang restore 备份文件），或联系技术人员。")

    # ---- life cycle -------------------------------------------------------
    @classmethod
    def open(cls, folder: DataFolder | Path | str, seed: bool = True) -> Ledger:
        """The store in the data folder (created if missing), seeded unless ``seed`` is false."""
        from core import backup

        folder = folder if isinstance(folder, DataFolder) else DataFolder(folder)
        folder.ensure()
        backup.refuse_orphaned(folder)
        started = time.perf_counter()
        try:
            store = Store.open(folder.store, folder.backups)
        except DbError as exc:
            raise store_error(exc) from exc
        ledger = cls(store, folder)
        ledger.check_seconds = time.perf_counter() - started
        if ledger.read_only:
            ledger.warnings.append(ledger.damage_message)
            return ledger
        try:
            if seed:
                ledger.ensure_seeded()
            try:
                backup.auto_backup(store, folder)
            except StoreError as exc:  # the store itself is fine: say so, and go on
                ledger.warnings.append(f"今天的自动备份未能完成：{exc}")
            files.remove_stale_parts(ledger.attachments_dir)
        except BaseException:
            ledger.close()
            raise
        return ledger

    @classmethod
    def memory(cls, seed: bool = True) -> Ledger:
        try:
            ledger = cls(Store.memory())
        except DbError as exc:
            raise store_error(exc) from exc
        if seed:
            ledger.ensure_seeded()
        return ledger

    def close(self) -> None:
        """Close the store. A data folder's store leaves behind what the next
        window shows first (core.first_screen), whoever closes it: the window,
        the command line or a script."""
        if self._closed:
            return
        try:
            screen = self._screen_to_remember()
        finally:
            self.store.close()
            self._closed = True
        if screen is not _KEEP:
            with contextlib.suppress(OSError, SaveError):  # a cache: the next start reads the store instead
                first_screen.save(self.folder, screen)

    def _screen_to_remember(self):
        """A FirstScreen; None to forget the remembered one (a damaged store,
        no 本单位, a read that failed); _KEEP when this Ledger wrote nothing and
        one is remembered already (a command that only read)."""
        if self.folder is None:
            return _KEEP
        if self.read_only:
            return None
        if self.store.total_changes() == 0 and self.folder.first_screen.exists():
            return _KEEP
        try:
            before = self.store.data_version()
            screen = first_screen.read(self.store, date.today())
            # another program committed while this read: the file would be newer than the screen
            return screen if self.store.data_version() == before else None
        except Exception:  # (no plan, the disk gone…) a cache: the next start reads the store instead
            return None

    @property
    def attachments_dir(self) -> Path:
        if self.folder is None:
            raise TaizhangError("内存中的数据库不能保存附件。")
        return self.folder.attachments

    def ensure_seeded(self) -> None:
        """A new store gets the unit directory and the embedded plan (in one
        transaction: of several programs starting at once on a new folder, one
        seeds and the others find it done)."""
        if self.store.count_units() and self.store.list_plans():
            return
        with self.store.atomic():
            self._seed()

    def _seed(self) -> None:
        if self.store.count_units() == 0:
            self.load_directory(load_directory_file(resource_path("units.json")))
        if not self.store.list_plans():
            path = resource_path("plans", EMBEDDED_PLAN)
            from core.plan_parser import decode_plan_bytes

            self.import_plan_text(decode_plan_bytes(path.read_bytes()), source=f"内置：{EMBEDDED_PLAN}")

    # ---- who I am ---------------------------------------------------------
    def my_unit(self) -> Unit | None:
        uid = self.store.get_setting(K_UNIT)
        return self.directory().get(uid) if uid else None

    def set_my_unit(self, name_or_id: str) -> Unit:
        unit = self.find_unit(name_or_id)
        self.store.set_setting(K_UNIT, unit.id)
        return unit

    def handler(self) -> str:
        return clerk_settings.handler(self.store)

    def set_handler(self, name: str) -> str:
        name = clean_text(name, "经办人姓名", limit=50)
        self.store.set_setting(K_HANDLER, name)
        return name


def _speaks_chinese(cls):
    """Every method of the Ledger turns a storage error from db/ (full disk,
    read-only folder, pulled stick, damaged or read-only store) into the
    clerk's Chinese StoreError (core.errors.store_error)."""
    def wrap(fn):
        if inspect.isgeneratorfunction(fn):
            return fn

        @functools.wraps(fn)
        def method(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except DbError as exc:
                raise store_error(exc) from exc
        return method

    done = set()
    for klass in cls.__mro__[:-1]:  # the Ledger and its service classes
        for name, value in list(vars(klass).items()):
            if inspect.isfunction(value) and not name.startswith("__") and name not in done:
                done.add(name)
                setattr(cls, name, wrap(value))
    return cls


Ledger = _speaks_chinese(Ledger)

