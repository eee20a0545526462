"""A guard against a reference-count bug of PySide6 6.12.0 on CPython 3.11.

Measured on this machine: every call of a PySide6 method that returns
nothing (``widget.setEnabled(True)``, ``item.setText(...)``) gives Python a
``None`` without a reference of its own, and ``Signal.emit()`` does the same
with ``True``. Python 3.12 made these singletons immortal (PEP 683), so there
the bug is harmless; on 3.11 each call takes one reference away, and after a
few thousand calls Python aborts: "Fatal Python error: none_dealloc" (or
bool_dealloc) — in the middle of the clerk's work, or at exit.

``apply()`` detects the bug with a few probe calls and, only then, gives
``None``, ``True`` and ``False`` a reference count far beyond anything a
session can use up (2**40), which is what Python 3.12 does for them anyway.
A singleton is never freed, so the extra references cost nothing. The real
fix is a Python ≥ 3.12 runtime or a corrected PySide6; see the GUI issue note.
"""

from __future__ import annotations

import ctypes
import sys

SINGLETONS = (None, True, False)
BOOST = 1 << 40
PROBE_CALLS = 16


def lost_per_probe() -> dict[str, int]:
    """References the singletons lose over PROBE_CALLS void calls and emits."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        probed = Signal()

    probe = _Probe()
    before = [sys.getrefcount(o) for o in SINGLETONS]
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")  # returns nothing
        probe.probed.emit()  # returns a bool
    after = [sys.getrefcount(o) for o in SINGLETONS]
    return {repr(o): b - a for o, b, a in zip(SINGLETONS, before, after, strict=True)}


def _refcount_cell(obj) -> ctypes.c_ssize_t | None:
    """ob_refcnt of a CPython 3.11 object, checked against sys.getrefcount."""
    if sys.implementation.name != "cpython" or hasattr(sys, "getobjects"):  # Py_TRACE_REFS layout
        return None
    cell = ctypes.c_ssize_t.from_address(id(obj))
    return cell if cell.value == sys.getrefcount(obj) - 1 else None


def apply() -> bool:
    """Protect the singletons if this PySide6 loses their references; True if it did."""
    if sys.version_info >= (3, 12):
        return False  # immortal singletons: the bug is harmless
    lost = lost_per_probe()
    if max(lost.values()) < PROBE_CALLS:
        return False
    for obj in SINGLETONS:
        cell = _refcount_cell(obj)
        if cell is not None:
            cell.value += BOOST + 2 * PROBE_CALLS
    return True


APPLIED = apply()
