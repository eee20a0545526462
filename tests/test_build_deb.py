"""tools/build_deb.py: the 统信UOS/麒麟 layout under /opt/apps/<appid>/, from a
stand-in bundle (the real one is built and checked in CI)."""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_deb  # noqa: E402

APP = f"opt/apps/{build_deb.APPID}"


def fake_bundle(tmp_path: Path) -> Path:
    b = tmp_path / "Taizhang"
    (b / "_internal").mkdir(parents=True)
    for name in ("Taizhang", "taizhang-cli"):
        (b / name).write_text("#!/bin/sh\necho ok\n")
        (b / name).chmod(0o755)
    (b / "_internal" / "libx.so").write_bytes(b"\x7fELF")
    return b


def test_versions_have_four_numbers():
    assert build_deb.four_numbers("0.1.0") == "0.1.0.0"
    assert build_deb.four_numbers("2") == "2.0.0.0"
    assert build_deb.four_numbers("1.2.3.4.5") == "1.2.3.4"
    assert build_deb.four_numbers("1.0rc2") == "1.0.0.0"
    with pytest.raises(ValueError):
        build_deb.four_numbers("dev")


@pytest.mark.parametrize(("pre", "final"), [("1.0rc2", "1.0"), ("1.0.0rc1", "1.0.0"), ("2.1.dev3", "2.1"),
                                            ("1.2.3b4", "1.2.3")])
def test_a_pre_release_never_numbers_above_its_release(pre, final):
    def key(v):
        return tuple(int(n) for n in build_deb.four_numbers(v).split("."))

    assert key(pre) <= key(final)


@pytest.mark.parametrize(("pre", "final"), [("1.0rc2", "1.0"), ("1.0.0rc1", "1.0.0"), ("2.1.dev3", "2.1"),
                                            ("1.2.3b4", "1.2.3")])
def test_dpkg_orders_a_pre_release_before_its_release(pre, final):
    assert build_deb.debian_version(final) == final
    ordered = subprocess.run(["dpkg", "--compare-versions", build_deb.debian_version(pre), "lt", final])
    assert ordered.returncode == 0, build_deb.debian_version(pre)


def test_the_deb_and_the_windows_programs_have_the_same_four_numbers():
    import build_windows

    for v in ("0.1.0", "2.15", "1.2.3.4.5", "1.0rc2", "3.1.dev7"):
        assert build_deb.four_numbers(v) == ".".join(map(str, build_windows.version_numbers(v)))


def test_the_layout_under_opt_apps(tmp_path):
    stage = tmp_path / "root"
    app = build_deb.layout(fake_bundle(tmp_path), stage, "0.1.0", "amd64")
    assert app == stage / APP
    assert (app / "files" / "Taizhang").exists() and (app / "files" / "taizhang-cli").stat().st_mode & 0o111
    assert (app / "files" / "_internal" / "libx.so").stat().st_mode & 0o777 == 0o644
    info = json.loads((app / "info").read_text(encoding="utf-8"))
    assert info["appid"] == build_deb.APPID and info["name"] == "政务公开工作台账"
    assert info["version"] == "0.1.0.0" and info["arch"] == ["amd64"]
    assert set(info["permissions"]) >= {"autostart", "notification", "trayicon", "clipboard"}
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str
    desktop.read(app / "entries" / "applications" / f"{build_deb.APPID}.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Name[zh_CN]"] == "政务公开工作台账"
    assert entry["Exec"].startswith(f"/{APP}/files/Taizhang")
    assert entry["Icon"] == build_deb.APPID and "Office" in entry["Categories"].split(";")
    for size in build_deb.ICON_SIZES:
        png = app / "entries" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{build_deb.APPID}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (app / "entries" / "icons" / "hicolor" / "scalable" / "apps" / f"{build_deb.APPID}.svg").exists()
    # nothing outside /opt/apps/<appid>
    assert [p.relative_to(stage).as_posix() for p in stage.iterdir()] == ["opt"]


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")
def test_the_package_has_no_install_scripts_and_only_opt_apps(tmp_path):
    deb = build_deb.build(fake_bundle(tmp_path), tmp_path / "out", "amd64", "0.1.0")
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    paths = [line.split(" -> ")[0].split()[-1] for line in listing.splitlines()]  # a symlink: "path -> target"
    assert all(p in ("./", "./opt/", "./opt/apps/") or p.startswith(f"./{APP}/") for p in paths), paths
    assert f"./{APP}/info" in paths and f"./{APP}/files/Taizhang" in paths
    control = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True, check=True).stdout
    assert f"Package: {build_deb.APPID}" in control
    assert not any(s in control for s in ("postinst", "preinst", "postrm", "prerm"))
