"""The workflow: nodes, edges, teams, scenarios and run settings of one moderation operation.

All edits go through the methods here so that observers (the canvas, panels, validation) hear about
them through :attr:`Workflow.events`; code outside this module reads the dictionaries but does not
assign into them. Each mutating method returns what an undo needs to restore the previous state.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from flowmodel.errors import ModelError
from flowmodel.events import WorkflowEvents
from flowmodel.ids import new_id
from flowmodel.nodes import Edge, Node
from flowmodel.paths import get_path, set_path
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario
from flowmodel.start_state import StartState
from flowmodel.teams import Team


@dataclass
class Workflow:
    name: str = "Untitled workflow"
    id: str = field(default_factory=new_id)
    description: str = ""
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    run_settings: RunSettings = field(default_factory=RunSettings)
    #: Today's backlog a run starts from (:mod:`flowmodel.start_state`); None: runs start empty.
    start_state: StartState | None = None
    events: WorkflowEvents = field(default_factory=WorkflowEvents, repr=False, compare=False)

    # -- reading -------------------------------------------------------------------------------
    def find(self, item_id: str) -> Node | Edge | Team | None:
        """The node, edge or team with ``item_id``."""
        return self.nodes.get(item_id) or self.edges.get(item_id) or self.teams.get(item_id)

    def node_by_name(self, name: str) -> Node:
        for node in self.nodes.values():
            if node.name == name:
                return node
        raise ModelError(f"no node named {name!r}")

    def team_by_name(self, name: str) -> Team:
        for team in self.teams.values():
            if team.name == name:
                return team
        raise ModelError(f"no team named {name!r}")

    def scenario_by_name(self, name: str) -> Scenario:
        for scenario in self.scenarios.values():
            if scenario.name == name:
                return scenario
        known = ", ".join(s.name for s in self.scenarios.values()) or "none"
        raise ModelError(f"no scenario named {name!r}", hint=f"scenarios of this workflow: {known}")

    def outgoing(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges.values() if e.source == node_id]

    def incoming(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges.values() if e.target == node_id]

    def teams_for_stage(self, stage_id: str) -> list[Team]:
        return [t for t in self.teams.values() if stage_id in t.stages]

    def copy(self) -> Workflow:
        """A deep copy with the same ids and no observers."""
        return copy.deepcopy(self)

    # -- nodes ---------------------------------------------------------------------------------
    def add_node(self, node: Node) -> Node:
        if node.id in self.nodes:
            raise ModelError(f"a node with id {node.id} already exists")
        self.nodes[node.id] = node
        self.events.node_added.emit(node)
        self.events.changed.emit()
        return node

    def remove_node(self, node_id: str) -> tuple[Node, list[Edge], dict[str, int]]:
        """Remove a node, its edges, and its place in team stage lists.

        Returns the node, the removed edges and ``{team_id: index}`` of the stage lists it was in,
        which is exactly what :meth:`restore_node` needs.
        """
        node = self._node(node_id)
        edges = [e for e in self.edges.values() if node_id in (e.source, e.target)]
        for edge in edges:
            self.remove_edge(edge.id)
        positions: dict[str, int] = {}
        for team in self.teams.values():
            if node_id in team.stages:
                positions[team.id] = team.stages.index(node_id)
                team.stages.remove(node_id)
                self.events.team_changed.emit(team.id, "stages")
        del self.nodes[node_id]
        self.events.node_removed.emit(node)
        self.events.changed.emit()
        return node, edges, positions

    def restore_node(self, node: Node, edges: list[Edge], positions: dict[str, int]) -> None:
        """Undo of :meth:`remove_node`."""
        self.add_node(node)
        for edge in edges:
            self.add_edge(edge)
        for team_id, index in positions.items():
            team = self.teams.get(team_id)
            if team is not None and node.id not in team.stages:
                team.stages.insert(index, node.id)
                self.events.team_changed.emit(team_id, "stages")
        self.events.changed.emit()

    def move_node(self, node_id: str, x: float, y: float) -> tuple[float, float]:
        node = self._node(node_id)
        before = (node.x, node.y)
        node.x, node.y = float(x), float(y)
        self.events.node_changed.emit(node_id, "position")
        self.events.changed.emit()
        return before

    # -- edges ---------------------------------------------------------------------------------
    def add_edge(self, edge: Edge) -> Edge:
        if edge.id in self.edges:
            raise ModelError(f"an edge with id {edge.id} already exists")
        for end in (edge.source, edge.target):
            if end not in self.nodes:
                raise ModelError(f"edge {edge.id} refers to a node that does not exist ({end})")
        self.edges[edge.id] = edge
        self.events.edge_added.emit(edge)
        self.events.changed.emit()
        return edge

    def remove_edge(self, edge_id: str) -> Edge:
        edge = self.edges.pop(edge_id, None)
        if edge is None:
            raise ModelError(f"no edge with id {edge_id}")
        self.events.edge_removed.emit(edge)
        self.events.changed.emit()
        return edge

    # -- teams ---------------------------------------------------------------------------------
    def add_team(self, team: Team, position: int | None = None) -> Team:
        """Add ``team`` last, or at ``position`` in the team order (so undoing a removal restores the order)."""
        if team.id in self.teams:
            raise ModelError(f"a team with id {team.id} already exists")
        if position is None:
            self.teams[team.id] = team
        else:
            ordered = list(self.teams.items())
            ordered.insert(position, (team.id, team))
            self.teams.clear()
            self.teams.update(ordered)
        self.events.team_added.emit(team)
        self.events.changed.emit()
        return team

    def remove_team(self, team_id: str) -> Team:
        team = self.teams.pop(team_id, None)
        if team is None:
            raise ModelError(f"no team with id {team_id}")
        self.events.team_removed.emit(team)
        self.events.changed.emit()
        return team

    # -- fields of nodes, edges and teams ------------------------------------------------------
    def get_field(self, item_id: str, path: str) -> Any:
        item = self.find(item_id)
        if item is None:
            raise ModelError(f"no node, edge or team with id {item_id}")
        return get_path(item, path)

    def set_field(self, item_id: str, path: str, value: Any) -> Any:
        """Set one field (typed, see :mod:`flowmodel.paths`); returns the previous value."""
        item = self.find(item_id)
        if item is None:
            raise ModelError(f"no node, edge or team with id {item_id}")
        previous = copy.deepcopy(get_path(item, path))
        set_path(item, path, value)
        if item_id in self.nodes:
            self.events.node_changed.emit(item_id, path)
        elif item_id in self.edges:
            self.events.edge_changed.emit(item_id, path)
        else:
            self.events.team_changed.emit(item_id, path)
        self.events.changed.emit()
        return previous

    # -- scenarios -----------------------------------------------------------------------------
    def put_scenario(self, scenario: Scenario) -> Scenario | None:
        """Add or replace a scenario (by id); returns the one it replaced."""
        previous = self.scenarios.get(scenario.id)
        self.scenarios[scenario.id] = scenario
        self.events.scenarios_changed.emit()
        self.events.changed.emit()
        return previous

    def remove_scenario(self, scenario_id: str) -> Scenario:
        scenario = self.scenarios.pop(scenario_id, None)
        if scenario is None:
            raise ModelError(f"no scenario with id {scenario_id}")
        self.events.scenarios_changed.emit()
        self.events.changed.emit()
        return scenario

    # -- today's backlog ------------------------------------------------------------------------
    def set_start_state(self, state: StartState | None) -> StartState | None:
        """Replace the start state (None: start empty); returns the previous one, which is what an undo needs."""
        previous = self.start_state
        self.start_state = copy.deepcopy(state)
        self.events.changed.emit()
        return previous

    def _node(self, node_id: str) -> Node:
        node = self.nodes.get(node_id)
        if node is None:
            raise ModelError(f"no node with id {node_id}")
        return node
