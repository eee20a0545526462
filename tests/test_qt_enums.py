"""PySide6's enums as gui/qt_enums.py builds them (the class by
enum._simple_enum, the members added straight into it) are the enums the
standard functional API makes from what PySide6 hands over: same members,
values, aliases, flag arithmetic, lookups, docs and pickling; and only
PySide6-shaped calls take that path, the others being made as before."""

from __future__ import annotations

import enum
import pickle
import subprocess
import sys

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

import gui  # noqa: F401  (installs the path, as every start does)
from gui import qt_enums
from gui.qt_enums import install, regular_create
from tests.conftest import ROOT

# made by the functional API while the path is installed, at this module's top
# (as any library's would be): pickled through its module and name
Colour = enum.Enum("Colour", "RED GREEN")
Shape = enum.IntEnum("Shape", [("Round", 1), ("Square", 2)])

# Every enum PySide6 makes for QtCore, QtGui and QtWidgets, in a fresh process:
# what it handed over, against what the standard functional API makes of it.
COMPARE_ALL = r"""
import enum, sys
import gui
from gui.qt_enums import regular_create
made = []
fast = enum.EnumType._create_
def recording(cls, class_name, names, **kw):
    result = fast(cls, class_name, names, **kw)
    made.append((cls, class_name, list(names) if isinstance(names, list) else None, result))
    return result
enum.EnumType._create_ = recording
from PySide6 import QtCore, QtGui, QtWidgets
seen, stack = set(), [getattr(m, n) for m in (QtCore, QtGui, QtWidgets) for n in dir(m)]
while stack:  # every class, so that every enum is made
    obj = stack.pop()
    if id(obj) in seen or not isinstance(obj, type) or not obj.__module__.startswith("PySide6"):
        continue
    seen.add(id(obj))
    for name in list(vars(obj)):
        try:
            stack.append(getattr(obj, name))
        except Exception:
            pass
enum.EnumType._create_ = fast
problems = []
for cls, class_name, names, result in made:
    standard = regular_create(cls, class_name, names, boundary=enum.KEEP, module=result.__module__)
    for key in ("_missing_", "__add__", "__radd__"):  # what shiboken adds to each, afterwards
        if key in vars(result):
            setattr(standard, key, vars(result)[key])
    try:
        enum._test_simple_enum(standard, result)
    except TypeError as exc:
        problems.append(str(exc)[:300])
    if list(result.__members__) != [n for n, _ in names] or any(result[n].value != v for n, v in names):
        problems.append(f"{class_name}: members differ from what PySide6 handed over")
    if [(m.name, m.value) for m in result] != [(m.name, m.value) for m in standard] \
            or [result(m.value).name for m in result] != [standard(m.value).name for m in standard] \
            or result.__doc__ != standard.__doc__:
        problems.append(f"{class_name}: iteration, lookup or doc differ")
print("COMPARED", len(made))
print("PROBLEMS", problems[:5])
"""


def test_the_path_is_installed_on_this_python():
    assert install() is True
    assert getattr(enum.EnumType.__dict__["_create_"], "_taizhang", False)


def test_every_enum_pyside6_makes_equals_the_functional_apis():
    r = subprocess.run([sys.executable, "-c", COMPARE_ALL], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "PROBLEMS []" in r.stdout, r.stdout
    assert int(r.stdout.split("COMPARED")[1].split()[0]) > 600


def test_pyside6_builds_every_enum_of_qt_the_fast_way():
    """In a fresh process, as at a start: the members of all 93 enums of ``Qt``
    are added by the fast path (not made by the fallback)."""
    code = """
import enum
import gui
from gui import qt_enums
fast = []
real = qt_enums._add_members
qt_enums._add_members = lambda cls, names: fast.append(cls.__name__) or real(cls, names)
from PySide6.QtCore import Qt
of_qt = [name for name, v in vars(Qt).items() if isinstance(v, enum.EnumType)]
print("QT", len(of_qt), "MISSED", sorted(set(of_qt) - set(fast)))
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "MISSED []" in r.stdout and int(r.stdout.split("QT")[1].split()[0]) >= 90, r.stdout


def test_only_pyside_shaped_calls_take_the_fast_way(monkeypatch):
    added: list[str] = []
    real = qt_enums._add_members
    monkeypatch.setattr(qt_enums, "_add_members", lambda cls, names: added.append(cls.__name__) or real(cls, names))
    shaped = enum.IntFlag("Probe", [("A", 1), ("B", 2), ("AB", 3)], boundary=enum.KEEP)
    assert added == ["Probe"]
    assert shaped.AB == shaped.A | shaped.B and list(shaped) == [shaped.A, shaped.B]
    color = enum.Enum("Color", "RED GREEN")  # names only
    pairs = enum.IntEnum("Pairs", [("X", 1)], module=__name__)  # a module named
    assert added == ["Probe"]
    assert [m.name for m in color] == ["RED", "GREEN"] and color.GREEN.value == 2 and pairs.X == 1


def test_enums_made_the_standard_way_meanwhile_keep_their_module_and_pickle():
    assert Colour.__module__ == Shape.__module__ == __name__
    assert pickle.loads(pickle.dumps(Colour.RED)) is Colour.RED
    assert pickle.loads(pickle.dumps(Shape.Square)) is Shape.Square


def test_names_enum_treats_specially_are_judged_the_checked_way():
    odd = enum.IntEnum("Odd", [("name", 1), ("value", 2), ("Other", 3)], boundary=enum.KEEP)
    standard = regular_create(enum.IntEnum, "Odd", [("name", 1), ("value", 2), ("Other", 3)],
                              boundary=enum.KEEP)
    enum._test_simple_enum(standard, odd)
    assert odd(1).name == "name" and odd(2).value == 2 and odd["value"] is odd(2) and odd.Other == 3


def _outcome(make):
    try:
        made = make()
    except ValueError as exc:
        return "refused", str(exc)
    return "made", list(made.__members__), [k for k in vars(made) if not k.startswith("_")]


def test_names_enum_refuses_or_keeps_apart_are_treated_as_the_standard_way_does():
    for name in ("mro", "_sunder_", "__dunder__", "_private", ""):
        names = [(name, 1), ("Other", 2)]
        ours = _outcome(lambda: enum.IntEnum("Odd", names, boundary=enum.KEEP))
        standard = _outcome(lambda: regular_create(enum.IntEnum, "Odd", names, boundary=enum.KEEP))
        assert ours == standard, name


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
