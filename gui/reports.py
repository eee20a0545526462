"""The 报表 menu and toolbar: preview each report in the system's viewer, or
save it to a folder such as a USB stick. Generation is an op with progress;
core.reports (and with it reportlab/openpyxl) is imported only inside the
op's function, never at start-up.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolBar, QToolButton

from core import APP_TITLE

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# core.reports.REPORT_KINDS, repeated here so the menu needs no import (a test keeps them equal).
REPORTS = {
    "self": ("年度自查报告", ".pdf"),
    "lookback": ("回头看核查清单", ".pdf"),
    "ledger": ("工作台账", ".xlsx"),
}
FILTERS = {".pdf": "PDF 文件 (*.pdf)", ".xlsx": "Excel 工作簿 (*.xlsx)"}
PREVIEW_DIR = ("tmp", "preview")


class ReportActions:
    def __init__(self, window: MainWindow):
        self.w = window
        self.actions: list[QAction] = []
        self.preview_actions: dict[str, QAction] = {}
        self.save_actions: dict[str, QAction] = {}
        self.last_result = None

    def build(self, menu: QMenu, toolbar: QToolBar) -> None:
        preview_menu = QMenu("预览报表", self.w)
        save_menu = QMenu("保存报表到…", self.w)
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
        self.actions = [*self.preview_actions.values(), *self.save_actions.values()]
        for label, sub in (("预览报表", preview_menu), ("保存报表", save_menu)):
            button = QToolButton(toolbar)
            button.setText(label)
            button.setMenu(sub)
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

    def preview(self, kind: str) -> None:
        ctx = self._context()
        if ctx is None:
            return
        unit, plan, today = ctx
        folder = self.w.data_dir.joinpath(*PREVIEW_DIR)

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

        def done(result):
            self.last_result = result
            self._warn(result)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))
            self.w.statusBar().showMessage(f"已生成{REPORTS[kind][0]}{self._pages(result)}，正在用系统程序打开。", 8000)

        self.w.runner.op(fn).with_progress(self.w, f"正在生成{REPORTS[kind][0]}…").success(done).run()

    def save(self, kind: str) -> None:
        ctx = self._context()
        if ctx is None:
            return
        unit, plan, today = ctx

        def name_fn(_led):
            from core.reports import default_filename

            return default_filename(kind, unit.short_name, plan["year"])

        self.w.runner.op(name_fn).success(lambda name: self._ask_and_build(kind, name, unit, plan, today)).run()

    def _ask_and_build(self, kind: str, name: str, unit, plan, today) -> None:
        title, suffix = REPORTS[kind]
        settings = self.w.settings
        last = settings.value("dirs/reports")
        folder = Path(str(last)) if last and Path(str(last)).is_dir() else Path.home()
        path, _ = QFileDialog.getSaveFileName(self.w, f"保存{title}", str(folder / name), FILTERS[suffix])
        if not path:
            return
        out = Path(path)
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        settings.setValue("dirs/reports", str(out.parent))

        def fn(led, job):
            from core.reports import build_report

            return build_report(kind, led, unit.id, out, plan_id=plan["id"], today=today,
                                progress=job.progress, cancelled=job.cancelled)

        def done(result):
            self.last_result = result
            self._warn(result)
            self.w.statusBar().showMessage(f"{title}已保存到 {result.path}{self._pages(result)}。", 10000)
            QMessageBox.information(self.w, APP_TITLE, f"{title}已保存：\n{result.path}{self._pages(result)}")

        self.w.runner.op(fn).with_progress(self.w, f"正在生成{title}…").success(done).run()

    @staticmethod
    def _pages(result) -> str:
        pages = getattr(result, "pages", None)
        return f"（共 {pages} 页）" if pages else ""

    def _warn(self, result) -> None:
        warnings = list(getattr(result, "warnings", []) or [])
        if warnings:
            QMessageBox.warning(self.w, APP_TITLE, "报表已生成，但请注意：\n" + "\n".join(warnings))
