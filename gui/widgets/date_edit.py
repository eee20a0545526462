"""A date field the clerk can type or paste into as dates are usually written.

QDateEdit edits one section at a time: Ctrl+A then "2021-06-30" gives
2026-06-30 (only the year section was selected), "20210315" changes nothing
and a pasted "2021年3月15日" is refused. ``DateEdit`` is a line edit instead:
whatever ``core.tasks.parse_user_date`` reads (2021-06-30, 2021/6/30,
2021.6.30, 20210630, 2021年6月30日, full-width digits too) is the date; the
text is shown as yyyy-MM-dd when editing ends, and an unreadable text stays
as typed, framed red, with the reason in its tooltip (``problem()``), so the
dialog can refuse to save it.

Keyboard: the whole text is selected on focus; Up/Down move a day,
PageUp/PageDown a month; Alt+Down or F4 opens the calendar (arrows move,
Enter chooses, Esc closes). The calendar button sits inside the field.

A drop-in for the QDateEdit calls the window makes: ``date()`` returns a
QDate, ``setDate`` takes a QDate or a datetime.date, ``dateChanged(QDate)``.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from PySide6.QtCore import QDate, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QLineEdit,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.tasks import outside_plan_years, parse_user_date
from gui.widgets.look import ERROR, MUTED

DISPLAY_FORMAT = "yyyy-MM-dd"
INVALID_STYLE = f"QLineEdit {{ border: 1px solid {ERROR}; background: #fce8e6; }}"


def to_pydate(value) -> date:
    if isinstance(value, QDate):
        return date(value.year(), value.month(), value.day())
    return value


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _add_months(d: date, months: int) -> date:
    import calendar

    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@functools.cache
def calendar_icon(size: int = 16) -> QIcon:
    """A small calendar page, drawn (no image file, no emoji font needed)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(MUTED), 1.2))
    body = QRect(2, 3, size - 4, size - 5)
    p.drawRoundedRect(body, 1.5, 1.5)
    p.fillRect(QRect(2, 3, size - 4, 3), QColor(MUTED))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(MUTED))
    step = (size - 6) / 3
    for row in range(2):
        for col in range(3):
            p.drawRect(QRect(int(4 + col * step), int(8 + row * 3), 2, 2))
    p.end()
    return QIcon(pix)


class CalendarPopup(QFrame):
    """The month calendar under a DateEdit: Enter or a click chooses, Esc closes."""

    chosen = Signal(QDate)

    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(1, 1, 1, 1)
        self.calendar = QCalendarWidget()
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        # Qt gives these two arrows no names of their own
        for name, text in (("qt_calendar_prevmonth", "上个月"), ("qt_calendar_nextmonth", "下个月")):
            button = self.calendar.findChild(QToolButton, name)
            if button is not None:
                button.setToolTip(text)
                button.setAccessibleName(text)
        lay.addWidget(self.calendar)
        self.calendar.activated.connect(self._choose)  # Enter, double click
        self.calendar.clicked.connect(self._choose)

    def _choose(self, day: QDate) -> None:
        self.chosen.emit(day)
        self.close()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def popup(self, below: QWidget, day: QDate) -> None:
        self.calendar.setSelectedDate(day)
        self.adjustSize()
        pos = below.mapToGlobal(QPoint(0, below.height()))
        screen = below.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        size = self.sizeHint()
        x = max(area.left(), min(pos.x(), area.right() - size.width()))
        y = pos.y()
        if y + size.height() > area.bottom():  # no room below: open above the field
            y = below.mapToGlobal(QPoint(0, 0)).y() - size.height()
        self.move(x, max(area.top(), y))
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)


