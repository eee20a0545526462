"""Where things live: resources (source tree or PyInstaller bundle) and user data.

"Are we frozen?" is decided here and nowhere else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core import APP_ID

DATA_ENV = "TAIZHANG_DATA"


def on_windows() -> bool:
    """Whether this is Windows. Every Windows-only path asks this (tests
    monkeypatch it to run those paths here)."""
    return sys.platform.startswith("win")


def _kernel32():  # Windows only; tests put a stand-in here
    import ctypes

    return ctypes.windll.kernel32  # type: ignore[attr-defined]


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a lock file's
    owner after a crash is not). When it cannot be told, it counts as alive."""
    if on_windows():
        import ctypes

        kernel32 = _kernel32()
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() != 87  # ERROR_INVALID_PARAMETER: no such process
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def app_root() -> Path:
    """The folder holding resources/.

    From source it is the repository root; from a one-folder bundle it is the
    bundle's data folder (``sys._MEIPASS``).
    """
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


def executable_dir() -> Path:
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return app_root()


def default_data_dir() -> Path:
    """The user's data folder.

    Order: TAIZHANG_DATA; portable mode (a folder named ``data`` next to the
    executable of a frozen build, for running from a USB stick); the
    platform's application-data folder.
    """
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    if is_frozen():
        portable = executable_dir() / "data"
        if portable.is_dir():
            return portable
    if on_windows():
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / APP_ID
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_ID
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_ID
