"""The selected task's widgets, made when a task is first shown: the window's
first screen has only the panel's hint, so these widgets, their modules and
the Qt classes they use (~5 ms of the start) wait until then. Each widget
becomes an attribute of the panel (gui/detail/panel.py), which fills them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.vocabulary import CONFIRMED, DISMISSED, STATUSES
from gui.detail.timeline import Timeline
from gui.widgets.date_edit import DateEdit
from gui.widgets.look import MUTED, NOTICE_BORDER, WARNING, Box, BoxLabel, set_bold, set_text_color

if TYPE_CHECKING:
    from gui.detail.panel import TaskDetail


def build(p: TaskDetail) -> None:
    """The panel's widgets, made and wired (they call the panel's own slots)."""
    top_scroll = QScrollArea()
    top_scroll.setWidgetResizable(True)
    top_scroll.setFrameShape(QFrame.Shape.NoFrame)
    top = QWidget()
    top_scroll.setWidget(top)
    c = QVBoxLayout(top)
    c.setContentsMargins(2, 0, 2, 4)
    upper_lay = p._upper.layout()
    upper_lay.addWidget(top_scroll, 1)
    _summary(p, c)
    c.addWidget(_pending(p))
    c.addStretch(1)
    upper_lay.addWidget(_state(p))  # always in view, however long the requirement

    p.tabs = QTabWidget()
    p.tabs.setDocumentMode(True)
    p._lower.layout().addWidget(p.tabs)
    p.tabs.addTab(_timeline_page(p), "进展记录与佐证材料")
    p.tabs.addTab(_lookback(p), "回头看")
    p.notes = QPlainTextEdit()
    p.notes.setPlaceholderText("本单位内部的备注（可不填）")
    p.tabs.addTab(p.notes, "备注")
    _follow_in_tab_order(p, top_scroll)
    _wire(p)


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


def _follow_in_tab_order(p: TaskDetail, first: QWidget) -> None:
    """Tab from ``tab_from`` (the window's task table) comes to the content,
    as when it was made with the window: Qt put the new widgets, ``first``
    and after it, at the end of the window's chain."""
    made = []
    w = first
    while w is not None and p.isAncestorOf(w) and (not made or w is not first):
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus:
            made.append(w)
        w = w.nextInFocusChain()
    previous = p.tab_from
    for w in made:
        if previous is not None:
            QWidget.setTabOrder(previous, w)
        previous = w


def _summary(p: TaskDetail, c: QVBoxLayout) -> None:
    """What the task is and who is responsible."""
    p.title = QLabel()
    p.title.setWordWrap(True)
    set_bold(p.title, 15)
    p.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    c.addWidget(p.title)
    p.badges = QLabel()
    p.badges.setTextFormat(Qt.TextFormat.RichText)
    p.badges.setWordWrap(True)
    c.addWidget(p.badges)

    p.requirement = BoxLabel("#f8f9fa", "#e0e0e0", padding=6)
    p.requirement.setWordWrap(True)
    p.requirement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    c.addWidget(p.requirement)

    p.units = QLabel()
    p.units.setWordWrap(True)
    p.units.setTextFormat(Qt.TextFormat.RichText)
    p.units.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    c.addWidget(p.units)


def _pending(p: TaskDetail) -> QFrame:
    """待确认: confirm or dismiss, and undo."""
    p.pending_box = Box("#fff4e0", NOTICE_BORDER)
    pb = QHBoxLayout(p.pending_box)
    pb.setContentsMargins(6, 4, 6, 4)
    p.pending_label = QLabel()
    p.pending_label.setWordWrap(True)
    pb.addWidget(p.pending_label, 1)
    p.confirm_button = _button("本单位负责", "确认这项任务由本单位落实，列入本单位台账")
    p.dismiss_button = _button("与本单位无关", "从本单位的任务中排除（可在“已排除”中找回并撤销）")
    p.undo_button = _button("撤销", "恢复为待确认")
    for b in (p.confirm_button, p.dismiss_button, p.undo_button):
        pb.addWidget(b)
    p.confirm_button.clicked.connect(lambda: p.decided.emit(CONFIRMED))
    p.dismiss_button.clicked.connect(lambda: p.decided.emit(DISMISSED))
    p.undo_button.clicked.connect(lambda: p.decided.emit(None))
    return p.pending_box


def _state(p: TaskDetail) -> QFrame:
    """This unit's state: status, 责任科室, 责任人 in one block."""
    p.state_box = Box(None, "#dadce0", top_only=True)
    grid = QGridLayout(p.state_box)
    grid.setContentsMargins(2, 6, 2, 2)
    p.status = QComboBox()
    p.status.addItems(STATUSES)
    p.status.setToolTip("改变后立即保存")
    p.status.activated.connect(p._status_activated)
    p.dept = QLineEdit()
    p.dept.setPlaceholderText("例如：预算科")
    p.person = QLineEdit()
    p.person.setPlaceholderText("负责的同事")
    grid.addWidget(QLabel("状态"), 0, 0)
    grid.addWidget(p.status, 0, 1)
    grid.addWidget(QLabel("责任科室"), 0, 2)
    grid.addWidget(p.dept, 0, 3)
    grid.addWidget(QLabel("责任人"), 1, 2)
    grid.addWidget(p.person, 1, 3)
    p.save_hint = QLabel()
    set_text_color(p.save_hint, WARNING)
    grid.addWidget(p.save_hint, 1, 0, 1, 1)
    p.save_button = QPushButton("保存")
    p.save_button.setEnabled(False)
    p.save_button.setToolTip("保存责任科室、责任人、回头看和备注（Ctrl+S）")
    p.save_button.setShortcut(QKeySequence.StandardKey.Save)
    p.save_button.clicked.connect(p.save_state)
    grid.addWidget(p.save_button, 1, 1)
    grid.setColumnStretch(1, 2)
    grid.setColumnStretch(3, 3)
    return p.state_box


def _timeline_page(p: TaskDetail) -> QWidget:
    """The timeline with its buttons."""
    page = QWidget()
    tl = QVBoxLayout(page)
    tl.setContentsMargins(0, 4, 0, 0)
    buttons = QHBoxLayout()
    p.new_button = _button("新增进展", "新增一条进展记录（Ctrl+N）")
    p.edit_button = QPushButton("修改")
    p.delete_button = _button("删除", "移到回收站，可恢复")
    p.history_button = _button("历史版本", "查看这条进展记录修改前的各个版本")
    p.attach_button = _button("添加文件…", "为选中的进展（未选中时为本任务）添加佐证材料；也可以把文件拖到这里")
    p.open_button = _button("打开", "用系统程序打开选中的文件")
    p.remove_button = _button("移除", "把选中的文件移到回收站，可恢复")
    for b in (p.new_button, p.edit_button, p.delete_button, p.history_button):
        buttons.addWidget(b)
    buttons.addStretch(1)
    tl.addLayout(buttons)
    buttons2 = QHBoxLayout()
    for b in (p.attach_button, p.open_button, p.remove_button):
        buttons2.addWidget(b)
    buttons2.addStretch(1)
    tl.addLayout(buttons2)
    p.timeline = Timeline()
    p.timeline.setMinimumHeight(120)
    tl.addWidget(p.timeline, 1)
    return page


def _lookback(p: TaskDetail) -> QWidget:
    """回头看: for unfinished tasks."""
    p.lookback = QWidget()
    lf = QFormLayout(p.lookback)
    lf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    note = QLabel("任务未完成时填写，写入回头看核查清单。")
    set_text_color(note, MUTED)
    lf.addRow(note)
    p.problem = QPlainTextEdit()
    p.problem.setPlaceholderText("未完成的原因、存在的问题")
    p.remedy = QPlainTextEdit()
    p.remedy.setPlaceholderText("下一步的整改措施")
    due_row = QHBoxLayout()
    p.has_due = QCheckBox("设定")
    p.remedy_due = DateEdit()
    p.remedy_due.setEnabled(False)
    p.has_due.toggled.connect(p.remedy_due.setEnabled)
    due_row.addWidget(p.has_due)
    due_row.addWidget(p.remedy_due, 1)
    lf.addRow("存在问题", p.problem)
    lf.addRow("整改措施", p.remedy)
    lf.addRow("整改时限", due_row)
    return p.lookback


def _wire(p: TaskDetail) -> None:
    for w in (p.dept, p.person):
        w.textEdited.connect(p._mark_dirty)
        w.returnPressed.connect(p.save_state)
    for w in (p.notes, p.problem, p.remedy):
        w.textChanged.connect(p._mark_dirty)
    p.has_due.toggled.connect(p._mark_dirty)
    p.remedy_due.dateChanged.connect(p._mark_dirty)
    p.new_button.clicked.connect(p.new_action)
    p.edit_button.clicked.connect(lambda: p._with_action(p.edit_action))
    p.delete_button.clicked.connect(lambda: p._with_action(p.delete_action))
    p.history_button.clicked.connect(lambda: p._with_action(p.action_history))
    p.attach_button.clicked.connect(lambda: p.add_files.emit(p.selected_action_id()))
    p.open_button.clicked.connect(p._open_selected)
    p.remove_button.clicked.connect(p._remove_selected)
    p.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    p.timeline.customContextMenuRequested.connect(
        lambda pos: p.timeline_menu().exec(p.timeline.viewport().mapToGlobal(pos)))
    delete = QShortcut(QKeySequence.StandardKey.Delete, p.timeline)
    delete.setContext(Qt.ShortcutContext.WidgetShortcut)
    delete.activated.connect(p.delete_selected)
    p.timeline.itemDoubleClicked.connect(p._double_clicked)
    p.timeline.itemSelectionChanged.connect(p._update_buttons)
    p.timeline.files_dropped.connect(p.files_dropped)
