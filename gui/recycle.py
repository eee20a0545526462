"""The 回收站: deleted records and removed files of this unit, restored on
request. A listener: while its dialog is open it follows every change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gui.backup import freed_text
from gui.dialogs.base import ask
from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.dialogs.recycle import RecycleBinDialog
    from gui.main_window import MainWindow


class RecycleBin:
    def __init__(self, window: MainWindow):
        self.w = window
        self.dialog: RecycleBinDialog | None = None
        window.runner.changed.connect(self.on_changes)

    def show(self) -> None:
        if self.w.unit is None:
            return
        if self.dialog is None:
            from gui.dialogs.recycle import RecycleBinDialog

            self.dialog = RecycleBinDialog(self.w)
            self.dialog.restore_actions.connect(self.restore_actions)
            self.dialog.restore_files.connect(self.restore_files)
            self.dialog.empty_requested.connect(self.empty)
        self.load()
        self.dialog.open()

    def on_changes(self, changes: OpChanges, _initiator) -> None:
        if (changes.recycle_bin or changes.everything) and self.dialog is not None and self.dialog.isVisible():
            self.load()

    def load(self) -> None:
        if self.w.unit is None or self.w.plan is None:
            return
        unit_id, plan_id = self.w.unit.id, self.w.plan["id"]
        number_of = {t.id: t.number for t in self.w.model.tasks}
        dialog = self.dialog
        def load(led):
            return (led.deleted_actions(unit_id, plan_id), led.deleted_attachments(unit_id, plan_id),
                    led.files_of_deleted_actions(unit_id, plan_id))

        self.w.runner.read(load).success(lambda r: dialog.set_rows(*r, number_of=number_of)).run()

    def restore_actions(self, rows: list[dict]) -> None:
        self._restore(rows, lambda led, row: led.restore_action(row["id"]), "条进展记录")

    def restore_files(self, rows: list[dict]) -> None:
        self._restore(rows, lambda led, row: led.restore_attachment(row["id"]), "个佐证材料")

    def _restore(self, rows: list[dict], restore, what: str) -> None:
        def fn(led):
            for row in rows:
                restore(led, row)
            return Written(OpChanges.of_tasks({row["task_id"] for row in rows}, recycle_bin=True))

        self.w.runner.write(fn, initiator=self).success(lambda _: self.w.statusBar().showMessage(
            f"已恢复 {len(rows)} {what}。", 6000)).run()

    def empty(self) -> None:
        """清空回收站, after asking: the files no live record uses go too."""
        w = self.w
        if w.unit is None or w.plan is None:
            return
        if not ask(w, "清空回收站", "永久删除回收站中的全部进展记录和佐证材料吗？\n\n清空后不能再恢复。", "清空", "取消"):
            return
        unit_id, plan_id = w.unit.id, w.plan["id"]
        w.runner.write(lambda led: Written(OpChanges(recycle_bin=True), led.empty_recycle_bin(unit_id, plan_id)),
                       initiator=self) \
            .success(lambda freed: w.statusBar().showMessage(f"回收站已清空：{freed_text(*freed)}。", 8000)).run()
