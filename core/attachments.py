"""Evidence files (佐证材料) copied into a content-addressed folder.

The bytes of a file live once, at ``attachments/<sha[:2]>/<sha256>``, however
many tasks or units attach them; the database keeps the original name. A copy
goes to a locked temporary file first (``copy_in``, outside any transaction)
and is renamed into place (``place``) inside the write transaction that
records it, so a cancelled or failed copy leaves nothing behind and a blob
appears only together with the row that uses it. Blobs no committed row uses
are removed in one place, ``remove_unused``, under the store's write lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import Cancelled, InputError, StoreError, TaizhangError, os_error_text
from core.inputs import INVISIBLE
from db.connection import fsync_dir

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

CHUNK = 1024 * 1024
MAX_ATTACHMENT_BYTES = 2 * 1024 ** 3  # 2 GiB
SPACE_MARGIN = 50 * 1024 * 1024

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


def sha256():
    """hashlib's sha256, imported when a file is hashed: hashlib loads OpenSSL's
    libcrypto (~3 MB), which opening the store and showing the tasks never need."""
    import hashlib

    return hashlib.sha256()


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    name: str
    path: Path
    created: bool  # False when the same content was already stored


@dataclass
class Freed:
    """What a clean-up removed: ``count`` items (records, files) and ``bytes`` of disk."""
    count: int = 0
    bytes: int = 0

    def __iter__(self):
        return iter((self.count, self.bytes))

    def __add__(self, other: Freed) -> Freed:
        return Freed(self.count + other.count, self.bytes + other.bytes)


STALE_SECONDS = 24 * 3600  # a temporary file older than this, and not locked, is abandoned
_SHA = re.compile(r"[0-9a-f]{64}")
# C0/C1 controls, DEL, the bidirectional overrides/isolates/marks, BOM, line/paragraph separators
_CONTROLS = re.compile(f"[\x00-\x1f{INVISIBLE}]")  # a file name keeps no tab or newline either
_WINDOWS_ILLEGAL = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


def valid_sha(sha256: object) -> bool:
    return isinstance(sha256, str) and _SHA.fullmatch(sha256) is not None


def blob_path(root: Path, sha256: str) -> Path:
    """Where the bytes with this hash live. The hash comes from the store, which
    may have been tampered with: only 64 lowercase hex digits are a hash, so
    nothing outside ``root`` can be named through it."""
    if not valid_sha(sha256):
        raise StoreError("数据文件中有一条佐证材料记录已损坏（文件校验值无效），无法打开该文件。"
                         "请用数据文件夹 backups 中的备份恢复，或联系技术人员。")
    return root / sha256[:2] / sha256


def display_name(name: object) -> str:
    """A file name as the store keeps and the window shows it: its last path
    part, without control or bidirectional-override characters."""
    text = str(name or "").encode("utf-8", "replace").decode("utf-8")
    text = _CONTROLS.sub("", text.replace("\\", "/")).split("/")[-1].strip()
    return text if text not in ("", ".", "..") else "file"


def disk_name(name: object, limit: int = 120) -> str:
    """``name`` made safe as a file name on Windows and Linux alike (for copies
    handed to a viewer): no :*?"<>| or path separators, no trailing dot or space,
    not a reserved device name (CON, NUL, COM1 …), not too long."""
    text = _WINDOWS_ILLEGAL.sub("_", display_name(name)).rstrip(" .") or "file"
    stem, dot, ext = text.rpartition(".")
    base = (stem if dot else text).split(".")[0]
    if base.upper() in _WINDOWS_RESERVED:
        text = "_" + text
    if len(text) > limit:
        stem, dot, ext = text.rpartition(".")
        ext = ext if dot and len(ext) <= 16 else ""
        text = text[: limit - len(ext) - 1].rstrip(" .") + ("." + ext if ext else "")
    return text


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def check_source(src: Path) -> int:
    """The file's size, or an InputError saying why it cannot be attached.

    A symbolic link is followed only to a file in the link's own folder (or
    below it): a link to /etc/passwd or to another user's documents dropped
    among the evidence is refused, not copied silently. Empty files are
    refused (a 0-byte "scan" is almost always a failed save)."""
    try:
        if src.is_symlink():
            target = src.resolve(strict=True)
            if not target.is_relative_to(src.parent.resolve()):
                raise InputError(f"“{src.name}”是指向其他位置（{target}）的快捷链接，未添加。"
                                 "请直接选择原文件。")
    except (OSError, RuntimeError):
        raise InputError(f"“{src.name}”是一个无效的快捷链接，未添加。") from None
    if not src.exists():
        raise InputError(f"找不到文件“{src}”。")
    if not src.is_file():
        raise InputError(f"“{src.name}”不是文件（文件夹请先压缩成 zip 再添加）。")
    try:
        size = src.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取文件“{src.name}”（{os_error_text(exc)}）。") from exc
    if size == 0:
        raise InputError(f"文件“{src.name}”是空的（0 字节），可能没有保存成功，未添加。请检查后重新选择。")
    if size > MAX_ATTACHMENT_BYTES:
        raise InputError(f"文件“{src.name}”有 {human_size(size)}，超过单个佐证材料 "
                         f"{human_size(MAX_ATTACHMENT_BYTES)} 的上限，请压缩或拆分后再添加。")
    return size


class Part:
    """A file being copied into the store: attachments/tmp/<uuid>.part, open and
    locked until it is placed or discarded, so that no other process takes it
    for a crash leftover."""

    def __init__(self, path: Path, fh):
        self.path = path
        self.fh = fh
        self.sha256 = ""
        self.size = 0
        self.name = ""

    @classmethod
    def finished(cls, path: Path, sha256: str, size: int, name: str) -> Part:
        """A copy made and checked elsewhere (a package's evidence file, spooled
        while the package was verified), ready for ``place``."""
        part = cls(path, None)
        part.sha256, part.size, part.name = sha256, size, name
        return part

    def close(self) -> None:
        if self.fh is not None:
            with contextlib.suppress(OSError):
                self.fh.close()
            self.fh = None

    def discard(self) -> None:
        """Remove the copy (nothing if it was placed)."""
        self.close()
        _remove(self.path)


def _lock(fh) -> bool:
    """An exclusive, non-blocking lock on an open file; False if another holds it."""
    if fcntl is None:
        return True  # Windows: an open file cannot be deleted anyway
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def copy_in(src: Path, root: Path, progress: Progress | None = None,
            cancelled: IsCancelled | None = None) -> Part:
    """Copy ``src`` to a locked temporary file under ``root`` and hash it; the
    long part of adding a file, done outside any transaction. ``place`` puts
    it where it belongs inside the transaction that records it."""
    size = check_source(src)
    tmp_dir = root / "tmp"
    try:
        tmp_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(root).free
    except OSError as exc:
        raise StoreError(f"无法使用附件文件夹“{root}”（{os_error_text(exc)}）。") from exc
    if free < size + SPACE_MARGIN:
        raise StoreError(f"数据盘剩余空间不足（剩余 {human_size(free)}，需要 {human_size(size)}），未添加文件。")
    tmp = tmp_dir / f"{uuid.uuid4().hex}.part"
    part: Part | None = None
    digest = sha256()
    done = 0
    try:
        part = Part(tmp, open(tmp, "wb"))
        _lock(part.fh)
        with open(src, "rb") as fin:
            while True:
                if cancelled is not None and cancelled():
                    raise Cancelled("已取消添加文件，未保存任何内容。")
                chunk = fin.read(CHUNK)
                if not chunk:
                    break
                part.fh.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, size)
        part.fh.flush()
        os.fsync(part.fh.fileno())
    except OSError as exc:
        if part is not None:
            part.discard()
        raise _copy_error(exc, src) from exc
    except BaseException:
        if part is not None:
            part.discard()
        raise
    if done == 0:
        part.discard()
        raise InputError(f"文件“{src.name}”是空的（0 字节），未添加。")
    part.sha256, part.size, part.name = digest.hexdigest(), done, display_name(src.name)
    return part


def _copy_error(exc: OSError, src: Path) -> TaizhangError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return StoreError("数据盘空间已满，未添加文件。请删除一些不用的文件（或清空回收站、清理未用文件）后再试。")
    if exc.filename and Path(exc.filename) == src:
        return InputError(f"无法读取文件“{src.name}”（{os_error_text(exc)}）。")
    return StoreError(f"复制文件“{src.name}”失败（{os_error_text(exc)}），未添加文件。")


def place(part: Part, root: Path) -> StoredFile:
    """Move a finished copy to attachments/<sha[:2]>/<sha>, or drop it when the
    same content is already there. Call it inside the write transaction that
    inserts the row: the store's write lock keeps ``collect_unused`` from
    removing the blob between here and the commit."""
    final = blob_path(root, part.sha256)
    try:
        if final.exists():
            part.discard()
            return StoredFile(part.sha256, part.size, part.name, final, created=False)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part.path, final)
        fsync_dir(final.parent)
    except OSError as exc:
        part.discard()
        raise _copy_error(exc, Path(part.name)) from exc
    part.close()
    return StoredFile(part.sha256, part.size, part.name, final, created=True)


def blobs(root: Path) -> Iterator[Path]:
    """Every stored blob file (attachments/<2 hex>/<64 hex>)."""
    try:
        for sub in root.iterdir():
            if len(sub.name) == 2 and sub.is_dir():
                for f in sub.iterdir():
                    if valid_sha(f.name) and f.name[:2] == sub.name and f.is_file():
                        yield f
    except OSError:
        return


def remove_unused(root: Path, used: set[str], only: set[str] | None = None) -> Freed:
    """Delete the blobs no row refers to (``only``: among these hashes). The
    caller holds the store's write lock (Ledger.collect_unused_files)."""
    freed = Freed()
    candidates = (blob_path(root, s) for s in only if valid_sha(s)) if only is not None else blobs(root)
    for blob in candidates:
        if blob.name in used:
            continue
        try:
            size = blob.stat().st_size
            blob.unlink()
        except OSError:
            continue
        freed += Freed(1, size)
    return freed


def remove_abandoned(folder: Path, pattern: str = "*", older_than: float = STALE_SECONDS,
                     now: float | None = None) -> Freed:
    """Temporary files in ``folder`` that are provably abandoned: older than a
    day and not locked by the process writing them (another program's copy in
    progress is left alone)."""
    freed = Freed()
    now = time.time() if now is None else now
    try:
        entries = list(folder.rglob(pattern))
    except OSError:
        return freed
    for path in entries:
        try:
            st = path.lstat()
            if not path.is_file() or now - st.st_mtime < older_than:
                continue
            with open(path, "rb") as fh:
                if not _lock(fh):
                    continue
                if fcntl is not None:
                    path.unlink()  # under our lock: no writer can take it meanwhile
            if fcntl is None:
                # Windows refuses to delete a file anyone holds open — us too, so
                # only once our handle is closed; a writer's open handle still refuses.
                path.unlink()
        except OSError:
            continue
        freed += Freed(1, st.st_size)
    return freed


def remove_stale_parts(root: Path) -> Freed:
    """Half-copied files left by a crash or power cut (nothing refers to them)."""
    return remove_abandoned(root / "tmp", "*.part")


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass
