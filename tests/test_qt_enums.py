"""PySide6's enums as gui/qt_enums.py builds them (the class by
enum._simple_enum, the members added straight into it) are the enums the
standard functional API makes: same members, values, aliases, flag
arithmetic, lookups and pickling; and only PySide6-shaped calls take that
path."""

from __future__ import annotations

import enum
import pickle

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

import gui  # noqa: F401  (installs the path, as every start does)
from gui.qt_enums import install, regular_create

# what shiboken adds to each enum after making it (forgiveness for old-style code)
SHIBOKEN_ADDS = ("_missing_", "__add__", "__radd__")


def _enums_of(module):
    seen: set[int] = set()
    stack = [getattr(module, name) for name in dir(module)]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, enum.EnumType):
            yield obj
        elif isinstance(obj, type) and obj.__module__.startswith("PySide6"):
            for name in list(vars(obj)):
                try:
                    stack.append(getattr(obj, name))
                except Exception:  # a descriptor that needs an instance
                    pass


def test_the_path_is_installed_on_this_python():
    assert install() is True
    assert getattr(enum.EnumType.__dict__["_create_"], "_taizhang", False)


def test_pyside_shaped_calls_go_through_simple_enum_and_others_do_not(monkeypatch):
    calls: list = []
    real = enum._simple_enum

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(enum, "_simple_enum", spy)
    shaped = enum.IntFlag("Probe", [("A", 1), ("B", 2), ("AB", 3)], boundary=enum.KEEP)
    assert calls == [(enum.IntFlag,)]
    assert shaped.AB == shaped.A | shaped.B and list(shaped) == [shaped.A, shaped.B]
    color = enum.Enum("Color", "RED GREEN")  # names only: the standard way
    pairs = enum.IntEnum("Pairs", [("X", 1)], module=__name__)  # a module named: the standard way
    assert calls == [(enum.IntFlag,)]
    assert [m.name for m in color] == ["RED", "GREEN"] and color.GREEN.value == 2 and pairs.X == 1


def test_a_member_that_would_hide_an_attribute_is_made_the_checked_way():
    odd = enum.IntEnum("Odd", [("name", 1), ("value", 2), ("Other", 3)], boundary=enum.KEEP)
    standard = regular_create(enum.IntEnum, "Odd", [("name", 1), ("value", 2), ("Other", 3)],
                              boundary=enum.KEEP)
    enum._test_simple_enum(standard, odd)
    assert odd(1).name == "name" and odd(2).value == 2 and odd["value"] is odd(2) and odd.Other == 3


def test_pyside6_builds_the_qt_namespace_through_the_fast_path():
    """In a fresh process, as at a start: all 93 enums of ``Qt`` go through it."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = """
import enum
import gui
calls = []
real = enum._simple_enum
enum._simple_enum = lambda *a, **k: calls.append(a) or real(*a, **k)
from PySide6.QtCore import Qt
assert Qt.AlignmentFlag.AlignLeft.value == 1
print("CALLS", len(calls))
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.split("CALLS")[1]) >= 93


@pytest.mark.parametrize("module", [QtCore, QtGui, QtWidgets], ids=lambda m: m.__name__)
def test_every_qt_enum_equals_the_one_the_functional_api_makes(module):
    compared = 0
    for made in _enums_of(module):
        kind = next(k for k in (enum.IntFlag, enum.Flag, enum.IntEnum, enum.Enum) if issubclass(made, k))
        items = [(name, member._value_) for name, member in made.__members__.items()]
        standard = regular_create(kind, made.__name__, items, boundary=enum.KEEP)
        for key in SHIBOKEN_ADDS:
            if key in vars(made):
                setattr(standard, key, vars(made)[key])
        enum._test_simple_enum(standard, made)  # raises TypeError naming every difference
        assert [(m.name, m.value) for m in made] == [(m.name, m.value) for m in standard]
        assert [made(m.value).name for m in made] == [standard(m.value).name for m in standard]
        compared += 1
    assert compared > 100


def test_members_behave_as_qt_expects():
    assert Qt.Key.Key_Any is Qt.Key.Key_Space  # an alias
    both = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    assert both.value == 0x21 and Qt.AlignmentFlag.AlignTop in both
    assert pickle.loads(pickle.dumps(Qt.ItemDataRole.DisplayRole)) is Qt.ItemDataRole.DisplayRole
    assert Qt.ItemDataRole(0) is Qt.ItemDataRole.DisplayRole


def test_qt_takes_and_gives_the_enums(qapp):
    label = QtWidgets.QLabel("台账")
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert label.alignment() == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    box = QtWidgets.QMessageBox()
    box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No)
    assert box.button(QtWidgets.QMessageBox.StandardButton.Yes) is not None
    assert QtCore.QEvent.Type.Paint == QtCore.QEvent(QtCore.QEvent.Type.Paint).type()
