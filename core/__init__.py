"""Taizhang core: the domain, free of Qt.

Nothing under ``core`` (or ``db``) may import PySide6; a test enforces it.
"""

APP_NAME = "台账"
APP_TITLE = "政务公开工作台账"
APP_ID = "Taizhang"
__version__ = "0.1.0"
