"""Windows-only paths, run here (Linux) through the functions Windows runs.

Every Windows branch asks ``core.paths.on_windows()`` (the tests set it), or
tests the same thing Windows code does (``fcntl`` absent, an OSError carrying
``winerror``, ``os.name == "nt"`` in the few modules that read it). Paths a
Windows machine would spell with backslashes are compared as
``PureWindowsPath`` (which reads both separators), so the assertions are the
paths a clerk sees in Explorer.

Also the Windows build (tools/build_windows.py): its version resource loaded
back with PyInstaller's own loader, pyinstaller.spec's icon and version
arguments on Windows, and the .ico being the window's icon.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import shutil
import sys
import types
from pathlib import Path, PureWindowsPath

import pytest

import core.paths
from core import pdf_fonts
from core.datafolder import DataFolder
from core.paths import default_data_dir

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
ICONS = ROOT / "resources" / "icons"
sys.path.insert(0, str(ROOT / "tools"))
import build_windows  # noqa: E402

APPDATA = r"C:\Users\li\AppData\Roaming"
TITLE = "政务公开工作台账"


def win(path) -> PureWindowsPath:
    """``path`` as Windows reads it (a Path made here joins with "/")."""
    return PureWindowsPath(str(path))


@pytest.fixture
def windows(monkeypatch):
    """This process is Windows to every Windows-only branch."""
    monkeypatch.setattr(core.paths, "on_windows", lambda: True)
    monkeypatch.delenv(core.paths.DATA_ENV, raising=False)
    monkeypatch.setenv("APPDATA", APPDATA)


class OsAs:
    """A module's ``os`` as on another system: ``name`` changed, all else real."""

    def __init__(self, name: str):
        self.name = name

    def __getattr__(self, attr):
        return getattr(os, attr)


