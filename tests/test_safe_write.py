"""Saving to a folder that may be a full, read-only or pulled USB stick."""

from __future__ import annotations

import errno
import os

import pytest

from core.safe_write import SaveError, safe_output, write_bytes_safely


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "台账.xlsx"
    write_bytes_safely(target, b"one")
    write_bytes_safely(target, b"two")
    assert target.read_bytes() == b"two"
    assert names(tmp_path) == ["台账.xlsx"]
    if os.name == "posix":  # an ordinary file, not mkstemp's 0600
        mask = os.umask(0)
        os.umask(mask)
        assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_full_disk_leaves_nothing_and_says_so(tmp_path):
    target = tmp_path / "报告.pdf"
    with pytest.raises(SaveError) as err:
        with safe_output(target) as fh:
            fh.write(b"%PDF-1.4 part")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert "空间不足" in str(err.value) and "报告.pdf" in str(err.value)
    assert err.value.errno == errno.ENOSPC
    assert names(tmp_path) == []


def test_full_disk_on_fsync(tmp_path, monkeypatch):
    target = tmp_path / "报告.pdf"
    target.write_bytes(b"old")

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(SaveError, match="空间不足"):
        write_bytes_safely(target, b"new")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["报告.pdf"]


def test_read_only_folder(tmp_path):
    """A folder the system refuses to write to, for real: chmod 0555 and the
    writer runs without root's right to ignore it (tests/unprivileged.py)."""
    import sys

    from tests.conftest import ROOT
    from tests.unprivileged import make_read_only, make_writable, without_override

    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"old")
    make_read_only(folder)
    script = ("import sys\nfrom pathlib import Path\nfrom core.safe_write import SaveError, write_bytes_safely\n"
              "try:\n    write_bytes_safely(Path(sys.argv[1]), b'new')\nexcept SaveError as e:\n"
              "    print(e)\n    sys.exit(1)\n")
    try:
        r = without_override([sys.executable, "-c", script, str(folder / "a.pdf")], cwd=ROOT,
                             env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    finally:
        make_writable(folder)
    assert r.returncode == 1 and "没有权限" in r.stdout, (r.stdout, r.stderr)
    assert names(folder) == ["a.pdf"] and (folder / "a.pdf").read_bytes() == b"old"


def test_stick_turns_read_only_before_the_rename(tmp_path, monkeypatch):
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")

    def replace(src, dst):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SaveError, match="只读"):
        write_bytes_safely(target, b"new")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["台账.xlsx"]  # the temporary file is gone


def test_read_only_stick_and_permission_denied(tmp_path, monkeypatch):
    import tempfile

    for code, words in ((errno.EROFS, "只读"), (errno.EACCES, "没有权限")):
        def mkstemp(*a, code=code, **k):
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        with pytest.raises(SaveError, match=words):
            write_bytes_safely(tmp_path / "a.pdf", b"x")
        monkeypatch.undo()
    assert names(tmp_path) == []


def test_removed_stick_folder_gone(tmp_path):
    with pytest.raises(SaveError) as err:
        write_bytes_safely(tmp_path / "gone" / "a.pdf", b"x")
    assert "不存在" in str(err.value) and "拔出" in str(err.value)
    assert names(tmp_path) == []


def test_removed_stick_while_writing(tmp_path):
    with pytest.raises(SaveError, match="拔出"):
        with safe_output(tmp_path / "a.pdf") as fh:
            fh.write(b"x")
            raise OSError(errno.EIO, "Input/output error")
    assert names(tmp_path) == []


def test_file_open_in_another_program(tmp_path, monkeypatch):
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")

    def replace(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SaveError, match="其他程序"):
        write_bytes_safely(target, b"new")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["台账.xlsx"]


def test_other_exceptions_pass_through_and_clean_up(tmp_path):
    from core.errors import Cancelled

    with pytest.raises(Cancelled):
        with safe_output(tmp_path / "a.pdf") as fh:
            fh.write(b"x")
            raise Cancelled()
    assert names(tmp_path) == []


def test_a_folder_as_target(tmp_path):
    with pytest.raises(SaveError, match="文件夹"):
        write_bytes_safely(tmp_path, b"x")


def test_reports_map_write_failures(ledger, tmp_path, monkeypatch):
    """A report whose write fails on a full stick leaves no file."""
    from core.reports import build_report

    uid = ledger.find_unit("市财政局").id
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def write(self, b):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    for kind, name in (("self", "a.pdf"), ("lookback", "b.pdf"), ("ledger", "c.xlsx")):
        with pytest.raises(SaveError, match="空间不足"):
            build_report(kind, ledger, uid, out_dir / name)
    assert names(out_dir) == []
