from PySide6.QtGui import QUndoStack

from ui.commands import SetFieldCommand


def test_typing_merges_into_one_undo_step_and_undo_restores(triage):
    stage = triage.node_by_name("Tier 1")
    stack = QUndoStack()
    for value in (1.0, 12.0, 120.0):
        stack.push(SetFieldCommand(triage, stage.id, "handle_time.mean", value))
    assert stack.count() == 1
    assert stage.handle_time.mean == 120.0
    stack.undo()
    assert stage.handle_time.mean == 5.0
    stack.redo()
    assert stage.handle_time.mean == 120.0


def test_edits_of_different_fields_do_not_merge(triage):
    stage = triage.node_by_name("Tier 1")
    stack = QUndoStack()
    stack.push(SetFieldCommand(triage, stage.id, "handle_time.mean", 7.0))
    stack.push(SetFieldCommand(triage, stage.id, "name", "Tier one"))
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert (stage.name, stage.handle_time.mean) == ("Tier 1", 5.0)
