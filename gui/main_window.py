"""The clerk's main window: filters on the left, the task table in the
centre, the selected task on the right. Every store access goes through the
op runner (one worker thread); an op that writes returns ``Changes`` and the
window refreshes only those rows.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import APP_TITLE, __version__
from gui.detail import TaskDetail
from gui.dialogs.action import ActionDialog, HistoryDialog
from gui.dialogs.first_run import UnitChooserDialog
from gui.dialogs.recycle import RecycleBinDialog
from gui.dialogs.report_texts import ReportTextsDialog
from gui.dialogs.units import UnitEditorDialog
from gui.errors import ErrorPresenter
from gui.models import TaskFilterProxy, TaskTableModel
from gui.ops import Changes, OpRunner
from gui.panels import FilterPanel, TaskTable

if TYPE_CHECKING:
    from core.ledger import TaskView
    from core.units import Unit

SETTINGS_FILE = "window.ini"


def alive(widget) -> bool:
    """False once Qt has deleted the widget (a dialog closed while its op ran)."""
    return widget is not None and shiboken6.isValid(widget)


def clean_viewer_copies(tmp: Path, older_than_days: float = 2) -> int:
    """Remove the copies made for the system's viewers (tmp/open, tmp/preview)
    once they are a few days old; a file a viewer still holds is left alone."""
    import time

    limit = time.time() - older_than_days * 86400
    removed = 0
    for sub in ("open", "preview"):
        root = tmp / sub
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
            except OSError:
                pass
    return removed


def settings_for(data_dir: Path) -> QSettings:
    """Window settings live in the data folder: tests and portable copies stay isolated."""
    return QSettings(str(Path(data_dir) / SETTINGS_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    loaded = Signal()  # tasks (re)loaded into the table
    search_applied = Signal(str)  # the table shows the result of this search
    detail_loaded = Signal(str)  # task id

    def __init__(self, data_dir: Path, runner: OpRunner, today: date | None = None):
        super().__init__()
        self.data_dir = Path(data_dir)
        self.runner = runner
        self._today = today
        self.errors = ErrorPresenter(self.data_dir)
        runner.on_error = self.errors
        runner.error_parent = self
        self.settings = settings_for(self.data_dir)
        self.unit: Unit | None = None
        self.handler = ""
        self.plan: dict | None = None
        self.plans: list[dict] = []
        self.store_open = False
        self._search_query: str | None = None
        self._search_running: str | None = None
        self._detail_for: str | None = None
        self._select_action: str | None = None
        self.dialog = None  # the dialog opened last (tests reach it here)
        self.recycle_dialog: RecycleBinDialog | None = None
        self._splitters_restored = False
        self.unit_dialog: UnitEditorDialog | None = None

        self.setWindowTitle(APP_TITLE)
        self.model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.today = self.today()
        self.proxy.set_today(self.today())

        self._build_ui()
        self._build_actions()
        self._restore_settings()
        self.runner.changed.connect(self.on_changed)
        self.runner.busy_changed.connect(self._busy)
        self._set_enabled(False)
        self.statusBar().showMessage("正在打开数据…")

    def today(self) -> date:
        return self._today or date.today()

    # ---- building ---------------------------------------------------------------
    def _build_ui(self) -> None:
        self.filters = FilterPanel()
        self.table = TaskTable()
        self.table.setModel(self.proxy)
        self.table.default_widths()
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.detail = TaskDetail()
        self.detail.today = self.today()

        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(2, 6, 2, 2)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold; font-size: 14px;")
        top.addWidget(self.heading, 1)
        self.shown_label = QLabel()
        self.shown_label.setStyleSheet("color: #5f6368;")
        top.addWidget(self.shown_label)
        cl.addLayout(top)
        cl.addWidget(self.table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.filters)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([230, 640, 480])
        self.setCentralWidget(self.splitter)

        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self.busy_label = QLabel("处理中…")
        self.busy_label.setStyleSheet("color: #1a73e8;")
        self.busy_label.hide()
        self.statusBar().addPermanentWidget(self.busy_label)
        self._typing = False  # a search keystroke is moving the selection
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(150)
        self._detail_timer.timeout.connect(self._load_current_detail)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(lambda: self.busy_label.setVisible(not self.runner.idle))

        self.filters.search_changed.connect(self._search_changed)
        self.filters.quick_changed.connect(self._quick_changed)
        self.filters.category_changed.connect(self._category_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.files_dropped.connect(self._dropped_on_row)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self.task_menu().exec(self.table.viewport().mapToGlobal(pos)))
        self.proxy.layoutChanged.connect(self._update_shown)
        self.proxy.rowsInserted.connect(self._update_shown)
        self.proxy.rowsRemoved.connect(self._update_shown)
        self.proxy.modelReset.connect(self._update_shown)

        d = self.detail
        d.status_chosen.connect(self.set_status)
        d.state_saved.connect(self.save_state)
        d.decided.connect(self.decide)
        d.new_action.connect(self.new_action)
        d.edit_action.connect(self.edit_action)
        d.delete_action.connect(self.delete_action)
        d.action_history.connect(self.show_history)
        d.add_files.connect(self.choose_files)
        d.files_dropped.connect(lambda paths, aid: self.attach_files(paths, action_id=aid))
        d.open_file.connect(self.open_file)
        d.remove_file.connect(self.remove_file)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                act.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(lambda *_: slot())
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        A = self._action
        self.act_new_action = A("新增进展…", self.new_action, "Ctrl+N", "为选中的任务新增一条进展记录（Ctrl+N）")
        self.act_attach = A("添加佐证材料…", lambda: self.choose_files(None), "Ctrl+Shift+A",
                            "为选中的任务添加佐证材料（也可把文件拖到任务上）")
        self.act_find = A("查找", self.focus_search, QKeySequence.StandardKey.Find, "搜索任务和进展（Ctrl+F）")
        self.act_next = A("下一项任务", lambda: self.table.step(1), ["Alt+Down", "Ctrl+."], "下一项任务（Alt+↓）")
        self.act_prev = A("上一项任务", lambda: self.table.step(-1), ["Alt+Up", "Ctrl+,"], "上一项任务（Alt+↑）")
        self.act_refresh = A("刷新", self.reload, "F5")
        self.act_recycle = A("回收站…", self.show_recycle_bin, None, "恢复删除的进展记录和佐证材料")
        self.act_units = A("单位名录…", self.show_unit_editor, None, "增改单位、别名和属性")
        self.act_identity = A("本单位和经办人…", self.choose_identity, None, "更改本单位或经办人姓名")
        self.act_import_plan = A("导入工作方案…", self.import_plan, None, "导入其他年度或其他地方的分工方案")
        self.act_report_texts = A("自查报告文字…", self.edit_report_texts, None,
                                  "填写自查报告中的总体情况、存在问题、下一步工作计划")
        self.act_open_data = A("打开数据文件夹", self.open_data_folder)
        self.act_quit = A("退出", self.close, QKeySequence.StandardKey.Quit)
        self.act_about = A("关于台账", self.about)
        self.act_shortcuts = A("快捷键", self.show_shortcuts)

        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        self.plan_menu = m.addMenu("切换工作方案")
        m.addAction(self.act_import_plan)
        m.addSeparator()
        m.addAction(self.act_recycle)
        m.addAction(self.act_open_data)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu("任务(&T)")
        for a in (self.act_new_action, self.act_attach, None, self.act_find, self.act_next, self.act_prev,
                  None, self.act_refresh):
            m.addSeparator() if a is None else m.addAction(a)
        self.report_menu = mb.addMenu("报表(&R)")
        m = mb.addMenu("本单位(&U)")
        m.addAction(self.act_identity)
        m.addAction(self.act_units)
        m = mb.addMenu("帮助(&H)")
        m.addAction(self.act_shortcuts)
        m.addAction(self.act_about)

        tb = self.addToolBar("常用")
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.setMovable(False)
        for a in (self.act_new_action, self.act_attach, None, self.act_recycle, self.act_units):
            tb.addSeparator() if a is None else tb.addAction(a)
        tb.addSeparator()
        self.toolbar = tb

        from gui.reports import ReportActions

        self.reports = ReportActions(self)
        self.reports.build(self.report_menu, tb)
        self.report_menu.addSeparator()
        self.report_menu.addAction(self.act_report_texts)

        self._store_actions = [self.act_new_action, self.act_attach, self.act_recycle, self.act_units,
                               self.act_identity, self.act_import_plan, self.act_report_texts, self.act_refresh,
                               *self.reports.actions]

    def _set_enabled(self, on: bool) -> None:
        for a in self._store_actions:
            a.setEnabled(on)
        if on:
            self._update_task_actions()

    def _update_task_actions(self) -> None:
        from gui.models import recordable

        t = self.current_task()
        mine = self.store_open and self.unit is not None and t is not None and recordable(t)
        self.act_new_action.setEnabled(mine)
        self.act_attach.setEnabled(mine)

    # ---- settings ------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.settings
        geo = s.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self._default_geometry()
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        header = s.value("table/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._splitters_restored:  # once the widgets have their real sizes
            self._splitters_restored = True
            for key, splitter in (("window/splitter", self.splitter),
                                  ("window/detail_splitter", self.detail.content)):
                state = self.settings.value(key)
                if state is not None:
                    splitter.restoreState(state)
            if self.settings.value("table/header") is None:  # fit the screen, once laid out
                QTimer.singleShot(0, lambda: self.table.default_widths(self.table.viewport().width()))

    def _default_geometry(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        w, h = 1280, 740
        if screen is not None:
            w, h = min(w, screen.width()), min(h, screen.height())
        self.resize(w, h)
        if screen is not None and (w >= screen.width() - 40 or h >= screen.height() - 40):
            self.setWindowState(Qt.WindowState.WindowMaximized)
        side = max(190, min(230, w // 7))
        self.splitter.setSizes([side, int((w - side) * 0.58), int((w - side) * 0.42)])
        self.detail.content.setSizes([int(h * 0.36), int(h * 0.64)])

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/detail_splitter", self.detail.content.saveState())
        s.setValue("table/header", self.table.horizontalHeader().saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.detail.dirty and self.detail.task is not None:
            self.save_state(self.detail.state_values())
            self.runner.wait_idle(10)
        self.save_settings()
        super().closeEvent(event)

    # ---- start-up -------------------------------------------------------------------
    def open_store(self) -> None:
        """Open (create, migrate, seed) the store on the worker, then load."""
        self.runner.open_ledger(self.data_dir).success(self._store_opened).failure(self._store_failed).run()

    def _store_opened(self, _ledger) -> None:
        self.store_open = True
        self._set_enabled(True)
        self.reload(first=True)
        folder = self.data_dir / "tmp"
        self.runner.op(lambda _led: clean_viewer_copies(folder)).failure(lambda exc: None).run()

    def _store_failed(self, exc: BaseException) -> None:
        from core.errors import TaizhangError

        self.statusBar().showMessage("无法打开数据。")
        if isinstance(exc, TaizhangError):
            QMessageBox.critical(self, APP_TITLE, f"{exc}\n\n数据文件夹：{self.data_dir}")
        else:
            self.errors.unexpected(self, exc)

    # ---- loading --------------------------------------------------------------------
    def reload(self, first: bool = False) -> None:
        today = self.today()

        def load(led):
            unit = led.my_unit()
            plan = led.current_plan()
            tasks = (led.tasks(unit.id, plan["id"], today=today, include_all=True, include_dismissed=True)
                     if unit else [])
            return {"unit": unit, "handler": led.handler(), "plans": led.plans(), "plan": plan, "tasks": tasks}

        self.runner.op(load).success(lambda r: self._loaded(r, first)).run()

    def _loaded(self, r: dict, first: bool = False) -> None:
        self.unit, self.handler, self.plans, self.plan = r["unit"], r["handler"], r["plans"], r["plan"]
        keep = self.current_task_id() or self.settings.value("table/current")
        self.model.my_unit_id = self.unit.id if self.unit else None
        self.detail.my_unit_id = self.model.my_unit_id
        self.model.set_tasks(r["tasks"])
        self._refresh_counts()
        self._fill_plan_menu()
        self._update_identity()
        if not (keep and self.table.select_task(keep)):
            self.table.step(0)
        if self.current_task_id() is None:
            self.detail.show_task(None)
        self._update_task_actions()
        self.statusBar().clearMessage()
        if self._search_query:
            self._run_search(self._search_query)
        self.loaded.emit()
        if first and (self.unit is None or not self.handler):
            self.choose_identity(first_run=True)

    def _update_identity(self) -> None:
        plan = self.plan or {}
        if self.unit is None:
            self.setWindowTitle(APP_TITLE)
            self.heading.setText("尚未选择本单位：请从菜单“本单位 → 本单位和经办人…”选择")
            self.who.setText("")
            return
        self.setWindowTitle(f"{APP_TITLE} — {self.unit.short_name}")
        year = plan.get("year")
        self.heading.setText(f"{self.unit.short_name}　{year}年政务公开工作任务" if year else self.unit.short_name)
        self.heading.setToolTip(plan.get("title", ""))
        self.who.setText(f"本单位：{self.unit.short_name}　经办人：{self.handler or '（未填）'}　"
                         f"方案：{year}年" if year else "")

    def _fill_plan_menu(self) -> None:
        self.plan_menu.clear()
        group = QActionGroup(self.plan_menu)
        for p in self.plans:
            act = QAction(f"{p['year']}年　《{p['title']}》", self.plan_menu)
            act.setCheckable(True)
            act.setChecked(self.plan is not None and p["id"] == self.plan["id"])
            act.triggered.connect(lambda _=False, pid=p["id"]: self.switch_plan(pid))
            group.addAction(act)
            self.plan_menu.addAction(act)
        self.plan_menu.setEnabled(len(self.plans) > 1)

    def _refresh_counts(self) -> None:
        self.filters.update_counts(self.model.tasks, self.proxy)
        self._update_shown()

    def _update_shown(self, *_) -> None:
        mine = sum(1 for t in self.model.tasks if t.role is not None
                   and not (t.role == "related" and t.decision == "dismissed"))
        self.shown_label.setText(f"显示 {self.proxy.rowCount()} 项（本单位共 {mine} 项）")

    def on_changed(self, changes: Changes) -> None:
        if changes.everything:
            self.reload()
            return
        if changes.tasks and self.unit is not None:
            ids = set(changes.tasks)
            unit_id, today = self.unit.id, self.today()
            self.runner.op(lambda led: [led.task(unit_id, tid, today) for tid in ids]) \
                .success(self._rows_reloaded).run()
        if changes.recycle_bin and self.recycle_dialog is not None and self.recycle_dialog.isVisible():
            self._load_recycle_bin()

    def _rows_reloaded(self, views: list[TaskView]) -> None:
        self.model.update_tasks(views)
        self._refresh_counts()
        self._update_task_actions()
        if self._search_query:
            self._run_search(self._search_query)
        current = self.current_task_id()
        if current is None:
            self.table.step(0)
        elif any(v.id == current for v in views):
            self.load_detail(current)

    # ---- selection and detail ----------------------------------------------------------
    def current_task(self) -> TaskView | None:
        return self.table.current_task()

    def current_task_id(self) -> str | None:
        t = self.current_task()
        return t.id if t else None

    def select_number(self, number: int) -> bool:
        for t in self.model.tasks:
            if t.number == number:
                return self.table.select_task(t.id)
        return False

    def _current_row_changed(self, current, _previous) -> None:
        d = self.detail
        if d.dirty and d.task is not None and (not current.isValid() or d.task.id != self.current_task_id()):
            self.save_state(d.state_values(), task_id=d.task.id)
        tid = self.current_task_id()
        self._update_task_actions()
        if tid is None:
            self._detail_for = None
            d.show_task(None)
            return
        self.settings.setValue("table/current", tid)
        if self._typing:
            self._detail_timer.start()  # the search moved the selection: load once typing pauses
        else:
            self.load_detail(tid)

    def _load_current_detail(self) -> None:
        tid = self.current_task_id()
        if tid is not None and tid != (self.detail.task.id if self.detail.task else None):
            self.load_detail(tid)

    def task_menu(self) -> QMenu:
        """Right-click on a task: record, attach, set the status, decide a related task."""
        from gui.detail import STATUSES
        from gui.models import recordable

        menu = QMenu(self)
        t = self.current_task()
        menu.addAction(self.act_new_action)
        menu.addAction(self.act_attach)
        status = menu.addMenu("状态")
        for name in STATUSES:
            act = status.addAction(name)
            act.setCheckable(True)
            act.setChecked(t is not None and t.status == name)
            act.triggered.connect(lambda _=False, n=name: self.set_status(n))
        status.setEnabled(t is not None and recordable(t))
        if t is not None and t.role == "related":
            menu.addSeparator()
            if t.decision is None:
                menu.addAction("本单位负责", lambda: self.decide("confirmed"))
                menu.addAction("与本单位无关", lambda: self.decide("dismissed"))
            else:
                menu.addAction("撤销确认（恢复为待确认）", lambda: self.decide(None))
        return menu

    def load_detail(self, task_id: str) -> None:
        if self.unit is None:
            return
        unit_id, today = self.unit.id, self.today()
        self._detail_for = task_id

        def load(led):
            if self._detail_for != task_id:
                return None  # the clerk has already moved on: skip the work
            return led.task(unit_id, task_id, today), led.actions(unit_id, task_id), led.attachments(unit_id, task_id)

        self.runner.op(load).success(self._detail_loaded).run()

    def _detail_loaded(self, r) -> None:
        if r is None:
            return
        view, actions, files = r
        if view.id != self._detail_for or view.id != self.current_task_id():
            return  # the clerk has moved on
        self.detail.show_task(view, actions, files)
        if self._select_action and any(a["id"] == self._select_action for a in actions):
            self.detail.select_action(self._select_action)
            self._select_action = None
        self.detail_loaded.emit(view.id)

    # ---- filters and search ----------------------------------------------------------------
    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _quick_changed(self, key: str) -> None:
        self.proxy.set_quick(key)
        self._refresh_counts()
        self._after_filter()

    def _category_changed(self, name) -> None:
        self.proxy.set_category(name)
        self._update_shown()
        self._after_filter()

    def _after_filter(self) -> None:
        if self.current_task_id() is None or not self.table.currentIndex().isValid():
            self.table.step(0)

    def _search_changed(self, text: str) -> None:
        q = " ".join(text.split())
        if not q:
            self._search_query = None
            self._typing = True
            try:
                self.proxy.set_numbers(None)
                self._refresh_counts()
                self._after_filter()
            finally:
                self._typing = False
            self.search_applied.emit("")
            return
        self._search_query = q
        if self._search_running is None:
            self._run_search(q)

    def _run_search(self, q: str) -> None:
        if self.unit is None or self.plan is None:
            return
        self._search_running = q
        unit_id, plan_id = self.unit.id, self.plan["id"]
        self.runner.op(lambda led: led.search(unit_id, q, plan_id)) \
            .success(lambda nums: self._search_done(q, nums)) \
            .failure(lambda exc: self._search_failed(exc)).run()

    def _search_done(self, q: str, numbers: list[int]) -> None:
        self._search_running = None
        if self._search_query != q:
            if self._search_query:
                self._run_search(self._search_query)  # the clerk typed on meanwhile
            return
        self._typing = True
        try:
            self.proxy.set_numbers(numbers)
            self._refresh_counts()
            self._after_filter()
        finally:
            self._typing = False
        self.search_applied.emit(q)

    def _search_failed(self, exc: BaseException) -> None:
        self._search_running = None
        self.runner.report_error(exc, self)

    # ---- who I am --------------------------------------------------------------------------------
    def choose_identity(self, first_run: bool = False) -> None:
        def load(led):
            return led.units(include_retired=False), led.my_unit(), led.handler(), led.current_plan()

        self.runner.op(load).success(lambda r: self._open_identity(*r, first_run=first_run)).run()

    def _open_identity(self, units, unit, handler, plan, first_run: bool) -> None:
        dlg = UnitChooserDialog(units, unit.id if unit else None, handler, first_run=first_run, parent=self,
                                plan_title=plan["title"] if plan else "")
        self.dialog = self.identity_dialog = dlg

        def save(values):
            def fn(led):
                led.set_my_unit(values["unit_id"])
                led.set_handler(values["handler"])
                return Changes(everything=True)
            self._save_from(dlg, fn)

        dlg.submitted.connect(save)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _save_from(self, dlg, fn, on_saved=None) -> None:
        """Run a dialog's save; close it when that worked, keep it (and its text) when not."""
        from core.errors import TaizhangError

        def ok(result):
            if alive(dlg):
                dlg.saved()
            if on_saved is not None:
                on_saved(result)

        def bad(exc):
            if not alive(dlg):  # closed while saving: tell the window instead
                self.runner.report_error(exc, self)
            elif isinstance(exc, TaizhangError):
                dlg.failed(str(exc))
            else:
                dlg.failed("保存失败，您填写的内容仍在这里。请把错误详细信息告诉技术支持人员。")
                self.errors.unexpected(dlg, exc)

        self.runner.op(fn).success(ok).failure(bad).run()

    # ---- plans --------------------------------------------------------------------------------
    def switch_plan(self, plan_id: str) -> None:
        self.runner.op(lambda led: Changes(everything=True, value=led.set_current_plan(plan_id))) \
            .success(lambda ch: self.statusBar().showMessage(f"已切换到{ch.value['year']}年方案。", 5000)).run()

    def import_plan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入工作方案", self._last_dir("plans"),
                                              "方案文件 (*.txt *.csv *.tsv);;所有文件 (*)")
        if not path:
            return
        self._remember_dir("plans", path)

        def fn(led):
            return Changes(everything=True, value=led.import_plan_file(Path(path)))

        def done(ch: Changes):
            res = ch.value
            text = f"已导入《{res.title}》：{res.categories} 个类别，{res.tasks} 项任务。"
            if res.unresolved:
                names = "；".join(f"第{n}项：{'、'.join(v)}" for n, v in sorted(res.unresolved.items()))
                text += f"\n\n以下单位名称没有在单位名录中找到（可在“单位名录”中添加或设为别名）：\n{names}"
            ask = QMessageBox.question(self, APP_TITLE, text + "\n\n现在切换到这个方案吗？",
                                       QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if ask == QMessageBox.StandardButton.Yes:
                self.switch_plan(res.plan_id)

        self.runner.op(fn).success(done).run()

    # ---- state of the current task ----------------------------------------------------------------
    def _require_task(self) -> TaskView | None:
        from gui.models import recordable

        t = self.current_task()
        if t is None or self.unit is None:
            self.statusBar().showMessage("请先在表格中选择一项任务。", 5000)
            return None
        if not recordable(t):
            QMessageBox.information(self, APP_TITLE, f"第{t.number}项任务不是本单位的任务，不能记录。"
                                    + ("请先确认“本单位负责”。" if t.role == "related" else ""))
            return None
        return t

    def set_status(self, status: str) -> None:
        t = self.current_task()
        if t is None or self.unit is None:
            return
        unit_id, tid = self.unit.id, t.id
        self.runner.op(lambda led: Changes.task(tid, led.set_status(unit_id, tid, status))) \
            .success(lambda _: self.statusBar().showMessage(f"第{t.number}项状态已改为“{status}”。", 5000)) \
            .failure(lambda exc: (self.runner.report_error(exc, self), self.load_detail(tid))).run()

    def save_state(self, values: dict, task_id: str | None = None) -> None:
        tid = task_id or self.current_task_id()
        if tid is None or self.unit is None:
            return
        unit_id = self.unit.id
        number = self.model.task(tid).number if self.model.task(tid) else "?"

        def fn(led):
            led.set_division(unit_id, tid, dept=values["dept"], person=values["person"], notes=values["notes"])
            led.set_lookback(unit_id, tid, problem=values["problem"], remedy=values["remedy"],
                             remedy_due=values["remedy_due"])
            return Changes.task(tid)

        def ok(_):
            if self.detail.task is not None and self.detail.task.id == tid:
                self.detail.state_saved_ok()
            self.statusBar().showMessage(f"第{number}项的分工和回头看内容已保存。", 5000)

        self.runner.op(fn).success(ok).run()

    def decide(self, decision: str | None) -> None:
        t = self.current_task()
        if t is None or self.unit is None:
            return
        unit_id, tid = self.unit.id, t.id
        words = {"confirmed": "已确认由本单位负责", "dismissed": "已排除（与本单位无关），可在“已排除”中撤销",
                 None: "已恢复为待确认"}
        self.runner.op(lambda led: Changes.task(tid, led.decide_related(unit_id, tid, decision))) \
            .success(lambda _: self.statusBar().showMessage(f"第{t.number}项{words[decision]}。", 6000)).run()

    # ---- actions ----------------------------------------------------------------------------------
    def new_action(self) -> None:
        t = self._require_task()
        if t is None:
            return
        dlg = ActionDialog(f"第{t.number}项　{t.category}", self.handler, parent=self, today=self.today())
        self.dialog = self.action_dialog = dlg
        unit_id, tid = self.unit.id, t.id

        def save(v):
            self._save_from(dlg, lambda led: Changes.task(tid, led.add_action(
                unit_id, tid, v["content"], v["action_date"], v["handler"], v["link"])),
                on_saved=lambda ch: self._after_action_saved(ch.value["id"], "已新增进展记录。"))

        dlg.submitted.connect(save)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _after_action_saved(self, action_id: str, message: str) -> None:
        self.statusBar().showMessage(message, 5000)
        self._select_action = action_id  # once the timeline has it

    def _action_row(self, action_id: str) -> dict | None:
        return next((a for a in self.detail.actions if a["id"] == action_id), None)

    def edit_action(self, action_id: str) -> None:
        t = self._require_task()
        action = self._action_row(action_id)
        if t is None or action is None:
            return
        dlg = ActionDialog(f"第{t.number}项　{t.category}", self.handler, action=action, parent=self)
        self.dialog = self.action_dialog = dlg
        tid = t.id

        def save(v):
            self._save_from(dlg, lambda led: Changes.task(tid, led.edit_action(
                action_id, content=v["content"], action_date=v["action_date"], handler=v["handler"],
                link=v["link"])), on_saved=lambda ch: self._after_action_saved(action_id, "进展记录已修改，原内容保留为历史版本。"))

        dlg.submitted.connect(save)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def delete_action(self, action_id: str) -> None:
        t = self.current_task()
        if t is None:
            return
        tid = t.id

        def fn(led):
            led.delete_action(action_id)
            return Changes.task(tid, recycle_bin=True)

        self.runner.op(fn).success(lambda _: self.statusBar().showMessage(
            "已删除进展记录，可在“文件 → 回收站”中恢复。", 8000)).run()

    def show_history(self, action_id: str) -> None:
        current = self._action_row(action_id)
        if current is None:
            return

        def show(versions):
            dlg = HistoryDialog(current, versions, self)
            self.dialog = self.history_dialog = dlg
            dlg.open()

        self.runner.op(lambda led: led.action_history(action_id)).success(show).run()

    # ---- evidence files -----------------------------------------------------------------------------
    def _last_dir(self, key: str) -> str:
        value = self.settings.value(f"dirs/{key}")
        return str(value) if value and Path(str(value)).is_dir() else str(Path.home())

    def _remember_dir(self, key: str, path: str) -> None:
        self.settings.setValue(f"dirs/{key}", str(Path(path).parent))

    def choose_files(self, action_id: str | None) -> None:
        t = self._require_task()
        if t is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, f"为第{t.number}项选择佐证材料", self._last_dir("files"),
                                                "所有文件 (*)")
        if paths:
            self._remember_dir("files", paths[0])
            self.attach_files([Path(p) for p in paths], action_id=action_id, task_id=t.id)

    def _dropped_on_row(self, paths: list[Path], task_id: str) -> None:
        self.table.select_task(task_id)
        self.attach_files(paths, task_id=task_id)

    def attach_files(self, paths: list[Path], action_id: str | None = None, task_id: str | None = None) -> None:
        from gui.models import recordable

        tid = task_id or self.current_task_id()
        t = self.model.task(tid) if tid else None
        if t is None or self.unit is None:
            return
        if not recordable(t):
            QMessageBox.information(self, APP_TITLE, f"第{t.number}项任务不是本单位的任务，不能添加佐证材料。"
                                    + ("请先确认“本单位负责”。" if t.role == "related" else ""))
            return
        unit_id = self.unit.id
        paths = [Path(p) for p in paths]

        def fn(led, job):
            from core.errors import Cancelled, TaizhangError

            sizes = []
            for p in paths:
                try:
                    sizes.append(p.stat().st_size)
                except OSError:
                    sizes.append(0)
            total = sum(sizes) or 1
            before = 0
            added, problems, cancelled = [], [], False
            for p, size in zip(paths, sizes, strict=True):
                try:
                    row = led.attach_file(unit_id, tid, p, action_id=action_id,
                                          progress=lambda d, _t, b=before: job.progress(b + d, total),
                                          cancelled=job.cancelled)
                    added.append(row)
                except Cancelled:
                    cancelled = True
                    break
                except TaizhangError as exc:
                    problems.append(str(exc))
                before += size
            return Changes.task(tid, value=(added, problems, cancelled))

        def done(ch: Changes):
            added, problems, cancelled = ch.value
            names = "、".join(f"“{a['name']}”" for a in added)
            if cancelled:
                msg = "已取消添加，正在复制的文件没有保存。" + (f"已添加：{names}。" if added else "")
                self.statusBar().showMessage(msg, 10000)
            elif added:
                self.statusBar().showMessage(f"已为第{t.number}项添加佐证材料：{names}。", 8000)
            if problems:
                QMessageBox.warning(self, APP_TITLE, "\n".join(problems))

        label = f"正在为第{t.number}项添加 {len(paths)} 个文件…" if len(paths) > 1 else f"正在添加“{paths[0].name}”…"
        self.runner.op(fn).with_progress(self, label).success(done).run()

    def open_file(self, row: dict) -> None:
        folder = self.data_dir / "tmp" / "open" / row["id"]

        def fn(led):
            src = led.attachment_path(row)
            if not src.exists():
                from core.errors import StoreError

                raise StoreError(f"佐证材料“{row['name']}”的文件在数据文件夹中找不到了，可能被删除或移动。")
            dest = folder / row["name"]
            if not dest.exists() or dest.stat().st_size != row["size"]:
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)  # the viewer gets a copy with the original name
            return dest

        self.runner.op(fn).success(lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))).run()

    def remove_file(self, attachment_id: str) -> None:
        t = self.current_task()
        if t is None:
            return
        tid = t.id
        name = next((f["name"] for f in self.detail.files if f["id"] == attachment_id), "")

        def fn(led):
            led.remove_attachment(attachment_id)
            return Changes.task(tid, recycle_bin=True)

        self.runner.op(fn).success(lambda _: self.statusBar().showMessage(
            f"已移除“{name}”，可在“文件 → 回收站”中恢复。", 8000)).run()

    # ---- recycle bin ------------------------------------------------------------------------------------
    def show_recycle_bin(self) -> None:
        if self.unit is None:
            return
        if self.recycle_dialog is None:
            dlg = RecycleBinDialog(self)
            dlg.restore_actions.connect(self._restore_actions)
            dlg.restore_files.connect(self._restore_files)
            self.recycle_dialog = dlg
        self.dialog = self.recycle_dialog
        self._load_recycle_bin()
        self.recycle_dialog.open()

    def _load_recycle_bin(self) -> None:
        unit_id, plan_id = self.unit.id, self.plan["id"]
        number_of = {t.id: t.number for t in self.model.tasks}
        self.runner.op(lambda led: (led.deleted_actions(unit_id, plan_id), led.deleted_attachments(unit_id, plan_id))) \
            .success(lambda r: self.recycle_dialog.set_rows(r[0], r[1], number_of)).run()

    def _restore_actions(self, rows: list[dict]) -> None:
        def fn(led):
            for a in rows:
                led.restore_action(a["id"])
            return Changes(tasks={a["task_id"] for a in rows}, recycle_bin=True)

        self.runner.op(fn).success(lambda _: self.statusBar().showMessage(
            f"已恢复 {len(rows)} 条进展记录。", 6000)).run()

    def _restore_files(self, rows: list[dict]) -> None:
        def fn(led):
            for f in rows:
                led.restore_attachment(f["id"])
            return Changes(tasks={f["task_id"] for f in rows}, recycle_bin=True)

        self.runner.op(fn).success(lambda _: self.statusBar().showMessage(
            f"已恢复 {len(rows)} 个佐证材料。", 6000)).run()

    # ---- unit directory ------------------------------------------------------------------------------
    def show_unit_editor(self) -> None:
        self.runner.op(lambda led: led.units()).success(self._open_unit_editor).run()

    def _open_unit_editor(self, units) -> None:
        dlg = UnitEditorDialog(units, self.unit.id if self.unit else None, self)
        self.dialog = self.unit_dialog = dlg
        dlg.save_requested.connect(lambda v: self._save_unit(dlg, v))
        dlg.retire_requested.connect(lambda uid, retired: self._retire_unit(dlg, uid, retired))
        dlg.finished.connect(lambda *_: setattr(self, "unit_dialog", None))
        dlg.open()

    def _unit_op(self, dlg: UnitEditorDialog, fn) -> None:
        from core.errors import TaizhangError

        def ok(ch: Changes):
            units, unit_id, changes, years = ch.value
            if alive(dlg):
                dlg.saved(units, unit_id, changes, years)

        def bad(exc):
            if not alive(dlg):
                self.runner.report_error(exc, self)
            elif isinstance(exc, TaizhangError):
                dlg.failed(str(exc))
            else:
                dlg.failed("保存失败，您填写的内容仍在这里。")
                self.errors.unexpected(dlg, exc)

        self.runner.op(fn).success(ok).failure(bad).run()

    def _save_unit(self, dlg: UnitEditorDialog, v: dict) -> None:
        def fn(led):
            from core.units import Unit

            unit = Unit(id=v["id"], full_name=v["full_name"], short_name=v["short_name"], kind=v["kind"],
                        subkind=v["subkind"], has_admin=v["has_admin"], has_website=v["has_website"],
                        aliases=tuple(v["aliases"]), retired=v["retired"], ord=v["ord"])
            changes = led.save_unit(unit)
            unit_id = v["id"] or led.find_unit(v["full_name"]).id
            return Changes(everything=True, value=(led.units(), unit_id, changes, self._plan_years(led)))

        self._unit_op(dlg, fn)

    def _retire_unit(self, dlg: UnitEditorDialog, unit_id: str, retired: bool) -> None:
        def fn(led):
            changes = led.retire_unit(unit_id, retired)
            return Changes(everything=True, value=(led.units(), unit_id, changes, self._plan_years(led)))

        self._unit_op(dlg, fn)

    @staticmethod
    def _plan_years(led) -> dict[str, int]:
        return {p["id"]: p["year"] for p in led.plans()}

    # ---- report texts --------------------------------------------------------------------------------
    def edit_report_texts(self) -> None:
        if self.unit is None or self.plan is None:
            return
        unit_id, plan_id = self.unit.id, self.plan["id"]
        self.runner.op(lambda led: led.report_texts(unit_id, plan_id)).success(self._open_report_texts).run()

    def _open_report_texts(self, texts: dict) -> None:
        dlg = ReportTextsDialog(texts, self.unit.short_name, self.plan.get("year"), self)
        self.dialog = self.report_texts_dialog = dlg
        unit_id, plan_id = self.unit.id, self.plan["id"]
        dlg.submitted.connect(lambda v: self._save_from(
            dlg, lambda led: led.set_report_texts(unit_id, plan_id, **v),
            on_saved=lambda _: self.statusBar().showMessage("自查报告文字已保存。", 5000)))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    # ---- misc ------------------------------------------------------------------------------------------
    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))

    def about(self) -> None:
        QMessageBox.about(self, "关于台账",
                          f"<b>{APP_TITLE}</b> {__version__}<br><br>"
                          "帮助各单位经办人落实年度政务公开工作要点：查看本单位任务、记录进展、保存佐证材料、生成报表。"
                          f"<br><br>数据文件夹：{self.data_dir}")

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "快捷键", "\n".join([
            "Ctrl+N　新增进展", "Ctrl+Shift+A　添加佐证材料", "Ctrl+F　查找",
            "Alt+↓ / Alt+↑　下一项 / 上一项任务", "Ctrl+S　保存分工和回头看", "F5　刷新", "Ctrl+Q　退出"]))

    def _busy(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start(300)  # only work that takes a while is worth a word
        else:
            self._busy_timer.stop()
            self.busy_label.hide()

