"""The "Imported" row of the source, stage and team forms: hidden until an import says where the item's values
came from, then shown with those words; it follows undo like any field."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from flowmodel.nodes import ReviewStage, Source
from tests.conftest import make_triage_workflow
from ui.forms.binding import DiscreteEditCommand
from ui.forms.source_form import SourceForm
from ui.forms.stage_form import StageForm
from ui.forms.team_form import TeamForm


@pytest.mark.parametrize("form_class", [SourceForm, StageForm, TeamForm])
def test_the_imported_row_shows_the_words_and_follows_undo(qtbot, form_class) -> None:
    workflow = make_triage_workflow()
    undo = QUndoStack()
    kind = {SourceForm: Source, StageForm: ReviewStage}.get(form_class)
    item_id = next(n.id for n in workflow.nodes.values() if isinstance(n, kind)) if kind \
        else next(iter(workflow.teams))
    form = form_class(workflow, undo, item_id)
    qtbot.addWidget(form)
    form.show()
    row = form.field("provenance")
    assert not row.isVisible()  # nothing imported: no row
    undo.push(DiscreteEditCommand(workflow, item_id, "provenance", "shifts from roster.xlsx", "Import"))
    form.refresh("provenance")
    assert row.isVisible() and row.text() == "shifts from roster.xlsx"
    undo.undo()
    form.refresh("provenance")
    assert not row.isVisible() and workflow.find(item_id).provenance == ""