class DateEdit(QLineEdit):
    dateChanged = Signal(QDate)

    def __init__(self, value: date | QDate | None = None, parent: QWidget | None = None,
                 plan_year: int | None = None):
        super().__init__(parent)
        self.plan_year = plan_year
        self._date: date = to_pydate(value) if value is not None else date.today()
        self._valid = True
        self._shown_invalid = False
        self._confirmed: date | None = None  # the date already asked about
        self.setMaxLength(24)
        self.setPlaceholderText("例如 2021-06-30")
        self.setToolTip(self._hint())
        # its icon is drawn when the field is first shown: the first antialiased
        # drawing takes ~4 ms, and the window's one date field is on a hidden tab
        self.calendar_action = QAction("从日历中选择", self)
        self.calendar_action.setToolTip("从日历中选择（Alt+↓ 或 F4）")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.popup: CalendarPopup | None = None
        self.setText(self._date.isoformat())
        self.textChanged.connect(self._text_changed)
        self.editingFinished.connect(self._finish)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("2021-06-30") + 56)

    def showEvent(self, event) -> None:
        if self.calendar_action.icon().isNull():
            self.calendar_action.setIcon(calendar_icon())
        super().showEvent(event)

    # ---- the QDateEdit calls -----------------------------------------------------------
    def date(self) -> QDate:
        """The date shown, or the last readable one while the text is not a date."""
        return to_qdate(self._date)

    def setDate(self, value: date | QDate) -> None:
        d = to_pydate(value)
        self.setText(d.isoformat())  # -> _text_changed: valid, dateChanged

    def displayFormat(self) -> str:
        return DISPLAY_FORMAT

    # ---- beyond QDateEdit ---------------------------------------------------------------
    def value(self) -> date | None:
        """The date, or None while the text is not a date."""
        return self._date if self._valid else None

    def problem(self) -> str:
        """"" or the Chinese sentence saying why the text is not a date."""
        if self._valid:
            return ""
        if not self.text().strip():
            return "请填写日期，例如 2021-06-30。"
        try:
            parse_user_date(self.text())
        except InputError as exc:
            return str(exc)
        return ""

    def is_valid(self) -> bool:
        return self._valid

    def confirm_year(self, parent: QWidget | None = None, plan_year: int | None = None) -> bool:
        """True unless the date lies more than a year from the plan's year and
        the clerk, asked (once per date), says it is a slip."""
        year = plan_year if plan_year is not None else self.plan_year
        d = self.value()
        if year is None or d is None or not outside_plan_years(d, year) or d == self._confirmed:
            return True
        answer = QMessageBox.question(
            parent or self.window(), "核对日期",
            f"日期 {d.isoformat()} 在{d.year}年，而工作方案是{year}年的。\n\n确实是{d.year}年吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._confirmed = d
            return True
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.selectAll()
        return False

    def show_calendar(self) -> None:
        if not self.isEnabled() or self.isReadOnly():
            return
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.chosen.connect(self._chosen)
        self.popup.popup(self, self.date())

    # ---- behaviour ----------------------------------------------------------------------
    def _hint(self) -> str:
        return "可输入 2021-06-30、2021/6/30、20210630 或 2021年6月30日；↑↓ 加减一天，Alt+↓ 打开日历"

    def _chosen(self, day: QDate) -> None:
        self.setDate(day)
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.selectAll()
        self.editingFinished.emit()

    def _text_changed(self, text: str) -> None:
        try:
            d = parse_user_date(text)
        except InputError:
            self._set_valid(False, show=False)  # framed red only when editing ends, not while typing
            return
        self._set_valid(True)
        if d != self._date:
            self._date = d
            self.dateChanged.emit(to_qdate(d))

    def _finish(self) -> None:
        if self._valid:
            iso = self._date.isoformat()
            if self.text() != iso:  # the same date, written the usual way
                self.blockSignals(True)
                self.setText(iso)
                self.blockSignals(False)
        else:
            self._set_valid(False, show=True)

    def _set_valid(self, valid: bool, show: bool = True) -> None:
        self._valid = valid
        if valid and self._shown_invalid:
            self._shown_invalid = False
            self.setStyleSheet("")
            self.setToolTip(self._hint())
        elif not valid and show and not self._shown_invalid:
            self._shown_invalid = True
            self.setStyleSheet(INVALID_STYLE)
        if not valid and show:
            self.setToolTip(self.problem())

    def _step(self, days: int = 0, months: int = 0) -> None:
        d = self._date
        d = _add_months(d, months) if months else d + timedelta(days=days)
        self.setDate(d)
        self.selectAll()

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.show_calendar()
            return
        if not mods & ~Qt.KeyboardModifier.KeypadModifier:
            steps = {Qt.Key.Key_Up: (1, 0), Qt.Key.Key_Down: (-1, 0),
                     Qt.Key.Key_PageUp: (0, 1), Qt.Key.Key_PageDown: (0, -1)}
            if key in steps and self._valid:
                self._step(*steps[key])
                return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            # after the mouse press that gave the focus has placed the cursor
            QTimer.singleShot(0, self, self.selectAll)
