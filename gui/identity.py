"""Who is using Taizhang: this unit and the clerk's name (asked on the first
run, changed later from 本单位 → 本单位和经办人…)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from gui.dialogs.base import save_through
from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class Identity:
    def __init__(self, window: MainWindow):
        self.w = window

    def choose(self, first_run: bool = False) -> None:
        def load(led):
            return led.units(include_retired=False), led.my_unit(), led.handler(), led.current_plan()

        self.w.runner.read(load).success(lambda r: self._open(*r, first_run=first_run)).run()

    def _open(self, units, unit, handler, plan, first_run: bool) -> None:
        from gui.dialogs.first_run import UnitChooserDialog

        dlg = UnitChooserDialog(units, unit.id if unit else None, handler, first_run=first_run, parent=self.w,
                                plan_title=plan["title"] if plan else "")

        def save(values):
            def fn(led):
                led.set_my_unit(values["unit_id"])
                led.set_handler(values["handler"])
                if values.get("supervisor"):
                    from core.supervise import make_supervisor

                    make_supervisor(led, values["unit_id"])
                return Written(OpChanges.all(), values.get("supervisor", False))

            def saved(supervisor: bool) -> None:
                if supervisor:  # the office's desk: its menu and the 汇总工作台
                    self.w.supervisor.store_opened()
            save_through(self.w.runner, dlg, fn, self.w.errors, self.w, initiator=self, on_saved=saved)

        dlg.submitted.connect(save)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
