"""Key bindings of the window's actions: one key sequence, one action.

Why: a standard key is a list of bindings, and some platforms add emacs-style ones (on X11 Delete also
means Ctrl+D). An action we bind explicitly (Ctrl+D duplicate) must win over such an extra binding;
otherwise Qt finds two shortcuts for one key, reports "Ambiguous shortcut overload" and runs neither.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence

EXPLICIT_PROPERTY = "flowmodel_explicit_shortcut"


def standard_bindings(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """The platform's bindings of ``key`` (one place, so tests can stand in another platform's table)."""
    return QKeySequence.keyBindings(key)


def bind_explicit(action: QAction, keys: str) -> None:
    """Give ``action`` a key of our own choosing; it takes precedence over standard bindings."""
    action.setShortcut(QKeySequence(keys))
    action.setProperty(EXPLICIT_PROPERTY, True)


def _text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def drop_shadowed_bindings(actions: Iterable[QAction]) -> list[tuple[QAction, str]]:
    """Remove from the standard-bound actions every key sequence an explicitly bound action uses.

    Returns the (action, sequence) pairs removed, which on most platforms is none.
    """
    actions = list(actions)
    claimed = {_text(s) for a in actions if a.property(EXPLICIT_PROPERTY) for s in a.shortcuts()}
    dropped: list[tuple[QAction, str]] = []
    for action in actions:
        if action.property(EXPLICIT_PROPERTY):
            continue
        shortcuts = action.shortcuts()
        kept = [s for s in shortcuts if _text(s) not in claimed]
        if len(kept) != len(shortcuts):
            dropped += [(action, _text(s)) for s in shortcuts if _text(s) in claimed]
            action.setShortcuts(kept)
    return dropped
