"""Can a planner read the canvas? Every bundled example, auto-laid out and zoomed to fit on a 1600×1000
window: no card text cut, card text at least MIN_POINTS on screen, no estimate badge over another card;
and a badge on a stage no work reaches, or no team works, says so instead of showing a number."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from flowmodel import ReviewStage
from ui.canvas import style
from ui.canvas.card_text import Wrapped, wrap
from ui.canvas.node_item import KEY_FONT, NAME_FONT, TEXT_WIDTH
from ui.canvas.node_summary import key_lines, tooltip_lines
from ui.canvas.overlay import OVERLOADED, PILL_SPACE, stage_figures
from ui.commands import AddNodeCommand, SetFieldCommand
from ui.main_window import EXAMPLES_FOLDER

EXAMPLES = sorted(p.name for p in EXAMPLES_FOLDER.glob("*.flow.json"))
# The key text's size on screen at zoom-to-fit (points × view scale): about 8.5 px, the smallest a planner
# reads without leaning in. The eight-column example would fit only below that; it is shown from its sources.
MIN_POINTS = 6.4
MIN_NAME_POINTS = 7.0


@pytest.fixture(params=EXAMPLES)
def fitted(request, qtbot, window):
    """The main window at 1600×1000 on one example, auto-laid out, in the view it opens with, estimates drawn."""
    window.resize(1600, 1000)
    assert window.open_example(EXAMPLES_FOLDER / request.param)
    qtbot.wait(20)
    window.auto_layout()
    window.view.opening_view()
    scene = window.view.canvas_scene
    stages = [n for n, item in scene.node_items.items() if item.kind == "review_stage"]
    qtbot.waitUntil(lambda: all(window.overlay.figure(s) is not None for s in stages), timeout=5000)
    return window


def test_the_examples_are_all_checked():
    assert len(EXAMPLES) >= 4


def test_no_card_text_is_cut_after_auto_layout(fitted):
    for item in fitted.view.canvas_scene.node_items.values():
        assert not item.elided, f"{item._name!r} has shortened text"
        names, keys = item.text_rows()
        assert names and "".join(names).replace(" ", "") == item._name.replace(" ", "")
        for rows, font in ((names, NAME_FONT), (keys, KEY_FONT)):
            metrics = QFontMetricsF(font)
            for row in rows:
                assert metrics.horizontalAdvance(row) <= TEXT_WIDTH, f"{row!r} is wider than its card"
                assert "…" not in row


def test_card_text_is_readable_at_zoom_to_fit(fitted):
    scale = fitted.view.transform().m11()
    assert style.KEY_POINTS * scale >= MIN_POINTS, f"key text at {style.KEY_POINTS * scale:.1f} pt on screen"
    assert style.NAME_POINTS * scale >= MIN_NAME_POINTS


def test_zoom_to_fit_frames_every_card_however_small(fitted, qtbot):
    view = fitted.view
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.mapRectToScene(item.card_rect()))
               for item in view.canvas_scene.node_items.values())


def test_the_opening_view_shows_every_card_or_starts_at_the_sources(fitted):
    view = fitted.view
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    cards = [item.mapRectToScene(item.card_rect()) for item in view.canvas_scene.node_items.values()]
    if all(visible.contains(card) for card in cards):
        return
    assert view.transform().m11() == pytest.approx(style.LEGIBLE_SCALE)
    sources = [item.mapRectToScene(item.card_rect()) for item in view.canvas_scene.node_items.values()
               if item.kind == "source"]
    assert sources and all(visible.contains(card) for card in sources)


def test_no_badge_lies_over_another_card(fitted):
    scene = fitted.view.canvas_scene
    cards = {n: item.mapRectToScene(item.card_rect()) for n, item in scene.node_items.items()}
    badges = 0
    for node_id, item in scene.node_items.items():
        badge = fitted.overlay.badge(item)
        if badge is None:
            continue
        badges += 1
        rows = badge[1]
        words = re.compile(r"[ ·]+")
        assert words.sub(" ", " ".join(rows)) == words.sub(" ", fitted.overlay.figure(node_id).text), "badge cut"
        rect = item.mapRectToScene(badge[0])
        assert rect.top() >= cards[node_id].bottom() and rect.bottom() <= cards[node_id].bottom() + PILL_SPACE
        for other, card in cards.items():
            if other != node_id:
                covered = scene.node_items[other]._name
                assert not rect.intersects(card), f"the badge of {item._name!r} covers {covered!r}"
    with_truth = bool(fitted.overlay.truth_flows)  # decision quality: outcomes show where decisions end up
    assert badges == sum(1 for item in scene.node_items.values()
                         if item.kind == "review_stage" or (with_truth and item.kind == "outcome"))


def test_badge_space_keeps_a_gap_before_the_next_row():
    assert PILL_SPACE + 12 <= style.ROW_SPACING


def _figure_text(qtbot, window, node_id: str, until) -> str:
    qtbot.waitUntil(lambda: window.overlay.figure(node_id) is not None and until(window.overlay.figure(node_id).text),
                    timeout=3000)
    return window.overlay.figure(node_id).text


def test_a_badge_on_an_unconnected_stage_says_that_no_work_arrives(qtbot, window):
    window.undo_stack.push(AddNodeCommand(window.document.workflow, ReviewStage(id="lone", name="Lonely stage")))
    text = _figure_text(qtbot, window, "lone", lambda t: True)
    assert text == "no work arrives · no team works this stage"
    assert "inf" not in text and "0% busy" not in text and "0 % busy" not in text
    workflow = window.document.workflow
    team = workflow.team_by_name("Generalists")
    window.undo_stack.push(SetFieldCommand(workflow, team.id, "stages", [*team.stages, "lone"]))
    assert _figure_text(qtbot, window, "lone", lambda t: "no team" not in t) == "no work arrives"


def test_a_badge_on_a_stage_no_team_works_says_so_and_how_fast_work_piles_up(qtbot, window):
    workflow = window.document.workflow
    tier1 = workflow.node_by_name("Tier 1")
    team = workflow.team_by_name("Generalists")
    window.undo_stack.push(SetFieldCommand(workflow, team.id, "stages", [s for s in team.stages if s != tier1.id]))
    text = _figure_text(qtbot, window, tier1.id, lambda t: "no team" in t)
    assert text.startswith("no team works this stage: backlog grows by ~")
    assert "inf" not in text and "%" not in text
    assert "no team assigned" in key_lines(workflow, tier1)


def test_an_overloaded_stage_says_its_backlog_grows(qtbot, window):
    workflow = window.document.workflow
    tier1 = workflow.node_by_name("Tier 1")
    window.undo_stack.push(SetFieldCommand(workflow, tier1.id, "handle_time.mean", 50.0))
    text = _figure_text(qtbot, window, tier1.id, lambda t: "overloaded" in t)
    assert text.startswith("est. overloaded: backlog grows by ~") and "of reviewers" in text
    assert "inf" not in text


def test_a_card_names_its_first_team_and_counts_the_rest_in_words(window):
    assert window.open_example(EXAMPLES_FOLDER / "follow_the_sun_multilingual.flow.json")
    workflow = window.document.workflow
    stage = workflow.node_by_name("EN review")
    teams = workflow.teams_for_stage(stage.id)
    assert len(teams) == 3
    lines = key_lines(workflow, stage)
    assert f"{teams[0].name} + 2 more teams" in lines
    assert not any("(+" in line or "mix of" in line for line in lines)
    detail = "\n".join(tooltip_lines(workflow, stage))
    assert all(team.name in detail for team in teams)
    assert detail in window.view.canvas_scene.node_items[stage.id].toolTip()
    assert "SLA P2: 90% ≤ 24 h" in detail
    source = workflow.node_by_name("Americas reports")
    assert key_lines(workflow, source)[-1] == "1 category · 3 languages"


def test_card_text_wraps_where_its_parts_meet_and_says_when_it_had_to_cut(qtbot):
    metrics = QFontMetricsF(KEY_FONT)
    width = metrics.horizontalAdvance("teams: Singapore EN/ZH") + 1
    assert wrap("teams: Singapore EN/ZH + 2 more teams", metrics, width, 3).rows == (
        "teams: Singapore EN/ZH", "+ 2 more teams")
    assert wrap("team: Specialists – New York", metrics, width, 3).rows == ("team: Specialists", "– New York")
    assert wrap("SLA P1: 90% ≤ 4 h in queue", metrics, metrics.horizontalAdvance("SLA P1: 90% ≤ 4 h in q"),
                3).rows == ("SLA P1: 90% ≤ 4 h", "in queue")
    assert wrap("1 category · 2 languages", metrics, width, 3) == Wrapped(("1 category · 2 languages",), False)
    cut = wrap("word " * 40, metrics, width, 3)
    assert cut.elided and len(cut.rows) == 3 and cut.rows[-1].endswith("…")


def test_a_simulated_badge_breaks_into_two_lines_and_never_prints_inf(triage):
    tier1 = triage.node_by_name("Tier 1")
    team = triage.team_by_name("Generalists")

    def summary(kind: str, scope: str, metric: str, mean: float) -> SimpleNamespace:
        return SimpleNamespace(scenario_id="base", scope_kind=kind, scope_id=scope, metric=metric, mean=mean)

    run = SimpleNamespace(summaries=[summary("stage", tier1.id, "queue_length_mean", 12.34),
                                     summary("stage", tier1.id, "wait_mean_s", 90.0),
                                     summary("team", team.id, "utilisation_share", 0.81)])
    figure = stage_figures(run, "base", triage, "utilisation")[tier1.id]
    assert figure.text == "sim 81% busy · backlog 12.3 · wait 1.5 min"
    assert figure.lines == ("sim 81% busy", "backlog 12.3 · wait 1.5 min")
    run.summaries[0].mean, run.summaries[1].mean = float("inf"), float("inf")
    figure = stage_figures(run, "base", triage, "backlog")[tier1.id]
    assert figure.text == "sim 81% busy · backlog grows" and "inf" not in figure.text
    assert figure.colour == OVERLOADED
