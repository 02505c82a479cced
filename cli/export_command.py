"""``export``: write part of a workflow out in the layout the planner's spreadsheets use.

Rules:
- ``flowmodel export roster WORKFLOW --out FILE`` writes every team's shifts, one row per team × shift (team,
  shift, start, hours, Monday … Sunday headcounts), as XLSX for a ``.xlsx`` name and CSV otherwise, at once or not
  at all. ``flowmodel import roster FILE WORKFLOW`` reads it back to the same shifts.
- A team without shifts is named on stderr (it has no row to write).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.app import EXIT_OK
from cli.run_options import pick_workflow
from flowmodel.documents import load_workflows
from flowmodel.imports.rosters import workflow_roster, write_roster


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="write a workflow's roster as a spreadsheet",
                                   description=__doc__.split("\n\n")[0])
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    roster = kinds.add_parser("roster", help="every team's shifts and headcounts by weekday (CSV or XLSX)")
    roster.add_argument("path", help="the .flow.json or .flowdb")
    roster.add_argument("--workflow", help="the workflow (name or id) in a workspace of several")
    roster.add_argument("--out", required=True, help="the .csv or .xlsx file to write")
    roster.set_defaults(handler=_roster)


def _roster(args: argparse.Namespace) -> int:
    workflow = pick_workflow(load_workflows(args.path), args.workflow, args.path)
    out = Path(args.out)
    left_out = write_roster(out, workflow_roster(workflow))
    for team in left_out:
        print(f"Note: team {team!r} has no shifts, so it has no row", file=sys.stderr)
    print(f"Wrote {out}: {len(workflow.teams) - len(left_out)} team(s)")
    return EXIT_OK
