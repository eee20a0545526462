"""Saving a file safely, e.g. to a USB stick.

The content goes to a temporary file in the target folder, is flushed and
fsynced, and only then renamed over the target (``os.replace``, atomic on
one file system).  A full, read-only or removed stick, a file held open by
another program, a cancel or any other failure leaves the target as it was
(absent or the old version) and no temporary file behind; the user sees one
Chinese sentence (``SaveError``).

    with safe_output(Path("E:/市财政局台账.xlsx")) as fh:
        workbook.save(fh)

    write_bytes_safely(path, data)
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from core.errors import TaizhangError
from db.connection import fsync_dir as _fsync_dir


class SaveError(TaizhangError):
    """The file could not be saved; nothing was left half-written."""

    def __init__(self, message: str, errno_: int | None = None):
        self.errno = errno_
        super().__init__(message)


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_GONE = {errno.ENOENT, errno.ENODEV, errno.ENXIO, getattr(errno, "ENOMEDIUM", errno.ENODEV),
         errno.ESTALE if hasattr(errno, "ESTALE") else errno.ENOENT}
_DENIED = {errno.EACCES, errno.EPERM}
_BAD_NAME = {errno.EINVAL, errno.ENAMETOOLONG, errno.EISDIR, errno.ENOTDIR}
# Windows: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION (the file is open in Excel or a PDF viewer)
_WIN_IN_USE = {32, 33}


def describe_error(exc: OSError, target: Path, stage: str = "write") -> str:
    """One Chinese sentence for an OSError met while saving ``target``."""
    folder = str(target.parent) or "."
    name = target.name
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if code in _NO_SPACE:
        return (f"“{folder}”所在的磁盘（U盘）空间不足，“{name}”未能保存。"
                "请删除一些不用的文件或换一个保存位置后再试。")
    if code == errno.EROFS:
        return (f"“{folder}”是只读的（U盘可能打开了写保护开关），“{name}”未能保存。"
                "请关闭写保护或换一个保存位置。")
    if winerror in _WIN_IN_USE or (stage == "replace" and code in _DENIED):
        return (f"“{name}”可能正被其他程序（如 Excel、WPS 或 PDF 阅读器）打开，未能覆盖。"
                "请关闭该文件后再保存，或换一个文件名。")
    if code in _DENIED:
        return f"没有权限写入“{folder}”，“{name}”未能保存。请换一个保存位置。"
    if code == errno.EIO:
        return (f"写入“{folder}”时出错（U盘可能已被拔出或已损坏），“{name}”未能保存。"
                "请重新插好U盘后再试。")
    if code in _GONE:
        return (f"保存位置“{folder}”不存在或已无法访问（U盘可能已被拔出），“{name}”未能保存。"
                "请重新选择保存位置。")
    if code == errno.ENAMETOOLONG:
        return (f"文件名或路径太长（文件名 {len(name)} 个字符），“{name[:40]}…”未能保存。"
                "请换一个短一些的文件名或保存位置。")
    if code in _BAD_NAME:
        return f"文件名或保存位置无效：“{target}”。请换一个文件名或保存位置。"
    detail = exc.strerror or str(exc)
    return f"保存“{target}”失败（{detail}），文件未保存。"


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:  # the stick may be gone; nothing more we can do
        pass


def _file_mode() -> int:
    """The mode an ordinary new file gets (mkstemp makes 0600)."""
    if os.name != "posix":
        return 0o666
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def safe_output(target: Path | str) -> Iterator[BinaryIO]:
    """Yield a binary file in ``target``'s folder; on success it replaces ``target``.

    Any OSError inside the block, while creating the temporary file, or
    while renaming becomes a ``SaveError``; other exceptions (``Cancelled``
    too) propagate unchanged.  In every failure case the temporary file is
    removed and ``target`` is untouched.
    """
    target = Path(target)
    if target.name in ("", ".", ".."):
        raise SaveError(f"文件名无效：“{target}”。请换一个文件名。")
    try:
        if len(os.fsencode(target.name)) > 255:  # the system's limit for one name (NTFS: 255 characters)
            raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), str(target))
        is_dir = target.is_dir()
    except OSError as exc:
        raise SaveError(describe_error(exc, target, "create"), exc.errno) from exc
    if is_dir:
        raise SaveError(f"“{target}”是一个文件夹，不能作为文件保存。请另取一个文件名。")
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".~{target.stem[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(describe_error(exc, target, "create"), exc.errno) from exc
    fh = os.fdopen(fd, "w+b")
    done = False
    stage = "write"
    try:
        try:
            yield fh
            stage = "flush"
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            if os.name == "posix":
                os.chmod(tmp, _file_mode())
            stage = "replace"
            os.replace(tmp, target)
            done = True
        except OSError as exc:
            raise SaveError(describe_error(exc, target, stage), exc.errno) from exc
    finally:
        if not done:
            with contextlib.suppress(OSError):
                fh.close()
            _unlink_quietly(tmp)
    _fsync_dir(folder)


def write_bytes_safely(target: Path | str, data: bytes) -> Path:
    with safe_output(target) as fh:
        fh.write(data)
    return Path(target)
