"""A work-around for a reference-count bug in PySide6 6.12.0.

``SignalInstance.emit()`` returns ``True``/``False`` without giving the
caller a reference of its own, so every emit from Python code takes one
reference away from the bool singleton. After a few thousand emits (an hour
of clicking, or one test session) Python aborts with "Fatal Python error:
bool_dealloc". Qt's own signals emitted from C++ are not affected.

Every signal Taizhang emits from Python goes through ``emit()`` below, which
measures once whether this PySide6 has the bug and, if so, gives the
reference back. With a fixed PySide6 it is a plain emit.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    probed = Signal()


def _emit_steals_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True) + sys.getrefcount(False)
    for _ in range(8):
        probe.probed.emit()
    lost = before - (sys.getrefcount(True) + sys.getrefcount(False))
    for _ in range(max(lost, 0)):  # give back what the probe itself took
        _incref(True)
    return lost >= 8


EMIT_STEALS = _emit_steals_a_reference()


def emit(signal, *args) -> bool:
    """``signal.emit(*args)``, keeping the bool singletons' counts right."""
    result = signal.emit(*args)
    if EMIT_STEALS and isinstance(result, bool):
        _incref(result)
    return result
