"""``compare``: run (or reuse) a comparison of a workflow's scenarios and export it as XLSX, CSV, zip, JSON or PDF.

Rules:
- ``--out FILE`` (repeatable): the suffix picks the format — ``.xlsx`` workbook, ``.csv`` one tidy CSV of the
  per-replication scalars, ``.zip`` one CSV per table, ``.json`` the comparison document, ``.pdf`` the report.
  Every suffix and target folder is checked before anything runs; files are written atomically.
- ``--scenarios A,B,…`` names scenarios (by name or id) to compare with the baseline, which always comes
  first and is the reference; naming "Baseline" is allowed. Unknown names are listed with the known ones.
- Without ``--run`` the scenarios are simulated (settings not given come from the workflow's saved run
  settings; progress on stderr) and, for a ``.flowdb`` workspace, the run is stored in it. ``--run ID``
  reuses a stored run of that workflow instead (optionally only some of its scenarios); settings flags are
  refused with it, because they could not apply.
- The model is validated first: errors exit 1 and nothing runs; warnings are printed and the run goes ahead.
- A run with launch results prints its launch block (:mod:`cli.launch_summary`) before the files are written;
  every export carries the launch figures (the workbook's Launch sheet, the PDF's launch page, launch.csv).
  A run with decision-quality results prints its quality block (:mod:`cli.quality_summary`) likewise, and every
  export carries those figures (the Decision quality sheet and PDF page, quality.csv, the JSON's ``quality``).
- ``--staffing-plan FILE.json`` (a plan the ``staff`` command wrote) adds its staffing table to every export;
  it is read before anything runs.
- A PDF needs Qt: a QApplication is created offscreen for it, and only for it.
- Exit codes as in :mod:`cli.app`: 1 invalid model, 2 bad arguments or unreadable input, 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.app import EXIT_INTERRUPTED, EXIT_OK
from cli.launch_summary import launch_block
from cli.quality_summary import quality_block
from cli.run_options import (
    SETTING_NAMES,
    add_run_options,
    check_run,
    fail,
    overrides,
    pick_workflow,
    run_settings,
    simulate_with_progress,
    stopped_failure,
)
from flowmodel.documents import document_kind, load_workflows
from flowmodel.errors import FlowmodelError
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from reports.comparison import Comparison, build_comparison, restrict_run
from reports.data_export import export_data
from reports.files import check_target
from reports.staffing_export import load_staffing_table
from reports.xlsx_export import export_xlsx
from simulations.persist import load_run_from_workspace, store_run
from simulations.runner import BASELINE_ID, BASELINE_NAME, RunResult

OUT_SUFFIXES = (".xlsx", ".csv", ".zip", ".json", ".pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare", help="compare scenarios with the baseline and export XLSX, CSV, zip, JSON or a PDF report",
        description="Simulate a workflow's baseline and scenarios (or reuse a stored run) and export the "
                    "comparison. The suffix of --out picks the format: .xlsx, .csv (one tidy CSV of the "
                    "per-replication figures), .zip (one CSV per table), .json or .pdf. Durations take a unit: "
                    "14d, 36h, 90m.")
    parser.add_argument("path", metavar="WORKSPACE", help="a .flowdb workspace (or a .flow.json workflow)")
    parser.add_argument("--workflow", metavar="NAME", help="which workflow of the workspace (name or id)")
    parser.add_argument("--scenarios", metavar="A,B,...", default="",
                        help="scenarios to compare with the baseline, by name or id, comma-separated")
    parser.add_argument("--out", metavar="FILE", action="append", required=True,
                        help="where to export (repeat for several formats)")
    parser.add_argument("--run", metavar="ID", help="reuse this stored run instead of simulating")
    add_run_options(parser)
    parser.add_argument("--label", default="", help="a label for the run stored in the workspace")
    parser.add_argument("--staffing-plan", metavar="FILE.json",
                        help="include a staffing plan written by 'staff --out FILE.json' in the exports")
    parser.set_defaults(handler=run_command)


def _outputs(values: list[str]) -> list[Path]:
    """The --out paths, each checked (suffix, folder) before anything runs."""
    outputs = []
    for value in values:
        path = Path(value)
        if path.suffix.lower() not in OUT_SUFFIXES:
            raise FlowmodelError(f"cannot export as {path.suffix or 'a file without a suffix'}", where=str(path),
                                 hint=f"end --out in one of {', '.join(OUT_SUFFIXES)}")
        outputs.append(check_target(path))
    return outputs


def scenario_ids(workflow: Workflow, listed: str) -> list[str | None]:
    """Baseline first, then the listed scenarios (by name or id); unknown names are all reported at once."""
    ids: list[str | None] = [None]
    unknown = []
    for name in (part.strip() for part in listed.split(",")):
        if not name or name.lower() in (BASELINE_ID, BASELINE_NAME.lower()):
            continue
        found = [s.id for s in workflow.scenarios.values() if name in (s.name, s.id)]
        if not found:
            unknown.append(repr(name))
        elif found[0] not in ids:
            ids.append(found[0])
    if unknown:
        known = ", ".join(repr(s.name) for s in workflow.scenarios.values()) or "none"
        raise FlowmodelError(f"unknown scenario(s) {', '.join(unknown)} in workflow {workflow.name!r}",
                             hint=f"its scenarios: {known} (and the baseline)")
    return ids


def _stored_run(workspace_path: str, run_id: str, workflow: Workflow,
                wanted: list[str | None]) -> tuple[RunResult, dict]:
    with Workspace.open(workspace_path) as workspace:
        rows = {row["id"]: row for row in workspace.list_runs(workflow.id)}
        if run_id not in rows:
            known = ", ".join(rows) or "none"
            raise FlowmodelError(f"workflow {workflow.name!r} has no stored run {run_id!r}", where=workspace_path,
                                 hint=f"its runs: {known}")
        run = load_run_from_workspace(workspace, run_id)
    if len(wanted) == 1:
        return run, rows[run_id]
    ids = [BASELINE_ID if i is None else i for i in wanted]
    missing = [workflow.scenarios[i].name for i in ids if i != BASELINE_ID and i not in run.scenario_names]
    if missing or run.baseline_id != BASELINE_ID:
        raise FlowmodelError(f"run {run_id!r} did not simulate {', '.join(missing) or 'the baseline'}",
                             where=workspace_path, hint="run the comparison again without --run")
    return restrict_run(run, ids), rows[run_id]


def _simulate(args: argparse.Namespace, workflow: Workflow, ids: list[str | None]) -> RunResult | int:
    """The run, or an exit code: invalid, refused by its estimate, failed, or cut short by the backlog guard (a
    comparison of replications stopped at different moments compares nothing, so it is not exported)."""
    settings = run_settings(workflow, args)
    stop = check_run(workflow, settings, args)
    if stop is not None:
        return stop
    run = simulate_with_progress(workflow, ids, settings, args)
    if isinstance(run, int):
        return run
    stopped = stopped_failure(run, "nothing was stored or exported")
    return stopped if stopped is not None else run


def export(comparison: Comparison, path: Path, workflow: Workflow | None) -> Path:
    """Write ``comparison`` to ``path`` in the format its suffix names."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return export_xlsx(comparison, path)
    if suffix == ".pdf":
        from ui.report.pdf import export_pdf

        return export_pdf(comparison, path, workflow)
    return export_data(comparison, path)


