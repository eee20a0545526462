"""PySide6's Python enums, built the way the standard library builds its own.

PySide6 turns each Qt enum into a Python enum when its class is first
touched, through enum's functional API (``IntEnum("Key", [(name, value),
…])``). Before the window is first painted that is 276 enums (the ``Qt``
namespace alone has 93 of them with 1,195 members), about 50 ms of a start
whose bare PySide6 window builds 57. The standard library makes its own
enums (re.RegexFlag, http.HTTPStatus, …) with ``enum._simple_enum``, which
skips the checks a hand-written class body needs and builds the same enum in
half the time. tests/test_qt_enums.py compares the two with
``enum._test_simple_enum`` for every enum of QtCore, QtGui and QtWidgets.

Only calls shaped as PySide6 makes them take this path: one of the four enum
kinds, a list of (str, int) pairs, no module, qualname, type or start given.
Anything else, a Python whose enum module differs, or an error goes the
usual way.
"""

from __future__ import annotations

import enum
import sys

# the Pythons whose enum module the tests have compared member by member
CHECKED_PYTHONS = {(3, 11), (3, 12), (3, 13)}


def _pyside_shaped(cls, names, kw) -> bool:
    return (cls in (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag)
            and isinstance(names, list)
            and kw.get("module") is None and kw.get("qualname") is None and kw.get("type") is None
            and kw.get("start", 1) == 1 and set(kw) <= {"module", "qualname", "type", "start", "boundary"}
            and all(type(item) is tuple and len(item) == 2 and type(item[0]) is str and type(item[1]) is int
                    for item in names)
            and len({name for name, _ in names}) == len(names))


def install() -> bool:
    """Route PySide6's enum creation through enum._simple_enum. True when installed."""
    original = enum.EnumType.__dict__.get("_create_")
    if getattr(original, "_taizhang", False):
        return True
    if original is None or not hasattr(enum, "_simple_enum") or sys.version_info[:2] not in CHECKED_PYTHONS:
        return False

    def _create_(cls, class_name, names, **kw):
        if not _pyside_shaped(cls, names, kw):
            return original(cls, class_name, names, **kw)
        # as the functional API names the module: after the caller of EnumType.__call__
        try:
            module = sys._getframe(2).f_globals["__name__"]
        except (AttributeError, ValueError, KeyError):
            return original(cls, class_name, names, **kw)
        body = dict(names)
        body["__module__"] = module
        body["__qualname__"] = class_name
        try:
            return enum._simple_enum(cls, boundary=kw.get("boundary"))(type(class_name, (), body))
        except Exception:  # a member _simple_enum cannot take: the checked way says what is wrong
            return original(cls, class_name, names, **kw)

    _create_._taizhang = True  # type: ignore[attr-defined]
    _create_.original = original  # type: ignore[attr-defined]
    enum.EnumType._create_ = _create_
    return True


def regular_create(cls, class_name: str, names: list, **kw):
    """The functional API as the standard library has it (for the tests' comparison)."""
    create = enum.EnumType.__dict__["_create_"]
    return getattr(create, "original", create)(cls, class_name, names, **kw)
