""""Add target" in a stage's SLA editor starts with the priority that actually arrives there."""

from __future__ import annotations

from PySide6.QtCore import Qt

from flowmodel import MixEntry
from ui.commands import SetFieldCommand
from ui.forms.sla_editor import SlaEditor


def _sla_editor(window, stage_name: str) -> SlaEditor:
    stage = window.document.workflow.node_by_name(stage_name)
    window.view.canvas_scene.select_ids([stage.id])
    form = window.properties.form
    assert form is not None and form.item_id == stage.id
    return form.field("sla")


def test_add_target_gives_the_highest_volume_arriving_priority(qtbot, window):
    workflow = window.document.workflow
    source = workflow.node_by_name("User reports")
    window.undo_stack.push(SetFieldCommand(workflow, source.id, "mix", [
        MixEntry("spam", "en", "P3", 0.2), MixEntry("hate", "en", "P1", 0.8)]))
    editor = _sla_editor(window, "Tier 1")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    tier1 = workflow.node_by_name("Tier 1")
    assert [t.priority for t in tier1.sla] == ["P1"]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [t.priority for t in tier1.sla] == ["P1", "P3"]
    window.undo_stack.undo()
    assert [t.priority for t in tier1.sla] == ["P1"]


def test_add_target_falls_back_to_p2_when_nothing_is_known(qtbot):
    editor = SlaEditor()
    qtbot.addWidget(editor)
    editor.set_value([])
    with qtbot.waitSignal(editor.edited) as emitted:
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [t.priority for t in emitted.args[1]] == ["P2"]