def frozen_bundle(monkeypatch, folder: Path) -> Path:
    """This process as dist/Taizhang/Taizhang.exe unzipped into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_internal").mkdir(exist_ok=True)
    exe = folder / "Taizhang.exe"
    exe.write_bytes(b"MZ")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(folder / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return folder


# ---- the data folder --------------------------------------------------------------


def test_on_windows_the_data_is_in_appdata_roaming_taizhang(windows):
    assert win(default_data_dir()) == PureWindowsPath(r"C:\Users\li\AppData\Roaming\Taizhang")
    folder = DataFolder.default()
    assert win(folder.store) == PureWindowsPath(r"C:\Users\li\AppData\Roaming\Taizhang\taizhang.db")
    assert win(folder.lock) == PureWindowsPath(r"C:\Users\li\AppData\Roaming\Taizhang\taizhang.lock")
    assert win(folder.log_file) == PureWindowsPath(r"C:\Users\li\AppData\Roaming\Taizhang\logs\taizhang.log")
    assert win(folder.backups) == PureWindowsPath(r"C:\Users\li\AppData\Roaming\Taizhang\backups")


def test_linux_ignores_appdata(monkeypatch, tmp_path):
    monkeypatch.delenv(core.paths.DATA_ENV, raising=False)
    monkeypatch.setenv("APPDATA", APPDATA)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert not core.paths.on_windows()
    assert default_data_dir() == tmp_path / "share" / "Taizhang"


def test_without_appdata_windows_uses_the_roaming_folder_of_the_home(windows, monkeypatch, tmp_path):
    monkeypatch.delenv("APPDATA")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "li"))
    assert default_data_dir() == tmp_path / "li" / "AppData" / "Roaming" / "Taizhang"


def test_a_data_folder_next_to_taizhang_exe_makes_it_portable(windows, monkeypatch, tmp_path):
    bundle = frozen_bundle(monkeypatch, tmp_path / "U盘" / "Taizhang")
    assert core.paths.is_frozen()
    assert win(default_data_dir()) == PureWindowsPath(APPDATA) / "Taizhang"  # no data folder yet

    (bundle / "data").mkdir()
    assert default_data_dir() == bundle / "data"
    assert DataFolder.default().store == bundle / "data" / "taizhang.db"

    (bundle / "data").rmdir()
    (bundle / "data").write_text("a file, not a folder")
    assert win(default_data_dir()) == PureWindowsPath(APPDATA) / "Taizhang"


def test_taizhang_data_and_data_dir_come_before_portable_and_appdata(windows, monkeypatch, tmp_path):
    from core.cli import build_parser
    from core.cli_common import data_dir_of
    from main import window_args

    bundle = frozen_bundle(monkeypatch, tmp_path / "Taizhang")
    (bundle / "data").mkdir()
    chosen = tmp_path / "科室台账"
    monkeypatch.setenv("TAIZHANG_DATA", str(chosen))
    assert default_data_dir() == chosen

    monkeypatch.delenv("TAIZHANG_DATA")
    given = tmp_path / "另一个文件夹"
    assert data_dir_of(build_parser().parse_args(["--data-dir", str(given), "--version"])) == given
    assert window_args(["--data-dir", str(given)])["data_dir"] == str(given)
    assert data_dir_of(build_parser().parse_args(["--version"])) == bundle / "data"
    assert data_dir_of(argparse.Namespace(data_dir=None)) == bundle / "data"


def test_the_command_line_starts_taizhang_exe_beside_it_on_windows(monkeypatch, tmp_path):
    import taizhang_cli

    bundle = frozen_bundle(monkeypatch, tmp_path / "Taizhang")
    monkeypatch.setattr(sys, "executable", str(bundle / "taizhang-cli.exe"))
    monkeypatch.setattr(taizhang_cli, "os", OsAs("nt"))
    assert taizhang_cli.window_program() == str(bundle / "Taizhang.exe")
    monkeypatch.setattr(taizhang_cli, "os", OsAs("posix"))
    assert taizhang_cli.window_program() == str(bundle / "Taizhang")


# ---- the report fonts ---------------------------------------------------------------


def test_windows_font_folders_are_the_system_and_the_per_user_ones(windows, monkeypatch):
    for name in ("WINDIR", "SystemRoot", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    assert [win(d) for d in pdf_fonts.windows_font_dirs()] == [PureWindowsPath(r"C:\Windows\Fonts")]

    monkeypatch.setenv("SystemRoot", r"D:\WINNT")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\li\AppData\Local")
    assert [win(d) for d in pdf_fonts.windows_font_dirs()] == [
        PureWindowsPath(r"D:\WINNT\Fonts"), PureWindowsPath(r"C:\Users\li\AppData\Local\Microsoft\Windows\Fonts")]
    monkeypatch.setenv("WINDIR", r"E:\Windows")
    assert win(pdf_fonts.windows_font_dirs()[0]) == PureWindowsPath(r"E:\Windows\Fonts")


def test_reports_use_the_windows_fonts_found_in_the_windows_font_folders(windows, monkeypatch, tmp_path):
    system = tmp_path / "Windows" / "Fonts"
    per_user = tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"
    system.mkdir(parents=True)
    per_user.mkdir(parents=True)
    # bundled faces copied under the Windows names (reportlab reads them the same)
    shutil.copy(FONTS / "TaizhangSans-Regular.ttf", system / "simfang.ttf")
    shutil.copy(FONTS / "TaizhangFang-Regular.ttf", system / "SIMHEI.TTF")  # as Windows writes some names
    shutil.copy(FONTS / "TaizhangSans-Regular.ttf", per_user / "simkai.ttf")  # installed for one user only
    monkeypatch.delenv(pdf_fonts.SYSTEM_FONTS_ENV, raising=False)
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))

    assert pdf_fonts.system_font_dirs() == [system, per_user]
    fs = pdf_fonts.register_fonts()
    assert fs.system_roles == {"body", "heading", "kai"}
    assert fs.files["body"] == str(system / "simfang.ttf")
    assert fs.files["heading"] == str(system / "SIMHEI.TTF")
    assert fs.files["kai"] == str(per_user / "simkai.ttf")
    assert fs.files["title"] == str(FONTS / "TaizhangSerif-Bold.ttf")  # no 方正小标宋: the bundled one
    assert not pdf_fonts.missing_chars("政务公开工作台账（一）1.", fs)

    # the same folders on Linux are not looked at
    monkeypatch.setattr(core.paths, "on_windows", lambda: False)
    assert pdf_fonts.system_font_dirs() == []
    assert pdf_fonts.register_fonts().system_roles == frozenset()


# ---- the file dialogs ---------------------------------------------------------------


def test_on_windows_the_system_file_dialogs_are_used(windows, monkeypatch, qapp):
    from PySide6.QtWidgets import QFileDialog

    from gui import file_dialogs

    monkeypatch.setattr(file_dialogs, "USE_STATICS", False)
    monkeypatch.setattr(file_dialogs, "make_dialog", lambda *a, **k: pytest.fail("Qt's own dialog on Windows"))
    asked = []

    def static(answer):
        def call(parent, caption, folder, *rest):
            asked.append((caption, folder, *rest))
            return answer
        return staticmethod(call)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", static((r"C:\文件\通知.pdf", "PDF 文件 (*.pdf)")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", static(([r"C:\文件\a.pdf", r"C:\文件\b.pdf"], "所有文件 (*)")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", static(("", "")))  # cancelled
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", static(r"D:\备份"))

    assert file_dialogs.native()
    assert file_dialogs.open_file(None, "选择方案", r"C:\文件", "PDF 文件 (*.pdf)") \
        == (r"C:\文件\通知.pdf", "PDF 文件 (*.pdf)")
    assert file_dialogs.open_files(None, "选择佐证材料", r"C:\文件") == ([r"C:\文件\a.pdf", r"C:\文件\b.pdf"], "所有文件 (*)")
    assert file_dialogs.save_file(None, "保存报告", r"C:\文件\报告.pdf", "PDF 文件 (*.pdf)") == ("", "")
    assert file_dialogs.choose_folder(None, "选择备份位置", r"D:\\") == r"D:\备份"
    assert [a[0] for a in asked] == ["选择方案", "选择佐证材料", "保存报告", "选择备份位置"]
    # no DontUseNativeDialog in what the system dialogs are asked with
    for a in asked:
        assert not QFileDialog.Option(a[-1]) & QFileDialog.Option.DontUseNativeDialog


def test_elsewhere_the_qt_dialog_in_chinese_is_used(monkeypatch, qapp, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from gui import file_dialogs

    monkeypatch.setattr(file_dialogs, "USE_STATICS", False)
    for static in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, static, staticmethod(lambda *a, **k: pytest.fail("the untranslated dialog")))
    shown = []

    def run(dlg):
        shown.append((dlg.testOption(QFileDialog.Option.DontUseNativeDialog),
                      dlg.labelText(QFileDialog.DialogLabel.LookIn), dlg.labelText(QFileDialog.DialogLabel.Accept),
                      dlg.labelText(QFileDialog.DialogLabel.Reject)))
        dlg.deleteLater()
        return [str(tmp_path / "x.pdf")], "PDF 文件 (*.pdf)"

    monkeypatch.setattr(file_dialogs, "_run", run)
    assert not file_dialogs.native()
    assert file_dialogs.open_file(None, "选择方案", str(tmp_path), "PDF 文件 (*.pdf)")[0] == str(tmp_path / "x.pdf")
    file_dialogs.save_file(None, "保存报告", str(tmp_path / "报告.pdf"), "PDF 文件 (*.pdf)")
    file_dialogs.choose_folder(None, "选择备份位置", str(tmp_path))
    assert shown == [(True, "查找范围：", "打开", "取消"), (True, "查找范围：", "保存", "取消"),
                     (True, "查找范围：", "选择文件夹", "取消")]


# ---- locks and files held open --------------------------------------------------------


def test_the_log_names_the_windows_system_where_there_is_no_uname(monkeypatch):
    """Windows has no os.uname: the log's and error details' system line comes from platform."""
    import platform

    from gui.errors import details_of, system_name

    monkeypatch.delattr(os, "uname")
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setattr(platform, "release", lambda: "10")
    monkeypatch.setattr(platform, "machine", lambda: "AMD64")
    assert system_name() == "Windows 10 AMD64"
    assert f"Python {sys.version.split()[0]}，Windows 10 AMD64" in details_of(ValueError("x"))


def test_on_windows_restore_is_refused_while_another_taizhang_holds_the_folder(windows, monkeypatch, tmp_path):
    """QLockFile writes "<pid>\\n<app>\\n<host>" on Windows too. Windows has no
    os.kill(pid, 0): the lock's process is asked for through kernel32. A live
    one refuses the restore; one gone after a crash (or no such pid) does not."""
    from core import backup
    from core.errors import StoreError

    LIVE, ENDED = 4242, 4343
    exit_codes = {LIVE: 259, ENDED: 1}  # STILL_ACTIVE, and an ended process's exit code

    class Kernel32:
        last_error = 0
        opened: list[int] = []

        def OpenProcess(self, access, inherit, pid):
            self.opened.append(pid)
            if pid in exit_codes:
                return 1000 + pid
            Kernel32.last_error = 87  # ERROR_INVALID_PARAMETER: no such process
            return 0

        def GetLastError(self):
            return Kernel32.last_error

        def GetExitCodeProcess(self, handle, code_ref):
            code_ref._obj.value = exit_codes[handle - 1000]
            return 1

        def CloseHandle(self, handle):
            return 1

    kernel32 = Kernel32()
    monkeypatch.setattr(core.paths, "_kernel32", lambda: kernel32)
    folder = DataFolder(tmp_path / "data")
    folder.ensure()
    source = tmp_path / "备份.zip"
    source.write_bytes(b"not an archive")

    def restore_with_lock_of(pid):
        folder.lock.write_text(f"{pid}\nTaizhang\nPC-LI\n", encoding="utf-8")
        with pytest.raises(StoreError) as caught:
            backup.restore(source, folder)
        return str(caught.value)

    assert "台账窗口正在使用这个数据文件夹" in restore_with_lock_of(LIVE)
    for gone in (ENDED, 99999):  # a window that crashed; a pid no process has
        assert "台账窗口正在使用" not in restore_with_lock_of(gone)  # past the lock: the archive is refused
    assert "台账窗口正在使用" not in restore_with_lock_of(os.getpid())  # this process's own window
    assert kernel32.opened == [LIVE, ENDED, 99999]


def test_on_windows_a_part_file_another_window_is_writing_is_left_alone(monkeypatch, tmp_path):
    """Without fcntl (Windows) the cleaner's lock says yes; Windows then refuses to
    delete a file another process has open (WinError 32), and the part stays."""
    from core import attachments

    root = tmp_path / "attachments"
    (root / "tmp").mkdir(parents=True)
    busy = root / "tmp" / "busy.part"
    busy.write_bytes(b"half a scan")
    old = 1_600_000_000
    os.utime(busy, (old, old))
    monkeypatch.setattr(attachments, "fcntl", None)

    real_unlink = Path.unlink

    def unlink(self, missing_ok=False):
        if self == busy:
            exc = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", str(self))
            exc.winerror = 32
            raise exc
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with open(busy, "rb") as fh:
        assert attachments._lock(fh)  # no fcntl: nothing to ask
    freed = attachments.remove_stale_parts(root)
    assert busy.exists() and freed.count == 0


def test_on_windows_an_abandoned_part_file_is_removed(monkeypatch, tmp_path):
    """Windows refuses to delete a file that any handle holds open — the
    cleaner's own included: it must let go of the file before deleting it."""
    import builtins

    from core import attachments

    root = tmp_path / "attachments"
    (root / "tmp").mkdir(parents=True)
    left = root / "tmp" / "left-by-a-power-cut.part"
    left.write_bytes(b"x" * 1000)
    old = 1_600_000_000
    os.utime(left, (old, old))
    monkeypatch.setattr(attachments, "fcntl", None)

    open_now: dict[str, int] = {}
    real_open, real_unlink = builtins.open, Path.unlink

    class Handle:
        def __init__(self, f, key):
            self.f, self.key = f, key

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()
            open_now[self.key] -= 1

        def fileno(self):
            return self.f.fileno()

    def windows_open(file, *args, **kwargs):
        key = str(file)
        f = real_open(file, *args, **kwargs)
        open_now[key] = open_now.get(key, 0) + 1
        return Handle(f, key)

    def windows_unlink(self, missing_ok=False):
        if open_now.get(str(self)):
            exc = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", str(self))
            exc.winerror = 32
            raise exc
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(attachments, "open", windows_open, raising=False)
    monkeypatch.setattr(Path, "unlink", windows_unlink)
    freed = attachments.remove_stale_parts(root)
    assert not left.exists()
    assert (freed.count, freed.bytes) == (1, 1000)


