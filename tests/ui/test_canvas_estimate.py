"""The estimate pill under a review stage follows roster edits made in the teams panel (real widgets)."""

from __future__ import annotations

from ui.canvas.overlay import OVERLOADED


def test_the_badge_shows_the_unstaffed_hours_and_backlog_after_a_shift_is_shortened(qtbot, window):
    """Tiny triage: 60 reports/h × 5 min = 5 erlangs on 8 reviewers around the clock. Cutting the shift to
    00:00–16:00 leaves 16:00–24:00 with work and nobody: 8 h × 5 = 40 reviewer-hours (480 items) wait for
    midnight and clear at 8 − 5 = 3 reviewer-hours an hour by about 13:20."""
    workflow = window.document.workflow
    tier1 = workflow.node_by_name("Tier 1")
    qtbot.waitUntil(lambda: window.overlay.figure(tier1.id) is not None, timeout=3000)
    before = window.overlay.figure(tier1.id)
    assert before.text == "est. peak 62% Mon 00:00 · wait 0.3 min"

    window.teams.select_team(workflow.team_by_name("Generalists").id)
    roster = window.teams.form.field("shifts")
    roster.table.item(0, 2).setText("16")  # the "Hours" cell of the only shift
    assert workflow.team_by_name("Generalists").shifts[0].hours == 16.0

    qtbot.waitUntil(lambda: "unstaffed" in window.overlay.figure(tier1.id).text, timeout=3000)
    after = window.overlay.figure(tier1.id)
    assert after.text == "est. peak 62% Mon 00:00 · backlog ~480 · 16:00–00:00 unstaffed"
    assert after.colour == OVERLOADED
    assert after.lines == ("est. peak 62% Mon 00:00", "backlog ~480 · 16:00–00:00 unstaffed")

    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.overlay.figure(tier1.id).text == before.text, timeout=3000)
