"""Watching a run: while replications finish, the results view and the canvas overlay show the run so far,
under a "Running — k of n" heading; the finished run then replaces it."""

from __future__ import annotations

from run_helpers import RUN_TIMEOUT_MS, short_settings, start_run

import simulations.runner as runner_module


def test_the_run_so_far_shows_in_the_results_and_on_the_canvas(window, qtbot, monkeypatch):
    monkeypatch.setattr(runner_module, "PARTIAL_EVERY_S", 0.0)  # every finished replication, for the test
    live = []
    window.runs.partial.connect(live.append)
    headings: list[str] = []
    original = window.results.show_live

    def watched(run, done, total):
        original(run, done, total)
        headings.append(window.results.heading.text())
        overlays.append((window.overlay.colour_by, dict(window.overlay.results)))

    overlays: list[tuple[str, dict]] = []
    window.results.show_live = watched
    start_run(window, qtbot, short_settings(replications=4, horizon_hours=96.0))
    qtbot.waitUntil(lambda: not window.runs.running and window.results.entry is not None, timeout=RUN_TIMEOUT_MS)
    assert 1 <= len(live) <= 3 and all(len(p.replications) < 4 for p in live)
    assert [len(p.replications) for p in live] == sorted(len(p.replications) for p in live)
    assert headings and headings[0].startswith("<b>Running</b> — the figures so far, from the ")
    assert "finished of 4 (4 per scenario × 1)" in headings[0]
    colour, figures = overlays[0]
    assert colour == "backlog" and figures  # the canvas shows each stage's backlog so far
    # the finished run replaced the partial one
    assert len(window.results.run.replications) == 4 and "Running" not in window.results.heading.text()