def test_on_windows_saving_over_a_file_open_in_excel_says_close_it(monkeypatch, tmp_path):
    from core.safe_write import SaveError, describe_error, write_bytes_safely

    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"the old ledger")
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == target:  # Windows: the file is open in another program
            exc = PermissionError(errno.EACCES, "拒绝访问。", str(dst))
            exc.winerror = 5
            raise exc
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SaveError) as caught:
        write_bytes_safely(target, b"the new ledger")
    assert "“台账.xlsx”可能正被其他程序（如 Excel、WPS 或 PDF 阅读器）打开，未能覆盖" in str(caught.value)
    assert target.read_bytes() == b"the old ledger"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]  # no temporary file left

    shared = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。")
    shared.winerror = 32  # ERROR_SHARING_VIOLATION, met while writing
    assert "可能正被其他程序" in describe_error(shared, target, "write")
    plain = PermissionError(errno.EACCES, "Permission denied")  # Linux: no winerror
    assert "没有权限写入" in describe_error(plain, target, "write")


def test_windows_has_no_folder_fsync(monkeypatch, tmp_path):
    from db import connection

    opened = []

    class Nt(OsAs):
        def open(self, *a, **k):
            opened.append(a)
            raise AssertionError("a folder cannot be opened on Windows")

    monkeypatch.setattr(connection, "os", Nt("nt"))
    connection.fsync_dir(tmp_path)
    assert opened == []


