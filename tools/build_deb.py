#!/usr/bin/env python3
"""A .deb for 统信UOS and 银河麒麟 from the built one-folder bundle.

    pyinstaller --noconfirm pyinstaller.spec          # dist/Taizhang/
    python tools/build_deb.py [--bundle dist/Taizhang] [--out dist] [--arch amd64]

Their app-store convention (design.md §7): everything under /opt/apps/<appid>/

    /opt/apps/cn.gov.taizhang/
        info                                   JSON: appid, name, version (four numbers), arch, permissions
        files/                                 the bundle (Taizhang, taizhang-cli, _internal/)
        entries/applications/cn.gov.taizhang.desktop
        entries/icons/hicolor/<size>x<size>/apps/cn.gov.taizhang.png   (16 … 256)
        entries/icons/hicolor/scalable/apps/cn.gov.taizhang.svg

and no maintainer scripts: installing changes nothing else on the system (the
desktop environment finds the entries by the convention). Needs dpkg-deb only;
the icons are the committed PNGs of resources/icons (tools/build_icons.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
sys.path.insert(0, str(ROOT))
if str(TOOLS) not in sys.path:  # run as a script it already is; imported, maybe not
    sys.path.insert(0, str(TOOLS))

# Neither imports Qt or the app at module level (build_icons only inside render()).
from build_icons import ICONS, SVG, png_path  # noqa: E402
from build_icons import SIZES as ICON_SIZES  # noqa: E402
from build_windows import version_numbers  # noqa: E402

APPID = "cn.gov.taizhang"
NAME_ZH = "政务公开工作台账"
NAME_EN = "Taizhang"
PERMISSIONS = {"autostart": False, "notification": False, "trayicon": False, "clipboard": True,
               "account": False, "bluetooth": False, "camera": False, "audio_record": False,
               "installed_apps": False}
DEB_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
            "loongarch64": "loong64", "mips64": "mips64el"}


def four_numbers(version: str) -> str:
    """The store wants a.b.c.d: '0.3' → '0.3.0.0', '1.2.3.4.5' → '1.2.3.4'.
    The same numbers as the Windows version resource (build_windows.version_numbers):
    a pre-release's suffix is dropped, '1.0rc2' → '1.0.0.0', never above its release."""
    return ".".join(str(n) for n in version_numbers(version))


def info_json(version: str, arch: str) -> dict:
    return {"appid": APPID, "name": NAME_ZH, "version": four_numbers(version), "arch": [arch],
            "permissions": PERMISSIONS}


def desktop_entry(version: str) -> str:
    base = f"/opt/apps/{APPID}"
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={NAME_EN}",
        f"Name[zh_CN]={NAME_ZH}",
        f"Name[zh]={NAME_ZH}",
        "GenericName=Government disclosure work ledger",
        "GenericName[zh_CN]=工作台账",
        "Comment=Tasks, records and evidence of the annual government-disclosure work plan",
        "Comment[zh_CN]=落实年度政务公开工作要点：本单位任务、进展记录、佐证材料、报表",
        f"Exec={base}/files/{NAME_EN} %F",
        f"Icon={APPID}",
        f"TryExec={base}/files/{NAME_EN}",
        "Terminal=false",
        "Categories=Office;",
        "Keywords=台账;政务公开;工作要点;自查报告;",
        "StartupNotify=true",
        "Version=1.0",  # the Desktop Entry spec's version, not the program's
        f"X-Taizhang-Version={version}",
        "",
    ])


def debian_version(version: str) -> str:
    """"1.0rc2" → "1.0~rc2": dpkg sorts a "~" part before the release (and
    "1.0rc2" after it, so the final 1.0 would not be offered as an upgrade)."""
    return re.sub(r"\.?(a|b|rc|c|alpha|beta|pre|preview|dev)(?=\d*$)", r"~\1", version, count=1)


def control(version: str, arch: str, installed_kb: int) -> str:
    return "\n".join([
        f"Package: {APPID}",
        f"Version: {debian_version(version)}",
        f"Architecture: {arch}",
        "Maintainer: Taizhang <taizhang@localhost>",
        f"Installed-Size: {installed_kb}",
        "Section: office",
        "Priority: optional",
        # libdbus: the bundle uses the system's (pyinstaller.spec), as every desktop has it
        "Depends: libc6 (>= 2.34), libdbus-1-3",
        f"Description: {NAME_ZH} (Taizhang)",
        " The clerk's ledger of the annual government-disclosure work plan:",
        " the unit's tasks, deadlines, records with evidence files, and the",
        " self-report, 回头看 checklist and Excel ledger. Works offline.",
        "",
    ])


def layout(bundle: Path, stage: Path, version: str, arch: str) -> Path:
    """Lay the package's tree out under ``stage`` (which becomes /); returns
    /opt/apps/<appid> inside it."""
    if not (bundle / NAME_EN).exists() and not (bundle / f"{NAME_EN}.exe").exists():
        raise SystemExit(f"{bundle} is not a built bundle (no {NAME_EN} in it): run pyinstaller first")
    app = stage / "opt" / "apps" / APPID
    shutil.copytree(bundle, app / "files", symlinks=True)
    entries = app / "entries"
    (entries / "applications").mkdir(parents=True)
    (entries / "applications" / f"{APPID}.desktop").write_text(desktop_entry(version), encoding="utf-8")
    for size in ICON_SIZES:
        d = entries / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        d.mkdir(parents=True)
        shutil.copyfile(png_path(size, ICONS), d / f"{APPID}.png")
    d = entries / "icons" / "hicolor" / "scalable" / "apps"
    d.mkdir(parents=True)
    shutil.copyfile(SVG, d / f"{APPID}.svg")
    (app / "info").write_text(json.dumps(info_json(version, arch), ensure_ascii=False, indent=2) + "\n",
                              encoding="utf-8")
    for p in [stage, *stage.rglob("*")]:  # root-owned modes, whatever the umask was
        if p.is_symlink():
            continue
        if p.is_dir() or os.access(p, os.X_OK):
            p.chmod(0o755)
        else:
            p.chmod(0o644)
    return app


def size_kb(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) // 1024 + 1


def build(bundle: Path, out: Path, arch: str, version: str | None = None) -> Path:
    from core import __version__

    version = version or __version__
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="taizhang-deb-") as tmp:
        stage = Path(tmp) / "root"
        app = layout(bundle, stage, version, arch)
        (stage / "DEBIAN").mkdir()
        (stage / "DEBIAN" / "control").write_text(control(version, arch, size_kb(app)), encoding="utf-8")
        (stage / "DEBIAN").chmod(0o755)
        deb = out / f"{APPID}_{four_numbers(version)}_{arch}.deb"
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(deb)], check=True,
                       stdout=subprocess.DEVNULL)
    return deb


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / NAME_EN)
    ap.add_argument("--out", type=Path, default=ROOT / "dist")
    ap.add_argument("--arch", default=DEB_ARCH.get(platform.machine().lower(), platform.machine().lower()))
    ap.add_argument("--version", help="the package version (default: core.__version__)")
    args = ap.parse_args()
    deb = build(args.bundle, args.out, args.arch, args.version)
    print(f"{deb}  {deb.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
