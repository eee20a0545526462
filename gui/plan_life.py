"""A plan's life in the window (文件 → 切换工作方案): correct its title, issuer,
date and year; replace it by a corrected file (what moves and what loses its
task is shown before anything is written); remove it to the 回收站 and bring
it back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from gui import file_dialogs
from gui.dialogs.base import ask, save_through
from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.main_window import MainWindow

PLAN_FILES = "方案文件 (*.docx *.xlsx *.xls *.html *.htm *.csv *.tsv *.txt *.pdf)"  # every format a plan is read from
FILE_FILTER = f"{PLAN_FILES};;所有文件 (*)"


class PlanLife:
    def __init__(self, window: MainWindow, menu: QMenu):
        self.w = window
        self.menu = menu
        menu.addAction("修改当前方案的标题、年度…", self.edit)
        menu.addAction("用更正后的文件替换当前方案…", self.replace)
        menu.addAction("删除当前方案（移到回收站）…", self.remove)
        self.back = menu.addMenu("恢复已删除的方案")
        self.back.setEnabled(False)

    def show_removed(self, removed: list[dict]) -> None:
        """The plans in the 回收站, each a command that brings it back."""
        self.back.clear()
        for p in removed:
            self.back.addAction(f"{p['year']}年　《{p['title']}》", lambda pid=p["id"]: self.restore(pid))
        self.back.setEnabled(bool(removed))


    def edit(self) -> None:
        from gui.dialogs.plan_edit import PlanEditDialog

        plan = self.w.plan
        if plan is None:
            return
        dlg = PlanEditDialog(plan, self.w)

        def save(v):
            save_through(self.w.runner, dlg,
                         lambda led: Written(OpChanges.all(), led.edit_plan(plan["id"], **v)), self.w.errors, self.w,
                         on_saved=lambda p: self.w.statusBar().showMessage(f"已修改方案信息：《{p['title']}》。", 6000))

        dlg.submitted.connect(save)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def remove(self) -> None:
        plan = self.w.plan
        if plan is None or not ask(self.w, "删除方案", f"把《{plan['title']}》连同本单位在其中的记录移到回收站吗？\n\n"
                                   "以后可以从“恢复已删除的方案”中恢复。", "删除", "取消"):
            return
        self.w.runner.write(lambda led: Written(OpChanges.all(), led.remove_plan(plan["id"])), initiator=self) \
            .success(lambda _: self.w.statusBar().showMessage(f"《{plan['title']}》已移到回收站。", 8000)).run()

    def restore(self, plan_id: str) -> None:
        self.w.runner.write(lambda led: Written(OpChanges.all(), led.restore_plan(plan_id)), initiator=self) \
            .success(lambda p: self.w.statusBar().showMessage(f"已恢复《{p['title']}》。", 6000)).run()

    def replace(self) -> None:
        """A corrected file takes the current plan's place; the clerk's records follow their tasks."""
        plan = self.w.plan
        if plan is None:
            return
        settings = self.w.settings
        path, _ = file_dialogs.open_file(self.w, "选择更正后的方案文件", settings.last_dir("plans"), FILE_FILTER)
        if not path:
            return
        settings.remember_dir("plans", path)

        def read(led):
            from core.plans.check import read_plan_file

            draft = read_plan_file(Path(path))
            return draft, led.plan_replacement_preview(plan["id"], draft).lines()

        self.w.runner.read(read).success(lambda r: self._confirm_replace(plan, Path(path), *r)).run()

    def _confirm_replace(self, plan: dict, path: Path, draft, lines: list[str]) -> None:
        if not ask(self.w, "替换方案", "\n".join(lines) + "\n\n按上面的对应关系替换吗？原方案移到回收站，可以恢复。",
                   "替换", "取消"):
            return
        self.w.runner.write(lambda led: Written(OpChanges.all(), led.replace_plan(plan["id"], draft, path.name)),
                            initiator=self) \
            .success(lambda res: self.w.statusBar().showMessage(f"已用《{res.title}》替换原方案。", 8000)).run()
