"""Open / save / folder dialogs in Chinese.

Qt's non-native QFileDialog (what Linux gets without a desktop's file-chooser
portal) stays partly English under qtbase_zh_CN: "Look in:", "Files of type:",
sizes in "KiB" and dates as "28 11 2026". On Windows the system's own dialog
is Chinese and is used. Elsewhere the helpers build the Qt dialog with every
label set (``setLabelText``) and the size and date columns written by
``ChineseColumns`` (a proxy over the dialog's file-system model).

The helpers take the arguments of QFileDialog's statics and return what they
return ((name, filter), (names, filter), folder). ``USE_STATICS``: when true
(the tests' ``file_dialogs`` fixture sets it) every helper calls the
QFileDialog static instead, so a test can answer it without a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QIdentityProxyModel, QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QWidget

USE_STATICS = False

Option = QFileDialog.Option
NO_OPTIONS = QFileDialog.Option(0)

LABELS_OPEN = {QFileDialog.DialogLabel.LookIn: "查找范围：", QFileDialog.DialogLabel.FileName: "文件名：",
               QFileDialog.DialogLabel.FileType: "文件类型：", QFileDialog.DialogLabel.Accept: "打开",
               QFileDialog.DialogLabel.Reject: "取消"}
LABELS_SAVE = {**LABELS_OPEN, QFileDialog.DialogLabel.Accept: "保存"}
LABELS_FOLDER = {**LABELS_OPEN, QFileDialog.DialogLabel.FileName: "文件夹：",
                 QFileDialog.DialogLabel.Accept: "选择文件夹"}
HEADERS = ("名称", "大小", "类型", "修改日期")
SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN = 1, 2, 3


def native() -> bool:
    """The system's own dialog: on Windows (Chinese on a Chinese Windows)."""
    from core.paths import on_windows

    return on_windows()


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if size < 1024 or unit == "TB":
            return f"{size:.1f} {unit}" if size < 100 else f"{size:.0f} {unit}"
    return ""  # unreachable


class ChineseColumns(QIdentityProxyModel):
    """The file dialog's columns with Chinese headers, sizes in 字节/KB/MB and
    dates as 2021-06-30 14:05 (QFileSystemModel writes "KiB" and the system
    locale's short date, "28 11 2026" under C/English locales)."""

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole and column in (SIZE_COLUMN, DATE_COLUMN):
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                info = source.fileInfo(self.mapToSource(index))
                if column == SIZE_COLUMN:
                    return "" if info.isDir() else format_size(info.size())
                stamp: QDateTime = info.lastModified()
                return stamp.toString("yyyy-MM-dd HH:mm") if stamp.isValid() else ""
        return super().data(index, role)


def _first_suffix(filters: str) -> str:
    """"pdf" for "PDF 文件 (*.pdf);;所有文件 (*)": the default suffix of a save."""
    import re

    m = re.search(r"\*\.([A-Za-z0-9]+)", filters or "")
    return m[1] if m else ""


def make_dialog(parent: QWidget | None, caption: str, folder: str, filters: str = "",
                selected_filter: str = "", mode: str = "open", options=NO_OPTIONS) -> QFileDialog:
    """The Qt (non-native) dialog, all in Chinese; ``mode``: open, open_many, save or folder."""
    from gui.i18n import supplement_file_dialogs

    supplement_file_dialogs()
    dlg = QFileDialog(parent, caption)
    dlg.setOptions(QFileDialog.Option(options) | Option.DontUseNativeDialog)
    dlg.setProxyModel(ChineseColumns(dlg))  # before the folder is set: the dialog resets its views
    labels = LABELS_OPEN
    if mode == "folder":
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(Option.ShowDirsOnly, True)
        labels = LABELS_FOLDER
    elif mode == "save":
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile)
        labels = LABELS_SAVE
        suffix = _first_suffix(selected_filter or filters)
        if suffix:
            dlg.setDefaultSuffix(suffix)
    else:
        dlg.setFileMode(QFileDialog.FileMode.ExistingFiles if mode == "open_many"
                        else QFileDialog.FileMode.ExistingFile)
    if filters and mode != "folder":
        dlg.setNameFilters([f for f in filters.split(";;") if f])
        if selected_filter:
            dlg.selectNameFilter(selected_filter)
    for which, text in labels.items():
        dlg.setLabelText(which, text)
    dlg.setViewMode(QFileDialog.ViewMode.Detail)
    _fit_columns(dlg)
    where = Path(folder) if folder else Path.home()
    if folder and not where.is_dir() and mode != "folder":
        dlg.setDirectory(str(where.parent))  # "folder/name.pdf": in that folder, with the name filled in
        dlg.selectFile(where.name)
    else:
        dlg.setDirectory(str(where))
    return dlg


