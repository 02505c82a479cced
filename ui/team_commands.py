"""Undoable team edits that are more than one field: adding and removing a team.

Removing a team takes it out of the workflow with everything it holds (roster, skills, the stages it works,
in order); undo puts the same team back at the same place in the team list, so the document is exactly
as before. Field edits of a team are :class:`ui.commands.SetFieldCommand`.
"""

from __future__ import annotations

import copy

from PySide6.QtGui import QUndoCommand

from flowmodel.teams import Team
from flowmodel.workflow import Workflow


class AddTeamCommand(QUndoCommand):
    def __init__(self, workflow: Workflow, team: Team, text: str = "") -> None:
        super().__init__(text or f"Add team {team.name}".strip())
        self.workflow = workflow
        self.team = copy.deepcopy(team)

    def redo(self) -> None:
        self.workflow.add_team(copy.deepcopy(self.team))

    def undo(self) -> None:
        self.workflow.remove_team(self.team.id)


class RemoveTeamCommand(QUndoCommand):
    def __init__(self, workflow: Workflow, team_id: str, text: str = "") -> None:
        team = workflow.teams[team_id]
        super().__init__(text or f"Remove team {team.name}".strip())
        self.workflow = workflow
        self.team_id = team_id
        self.team = copy.deepcopy(team)
        self.position = list(workflow.teams).index(team_id)

    def redo(self) -> None:
        self.position = list(self.workflow.teams).index(self.team_id)
        self.team = copy.deepcopy(self.workflow.remove_team(self.team_id))

    def undo(self) -> None:
        self.workflow.add_team(copy.deepcopy(self.team), self.position)
