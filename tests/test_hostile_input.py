"""Hostile stores and bad input: nothing escapes the data folder, nothing odd is stored."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from core import attachments as files
from core.datafolder import DataFolder
from core.errors import InputError, StoreError
from core.ledger import Ledger

from .test_concurrency import MAIN, ROOT, cli

HOSTILE = [
    ("../../../../etc/passwd", "../../../../tmp/evil.sh"),
    ("/etc/shadow", "..\\..\\windows\\system32\\evil.dll"),
    ("A" * 64, "a\x00b.pdf"),  # upper-case hex is not one of our hashes
    ("0" * 63 + "/", "/abs/olute.txt"),
    ("00/../../x" + "0" * 54, ".."),
]


def craft(led: Ledger, sha: str, name: str, att_id: str = "../../../escape") -> dict:
    """A row as a tampered store (a folder received on a stick) may hold it."""
    fin = led.find_unit("市财政局")
    row = {"id": att_id, "plan_id": led.current_plan()["id"], "unit_id": fin.id, "task_id": led.task_id(9),
           "action_id": None, "sha256": sha, "name": name, "size": 1, "added_at": "x", "updated_at": "x",
           "deleted_at": None}
    led.store.conn.execute(f"INSERT INTO attachments ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                           tuple(row.values()))
    return row


@pytest.mark.parametrize("sha, name", HOSTILE)
def test_a_crafted_store_names_nothing_outside_the_folder(ledger, tmp_path, sha, name):
    row = craft(ledger, sha, name)
    with pytest.raises(StoreError, match="已损坏"):
        ledger.attachment_path(row)
    dest = ledger.folder.open_copy(row["id"], row["name"])
    assert dest.resolve().is_relative_to(ledger.folder.open_copies.resolve())
    assert dest.parent.parent == ledger.folder.open_copies and "\x00" not in str(dest)
    # listing, backing up and collecting go on without touching anything outside
    before = sorted(p for p in tmp_path.rglob("*") if not p.is_relative_to(ledger.folder.root))
    assert ledger.attachments(ledger.find_unit("市财政局").id, ledger.task_id(9))
    result = ledger.backup_to(tmp_path / "b.zip")
    assert result.files == 0
    ledger.collect_unused_files()
    ledger.empty_recycle_bin(ledger.find_unit("市财政局").id)
    after = sorted(p for p in tmp_path.rglob("*") if not p.is_relative_to(ledger.folder.root))
    assert after == sorted(before + [tmp_path / "b.zip"])


def test_a_valid_hash_stays_inside_attachments(ledger):
    sha = "ab" + "c" * 62
    assert files.blob_path(ledger.attachments_dir, sha) == ledger.attachments_dir / "ab" / sha


@pytest.mark.parametrize("name, disk", [
    ("CON.txt", "_CON.txt"), ("nul", "_nul"), ("com1.pdf", "_com1.pdf"), ("a:b*c?.pdf", "a_b_c_.pdf"),
    ('报告<终稿>|"v2".docx', "报告_终稿___v2_.docx"), ("trailing. ", "trailing"), ("\u202egpj.exe", "gpj.exe"),
    ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_names_windows_cannot_hold_are_made_safe_on_disk(name, disk):
    assert files.disk_name(name) == disk
    assert DataFolder("/d").open_copy("id", name).name == disk


def test_the_stored_name_stays_the_original(ledger, tmp_path):
    f = tmp_path / 'a:b*c?"x".pdf'
    f.write_bytes(b"content")
    row = ledger.attach_file(ledger.find_unit("市财政局").id, ledger.task_id(9), f)
    assert row["name"] == 'a:b*c?"x".pdf'
    assert ledger.folder.open_copy(row["id"], row["name"]).name == "a_b_c__x_.pdf"


# ---- input bounds --------------------------------------------------------------

@pytest.fixture
def fin(ledger):
    return ledger.find_unit("市财政局").id


@pytest.mark.parametrize("when", ["0001-01-01", "2999-01-01", "1989-12-31", "2101-01-01"])
def test_dates_outside_1990_to_2100_are_refused(ledger, fin, when):
    t9 = ledger.task_id(9)
    with pytest.raises(InputError, match="1990—2100"):
        ledger.add_action(fin, t9, "内容", when)
    with pytest.raises(InputError, match="1990—2100"):
        ledger.set_status(fin, t9, "已完成", done_date=when)
    with pytest.raises(InputError, match="1990—2100"):
        ledger.set_lookback(fin, t9, remedy_due=when)
    assert ledger.actions(fin, t9) == []


def test_dates_at_the_bounds_are_taken(ledger, fin):
    t9 = ledger.task_id(9)
    ledger.add_action(fin, t9, "内容", "1990-01-01")
    ledger.add_action(fin, t9, "内容", date(2100, 12, 31))
    assert len(ledger.actions(fin, t9)) == 2


def test_control_and_bidi_characters_are_removed(ledger, fin):
    t9 = ledger.task_id(9)
    a = ledger.add_action(fin, t9, "第一行\x00\x07\u202e反向\u2066\n\t第二行\x1b[31m", "2021-09-01",
                          handler="张\n三\u200f")
    assert a["content"] == "第一行反向\n\t第二行[31m"
    assert a["handler"] == "张 三"
    ledger.set_division(fin, t9, dept="预算科\x00", notes="备注\n第二行\u202d")
    view = ledger.task(fin, t9)
    assert (view.dept, view.notes) == ("预算科", "备注\n第二行")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:text/html,x",
                                  "vbscript:msgbox", "ftp://x.example/a", "javascript:1"])
def test_links_other_than_http_and_file_are_refused(ledger, fin, link):
    with pytest.raises(InputError, match="公开链接"):
        ledger.add_action(fin, ledger.task_id(9), "内容", "2021-09-01", link=link)


@pytest.mark.parametrize("link", ["http://www.dg.gov.cn/a", "HTTPS://x.example/b?c=1", "file:///C:/报告.pdf",
                                  "www.dg.gov.cn/zwgk", "www.dg.gov.cn:8080/zwgk", ""])
def test_web_and_file_links_are_taken(ledger, fin, link):
    a = ledger.add_action(fin, ledger.task_id(9), "内容", "2021-09-01", link=link)
    assert a["link"] == link


def test_a_symlink_out_of_its_folder_is_refused(ledger, fin, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_text("root:x:0:0")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "证明.pdf").symlink_to(secret / "passwd")
    with pytest.raises(InputError, match="指向其他位置"):
        ledger.attach_file(fin, ledger.task_id(9), docs / "证明.pdf")
    with pytest.raises(InputError, match="指向其他位置"):
        ledger.record(fin, ledger.task_id(9), "内容", attach=[docs / "证明.pdf"])
    (docs / "real.pdf").write_bytes(b"%PDF real")
    (docs / "别名.pdf").symlink_to(docs / "real.pdf")  # inside its own folder: followed
    row = ledger.attach_file(fin, ledger.task_id(9), docs / "别名.pdf")
    assert ledger.attachment_path(row).read_bytes() == b"%PDF real"
    (docs / "dangling.pdf").symlink_to(docs / "gone.pdf")
    with pytest.raises(InputError, match="无效的快捷链接"):
        ledger.attach_file(fin, ledger.task_id(9), docs / "dangling.pdf")
    assert [r["name"] for r in ledger.attachments(fin, ledger.task_id(9))] == ["别名.pdf"]


def test_empty_files_are_refused(ledger, fin, tmp_path):
    f = tmp_path / "扫描件.pdf"
    f.write_bytes(b"")
    with pytest.raises(InputError, match="0 字节"):
        ledger.attach_file(fin, ledger.task_id(9), f)
    with pytest.raises(InputError, match="0 字节"):
        ledger.record(fin, ledger.task_id(9), "内容", attach=[f])
    assert ledger.actions(fin, ledger.task_id(9)) == []


def test_invalid_utf8_in_arguments_is_said_in_chinese(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"}
    r = subprocess.run([sys.executable.encode(), MAIN.encode(), b"--data-dir", str(tmp_path / "d").encode(),
                        b"record", b"--unit", "市财政局".encode(), b"--task", b"9", b"--text", b"\xff\xfe bad"],
                       capture_output=True, env=env, timeout=60)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and "--text" in err and "UTF-8" in err and "内部错误" not in err, err


def test_ledger_texts_with_lone_surrogates_are_refused(ledger, fin):
    with pytest.raises(InputError, match="UTF-8"):
        ledger.add_action(fin, ledger.task_id(9), "坏\udcff字", "2021-09-01")


def test_bad_input_through_the_cli(tmp_path):
    data = tmp_path / "d"
    for args, words in ((("--date", "0001-01-01"), "1990—2100"), (("--link", "javascript:alert(1)"), "公开链接")):
        r = cli(data, "record", "--unit", "市财政局", "--task", "9", "--text", "x", *args)
        assert r.returncode == 1 and words in r.stderr, r.stderr
