"""Architecture rules the code must keep."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_core_and_db_never_load_qt():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for pkg in ("core", "db") for p in (ROOT / pkg).rglob("*.py"))
    modules = [m[: -len(".__init__")] if m.endswith(".__init__") else m for m in modules]
    assert "core.ledger" in modules and "db.store" in modules
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken6')))\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_gui_never_writes_sql():
    for path in (ROOT / "gui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("import sqlite3", "sqlite_utils", "INSERT INTO", "UPDATE ", "DELETE FROM", ".execute("):
            assert word not in text, f"{path.name}: {word}"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_runs_with_network_sockets_blocked():
    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
