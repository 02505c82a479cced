"""The decision-quality editors drive the real widgets: ticks, typing and picks change the model through undoable
commands, and undo restores it (ground truth, bands by classifier error, decisions, accuracy, QA, wellness caps)."""

from __future__ import annotations

import pytest
from editor_helpers import make_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit

from flowmodel import Classifier, Edge, MixEntry, Outcome, ReviewStage, Router, Shift, Source, Team, Workflow
from flowmodel.jsonfile import write_workflow_json
from flowmodel.quality import Accuracy, GroundTruth, Split, TruthSplit, band_figures, band_split
from ui.canvas.edge_item import EdgeItem
from ui.panels import PropertyPanel, TeamsPanel


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


def make_panel(qtbot, workflow, stack) -> PropertyPanel:
    widget = PropertyPanel(workflow, stack)
    qtbot.addWidget(widget)
    widget.resize(460, 1200)
    widget.show()
    return widget


def click(qtbot, panel, widget) -> None:
    """Scroll ``widget`` into view and click it near its left end (a check box's box; a wide check box's
    centre is outside its text)."""
    panel.scroll.ensureWidgetVisible(widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def type_number(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def type_cell(qtbot, table, item, text: str) -> None:
    """Open the cell's editor, type ``text`` over it and commit it with Enter, as a planner does."""
    table.scrollToItem(item)
    table.setCurrentItem(item)
    table.editItem(item)
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "the cell did not open one editor"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text) if text else qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)  # the delegate commits the editor's text in a queued call


# -- ground truth ----------------------------------------------------------------------------------------------
def test_ticking_ground_truth_creates_it_and_undo_clears_it(qtbot, triage, stack):
    source = triage.node_by_name("User reports")
    panel = make_panel(qtbot, triage, stack)
    panel.show_item(source.id)
    editor = panel.form.field("truth")
    assert not editor.carries.isChecked() and not editor.details.isVisible()
    click(qtbot, panel, editor.carries)
    assert source.truth == GroundTruth(0.1)
    assert editor.details.isVisible()
    type_number(qtbot, editor.prevalence, "35")
    assert source.truth.prevalence == pytest.approx(0.35)
    type_number(qtbot, editor.views, "120")
    assert source.truth.views_per_hour == 120.0
    stack.undo()
    stack.undo()
    assert source.truth == GroundTruth(0.1)
    stack.undo()
    assert source.truth is None
    assert not editor.carries.isChecked()


def test_prevalence_per_category_of_the_mix(qtbot, triage, stack):
    source = triage.node_by_name("User reports")
    source.mix = [MixEntry(category="spam", share=0.6), MixEntry(category="hate", share=0.4)]
    source.truth = GroundTruth(0.2)
    panel = make_panel(qtbot, triage, stack)
    panel.show_item(source.id)
    table = panel.form.field("truth").by_category
    assert table.categories() == ["spam", "hate"]
    assert table.cell("hate", 0).text() == "20 %"  # the overall value, in grey
    type_cell(qtbot, table.table, table.cell("hate", 0), "45")
    assert source.truth.by_category == {"hate": pytest.approx(0.45)}
    assert source.truth.views_by_category == {}
    type_cell(qtbot, table.table, table.cell("spam", 1), "300")
    assert source.truth.views_by_category == {"spam": 300.0}
    type_cell(qtbot, table.table, table.cell("hate", 0), "")
    assert source.truth.by_category == {}
    assert table.cell("hate", 0).text() == "20 %"
    type_cell(qtbot, table.table, table.cell("spam", 0), "140")
    assert "Prevalence must be from 0 to 100 %" in panel.form.problem("truth")
    assert source.truth.by_category == {}
    stack.undo()
    stack.undo()
    assert source.truth == GroundTruth(0.2, {"hate": pytest.approx(0.45)})


