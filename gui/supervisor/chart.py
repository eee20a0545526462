"""Completion as bars, painted in the office's window: by task category and
by unit group (the same figures as the 通报's 图1 and 图2, from the roll-up)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.widgets.look import ACCENT, MUTED

BAR = QColor(ACCENT)
TRACK = QColor("#e8eaed")


class CompletionChart(QWidget):
    """Horizontal bars, one per group: label, bar, "done/total  NN%"."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.groups: list[tuple[str, int, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_groups(self, groups: list[tuple[str, int, int]]) -> None:
        self.groups = list(groups)
        self.setFixedHeight(self._row() * (len(self.groups) + 1) + 8)
        self.update()

    def _row(self) -> int:
        return self.fontMetrics().height() + 8

    def percent(self, done: int, total: int) -> int:
        return round(100 * done / total) if total else 0

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        row = self._row()
        p.drawText(QRectF(4, 0, self.width() - 8, row), Qt.AlignmentFlag.AlignVCenter, self.title)
        if not self.groups:
            p.setPen(QColor(MUTED))
            p.drawText(QRectF(4, row, self.width() - 8, row), Qt.AlignmentFlag.AlignVCenter, "还没有单位上报。")
            return
        label_w = min(max(fm.horizontalAdvance(g[0]) for g in self.groups) + 12, self.width() // 3)
        value_w = fm.horizontalAdvance("000/000  100%") + 12
        bar_w = max(40, self.width() - label_w - value_w - 8)
        for i, (label, done, total) in enumerate(self.groups, start=1):
            y = i * row
            text = fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8)
            p.setPen(self.palette().windowText().color())
            p.drawText(QRectF(4, y, label_w - 8, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       text)
            track = QRectF(label_w, y + 4, bar_w, row - 8)
            p.fillRect(track, TRACK)
            share = done / total if total else 0
            p.fillRect(QRectF(track.x(), track.y(), track.width() * share, track.height()), BAR)
            p.drawText(QRectF(label_w + bar_w + 8, y, value_w, row), Qt.AlignmentFlag.AlignVCenter,
                       f"{done}/{total}  {self.percent(done, total)}%")
