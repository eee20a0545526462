"""Handing a file to the system's viewer, and saying so when there is none
(a fresh 统信/麒麟 desk may have no PDF reader): the clerk gets the file's path
and a way to its folder instead of a silent nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from core import APP_TITLE


def open_in_viewer(parent: QWidget, path: Path, what: str) -> bool:
    """Open ``path`` with the system's program; False (after telling the clerk
    where the file is) when no program took it."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE,
                      f"没有找到可以打开{what}的程序，文件已保存在：\n{path}\n\n"
                      "可以打开所在文件夹，或复制路径后用其他程序打开。", parent=parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    copy = box.addButton("复制路径", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)

    def clicked(button) -> None:
        if button is folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
        elif button is copy:
            QGuiApplication.clipboard().setText(str(path))

    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return False