# ---- the Windows build -------------------------------------------------------------------


def versioninfo_module(monkeypatch):
    """PyInstaller's version-resource module. It imports pefile and win32api at
    the top, for reading and writing .exe files only; stand-ins let its parser
    (pure Python) load here."""
    import PyInstaller.compat

    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    module = importlib.import_module("PyInstaller.utils.win32.versioninfo")
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo")
    return module


def strings_of(info) -> dict[str, str]:
    table = info.kids[0].kids[0]
    return {s.name: s.val for s in table.kids}


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("2.15", (2, 15, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("1.2.3.4.5", (1, 2, 3, 4)),
    ("1.0rc2", (1, 0, 0, 0)), ("3.1.dev7", (3, 1, 0, 0)),
])
def test_version_numbers_are_the_four_windows_numbers(version, numbers):
    assert build_windows.version_numbers(version) == numbers


@pytest.mark.parametrize("version", ["", "v1", "70000.1"])
def test_versions_windows_cannot_hold_are_refused(version):
    with pytest.raises(ValueError):
        build_windows.version_numbers(version)


def test_the_version_resources_load_in_pyinstaller(monkeypatch, tmp_path):
    versioninfo = versioninfo_module(monkeypatch)
    written = build_windows.write_version_files("2.15.3", tmp_path)
    assert [p.name for p in written] == ["version-Taizhang.txt", "version-taizhang-cli.txt"]

    info = versioninfo.load_version_info_from_text_file(str(tmp_path / "version-Taizhang.txt"))
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == (2 << 16 | 15, 3 << 16 | 0)
    assert (info.ffi.productVersionMS, info.ffi.productVersionLS) == (2 << 16 | 15, 3 << 16 | 0)
    strings = strings_of(info)
    assert strings["FileVersion"] == strings["ProductVersion"] == "2.15.3.0"
    assert strings["ProductName"] == strings["CompanyName"] == "政务公开工作台账"
    assert strings["FileDescription"] == "政务公开工作台账"
    assert strings["OriginalFilename"] == "Taizhang.exe"
    assert strings["LegalCopyright"]
    assert info.kids[0].kids[0].name == "080404B0"  # Chinese (PRC), Unicode

    cli = versioninfo.load_version_info_from_text_file(str(tmp_path / "version-taizhang-cli.txt"))
    assert strings_of(cli)["OriginalFilename"] == "taizhang-cli.exe"
    assert strings_of(cli)["FileDescription"] == "政务公开工作台账（命令行）"

    # the strings PyInstaller puts into the .exe (toRaw: UTF-16; its fixed part packs
    # native longs, 8 bytes here and 4 on Windows, so it is not read back here)
    raw = info.toRaw()
    for text in ("政务公开工作台账", "2.15.3.0", "Taizhang.exe", "080404B0"):
        assert text.encode("utf-16-le") in raw


