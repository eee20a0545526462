"""Importing a plan through the preview: read a file (文件 → 导入工作方案…) or the
clipboard (粘贴方案) into a grid on the worker, parse it (again whenever the
clerk changes a column's meaning), show the preview, and on 导入 write the
plan with the decisions for its names in one write op."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from core import APP_TITLE
from gui import file_dialogs
from gui.dialogs.base import alive, save_through
from gui.dialogs.import_preview import ImportPreviewDialog
from gui.ops import OpChanges, Written
from gui.plan_life import PLAN_FILES

if TYPE_CHECKING:
    from core.plans.grid import Grid
    from gui.main_window import MainWindow

FILE_FILTER = (f"{PLAN_FILES};;"
               "Word 文档 (*.docx);;Excel 表格 (*.xlsx *.xls);;网页 (*.html *.htm);;"
               "CSV 或文本 (*.csv *.tsv *.txt);;PDF (*.pdf);;所有文件 (*)")


@dataclass
class Parsed:
    """One parse of the grid: the header's cells, the column kinds used, and the
    draft with its report, or the reason it could not be read."""
    header: list[str]
    columns: list[str]
    draft: object | None
    report: dict | None
    problem: str = ""


def unit_choices(led) -> list[tuple[str, str]]:
    """(id, name shown) of the units a name may be mapped to."""
    return [(u.id, u.short_name if u.short_name == u.full_name else f"{u.short_name}（{u.full_name}）")
            for u in led.units(include_retired=False)]


def parse(led, grid: Grid, columns: list[str] | None) -> Parsed:
    """On the worker: the grid as a plan, its names resolved against the directory."""
    from core.errors import PlanParseError
    from core.plan_parser import header_row, plan_from_grid
    from core.plans.check import draft_report
    from core.plans.columns import header_kinds

    head = header_row(grid)
    header = (grid.rows[head] if head is not None else []) + [""] * grid.width
    header = header[:grid.width]
    try:
        draft = plan_from_grid(grid, columns)
    except PlanParseError as exc:
        guessed = columns or (header_kinds(header) or ["ignore"] * len(header))
        return Parsed(header, list(guessed), None, None, str(exc))
    return Parsed(header, draft.columns, draft, draft_report(draft, led.directory()))


class PlanImport:
    def __init__(self, window: MainWindow):
        self.w = window

    # ---- where the table comes from -------------------------------------------
    def from_file(self) -> None:
        settings = self.w.settings
        path, _ = file_dialogs.open_file(self.w, "导入工作方案", settings.last_dir("plans"), FILE_FILTER)
        if not path:
            return
        settings.remember_dir("plans", path)

        def read(led, job):
            from core.plans.read import read_grid

            job.progress(0, 2)
            grid = read_grid(Path(path))
            job.progress(1, 2)
            return grid, parse(led, grid, None), unit_choices(led)

        self.w.runner.read(read).with_progress(self.w, f"正在读取“{Path(path).name}”…", cancellable=False) \
            .success(lambda r: self._preview(Path(path).name, *r)).run()

    def from_clipboard(self) -> None:
        data = QApplication.clipboard().mimeData()
        html = data.html() if data is not None and data.hasHtml() else None
        text = data.text() if data is not None and data.hasText() else None
        if not (html or text):
            QMessageBox.information(self.w, APP_TITLE, "剪贴板中没有表格。请先在 WPS、Word、Excel 或浏览器中选中方案表格并复制。")
            return

        def read(led):
            from core.plans.read import grid_from_clipboard

            grid = grid_from_clipboard(html, text)
            return grid, parse(led, grid, None), unit_choices(led)

        self.w.runner.read(read).success(lambda r: self._preview("剪贴板", *r)).run()

    # ---- the preview --------------------------------------------------------------
    def _preview(self, source: str, grid: Grid, parsed: Parsed, units: list[tuple[str, str]]) -> None:
        dlg = ImportPreviewDialog(source, units, self.w)
        self._show(dlg, parsed)
        dlg.columns_changed.connect(lambda cols: self._reparse(dlg, grid, cols))
        dlg.submitted.connect(lambda values: self._import(dlg, source, values))
        dlg.open()

    def _show(self, dlg: ImportPreviewDialog, parsed: Parsed) -> None:
        dlg.parsed = parsed
        dlg.show_columns(parsed.header, parsed.columns)
        dlg.show_report(parsed.report, parsed.problem)

    def _reparse(self, dlg: ImportPreviewDialog, grid: Grid, columns: list[str]) -> None:
        self.w.runner.read(lambda led: parse(led, grid, columns)).supersedes("plan-preview") \
            .success(lambda parsed: alive(dlg) and self._show(dlg, parsed)).run()

    def _import(self, dlg: ImportPreviewDialog, source: str, values: dict) -> None:
        from core.plan_life import LARGE_PLAN

        draft = dlg.parsed.draft
        if len(draft.tasks) > LARGE_PLAN:
            ask = QMessageBox.question(dlg, APP_TITLE, f"这个方案有 {len(draft.tasks)} 项任务（超过 {LARGE_PLAN} 项），"
                                                       "请确认读出的内容无误。\n\n确定导入吗？")
            if ask != QMessageBox.StandardButton.Yes:
                dlg.failed(None)
                return
        decisions = values["decisions"]

        def write(led):
            res = led.import_draft(draft, source, decisions)
            unit = led.my_unit()
            carry = led.unfinished_last_year(unit.id, res.plan_id) if unit else (None, [])
            return Written(OpChanges.all(), (res, carry))

        save_through(self.w.runner, dlg, write, self.w.errors, self.w, on_saved=self._imported, initiator=self)

    def _imported(self, value) -> None:
        res, (prev, unfinished) = value
        if unfinished:
            QMessageBox.information(
                self.w, APP_TITLE, f"{prev['year']}年方案中本单位还有 {len(unfinished)} 项任务尚未完成"
                f"（第{'、'.join(str(v.number) for v in unfinished[:15])}项{'等' if len(unfinished) > 15 else ''}），"
                f"可纳入今年的回头看：切换到{prev['year']}年方案后在“报表”中生成回头看核查清单。")
        self.w.plans_menu.imported(res)
