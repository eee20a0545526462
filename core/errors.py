"""Errors a user may see. Every message is Chinese and says what to do."""

from __future__ import annotations

import errno

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


class Cancelled(TaizhangError):
    def __init__(self, message: str = "操作已取消，未保存任何内容。"):
        super().__init__(message)
