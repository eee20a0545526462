"""PySide6's Python enums, built the way the standard library builds its own.

PySide6 turns each Qt enum into a Python enum when its class is first
touched, through enum's functional API (``IntEnum("Key", [(name, value),
…])``). Before the window is first painted that is 276 enums (the ``Qt``
namespace alone has 93 of them with 1,195 members), about 50 ms of a start
whose bare PySide6 window builds 57. The standard library makes its own
enums (re.RegexFlag, http.HTTPStatus, …) with ``enum._simple_enum``, which
skips the checks a hand-written class body needs. Here ``_simple_enum``
makes the enum class, empty, and ``_add_members`` adds the members as
``_simple_enum`` would, but put straight into the class's namespace, as the
functional API puts them, instead of through a descriptor and the enum
class's checked setattr each: a third of the functional API's time.
tests/test_qt_enums.py compares the result with the functional API's, with
``enum._test_simple_enum`` and by use, for every enum of QtCore, QtGui and
QtWidgets.

Only calls shaped as PySide6 makes them take this path: one of the four enum
kinds, a list of (str, int) pairs, no module, qualname, type or start given.
Anything else, a Python whose enum module differs, or an error goes the
usual way.
"""

from __future__ import annotations

import enum
import sys
from itertools import repeat

# the Pythons whose enum module the tests have compared member by member
CHECKED_PYTHONS = {(3, 11), (3, 12), (3, 13)}


def _pyside_shaped(cls, names, kw) -> dict | None:
    """The members as {name: value} when the call is shaped as PySide6 makes
    it, else None. (The checks run as set operations over the whole list: a
    loop in Python over every member was a fifth of an enum's time.)"""
    if not (cls in _KINDS and type(names) is list
            and kw.get("module") is None and kw.get("qualname") is None and kw.get("type") is None
            and kw.get("start", 1) == 1 and set(kw) <= {"module", "qualname", "type", "start", "boundary"}
            and set(map(type, names)) <= _TUPLE and set(map(len, names)) <= _PAIR):
        return None
    members = dict(names)
    if len(members) != len(names) or not (set(map(type, members)) <= _STR and set(map(type, members.values())) <= _INT):
        return None
    return members


_KINDS = frozenset((enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag))
_TUPLE, _PAIR, _STR, _INT = frozenset((tuple,)), frozenset((2,)), frozenset((str,)), frozenset((int,))


def install() -> bool:
    """Route PySide6's enum creation through enum._simple_enum. True when installed."""
    original = enum.EnumType.__dict__.get("_create_")
    if getattr(original, "_taizhang", False):
        return True
    if original is None or not hasattr(enum, "_simple_enum") or sys.version_info[:2] not in CHECKED_PYTHONS:
        return False

    def _create_(cls, class_name, names, **kw):
        members = _pyside_shaped(cls, names, kw)
        if kw.get("module") is None:
            try:  # named as the functional API names it: its caller's module (this wrapper adds a frame)
                kw["module"] = sys._getframe(2).f_globals["__name__"]
            except (AttributeError, ValueError, KeyError):
                pass
        if members is not None and kw.get("module") is not None:
            try:
                made = enum._simple_enum(cls, boundary=kw.get("boundary"))(
                    type(class_name, (), {"__module__": kw["module"], "__qualname__": class_name}))
                if not _refused(made, members):
                    # the functional API's __doc__ on each of CHECKED_PYTHONS (_simple_enum writes one)
                    type.__setattr__(made, "__doc__", None)
                    _add_members(made, names)
                    return made
            except Exception:  # the checked way makes it, or says what is wrong
                pass
        return original(cls, class_name, names, **kw)

    _create_._taizhang = True  # type: ignore[attr-defined]
    _create_.original = original  # type: ignore[attr-defined]
    enum.EnumType._create_ = _create_
    return True


_BASE_NAMES: dict[type, frozenset] = {}


def _refused(cls, members: dict) -> bool:
    """Whether a member name is one the checked way must judge: one that would
    hide an attribute of the class or its bases, or one enum treats specially
    (_sunder_, __dunder__, private, "mro")."""
    kind = cls.__mro__[1]
    if kind not in _BASE_NAMES:
        _BASE_NAMES[kind] = frozenset().union(*(vars(base) for base in cls.__mro__[1:]), {"mro", ""})
    # (the new class's own names all start with "_")
    return not _BASE_NAMES[kind].isdisjoint(members) or any(map(str.startswith, members, repeat("_")))


def _add_members(cls, names: list[tuple[str, int]]) -> None:
    """What enum._simple_enum does for each member (and the functional API:
    aliases, Flag's masks and its iteration order)."""
    member_map, by_value, member_names = cls._member_map_, cls._value2member_map_, cls._member_names_
    is_flag = issubclass(cls, enum.Flag)
    new, use_args = cls._new_member_, cls._use_args_
    single = multi = 0
    for name, value in names:
        member = by_value.get(value)
        if member is None:
            member = new(cls, value) if use_args else new(cls)
            member._value_ = value
            member._name_ = name
            member.__objclass__ = cls
            member._sort_order_ = len(member_names)
            by_value[value] = member
            if not is_flag:
                member_names.append(name)
            elif value > 0 and not value & (value - 1):  # a single bit
                member_names.append(name)
                single |= value
            else:
                multi |= value
        type.__setattr__(cls, name, member)  # the enum class's own setattr refuses members
        member_map[name] = member
    if is_flag:
        cls._flag_mask_ = single | multi
        cls._singles_mask_ = single
        cls._all_bits_ = 2 ** ((single | multi).bit_length()) - 1
        values = [m._value_ for m in cls]
        if values != sorted(values):
            cls._iter_member_ = cls._iter_member_by_def_


def regular_create(cls, class_name: str, names: list, **kw):
    """The functional API as the standard library has it (for the tests' comparison)."""
    create = enum.EnumType.__dict__["_create_"]
    return getattr(create, "original", create)(cls, class_name, names, **kw)