def run_command(args: argparse.Namespace) -> int:
    outputs = _outputs(args.out)
    staffing = load_staffing_table(args.staffing_plan) if args.staffing_plan else None
    is_workspace = document_kind(Path(args.path)) == "workspace"
    if args.run is not None:
        given = [SETTING_NAMES[name][0] for name in overrides(args)]
        if given:
            return fail(f"{', '.join(given)} cannot apply to a stored run (--run); leave them out, or run anew "
                         "without --run")
        if not is_workspace:
            return fail("--run needs a .flowdb workspace: runs are stored there")
    workflow = pick_workflow(load_workflows(args.path), args.workflow, args.path)
    ids = scenario_ids(workflow, args.scenarios)
    try:
        if args.run is not None:
            run, row = _stored_run(args.path, args.run, workflow, ids)
            run_id, created, fingerprint = args.run, str(row["created_at"]), str(row["workflow_fingerprint"])
        else:
            result = _simulate(args, workflow, ids)
            if isinstance(result, int):
                return result
            run, run_id, created, fingerprint = result, "", "", ""
            if is_workspace:
                stored = store_run(Path(args.path), workflow, run, label=args.label)
                run_id = stored.run_id
                with Workspace.open(args.path) as workspace:
                    row = workspace.get_run(run_id)
                created, fingerprint = str(row["created_at"]), str(row["workflow_fingerprint"])
                print(f"Stored as run {run_id} in {args.path}")
                for note in stored.notes():
                    print(f"Note: {note}")
        comparison = build_comparison(run, workflow, run_id=run_id, run_created=created, fingerprint=fingerprint,
                                      staffing=staffing)
        launch = launch_block(run)
        if launch:
            print(launch.lstrip("\n"))
        quality = quality_block(run)
        if quality:
            print(quality.lstrip("\n"))
        for path in outputs:
            print(f"Wrote {export(comparison, path, workflow)}")
    except KeyboardInterrupt:
        return fail("cancelled; nothing more was stored or written", EXIT_INTERRUPTED)
    return EXIT_OK
