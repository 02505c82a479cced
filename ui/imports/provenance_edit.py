"""The edit that records where an import's values came from, added to the import's own undo step.

Rules: on the baseline the import's edits get one more, the item's ``provenance`` words
(:mod:`simulations.import_provenance`); in scenario mode they do not, because a scenario records changes of numbers
a run reads, and words are not one (the scenario's change list already says what the import changed).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoStack


def provenance_edits(undo_stack: QUndoStack, item_id: str, words: str) -> list[tuple[str, str, Any]]:
    """``[(item_id, "provenance", words)]``, or nothing in scenario mode (module rules)."""
    mode = getattr(undo_stack, "scenario_mode", None)
    if mode is not None and mode.active:
        return []
    return [(item_id, "provenance", words)]
