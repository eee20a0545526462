"""The unit directory's commands: open the editor, save a unit, retire one.
Every save re-resolves the plans' assignments; the editor lists what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gui.dialogs.base import save_through
from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.dialogs.units import UnitEditorDialog
    from gui.main_window import MainWindow


def _plan_years(led) -> dict[str, int]:
    return {p["id"]: p["year"] for p in led.plans()}


class UnitDirectory:
    def __init__(self, window: MainWindow):
        self.w = window

    def show(self) -> None:
        self.w.runner.read(lambda led: led.units()).success(self._open).run()

    def _open(self, units) -> None:
        from gui.dialogs.units import UnitEditorDialog

        dlg = UnitEditorDialog(units, self.w.unit.id if self.w.unit else None, self.w)
        dlg.save_requested.connect(lambda v: self.save_unit(dlg, v))
        dlg.retire_requested.connect(lambda uid, retired: self.retire_unit(dlg, uid, retired))
        dlg.open()

    def save_unit(self, dlg: UnitEditorDialog, v: dict) -> None:
        def fn(led):
            from core.units import Unit

            old = led.directory().get(v["id"]) if v["id"] else None  # an office stays in its bureau's directory
            unit = Unit(id=v["id"], full_name=v["full_name"], short_name=v["short_name"], kind=v["kind"],
                        subkind=v["subkind"], has_admin=v["has_admin"], has_website=v["has_website"],
                        aliases=tuple(v["aliases"]), retired=v["retired"], ord=v["ord"],
                        directory=old.directory if old else "")
            changes = led.save_unit(unit)
            unit_id = v["id"] or led.find_unit(v["full_name"]).id
            return Written(OpChanges.all(), (led.units(), unit_id, changes, _plan_years(led)))

        self._run(dlg, fn)

    def retire_unit(self, dlg: UnitEditorDialog, unit_id: str, retired: bool) -> None:
        def fn(led):
            changes = led.retire_unit(unit_id, retired)
            return Written(OpChanges.all(), (led.units(), unit_id, changes, _plan_years(led)))

        self._run(dlg, fn)

    def _run(self, dlg: UnitEditorDialog, fn) -> None:
        save_through(self.w.runner, dlg, fn, self.w.errors, self.w, initiator=self)
