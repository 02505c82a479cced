"""Guards against a known fault of one Qt binding release (PySide6 6.12.0 on CPython 3.11): every Qt call
returning nothing released a reference to None it never took, so a long session aborted with
"deallocating None". The pinned release must not do that."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QGraphicsRectItem


def test_void_qt_calls_do_not_release_references_to_none(qapp):
    item = QGraphicsRectItem(0, 0, 10, 10)
    before = sys.getrefcount(None)
    for i in range(2000):
        item.setPos(i, i)
    assert before - sys.getrefcount(None) < 100