def _fit_columns(dlg: QFileDialog) -> None:
    """Room for "2021-06-30 14:05", "999.9 MB" and "Word 文档" (the dialog sizes
    the columns for its own, shorter texts)."""
    from PySide6.QtWidgets import QTreeView

    tree = dlg.findChild(QTreeView, "treeView")
    if tree is None:
        return
    fm, header = tree.fontMetrics(), tree.header()
    pad = 2 * fm.horizontalAdvance("M")
    for column, sample in ((SIZE_COLUMN, "999.9 MB"), (TYPE_COLUMN, "Excel 工作表"), (DATE_COLUMN, "2021-06-30 14:05")):
        header.resizeSection(column, max(header.sectionSize(column), fm.horizontalAdvance(sample) + pad))
    header.resizeSection(0, max(header.sectionSize(0), 28 * fm.horizontalAdvance("0")))


def _run(dlg: QFileDialog) -> tuple[list[str], str]:
    """The chosen paths and name filter; ([], "") when cancelled."""
    try:
        if dlg.exec() != QFileDialog.DialogCode.Accepted:
            return [], ""
        return dlg.selectedFiles(), dlg.selectedNameFilter()
    finally:
        dlg.deleteLater()


def _ask(static, mode: str, parent, caption, folder, filters, selected_filter, options) -> tuple[list[str], str]:
    """The static's answer on Windows (and in tests), else the Chinese dialog's;
    always as (names, filter)."""
    if USE_STATICS or native():
        names, chosen = static(parent, caption, folder, filters, selected_filter, options)
        return ([names] if names else []) if isinstance(names, str) else list(names), chosen
    return _run(make_dialog(parent, caption, folder, filters, selected_filter, mode, options))


def open_file(parent: QWidget | None = None, caption: str = "", folder: str = "", filters: str = "",
              selected_filter: str = "", options=NO_OPTIONS) -> tuple[str, str]:
    names, chosen = _ask(QFileDialog.getOpenFileName, "open", parent, caption, folder, filters, selected_filter,
                         options)
    return (names[0] if names else ""), chosen


def open_files(parent: QWidget | None = None, caption: str = "", folder: str = "", filters: str = "",
               selected_filter: str = "", options=NO_OPTIONS) -> tuple[list[str], str]:
    return _ask(QFileDialog.getOpenFileNames, "open_many", parent, caption, folder, filters, selected_filter,
                options)


def save_file(parent: QWidget | None = None, caption: str = "", folder: str = "", filters: str = "",
              selected_filter: str = "", options=NO_OPTIONS) -> tuple[str, str]:
    names, chosen = _ask(QFileDialog.getSaveFileName, "save", parent, caption, folder, filters, selected_filter,
                         options)
    return (names[0] if names else ""), chosen


def ask_output_path(parent: QWidget | None, settings, caption: str, name: str, filters: str,
                    suffix: str) -> Path | None:
    """Where to save a report, a table or a package: asked in the folder last
    used for them, ``suffix`` added when the clerk left it off, the folder
    remembered. None when cancelled."""
    path, _ = save_file(parent, caption, str(Path(settings.last_dir("reports")) / name), filters)
    if not path:
        return None
    out = Path(path)
    if out.suffix.lower() != suffix:
        out = out.with_name(out.name + suffix)
    settings.remember_dir("reports", out.parent, is_folder=True)
    return out


def choose_folder(parent: QWidget | None = None, caption: str = "", folder: str = "",
                  options=Option.ShowDirsOnly) -> str:
    if USE_STATICS or native():
        return QFileDialog.getExistingDirectory(parent, caption, folder, options)
    names, _ = _run(make_dialog(parent, caption, folder, mode="folder", options=options))
    return names[0] if names else ""
