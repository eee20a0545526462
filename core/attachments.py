"""Evidence files (佐证材料) copied into a content-addressed folder.

The bytes of a file live once, at ``attachments/<sha[:2]>/<sha256>``, however
many tasks or units attach them; the database keeps the original name. A copy
goes to a temporary file first and is renamed into place only when complete,
so a cancelled or failed copy leaves nothing behind.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import Cancelled, InputError, StoreError, os_error_text

CHUNK = 1024 * 1024
MAX_ATTACHMENT_BYTES = 2 * 1024 ** 3  # 2 GiB
SPACE_MARGIN = 50 * 1024 * 1024

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    name: str
    path: Path
    created: bool  # False when the same content was already stored


def blob_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def check_source(src: Path) -> int:
    """The file's size, or an InputError saying why it cannot be attached."""
    if not src.exists():
        raise InputError(f"找不到文件“{src}”。")
    if not src.is_file():
        raise InputError(f"“{src.name}”不是文件（文件夹请先压缩成 zip 再添加）。")
    try:
        size = src.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取文件“{src.name}”（{os_error_text(exc)}）。") from exc
    if size > MAX_ATTACHMENT_BYTES:
        raise InputError(f"文件“{src.name}”有 {human_size(size)}，超过单个佐证材料 "
                         f"{human_size(MAX_ATTACHMENT_BYTES)} 的上限，请压缩或拆分后再添加。")
    return size


def store_file(src: Path, root: Path, progress: Progress | None = None,
               cancelled: IsCancelled | None = None) -> StoredFile:
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
    digest = hashlib.sha256()
    done = 0
    try:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            while True:
                if cancelled is not None and cancelled():
                    raise Cancelled("已取消添加文件，未保存任何内容。")
                chunk = fin.read(CHUNK)
                if not chunk:
                    break
                fout.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, size)
            fout.flush()
            os.fsync(fout.fileno())
        sha = digest.hexdigest()
        final = blob_path(root, sha)
        if final.exists():
            tmp.unlink()
            return StoredFile(sha, done, src.name, final, created=False)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return StoredFile(sha, done, src.name, final, created=True)
    except OSError as exc:
        _remove(tmp)
        if exc.errno == errno.ENOSPC:
            raise StoreError("数据盘空间已满，未添加文件。") from exc
        if exc.filename and Path(exc.filename) == src:
            raise InputError(f"无法读取文件“{src.name}”（{os_error_text(exc)}）。") from exc
        raise StoreError(f"复制文件“{src.name}”失败（{os_error_text(exc)}），未添加文件。") from exc
    except BaseException:
        _remove(tmp)
        raise


def remove_stale_parts(root: Path) -> None:
    """Half-copied files left by a crash or power cut (nothing refers to them)."""
    try:
        for part in (root / "tmp").glob("*.part"):
            _remove(part)
    except OSError:
        pass


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass
