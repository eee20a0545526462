"""Taizhang's Qt widgets. Calls core services; never writes SQL."""

from gui.qt_enums import install as _install_qt_enums

_install_qt_enums()  # before PySide6 builds its first enum
