"""报表 → 生成上报包…: the clerk's report package for the supervising office.

The size of the evidence files is read first and shown; the clerk chooses
with or without them, then where to save (a USB stick); the package is made on
the worker with progress (core.exchange.package, through core.safe_write).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from core import APP_TITLE
from gui import file_dialogs
from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class PackageExport:
    def __init__(self, window: MainWindow):
        self.w = window
        self.action = QAction("生成上报包…", window)
        self.action.setStatusTip("把本单位的任务状态、进展记录、佐证材料和三份报表打包，报送汇总单位")
        self.action.triggered.connect(self.start)

    def start(self) -> None:
        w = self.w
        if w.unit is None or w.plan is None:
            QMessageBox.information(w, APP_TITLE, "请先选择本单位。")
            return
        unit, plan = w.unit, w.plan

        def size(led):
            from core.exchange.package import evidence_size

            return evidence_size(led, unit.id, plan["id"])

        w.runner.read(size).success(lambda r: self._ask(unit, plan, *r)).run()

    def _ask(self, unit, plan, count: int, total: int) -> None:
        from core.attachments import human_size
        from core.exchange.package import default_package_name

        with_files = False
        if count:
            box = QMessageBox(QMessageBox.Icon.Question, APP_TITLE,
                              f"本单位共有 {count} 个佐证材料文件，合计 {human_size(total)}。\n"
                              "上报包中是否附上这些文件？", parent=self.w)
            yes = box.addButton("附上佐证材料", QMessageBox.ButtonRole.YesRole)
            box.addButton("不附文件", QMessageBox.ButtonRole.NoRole)
            cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is cancel:
                return
            with_files = box.clickedButton() is yes
        name = default_package_name(unit.short_name, plan["year"], self.w.today())
        out = file_dialogs.ask_output_path(self.w, self.w.settings, "保存上报包", name, "台账上报包 (*.tzbg)", ".tzbg")
        if out is None:
            return
        today = self.w.today()

        def fn(led, job):
            from core.exchange.package import export_package

            res = export_package(led, unit.id, out, with_files=with_files, plan_id=plan["id"], today=today,
                                 progress=job.progress, cancelled=job.cancelled)
            return Written(OpChanges(), res)  # only the package's sequence number (a setting) changed

        self.w.runner.write(fn, initiator=self).with_progress(self.w, "正在生成上报包…").success(self._done).run()

    def _done(self, res) -> None:
        from core.attachments import human_size

        files = f"，含佐证材料 {res.files} 个" if res.files else ""
        self.w.statusBar().showMessage(f"上报包已保存到 {res.path}", 10000)
        QMessageBox.information(self.w, APP_TITLE, f"上报包（第{res.sequence}号）已保存：\n{res.path}\n"
                                                   f"大小 {human_size(res.size)}{files}。")
