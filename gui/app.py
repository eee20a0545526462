"""Start-up of the window (a placeholder until the clerk's window lands)."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(data_dir: Path) -> int:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

    from core import APP_TITLE, __version__
    from core.errors import TaizhangError
    from core.ledger import Ledger

    app = QApplication.instance() or QApplication(sys.argv)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    if translator.load(QLocale(), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    try:
        ledger = Ledger.open(data_dir)
    except TaizhangError as exc:
        QMessageBox.critical(None, APP_TITLE, str(exc))
        return 1
    win = QMainWindow()
    win.setWindowTitle(f"{APP_TITLE} {__version__}")
    plan = ledger.current_plan()
    win.setCentralWidget(QLabel(f"《{plan['title']}》：{plan['task_count']} 项任务"))
    win.resize(900, 600)
    win.show()
    try:
        return app.exec()
    finally:
        ledger.close()