def test_the_build_script_names_the_zip_and_refuses_other_machines(monkeypatch, capsys):
    assert build_windows.zip_name("0.1.0") == "Taizhang-0.1.0-windows-x64.zip"
    assert build_windows.host_problems("win32", (3, 11, 9), 64) == []
    assert build_windows.host_problems("win32", (3, 13, 0), 64) == []
    [linux] = build_windows.host_problems("linux", (3, 11, 7), 64)
    assert "must run on Windows" in linux
    [old] = build_windows.host_problems("win32", (3, 10, 11), 64)
    assert "3.11" in old
    [bits] = build_windows.host_problems("win32", (3, 11, 9), 32)
    assert "64-bit" in bits

    # run here, it stops before writing or building anything
    monkeypatch.setattr(build_windows.subprocess, "call", lambda *a, **k: pytest.fail("ran a build step"))
    monkeypatch.setattr(build_windows, "write_version_files", lambda *a, **k: pytest.fail("wrote files"))
    assert build_windows.main([]) == 2
    assert "must run on Windows" in capsys.readouterr().err


def run_spec(monkeypatch, folder: Path, platform: str) -> dict[str, dict]:
    """pyinstaller.spec executed with PyInstaller's build classes replaced by
    recorders, as if on ``platform``; each EXE()'s keyword arguments by name."""
    spec = folder / "pyinstaller.spec"
    shutil.copy(ROOT / "pyinstaller.spec", spec)
    if not (folder / "resources").exists():
        (folder / "resources").symlink_to(ROOT / "resources")
    exes: dict[str, dict] = {}

    class Built:
        def __init__(self, *args, **kwargs):
            self.binaries, self.datas, self.scripts, self.pure = [], [], [], []

    class Exe(Built):
        def __init__(self, *args, **kwargs):
            super().__init__()
            exes[kwargs["name"]] = kwargs

    monkeypatch.setattr(sys, "path", list(sys.path))
    with monkeypatch.context() as m:
        m.setattr(sys, "platform", platform)
        exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"),
             {"SPECPATH": str(folder), "Analysis": Built, "PYZ": Built, "EXE": Exe, "COLLECT": Built,
              "__name__": "__main__", "__file__": str(spec)})
    return exes


