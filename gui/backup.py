"""Keeping the year safe from the window: 备份到… (the whole data folder as
one verified archive, e.g. on a USB stick), 从备份恢复… (the current data
is moved aside first, never overwritten), 清空回收站 and 清理未用文件."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from core import APP_TITLE
from gui import file_dialogs
from gui.dialogs.base import ask
from gui.ops import OpChanges, Written

if TYPE_CHECKING:
    from gui.main_window import MainWindow

ARCHIVE_FILTER = "台账备份 (*.zip);;所有文件 (*)"
RESTORE_FILTER = "台账备份 (*.zip *.db);;所有文件 (*)"


def freed_text(count: int, size: int) -> str:
    from core.attachments import human_size

    return f"{count} 项，释放 {human_size(size)}" if count else "没有可清理的内容"


class BackupCommands:
    def __init__(self, window: MainWindow):
        self.w = window


    def backup_to(self) -> None:
        """The whole data folder as one verified archive, where the clerk says."""
        w = self.w
        unit = w.unit.short_name if w.unit else "台账"
        name = f"台账备份-{unit}-{w.today():%Y%m%d}.zip"
        out = file_dialogs.ask_output_path(w, w.settings, "备份到", name, ARCHIVE_FILTER, ".zip", key="backup")
        if out is None:
            return

        def fn(led, job):
            from core.backup import describe

            return describe(led.backup_to(out, progress=job.progress, cancelled=job.cancelled))

        w.runner.read(fn).with_progress(w, "正在备份数据和佐证材料…") \
            .success(lambda text: QMessageBox.information(w, APP_TITLE, text)).run()

    def restore(self) -> None:
        """Replace the data with a backup's; the current data goes to backups/ first."""
        w = self.w
        path, _ = file_dialogs.open_file(w, "从备份恢复", w.settings.last_dir("backup"), RESTORE_FILTER)
        if not path:
            return
        source = Path(path)
        if not ask(w, "从备份恢复", f"用“{source.name}”中的数据替换现在的数据吗？\n\n"
                   "现在的数据和佐证材料会先完整地移到数据文件夹的 backups 中保存，不会丢失。", "恢复", "取消"):
            return
        w.settings.remember_dir("backup", source)
        folder = w.folder

        def fn(job):
            from core.backup import restore

            return restore(source, folder, progress=job.progress, cancelled=job.cancelled)

        def done(result) -> None:
            kept = f"\n原来的数据保存在：{result.kept}" if result.kept else ""
            QMessageBox.information(w, APP_TITLE, f"已从备份恢复：{result.records} 条记录，{result.files} 个佐证材料。{kept}")

        w.runner.reopening(fn, folder).with_progress(w, "正在核对并恢复备份…").success(done).run()

    def collect_unused_files(self) -> None:
        w = self.w
        w.runner.write(lambda led: Written(OpChanges(), led.collect_unused_files()), initiator=self) \
            .success(lambda freed: QMessageBox.information(w, APP_TITLE, f"清理未用文件：{freed_text(*freed)}。")).run()
