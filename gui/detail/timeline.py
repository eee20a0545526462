"""The timeline of one task: its progress records (newest first) with their
evidence files beneath, and the task's loose files; files dropped on a
record attach to it, anywhere else to the task."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
)

from core.vocabulary import format_cn_date
from gui.detail import KIND_ACTION, KIND_FILE, KIND_LOOSE
from gui.drop import FileDropTarget, dropped_paths
from gui.widgets.look import MUTED


def local_day(stamp: str | None) -> str:
    """An ISO time stamp (UTC, as the store writes it) as a local 2021年8月3日."""
    if not stamp:
        return ""
    try:
        dt = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        return format_cn_date(dt.astimezone().date())
    except ValueError:
        return format_cn_date(stamp[:10])


_FILE_ICON = None


def _file_icon():
    global _FILE_ICON
    if _FILE_ICON is None:
        # QStyle imported here: its Python class (dozens of large enums) takes
        # ~6 ms to make, and the first screen does not need it
        from PySide6.QtWidgets import QStyle

        _FILE_ICON = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    return _FILE_ICON


NO_LINE_START = set("、，。；：！？）」』”’》〉…,.;:!?)")


def wrap_text(text: str, fm, width: int, max_lines: int = 8, advance=None) -> str:
    """Break ``text`` into lines no wider than ``width`` pixels (Chinese text
    breaks between any two characters; a Latin word is kept whole if it fits;
    a closing mark never starts a line). ``advance``: _advance_cache(fm),
    when many texts are wrapped with the same font."""
    if width <= 20:
        return text
    advance = advance or _advance_cache(fm)
    lines: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for token in _TOKENS.findall(para):
            w = advance(token)
            if used + w <= width or not line or token in NO_LINE_START:
                line += token
                used += w
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
                used = advance(line)
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)


_TOKENS = re.compile(r"[A-Za-z0-9_./:%@#&?=+-]+|\s+|.")
_ADVANCES: dict = {}


def _advance_cache(fm):
    key = (fm.height(), fm.ascent(), fm.horizontalAdvance("中W"), fm.horizontalAdvance("公开2021"))
    cache = _ADVANCES.setdefault(key, {})
    # Chinese fonts give every ideograph the same advance (one em): measured
    # once, not once per character (a record's first showing measured ~400
    # distinct characters at ~30 µs each).
    ideograph = fm.horizontalAdvance("中")

    def advance(token: str) -> int:
        w = cache.get(token)
        if w is None:
            if len(token) == 1 and "\u4e00" <= token <= "\u9fff":
                return ideograph
            w = cache[token] = fm.horizontalAdvance(token)
        return w
    return advance


class Timeline(FileDropTarget, QTreeWidget):
    """Actions (top level) with their files (children); files dropped on an
    action attach to it, anywhere else to the task."""

    files_dropped = Signal(object, object)  # list[Path], action id or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels(["日期", "进展内容 / 佐证材料", "经办人 / 大小"])
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setRootIsDecorated(True)
        h = self.header()
        h.setStretchLastSection(False)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        # the date column as wide as its longest date (and a file's icon), no more
        fm = self.fontMetrics()
        icon = 16  # the styles' small icon size (PM_SmallIconSize), in logical pixels
        self.setColumnWidth(0, fm.horizontalAdvance("2021年12月31日") + 2 * self.indentation() + icon + 28)
        self.setColumnWidth(2, fm.horizontalAdvance("经办人 / 大小") + 12)
        # Qt's tree view does not grow rows for wrapped text: records are
        # wrapped here to the content column's width, again when it changes —
        # once the resizing is over (a start resizes the panel ~7 times, and
        # each wrap of a task's ~100 records took ~5 ms).
        self._wrapped_at: int | None = None  # the width the records are wrapped to
        self._rewrap_soon = QTimer(self)
        self._rewrap_soon.setSingleShot(True)
        self._rewrap_soon.setInterval(0)
        self._rewrap_soon.timeout.connect(self.rewrap)
        h.sectionResized.connect(lambda i, *_: i == 1 and self._rewrap_soon.start())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._rewrap_soon.start()  # once the header has stretched the column

    def rewrap(self, force: bool = False) -> None:
        width = self.columnWidth(1) - 12
        if width == self._wrapped_at and not force:
            return
        self._wrapped_at = width
        fm = self.fontMetrics()
        advance = _advance_cache(fm)
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            full = item.data(1, Qt.ItemDataRole.UserRole)
            if full:
                item.setText(1, wrap_text(full, fm, width, advance=advance))

    def action_at(self, item: QTreeWidgetItem | None) -> str | None:
        while item is not None:
            kind, ident = item.data(0, Qt.ItemDataRole.UserRole) or (None, None)
            if kind == KIND_ACTION:
                return ident
            item = item.parent()
        return None

    def dropEvent(self, event):
        paths = dropped_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        item = self.itemAt(event.position().toPoint())
        event.acceptProposedAction()
        self.files_dropped.emit(paths, self.action_at(item))

    def selected_key(self) -> tuple[str, str | None] | None:
        item = self.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def show_records(self, actions: list[dict], files: list[dict]) -> None:
        """Records newest first, each with its files; then the task's loose files."""
        selected = self.selected_key()
        tl = self
        tl.clear()
        by_action: dict[str | None, list[dict]] = {}
        live = {a["id"] for a in actions}
        for f in files:
            by_action.setdefault(f["action_id"] if f["action_id"] in live else None, []).append(f)
        restore = None
        for a in sorted(actions, key=lambda a: (a["action_date"], a["created_at"]), reverse=True):
            text = a["content"].strip() + ("　［有公开链接］" if a["link"] else "")
            item = QTreeWidgetItem([format_cn_date(a["action_date"]), text, a["handler"]])
            item.setData(1, Qt.ItemDataRole.UserRole, text)
            item.setData(0, Qt.ItemDataRole.UserRole, (KIND_ACTION, a["id"]))
            tip = a["content"] + (f"\n公开链接：{a['link']}" if a["link"] else "")
            if a.get("version", 1) > 1:
                tip += f"\n（已修改 {a['version'] - 1} 次，可查看历史版本）"
            item.setToolTip(1, tip)
            tl.addTopLevelItem(item)
            if selected == (KIND_ACTION, a["id"]):
                restore = item
            for f in by_action.get(a["id"], []):
                child = self._file_item(f)
                item.addChild(child)
                if selected == (KIND_FILE, f["id"]):
                    restore = child
            item.setExpanded(True)
        loose = by_action.get(None, [])
        if loose:
            group = QTreeWidgetItem(["任务佐证材料", "未关联到某条进展的文件", ""])
            group.setData(0, Qt.ItemDataRole.UserRole, (KIND_LOOSE, None))
            tl.addTopLevelItem(group)
            for f in loose:
                child = self._file_item(f)
                group.addChild(child)
                if selected == (KIND_FILE, f["id"]):
                    restore = child
            group.setExpanded(True)
        if not actions and not loose:
            hint = QTreeWidgetItem(["", "还没有进展记录。点“新增进展”（Ctrl+N）记录本单位做了什么。", ""])
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            tl.addTopLevelItem(hint)
        if restore is not None:
            tl.setCurrentItem(restore)
        tl.rewrap(force=True)

    @staticmethod
    def _file_item(f: dict) -> QTreeWidgetItem:
        added = local_day(f["added_at"])
        from core.attachments import (
            human_size,  # (its hashing and zip imports stay off the start path)
        )

        item = QTreeWidgetItem([added, f["name"], human_size(f["size"])])
        item.setIcon(0, _file_icon())
        item.setData(0, Qt.ItemDataRole.UserRole, (KIND_FILE, f["id"]))
        tip = f"{f['name']}\n{human_size(f['size'])}，{added}添加；双击用系统程序打开"
        for col in range(3):
            item.setToolTip(col, tip)
        item.setForeground(0, QColor(MUTED))
        return item

    def select_action(self, action_id: str) -> None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == (KIND_ACTION, action_id):
                self.setCurrentItem(item)
                return
