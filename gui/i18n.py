"""Chinese for Qt's own texts (standard buttons, calendar, context menus), and
a font that has Chinese.

PySide6-Essentials ships qtbase_zh_CN.qm in QLibraryInfo's TranslationsPath
(qt_zh_CN.qm is only a meta catalogue naming modules Essentials lacks, so it
does not load); the one-folder bundle carries the same file. Its gaps (found
by logging every lookup it misses while the file dialog and calendar run) are
filled by ``SUPPLEMENT``, consulted first — installed when the first file
dialog is made (``supplement_file_dialogs``): an installed Python translator
is asked about every text Qt translates, ~540 calls while the main window is
built.

Without a system CJK font Qt draws every Chinese character as a box: the
faces in resources/fonts/ are then registered with Qt (``choose_font``).
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

CATALOGUES = ("qtbase_zh_CN",)

# (context, source text, disambiguation or None) -> Chinese: what qtbase_zh_CN
# lacks (the file dialog's .ui spells "&Look in:" where the catalogue has
# "Look in:") or words poorly (体积 for a file's size).
SUPPLEMENT = {
    ("QFileDialog", "&Look in:", None): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:", None): "文件类型(&T)：",
    ("QFileDialog", "Confirm Delete", None): "确认删除",
    ("QFileSystemModel", "Size", None): "大小",
    ("QFileDialog", "Show &hidden files", None): "显示隐藏文件(&H)",
    ("QAbstractFileIconProvider", "Folder", "All other platforms"): "文件夹",
    ("QAbstractFileIconProvider", "Folder", "Match Windows Explorer"): "文件夹",
    ("QAbstractFileIconProvider", "Folder", "Match OS X Finder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive", None): "驱动器",
}


class Supplement(QTranslator):
    """The few Chinese texts Qt's own catalogue lacks; null for every other text,
    so the lookup goes on to qtbase_zh_CN."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return SUPPLEMENT.get((context, source, disambiguation or None))

    def isEmpty(self) -> bool:
        return False


def install_translations(app: QApplication) -> list[str]:
    """Chinese locale and Qt's Chinese catalogues; returns the ones loaded."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if getattr(app, "_taizhang_translators", None):
        return [t.filePath() for t in app._taizhang_translators]
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    for name in CATALOGUES:
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            loaded.append(tr)
    app._taizhang_translators = loaded
    return [t.filePath() for t in loaded]


def supplement_file_dialogs() -> None:
    """Install ``SUPPLEMENT`` (once, after the catalogues: asked first)."""
    app = QApplication.instance()
    if app is None or getattr(app, "_taizhang_supplement", None) or not getattr(app, "_taizhang_translators", None):
        return
    supplement = Supplement(app)
    app.installTranslator(supplement)
    app._taizhang_supplement = supplement


# Sans-serif CJK faces, best first. Windows' own UI font (Microsoft YaHei UI on a
# Chinese system) is left alone; on Linux Qt may otherwise fall back to a Kai or
# Ming face for Chinese, which reads poorly at UI sizes.
UI_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback")

# When the system has no Chinese face at all (a bare Linux, some 统信/麒麟
# installs): the bundled report faces, the first for the window (Noto Sans CJK
# SC, GB 2312 and more), the second as fallback for rarer characters (GBK).
BUNDLED_UI_FONTS = ("TaizhangSans-Regular.ttf", "TaizhangSerif-Regular.ttf")


_REGISTERED: set[str] = set()  # the bundled families this process added


def system_has_cjk() -> bool:
    """Whether the system has a Chinese font (the bundled ones, once
    registered, are not the system's)."""
    from PySide6.QtGui import QFontDatabase

    return any(f not in _REGISTERED for f in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def register_bundled_fonts() -> list[str]:
    """Register resources/fonts' UI faces with Qt; their family names, in order."""
    from PySide6.QtGui import QFontDatabase

    from core.paths import resource_path

    families: list[str] = []
    for name in BUNDLED_UI_FONTS:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id >= 0:
            families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    _REGISTERED.update(families)
    return families


def choose_font(app: QApplication) -> str:
    """The window's font family: a sans-serif CJK face of the system, else the
    bundled one (registered here), else whatever Qt has."""
    import sys

    from PySide6.QtGui import QFont, QFontDatabase

    if sys.platform.startswith(("win", "darwin")) and system_has_cjk():
        return app.font().family()
    if system_has_cjk():
        families = set(QFontDatabase.families())
        chosen = [name for name in UI_FONTS if name in families][:1]
    else:
        chosen = register_bundled_fonts()
    if not chosen:
        return app.font().family()
    font = QFont(app.font())
    font.setFamilies(chosen)
    app.setFont(font)
    return chosen[0]
