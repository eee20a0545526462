"""The supervising office's window (汇总工作台): import packages with progress,
the units × tasks matrix with filters, open a cell to read that unit's records,
and the three outputs. It shares the clerk window's runner (one worker owns
the Ledger) and refreshes when a write says everything changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import APP_TITLE
from core.units import KINDS
from gui import file_dialogs
from gui.ops import OpChanges, Written
from gui.supervisor.cell import CellDialog
from gui.supervisor.chart import CompletionChart
from gui.supervisor.model import FIXED, STATES, UNIT_ROLE, RollupFilter, RollupModel

if TYPE_CHECKING:
    from gui.main_window import MainWindow

OUTPUTS = {"rollup": ("汇总表", ".xlsx", "Excel 工作簿 (*.xlsx)"), "bulletin": ("通报", ".pdf", "PDF 文件 (*.pdf)"),
           "reminders": ("催办单", ".pdf", "PDF 文件 (*.pdf)")}


class SupervisorWindow(QMainWindow):
    def __init__(self, main: MainWindow):
        super().__init__(main, Qt.WindowType.Window)
        self.main = main
        self.runner = main.runner
        self.setWindowTitle(f"{APP_TITLE} · 汇总工作台")
        self.resize(1200, 700)
        self.model = RollupModel(self)
        self.proxy = RollupFilter(self)
        self.proxy.setSourceModel(self.model)

        central = QWidget()
        lay = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.addItems(["全部类别", *KINDS.values()])
        self.category = QComboBox()
        self.category.addItem("全部任务")
        self.state = QComboBox()
        self.state.addItems(list(STATES))
        for label, box in (("单位类别：", self.kind), ("任务类别：", self.category), ("筛选：", self.state)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box)
        bar.addStretch(1)
        self.summary = QLabel()
        bar.addWidget(self.summary)
        lay.addLayout(bar)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the directory's order
        self.proxy.sort(-1)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self.open_cell)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "单位×任务")
        charts = QWidget()
        charts_lay = QVBoxLayout(charts)
        self.by_category = CompletionChart("各类任务完成率（已上报单位）")
        self.by_group = CompletionChart("各类单位完成率（已上报单位）")
        charts_lay.addWidget(self.by_category)
        charts_lay.addWidget(self.by_group)
        charts_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        self.tabs.addTab(scroll, "完成率图表")
        lay.addWidget(self.tabs)
        self.setCentralWidget(central)

        tb = self.addToolBar("汇总")
        tb.setMovable(False)
        self.act_import_files = tb.addAction("导入上报包…", self.import_files)
        self.act_import_folder = tb.addAction("导入文件夹/U盘…", self.import_folder)
        tb.addSeparator()
        self.act_refresh = tb.addAction("刷新", self.refresh)
        tb.addSeparator()
        self.act_outputs = {k: tb.addAction(f"生成{v[0]}…", lambda k=k: self.save_output(k))
                            for k, v in OUTPUTS.items()}
        tb.addSeparator()
        self.act_scores = tb.addAction("考评…", self.show_scores)
        for box in (self.kind, self.state):
            box.currentIndexChanged.connect(self._filter)
        self.category.currentIndexChanged.connect(self._columns)
        self.runner.changed.connect(self._changed)

    def show_scores(self) -> None:
        """Each unit's score, its parts and why, the ranking; the weights can change."""
        from gui.supervisor.scores import ScoresDialog

        dlg = ScoresDialog(self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.load()
        dlg.open()

    # ---- loading ------------------------------------------------------------------
    def refresh(self) -> None:
        today = self.main.today()

        def load(led):
            from core.supervise.rollup import build_rollup

            return build_rollup(led, today=today)

        self.runner.read(load).supersedes("rollup").success(self._loaded).run()

    def _loaded(self, rollup) -> None:
        self.model.set_rollup(rollup)
        cats = list(dict.fromkeys(t.category for t in rollup.tasks))
        current = self.category.currentText()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItems(["全部任务", *cats])
        if current in cats:
            self.category.setCurrentText(current)
        self.category.blockSignals(False)
        self._columns()
        self._filter()
        for c in range(len(FIXED), self.model.columnCount()):
            self.table.setColumnWidth(c, 38)
        for c, w in enumerate((110, 72, 56, 44, 44, 86)):
            self.table.setColumnWidth(c, w)
        self.by_category.set_groups(rollup.by_category())
        self.by_group.set_groups(rollup.by_group())
        self.summary.setText(f"{len(rollup.units)} 个单位，已上报 {len(rollup.reported)} 个，"
                             f"未上报 {len(rollup.never_reported)} 个")

    def _changed(self, changes: OpChanges, _initiator) -> None:
        if changes.everything and self.isVisible():
            self.refresh()

    def _filter(self) -> None:
        kind = self.kind.currentText() if self.kind.currentIndex() > 0 else None
        self.proxy.set_filter(kind, STATES[self.state.currentText()])

    def _columns(self) -> None:
        cat = self.category.currentText() if self.category.currentIndex() > 0 else None
        for c in range(len(FIXED), self.model.columnCount()):
            t = self.model.task_at(c)
            self.table.setColumnHidden(c, cat is not None and t.category != cat)

    def rows(self) -> list[str]:
        """The units shown, in order (tests)."""
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    # ---- importing ------------------------------------------------------------------
    def import_files(self) -> None:
        paths, _ = file_dialogs.open_files(self, "导入上报包", self.main.settings.last_dir("packages"),
                                                "台账数据包 (*.tzbg *.tzfa)")
        if paths:
            self.main.settings.remember_dir("packages", paths[0])
            self.import_paths([Path(p) for p in paths])

    def import_folder(self) -> None:
        folder = file_dialogs.choose_folder(self, "导入文件夹或U盘中的全部上报包",
                                                  self.main.settings.last_dir("packages"))
        if folder:
            self.main.settings.remember_dir("packages", folder, is_folder=True)
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path], replace: bool = False) -> None:
        def fn(led, job):
            from core.exchange.importer import import_packages

            summary = import_packages(led, paths, replace=replace, progress=job.progress, cancelled=job.cancelled)
            return Written(OpChanges.all() if summary.changed else OpChanges(), summary)

        self.runner.write(fn, initiator=self).with_progress(self, "正在导入上报包…").success(self._imported).run()

    def _imported(self, summary) -> None:
        from core.exchange.importer import ASK

        lines = [f"{o.path.name}：{o.message}" for o in summary.outcomes if o.status != ASK]
        if lines:
            QMessageBox.information(self, APP_TITLE, "\n".join(lines[:40]) + (
                f"\n……共 {len(lines)} 个文件" if len(lines) > 40 else ""))
        asks = [o for o in summary.outcomes if o.status == ASK]
        if asks:
            text = "\n".join(o.message for o in asks)
            answer = QMessageBox.question(self, APP_TITLE, f"{text}\n\n是否以这些上报包为准，替换已导入的数据？")
            if answer == QMessageBox.StandardButton.Yes:
                self.import_paths([o.path for o in asks], replace=True)
        if not summary.changed:
            self.refresh()

    # ---- a cell ---------------------------------------------------------------------
    def open_cell(self, index) -> None:
        src = self.proxy.mapToSource(index)
        task = self.model.task_at(src.column())
        unit = self.model.data(src, UNIT_ROLE)
        if task is None or self.model.cell(src.row(), src.column()) is None:
            return
        today = self.main.today()

        def load(led):
            return (led.task(unit.unit_id, task.id, today), led.actions(unit.unit_id, task.id),
                    led.attachments(unit.unit_id, task.id))

        self.runner.read(load).success(lambda r: self._show_cell(unit, *r)).run()

    def _show_cell(self, unit, view, actions, files) -> None:
        self.cell_dialog = CellDialog(unit.name, view, actions, files, self._open_file, self)
        self.cell_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.cell_dialog.open()

    def _open_file(self, row: dict) -> None:
        from gui.attachments import open_evidence

        open_evidence(self, self.runner, self.main.folder, row,
                      f"佐证材料“{row['name']}”的文件不在本机（上报包可能未附佐证材料）。")

    # ---- outputs --------------------------------------------------------------------
    def save_output(self, kind: str) -> None:
        title, suffix, filters = OUTPUTS[kind]
        rollup = self.model.rollup
        if rollup is None:
            return
        name = f"{rollup.plan['year']}年政务公开工作{title}{suffix}"
        out = file_dialogs.ask_output_path(self, self.main.settings, f"保存{title}", name, filters, suffix)
        if out is None:
            return
        today = self.main.today()

        def fn(led, job):
            from core.supervise.rollup import build_rollup

            r = build_rollup(led, today=today)
            if kind == "rollup":
                from core.reports.rollup_xlsx import build_rollup_xlsx as build
            elif kind == "bulletin":
                from core.reports.bulletin import build_bulletin as build
            else:
                from core.reports.reminders import build_reminders as build
            return build(led, r, out)

        def done(result) -> None:
            pages = f"（共 {result.pages} 页）" if result.pages else ""
            QMessageBox.information(self, APP_TITLE, f"{title}已保存：\n{result.path}{pages}")

        self.runner.read(fn).with_progress(self, f"正在生成{title}…", cancellable=False).success(done).run()