# -- a model with a classifier, a review stage and an appeal router ---------------------------------------------------
def quality_workflow() -> Workflow:
    """Reports (spam 70 % violating, hate 40 %, half each) → classifier → auto-action / auto-close / human review;
    human review → remove (→ appealed? router) / keep / escalate; one team works human review and QA."""
    workflow = Workflow(name="Quality")
    source = workflow.add_node(Source(name="Reports", rate_per_hour=100.0,
                                      mix=[MixEntry(category="spam", share=0.5), MixEntry(category="hate", share=0.5)],
                                      truth=GroundTruth(0.55, {"spam": 0.7, "hate": 0.4})))
    classifier = workflow.add_node(Classifier(name="Model"))
    review = workflow.add_node(ReviewStage(name="Human review"))
    qa = workflow.add_node(ReviewStage(name="QA"))
    appealed = workflow.add_node(Router(name="Appealed?"))
    removed, kept, appeal = (workflow.add_node(Outcome(name=n)) for n in ("Removed", "Kept", "Appeal"))
    escalated = workflow.add_node(Outcome(name="Escalated"))
    workflow.add_edge(Edge(source.id, classifier.id, probability=1.0))
    workflow.add_edge(Edge(classifier.id, removed.id, label="auto-action", probability=0.3))
    workflow.add_edge(Edge(classifier.id, kept.id, label="auto-close", probability=0.2))
    workflow.add_edge(Edge(classifier.id, review.id, label="human review", probability=0.5))
    workflow.add_edge(Edge(review.id, appealed.id, label="remove", probability=0.4))
    workflow.add_edge(Edge(review.id, kept.id, label="keep", probability=0.5))
    workflow.add_edge(Edge(review.id, escalated.id, label="escalate", probability=0.1))
    workflow.add_edge(Edge(appealed.id, appeal.id, label="appealed", probability=0.1))
    workflow.add_edge(Edge(appealed.id, removed.id, label="not appealed", probability=0.9))
    workflow.add_team(Team(name="Moderators", stages=[review.id, qa.id],
                           shifts=[Shift(name="all day", start_hour=0, hours=24, headcount=[5] * 7)]))
    return workflow


@pytest.fixture
def quality() -> Workflow:
    return quality_workflow()


def branches(workflow: Workflow, node: str) -> dict[str, Edge]:
    return {e.label: e for e in workflow.outgoing(workflow.node_by_name(node).id)}


