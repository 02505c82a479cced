"""Typed errors for hard faults.

Soft problems in a model (a stage nobody staffs, probabilities that do not sum to one) are
*validation issues*, returned as a list; the errors here are for things that stop an operation:
an unreadable file, a change that addresses a node that does not exist.
Every error carries enough context to tell the planner where the problem is and what to do.
"""

from __future__ import annotations


class FlowmodelError(Exception):
    """Base class: every error the application shows to a person derives from it."""

    def __init__(self, message: str, *, where: str = "", hint: str = "") -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.hint:
            parts.append(f"What to do: {self.hint}")
        return "\n".join(parts)


class ModelError(FlowmodelError):
    """An edit or a scenario change that the model cannot accept (missing node, bad field, bad value)."""


class LoadError(FlowmodelError):
    """A file that cannot be read as a Flowmodel document: truncated, corrupted, wrong types, unknown version."""


class SaveError(FlowmodelError):
    """A save that could not complete; the file on disk keeps its previous content."""
