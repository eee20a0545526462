"""The Ledger's evidence files: attach, list, remove and restore; 清空回收站
and 清理未用文件; the backup archive."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from core import attachments as files
from core.errors import (
    InputError,
    StoreError,
)
from core.tasks import group_by_task


class FileServices:
    # ---- attachments ------------------------------------------------------
    def attach_file(self, unit_id: str, task_id: str, path: Path | str, action_id: str | None = None,
                    progress: files.Progress | None = None, cancelled: files.IsCancelled | None = None) -> dict:
        task = self._assigned_task(unit_id, task_id)
        if action_id is not None and self._action(action_id)["task_id"] != task_id:
            raise InputError("这条进展记录不属于该任务。")
        self._writable()
        part = files.copy_in(Path(path), self.attachments_dir, progress, cancelled)
        with self.placing([part]) as [stored]:
            return self.store.insert_attachment({"plan_id": task["plan_id"], "unit_id": unit_id,
                                                 "task_id": task_id, "action_id": action_id,
                                                 "sha256": stored.sha256, "name": stored.name,
                                                 "size": stored.size})

    def _writable(self) -> None:
        """Refuse a write before its long part (copying a file) when the store is read-only."""
        if self.read_only:
            raise StoreError(self.damage_message)

    @contextlib.contextmanager
    def placing(self, parts: list[files.Part]) -> Iterator[list[files.StoredFile]]:
        """A write transaction in which the copied files are moved into place
        (a clerk's attachments, a package's evidence files).

        The blob appears under the store's write lock and is committed with
        the row that uses it; collect_unused_files takes the same lock, so it
        never removes a blob between its placing and the commit. When the body
        fails, the blobs this transaction created are removed before the lock
        is released — but not one a committed row uses (its file had gone
        missing and came back here); when the commit itself fails, a blob may
        stay until the next collect_unused_files."""
        try:
            with self.store.atomic():
                placed: list[files.StoredFile] = []
                made: list[Path] = []
                try:
                    for part in parts:  # first, while sha_in_use answers for the committed rows only
                        stored = files.place(part, self.attachments_dir)
                        placed.append(stored)
                        if stored.created and not self.store.sha_in_use(stored.sha256):
                            made.append(stored.path)
                    yield placed
                except BaseException:
                    for path in made:
                        with contextlib.suppress(OSError):
                            path.unlink()
                    raise
        finally:
            for part in parts:
                part.discard()

    # ---- 清空回收站, 清理未用文件 --------------------------------------------------
    def empty_recycle_bin(self, unit_id: str, plan_id: str | None = None) -> files.Freed:
        """Delete for good the unit's records and files in the 回收站 (of one plan,
        or of every plan when ``plan_id`` is None). Returns Freed(count: records
        and files removed, bytes: disk space freed by the evidence files no
        other row uses)."""
        actions, rows = self.store.recycled(unit_id, plan_id)
        if not actions and not rows:
            return files.Freed()
        self.store.purge([a["id"] for a in actions], [r["id"] for r in rows])
        freed = self._collect({r["sha256"] for r in rows})
        return files.Freed(len(actions) + len(rows), freed.bytes)

    def collect_unused_files(self) -> files.Freed:
        """清理未用文件: evidence files no record refers to (left by a crash or a
        failed save), copies in progress abandoned for over a day, and the
        viewer's and previews' temporary copies older than a day. Returns
        Freed(count of files, bytes)."""
        if self.folder is None:
            return files.Freed()
        freed = self._collect(None)
        freed += files.remove_stale_parts(self.attachments_dir)
        freed += files.remove_abandoned(self.folder.open_copies)
        freed += files.remove_abandoned(self.folder.previews)
        freed += files.remove_abandoned(self.folder.tmp, "backup-*.db")
        freed += files.remove_abandoned(self.folder.backups, "*.part")
        return freed

    def _collect(self, only: set[str] | None) -> files.Freed:
        """The one place blobs are deleted: under the store's write lock, those
        that no committed row uses (``only``: among these hashes)."""
        if self.folder is None:
            return files.Freed()
        with self.store.atomic():
            return files.remove_unused(self.attachments_dir, self.store.shas_in_use(), only)

    # ---- backups -----------------------------------------------------------
    def backup_to(self, path: Path | str, progress: files.Progress | None = None,
                  cancelled: files.IsCancelled | None = None):
        """备份到…: the whole data folder (store + evidence files) as one verified
        zip at ``path`` (core.backup.write_archive). Returns an ArchiveResult
        (path, records, files, bytes, missing); raises SaveError/StoreError
        (Chinese) or Cancelled, leaving nothing half-written."""
        from core import backup

        return backup.write_archive(self, path, progress, cancelled)

    def check_store(self) -> list[str]:
        """quick_check now: [] when the store is sound."""
        return self.store.check()

    def attachments(self, unit_id: str, task_id: str) -> list[dict]:
        return self.store.list_attachments(unit_id, task_id)

    def attachments_by_task(self, unit_id: str, plan_id: str) -> dict[str, list[dict]]:
        """The unit's live files of a plan, by task id, each task's in the order added."""
        return group_by_task(self.store.list_attachments(unit_id, plan_id=plan_id))

    def deleted_attachments(self, unit_id: str, plan_id: str | None = None) -> list[dict]:
        return self.store.list_attachments(unit_id, plan_id=self._plan_id(plan_id), deleted=True)

    def files_of_deleted_actions(self, unit_id: str, plan_id: str | None = None) -> list[dict]:
        """The files each deleted record took to the 回收站 (restoring the record brings them back)."""
        return self.store.attachments_of_deleted_actions(unit_id, self._plan_id(plan_id))

    def remove_attachment(self, attachment_id: str) -> None:
        if self.store.get_attachment(attachment_id) is None:
            raise InputError("找不到这个佐证材料。")
        self.store.set_attachment_deleted(attachment_id, True)

    def restore_attachment(self, attachment_id: str) -> None:
        if self.store.get_attachment(attachment_id) is None:
            raise InputError("找不到这个佐证材料。")
        self.store.set_attachment_deleted(attachment_id, False)

    def attachment_path(self, row: dict) -> Path:
        return files.blob_path(self.attachments_dir, row["sha256"])

