"""``import``: bring the planner's files into a workflow — arrival volumes, handle times, a roster, today's backlog.

Rules:
- ``flowmodel import KIND FILE INTO``: FILE is the planner's CSV or XLSX, INTO the ``.flow.json`` or ``.flowdb``
  that receives it (``--workflow`` picks one in a workspace). The command prints what will change (the preview the
  app shows), then writes INTO at once — or, with ``--dry-run``, writes nothing.
- Nothing is written when reading or fitting fails (one message naming the file, row and column, exit 2), nor when
  the changed workflow has validation errors the original did not have (they are listed, exit 1).
- ``volumes``: the history is read in the source's time zone; the days the fit finds to be outliers (an incident)
  are left out unless ``--keep-outliers``; ``--exclude-day`` leaves out more. The forecast covers the workflow's run
  horizon from its start (or from the end of the history when that is later); the source gets the forecast's mean
  rate, the 168-hour local profile and, with ``--mix``, the file's mix.
- ``handle-times``: the family with the lowest AIC is applied unless ``--family`` names another; with a category
  column each category of the file gets its own fit in the stage's per-category times.
- ``roster``: teams are matched by name (any case); teams of the file the workflow lacks are listed, not added.
- ``backlog``: the file's waiting items become the workflow's start state (replacing any it had).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cli.app import EXIT_INVALID, EXIT_OK
from cli.run_options import fail, pick_workflow
from flowmodel.distributions import SECONDS_PER_UNIT
from flowmodel.documents import document_kind, load_workflows, save_document
from flowmodel.errors import FlowmodelError
from flowmodel.imports.backlog import backlog_changes, read_backlog
from flowmodel.imports.handle_times import read_handle_times
from flowmodel.imports.rosters import apply_roster, describe_preview, read_roster, roster_changes
from flowmodel.imports.volumes import read_volumes
from flowmodel.nodes import ReviewStage, Source
from flowmodel.validation import validate
from flowmodel.validation_issues import errors
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from simulations.distribution_fit import FAMILIES, FamilyFit, HandleTimeFits, apply_handle_times, fit_imported
from simulations.forecast import apply_arrival_fit, detect_outlier_days, fit_arrivals, mix_from_history
from simulations.import_provenance import handle_times_provenance, roster_provenance, volumes_provenance
from simulations.timebase import horizon_start

Change = Callable[[Workflow], list[str]]  # applies the import to a workflow, returns the preview lines


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="bring volumes, handle times, a roster or a backlog into a workflow",
                                   description=__doc__.split("\n\n")[0])
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)

    def kind(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = kinds.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("file", help="the CSV or XLSX file to read")
        sub.add_argument("into", help="the .flow.json or .flowdb to write into")
        sub.add_argument("--workflow", help="the workflow (name or id) in a workspace of several")
        sub.add_argument("--sheet", help="the workbook's sheet (default: the first)")
        sub.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
        return sub

    volumes = kind("volumes", "fit a source's rate, weekly profile and mix from history and forecast the run")
    volumes.add_argument("--source", required=True, help="the source (name or id) the history is of")
    volumes.add_argument("--keep-outliers", action="store_true", help="fit the outlier days the fit finds too")
    volumes.add_argument("--exclude-day", action="append", default=[], type=_day, metavar="YYYY-MM-DD",
                         help="a local day to leave out of the fit (repeatable)")
    volumes.add_argument("--mix", action="store_true", help="also replace the source's mix by the file's")
    volumes.set_defaults(handler=_run, build=_volumes)

    handle = kind("handle-times", "fit handle-time samples and set a stage's handle time (per category too)")
    handle.add_argument("--stage", required=True, help="the review stage (name or id)")
    handle.add_argument("--unit", default="s", choices=list(SECONDS_PER_UNIT),
                        help="the unit of the numbers when the header does not say (default s)")
    handle.add_argument("--column", help="the handle-time column (default: found by its header)")
    handle.add_argument("--category-column", help="the category column (default: found by its header, if any)")
    handle.add_argument("--family", choices=list(FAMILIES), help="apply this family instead of the best by AIC")
    handle.set_defaults(handler=_run, build=_handle_times)

    roster = kind("roster", "replace the shifts of the teams the roster file names")
    roster.set_defaults(handler=_run, build=_roster)

    backlog = kind("backlog", "start the run from today's backlog (the workflow's start state)")
    backlog.add_argument("--now", type=_instant, metavar="TIMESTAMP",
                         help="the moment the backlog was exported, for a file of creation times (ISO 8601 with an "
                              "offset, e.g. 2026-03-09T09:00+00:00; default: now)")
    backlog.set_defaults(handler=_run, build=_backlog)


def _day(text: str) -> date:
    """argparse ``type=``: a calendar day written YYYY-MM-DD (the history's local day)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write it YYYY-MM-DD, e.g. 2026-03-11") from None


def _instant(text: str) -> datetime:
    """argparse ``type=``: an ISO 8601 instant with its offset (a naive one would be ambiguous across zones)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no offset: add one, e.g. {text}+00:00")
    return moment


def _run(args: argparse.Namespace) -> int:
    into = Path(args.into)
    workflows = load_workflows(into)
    workflow = pick_workflow(workflows, args.workflow, args.into)
    before = {(i.rule, i.message) for i in errors(validate(workflow))}
    change: Change = args.build(args, workflow)
    lines = change(workflow)
    print("\n".join(lines))
    introduced = [i for i in errors(validate(workflow)) if (i.rule, i.message) not in before]
    if introduced:
        listed = "\n".join(f"  - {issue.message}" for issue in introduced[:10])
        return fail(f"the import would leave the workflow with {len(introduced)} new error(s); nothing was written:"
                    f"\n{listed}", EXIT_INVALID)
    if args.dry_run:
        print("Dry run: nothing was written.")
        return EXIT_OK
    if document_kind(into) == "workspace":
        with Workspace.open(into) as workspace:
            workspace.save_workflow(workflow)
    else:
        save_document([workflow], into)
    print(f"Wrote {into}")
    return EXIT_OK


def _find(workflow: Workflow, wanted: str, kind: type, what: str) -> object:
    matches = [n for n in workflow.nodes.values() if isinstance(n, kind) and wanted in (n.name, n.id)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(repr(n.name) for n in workflow.nodes.values() if isinstance(n, kind)) or "none"
    problem = f"no {what} {wanted!r}" if not matches else f"{len(matches)} {what}s named {wanted!r}"
    raise FlowmodelError(problem, where=workflow.name, hint=f"name one of the workflow's {what}s: {names}")


# -- volumes ------------------------------------------------------------------------------------------------
def _volumes(args: argparse.Namespace, workflow: Workflow) -> Change:
    source = _find(workflow, args.source, Source, "source")
    assert isinstance(source, Source)
    history = read_volumes(args.file, timezone=source.timezone, sheet=args.sheet)
    outliers = [] if args.keep_outliers else detect_outlier_days(history)
    excluded = sorted(set(outliers) | set(args.exclude_day))
    settings = workflow.run_settings
    history_end = history.hour_start(history.hours)
    start = max(history_end, horizon_start(settings).astimezone(UTC))
    start = start.replace(minute=0, second=0, microsecond=0) + (timedelta(hours=1) if start.minute else timedelta())
    fit = fit_arrivals(history, horizon_hours=max(1, math.ceil(settings.horizon_hours)), exclude_days=excluded,
                       forecast_start_utc=start)
    mix = mix_from_history(history) if args.mix else None
    changed = apply_arrival_fit(source, fit, mix)

    def change(model: Workflow) -> list[str]:
        lines = [f"Read {history.file}: {history.hours:,} hours in {history.timezone}, "
                 f"{history.total():,.0f} items, {history.missing_hours():,} hours without data."]
        lines += [f"  Note: {note}" for note in (*history.notes, *fit.notes)]
        lines.append(f"Fit: {fit.method}; MAPE {_percent(fit.mape_fit)} in sample, "
                     f"{_percent(fit.mape_holdout)} on the hold-out week.")
        if excluded:
            lines.append("Left out: " + ", ".join(d.isoformat() for d in excluded)
                         + (" (outliers found by the fit)" if outliers and not args.exclude_day else ""))
        elif fit.outlier_days:
            lines.append("Outlier days kept in the fit: " + ", ".join(d.isoformat() for d in fit.outlier_days))
        peak = max(range(len(fit.weekly_profile)), key=fit.weekly_profile.__getitem__)
        lines.append(f"Source {source.name}: rate {source.rate_per_hour:,.4g}/h → {changed.rate_per_hour:,.4g}/h; "
                     f"profile {source.profile.kind} → weekly (peak {_hour_of_week(peak)} "
                     f"×{fit.weekly_profile[peak]:.2f}, low ×{min(fit.weekly_profile):.2f})")
        if mix is not None:
            lines.append(f"Mix: {len(source.mix)} entries → {len(mix)} entries from the file")
        for path in ("rate_per_hour", "profile", "mix"):
            model.set_field(source.id, path, getattr(changed, path))
        model.set_field(source.id, "provenance", volumes_provenance(history, fit, mix_replaced=mix is not None))
        return lines

    return change


def _percent(value: float) -> str:
    return f"{value:.1%}" if math.isfinite(value) else "n/a"


def _hour_of_week(index: int) -> str:
    return f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[index // 24]} {index % 24:02d}:00"


# -- handle times -------------------------------------------------------------------------------------------
def _handle_times(args: argparse.Namespace, workflow: Workflow) -> Change:
    stage = _find(workflow, args.stage, ReviewStage, "review stage")
    assert isinstance(stage, ReviewStage)
    samples = read_handle_times(args.file, unit=args.unit, column=args.column, category_column=args.category_column,
                                sheet=args.sheet)
    fits = fit_imported(samples, unit=samples.unit)

    def chosen(ranked: HandleTimeFits) -> FamilyFit:
        return ranked.by_family(args.family) if args.family else ranked.best

    by_category = {name: chosen(ranked) for name, ranked in fits.by_category.items()}
    changed = apply_handle_times(stage, chosen(fits.overall).distribution,
                                 {name: fit.distribution for name, fit in by_category.items()})

    def change(model: Workflow) -> list[str]:
        lines = [f"Read {samples.file}: {samples.rows:,} handle times in column '{samples.column}' "
                 f"({samples.unit})."]
        lines += [f"  Note: {note}" for note in (*fits.notes, *fits.overall.notes)]
        lines += _ranking("All samples", fits.overall)
        lines.append(f"Stage {stage.name} · handle time: {stage.handle_time.describe()} → "
                     f"{changed.handle_time.describe()}")
        for name, ranked in fits.by_category.items():
            lines += _ranking(f"Category {name}", ranked)
            old = stage.handle_time_by_category.get(name)
            lines.append(f"Stage {stage.name} · {name}: {old.describe() if old else 'the stage time'} → "
                         f"{changed.handle_time_by_category[name].describe()}")
        lines += [f"Category {name}: no fit of its own ({why})" for name, why in fits.skipped.items()]
        model.set_field(stage.id, "handle_time", changed.handle_time)
        model.set_field(stage.id, "handle_time_by_category", changed.handle_time_by_category)
        model.set_field(stage.id, "provenance",
                        handle_times_provenance(samples.file, fits, chosen(fits.overall), by_category))
        return lines

    return change


def _ranking(title: str, fits: HandleTimeFits) -> list[str]:
    best = min((f.aic for f in fits if math.isfinite(f.aic)), default=math.nan)
    rows = [f"{title} ({fits.sample_count:,} samples), best first:"]
    for fit in fits:
        aic = f"ΔAIC {fit.aic - best:8.1f}" if math.isfinite(fit.aic) else "ΔAIC      n/a"
        rows.append(f"  {fit.parameters_text:<48} {aic}  KS {fit.ks_statistic:.3f}")
    return rows


# -- roster -------------------------------------------------------------------------------------------------
def _roster(args: argparse.Namespace, workflow: Workflow) -> Change:
    preview = roster_changes(workflow, read_roster(args.file, sheet=args.sheet))

    def change(model: Workflow) -> list[str]:
        lines = [f"Read {preview.file}: {len(preview.changes)} team(s) matched."]
        lines += [f"  {line}" for line in describe_preview(preview)]
        for team_id, shifts in apply_roster(model, preview).items():
            if shifts != model.teams[team_id].shifts:  # a roster that matches changes nothing, words included
                model.set_field(team_id, "shifts", shifts)
                model.set_field(team_id, "provenance", roster_provenance(preview.file))
        return lines

    return change


# -- backlog ------------------------------------------------------------------------------------------------
def _backlog(args: argparse.Namespace, workflow: Workflow) -> Change:
    state = read_backlog(args.file, workflow, sheet=args.sheet, now=args.now)

    def change(model: Workflow) -> list[str]:
        items = sum(state.by_stage().values())
        lines = [f"Read {Path(args.file).name}: {items:,} waiting item(s) at {len(state.by_stage())} stage(s)."]
        lines += [f"  {line}" for line in backlog_changes(model, state)] or ["  (the same start state)"]
        model.set_start_state(state)
        return lines

    return change
