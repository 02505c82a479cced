"""Breaking a card's text into lines that fit its width, and saying when something still had to be cut.

Rule: a line wraps first where its parts meet (before " + 2 more teams" or " – New York", at " · "), then, within a part
too wide for the card, at spaces — never between a number and its unit or after a sign ("4 h", "≤ 4 h")
— onto at most ``max_rows`` rows; only a single word wider than the card, or
text beyond the last row, is elided — and then the result says so (``elided``), so tests and the card's
tooltip can tell a shortened card from a complete one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

UNITS = frozenset({"ms", "s", "min", "h", "d", "w", "%", "items/h"})
GLUE_AFTER = frozenset({"±", "≤", "≥", "+", "–", "~", "in"})


def _tokens(text: str) -> list[str]:
    """Words to wrap between: a unit sticks to its number, and a sign to the word after it."""
    tokens: list[str] = []
    for word in text.split(" "):
        glued = tokens and (word.rstrip(",.;)") in UNITS or tokens[-1].split(" ")[-1] in GLUE_AFTER)
        if glued:
            tokens[-1] += " " + word
        else:
            tokens.append(word)
    return tokens


@dataclass(frozen=True)
class Wrapped:
    rows: tuple[str, ...]
    elided: bool


def _word_rows(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    rows: list[str] = []
    current = ""
    for word in _tokens(text):
        candidate = f"{current} {word}" if current else word
        if current and metrics.horizontalAdvance(candidate) > width:
            rows.append(current)
            current = word
        else:
            current = candidate
    rows.append(current)
    return rows


def wrap(text: str, metrics: QFontMetricsF, width: float, max_rows: int = 2) -> Wrapped:
    """``text`` in rows no wider than ``width`` (see module rule)."""
    rows: list[str] = []
    for part in re.split(r"(?= [+–] )| · ", text):
        joined = f"{rows[-1]}{'' if part[:3] in (' + ', ' – ') else ' · '}{part}" if rows else part
        if rows and metrics.horizontalAdvance(joined) <= width:
            rows[-1] = joined
        else:
            rows += _word_rows(part.strip(), metrics, width)
    elided = len(rows) > max_rows
    if elided:
        rows = [*rows[:max_rows - 1], " ".join(rows[max_rows - 1:])]
    fitted = []
    for row in rows:
        if metrics.horizontalAdvance(row) > width:
            elided = True
            row = metrics.elidedText(row, Qt.TextElideMode.ElideRight, width)
        fitted.append(row)
    return Wrapped(tuple(fitted), elided)
