"""Work-around for a reference-counting fault of the pinned Qt binding on CPython 3.11.

Found while timing the canvas: with PySide6/shiboken6 6.12.0 on CPython 3.11, every call of a Qt
method that returns nothing (``setPos``, ``update``, every ``QPainter.setPen`` …) gives back one
reference to ``None`` that it never took. A repaint of the canvas makes about a hundred such calls, so
after a few hundred repaints None's count reaches zero and Python aborts ("none_dealloc: deallocating
None"). On CPython ≥ 3.12 None is immortal and the fault is harmless.

Rule: :func:`protect_none` measures the fault once; only if it is present does it add a reference
reserve to ``None`` that a session cannot use up (2**40 ≈ 10**12 calls). Extra references to None are
harmless: None is never freed while Python runs. Remove this module once the binding is fixed or the
project requires Python ≥ 3.12.
"""

from __future__ import annotations

import ctypes
import platform
import sys

RESERVE = 2 ** 40
PROBE_CALLS = 64


def binding_drops_none_references() -> bool:
    """Whether void Qt calls release references to None they did not take (measured, not assumed)."""
    if platform.python_implementation() != "CPython" or sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= PROBE_CALLS


def protect_none() -> bool:
    """Give None a reference reserve if the fault is present; returns whether it was needed."""
    if not binding_drops_none_references():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += RESERVE
    return True
