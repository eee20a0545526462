"""The work plans: switch between imported plans (文件 → 切换工作方案) and import
another one from a file or the clipboard, through the preview (gui/plan_import.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox

from core import APP_TITLE
from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class PlanCommands:
    def __init__(self, window: MainWindow, menu: QMenu):
        self.w = window
        self.menu = menu
        self._importer = None

    def importer(self):
        """The import window's commands, made (and its dialogs and readers imported) when first asked for."""
        if self._importer is None:
            from gui.plan_import import PlanImport

            self._importer = PlanImport(self.w)
        return self._importer

    def fill_menu(self, plans: list[dict], current: dict | None) -> None:
        self.menu.clear()
        group = QActionGroup(self.menu)
        for p in plans:
            act = QAction(f"{p['year']}年　《{p['title']}》", self.menu)
            act.setCheckable(True)
            act.setChecked(current is not None and p["id"] == current["id"])
            act.triggered.connect(lambda _=False, pid=p["id"]: self.switch(pid))
            group.addAction(act)
            self.menu.addAction(act)
        self.menu.setEnabled(len(plans) > 1)

    def switch(self, plan_id: str) -> None:
        self.w.runner.write(lambda led: Written(OpChanges.all(), led.set_current_plan(plan_id)), initiator=self) \
            .success(lambda plan: self.w.statusBar().showMessage(f"已切换到{plan['year']}年方案。", 5000)).run()

    def import_plan(self) -> None:
        self.importer().from_file()

    def paste_plan(self) -> None:
        self.importer().from_clipboard()

    def imported(self, res) -> None:
        text = f"已导入《{res.title}》：{res.categories} 个类别，{res.tasks} 项任务。"
        if res.unresolved:
            names = "；".join(f"第{n}项：{'、'.join(v)}" for n, v in sorted(res.unresolved.items()))
            text += f"\n\n以下单位名称没有在单位名录中找到（可在“单位名录”中添加或设为别名）：\n{names}"
        if res.uncertain:
            text += "\n\n以下名称可能指东莞的单位，未自动对应：" + "、".join(
                f"{n}（{u}？）" for n, u in res.uncertain.items())
        ask = QMessageBox.question(self.w, APP_TITLE, text + "\n\n现在切换到这个方案吗？",
                                   QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if ask == QMessageBox.StandardButton.Yes:
            self.switch(res.plan_id)
