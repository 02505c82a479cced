"""Files: save → reopen, corrupted files, unsaved-changes prompts, workspaces, autosave and recovery."""

from __future__ import annotations

from editor_helpers import make_window, snapshot
from PySide6.QtWidgets import QMessageBox

from flowmodel import Outcome, Workflow
from flowmodel.documents import load_workflows, save_document
from flowmodel.jsonfile import dumps_workflow
from ui.commands import AddNodeCommand, MoveNodesCommand


def _edit(window) -> None:
    workflow = window.document.workflow
    stage = workflow.node_by_name("Tier 1")
    window.undo_stack.push(AddNodeCommand(workflow, Outcome(name="Escalated", label="escalated", x=600, y=300)))
    window.undo_stack.push(MoveNodesCommand(workflow, {stage.id: ((stage.x, stage.y), (260.0, 40.0))}))


def test_save_as_then_reopen_gives_an_identical_model(qtbot, tmp_path, window):
    _edit(window)
    assert window.windowTitle().startswith("triage.flow.json*")
    target = tmp_path / "copy.flow.json"
    assert window.save_as(target)
    assert window.windowTitle().startswith("copy.flow.json —")
    assert target.read_text(encoding="utf-8") == dumps_workflow(window.document.workflow)
    other = make_window(qtbot, tmp_path)
    assert other.open_path(target)
    assert snapshot(other.document.workflow) == snapshot(window.document.workflow)
    assert target.resolve() in other.recent.paths()


def test_save_without_extension_adds_the_flow_json_suffix(tmp_path, window):
    _edit(window)
    assert window.save_as(tmp_path / "named")
    assert (tmp_path / "named.flow.json").exists() and window.document.path.name == "named.flow.json"


def test_a_corrupted_file_shows_a_message_and_leaves_the_document_untouched(tmp_path, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    _edit(window)
    before_document, before_model = window.document, snapshot(window.document.workflow)
    before_steps = window.undo_stack.count()
    broken = tmp_path / "broken.flow.json"
    broken.write_text('{"format": "flowmodel.workflow", "schema_version": 1, "nodes": [', encoding="utf-8")
    assert not window.open_path(broken, check_unsaved=False)
    assert len(shown) == 1 and shown[0][0] == "Cannot open the file"
    assert "broken.flow.json" in shown[0][1] and "broken JSON" in shown[0][1]
    assert window.last_error == shown[0][1]
    assert window.document is before_document and snapshot(window.document.workflow) == before_model
    assert window.undo_stack.count() == before_steps and window.document.is_dirty


def test_new_with_unsaved_changes_asks_save_discard_or_cancel(tmp_path, window, monkeypatch):
    del window.ask_unsaved_changes
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    monkeypatch.setattr(QMessageBox, "question", lambda *args: next(answers))
    _edit(window)
    edited = window.document
    window.new_document()
    assert window.document is edited and window.document.is_dirty
    window.new_document()
    assert window.document is not edited and not window.document.is_dirty
    assert window.document.workflow.nodes == {} and window.undo_stack.count() == 0


def test_save_from_the_prompt_writes_the_file_before_opening_another(tmp_path, window, monkeypatch):
    del window.ask_unsaved_changes
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Save)
    _edit(window)
    path = window.document.path
    window.new_document()
    assert len(load_workflows(path)[0].nodes) == 5


def test_closing_with_unsaved_changes_can_be_cancelled(window):
    window.ask_unsaved_changes = lambda: "cancel"
    _edit(window)
    assert not window.close()
    assert window.isVisible()
    window.ask_unsaved_changes = lambda: "discard"
    assert window.close()


