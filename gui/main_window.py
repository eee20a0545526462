"""The clerk's main window: filters on the left, the task table in the
centre, the selected task on the right. It lays them out, builds the menus
and wires signals to the feature modules that do the work:

    gui/tasks/commands.py   status, division, 回头看, records     (self.tasks)
    gui/attachments.py      evidence files                       (self.files)
    gui/tasks/search.py     the search box                       (self.search)
    gui/recycle.py          the 回收站                           (self.recycle_bin)
    gui/units.py            the unit directory                   (self.unit_directory)
    gui/identity.py         本单位 and 经办人                    (self.identity)
    gui/plans.py            switch and import plans               (self.plans_menu)
    gui/reports.py          the 报表 menu and the report texts    (self.reports)
    gui/package_export.py   报表 → 生成上报包…                   (self.package_export)
    gui/supervisor/         the 汇总 menu and window (supervisor's folder) (self.supervisor)

Every store access is an op on the runner's worker; a write's changes are
broadcast, and the window refreshes the rows (and the detail) they name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import APP_TITLE, __version__
from core.datafolder import DataFolder
from gui.attachments import AttachmentCommands, clean_viewer_copies
from gui.backup import BackupCommands
from gui.detail.panel import TaskDetail
from gui.errors import ErrorPresenter
from gui.identity import Identity
from gui.ops import OpChanges, OpRunner, StoreOpened
from gui.package_export import PackageExport
from gui.plan_life import PlanLife
from gui.plans import PlanCommands
from gui.recycle import RecycleBin
from gui.reports import ReportActions
from gui.settings import WindowSettings
from gui.start_screen import StartScreen
from gui.supervisor import SupervisorActions
from gui.tasks.commands import TaskCommands
from gui.tasks.empty_hint import EmptyHint
from gui.tasks.filters import FilterPanel
from gui.tasks.model import TaskFilterProxy, TaskTableModel, assigned, recordable
from gui.tasks.search import TaskSearch
from gui.tasks.table import TaskTable
from gui.undo import UndoBar
from gui.units import UnitDirectory
from gui.widgets.look import ACCENT, MUTED, set_bold, set_text_color, show_focus_rings

if TYPE_CHECKING:
    from core.tasks import TaskView
    from core.units import Unit

DAY_CHECK_MS = 60_000  # how often the window looks whether the date has changed


class MainWindow(QMainWindow):
    loaded = Signal()  # tasks (re)loaded into the table
    search_applied = Signal(str)  # the table shows the result of this search
    detail_loaded = Signal(str)  # task id

    def __init__(self, folder: DataFolder, runner: OpRunner, clock: Callable[[], date] = date.today):
        super().__init__()
        self.folder = folder
        self.runner = runner
        self.clock = clock
        self.errors = ErrorPresenter(folder)
        runner.on_error = self.errors
        runner.error_parent = self
        self.settings = WindowSettings(folder)
        self.unit: Unit | None = None
        self.handler = ""
        self.plan: dict | None = None
        self.store_open = False
        self.read_only = False  # a damaged store: shown, nothing written
        self.lock = None  # the data folder's lock, held by gui.app
        self._select_action: str | None = None
        self._open_lookback_of: int | None = None  # a gap's task: open its 回头看 once shown
        self._splitters_restored = False
        self._day = clock()

        self.setWindowTitle(APP_TITLE)
        self.model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(clock, self)
        self.proxy.setSourceModel(self.model)
        self._build_ui()
        self.tasks = TaskCommands(self)
        self.files = AttachmentCommands(self)
        self.search = TaskSearch(self)
        self.recycle_bin = RecycleBin(self)
        self.backup = BackupCommands(self)
        self.unit_directory = UnitDirectory(self)
        self.identity = Identity(self)
        self.start_screen = StartScreen(self)
        self._build_actions()
        self._wire()
        self.settings.restore_window(self)
        self._set_enabled(False)
        self.statusBar().showMessage("正在打开数据…")

    def today(self) -> date:
        return self.clock()

    def plan_year(self) -> int | None:
        return (self.plan or {}).get("year")

    # ---- building ---------------------------------------------------------------
    def _build_ui(self) -> None:
        self.filters = FilterPanel()
        self.table = TaskTable()
        self.table.setModel(self.proxy)
        self.table.default_widths()
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.detail = TaskDetail()
        self.detail.clock = self.clock
        self.detail.tab_from = self.table

        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(2, 6, 2, 2)
        top = QHBoxLayout()
        self.heading = QLabel()
        set_bold(self.heading, 14)
        top.addWidget(self.heading, 1)
        self.shown_label = QLabel()
        set_text_color(self.shown_label, MUTED)
        top.addWidget(self.shown_label)
        cl.addLayout(top)
        self.empty_hint = EmptyHint()
        self.empty_hint.search_all_button.clicked.connect(self.show_all_tasks)
        cl.addWidget(self.empty_hint)
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
        show_focus_rings()  # where the keyboard is must show on lists and tables (Tab walks the panels)

        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self.undo = UndoBar(self.statusBar())
        self.busy_label = QLabel("处理中…")
        set_text_color(self.busy_label, ACCENT)
        self.busy_label.hide()
        self.statusBar().addPermanentWidget(self.busy_label)
        self._typing = False  # a search keystroke is moving the selection
        self._detail_timer = self._timer(150, self._load_current_detail)
        self._busy_timer = self._timer(0, lambda: self.busy_label.setVisible(not self.runner.idle))
        self._day_timer = self._timer(DAY_CHECK_MS, self.check_date, single=False)
        self._day_timer.start()

    def show_all_tasks(self) -> None:
        """Widen the view to every task of the plan, keeping the search."""
        self.filters.set_category(None)
        self.filters.set_quick("plan")

    def _timer(self, ms: int, slot, single: bool = True) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

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
        self.act_new_action = A("新增进展…", self.tasks.new_action, "Ctrl+N", "为选中的任务新增一条进展记录（Ctrl+N）")
        self.act_attach = A("添加佐证材料…", lambda: self.files.choose_files(None), "Ctrl+Shift+A",
                            "为选中的任务添加佐证材料（也可把文件拖到任务上）")
        self.act_find = A("查找", self.search.focus, QKeySequence.StandardKey.Find, "搜索任务和进展（Ctrl+F）")
        self.act_next = A("下一项任务", lambda: self.table.step(1), ["Alt+Down", "Ctrl+."], "下一项任务（Alt+↓）")
        self.act_prev = A("上一项任务", lambda: self.table.step(-1), ["Alt+Up", "Ctrl+,"], "上一项任务（Alt+↑）")
        self.act_refresh = A("刷新", self.reload, "F5")
        self.act_recycle = A("回收站…", self.recycle_bin.show, None, "恢复删除的进展记录和佐证材料")
        self.act_units = A("单位名录…", self.unit_directory.show, None, "增改单位、别名和属性")
        self.act_identity = A("本单位和经办人…", self.identity.choose, None, "更改本单位或经办人姓名")
        self.act_backup = A("备份到…", self.backup.backup_to, None, "把全部数据和佐证材料备份成一个文件（例如存到U盘）")
        self.act_restore = A("从备份恢复…", self.backup.restore, None, "用备份文件中的数据替换现在的数据（现在的数据先移到 backups 保存）")
        self.act_clean = A("清理未用文件", self.backup.collect_unused_files, None, "删除不再被任何记录使用的佐证材料文件和临时文件")
        self.act_open_data = A("打开数据文件夹", self.open_data_folder)
        self.act_quit = A("退出", self.close, QKeySequence.StandardKey.Quit)
        self.act_about = A("关于台账", self.about)
        self.act_shortcuts = A("快捷键", self.show_shortcuts)

        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        self.plans_menu = PlanCommands(self, m.addMenu("切换工作方案"))
        self.plan_life = PlanLife(self, m.addMenu("方案管理"))
        self.act_import_plan = A("导入工作方案…", self.plans_menu.import_plan, None, "导入其他年度或其他地方的分工方案")
        self.act_paste_plan = A("粘贴方案", self.plans_menu.paste_plan, None, "把从 WPS、Word、Excel 或网页复制的方案表格导入")
        for a in (self.act_import_plan, self.act_paste_plan, None, self.act_recycle, self.act_backup, self.act_restore,
                  self.act_clean, self.act_open_data, None, self.act_quit):
            m.addSeparator() if a is None else m.addAction(a)
        m = mb.addMenu("任务(&T)")
        for a in (self.act_new_action, self.act_attach, None, self.act_find, self.act_next, self.act_prev,
                  None, self.act_refresh):
            m.addSeparator() if a is None else m.addAction(a)
        self.report_menu = report_menu = mb.addMenu("报表(&R)")
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
        for a in (self.act_new_action, self.act_attach, None, self.act_recycle, self.act_units, None):
            tb.addSeparator() if a is None else tb.addAction(a)
        self.toolbar = tb

        self.reports = ReportActions(self)
        self.reports.build(report_menu, tb)
        report_menu.addSeparator()
        self.act_report_texts = A("自查报告文字…", self.reports.edit_texts, None,
                                  "填写自查报告中的总体情况、存在问题、下一步工作计划")
        report_menu.addAction(self.act_report_texts)
        self._build_package_actions(mb, report_menu)

        self._store_actions = [self.act_new_action, self.act_attach, self.act_recycle, self.act_units,
                               self.act_identity, self.act_import_plan, self.act_paste_plan, self.act_report_texts,
                               self.act_refresh, self.act_backup, self.act_restore, self.act_clean,
                               *self.reports.actions, self.package_export.action, self.supervisor.act_open,
                               self.plan_life.menu.menuAction()]
        # what a damaged store (opened read-only) cannot do; reading and reports stay (a package
        # counts its number in the store)
        self._write_actions = [self.act_new_action, self.act_attach, self.act_units, self.act_identity,
                               self.act_import_plan, self.act_paste_plan, self.act_report_texts, self.act_clean,
                               self.act_recycle, self.package_export.action, self.plan_life.menu.menuAction()]

    def _build_package_actions(self, mb, report_menu) -> None:
        """报表 → 生成上报包…, and the 汇总 menu (shown in a supervisor's folder)."""
        self.package_export = PackageExport(self)
        report_menu.addSeparator()
        report_menu.addAction(self.package_export.action)
        self.supervisor = SupervisorActions(self, mb)

    def _wire(self) -> None:
        self.runner.changed.connect(self.on_changes)
        self.runner.busy_changed.connect(self._busy)
        self.search.applied.connect(self.search_applied)
        self.filters.search_changed.connect(self.search.text_changed)
        self.filters.search.to_results.connect(self.go_to_results)
        self.filters.quick_changed.connect(lambda key: self.apply_filter(lambda: self.proxy.set_quick(key)))
        self.filters.category_changed.connect(lambda name: self.apply_filter(lambda: self.proxy.set_category(name)))
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.files_dropped.connect(self.files.dropped_on_row)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self.tasks.menu().exec(self.table.viewport().mapToGlobal(pos)))
        for signal in (self.proxy.layoutChanged, self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.modelReset):
            signal.connect(self._update_shown)

        d = self.detail
        d.status_chosen.connect(self.tasks.set_status)
        d.state_saved.connect(self.tasks.save_state)
        d.decided.connect(self.tasks.decide)
        d.new_action.connect(self.tasks.new_action)
        d.edit_action.connect(self.tasks.edit_action)
        d.delete_action.connect(self.tasks.delete_action)
        d.action_history.connect(self.tasks.show_history)
        d.add_files.connect(self.files.choose_files)
        d.files_dropped.connect(lambda paths, aid: self.files.attach_files(paths, action_id=aid))
        d.open_file.connect(self.files.open_file)
        d.remove_file.connect(self.files.remove_file)

    def _set_enabled(self, on: bool) -> None:
        for a in self._store_actions:
            a.setEnabled(on and not (self.read_only and a in self._write_actions))
        if on:
            self._update_task_actions()

    def _update_task_actions(self) -> None:
        t = self.current_task()
        mine = self.writable and t is not None and recordable(t)
        self.act_new_action.setEnabled(mine)
        self.act_attach.setEnabled(mine)

    # ---- settings ------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._splitters_restored:  # once the widgets have their real sizes
            self._splitters_restored = True
            self.settings.restore_splitters(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.detail.dirty and self.detail.task is not None:
            self.tasks.save_state(self.detail.state_values())
            self.runner.wait_idle(10)
        self.settings.save_window(self)
        super().closeEvent(event)

    # ---- start-up -------------------------------------------------------------------
    def open_store(self) -> None:
        """Open (create, migrate, seed) the store on the worker, then load."""
        self.runner.open_ledger(self.folder).success(self._store_opened).failure(self._store_failed).run()

    def _store_opened(self, opened: StoreOpened) -> None:
        self.store_open = True
        self.read_only = opened.read_only
        self._set_enabled(True)
        self.reload(first=True)
        if opened.warnings:
            QMessageBox.warning(self, APP_TITLE, "\n\n".join(opened.warnings))
        self.supervisor.store_opened()
        folder = self.folder
        self.runner.read(lambda _led: clean_viewer_copies(folder)).failure(lambda exc: None).run()

    def _store_failed(self, exc: BaseException) -> None:
        from core.errors import TaizhangError

        self.start_screen.forget()  # rows shown from a store that did not open
        self.statusBar().showMessage("无法打开数据。")
        if isinstance(exc, TaizhangError):
            QMessageBox.critical(self, APP_TITLE, f"{exc}\n\n数据文件夹：{self.folder.root}")
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
            return {"unit": unit, "handler": led.handler(), "plans": led.plans(), "plan": plan, "tasks": tasks,
                    "removed": led.removed_plans(), "read_only": led.read_only}

        self.runner.read(load).success(lambda r: self._loaded(r, first)).run()

    def _loaded(self, r: dict, first: bool = False) -> None:
        self.unit, self.handler, self.plan = r["unit"], r["handler"], r["plan"]
        if r["read_only"] != self.read_only:  # a restore replaced a damaged store with a sound one
            self.read_only = r["read_only"]
            self._set_enabled(True)
        keep = self.current_task_id() or self.settings.value("table/current")
        self.show_tasks(self.unit.id if self.unit else None, self.plan_year(), r["tasks"], keep)
        self.plans_menu.fill_menu(r["plans"], self.plan)
        self.plan_life.show_removed(r["removed"])
        self._update_identity()
        if self.current_task_id() is None:
            self.detail.show_task(None)
        self._update_task_actions()
        self.statusBar().clearMessage()
        self.search.forget(soon=True)
        self.search.rerun()
        if first and self.settings.value("table/header") is None:  # a first start: the columns fit the table,
            QTimer.singleShot(0, self, self.table.fit_columns)  # once laid out (a store opened before the paint)
        self.loaded.emit()
        if first and (self.unit is None or not self.handler):
            self.identity.choose(first_run=True)

    def check_date(self) -> None:
        """After midnight the lights and the date filters move on: reload."""
        today = self.today()
        if today != self._day:
            self._day = today
            if self.store_open:
                self.proxy.refilter()
                self.reload()

    def _update_identity(self) -> None:
        if self.unit is None:
            self.setWindowTitle(APP_TITLE)
            self.heading.setText("尚未选择本单位：请从菜单“本单位 → 本单位和经办人…”选择")
            self.who.setText("")
            return
        self.show_identity(self.unit.short_name, self.plan or {}, self.handler)

    def show_tasks(self, unit_id: str | None, plan_year: int | None, tasks: list[TaskView], keep: str | None) -> None:
        """The unit's tasks in the table, ``keep`` selected if it is there, else the first."""
        self.model.my_unit_id = self.detail.my_unit_id = unit_id
        self.detail.plan_year = plan_year
        self.model.set_tasks(tasks)
        self.refresh_counts()
        if not (keep and self.table.select_task(keep)):
            self.table.step(0)

    @property
    def writable(self) -> bool:
        """Records can be written: the store is open, sound, and 本单位 is chosen."""
        return self.store_open and not self.read_only and self.unit is not None

    def show_identity(self, name: str, plan: dict, handler: str) -> None:
        """Title, heading and status bar name the unit ("" for none: a store that did not open)."""
        title = f"{APP_TITLE} — {name}" + ("（只读）" if self.read_only else "")
        self.setWindowTitle(title if name else APP_TITLE)
        year = plan.get("year")
        self.heading.setText(f"{name}　{year}年政务公开工作任务" if year else name)
        self.heading.setToolTip(plan.get("title") or "")
        self.who.setText(f"本单位：{name}　经办人：{handler or '（未填）'}　方案：{year}年" if year else "")

    def refresh_counts(self) -> None:
        self.filters.update_counts(self.model.tasks, self.proxy)
        self._update_shown()

    def _update_shown(self, *_) -> None:
        mine = sum(1 for t in self.model.tasks if assigned(t))
        shown = self.proxy.rowCount()
        self.shown_label.setText(f"显示 {shown} 项（本单位共 {mine} 项）")
        if shown == 0 and self.model.tasks:
            p = self.proxy
            self.empty_hint.show_for(self.filters.quick_label(p.quick), p.category, self.search.query,
                                     widen=p.quick != "plan" or p.category is not None)
        else:
            self.empty_hint.hide()

    def go_to_results(self) -> None:
        """From the search box (↓ or Enter): the first task shown, with the focus."""
        if self.proxy.rowCount():
            self.table.select_row(0)
            self.table.setFocus()

    def on_changes(self, changes: OpChanges, _initiator) -> None:
        """The broadcast: reload everything, or the rows (and detail) named."""
        if changes.everything:
            self.search.forget(soon=True)  # read again once the reload is in
            self.reload()
            return
        if changes.tasks:  # the only writes that change what the search looks through
            self.search.forget()
        if changes.tasks and self.unit is not None:
            ids = set(changes.tasks)
            unit_id, today = self.unit.id, self.today()
            self.runner.read(lambda led: [led.task(unit_id, tid, today) for tid in ids]) \
                .success(self._rows_reloaded).run()

    def _rows_reloaded(self, views: list[TaskView]) -> None:
        self.model.update_tasks(views)
        self.refresh_counts()
        self._update_task_actions()
        self.search.rerun()
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

    def go_to_lookback(self, number: int) -> None:
        """Task ``number`` selected (widening the filter if it is hidden), its 回头看 open."""
        if not self.select_number(number):
            self.filters.search.clear()
            self.show_all_tasks()
            self.select_number(number)
        self._open_lookback_of = number

    def select_action_when_shown(self, action_id: str) -> None:
        self._select_action = action_id

    def _current_row_changed(self, current, _previous) -> None:
        d = self.detail
        if d.dirty and d.task is not None and (not current.isValid() or d.task.id != self.current_task_id()):
            self.tasks.save_state(d.state_values(), task_id=d.task.id)
        tid = self.current_task_id()
        self._update_task_actions()
        if tid is None:
            d.show_task(None)
            return
        if self._typing:
            self._detail_timer.start()  # the search moved the selection: load once typing pauses
        else:
            self.load_detail(tid)

    def _load_current_detail(self) -> None:
        tid = self.current_task_id()
        if tid is not None and tid != (self.detail.task.id if self.detail.task else None):
            self.load_detail(tid)

    def load_detail(self, task_id: str) -> None:
        if self.unit is None:
            return
        # remembered for the next start; not on each search keystroke (window.ini is written each time)
        self.settings.set("table/current", task_id)
        unit_id, today = self.unit.id, self.today()

        def load(led):
            return led.task(unit_id, task_id, today), led.actions(unit_id, task_id), led.attachments(unit_id, task_id)

        self.runner.read(load).supersedes("detail").success(self._detail_loaded).run()

    def _detail_loaded(self, r) -> None:
        view, actions, files = r
        if view.id != self.current_task_id():
            return  # the clerk has moved on
        self.detail.show_task(view, actions, files)
        if self._open_lookback_of == view.number:
            self._open_lookback_of = None
            self.detail.open_lookback()
        if self._select_action and any(a["id"] == self._select_action for a in actions):
            self.detail.select_action(self._select_action)
            self._select_action = None
        self.detail_loaded.emit(view.id)

    # ---- filters ---------------------------------------------------------------------
    def apply_filter(self, change: Callable[[], None], typing: bool = False) -> None:
        """Change the filter, recount, and keep a task selected."""
        self._typing = typing
        try:
            change()
            self.refresh_counts()
            if self.current_task_id() is None or not self.table.currentIndex().isValid():
                self.table.step(0)
        finally:
            self._typing = False

    # ---- misc ------------------------------------------------------------------------------
    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder.root)))

    def about(self) -> None:
        QMessageBox.about(self, "关于台账",
                          f"<b>{APP_TITLE}</b> {__version__}<br><br>"
                          "帮助各单位经办人落实年度政务公开工作要点：查看本单位任务、记录进展、保存佐证材料、生成报表。"
                          f"<br><br>数据文件夹：{self.folder.root}")

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
