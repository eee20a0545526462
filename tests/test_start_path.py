"""The window's start path loads only what the first screen needs: no command
line parser, no sqlite-utils (writes only), no report or plan-reading libraries,
no plan parser or unit resolution (a plan import needs them, not the first
screen), no rotating log handler (it imports socket and pickle)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from main import window_args

ROOT = Path(__file__).resolve().parent.parent

NOT_ON_START = ["core.cli", "sqlite_utils", "reportlab", "openpyxl", "docx", "xlrd",
                "pdfplumber", "core.plans.office", "core.plans.pdf", "core.plans.html", "core.plans.read",
                "core.reports.self_report", "core.reports.lookback", "core.reports.ledger_xlsx",
                "core.plan_parser", "core.plan_life", "core.plans.check", "core.assign", "logging.handlers",
                "_hashlib"]  # OpenSSL's libcrypto: ~3 MB resident, for hashing files only


@pytest.mark.parametrize(("argv", "expected"), [
    ([], {"data_dir": None, "today": None}),
    (["--data-dir", "D"], {"data_dir": "D", "today": None}),
    (["--data-dir=D", "--today", "2021-09-01"], {"data_dir": "D", "today": "2021-09-01"}),
    (["--data-dir", "D", "tasks", "--unit", "虎门"], None),
    (["--version"], None),
    (["--self-test"], None),
    (["--help"], None),
    (["--data-dir"], None),
    (["--data-dir", "--version"], None),
    (["--data-dir="], None),
])
def test_only_the_window_arguments_take_the_short_path(argv, expected):
    assert window_args(argv) == expected


def test_the_window_opens_an_existing_store_without_the_heavy_modules(tmp_path):
    from core.ledger import Ledger

    led = Ledger.open(tmp_path / "data")  # made and seeded by an earlier start (in this process)
    led.set_my_unit("虎门")
    led.set_handler("张三")
    led.close()
    code = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from gui.app import ensure_app, start, stop
app = ensure_app(sys.argv[:1])
win = start(Path(sys.argv[1]), sync=True)
assert win.store_open and win.proxy.rowCount() > 0
stop(win)
print("LOADED", " ".join(m for m in {NOT_ON_START!r} if m in sys.modules))
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], capture_output=True, text=True,
                       env=env, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("LOADED"))
    assert line.split()[1:] == []


@pytest.mark.parametrize("argv", [["--today", "bad"], ["--today", "2021-13-40"], ["--today=bad", "--data-dir", "D"]])
def test_a_bad_today_is_a_chinese_usage_error_not_a_traceback(argv, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TAIZHANG_DATA": str(tmp_path / "data")}
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=120, cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert "错误：" in r.stderr and "--today" in r.stderr and "无效" in r.stderr
    assert not (tmp_path / "data").exists() and not (tmp_path / "D").exists()  # no window, no data folder


def test_the_icon_is_there_and_is_the_window_icon(qapp):
    from core.paths import resource_path
    from gui.app import ensure_app
    from gui.icon import window_icon

    for size in (16, 24, 32, 48, 64, 128, 256):
        assert resource_path("icons", f"taizhang-{size}.png").stat().st_size > 100
    assert resource_path("icons", "taizhang.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert resource_path("icons", "taizhang.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO header
    icon = window_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == [16, 24, 32, 48, 64, 128, 256]
    app = ensure_app()
    assert not app.windowIcon().isNull()
