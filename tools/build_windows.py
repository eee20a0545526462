#!/usr/bin/env python3
"""Builds the Windows program folder and its zip, on a Windows PC.

    .venv\\Scripts\\python tools\\build_windows.py

In a command prompt in the project folder, inside the venv that has
requirements-dev.txt (PyInstaller among them). Steps:

 1. checks this is Windows, 64-bit Python 3.11 or newer;
 2. writes the version resources (build\\version-Taizhang.txt and
    build\\version-taizhang-cli.txt: file and product version from
    core.__version__, 政务公开工作台账 as company, description and product name),
    which pyinstaller.spec gives the two programs on Windows;
 3. runs PyInstaller on pyinstaller.spec (dist\\Taizhang\\, icon
    resources\\icons\\taizhang.ico on both programs);
 4. runs dist\\Taizhang\\taizhang-cli.exe --self-test;
 5. zips the folder to dist\\Taizhang-<version>-windows-x64.zip (one folder,
    Taizhang\\, inside).

``--skip-pyinstaller`` does steps 1, 2, 4 and 5 on an existing dist\\Taizhang.
The writers (version_numbers, version_info_text, write_version_files, zip_name,
host_problems) are plain functions the tests run on Linux.
"""

from __future__ import annotations

import argparse
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
SPEC = ROOT / "pyinstaller.spec"

# (file name without .exe, FileDescription): the spec's two EXE()s
PROGRAMS = (("Taizhang", "政务公开工作台账"), ("taizhang-cli", "政务公开工作台账（命令行）"))
PRODUCT = "政务公开工作台账"
COPYRIGHT = "© Taizhang 政务公开工作台账"  # no owner is named anywhere yet: the deb's Maintainer is "Taizhang"
# Chinese (PRC), Unicode: the StringTable's key and the Translation
LANGUAGE, CODEPAGE = 0x0804, 1200


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """"0.1.0" -> (0, 1, 0, 0); "1.2.3rc1" -> (1, 2, 3, 0): the four numbers a
    Windows version resource holds (each 0–65535)."""
    parts = []
    for piece in version.split(".")[:4]:
        m = re.match(r"\d+", piece)
        if not m:
            break
        parts.append(int(m[0]))
    if not parts:
        raise ValueError(f"not a version: {version!r}")
    if any(n > 0xFFFF for n in parts):
        raise ValueError(f"a Windows version number is at most 65535: {version!r}")
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_file(program: str, folder: Path = BUILD) -> Path:
    """Where ``program``'s version resource is written (pyinstaller.spec reads it there)."""
    return folder / f"version-{program}.txt"


def version_info_text(version: str, program: str, description: str) -> str:
    """PyInstaller's version-resource text (a VSVersionInfo expression, as
    ``pyi-grab_version`` writes it) for ``program``.exe."""
    nums = version_numbers(version)
    dotted = ".".join(str(n) for n in nums)
    strings = [
        ("CompanyName", PRODUCT),
        ("FileDescription", description),
        ("FileVersion", dotted),
        ("InternalName", program),
        ("LegalCopyright", COPYRIGHT),
        ("OriginalFilename", f"{program}.exe"),
        ("ProductName", PRODUCT),
        ("ProductVersion", dotted),
    ]
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings)
    return f"""# UTF-8
# Written by tools/build_windows.py from core.__version__ ({version}); read by pyinstaller.spec.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={nums!r},
    prodvers={nums!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '{LANGUAGE:04X}{CODEPAGE:04X}',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [{LANGUAGE:#06x}, {CODEPAGE}])])
  ]
)
"""


def write_version_files(version: str, folder: Path = BUILD) -> list[Path]:
    """build/version-<program>.txt for each program; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for program, description in PROGRAMS:
        path = version_file(program, folder)
        path.write_text(version_info_text(version, program, description), encoding="utf-8")
        written.append(path)
    return written


def zip_name(version: str) -> str:
    return f"Taizhang-{version}-windows-x64.zip"


def host_problems(platform: str = sys.platform, version_info=sys.version_info,
                  pointer_bits: int = struct.calcsize("P") * 8) -> list[str]:
    """Why this machine cannot build the Windows bundle (empty: it can)."""
    problems = []
    if platform != "win32":
        problems.append(f"this builds the Windows program and must run on Windows (this is {platform})")
    if tuple(version_info[:2]) < (3, 11):
        problems.append(f"Python 3.11 or newer is needed (this is {version_info[0]}.{version_info[1]})")
    if pointer_bits != 64:
        problems.append(f"a 64-bit Python is needed for the x64 bundle (this one is {pointer_bits}-bit)")
    return problems


def _run(cmd: list[str]) -> None:
    print(">", subprocess.list2cmdline(cmd), flush=True)
    rc = subprocess.call(cmd, cwd=ROOT)
    if rc != 0:
        raise SystemExit(f"failed (exit code {rc}): {subprocess.list2cmdline(cmd)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pyinstaller", action="store_true",
                        help="use the existing dist\\Taizhang (self-test and zip only)")
    args = parser.parse_args(argv)

    problems = host_problems()
    if problems:
        for p in problems:
            print("cannot build:", p, file=sys.stderr)
        return 2
    if sys.prefix == sys.base_prefix:
        print("note: not inside a venv (.venv\\Scripts\\python tools\\build_windows.py is meant)", flush=True)

    sys.path.insert(0, str(ROOT))
    from core import APP_ID, __version__

    for path in write_version_files(__version__):
        print("wrote", path.relative_to(ROOT), flush=True)
    folder = DIST / APP_ID
    if not args.skip_pyinstaller:
        _run([sys.executable, "-m", "PyInstaller", "--noconfirm", str(SPEC)])
    for exe in (f"{APP_ID}.exe", "taizhang-cli.exe"):
        if not (folder / exe).is_file():
            raise SystemExit(f"missing: {folder / exe}")
    _run([str(folder / "taizhang-cli.exe"), "--self-test"])

    out = DIST / zip_name(__version__)
    out.unlink(missing_ok=True)
    shutil.make_archive(str(out.with_suffix("")), "zip", root_dir=DIST, base_dir=APP_ID)
    size = out.stat().st_size / 1024 / 1024
    print(f"made {out.relative_to(ROOT)} ({size:.1f} MB): unzip it and start Taizhang\\{APP_ID}.exe", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
