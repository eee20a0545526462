"""Chinese for Qt's own texts (standard buttons, calendar, context menus).

PySide6-Essentials ships qtbase_zh_CN.qm in QLibraryInfo's TranslationsPath
(qt_zh_CN.qm is only a meta catalogue naming modules Essentials lacks, so it
does not load); the one-folder bundle carries the same file.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

CATALOGUES = ("qtbase_zh_CN",)
DATE_EDIT_FORMAT = "yyyy-MM-dd"


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


# Sans-serif CJK faces, best first. Windows' own UI font (Microsoft YaHei UI on a
# Chinese system) is left alone; on Linux Qt may otherwise fall back to a Kai or
# Ming face for Chinese, which reads poorly at UI sizes.
UI_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback")


def choose_font(app: QApplication) -> str:
    import sys

    from PySide6.QtGui import QFont, QFontDatabase

    if sys.platform.startswith(("win", "darwin")):
        return app.font().family()
    families = set(QFontDatabase.families())
    for name in UI_FONTS:
        if name in families:
            font = QFont(app.font())
            font.setFamilies([name])
            app.setFont(font)
            return name
    return app.font().family()
