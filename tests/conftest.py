"""Shared fixtures. Every test gets a fresh temporary data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "resources" / "plans" / "dongguan-2021.txt"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test may touch the real user's data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TAIZHANG_DATA", str(home / "Taizhang"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ledger(data_dir):
    from core.ledger import Ledger

    led = Ledger.open(data_dir)
    yield led
    led.close()
