"""``backtest``: simulate a past period on its actual volumes and compare the days with what really happened.

Rules:
- ``--volumes SOURCE=FILE`` (repeat per source; ``FILE`` alone when the workflow has one source) names each
  source's hourly history, read in the source's own time zone (:func:`flowmodel.imports.volumes.read_volumes`);
  ``--actuals FILE`` the daily figures (:func:`flowmodel.imports.actuals.read_actuals`). A source is named by
  its name or id.
- The baseline model runs (:func:`simulations.backtest.run_backtest`); nothing in the workflow file changes.
- stdout: the run, per compared figure the daily table (actual, simulated mean, 95 % band, inside or not) and
  the error figures (MAPE, mean bias, days inside the band); the notes of the reading and the run follow.
- ``--out FILE.xlsx|.csv|.pdf|.png`` writes the **Back-test** sheet, the daily rows or the chart page
  (:mod:`reports.backtest`); its suffix is checked before the run. ``--jobs N`` spreads replications over N processes.
- Exit codes as in :mod:`cli.app`: 2 for an unreadable file, a bad argument or a model that cannot run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import math
import multiprocessing
from pathlib import Path

from cli.app import EXIT_OK
from cli.progress import ProgressBar
from cli.run_options import fail, pick_workflow
from flowmodel.documents import load_workflows
from flowmodel.errors import FlowmodelError
from flowmodel.imports.actuals import read_actuals
from flowmodel.imports.history import VolumeHistory
from flowmodel.imports.volumes import read_volumes
from flowmodel.nodes import Source
from flowmodel.workflow import Workflow
from reports.backtest import EXPORT_SUFFIXES, export_backtest
from simulations.backtest import BacktestResult, run_backtest


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backtest", help="simulate a past period on its volumes and compare with the actual days",
        description="Back-test a workflow: its sources arrive as their hourly history says, and each day's "
                    "simulated decided, backlog and created figures are compared with the actuals file "
                    "(mean and 95 %% band over replications; MAPE, bias, days inside the band).")
    parser.add_argument("path", metavar="PATH", help="a .flow.json workflow or a .flowdb workspace")
    parser.add_argument("--workflow", metavar="NAME", help="which workflow of a workspace (name or id)")
    parser.add_argument("--volumes", metavar="SOURCE=FILE", action="append", required=True,
                        help="a source's hourly volume history, CSV or XLSX (repeat per source; FILE alone for a "
                             "workflow with one source)")
    parser.add_argument("--actuals", metavar="FILE", required=True, help="the daily actuals, CSV or XLSX")
    parser.add_argument("--sheet", metavar="NAME", help="the actuals' sheet in a workbook (default: the first)")
    parser.add_argument("--replications", type=int, default=20, metavar="N", help="replications (default 20)")
    parser.add_argument("--seed", type=int, default=1, metavar="N", help="base seed (default 1)")
    parser.add_argument("--lead-in-days", type=int, default=0, metavar="N",
                        help="simulate the first N whole days without comparing them (the run starts empty)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    parser.add_argument("--out", metavar="FILE", help="write the back-test as .xlsx (a sheet and charts), .csv "
                                                      "(the days), or .pdf/.png (the charts)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.out and Path(args.out).suffix.lower() not in EXPORT_SUFFIXES:
        return fail(f"--out {args.out}: a back-test is written as .xlsx, .csv, .pdf or .png")
    if args.jobs < 1:
        return fail(f"--jobs {args.jobs}: at least 1 process is needed")
    if args.lead_in_days < 0:
        return fail(f"--lead-in-days {args.lead_in_days}: 0 or more days")
    workflow = pick_workflow(load_workflows(args.path), args.workflow, args.path)
    histories = read_histories(workflow, args.volumes)
    actuals = read_actuals(args.actuals, sheet=args.sheet)
    bar = ProgressBar("Back-test", args.replications)
    try:
        if args.jobs > 1:
            context = multiprocessing.get_context("spawn")
            with concurrent.futures.ProcessPoolExecutor(args.jobs, mp_context=context) as pool:
                result = run_backtest(workflow, histories, actuals, args.replications, args.seed, pool,
                                      lead_in_days=args.lead_in_days,
                                      on_progress=lambda done, total: bar.update(done / total, done))
        else:
            result = run_backtest(workflow, histories, actuals, args.replications, args.seed,
                                  lead_in_days=args.lead_in_days,
                                  on_progress=lambda done, total: bar.update(done / total, done))
    finally:
        bar.close()
    print(summary(result))
    if args.out:
        written = export_backtest(result, args.out)
        print(f"\nwritten: {written}")
    return EXIT_OK


def read_histories(workflow: Workflow, given: list[str]) -> dict[str, VolumeHistory]:
    """Each ``SOURCE=FILE`` (or a lone ``FILE`` for a one-source workflow) read in its source's zone."""
    sources = [node for node in workflow.nodes.values() if isinstance(node, Source)]
    names = ", ".join(repr(s.name) for s in sources) or "none"
    out: dict[str, VolumeHistory] = {}
    for text in given:
        wanted, _, file = text.rpartition("=")
        if not wanted:
            if len(sources) != 1:
                raise FlowmodelError(f"--volumes {text}: the workflow has {len(sources)} sources; say which one",
                                     hint=f"write --volumes SOURCE=FILE with a source of {names}")
            source = sources[0]
        else:
            found = [s for s in sources if wanted in (s.name, s.id)]
            if not found:
                raise FlowmodelError(f"--volumes {text}: the workflow has no source {wanted!r}",
                                     hint=f"its sources: {names}")
            source = found[0]
        if source.id in out:
            raise FlowmodelError(f"--volumes {text}: source {source.name!r} is given twice",
                                 hint="give each source one volume file")
        out[source.id] = read_volumes(file, timezone=source.timezone)
    return out


def _value(value: float, digits: int = 0) -> str:
    return "—" if not math.isfinite(value) else f"{value:,.{digits}f}"


def summary(result: BacktestResult) -> str:
    """The daily tables and the error figures, as printed."""
    lines = [f"Back-test of {result.workflow_name}: {result.replications} replications, seed {result.seed}; "
             f"actuals {result.actuals_file}, volumes {', '.join(result.history_files)}"]
    for error in result.errors:
        lines += ["", f"{error.label}", f"  {'day':<12}{'actual':>10}{'simulated':>12}{'95 % band':>20}  inside"]
        for c in result.series(error.figure, error.stage):
            band = f"{_value(c.band_low)} – {_value(c.band_high)}"
            lines.append(f"  {c.day.isoformat():<12}{_value(c.actual):>10}{_value(c.mean, 1):>12}{band:>20}  "
                         f"{'yes' if c.within_band else 'NO'}")
    lines += ["", "Error figures", f"  {'figure':<44}{'days':>6}{'MAPE':>10}{'bias':>10}{'inside band':>14}"]
    for error in result.errors:
        lines.append(f"  {error.label:<44}{error.days:>6}{_value(error.mape_pct, 1) + ' %':>10}"
                     f"{_value(error.bias_pct, 1) + ' %':>10}{error.within_band_share:>13.0%} ")
    if result.notes:
        lines += ["", "Notes"] + [f"  - {note}" for note in result.notes]
    return "\n".join(lines)
