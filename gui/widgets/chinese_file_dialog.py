"""Qt's own file dialog with every label and column in Chinese (gui/file_dialogs.py
says why and where it is used instead of the system's). Imported with the first
dialog: its Qt classes would cost every start ~2 ms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QIdentityProxyModel, QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QWidget

Option = QFileDialog.Option

LABELS_OPEN = {QFileDialog.DialogLabel.LookIn: "查找范围：", QFileDialog.DialogLabel.FileName: "文件名：",
               QFileDialog.DialogLabel.FileType: "文件类型：", QFileDialog.DialogLabel.Accept: "打开",
               QFileDialog.DialogLabel.Reject: "取消"}
LABELS_SAVE = {**LABELS_OPEN, QFileDialog.DialogLabel.Accept: "保存"}
LABELS_FOLDER = {**LABELS_OPEN, QFileDialog.DialogLabel.FileName: "文件夹：",
                 QFileDialog.DialogLabel.Accept: "选择文件夹"}
HEADERS = ("名称", "大小", "类型", "修改日期")
SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN = 1, 2, 3


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


def build(parent: QWidget | None, caption: str, folder: str, filters: str = "",
          selected_filter: str = "", mode: str = "open", options=None) -> QFileDialog:
    """The Qt (non-native) dialog, all in Chinese; ``mode``: open, open_many, save or folder."""
    from gui.i18n import supplement_file_dialogs

    supplement_file_dialogs()
    dlg = QFileDialog(parent, caption)
    dlg.setOptions(QFileDialog.Option(options or 0) | Option.DontUseNativeDialog)
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
