"""The 报表 menu and toolbar: preview each report in the system's viewer, or
save it to a folder such as a USB stick. Generation is an op with progress;
core.reports (and with it reportlab/openpyxl) is imported only inside the
op's function, never at start-up.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar, QToolButton

from core import APP_TITLE
from core.vocabulary import REPORT_KINDS as REPORTS
from gui import file_dialogs
from gui.dialogs.base import save_through
from gui.ops import OpChanges, Written
from gui.viewer import open_in_viewer

if TYPE_CHECKING:
    from gui.main_window import MainWindow

FILTERS = {".pdf": "PDF 文件 (*.pdf)", ".xlsx": "Excel 工作簿 (*.xlsx)"}


class ReportActions:
    def __init__(self, window: MainWindow):
        self.w = window
        self.actions: list[QAction] = []
        self.preview_actions: dict[str, QAction] = {}
        self.save_actions: dict[str, QAction] = {}

    def build(self, menu: QMenu, toolbar: QToolBar) -> None:
        preview_menu = QMenu("预览报表", self.w)
        save_menu = QMenu("保存报表", self.w)
        for kind, (title, suffix) in REPORTS.items():
            what = "Excel" if suffix == ".xlsx" else "PDF"
            p = QAction(f"预览{title}（{what}）", self.w)
            p.setStatusTip(f"生成{title}并用系统程序打开")
            p.triggered.connect(lambda _=False, k=kind: self.preview(k))
            s = QAction(f"保存{title}到…", self.w)
            s.setStatusTip(f"生成{title}并保存到指定文件夹（例如U盘）")
            s.triggered.connect(lambda _=False, k=kind: self.save(k))
            menu.addAction(p)
            preview_menu.addAction(p)
            save_menu.addAction(s)
            self.preview_actions[kind] = p
            self.save_actions[kind] = s
        menu.addSeparator()
        for s in self.save_actions.values():
            menu.addAction(s)
        # the toolbar's two buttons show the menus' own actions, so they are
        # greyed with the reports (before the store is open) and not only their items
        self.actions = [*self.preview_actions.values(), *self.save_actions.values(),
                        preview_menu.menuAction(), save_menu.menuAction()]
        for sub in (preview_menu, save_menu):
            button = QToolButton(toolbar)
            button.setDefaultAction(sub.menuAction())
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            toolbar.addWidget(button)
        self.preview_menu, self.save_menu = preview_menu, save_menu

    # ---- the two ways out ---------------------------------------------------------
    def _context(self):
        w = self.w
        if w.unit is None or w.plan is None:
            QMessageBox.information(w, APP_TITLE, "请先选择本单位。")
            return None
        return w.unit, w.plan, w.today()

    def _build(self, kind: str, then) -> None:
        """Make the report in tmp/preview on the worker (with progress); ``then(result)``."""
        ctx = self._context()
        if ctx is None:
            return
        unit, plan, today = ctx
        folder = self.w.folder.previews

        def fn(led, job):
            from core.reports import build_report, default_filename

            folder.mkdir(parents=True, exist_ok=True)
            name = default_filename(kind, unit.short_name, plan["year"])
            out = folder / name
            if out.exists():  # the viewer may still hold the last one open (Windows)
                try:
                    out.unlink()
                except OSError:
                    out = folder / f"{Path(name).stem}-{time.strftime('%H%M%S')}{Path(name).suffix}"
            return build_report(kind, led, unit.id, out, plan_id=plan["id"], today=today,
                                progress=job.progress, cancelled=job.cancelled)

        self.w.runner.read(fn).with_progress(self.w, f"正在生成{REPORTS[kind][0]}…").success(then).run()

    def preview(self, kind: str) -> None:
        def done(result):
            self._warn(result, with_gaps=True)
            title = REPORTS[kind][0]
            if open_in_viewer(self.w, result.path, title):
                self.w.statusBar().showMessage(f"已生成{title}{self._pages(result)}，正在用系统程序打开。", 8000)
            else:
                self.w.statusBar().showMessage(f"已生成{title}{self._pages(result)}：{result.path}", 10000)

        self._build(kind, done)

    def save(self, kind: str) -> None:
        """Make the report, list what is still missing, then save it where the clerk says."""
        def made(result):
            if not result.gaps:
                self._ask_and_save(kind, result)
                return
            from core.reports import GAP_PLACES

            titles = {t.number: t.category for t in self.w.model.tasks}
            from gui.dialogs.gaps import GapsDialog

            dlg = GapsDialog(REPORTS[kind][0], result.gaps, GAP_PLACES, titles, self.w)
            dlg.save_anyway.connect(lambda: self._ask_and_save(kind, result))
            dlg.go_to_text.connect(self.edit_texts)
            dlg.go_to_task.connect(lambda number, _kind: self.w.go_to_lookback(number))
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.open()

        self._build(kind, made)

    def _ask_and_save(self, kind: str, result) -> None:
        title, suffix = REPORTS[kind]
        out = file_dialogs.ask_output_path(self.w, self.w.settings, f"保存{title}", result.path.name,
                                           FILTERS[suffix], suffix)
        if out is None:
            return
        made = result.path

        def fn(_led):
            from core.safe_write import write_bytes_safely

            return write_bytes_safely(out, made.read_bytes())  # temp file, fsync, rename: never half a file

        def done(saved: Path):
            self._warn(result)
            self.w.statusBar().showMessage(f"{title}已保存到 {saved}{self._pages(result)}。", 10000)
            QMessageBox.information(self.w, APP_TITLE, f"{title}已保存：\n{saved}{self._pages(result)}")

        self.w.runner.read(fn).success(done).run()

    @staticmethod
    def _pages(result) -> str:
        pages = getattr(result, "pages", None)
        return f"（共 {pages} 页）" if pages else ""

    def _warn(self, result, with_gaps: bool = False) -> None:
        """What the report wants the clerk to know; the gaps were listed before saving."""
        gaps = set() if with_gaps else {g.message for g in getattr(result, "gaps", [])}
        warnings = [w for w in getattr(result, "warnings", []) or [] if w not in gaps]
        if warnings:
            QMessageBox.warning(self.w, APP_TITLE, "报表已生成，但请注意：\n" + "\n".join(warnings))

    # ---- the clerk's own texts for the self-report ---------------------------------
    def edit_texts(self, focus: str | None = None) -> None:
        """The texts dialog; ``focus`` ("summary", "problems", "next_steps") opens at that text."""
        w = self.w
        if w.unit is None or w.plan is None:
            return
        unit, plan = w.unit, w.plan
        w.runner.read(lambda led: led.report_texts(unit.id, plan["id"])) \
            .success(lambda texts: self._open_texts(texts, unit, plan, focus)).run()

    def _open_texts(self, texts: dict, unit, plan, focus: str | None = None) -> None:
        from gui.dialogs.report_texts import ReportTextsDialog

        dlg = ReportTextsDialog(texts, unit.short_name, plan.get("year"), self.w)
        if focus in dlg.edits:
            dlg.tabs.setCurrentIndex(list(dlg.edits).index(focus))
            dlg.edits[focus].setFocus()

        def fn(values):
            return lambda led: Written(OpChanges(), led.set_report_texts(unit.id, plan["id"], **values))

        dlg.submitted.connect(lambda v: save_through(
            self.w.runner, dlg, fn(v), self.w.errors, self.w,
            on_saved=lambda _: self.w.statusBar().showMessage("自查报告文字已保存。", 5000)))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
