"""Regenerate the sample report under docs/ from the bundled hate-speech example (``make sample-report``).

Usage: ``python -m ui.report.sample [FOLDER]`` (default ``docs``) writes ``sample_report.pdf`` and
``sample_report_page1.png``. The run: the example's baseline, its scenario "Hate-speech definition widens",
and one remedy added here (the same policy change with 8 more policy specialists on every shift; the example
file itself is not changed) — 7 simulated days, 5 replications, seed 1, so the figures are the same on every
run (only the export date changes).
"""

from __future__ import annotations

import copy
import dataclasses
import sys
from pathlib import Path

from flowmodel.jsonfile import read_workflow_json
from flowmodel.scenarios import Change, Scenario
from flowmodel.workflow import Workflow
from reports.comparison import build_comparison
from reports.files import write_file
from simulations.executors import make_executor
from simulations.runner import run_scenarios
from ui.report.pdf import export_pdf, report_page_png

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hate_speech_policy_change.flow.json"
POLICY = "Hate-speech definition widens"
EXTRA_SPECIALISTS = 8


def sample_workflow() -> tuple[Workflow, list[str | None]]:
    """The example plus the remedy scenario, and the scenario ids to run (baseline first)."""
    workflow = read_workflow_json(EXAMPLE)
    policy = workflow.scenario_by_name(POLICY)
    specialists = workflow.team_by_name("Policy specialists – Los Angeles")
    remedy = Scenario(name=f"Widens + {EXTRA_SPECIALISTS} specialists per shift", id="sample-remedy",
                      description=f"The same policy change, with {EXTRA_SPECIALISTS} more policy specialists "
                                  "rostered on every shift, every day.",
                      changes=copy.deepcopy(policy.changes) + [
                          Change(specialists.id, f"shifts.{shift.name}.headcount", "add", EXTRA_SPECIALISTS,
                                 note="hire or move reviewers")
                          for shift in specialists.shifts])
    workflow.put_scenario(remedy)
    return workflow, [None, policy.id, remedy.id]


def main(folder: Path) -> None:
    workflow, scenario_ids = sample_workflow()
    settings = dataclasses.replace(workflow.run_settings, horizon_hours=7 * 24.0, replications=5, seed=1)
    run = run_scenarios(workflow, scenario_ids, settings, executor=make_executor(jobs=2))
    comparison = build_comparison(run, workflow)
    pdf = export_pdf(comparison, folder / "sample_report.pdf", workflow)
    png = write_file(folder / "sample_report_page1.png", report_page_png(comparison, workflow, page=1, dpi=100))
    print(f"wrote {pdf} and {png}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs"))
