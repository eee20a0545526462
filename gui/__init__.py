"""Taizhang's Qt widgets. Calls core services; never writes SQL."""

from gui import qtfix  # noqa: F401  (first: guards None/True/False against PySide6 6.12 on Python 3.11)
