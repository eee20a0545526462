"""Qt's own texts in Chinese, and a Chinese font when the system has none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_supplement_fills_qts_catalogue_gaps(qapp):
    from PySide6.QtCore import QCoreApplication

    from gui.app import ensure_app
    from gui.file_dialogs import make_dialog

    ensure_app()
    make_dialog(None, "", "").deleteLater()  # the first file dialog brings the supplement
    tr = QCoreApplication.translate
    assert tr("QFileDialog", "&Look in:") == "查找范围(&L)："  # missing from qtbase_zh_CN
    assert tr("QFileDialog", "Files of &type:") == "文件类型(&T)："
    assert tr("QAbstractFileIconProvider", "Folder", "All other platforms") == "文件夹"
    assert tr("QFileSystemModel", "Size") == "大小"  # not 体积
    assert tr("QFileDialog", "&Open") == "打开(&O)"  # the catalogue still answers the rest
    assert tr("QFileDialog", "no such text") == "no such text"


def no_system_fonts(tmp_path: Path) -> dict:
    """An environment whose fontconfig sees no font at all."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    f"  <dir>{empty}</dir>\n  <cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n",
                    encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig")
def test_without_a_system_cjk_font_the_bundled_one_serves_the_window(tmp_path):
    script = ("import json\n"
              "from PySide6.QtGui import QFontDatabase, QFontMetrics, QFontInfo\n"
              "from gui.app import ensure_app\n"
              "app = ensure_app()\n"
              "f = app.font()\n"
              "print(json.dumps({'family': f.family(), 'resolved': QFontInfo(f).family(),\n"
              "  'chosen': app._taizhang_font,\n"
              "  'cjk': QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese),\n"
              "  'system_cjk_after': __import__('gui.i18n').i18n.system_has_cjk(),\n"
              "  'glyphs': [QFontMetrics(f).inFontUcs4(ord(c)) for c in '政务公开虎门镇']}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env=no_system_fonts(tmp_path), cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    bundled = {"Taizhang Sans", "Taizhang Serif"}
    assert set(got["cjk"]) == bundled  # nothing but what was registered
    assert got["family"] == got["chosen"] == got["resolved"] == "Taizhang Sans"
    assert all(got["glyphs"])
    assert got["system_cjk_after"] is False  # the registered fonts are not taken for the system's


def test_with_a_system_cjk_font_nothing_is_registered(qapp):
    from PySide6.QtGui import QFontDatabase

    from gui.app import ensure_app
    from gui.i18n import system_has_cjk

    if not system_has_cjk():
        pytest.skip("no system CJK font here")
    ensure_app()
    assert "Taizhang Sans" not in QFontDatabase.families()
