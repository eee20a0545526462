"""Backups: automatic daily copies of the store, and whole-folder archives.

Automatic (``auto_backup``, on the first open each day): a verified copy of
the store (SQLite's backup API, integrity_check, row counts compared) at
backups/auto/taizhang-YYYY-MM-DD.db; the last 7 days and the last copy of
each of the last 4 weeks are kept. Before a schema upgrade db.connection
writes backups/taizhang-vN-<stamp>.db the same way. A failed copy leaves no
file and says why in Chinese.

An archive (``write_archive``: 备份到…, ``backup --out``) is one zip holding
the whole data folder's worth: meta.json first (format and version), the
store, every evidence file the store refers to, and manifest.json last (the
sha256 and size of every entry, the row counts). It is written through
core.safe_write (a full or pulled stick leaves nothing half-written) and read
back and checked before it is renamed into place.

``restore`` takes an archive or a single store copy (a .db from backups/),
checks all of it before touching anything, then moves the current store and
evidence files aside into backups/before-restore-<stamp>/ — never
overwriting them — and puts the restored ones in their place.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from core import __version__
from core import attachments as files
from core.attachments import sha256
from core.datafolder import DataFolder
from core.errors import Cancelled, InputError, StoreError, os_error_text
from core.paths import process_alive
from core.safe_write import safe_output
from db import connection
from db.errors import BackupFailedError

FORMAT = "taizhang-backup"
FORMAT_VERSION = 1
KEEP_DAILY = 7
KEEP_WEEKLY = 4

_AUTO_NAME = re.compile(r"^taizhang-(\d{4}-\d{2}-\d{2})\.db$")
_BLOB_ENTRY = re.compile(r"^attachments/([0-9a-f]{2})/([0-9a-f]{64})$")
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class ArchiveResult:
    path: Path
    records: int  # rows in the user's tables (actions, attachments, states, texts)
    files: int  # evidence files in the archive
    bytes: int  # size of the archive
    missing: list[str] = field(default_factory=list)  # names of evidence files not found on disk


@dataclass
class RestoreResult:
    records: int
    files: int
    kept: Path | None  # where the replaced store and files were moved (None: there were none)


USER_TABLES = ("actions", "action_versions", "attachments", "task_states", "unit_reports")


def _records(counts: dict[str, int]) -> int:
    return sum(counts.get(t, 0) for t in USER_TABLES)


def auto_dir(folder: DataFolder) -> Path:
    return folder.backups / "auto"


# ---- automatic copies --------------------------------------------------------

def auto_backup(store, folder: DataFolder, today: date | None = None) -> Path | None:
    """Today's copy of the store, unless there is one; then the rotation. Returns
    the new copy's path, or None when today's existed. Raises StoreError
    (Chinese: why, e.g. the disk is full) when the copy could not be made."""
    today = today or date.today()
    target = auto_dir(folder) / f"taizhang-{today.isoformat()}.db"
    if target.exists():
        return None
    try:
        store.backup_to(target)
    except BackupFailedError as exc:
        raise backup_error(exc) from exc
    rotate(auto_dir(folder))
    return target


def rotate(folder: Path, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY) -> list[Path]:
    """Delete the automatic copies no longer kept: all but the newest
    ``keep_daily`` days and the newest copy of each of the newest
    ``keep_weekly`` weeks. Returns what it deleted."""
    dated = []
    try:
        for p in folder.iterdir():
            m = _AUTO_NAME.match(p.name)
            if m:
                with contextlib.suppress(ValueError):
                    dated.append((date.fromisoformat(m[1]), p))
    except OSError:
        return []
    dated.sort(reverse=True)
    keep = {p for _d, p in dated[:keep_daily]}
    weeks: dict[tuple[int, int], Path] = {}
    for d, p in dated:
        weeks.setdefault(d.isocalendar()[:2], p)
    keep |= set(list(weeks.values())[:keep_weekly])
    removed = []
    for _d, p in dated:
        if p not in keep:
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


def list_backups(folder: DataFolder) -> list[Path]:
    """The store copies in backups/ (automatic, before upgrades), newest first."""
    found = [p for p in folder.backups.rglob("*.db") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


_KIND_WORDS = {
    "full": "磁盘空间已满", "readonly": "备份文件夹是只读的或没有写入权限", "gone": "备份位置已无法访问（U盘可能已拔出）",
    "too_long": "路径太长", "io": "读写出错（磁盘可能有故障或已拔出）", "locked": "数据文件正被占用",
    "corrupt": "数据文件已损坏", "verify": "写出的备份与数据文件核对不一致",
}


def backup_error(exc: BackupFailedError) -> StoreError:
    why = _KIND_WORDS.get(exc.kind, exc.detail or exc.kind)
    return StoreError(f"备份“{exc.path.name}”未能写入（{why}），不完整的备份文件已删除。数据文件本身没有改动。")


# ---- a missing or empty store beside evidence files --------------------------

def refuse_orphaned(folder: DataFolder) -> None:
    """A missing or 0-byte store in a folder that has evidence files or backups
    is not replaced by an empty ledger: StoreError says where the backups are."""
    store = folder.store
    try:
        empty = not store.exists() or store.stat().st_size == 0
    except OSError:
        return
    if not empty:
        return
    n_files = next(iter(files.blobs(folder.attachments)), None) is not None
    n_backups = folder.backups.exists() and any(folder.backups.rglob("*.db"))
    if not (n_files or n_backups):
        return
    state = "是空的（0 字节）" if store.exists() else "不见了"
    raise StoreError(
        f"数据文件“{store}”{state}，但数据文件夹中还有佐证材料或备份。为免用空白台账覆盖原有记录，程序没有新建数据文件。"
        f"请从备份恢复：备份在“{folder.backups}”中（命令行：taizhang restore 备份文件），"
        "或把原来的 taizhang.db 放回该文件夹。")


# ---- archives ----------------------------------------------------------------

def write_archive(ledger, out: Path | str, progress: files.Progress | None = None,
                  cancelled: files.IsCancelled | None = None) -> ArchiveResult:
    """The whole data folder (store + evidence files) as one verified zip at
    ``out``. Raises SaveError (Chinese, e.g. the stick is full) or Cancelled;
    either way nothing is left at ``out`` but what was there before."""
    folder: DataFolder = ledger.folder
    if folder is None:
        raise StoreError("内存中的数据库不能备份。")
    out = Path(out).expanduser()
    folder.tmp.mkdir(parents=True, exist_ok=True)
    snapshot = folder.tmp / f"backup-{uuid.uuid4().hex}.db"
    try:
        try:
            counts = ledger.store.backup_to(snapshot)
        except BackupFailedError as exc:
            raise backup_error(exc) from exc
        rows = ledger.store.all_attachment_rows()
        shas = sorted({r["sha256"] for r in rows if files.valid_sha(r["sha256"])})
        blobs, missing = [], []
        for sha in shas:
            path = files.blob_path(folder.attachments, sha)
            if path.is_file():
                blobs.append((sha, path, path.stat().st_size))
            else:
                missing.extend(r["name"] for r in rows if r["sha256"] == sha)
        total = snapshot.stat().st_size + sum(size for _s, _p, size in blobs)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, 2 * total)
            if cancelled is not None and cancelled():
                raise Cancelled("已取消备份，未保存任何内容。")

        manifest = {"files": [], "counts": counts, "missing": missing}
        with safe_output(out) as fh:
            with zipfile.ZipFile(fh, "w", allowZip64=True) as zf:
                zf.writestr("meta.json", json.dumps({
                    "format": FORMAT, "version": FORMAT_VERSION, "app": __version__,
                    "schema": ledger.store.schema_version(), "created": datetime.now().isoformat(timespec="seconds"),
                }, ensure_ascii=False))
                entries = [("taizhang.db", snapshot, None)] + [
                    (f"attachments/{sha[:2]}/{sha}", path, sha) for sha, path, _size in blobs]
                for name, path, expected in entries:
                    sha = _copy_into_zip(zf, name, path, step)
                    if expected is not None and sha != expected:  # a damaged evidence file on disk
                        raise StoreError(f"佐证材料文件“{path}”的内容与记录不符（文件已损坏），备份未完成。")
                    manifest["files"].append({"path": name, "sha256": sha, "size": path.stat().st_size})
                zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            fh.flush()
            fh.seek(0)
            _verify_zip(fh, step)
            size = fh.seek(0, os.SEEK_END)
    finally:
        with contextlib.suppress(OSError):
            snapshot.unlink()
    return ArchiveResult(out, _records(counts), len(blobs), size, missing)


def _copy_into_zip(zf: zipfile.ZipFile, name: str, path: Path, step: Callable[[int], None]) -> str:
    digest = sha256()
    method = zipfile.ZIP_DEFLATED if name.endswith(".db") else zipfile.ZIP_STORED
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = method
    with open(path, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(files.CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            step(len(chunk))
    return digest.hexdigest()


# A damaged archive: a bad CRC, a cut or garbled deflate stream, a broken directory, bad JSON.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, KeyError, ValueError)


@contextlib.contextmanager
def _damaged_zip(tail: str):
    """Reading a damaged archive ends in StoreError (``tail``: what became of
    the backup or the restore, e.g. "，未恢复，当前数据没有改动")."""
    try:
        yield
    except _ZIP_ERRORS as exc:
        raise StoreError(f"备份文件已损坏或不完整（{exc}）{tail}。") from exc


def _verify_zip(fh, step: Callable[[int], None] | None = None) -> dict:
    """Read every entry back (``_check_entries``). Returns the manifest; raises
    StoreError otherwise."""
    with _damaged_zip(""), zipfile.ZipFile(fh) as zf:
        manifest = _read_manifest(zf)
        _check_entries(zf, manifest, "", step=step)
        return manifest


def _check_entries(zf: zipfile.ZipFile, manifest: dict, tail: str, into: Path | None = None,
                   step: Callable[[int], None] | None = None) -> int:
    """The checks of an archive's entries against its manifest (as
    ``_read_manifest`` returned it), shared by the check after writing and by
    restore: every path the manifest lists is in the zip; every entry but
    meta.json and manifest.json is listed with its size; its sha256 is the
    manifest's and, for an evidence file, its name. With ``into`` each entry is
    also written (and fsynced) below that folder as it is read. ``step(n)``
    after each chunk read (progress; it may raise Cancelled). ``tail`` ends the
    Chinese messages. Returns the number of evidence files; raises StoreError."""
    listed = {f["path"]: f for f in manifest["files"]}
    if set(listed) - set(zf.namelist()):
        raise StoreError(f"备份文件不完整：清单中的部分文件不在其中{tail}。")
    blobs = 0
    for info in zf.infolist():
        if info.filename in ("meta.json", "manifest.json"):
            continue
        want = listed.get(info.filename)
        if want is None or info.file_size != want["size"]:
            raise StoreError(f"备份文件中的“{info.filename}”与清单不符，备份文件不完整或已损坏{tail}。")
        is_blob = info.filename != DataFolder.STORE
        digest = sha256()
        with contextlib.ExitStack() as stack:
            src = stack.enter_context(zf.open(info))
            dst = None
            if into is not None:
                target = into / info.filename  # names checked by _read_manifest: no way out of ``into``
                target.parent.mkdir(parents=True, exist_ok=True)
                dst = stack.enter_context(open(target, "wb"))
            while chunk := src.read(files.CHUNK):
                digest.update(chunk)
                if dst is not None:
                    dst.write(chunk)
                if step is not None:
                    step(len(chunk))
            if dst is not None:
                dst.flush()
                os.fsync(dst.fileno())
        sha = digest.hexdigest()
        if sha != want["sha256"] or (is_blob and sha != info.filename.rsplit("/", 1)[-1]):
            raise StoreError(f"备份文件中的“{info.filename}”已损坏（校验值不符）{tail}。")
        blobs += is_blob
    return blobs


def _read_manifest(zf: zipfile.ZipFile) -> dict:
    names = zf.namelist()
    if "meta.json" not in names or "manifest.json" not in names:
        raise StoreError("这不是台账的备份文件（缺少 meta.json 或 manifest.json）。")
    meta = json.loads(zf.read("meta.json"))
    if meta.get("format") != FORMAT:
        raise StoreError("这不是台账的备份文件。")
    if int(meta.get("version", 0)) > FORMAT_VERSION:
        raise StoreError("该备份由较新版本的台账程序创建，本程序无法读取。请升级台账程序后再恢复。")
    for name in names:
        if name not in ("meta.json", "manifest.json", "taizhang.db") and not _good_blob_entry(name):
            raise StoreError(f"备份文件中有不认识的内容（“{name[:80]}”），为安全起见未恢复。")
    if len(names) != len(set(names)):
        raise StoreError("备份文件中有重复的条目，为安全起见未恢复。")
    manifest = json.loads(zf.read("manifest.json"))
    if not isinstance(manifest.get("files"), list) or "taizhang.db" not in names:
        raise StoreError("备份文件的清单不完整。")
    return manifest


def _good_blob_entry(name: str) -> bool:
    m = _BLOB_ENTRY.match(name)
    return bool(m) and m[2][:2] == m[1]


# ---- restore -----------------------------------------------------------------

def restore(source: Path | str, folder: DataFolder | Path | str, progress: files.Progress | None = None,
            cancelled: files.IsCancelled | None = None) -> RestoreResult:
    """Restore the data folder from an archive (write_archive) or from a single
    store copy (a .db in backups/). Everything is checked first, in a staging
    folder inside the data folder; only then are the current store and evidence
    files moved aside to backups/before-restore-<stamp>/ and the restored ones
    moved in. The store must not be open (close the window's Ledger first).
    Raises StoreError / InputError / Cancelled; nothing is changed then."""
    folder = folder if isinstance(folder, DataFolder) else DataFolder(folder)
    source = Path(source).expanduser()
    if not source.is_file():
        raise InputError(f"找不到备份文件“{source}”。")
    folder.ensure()
    _refuse_if_window_open(folder)
    staging = folder.tmp / f"restore-{uuid.uuid4().hex}"
    try:
        staging.mkdir(parents=True)
        with open(source, "rb") as fh:
            head = fh.read(len(_SQLITE_HEADER))
        if head == _SQLITE_HEADER:
            shutil.copyfile(source, staging / DataFolder.STORE)
            n_files, with_files = 0, False
        elif zipfile.is_zipfile(source):
            n_files = _extract(source, staging, progress, cancelled)
            with_files = True
        else:
            raise StoreError(f"“{source.name}”不是台账的备份文件（既不是备份压缩包，也不是数据文件）。")
        counts = _check_store_copy(staging / DataFolder.STORE)
        if cancelled is not None and cancelled():
            raise Cancelled("已取消恢复，数据没有改动。")
        kept = _swap_in(folder, staging, with_files)
        return RestoreResult(_records(counts), n_files, kept)
    except OSError as exc:
        raise StoreError(f"恢复失败（{os_error_text(exc)}），当前数据没有改动。") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _refuse_if_window_open(folder: DataFolder) -> None:
    """The window holds taizhang.lock (QLockFile: pid, app, host) while open."""
    try:
        pid = int(folder.lock.read_text(encoding="utf-8", errors="replace").split()[0])
    except (OSError, ValueError, IndexError):
        return
    if pid == os.getpid():
        return
    if process_alive(pid):
        raise StoreError("台账窗口正在使用这个数据文件夹。请先关闭台账窗口，或在窗口中使用“从备份恢复”。当前数据没有改动。")


_NOT_RESTORED = "，未恢复，当前数据没有改动"


def _extract(source: Path, staging: Path, progress: files.Progress | None,
             cancelled: files.IsCancelled | None) -> int:
    """The archive's entries, checked as they are written into ``staging``
    (``_check_entries``); the number of evidence files."""
    with _damaged_zip(_NOT_RESTORED), open(source, "rb") as fh, zipfile.ZipFile(fh) as zf:
        manifest = _read_manifest(zf)
        total = sum(i.file_size for i in zf.infolist() if i.filename not in ("meta.json", "manifest.json"))
        free = shutil.disk_usage(staging).free
        if free < total + files.SPACE_MARGIN:
            raise StoreError(f"数据盘剩余空间不足（剩余 {files.human_size(free)}，需要 {files.human_size(total)}），"
                             "未恢复，当前数据没有改动。")
        done = 0

        def step(n: int) -> None:
            nonlocal done
            if cancelled is not None and cancelled():
                raise Cancelled("已取消恢复，数据没有改动。")
            done += n
            if progress is not None:
                progress(done, total)

        return _check_entries(zf, manifest, _NOT_RESTORED, into=staging, step=step)


def _check_store_copy(path: Path) -> dict[str, int]:
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check(10)")]
            if problems != ["ok"]:
                raise StoreError(f"备份中的数据文件已损坏（{'；'.join(problems[:3])}），未恢复，当前数据没有改动。")
            found, latest = connection.user_version(conn), connection.latest_version()
            if found > latest:
                raise StoreError("该备份由较新版本的台账程序创建，本程序无法读取。请升级台账程序后再恢复。")
            conn.execute("PRAGMA journal_mode = DELETE")
            return connection.table_counts(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"备份中的数据文件已损坏或不是台账的数据文件（{exc}），未恢复，当前数据没有改动。") from exc


def _swap_in(folder: DataFolder, staging: Path, with_files: bool) -> Path | None:
    """Current store (with -wal/-shm) and, for an archive, attachments/ go to
    backups/before-restore-<stamp>/; the staged ones take their place. A crash
    half-way leaves a missing store beside evidence files, which Ledger.open
    refuses (refuse_orphaned) rather than starting empty."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = folder.backups / f"before-restore-{stamp}-{uuid.uuid4().hex[:6]}"
    moved = False
    store_files = [folder.store.with_name(folder.store.name + s) for s in ("", "-wal", "-shm")]
    if with_files and (staging / "attachments").exists() is False:
        (staging / "attachments").mkdir()
    if any(p.exists() for p in store_files) or (with_files and folder.attachments.exists()):
        kept.mkdir(parents=True)
        if with_files and folder.attachments.exists():
            os.replace(folder.attachments, kept / "attachments")
        for p in store_files:
            if p.exists():
                os.replace(p, kept / p.name)
        connection.fsync_dir(kept)
        moved = True
    if with_files:
        os.replace(staging / "attachments", folder.attachments)
    os.replace(staging / DataFolder.STORE, folder.store)
    connection.fsync_dir(folder.root)
    return kept if moved else None


def describe(result: ArchiveResult) -> str:
    extra = f"；有 {len(result.missing)} 个佐证材料文件找不到，未能备份：{'、'.join(result.missing[:5])}" \
        if result.missing else ""
    return (f"已备份到“{result.path}”：{result.records} 条记录，{result.files} 个佐证材料，"
            f"共 {files.human_size(result.bytes)}，已核对无误{extra}。")

