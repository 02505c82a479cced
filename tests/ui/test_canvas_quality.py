"""The canvas shows where a model's decisions end up before any run: each outcome's expected items a day and the
share of them that truly violates (decision quality's traffic equations by truth)."""

from __future__ import annotations

import pytest
from editor_helpers import make_window
from quality_fixtures import quality_workflow

from flowmodel.jsonfile import write_workflow_json
from flowmodel.traffic import VIOLATING, class_rates
from ui.commands import SetFieldCommand


@pytest.fixture
def quality_window(qtbot, tmp_path):
    path = tmp_path / "quality.flow.json"
    write_workflow_json(quality_workflow(), path)
    win = make_window(qtbot, tmp_path)
    assert win.open_path(path)
    qtbot.waitUntil(lambda: win.overlay.figure("kept") is not None, timeout=3000)
    return win


def test_each_outcome_shows_its_items_a_day_and_the_share_that_violates(quality_window) -> None:
    workflow = quality_window.document.workflow
    rates = class_rates(workflow)
    for outcome in ("removed", "kept", "restored"):
        arriving = rates[outcome]
        violating = sum(r for c, r in arriving.items() if c.truth == VIOLATING)
        share = violating / sum(arriving.values())
        text = quality_window.overlay.figure(outcome).text
        assert text.startswith("est. ~") and text.endswith(" violating")
        assert f"{share:.0%}" in text or f"{share:.1%}" in text, (outcome, text)


def test_an_edit_to_a_band_moves_the_outcome_figures_and_undo_brings_them_back(quality_window, qtbot) -> None:
    before = quality_window.overlay.figure("kept").text
    stack = quality_window.undo_stack
    stack.push(SetFieldCommand(quality_window.document.workflow, "e-close", "by_truth.violating", 0.3))
    stack.push(SetFieldCommand(quality_window.document.workflow, "e-human", "by_truth.violating", 0.2))
    qtbot.waitUntil(lambda: quality_window.overlay.figure("kept").text != before, timeout=3000)
    stack.undo()
    stack.undo()
    qtbot.waitUntil(lambda: quality_window.overlay.figure("kept").text == before, timeout=3000)


def test_a_model_without_truth_has_no_outcome_pills(window, qtbot) -> None:
    stages = [n for n, item in window.view.canvas_scene.node_items.items() if item.kind == "review_stage"]
    qtbot.waitUntil(lambda: all(window.overlay.figure(s) is not None for s in stages), timeout=3000)
    outcomes = [n for n, item in window.view.canvas_scene.node_items.items() if item.kind == "outcome"]
    assert outcomes and all(window.overlay.figure(o) is None for o in outcomes)
