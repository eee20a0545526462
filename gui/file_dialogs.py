"""Open / save / folder dialogs in Chinese.

Qt's non-native QFileDialog (what Linux gets without a desktop's file-chooser
portal) stays partly English under qtbase_zh_CN: "Look in:", "Files of type:",
sizes in "KiB" and dates as "28 11 2026". On Windows the system's own dialog
is Chinese and is used. Elsewhere the helpers build the Qt dialog with every
label set (``setLabelText``) and the size and date columns written by
``ChineseColumns`` (a proxy over the dialog's file-system model), in
gui/widgets/chinese_file_dialog.py — imported with the first dialog.

The helpers take the arguments of QFileDialog's statics and return what they
return ((name, filter), (names, filter), folder). ``USE_STATICS``: when true
(the tests' ``file_dialogs`` fixture sets it) every helper calls the
QFileDialog static instead, so a test can answer it without a modal dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog, QWidget

USE_STATICS = False


def native() -> bool:
    """The system's own dialog: on Windows (Chinese on a Chinese Windows)."""
    from core.paths import on_windows

    return on_windows()


def make_dialog(parent: QWidget | None, caption: str, folder: str, filters: str = "",
                selected_filter: str = "", mode: str = "open", options=None) -> QFileDialog:
    """The Qt (non-native) dialog, all in Chinese; ``mode``: open, open_many, save or folder."""
    from gui.widgets.chinese_file_dialog import build

    return build(parent, caption, folder, filters, selected_filter, mode, options)


def _dialog_class():
    from PySide6.QtWidgets import QFileDialog

    return QFileDialog


def _run(dlg: QFileDialog) -> tuple[list[str], str]:
    """The chosen paths and name filter; ([], "") when cancelled."""
    try:
        if dlg.exec() != _dialog_class().DialogCode.Accepted:
            return [], ""
        return dlg.selectedFiles(), dlg.selectedNameFilter()
    finally:
        dlg.deleteLater()


def _ask(static, mode: str, parent, caption, folder, filters, selected_filter, options) -> tuple[list[str], str]:
    """The static's answer on Windows (and in tests), else the Chinese dialog's;
    always as (names, filter)."""
    if USE_STATICS or native():
        if options is None:
            options = _dialog_class().Option(0)
        names, chosen = static(parent, caption, folder, filters, selected_filter, options)
        return ([names] if names else []) if isinstance(names, str) else list(names), chosen
    return _run(make_dialog(parent, caption, folder, filters, selected_filter, mode, options))


def open_file(parent: QWidget | None = None, caption: str = "", folder: str = "", filters: str = "",
              selected_filter: str = "", options=None) -> tuple[str, str]:
    names, chosen = _ask(_dialog_class().getOpenFileName, "open", parent, caption, folder, filters, selected_filter,
                         options)
    return (names[0] if names else ""), chosen


def open_files(parent: QWidget | None = None, caption: str = "", folder: str = "", filters: str = "",
               selected_filter: str = "", options=None) -> tuple[list[str], str]:
    return _ask(_dialog_class().getOpenFileNames, "open_many", parent, caption, folder, filters, selected_filter,
                options)


def save_file(parent: QWidget | None = None, caption: str = "", folder: str = "", filters: str = "",
              selected_filter: str = "", options=None) -> tuple[str, str]:
    names, chosen = _ask(_dialog_class().getSaveFileName, "save", parent, caption, folder, filters, selected_filter,
                         options)
    return (names[0] if names else ""), chosen


def ask_output_path(parent: QWidget | None, settings, caption: str, name: str, filters: str,
                    suffix: str, key: str = "reports") -> Path | None:
    """Where to save a report, a table, a package (``key`` "reports") or a
    backup ("backup"): asked in the folder last used for them, ``suffix``
    added when the clerk left it off, the folder remembered. None when cancelled."""
    path, _ = save_file(parent, caption, str(Path(settings.last_dir(key)) / name), filters)
    if not path:
        return None
    out = Path(path)
    if out.suffix.lower() != suffix:
        out = out.with_name(out.name + suffix)
    settings.remember_dir(key, out.parent, is_folder=True)
    return out


def choose_folder(parent: QWidget | None = None, caption: str = "", folder: str = "", options=None) -> str:
    """A folder; ``options`` default to ShowDirsOnly."""
    QFileDialog = _dialog_class()
    if options is None:
        options = QFileDialog.Option.ShowDirsOnly
    if USE_STATICS or native():
        return QFileDialog.getExistingDirectory(parent, caption, folder, options)
    names, _ = _run(make_dialog(parent, caption, folder, mode="folder", options=options))
    return names[0] if names else ""
