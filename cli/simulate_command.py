"""``simulate``: run a workflow's baseline and scenarios headless and print a summary table.

Rules:
- Settings not given on the command line come from the workflow's saved run settings.
- The baseline always runs first and is the reference for deltas; each ``--scenario`` is added after it.
- The model (and every scenario) is validated before anything runs: errors are listed and the command
  exits 1; warnings are listed and the run goes ahead.
- The summary goes to stdout, followed for a run with launch results by the launch block (recovery per SLA
  target, peak backlog and when, extra hours and cost; :mod:`cli.launch_summary`) and for a run with
  decision-quality results by the quality block (:mod:`cli.quality_summary`); progress goes to stderr (a
  bar on a terminal, a line per 10 % otherwise).
- A ``.flowdb`` input gets the run stored in it. ``--out`` writes JSON (settings, aggregates, deltas) or a
  tidy CSV (one row per scenario × replication × metric), atomically; its suffix is checked before the run.
- Before the run starts it is estimated (events, time, memory): a long or large run starts with a warning,
  one past the budget is refused (exit 1). ``--backlog-limit`` lowers the engine's backlog guard (default and
  most :data:`flowmodel.limits.MAX_BACKLOG_ITEMS` items waiting at a stage).
- A run the backlog guard cut short (the model is overloaded) prints its summary with a "Stopped early" note
  and one error line, is neither stored nor written, and exits 1 (see :mod:`cli.run_options`).
- ``--trace N`` follows N items through replication 0 of each scenario (:mod:`simulations.item_trace`; the
  figures are the same as without it) and prints the slowest; ``--trace-out FILE.csv`` writes them as an event
  log (:mod:`reports.event_log`). The event log is written even when the run is not stored.
- Exit codes as in :mod:`cli.app`: 1 invalid model, a run refused by its estimate or cut short by the backlog
  guard, 2 unreadable input or bad arguments, 130 Ctrl-C (the run is cancelled, worker processes are stopped,
  nothing is stored or written).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from cli.app import EXIT_OK, EXIT_UNREADABLE
from cli.class_waits_summary import class_waits_block
from cli.launch_summary import launch_block
from cli.quality_summary import quality_block
from cli.run_options import (
    add_run_options,
    check_run,
    fail,
    pick_workflow,
    run_settings,
    simulate_with_progress,
    stopped_failure,
)
from cli.start_state_summary import start_state_block
from flowmodel.documents import document_kind, load_workflows
from flowmodel.ids import new_id
from flowmodel.jsonfile import write_atomically
from flowmodel.limits import MAX_BACKLOG_ITEMS, MAX_TRACE_ITEMS, MIN_BACKLOG_LIMIT
from reports.event_log import write_event_log
from simulations.aggregate import MetricDelta, MetricSummary
from simulations.item_trace import run_traces, trace_summary
from simulations.persist import RunKeptAside, store_run
from simulations.runner import RunResult
from simulations.timebase import horizon_start

OUT_SUFFIXES = (".json", ".csv")
DEFAULT_TRACE_ITEMS = 200


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "simulate", help="run the baseline and scenarios of a workflow and print a summary",
        description="Simulate a workflow's baseline and scenarios (common random numbers) and print mean ± 95 % "
                    "confidence half-width for the key figures. Durations take a unit: 14d, 36h, 90m, 3600s.")
    parser.add_argument("path", metavar="PATH", help="a .flow.json workflow or a .flowdb workspace")
    parser.add_argument("--workflow", metavar="NAME", help="which workflow of a workspace (name or id)")
    parser.add_argument("--scenario", metavar="NAME", action="append", default=[],
                        help="a scenario to compare with the baseline (repeat for several)")
    add_run_options(parser)
    parser.add_argument("--cluster", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786")
    parser.add_argument("--backlog-limit", type=int, metavar="ITEMS",
                        help=f"stop a replication once a stage has more than ITEMS items waiting (an overloaded "
                             f"model; {MIN_BACKLOG_LIMIT:,} to {MAX_BACKLOG_ITEMS:,}, the default)")
    parser.add_argument("--out", metavar="FILE", help="also write results to FILE (.json or .csv)")
    parser.add_argument("--trace", type=int, metavar="N",
                        help=f"follow N items through replication 0 of each scenario (1 to {MAX_TRACE_ITEMS:,}; "
                             f"default {DEFAULT_TRACE_ITEMS} with --trace-out) and print the slowest")
    parser.add_argument("--trace-out", metavar="FILE.csv",
                        help="write the traced items as an event log CSV (case id, activity, timestamps, team) "
                             "for process-mining tools")
    parser.add_argument("--label", default="", help="a label for the run stored in a workspace")
    parser.set_defaults(handler=run_command)


def _out_problem(out: Path) -> str:
    """Why ``out`` cannot be written, checked before a run that may take minutes; "" when it can."""
    if out.suffix.lower() not in OUT_SUFFIXES:
        return f"--out must end in .json or .csv, not {out.name!r}"
    folder = out.parent
    if not folder.is_dir():
        return f"--out: the folder {str(folder)!r} does not exist; create it first or choose another place"
    if out.is_dir():
        return f"--out: {str(out)!r} is a folder; give a file name ending in .json or .csv"
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        return f"--out: cannot write to {str(out)!r} (no permission); choose another place"
    return ""


def _trace_request(args: argparse.Namespace) -> tuple[int, Path | None] | str:
    """(items to trace, event-log path) or why the trace options cannot be used."""
    trace_out = Path(args.trace_out) if args.trace_out else None
    items = args.trace if args.trace is not None else (DEFAULT_TRACE_ITEMS if trace_out is not None else 0)
    if args.trace is not None and not 1 <= args.trace <= MAX_TRACE_ITEMS:
        return f"--trace must be from 1 to {MAX_TRACE_ITEMS:,} items, not {args.trace:,}"
    if trace_out is not None:
        if trace_out.suffix.lower() != ".csv":
            return f"--trace-out must end in .csv, not {trace_out.name!r}"
        if problem := _out_problem(trace_out):
            return problem.replace("--out", "--trace-out").replace(" ending in .json or .csv", " ending in .csv")
    return items, trace_out


def run_command(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    if out is not None and (problem := _out_problem(out)):
        return fail(problem)
    trace = _trace_request(args)
    if isinstance(trace, str):
        return fail(trace)
    trace_items, trace_out = trace
    backlog_limit = MAX_BACKLOG_ITEMS if args.backlog_limit is None else args.backlog_limit
    if not MIN_BACKLOG_LIMIT <= backlog_limit <= MAX_BACKLOG_ITEMS:
        return fail(f"--backlog-limit must be from {MIN_BACKLOG_LIMIT:,} to {MAX_BACKLOG_ITEMS:,} items, "
                    f"not {backlog_limit:,}")
    workflow = pick_workflow(load_workflows(args.path), args.workflow, args.path)
    settings = run_settings(workflow, args)
    stop = check_run(workflow, settings, args)
    if stop is not None:
        return stop
    scenario_ids: list[str | None] = [None] + [workflow.scenario_by_name(name).id for name in args.scenario]
    run = simulate_with_progress(workflow, scenario_ids, settings, args, cluster=args.cluster,
                                 backlog_limit=backlog_limit, trace_items=trace_items)
    if isinstance(run, int):
        return run

    print(summary_table(run))
    by_class = class_waits_block(run)
    if by_class:
        print(by_class)
    launch = launch_block(run)
    if launch:
        print(launch)
    quality = quality_block(run)
    if quality:
        print(quality)
    if workflow.start_state is not None:
        print(start_state_block(workflow, run))
    if trace_items:
        print("\n" + trace_summary(run))
        if trace_out is not None:
            write_event_log(trace_out, run_traces(run), horizon_start(settings))
            print(f"Wrote the event log of the traced items to {trace_out}")
    stopped = stopped_failure(run, "nothing was stored or written")
    if stopped is not None:
        return stopped
    run_id = new_id()
    code = EXIT_OK
    if document_kind(Path(args.path)) == "workspace":
        try:
            stored = store_run(Path(args.path), workflow, run, label=args.label)
        except RunKeptAside as kept:  # the results are safe beside the workspace; say so, still write --out
            run_id, code = kept.run_id, fail(kept.render(), EXIT_UNREADABLE)
        else:
            run_id = stored.run_id
            print(f"\nStored as run {run_id} in {args.path}")
            for note in stored.notes():
                print(f"Note: {note}")
    if out is not None:
        content = _json_text(run, run_id) if out.suffix.lower() == ".json" else _csv_text(run, run_id)
        write_atomically(out, content.encode("utf-8"))
        print(f"Wrote {out}")
    return code


# -- the summary table ----------------------------------------------------------------------------
#: (scope kind, metric, label) of the rows, in order; the scope's name is added to the label.
KEY_METRICS: tuple[tuple[str, str, str], ...] = (
    ("system", "created_count", "Items created"),
    ("system", "completed_count", "Items decided"),
    ("system", "expired_count", "Items expired"),
    ("system", "time_to_decision_mean_s", "Time to decision, mean"),
    ("system", "time_to_decision_p90_s", "Time to decision, p90"),
    ("priority", "sla_attainment_share", "SLA met"),
    ("stage", "wait_mean_s", "Wait, mean"),
    ("stage", "backlog_end_count", "Backlog at end"),
    ("team", "utilisation_share", "Utilisation"),
    ("system", "in_system_end_count", "Items in system at end"),
)


UNIT_FACTORS: dict[str, float] = {"%": 0.01, "s": 1.0, "min": 60.0, "h": 3600.0, "": 1.0}


def _unit_for(metric: str, magnitude: float) -> str:
    if metric.endswith("_share"):
        return "%"
    if metric.endswith("_s"):
        return "s" if magnitude < 120 else "min" if magnitude < 7200 else "h"
    return ""


def _decimals(mean: float, half: float) -> int:
    """Two significant digits of the half-width decide the decimals (the rest is noise); else three of the mean."""
    if math.isfinite(half) and half > 0:
        return min(max(1 - math.floor(math.log10(half)), 0), 4)
    if math.isfinite(mean) and mean != 0 and mean != round(mean):
        return min(max(2 - math.floor(math.log10(abs(mean))), 0), 4)
    return 0


def _pair(mean: float, half: float, unit: str, *, signed: bool = False) -> str:
    """``mean ± half`` in ``unit``, both to the same decimals; ``n/a`` for an undefined half-width."""
    factor = UNIT_FACTORS[unit]
    m, h = mean / factor, half / factor
    if not math.isfinite(m):
        return "n/a"
    places = _decimals(m, h)
    text = f"{m:+,.{places}f}" if signed and m != 0 else f"{m:,.{places}f}"
    return f"{text} ± {h:,.{places}f}" if math.isfinite(h) else f"{text} ± n/a"


def _cell(summary: MetricSummary | None, unit: str) -> str:
    return "—" if summary is None else _pair(summary.mean, summary.half_width, unit)


def _delta_cell(delta: MetricDelta | None, unit: str) -> str:
    if delta is None:
        return "—"
    text = _pair(delta.delta_mean, delta.half_width, unit, signed=True)
    relative = delta.relative_delta
    if delta.delta_mean != 0 and math.isfinite(relative) and unit != "%":
        text += f" (×{1 + relative:,.0f})" if abs(relative) >= 10 else f" ({relative:+.0%})"
    return text + (" *" if delta.clear else "")


def summary_table(run: RunResult) -> str:
    """Mean ± 95 % CI half-width of the key figures per scenario, then Δ vs the baseline per scenario."""
    summaries = {(s.scenario_id, s.scope_kind, s.scope_id, s.metric): s for s in run.summaries}
    deltas = {(d.scenario_id, d.scope_kind, d.scope_id, d.metric): d for d in run.deltas}
    scenario_ids = [str(s["id"]) for s in run.scenarios]
    names = run.scenario_names
    reference = scenario_ids[0]
    header = ["Figure", *[names[i] for i in scenario_ids], *[f"Δ {names[i]}" for i in scenario_ids[1:]]]
    rows: list[list[str]] = []
    for kind, metric, label in KEY_METRICS:
        scopes = dict.fromkeys((s.scope_id, s.scope_name) for s in run.summaries
                               if s.scope_kind == kind and s.metric == metric)
        for scope_id, scope_name in scopes:
            means = [summaries[k].mean for i in scenario_ids
                     if (k := (i, kind, scope_id, metric)) in summaries and math.isfinite(summaries[k].mean)]
            unit = _unit_for(metric, max(abs(m) for m in means) if means else 0.0)  # the largest decides
            title = label if kind == "system" else f"{label}: {scope_name}"
            qualifier = ", ".join(part for part in (unit, _sla_target_text(summaries, reference, scope_id)) if part)
            rows.append([f"{title} ({qualifier})" if qualifier else title,
                         *[_cell(summaries.get((i, kind, scope_id, metric)), unit) for i in scenario_ids],
                         *[_delta_cell(deltas.get((i, kind, scope_id, metric)), unit) for i in scenario_ids[1:]]])
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths,
                                                                                                    strict=True)))
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    settings = run.options.settings
    notes = [f"{run.workflow_name}: {settings.replications} replication(s) per scenario, horizon "
             f"{settings.horizon_hours:g} h, warm-up {settings.warmup_hours:g} h, seed {settings.seed}.",
             "± is the half-width of the 95 % confidence interval (Student t) across replications."]
    if len(scenario_ids) > 1:
        notes.append(f"Δ is paired with {names[reference]} on the same random numbers; * = the interval excludes 0.")
    if run.stopped_early():
        notes.append(f"Stopped early: {run.stop_summary()}. The figures cover each replication only up to its stop.")
    return "\n".join([*notes, "", *lines])


def _sla_target_text(summaries: dict[tuple[str, str, str, str], MetricSummary], scenario_id: str,
                     scope_id: str) -> str:
    """``target 90% in 24 h`` from the reference scenario's SLA figures, so an SLA row reads on its own;
    "" for rows that are not SLA rows."""
    share = summaries.get((scenario_id, "priority", scope_id, "sla_target_share"))
    within = summaries.get((scenario_id, "priority", scope_id, "sla_within_s"))
    if share is None or within is None:
        return ""
    return f"target {share.mean:.0%} in {_duration_text(within.mean)}"


def _duration_text(seconds: float) -> str:
    """An SLA limit as planners write it: hours up to a week (``24 h``, ``72 h``), then days; minutes or
    seconds below an hour or when hours are not whole (``90 min``)."""
    if seconds >= 7 * 86400.0 and seconds % 86400.0 == 0:
        return f"{seconds / 86400.0:g} d"
    for unit, size in (("h", 3600.0), ("min", 60.0)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity: an undefined figure is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _json_text(run: RunResult, run_id: str) -> str:
    data = {"format": "flowmodel.run-results", "version": 1, "run_id": run_id,
            "workflow": {"id": run.workflow_id, "name": run.workflow_name},
            "settings": run.options.to_dict(), "scenarios": run.scenarios,
            "aggregates": [dataclasses.asdict(s) for s in run.summaries],
            "deltas": [dataclasses.asdict(d) for d in run.deltas]}
    return json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _csv_text(run: RunResult, run_id: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["run", "scenario", "replication", "metric", "scope", "value"])
    for result in run.replications:
        for record in result.metrics:
            value = "" if not math.isfinite(record.value) else repr(record.value)
            writer.writerow([run_id, result.scenario_name, result.replication, record.metric,
                             f"{record.scope_kind}:{record.scope_name}", value])
    return buffer.getvalue()
