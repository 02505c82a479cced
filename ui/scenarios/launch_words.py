"""A launch plan's timing in planner words, for the scenarios panel: the words are written once, in
:mod:`reports.launch_words` (no Qt), and the exports say them the same way; this module only names them here."""

from __future__ import annotations

from reports.launch_words import RAMP_WORDS, hours_words, ramp_words, when_words

__all__ = ["RAMP_WORDS", "hours_words", "ramp_words", "when_words"]