def pick(qtbot, panel, combo, data) -> None:
    """Pick the entry holding ``data`` as a planner does: open the drop-down and click the entry."""
    panel.scroll.ensureWidgetVisible(combo)
    target = combo.findData(data)
    assert target >= 0, f"{data!r} is not offered"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(view.model().index(target, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def test_bands_by_classifier_error_switch_every_band_in_one_step(qtbot, quality, stack):
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Model").id)
    bands = panel.form.bands
    click(qtbot, panel, bands.split)
    edges = branches(quality, "Model")
    assert stack.count() == 1
    assert {label: (e.by_truth, e.probability) for label, e in edges.items()} == {
        "auto-action": (TruthSplit(0.3, 0.3), None), "auto-close": (TruthSplit(0.2, 0.2), None),
        "human review": (TruthSplit(0.5, 0.5), None)}
    assert bands.cell(0, "violating").text() == "30 %" and bands.cell(0, "precision").text() == "55 %"
    assert "violating items sum to 100 % ✓" in bands.summary.text()
    assert "55 % violate" in bands.summary.text()
    stack.undo()
    assert {label: (e.by_truth, e.probability) for label, e in edges.items()} == {
        "auto-action": (None, 0.3), "auto-close": (None, 0.2), "human review": (None, 0.5)}
    assert not bands.split.isChecked()


def test_typed_shares_of_violating_and_benign_items_land_on_the_band(qtbot, quality, stack):
    for edge in quality.outgoing(quality.node_by_name("Model").id):
        edge.by_truth = TruthSplit(edge.probability, edge.probability)
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Model").id)
    bands = panel.form.bands
    auto_action = branches(quality, "Model")["auto-action"]
    type_cell(qtbot, bands.table, bands.cell(0, "violating"), "62")
    type_cell(qtbot, bands.table, bands.cell(0, "benign"), "3")
    assert auto_action.by_truth == TruthSplit(pytest.approx(0.62), pytest.approx(0.03))
    assert "violating items sum to 132 % — must be 100 %" in bands.summary.text()
    type_cell(qtbot, bands.table, bands.cell(0, "benign"), "140")
    assert "from 0 % to 100 %" in bands.problem.text()
    assert auto_action.by_truth.benign == pytest.approx(0.03)
    stack.undo()
    assert auto_action.by_truth == TruthSplit(pytest.approx(0.62), 0.3)
    stack.undo()
    assert auto_action.by_truth == TruthSplit(0.3, 0.3)


def test_precision_and_recall_from_a_model_card_store_the_benign_share(qtbot, quality, stack):
    for edge in quality.outgoing(quality.node_by_name("Model").id):
        edge.by_truth = TruthSplit(edge.probability, edge.probability)
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Model").id)
    bands = panel.form.bands
    pick(qtbot, panel, bands.entry, "model_card")
    assert bands.cell(0, "benign").flags() & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag(0)
    auto_action = branches(quality, "Model")["auto-action"]
    type_cell(qtbot, bands.table, bands.cell(0, "precision"), "90")
    expected = band_split(0.55, 0.3, 0.9)  # the prevalence of items arriving at the classifier: 55 %
    assert auto_action.by_truth == TruthSplit(pytest.approx(expected.violating), pytest.approx(expected.benign))
    assert bands.cell(0, "precision").text() == "90 %"
    type_cell(qtbot, bands.table, bands.cell(0, "violating"), "40")  # recall changes, precision is held
    assert band_figures(0.55, auto_action.by_truth.for_category(""))[1] == pytest.approx(0.9)
    assert auto_action.by_truth.violating == pytest.approx(0.4)
    type_cell(qtbot, bands.table, bands.cell(0, "precision"), "1")
    assert "cannot have a precision as low as 1.0%" in bands.problem.text()
    stack.undo()
    stack.undo()
    assert auto_action.by_truth == TruthSplit(0.3, 0.3)


def test_a_category_gets_its_own_shares_on_every_band_at_its_own_prevalence(qtbot, quality, stack):
    for edge in quality.outgoing(quality.node_by_name("Model").id):
        edge.by_truth = TruthSplit(edge.probability, edge.probability)
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Model").id)
    bands = panel.form.bands
    pick(qtbot, panel, bands.category, "spam")
    pick(qtbot, panel, bands.entry, "model_card")
    assert "70 % violate" in bands.summary.text()
    type_cell(qtbot, bands.table, bands.cell(0, "precision"), "95")
    edges = branches(quality, "Model")
    expected = band_split(0.7, 0.3, 0.95)
    assert edges["auto-action"].by_truth.by_category == {
        "spam": Split(pytest.approx(expected.violating), pytest.approx(expected.benign))}
    assert edges["auto-close"].by_truth.by_category == {"spam": Split(0.2, 0.2)}
    assert edges["auto-action"].by_truth.violating == 0.3  # the shares of every category are kept
    assert stack.count() == 1
    assert bands.clear_category.isVisible()
    click(qtbot, panel, bands.clear_category)
    assert all(not e.by_truth.by_category for e in edges.values())
    stack.undo()
    stack.undo()
    assert all(not e.by_truth.by_category for e in edges.values())


def test_switching_back_gives_each_band_its_share_of_the_arrivals(qtbot, quality, stack):
    for edge, (v, b) in zip(quality.outgoing(quality.node_by_name("Model").id), ((0.6, 0.1), (0.1, 0.5), (0.3, 0.4)),
                            strict=True):
        edge.by_truth, edge.probability = TruthSplit(v, b), None
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Model").id)
    click(qtbot, panel, panel.form.bands.split)
    edges = branches(quality, "Model")
    assert edges["auto-action"].by_truth is None
    assert edges["auto-action"].probability == pytest.approx(0.55 * 0.6 + 0.45 * 0.1)
    assert sum(e.probability for e in edges.values()) == pytest.approx(1.0)
    stack.undo()
    assert edges["auto-action"].by_truth == TruthSplit(0.6, 0.1) and edges["auto-action"].probability is None


def test_each_band_decides(qtbot, quality, stack):
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Model").id)
    combo = panel.form.bands.decision_combo(0)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "auto-action (remove)", "human review (no decision)", "auto-approve (keep)"]
    pick(qtbot, panel, combo, "keep")
    pick(qtbot, panel, panel.form.bands.decision_combo(0), "remove")
    assert branches(quality, "Model")["auto-action"].decision == "remove"
    stack.undo()
    assert branches(quality, "Model")["auto-action"].decision == "keep"
    stack.undo()
    assert branches(quality, "Model")["auto-action"].decision == ""


def test_an_appeal_router_is_split_by_whether_the_removal_was_right(qtbot, quality, stack):
    branches(quality, "Human review")["remove"].decision = "remove"
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Appealed?").id)
    table = panel.form.branches
    click(qtbot, panel, table.split)
    headers = [table.table.horizontalHeaderItem(i).text() for i in range(table.table.columnCount())]
    assert headers == ["Branch", "Removal right", "Removal wrong"]
    assert "removal was wrong" in table.explain.text()
    type_cell(qtbot, table.table, table.cell(0, "benign"), "40")
    type_cell(qtbot, table.table, table.cell(1, "benign"), "60")
    edges = branches(quality, "Appealed?")
    assert edges["appealed"].by_truth == TruthSplit(0.1, pytest.approx(0.4))
    assert "benign items sum to 100 % ✓" in table.summary.text()
    for _ in range(3):
        stack.undo()
    assert edges["appealed"].by_truth is None and edges["appealed"].probability == 0.1


# -- review stages ---------------------------------------------------------------------------------------------
def test_a_stage_with_remove_and_keep_decides_by_reviewer_accuracy(qtbot, quality, stack):
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Human review").id)
    table = panel.form.branches
    pick(qtbot, panel, table.decision_combo(0), "remove")
    edges = branches(quality, "Human review")
    assert (edges["remove"].decision, edges["remove"].probability) == ("remove", 0.4)  # no keep branch yet
    pick(qtbot, panel, table.decision_combo(1), "keep")
    assert [(e.decision, e.probability) for e in edges.values()] == [("remove", None), ("keep", None), ("", 0.1)]
    assert table.cell(0, "share").text() == "decided by reviewer accuracy"
    assert table.cell(2, "share").text() == "10 %"
    assert "decide remove or keep for the other 90 %" in table.summary.text()
    stack.undo()
    assert [(e.decision, e.probability) for e in edges.values()] == [("remove", 0.4), ("", 0.5), ("", 0.1)]
    assert table.cell(0, "share").text() == "40 %"


def test_a_stage_that_stops_deciding_gets_its_shares_back(qtbot, quality, stack):
    edges = branches(quality, "Human review")
    for label in ("remove", "keep"):
        edges[label].decision, edges[label].probability = label, None
    quality.team_by_name("Moderators").accuracy = Accuracy(0.9, 0.8)
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(quality.node_by_name("Human review").id)
    pick(qtbot, panel, panel.form.branches.decision_combo(1), "")
    remove_share = 0.9 * (0.55 * 0.9 + 0.45 * 0.2)  # of the 90 % not escalated, removed by accuracy
    assert edges["remove"].probability == pytest.approx(remove_share, abs=1e-6)
    assert edges["keep"].probability == pytest.approx(0.9 - remove_share, abs=1e-6)
    stack.undo()
    assert (edges["keep"].decision, edges["keep"].probability) == ("keep", None)


def test_stage_accuracy_override_per_category_and_qa_sampling(qtbot, quality, stack):
    stage = quality.node_by_name("Human review")
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(stage.id)
    accuracy = panel.form.field("accuracy")
    click(qtbot, panel, accuracy.stated)
    assert stage.accuracy == Accuracy(0.95, 0.95)
    type_number(qtbot, accuracy.remove_violating, "88")
    assert stage.accuracy == Accuracy(pytest.approx(0.88), 0.95)
    table = panel.form.accuracy_by_category
    assert table.cell("hate", 1).text() == "95 %"
    type_cell(qtbot, table.table, table.cell("hate", 1), "70")
    assert stage.accuracy_by_category == {"hate": Accuracy(pytest.approx(0.88), pytest.approx(0.7))}
    type_number(qtbot, panel.form.field("qa_share"), "5")
    assert stage.qa_share == pytest.approx(0.05)
    qa_combo = panel.form.field("qa_stage")
    assert [qa_combo.itemText(i) for i in range(qa_combo.count())] == ["(no QA stage)", "QA"]
    pick(qtbot, panel, qa_combo, quality.node_by_name("QA").id)
    assert stage.qa_stage == quality.node_by_name("QA").id
    for _ in range(5):
        stack.undo()
    assert (stage.accuracy, stage.accuracy_by_category, stage.qa_share, stage.qa_stage) == (None, {}, 0.0, "")
    assert not accuracy.stated.isChecked()


# -- teams ---------------------------------------------------------------------------------------------------------
def make_teams_panel(qtbot, workflow, stack) -> TeamsPanel:
    widget = TeamsPanel(workflow, stack)
    qtbot.addWidget(widget)
    widget.resize(480, 1400)
    widget.show()
    return widget


def test_team_accuracy_overall_and_per_category(qtbot, quality, stack):
    team = quality.team_by_name("Moderators")
    panel = make_teams_panel(qtbot, quality, stack)
    accuracy = panel.form.field("accuracy")
    assert not accuracy.details.isVisible()
    click(qtbot, panel, accuracy.stated)
    assert team.accuracy == Accuracy(0.95, 0.95)
    type_number(qtbot, accuracy.remove_violating, "92")
    type_number(qtbot, accuracy.keep_benign, "97.5")
    assert team.accuracy == Accuracy(pytest.approx(0.92), pytest.approx(0.975))
    table = panel.form.accuracy_by_category
    assert table.categories() == ["hate", "spam"]
    assert (table.cell("hate", 0).text(), table.cell("hate", 1).text()) == ("92 %", "97.5 %")
    type_cell(qtbot, table.table, table.cell("hate", 0), "80")  # the other share is filled with the team's
    assert team.accuracy_by_category == {"hate": Accuracy(pytest.approx(0.8), pytest.approx(0.975))}
    type_cell(qtbot, table.table, table.cell("hate", 1), "")  # clearing a share clears the category's row
    assert team.accuracy_by_category == {}
    stack.undo()
    assert team.accuracy_by_category == {"hate": Accuracy(pytest.approx(0.8), pytest.approx(0.975))}
    for _ in range(4):
        stack.undo()
    assert (team.accuracy, team.accuracy_by_category) == (None, {})
    assert not accuracy.stated.isChecked()


def test_wellness_caps_per_category(qtbot, quality, stack):
    team = quality.team_by_name("Moderators")
    team.categories = ["hate"]
    panel = make_teams_panel(qtbot, quality, stack)
    caps = panel.form.wellness_caps
    assert caps.categories() == ["hate"]  # the team's own categories
    assert caps.cell("hate", 0).text() == "—"
    type_cell(qtbot, caps.table, caps.cell("hate", 0), "4")
    assert team.wellness_caps == {"hate": 4.0}
    type_cell(qtbot, caps.table, caps.cell("hate", 0), "25")
    assert "from 0 to 24" in panel.form.problem("wellness_caps")
    assert team.wellness_caps == {"hate": 4.0}
    stack.undo()
    assert team.wellness_caps == {}
    assert caps.cell("hate", 0).text() == "—"


# -- edges ---------------------------------------------------------------------------------------------------------
def test_an_edge_of_a_classifier_splits_every_band_and_shows_its_shares(qtbot, quality, stack):
    edge = branches(quality, "Model")["auto-action"]
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(edge.id)
    form = panel.form
    assert not form.rows.isRowVisible(form.field("by_truth").parentWidget())
    click(qtbot, panel, form.split)
    assert all(e.by_truth is not None for e in branches(quality, "Model").values())
    assert form.rows.isRowVisible(form.field("by_truth").parentWidget())
    assert not form.rows.isRowVisible(form.field("probability").parentWidget())
    type_number(qtbot, form.field("by_truth").violating, "62")
    assert edge.by_truth.violating == pytest.approx(0.62)
    assert "violating 62 % + 20 % + 50 % = 132 % — must be 100 %" in form.outgoing_sum.text()
    assert edge.describe() == "auto-action · V 62 % / B 30 %"
    pick(qtbot, panel, form.decision, "remove")
    assert edge.decision == "remove"
    for _ in range(3):
        stack.undo()
    assert (edge.by_truth, edge.probability, edge.decision) == (None, 0.3, "")


def test_an_edge_of_a_deciding_stage_reads_decided_by_reviewer_accuracy(qtbot, quality, stack):
    edges = branches(quality, "Human review")
    edges["remove"].decision = "remove"
    panel = make_panel(qtbot, quality, stack)
    panel.show_item(edges["keep"].id)
    form = panel.form
    assert not form.rows.isRowVisible(form.by_accuracy)
    pick(qtbot, panel, form.decision, "keep")
    assert (edges["keep"].decision, edges["keep"].probability, edges["remove"].probability) == ("keep", None, None)
    assert form.rows.isRowVisible(form.by_accuracy)
    assert not form.rows.isRowVisible(form.field("probability").parentWidget())
    assert stack.count() == 1
    stack.undo()
    assert (edges["keep"].decision, edges["keep"].probability, edges["remove"].probability) == ("", 0.5, 0.4)


def test_canvas_labels_show_shares_by_truth(qtbot, tmp_path):
    workflow = quality_workflow()
    for edge, (v, b) in zip(workflow.outgoing(workflow.node_by_name("Model").id), ((0.62, 0.03), (0.08, 0.57),
                                                                                  (0.3, 0.4)), strict=True):
        edge.by_truth, edge.probability = TruthSplit(v, b), None
    path = tmp_path / "quality.flow.json"
    write_workflow_json(workflow, path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    labels = {item.label_text() for item in window.view.canvas_scene.items() if isinstance(item, EdgeItem)}
    assert {"auto-action · V 62 % / B 3 %", "auto-close · V 8 % / B 57 %", "human review · V 30 % / B 40 %"} <= labels
    window.undo_stack.setClean()


def test_in_scenario_mode_a_band_edit_is_a_scenario_change_and_the_baseline_stays(qtbot, tmp_path):
    workflow = quality_workflow()
    for edge in workflow.outgoing(workflow.node_by_name("Model").id):
        edge.by_truth, edge.probability = TruthSplit(edge.probability, edge.probability), None
    path = tmp_path / "quality.flow.json"
    write_workflow_json(workflow, path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    workflow = window.document.workflow
    window.view.canvas_scene.select_ids([workflow.node_by_name("Model").id])
    scenario = window.scenarios.new_scenario()
    window.scenarios.mode_button.click()
    bands = window.properties.form.bands
    type_cell(qtbot, bands.table, bands.cell(0, "benign"), "5")
    auto_action = branches(workflow, "Model")["auto-action"]
    assert auto_action.by_truth == TruthSplit(0.3, 0.3)  # the baseline
    changes = workflow.scenarios[scenario.id].changes
    assert [(c.target, c.path, c.value) for c in changes] == [(auto_action.id, "by_truth.benign", pytest.approx(0.05))]
    assert bands.cell(0, "benign").text() == "5 %"
    with qtbot.waitSignal(window.undo_stack.refused) as refused:
        click(qtbot, window.properties, bands.split)  # switching a split by truth off changes the structure
    assert "leave scenario mode" in refused.args[0]
    assert bands.split.isChecked()
    assert [(c.target, c.path) for c in workflow.scenarios[scenario.id].changes] == [(auto_action.id,
                                                                                       "by_truth.benign")]
    assert auto_action.by_truth == TruthSplit(0.3, 0.3)
    window.undo_stack.undo()
    assert workflow.scenarios[scenario.id].changes == []
    window.undo_stack.setClean()
