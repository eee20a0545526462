"""Backups and damage: automatic copies, archives, restore, damaged and empty stores."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from core import backup
from core.datafolder import DataFolder
from core.errors import Cancelled, StoreError
from core.ledger import Ledger
from core.safe_write import SaveError
from db import connection
from db.errors import BackupFailedError

from .test_concurrency import cli


def fill(led: Ledger, tmp_path: Path) -> None:
    """Records of every kind: files shared and own, one in the 回收站, texts, states."""
    fin, hm = led.find_unit("市财政局"), led.find_unit("虎门")
    t9 = led.task_id(9)
    shared = tmp_path / "通知.pdf"
    shared.write_bytes(b"%PDF shared " * 500)
    own = tmp_path / "会议纪要.docx"
    own.write_bytes(os.urandom(70000))
    a = led.record(fin.id, t9, "公开预决算", "2021-09-01", link="https://czj.example/1", attach=[shared, own])
    led.edit_action(a["id"], content="公开预决算（修订）")
    b = led.add_action(fin.id, t9, "回收站里的", "2021-09-02")
    led.attach_file(fin.id, t9, tmp_path / "通知.pdf", action_id=b["id"])
    led.delete_action(b["id"])
    led.set_division(fin.id, t9, dept="预算科", person="王五")
    led.set_report_texts(fin.id, summary="总体情况", problems="问题")
    t = next(x.id for x in led.tasks(hm.id))
    led.record(hm.id, t, "虎门的记录", "2021-10-01", attach=[own])


def dump(led: Ledger) -> dict:
    conn = led.store.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {t: sorted(tuple(r) for r in conn.execute(f'SELECT * FROM "{t}"')) for t in tables}


def blobs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (folder / "attachments").glob("??/*")}


# ---- automatic copies ---------------------------------------------------------

def test_the_first_open_each_day_makes_a_verified_copy(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    fill(led, tmp_path)
    led.close()
    [copy] = (data_dir / "backups" / "auto").iterdir()
    assert copy.name == f"taizhang-{date.today().isoformat()}.db"
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    Ledger.open(data_dir).close()  # the same day: no second copy
    assert len(list((data_dir / "backups" / "auto").iterdir())) == 1


def test_rotation_keeps_seven_days_and_four_weeks(tmp_path):
    start = date(2021, 1, 1)
    days = [start + timedelta(days=i) for i in range(60)]
    for d in days:
        (tmp_path / f"taizhang-{d.isoformat()}.db").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    backup.rotate(tmp_path)
    kept = sorted(date.fromisoformat(p.name[9:19]) for p in tmp_path.glob("taizhang-*.db"))
    assert kept[-7:] == days[-7:]
    weekly = kept[:-7]
    assert len(kept) <= 11 and len({d.isocalendar()[:2] for d in kept}) >= 4
    assert all(d.weekday() == 6 for d in weekly)  # the last copy of each older week (a Sunday)
    assert (tmp_path / "notes.txt").exists()
    # By hand: the copies run from Fri 2021-01-01 to Mon 2021-03-01. The 7 days: 02-23 … 03-01.
    # The 4 newest ISO weeks and their newest copy: W09 (03-01 alone), W08 (02-22…28: 02-28),
    # W07 (02-15…21: 02-21), W06 (02-08…14: 02-14). 03-01 and 02-28 are among the 7 days.
    assert weekly == [date(2021, 2, 14), date(2021, 2, 21)] and len(kept) == 9


def test_a_failed_copy_leaves_no_file_and_says_why(ledger, tmp_path, monkeypatch):
    real_connect = sqlite3.connect

    def small_disk(*a, **k):  # the copy's file may not grow past 2 pages: SQLite says the disk is full
        conn = real_connect(*a, **k)
        conn.execute("PRAGMA max_page_count = 2")
        return conn
    monkeypatch.setattr(connection.sqlite3, "connect", small_disk)
    dest = tmp_path / "b" / "copy.db"
    with pytest.raises(BackupFailedError) as err:
        connection.backup(ledger.store.conn, dest)
    monkeypatch.undo()
    assert err.value.kind == "full"
    assert list(dest.parent.iterdir()) == []  # no partial, no 0-byte file
    assert "磁盘空间已满" in str(backup.backup_error(err.value))


def test_an_upgrade_backup_that_fails_stops_the_upgrade(data_dir, monkeypatch):
    Ledger.open(data_dir).close()
    conn = sqlite3.connect(data_dir / "taizhang.db")
    conn.execute("PRAGMA user_version = 2")  # as if written by an older Taizhang
    conn.close()

    def full(conn, dest):
        raise BackupFailedError("full", dest, "disk full")
    monkeypatch.setattr(connection, "backup", full)
    with pytest.raises(StoreError, match="磁盘空间已满.*未进行数据升级"):
        Ledger.open(data_dir)


# ---- archives and restore -----------------------------------------------------

def test_backup_and_restore_on_a_second_folder_are_byte_identical(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    fill(led, tmp_path)
    seen = []
    result = led.backup_to(tmp_path / "stick" / "台账备份.zip" if False else tmp_path / "台账备份.zip",
                           progress=lambda d, t: seen.append((d, t)))
    before = dump(led)
    led.close()
    assert result.files == 2 and result.records > 5 and not result.missing
    assert seen and seen[-1][0] == seen[-1][1]
    with zipfile.ZipFile(result.path) as zf:
        assert zf.namelist()[0] == "meta.json" and json.loads(zf.read("meta.json"))["format"] == "taizhang-backup"

    other = tmp_path / "second-pc"
    res = backup.restore(result.path, other)
    assert res.kept is None and res.files == 2
    led2 = Ledger.open(other)
    try:
        assert dump(led2) == before
        assert blobs(other) == blobs(data_dir)
    finally:
        led2.close()


def test_restore_keeps_the_current_store(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    archive = led.backup_to(tmp_path / "empty.zip").path  # before any record
    fill(led, tmp_path)
    with_records = dump(led)
    led.close()
    old_blobs = blobs(data_dir)
    res = backup.restore(archive, data_dir)
    assert res.kept is not None and res.kept.parent == data_dir / "backups"
    assert blobs(res.kept.parent / res.kept.name) == old_blobs  # the evidence files kept aside
    kept = Ledger(Ledger.open(data_dir).store)  # the restored one opens
    assert kept.actions(kept.find_unit("市财政局").id, kept.task_id(9)) == []
    kept.close()
    conn = sqlite3.connect(res.kept / "taizhang.db")
    assert conn.execute("SELECT count(*) FROM actions").fetchone()[0] == len(with_records["actions"])
    conn.close()


def test_restore_from_a_daily_copy(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    led.close()
    [daily] = (data_dir / "backups" / "auto").iterdir()
    led = Ledger.open(data_dir)
    fill(led, tmp_path)
    led.close()
    r = cli(data_dir, "restore", str(daily))
    assert r.returncode == 0 and "已从备份恢复" in r.stdout and "保留" in r.stdout, r.stderr
    led = Ledger.open(data_dir)
    assert led.actions(led.find_unit("市财政局").id, led.task_id(9)) == []
    led.close()


def test_an_archive_without_one_of_its_evidence_files_is_refused(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    fin = led.find_unit("市财政局")
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(b"%PDF scan " * 400)
    led.record(fin.id, led.task_id(9), "公开预算", "2021-09-01", attach=[scan])
    result = led.backup_to(tmp_path / "one.zip")
    assert result.files == 1
    other = tmp_path / "其他.pdf"  # what the store holds now differs from the archive
    other.write_bytes(b"%PDF later " * 400)
    led.record(fin.id, led.task_id(9), "备份之后的记录", "2021-09-02", attach=[other])
    before, before_blobs = dump(led), blobs(data_dir)
    led.close()
    lost = tmp_path / "lost.zip"
    with zipfile.ZipFile(result.path) as src, zipfile.ZipFile(lost, "w") as dst:
        dropped = [i.filename for i in src.infolist() if i.filename.startswith("attachments/")]
        for info in src.infolist():
            if not info.filename.startswith("attachments/"):
                dst.writestr(info, src.read(info))  # the manifest still lists the evidence file
    assert len(dropped) == 1
    with pytest.raises(StoreError, match="备份文件不完整：清单中的部分文件不在其中"):
        backup.restore(lost, data_dir)
    led = Ledger.open(data_dir)
    try:
        assert dump(led) == before
        assert [a["content"] for a in led.actions(fin.id, led.task_id(9))] == ["公开预算", "备份之后的记录"]
    finally:
        led.close()
    assert blobs(data_dir) == before_blobs
    assert not list((data_dir / "backups").glob("before-restore-*"))
    assert not list((data_dir / "tmp").glob("restore-*"))  # the staging folder is gone too


@pytest.mark.parametrize("tamper", ["bad-sha", "escape", "extra", "truncated", "newer", "not-a-zip", "garbled"])
def test_a_bad_archive_is_refused_and_nothing_changes(data_dir, tmp_path, tamper):
    led = Ledger.open(data_dir)
    fill(led, tmp_path)
    archive = led.backup_to(tmp_path / "a.zip").path
    before = dump(led)
    led.close()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if tamper == "bad-sha" and info.filename.startswith("attachments/"):
                data = data[:-1] + b"!"
            if tamper == "newer" and info.filename == "meta.json":
                data = json.dumps({**json.loads(data), "version": 99}).encode()
            dst.writestr(info, data)
        if tamper == "escape":
            dst.writestr("attachments/../../../escaped.txt", b"owned")
        if tamper == "extra":
            dst.writestr("autorun.inf", b"x")
    if tamper == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    if tamper == "not-a-zip":
        bad.write_bytes(b"hello")
    if tamper == "garbled":  # bytes of the compressed store changed in place: zlib or the CRC objects
        data = bytearray(archive.read_bytes())
        with zipfile.ZipFile(archive) as zf:
            at = zf.getinfo("taizhang.db").header_offset
        at += 30 + int.from_bytes(data[at + 26:at + 28], "little") + int.from_bytes(data[at + 28:at + 30], "little")
        data[at + 100:at + 400] = bytes(b ^ 0x5A for b in data[at + 100:at + 400])
        bad.write_bytes(bytes(data))
    r = cli(data_dir, "restore", str(bad))
    assert r.returncode == 1 and "错误：" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "escaped.txt").exists() and not (data_dir.parent / "escaped.txt").exists()
    led = Ledger.open(data_dir)
    assert dump(led) == before
    led.close()
    assert not list((data_dir / "backups").glob("before-restore-*"))


def test_cli_backup_and_a_300_character_name(data_dir, tmp_path):
    Ledger.open(data_dir).close()
    r = cli(data_dir, "backup", "--out", str(tmp_path / "台账.zip"))
    assert r.returncode == 0 and "已核对无误" in r.stdout, r.stderr
    long = tmp_path / ("备" * 300 + ".zip")
    r = cli(data_dir, "backup", "--out", str(long))
    assert r.returncode == 1 and "太长" in r.stderr and "内部错误" not in r.stderr, r.stderr
    r = cli(data_dir, "report", "self", "--unit", "市财政局", "--out", str(tmp_path / ("a" * 300 + ".pdf")))
    assert r.returncode == 1 and "太长" in r.stderr and "内部错误" not in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "台账.zip"]


def test_a_cancelled_backup_leaves_nothing(ledger, tmp_path):
    fill(ledger, tmp_path)
    out = tmp_path / "x.zip"
    with pytest.raises(Cancelled):
        ledger.backup_to(out, cancelled=lambda: True)
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


def test_a_full_stick_leaves_nothing(ledger, tmp_path, monkeypatch):
    import errno

    fill(ledger, tmp_path)
    real = zipfile.ZipFile.writestr

    def full(self, name, data, *a, **k):
        if name == "manifest.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, name, data, *a, **k)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    with pytest.raises(SaveError, match="空间不足"):
        ledger.backup_to(tmp_path / "stick.zip")
    assert not (tmp_path / "stick.zip").exists()
    # the stick holds what it held before (fill's two source files and the data folder): no .~stick.*.tmp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "会议纪要.docx", "通知.pdf"]
    assert list(ledger.folder.tmp.iterdir()) == []  # nor the store's snapshot (backup-*.db)


# ---- damaged, truncated, empty, missing stores ----------------------------------

def corrupt(db: Path) -> None:
    """Garbage over a page of the tasks table: the file opens, quick_check fails."""
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tasks'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    off = root * size  # the page after the root
    data[off + 8: off + 200] = bytes(range(192))
    db.write_bytes(bytes(data))


def test_a_damaged_store_opens_read_only_with_the_way_to_restore(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    fill(led, tmp_path)
    led.close()
    db = data_dir / "taizhang.db"
    corrupt(db)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    led = Ledger.open(data_dir)
    try:
        assert led.read_only and "已损坏" in led.damage_message and "backups" in led.damage_message
        assert led.warnings == [led.damage_message]
        fin = led.find_unit("市财政局")
        with pytest.raises(StoreError, match="已损坏"):  # the damaged page is the tasks table's
            led.record(fin.id, led.task_id(9), "不能写", attach=[tmp_path / "通知.pdf"])
        with pytest.raises(StoreError, match="以只读方式打开"):
            led.set_handler("李四")
        with pytest.raises(StoreError, match="以只读方式打开"):
            led.set_my_unit("虎门")
        assert led.handler() == ""  # what can be read is shown
    finally:
        led.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest  # not written
    assert len(list((data_dir / "backups" / "auto").iterdir())) == 1  # no copy of the damaged file
    r = cli(data_dir, "record", "--unit", "市财政局", "--task", "9", "--text", "x")
    assert r.returncode == 1 and "已损坏" in r.stderr and "内部错误" not in r.stderr


def test_a_truncated_store_is_refused_or_read_only_never_written(data_dir):
    Ledger.open(data_dir).close()
    db = data_dir / "taizhang.db"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    r = cli(data_dir, "record", "--unit", "市财政局", "--task", "9", "--text", "x")
    assert r.returncode == 1 and "已损坏" in r.stderr and "内部错误" not in r.stderr, r.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


def test_an_empty_or_missing_store_beside_evidence_files_is_not_replaced(data_dir, tmp_path):
    led = Ledger.open(data_dir)
    fill(led, tmp_path)
    led.close()
    db = data_dir / "taizhang.db"
    db.write_bytes(b"")
    for args in (("plans",), ("record", "--unit", "市财政局", "--task", "9", "--text", "x")):
        r = cli(data_dir, *args)
        assert r.returncode == 1 and "0 字节" in r.stderr and "backups" in r.stderr, r.stderr
    assert db.stat().st_size == 0
    db.unlink()
    r = cli(data_dir, "plans")
    assert r.returncode == 1 and "不见了" in r.stderr and not db.exists()


def test_a_new_folder_and_an_empty_one_still_start(tmp_path):
    Ledger.open(tmp_path / "new").close()
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "taizhang.db").write_bytes(b"")
    Ledger.open(tmp_path / "empty").close()


def test_quick_check_on_open_is_timed_and_fast(ledger):
    assert 0 < ledger.check_seconds < 2.0
    assert ledger.check_store() == []


def test_the_store_is_durable(ledger):
    conn = ledger.store.conn
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 10000


def test_backups_folder_layout(data_dir):
    Ledger.open(data_dir).close()
    assert backup.list_backups(DataFolder(data_dir))[0].parent == data_dir / "backups" / "auto"


# ---- 清空回收站, 清理未用文件 -------------------------------------------------------

def test_emptying_the_bin_frees_the_files_no_one_else_uses(ledger, tmp_path):
    fin, hm = ledger.find_unit("市财政局").id, ledger.find_unit("虎门").id
    t9 = ledger.task_id(9)
    own, shared = tmp_path / "own.pdf", tmp_path / "shared.pdf"
    own.write_bytes(b"o" * 5000)
    shared.write_bytes(b"s" * 3000)
    a = ledger.record(fin, t9, "要删除的记录", "2021-09-01", attach=[own, shared])
    keep = ledger.attach_file(hm, next(t.id for t in ledger.tasks(hm)), shared)  # another unit uses it
    loose = ledger.attach_file(fin, t9, tmp_path / "own.pdf")
    ledger.delete_action(a["id"])
    ledger.remove_attachment(loose["id"])
    freed = ledger.empty_recycle_bin(fin)
    assert (freed.count, freed.bytes) == (4, 5000)  # 1 record + its 2 files + 1 file; own.pdf's bytes
    assert ledger.deleted_actions(fin) == [] and ledger.deleted_attachments(fin) == []
    assert ledger.files_of_deleted_actions(fin) == []
    assert ledger.attachment_path(keep).read_bytes() == b"s" * 3000
    assert not files_on_disk(ledger) - {keep["sha256"]}
    assert tuple(ledger.empty_recycle_bin(fin)) == (0, 0)


def files_on_disk(led) -> set[str]:
    return {p.name for p in led.attachments_dir.glob("??/*")}


def test_collecting_unused_files_takes_crash_leftovers_only(ledger, tmp_path):
    import time

    fin = ledger.find_unit("市财政局").id
    f = tmp_path / "used.pdf"
    f.write_bytes(b"used")
    used = ledger.attach_file(fin, ledger.task_id(9), f)
    orphan = ledger.attachments_dir / ("ab" + "0" * 62)[:2] / ("ab" + "0" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x" * 1234)
    stray = ledger.attachments_dir / "ab" / "notes.txt"  # not a blob name: not ours to delete
    stray.write_text("?")
    old = time.time() - 3 * 86400
    leftovers = [ledger.folder.open_copies / "id" / "a.pdf", ledger.folder.backups / "auto" / "x.db.1-a.part"]
    for p in leftovers:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"12345")
        os.utime(p, (old, old))
    fresh = ledger.folder.open_copies / "id2" / "open-now.pdf"
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(b"viewer has it")
    freed = ledger.collect_unused_files()
    assert (freed.count, freed.bytes) == (3, 1234 + 10)
    assert not orphan.exists() and not any(p.exists() for p in leftovers)
    assert stray.exists() and fresh.exists() and ledger.attachment_path(used).read_bytes() == b"used"
