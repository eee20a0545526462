"""Evidence files (佐证材料): add by dialog or by drop (a copy with progress that
can be cancelled), open in the system's viewer, move to the 回收站."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from core import APP_TITLE
from gui import file_dialogs
from gui.ops import OpChanges, Written
from gui.tasks.commands import not_ours_text
from gui.tasks.model import recordable
from gui.viewer import open_in_viewer

if TYPE_CHECKING:
    from core.datafolder import DataFolder
    from gui.main_window import MainWindow


def clean_viewer_copies(folder: DataFolder, older_than_days: float = 2) -> int:
    """Remove the copies made for the system's viewers (tmp/open, tmp/preview)
    once they are a few days old; a file a viewer still holds is left alone."""
    limit = time.time() - older_than_days * 86400
    removed = 0
    for root in (folder.open_copies, folder.previews):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
            except OSError:
                pass
    return removed


def copy_files(led, job, unit_id: str, task_id: str, paths: list[Path], action_id: str | None):
    """On the worker: store each file, with one progress bar over all of them.
    Returns (rows added, problems, cancelled); a file that fails does not stop the rest."""
    from core.errors import Cancelled, TaizhangError

    sizes = []
    for p in paths:
        try:
            sizes.append(p.stat().st_size)
        except OSError:
            sizes.append(0)
    total = sum(sizes) or 1
    before = 0
    added, problems = [], []
    for p, size in zip(paths, sizes, strict=True):
        try:
            added.append(led.attach_file(unit_id, task_id, p, action_id=action_id,
                                         progress=lambda d, _t, b=before: job.progress(b + d, total),
                                         cancelled=job.cancelled))
        except Cancelled:
            return added, problems, True
        except TaizhangError as exc:
            problems.append(str(exc))
        before += size
    return added, problems, False


def open_evidence(parent, runner, folder: DataFolder, row: dict, missing: str) -> None:
    """The system's viewer gets a copy with the file's own name (tmp/open/<id>/<name>);
    ``missing`` is what to say when the store has no bytes for it."""
    dest = folder.open_copy(row["id"], row["name"])

    def fn(led):
        src = led.attachment_path(row)
        if not src.exists():
            from core.errors import StoreError

            raise StoreError(missing)
        if not dest.exists() or dest.stat().st_size != row["size"]:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
        return dest

    runner.read(fn).success(lambda p: open_in_viewer(parent, p, f"“{row['name']}”")).run()


class AttachmentCommands:
    def __init__(self, window: MainWindow):
        self.w = window

    def choose_files(self, action_id: str | None) -> None:
        t = self.w.tasks.require_task()
        if t is None:
            return
        settings = self.w.settings
        paths, _ = file_dialogs.open_files(self.w, f"为第{t.number}项选择佐证材料", settings.last_dir("files"),
                                                "所有文件 (*)")
        if paths:
            settings.remember_dir("files", paths[0])
            self.attach_files([Path(p) for p in paths], action_id=action_id, task_id=t.id)

    def dropped_on_row(self, paths: list[Path], task_id: str) -> None:
        self.w.table.select_task(task_id)
        self.attach_files(paths, task_id=task_id)

    def attach_files(self, paths: list[Path], action_id: str | None = None, task_id: str | None = None) -> None:
        if not self.w.store_open:  # the first screen: the store is still opening
            self.w.statusBar().showMessage("正在打开数据，请稍候再把文件拖到任务上。", 5000)
            return
        tid = task_id or self.w.current_task_id()
        t = self.w.model.task(tid) if tid else None
        if t is None or self.w.unit is None:
            return
        if not recordable(t):
            QMessageBox.information(self.w, APP_TITLE, not_ours_text(t, "添加佐证材料"))
            return
        unit_id = self.w.unit.id
        paths = [Path(p) for p in paths]

        def fn(led, job):
            return Written(OpChanges.of_task(tid), copy_files(led, job, unit_id, tid, paths, action_id))

        def done(result):
            added, problems, cancelled = result
            names = "、".join(f"“{a['name']}”" for a in added)
            if cancelled:
                msg = "已取消添加，正在复制的文件没有保存。" + (f"已添加：{names}。" if added else "")
                self.w.statusBar().showMessage(msg, 10000)
            elif added:
                self.w.statusBar().showMessage(f"已为第{t.number}项添加佐证材料：{names}。", 8000)
            if problems:
                QMessageBox.warning(self.w, APP_TITLE, "\n".join(problems))

        label = f"正在为第{t.number}项添加 {len(paths)} 个文件…" if len(paths) > 1 else f"正在添加“{paths[0].name}”…"
        self.w.runner.write(fn, initiator=self).with_progress(self.w, label).success(done).run()

    def open_file(self, row: dict) -> None:
        open_evidence(self.w, self.w.runner, self.w.folder, row,
                      f"佐证材料“{row['name']}”的文件在数据文件夹中找不到了，可能被删除或移动。")

    def remove_file(self, attachment_id: str) -> None:
        t = self.w.current_task()
        if t is None:
            return
        tid = t.id
        name = next((f["name"] for f in self.w.detail.files if f["id"] == attachment_id), "")

        def fn(led):
            led.remove_attachment(attachment_id)
            return Written(OpChanges.of_task(tid, recycle_bin=True))

        self.w.runner.write(fn, initiator=self).success(lambda _: self.w.statusBar().showMessage(
            f"已移除“{name}”，可在“文件 → 回收站”中恢复。", 8000)).run()
