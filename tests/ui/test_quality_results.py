"""The results view of a decision-quality run: a Decision quality tab with the per-category and per-stage tables
(mean ± 95 % CI of the run's own figures), wellness when recorded, the errors and exposure charts, quality rows
first in the comparison; a run without quality results has no such tab."""

from __future__ import annotations

import dataclasses

import pytest
from results_helpers import results_view

from reports.quality import cell_text, figure_of, quality_figures
from simulations.executors import SerialExecutor
from simulations.runner import BASELINE_ID, RunResult, run_scenarios
from tests.conftest import make_triage_workflow
from tests.quality_fixtures import V2, V2_ID, quality_run, quality_workflow, with_wellness

TAB = "Decision quality"


@pytest.fixture(scope="module")
def quality() -> tuple:
    workflow = quality_workflow()
    return workflow, quality_run(workflow)


def _tab_index(view) -> int:
    return next(i for i in range(view.tabs.count()) if view.tabs.tabText(i) == TAB)


def _open(qtbot, workflow, run: RunResult):
    view = results_view(qtbot, workflow, run)
    view.resize(1280, 800)
    view.tabs.setCurrentIndex(_tab_index(view))
    return view


def _expected(run: RunResult, kind: str, scope: str, metric: str, position: int) -> str:
    figure = figure_of(quality_figures(run), kind, scope, metric)
    return cell_text(figure.summaries[position], figure.unit)


def test_the_tab_shows_the_per_category_table_of_the_picked_scenario(qtbot, quality):
    workflow, run = quality
    view = _open(qtbot, workflow, run)
    panel = view.quality
    assert view.tabs.isTabVisible(_tab_index(view)) and panel.isVisible()
    table = panel.category_table
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert heads == ["All categories", "spam", "hate"]
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    assert rows[:3] == ["Correct removals", "Wrongful removals", "Missed violations"]
    assert {"Precision (%)", "Overturn rate (%)", "Exposure (item-hours)", "Views of violating items (views)"} <= \
        set(rows)
    texts = table.texts()
    assert texts[("Wrongful removals", "All categories")] == _expected(run, "quality", "quality",
                                                                      "wrongful_removals_count", 0)
    assert texts[("Precision (%)", "hate")] == _expected(run, "quality", "hate", "precision_share", 0)
    assert " ± " in texts[("Exposure (item-hours)", "spam")]
    item = table.item(rows.index("Wrongful removals"), 0)
    assert "95 % CI" in item.toolTip() and "n = 3" in item.toolTip()


def test_picking_a_scenario_shows_its_figures(qtbot, quality):
    workflow, run = quality
    view = _open(qtbot, workflow, run)
    panel = view.quality
    panel.scenario_picker.setCurrentIndex(panel.scenario_picker.findData(V2_ID))
    assert panel.category_table.texts()[("Wrongful removals", "All categories")] == _expected(
        run, "quality", "quality", "wrongful_removals_count", 1)
    for scenario_id in (V2_ID, BASELINE_ID):  # the Results tab's pick moves the tab's
        view.scenario_picker.setCurrentIndex(view.scenario_picker.findData(scenario_id))
        assert panel.scenario_id == scenario_id
    assert panel.category_table.texts()[("Wrongful removals", "All categories")] == _expected(
        run, "quality", "quality", "wrongful_removals_count", 0)


def test_the_stage_table_has_qa_figures_only_where_the_stage_samples(qtbot, quality):
    workflow, run = quality
    view = _open(qtbot, workflow, run)
    table = view.quality.stage_table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == ["Review", "Appeal review"]
    texts = table.texts()
    assert texts[("QA reviews", "Review")] == _expected(run, "decision", "Review", "qa_reviews_count", 0)
    assert texts[("QA reviews", "Appeal review")] == "—"
    assert texts[("Appeals", "Appeal review")] == _expected(run, "decision", "Appeal review", "appeals_count", 0)
    assert not view.quality.wellness_table.isVisible() and not view.quality.wellness_heading.isVisible()


def test_wellness_is_shown_when_the_run_recorded_it(qtbot, quality):
    workflow, run = quality
    view = _open(qtbot, workflow, with_wellness(run))
    table = view.quality.wellness_table
    assert table.isVisible()
    assert [table.verticalHeaderItem(r).text() for r in range(table.rowCount())] == ["Reviewers · hate",
                                                                                    "Reviewers · spam"]
    texts = table.texts()
    # 4, 5, 6 h: mean 5, sd 1, half-width t(0.975, 2) · 1 / √3 = 2.48; 0, 10, 20 % capped: 10 ± 24.8
    assert texts[("Reviewers · hate", "Hours a day, max (h)")] == "5 ± 2.48"
    assert texts[("Reviewers · spam", "Reviewer-days at the cap (%)")] == "10 ± 24.8"


def test_the_charts_compare_every_scenario(qtbot, quality):
    workflow, run = quality
    view = _open(qtbot, workflow, run)
    charts = view.quality.charts
    charts.wait()
    assert [v.spec.key for v in charts.views] == ["quality_errors", "quality_exposure"]
    errors, exposure = charts.figure_.axes
    assert errors.get_title(loc="left") == "Decision errors, all categories (95 % CI)"
    assert [t.get_text() for t in errors.get_xticklabels()] == ["wrongful removals", "missed violations", "overturns"]
    assert [t.get_text() for t in exposure.get_xticklabels()] == ["spam", "hate"]
    heights = [round(p.get_height(), 6) for p in errors.patches]
    wrongful = figure_of(quality_figures(run), "quality", "quality", "wrongful_removals_count")
    assert heights[0] == round(wrongful.summaries[0].mean, 6) and heights[3] == round(wrongful.summaries[1].mean, 6)
    labels = [t.get_text() for t in errors.figure.legends[0].get_texts()]
    assert labels == ["Baseline", V2]


def test_the_comparison_lists_the_quality_rows_first(qtbot, quality):
    workflow, run = quality
    view = _open(qtbot, workflow, run)
    view.tabs.setCurrentIndex(1)
    table = view.comparison.table
    assert table.deltas[0].scope_kind == "quality"
    assert [table.widget.item(0, c).text() for c in (0, 1, 2)] == [V2, "All categories", "wrongful removals"]
    delta = next(d for d in run.deltas if (d.scenario_id, d.scope_id, d.metric) == (V2_ID, "quality",
                                                                                    "wrongful_removals_count"))
    assert table.deltas[0].delta_mean == pytest.approx(delta.delta_mean)
    kinds = [d.scope_kind for d in table.deltas]
    assert kinds.index("system") > max(i for i, k in enumerate(kinds) if k in ("quality", "decision"))
    view.comparison.chart.wait()
    assert [v.spec.key for v in view.comparison.chart.views][-2:] == ["quality_errors", "quality_exposure"]


def test_a_run_without_quality_has_no_quality_tab(qtbot):
    workflow = make_triage_workflow()
    settings = dataclasses.replace(workflow.run_settings, horizon_hours=6.0, warmup_hours=1.0, replications=2)
    view = results_view(qtbot, workflow, run_scenarios(workflow, [None], settings, executor=SerialExecutor()))
    assert not view.tabs.isTabVisible(_tab_index(view))
    assert not view.quality.has_results
