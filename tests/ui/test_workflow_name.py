"""The workflow is named in the app: the toolbar's name field renames it as one undoable step, the title shows
it, it is saved with the file and titles the exports."""

from __future__ import annotations

from PySide6.QtCore import Qt

from flowmodel.jsonfile import read_workflow_json
from ui.commands import RenameWorkflowCommand


def _type_name(qtbot, window, name: str) -> None:
    field = window.name_field
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, name)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_renaming_in_the_name_field_is_undoable_and_titles_the_window(qtbot, window):
    before = window.document.workflow.name
    assert window.name_field.text() == before
    _type_name(qtbot, window, "Hate speech, Q3 policy")
    assert window.document.workflow.name == "Hate speech, Q3 policy"
    assert isinstance(window.undo_stack.command(window.undo_stack.index() - 1), RenameWorkflowCommand)
    assert "Hate speech, Q3 policy" in window.windowTitle()
    assert window.windowTitle().startswith("triage.flow.json*")
    window.undo_stack.undo()
    assert window.document.workflow.name == before
    assert window.name_field.text() == before
    assert "Hate speech, Q3 policy" not in window.windowTitle()
    assert "*" not in window.windowTitle()


def test_an_empty_name_is_refused(qtbot, window):
    before = window.document.workflow.name
    _type_name(qtbot, window, "   ")
    assert window.document.workflow.name == before
    assert window.name_field.text() == before
    assert window.undo_stack.count() == 0


def test_the_file_menu_item_puts_the_cursor_in_the_name_field(qtbot, window):
    window.actions.rename.trigger()
    assert window.name_field.hasFocus()
    assert window.name_field.selectedText() == window.document.workflow.name
    qtbot.keyClicks(window.name_field, "Renamed")
    qtbot.keyClick(window.name_field, Qt.Key.Key_Return)
    assert window.document.workflow.name == "Renamed"


def test_the_name_is_saved_with_the_file(qtbot, window, tmp_path):
    _type_name(qtbot, window, "Saved name")
    target = tmp_path / "named.flow.json"
    assert window.save_as(target)
    assert read_workflow_json(target).name == "Saved name"
    assert window.windowTitle() == "named.flow.json — Saved name — Flowmodel"


def test_an_untitled_workflow_is_titled_by_its_new_name(qtbot, window):
    window.new_document()
    _type_name(qtbot, window, "Spam appeals")
    assert window.windowTitle() == "Spam appeals* — Flowmodel"


def test_renaming_one_workflow_of_a_workspace_renames_it_in_the_selector(qtbot, window, triage):
    second = triage.copy()
    second.name = "Appeals"
    window.show_workflows([window.document.workflow, second])
    window.workflow_selector.setCurrentIndex(1)
    assert window.name_field.text() == "Appeals"
    _type_name(qtbot, window, "Appeals, EU")
    assert window.workflow_selector.itemText(1) == "Appeals, EU"
    assert window.windowTitle().endswith("› Appeals, EU — Flowmodel")
    window.workflow_selector.setCurrentIndex(0)
    window.undo_stack.undo()  # brings the renamed workflow back onto the canvas, as every undo does
    assert window.document.workflow is second and second.name == "Appeals"
    assert window.workflow_selector.itemText(1) == "Appeals"