def test_the_spec_gives_both_windows_programs_the_icon_and_the_version(monkeypatch, tmp_path):
    build_windows.write_version_files("0.1.0", tmp_path / "build")
    exes = run_spec(monkeypatch, tmp_path, "win32")
    assert sorted(exes) == ["Taizhang", "taizhang-cli"]
    for name, kwargs in exes.items():
        assert Path(kwargs["icon"]) == tmp_path / "resources" / "icons" / "taizhang.ico"
        assert Path(kwargs["version"]) == tmp_path / "build" / f"version-{name}.txt"
    assert exes["Taizhang"]["console"] is False and exes["taizhang-cli"]["console"] is True

    # without the script's files (pyinstaller run by hand): icon, no version
    shutil.rmtree(tmp_path / "build")
    exes = run_spec(monkeypatch, tmp_path, "win32")
    assert all("version" not in k and "icon" in k for k in exes.values())
    # Linux: neither (PyInstaller ignores both there, with a warning)
    build_windows.write_version_files("0.1.0", tmp_path / "build")
    exes = run_spec(monkeypatch, tmp_path, "linux")
    assert all("version" not in k and "icon" not in k for k in exes.values())


def _difference(a, b) -> float:
    """Mean absolute difference of two RGBA images' bytes (0–255)."""
    from PIL import ImageChops, ImageStat

    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))).mean) / 4


def test_the_exe_icon_is_the_window_icon(qapp):
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice, QSize

    from gui.icon import window_icon

    ico = Image.open(ICONS / "taizhang.ico")
    assert sorted(ico.ico.sizes()) == [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
    largest = ico.ico.getimage((256, 256))
    assert _difference(largest, Image.open(ICONS / "taizhang-256.png")) < 1.0

    # the window's icon at every size (what Qt draws from resources/icons): the
    # .ico holds each size's own drawing, not the 256 image shrunk
    for size, tolerance in ((256, 1.0), (48, 1.0), (32, 1.0), (16, 1.0)):
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        assert window_icon().pixmap(QSize(size, size)).toImage().save(buf, "PNG")
        import io

        drawn = Image.open(io.BytesIO(bytes(buf.data())))
        assert drawn.size == (size, size)
        assert _difference(ico.ico.getimage((size, size)), drawn) < tolerance
    # and a different picture would not pass
    assert _difference(largest, Image.new("RGBA", (256, 256), (200, 30, 30, 255))) > 20