def test_a_workspace_with_several_workflows_gets_a_selector(qtbot, tmp_path, triage):
    other = Workflow(name="Appeals")
    other.add_node(Outcome(name="Upheld"))
    path = tmp_path / "ops.flowdb"
    save_document([triage, other], path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    selector = window.workflow_selector
    assert window.workflow_selector_action.isVisible()
    assert [selector.itemText(i) for i in range(selector.count())] == ["Appeals", "Tiny triage"]
    selector.setCurrentIndex(1)
    assert window.document.workflow.name == "Tiny triage"
    assert len(window.view.canvas_scene.node_items) == 4
    _edit(window)
    assert window.save()
    reopened = {w.name: snapshot(w) for w in load_workflows(path)}
    assert reopened["Tiny triage"] == snapshot(window.document.workflow)
    assert set(reopened) == {"Appeals", "Tiny triage"}


def test_autosave_writes_a_recovery_file_that_is_offered_on_the_next_open(qtbot, tmp_path, window):
    _edit(window)
    recovery = window.autosaver.save_recovery()
    assert recovery == tmp_path / "triage.recovery.flow.json"
    edited = snapshot(window.document.workflow)
    crashed_path = window.document.path
    second = make_window(qtbot, tmp_path)
    offers = []
    second.ask_recover = lambda path: offers.append(path) or True
    assert second.open_path(crashed_path)
    assert offers == [recovery]
    assert snapshot(second.document.workflow) == edited
    assert second.document.is_dirty and second.document.path == crashed_path
    assert second.save() and not recovery.exists()


def test_declining_recovery_deletes_the_recovery_file(qtbot, tmp_path, window):
    _edit(window)
    recovery = window.autosaver.save_recovery()
    second = make_window(qtbot, tmp_path)
    second.ask_recover = lambda path: False
    assert second.open_path(window.document.path)
    assert not recovery.exists() and not second.document.is_dirty
    assert len(second.document.workflow.nodes) == 4


def test_autosave_of_an_untitled_document_goes_to_the_app_data_folder(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    assert window.autosaver.save_recovery() is None, "nothing to save while clean"
    window.undo_stack.push(AddNodeCommand(window.document.workflow, Outcome(name="Kept")))
    assert window.autosaver.save_recovery() == tmp_path / "recovery" / "untitled.recovery.flow.json"
    window.close()
    assert not (tmp_path / "recovery" / "untitled.recovery.flow.json").exists()


def test_undo_of_an_edit_to_another_workflow_of_the_workspace_shows_that_workflow(qtbot, tmp_path, triage):
    other = Workflow(name="Appeals")
    other.add_node(Outcome(name="Upheld"))
    path = tmp_path / "ops.flowdb"
    save_document([triage, other], path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    window.workflow_selector.setCurrentIndex(1)
    _edit(window)
    window.workflow_selector.setCurrentIndex(0)
    assert window.document.workflow.name == "Appeals"
    window.undo_stack.undo()
    assert window.document.workflow.name == "Tiny triage"
    assert window.view.canvas_scene.workflow is window.document.workflow


def test_examples_open_as_unsaved_copies_and_save_asks_where(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    titles = [a.text() for a in window.actions.examples_menu.actions()]
    assert "User report triage" in titles and len(titles) >= 4
    triage_action = window.actions.examples_menu.actions()[titles.index("User report triage")]
    triage_action.trigger()
    assert window.document.path is None and len(window.document.workflow.nodes) > 5
    assert not window.document.is_dirty
    window.ask_save_path = lambda: tmp_path / "mine.flow.json"
    assert window.save()
    assert window.document.path == tmp_path / "mine.flow.json"
    window.actions.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.actions.recent_menu.actions()] == ["mine.flow.json"]


def test_a_failed_save_reports_and_keeps_the_recovery_file(tmp_path, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    _edit(window)
    recovery = window.autosaver.save_recovery()
    assert not window.save_as(tmp_path / "missing folder" / "copy.flow.json")
    assert shown and "missing folder" in shown[0]
    assert recovery.exists() and window.document.is_dirty
    assert window.document.path == tmp_path / "triage.flow.json"
