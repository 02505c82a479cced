"""A tiny observer so the domain model can announce changes without knowing about Qt.

The UI subscribes (and re-emits as Qt signals if it wants); tests subscribe with a list.
A copied model starts with no subscribers: a copy is a new document, not a view of the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Signal:
    def __init__(self) -> None:
        self._subscribers: list[Callable[..., Any]] = []

    def subscribe(self, callback: Callable[..., Any]) -> None:
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[..., Any]) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._subscribers):
            callback(*args)

    def __deepcopy__(self, memo: dict) -> Signal:
        return Signal()

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._subscribers = []


class WorkflowEvents:
    """The change notifications of one :class:`~flowmodel.workflow.Workflow`.

    ``node_added(node)``, ``node_removed(node)``, ``node_changed(node_id, path)``,
    ``edge_added(edge)``, ``edge_removed(edge)``, ``edge_changed(edge_id, path)``,
    ``team_added(team)``, ``team_removed(team)``, ``team_changed(team_id, path)``,
    ``scenarios_changed()``, and ``changed()`` after any of them.
    """

    def __init__(self) -> None:
        self.node_added = Signal()
        self.node_removed = Signal()
        self.node_changed = Signal()
        self.edge_added = Signal()
        self.edge_removed = Signal()
        self.edge_changed = Signal()
        self.team_added = Signal()
        self.team_removed = Signal()
        self.team_changed = Signal()
        self.scenarios_changed = Signal()
        self.changed = Signal()

    def __deepcopy__(self, memo: dict) -> WorkflowEvents:
        return WorkflowEvents()

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkflowEvents)
