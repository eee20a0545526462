"""Errors a user may see. Every message is Chinese and says what to do."""

from __future__ import annotations

import errno

from db.errors import (
    BackupFailedError,
    DbError,
    DbReadOnlyError,
    DbUnavailableError,
    MigrationFailedError,
    MigrationsIncompleteError,
    SchemaTooNewError,
)

_OS_ERRORS = {
    errno.ENOENT: "找不到该文件或文件夹", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
    errno.EROFS: "磁盘是只读的（例如写保护的U盘）", errno.ENOSPC: "磁盘空间已满", errno.EEXIST: "已存在同名文件",
    errno.EISDIR: "这是一个文件夹，不是文件", errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EIO: "读写出错（设备可能已被拔出）", errno.ENAMETOOLONG: "文件名太长", errno.EBUSY: "文件正被其他程序使用",
}


def os_error_text(exc: OSError) -> str:
    """A Chinese reason for an OSError (its strerror is English or in the system's language)."""
    return _OS_ERRORS.get(exc.errno or -1) or (exc.strerror or str(exc))


class TaizhangError(Exception):
    """Base class: ``str(err)`` is a complete Chinese sentence for the user."""


class InputError(TaizhangError):
    """Something the user typed or chose is not acceptable; nothing was written."""


class PlanParseError(InputError):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.detail = message
        where = f"第{line}行：" if line else ""
        super().__init__(f"方案文件格式有误，{where}{message}。未导入任何内容。")


class UnknownUnitError(InputError):
    def __init__(self, name: str, suggestions: list[str] | None = None):
        self.name = name
        hint = f"您是否要找：{'、'.join(suggestions)}？" if suggestions else "可用 units 命令查看单位名录。"
        super().__init__(f"找不到单位“{name}”。{hint}")


class UnknownTaskError(InputError):
    def __init__(self, number: object, plan_title: str = ""):
        where = f"《{plan_title}》中" if plan_title else ""
        super().__init__(f"{where}没有第{number}项任务。")


class StoreError(TaizhangError):
    """The data folder or database cannot be used as it is."""


class NewerDatabaseError(StoreError):
    def __init__(self, found: int, supported: int):
        self.found = found
        self.supported = supported
        super().__init__(
            f"该数据文件由较新版本的台账程序创建（数据版本 {found}），"
            f"本程序只支持到版本 {supported}。为保护数据，未做任何改动，请升级台账程序后再打开。"
        )


def store_error(exc: DbError) -> StoreError:
    """The user's sentence for an error from db/ (the ledger raises it in its place)."""
    if isinstance(exc, SchemaTooNewError):
        return NewerDatabaseError(exc.found, exc.supported)
    if isinstance(exc, MigrationsIncompleteError):
        return StoreError(f"程序的数据升级脚本不完整（{exc.numbers}），请重新安装台账程序。")
    if isinstance(exc, DbReadOnlyError):
        return StoreError(f"数据文件“{exc.path}”已损坏，目前以只读方式打开，不能保存修改。"
                          "请从数据文件夹 backups 中的备份恢复（窗口“从备份恢复”，或命令行 taizhang restore 备份文件）。")
    if isinstance(exc, BackupFailedError):
        from core.backup import backup_error

        return StoreError(f"{backup_error(exc)}为保护数据，未进行数据升级。")
    if isinstance(exc, MigrationFailedError):
        return StoreError(f"数据升级失败，数据未被改动（{exc.detail}）。")
    if isinstance(exc, DbUnavailableError):
        path = exc.path
        if exc.kind == exc.READONLY:
            return StoreError(f"数据文件夹“{path.parent}”是只读的（例如写保护的U盘或只读光盘），台账需要能写入它。"
                              "请把整个数据文件夹复制到本机硬盘后再打开，或用 --data-dir 指定可写的文件夹。数据文件没有改动。")
        if exc.kind == exc.FULL:
            return StoreError(f"“{path.parent}”所在的磁盘空间已满，未能保存。请删除一些不用的文件"
                              "（或清空回收站、清理未用文件）后再试。已保存的记录没有受影响。")
        if exc.kind == exc.GONE:
            return StoreError(f"数据文件夹“{path.parent}”已无法访问（U盘或移动硬盘可能已被拔出），未能保存。"
                              "请重新插好后再试。")
        if exc.kind == exc.TOO_LONG:
            return StoreError(f"数据文件夹的路径太长（{len(str(path))} 个字符），系统无法使用。请换一个路径短一些的文件夹。")
        if exc.kind == exc.IO:
            return StoreError(f"读写数据文件“{path}”时出错（磁盘可能有故障或已拔出）。请检查磁盘后再试。")
        if exc.kind == exc.LOCKED:
            return StoreError("数据文件正被另一个程序长时间占用（已等待 30 秒），请稍后再试。")
        return StoreError(f"数据文件“{path.name}”已损坏或不是台账的数据文件。"
                          f"请用数据文件夹 backups 中的备份恢复，或联系技术人员。")
    return StoreError(f"数据文件无法使用（{exc}）。")


class Cancelled(TaizhangError):
    def __init__(self, message: str = "操作已取消，未保存任何内容。"):
        super().__init__(message)
