"""Results charts at any pane size: no overlapping text at small and large sizes, a minimum size with
scrolling, a new render after a resize, rendering on a background thread, and the headline in words."""

from __future__ import annotations

import threading

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from results_helpers import results_view, three_scenario_run

from reports import run_charts
from ui.results.chart_sets import sla_height
from ui.results.figures import MINIMUM_CHART


@pytest.fixture
def run(triage):
    return three_scenario_run(triage)


@pytest.fixture
def view(qtbot, triage, run):
    return results_view(qtbot, triage, run)


def _texts(figure: Figure) -> list:
    """Every visible, non-empty text of the figure: titles, axis labels, tick labels, legend entries."""
    renderer = figure.canvas.get_renderer() if hasattr(figure.canvas, "get_renderer") else None
    if renderer is None:
        renderer = FigureCanvasAgg(figure).get_renderer()
    out = []
    for ax in figure.axes:
        items = [ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label]
        items += _drawn_tick_labels(ax.xaxis) + _drawn_tick_labels(ax.yaxis)
        out += [(t, t.get_window_extent(renderer)) for t in items if t.get_visible() and t.get_text()]
    for legend in figure.legends:
        out += [(t, t.get_window_extent(renderer)) for t in legend.get_texts()]
    return out


def _drawn_tick_labels(axis) -> list:
    """The major tick labels matplotlib draws: those of ticks inside the view (the locator may give more)."""
    low, high = sorted(axis.get_view_interval())
    span = (high - low) * 1e-6
    return [tick.label1 for tick in axis.get_major_ticks() if low - span <= tick.get_loc() <= high + span]


def _overlaps(figure: Figure) -> list[tuple[str, str]]:
    texts = _texts(figure)
    clashes = []
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1:]:
            if box_a.overlaps(box_b) and box_a.width > 0 and box_b.width > 0:
                clashes.append((a.get_text(), b.get_text()))
    return clashes


def _inside(figure: Figure) -> bool:
    """Every text lies within the figure (nothing cut at an edge)."""
    width, height = figure.bbox.width, figure.bbox.height
    return all(box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1
               for _, box in _texts(figure))


@pytest.mark.parametrize("size", [(500, 300), (1400, 800)])
def test_charts_keep_a_readable_size_and_no_text_overlaps(view, qtbot, size):
    view.resize(*size)
    qtbot.wait(300)
    view.charts.wait()
    assert len(view.charts.views) == 4
    for chart in view.charts.views:
        assert chart.width() >= MINIMUM_CHART.width() and chart.height() >= MINIMUM_CHART.height()
        figure = chart.figure
        assert figure is not None
        assert abs(figure.bbox.width - chart.width() * chart.devicePixelRatioF()) <= 2  # rendered at its size
        assert _overlaps(figure) == [], chart.spec.key
        assert _inside(figure), chart.spec.key
    if size == (500, 300):
        assert view.charts.verticalScrollBar().maximum() > 0  # smaller than the charts: the pane scrolls
        assert view.charts.columns == 1


def test_wide_pane_puts_two_charts_per_row(view, qtbot):
    view.resize(2200, 900)
    qtbot.wait(300)
    assert view.charts.columns == 2
    first, second = view.charts.views[:2]
    assert first.y() == second.y() and first.x() < second.x()


def test_a_resize_renders_the_charts_again_at_the_new_size(view, qtbot):
    view.resize(1400, 800)
    qtbot.wait(300)
    view.charts.wait()
    chart = view.charts.views[0]
    count, width = chart.render_count, chart.figure.bbox.width
    view.resize(1800, 900)
    qtbot.waitUntil(lambda: chart.render_count > count, timeout=5000)
    chart.wait()
    assert chart.figure.bbox.width != width
    assert abs(chart.figure.bbox.width - chart.width() * chart.devicePixelRatioF()) <= 2


def test_figures_are_built_on_a_background_thread(view, qtbot):
    view.charts.wait()
    threads = {chart.last_thread_id for chart in view.charts.views}
    assert threads and 0 not in threads
    assert threading.get_ident() not in threads
    assert all(not chart.pixmap.isNull() for chart in view.charts.views)


def test_percent_axis_runs_0_to_100_with_few_ticks(run):
    figure = Figure(figsize=(4.4, 2.9), layout="constrained")
    ax = figure.subplots()
    run_charts.utilisation_over_time(ax, run, "baseline")
    FigureCanvasAgg(figure).draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels == ["0 %", "25 %", "50 %", "75 %", "100 %"]


def test_sla_chart_grows_with_the_scenarios_it_compares(run):
    assert sla_height(run, 3) >= sla_height(run, 1) >= MINIMUM_CHART.height()


def test_the_headline_says_each_scenarios_change_in_words(view, run):
    text = view.headline.text()
    assert view.headline.isVisibleTo(view)
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Faster review (against Baseline): ")
    assert lines[1].startswith("Slower review (against Baseline): ")
    assert "backlog at end" in lines[1] and "→" in lines[1] and "time to decision" in lines[1]


def test_comparison_charts_also_render_in_the_background(view, qtbot):
    view.tabs.setCurrentWidget(view.comparison)
    view.resize(900, 600)
    qtbot.wait(300)
    view.comparison.chart.wait()
    charts = view.comparison.chart.views
    assert [c.spec.key for c in charts] == ["total_backlog", "sla", "team_utilisation"]
    assert all(c.figure is not None and _overlaps(c.figure) == [] for c in charts)
    assert threading.get_ident() not in {c.last_thread_id for c in charts}
