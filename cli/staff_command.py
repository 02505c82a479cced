"""``staff``: recommend the reviewers per team × shift that meet every SLA target, verified by simulation.

Rules:
- Targets are the model's SLA targets per stage and priority; ``--max-occupancy`` and ``--max-backlog`` add
  caps; a target counts as met when the bound of its ``--confidence`` interval on the safe side clears it.
- Settings not given on the command line come from the workflow's saved run settings; ``--scenario`` names the
  scenario to staff (default: the baseline).
- The model is validated first: errors are listed and the command exits 1. Infeasible targets (e.g. a target
  time below the handle time) are listed with the reason; every other target is still staffed (exit 1).
- To stdout: the staffing table in heads on shift and FTE (paid hours ÷ contract hours, shrinkage stated),
  people and cost per team, the targets achieved with mean, confidence interval and replications, how many
  rosters and replications were simulated, and the cost delta; one progress line per batch to stderr.
- ``--time-budget`` (default 50 s) bounds the trim; a confirmed roster always ends the search.
- ``--out`` writes the plan as JSON (everything), CSV (the staffing table) or XLSX (sheets "Staffing", "Teams"
  and "Targets"), atomically; its suffix is checked before anything runs.
- Exit codes as in :mod:`cli.app`: 0 every target met, 1 invalid model, infeasible targets or targets still
  missed at the simulation bound, 2 unreadable input or bad arguments, 130 Ctrl-C (nothing written).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from cli.app import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK
from cli.run_options import SETTING_NAMES, add_run_options, fail, pick_workflow, run_settings
from flowmodel.documents import load_workflows
from flowmodel.errors import ModelError
from flowmodel.jsonfile import write_atomically
from flowmodel.launch_period import DEFAULT_LAUNCH_DAYS, PERIOD_WORDS, PERIODS, period_settings
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import apply_scenario
from flowmodel.validation import validate
from flowmodel.validation_issues import errors
from reports.staffing_export import PLAN_SUFFIXES, plan_bytes
from simulations.executors import make_executor
from simulations.spec import RunCancelled, SimulationError
from simulations.staffing import (
    DAY_GROUPS_ALL_WEEK,
    DAY_GROUPS_EACH_DAY,
    DAY_GROUPS_WEEKDAY_WEEKEND,
    SearchProgress,
    StaffingPlan,
    recommend_staffing,
    targets_from_model,
)
from simulations.staffing.plan import minimality_summary
from simulations.staffing.search import DEFAULT_TIME_BUDGET_S

OUT_SUFFIXES = PLAN_SUFFIXES
DAY_CHOICES = {"weekday-weekend": DAY_GROUPS_WEEKDAY_WEEKEND, "all-week": DAY_GROUPS_ALL_WEEK,
               "each-day": DAY_GROUPS_EACH_DAY}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "staff", help="recommend reviewers per team and shift that meet every SLA target",
        description="Recommend the headcount per team × shift that meets every SLA target of a scenario: an Erlang "
                    "first guess, verified and trimmed by simulation (common random numbers). Durations take a "
                    "unit: 7d, 36h, 90m.")
    parser.add_argument("path", metavar="PATH", help="a .flow.json workflow or a .flowdb workspace")
    parser.add_argument("--workflow", metavar="NAME", help="which workflow of a workspace (name or id)")
    parser.add_argument("--scenario", metavar="NAME", help="the scenario to staff (default: the baseline)")
    add_run_options(parser, horizon_example="7d", interval=False,
                    replications_help="independent runs per roster (≥ 2)")
    parser.add_argument("--days", choices=sorted(DAY_CHOICES), default="weekday-weekend",
                        help="which days share one headcount per shift (default: weekday-weekend)")
    parser.add_argument("--confidence", type=float, default=0.95, metavar="LEVEL",
                        help="confidence level of the target checks (default 0.95)")
    parser.add_argument("--max-occupancy", type=float, metavar="SHARE", help="cap on team utilisation, e.g. 0.85")
    parser.add_argument("--max-backlog", type=float, metavar="ITEMS", help="cap on items queued at the end")
    parser.add_argument("--max-simulations", type=int, default=60, metavar="N",
                        help="bound on the number of rosters simulated (default 60)")
    parser.add_argument("--time-budget", type=float, default=DEFAULT_TIME_BUDGET_S, metavar="SECONDS",
                        help=f"wall seconds the trim may use before confirming (default {DEFAULT_TIME_BUDGET_S:g})")
    parser.add_argument("--period", choices=PERIODS, default="run",
                        help="which part of the run the targets judge: the whole run (default), the launch period of "
                             "a launch plan, or after its launch settles")
    parser.add_argument("--launch-days", type=float, default=DEFAULT_LAUNCH_DAYS, metavar="DAYS",
                        help=f"length of the launch period in days (default {DEFAULT_LAUNCH_DAYS})")
    parser.add_argument("--out", metavar="FILE", help="also write the plan to FILE (.json, .csv or .xlsx)")
    parser.set_defaults(handler=run_command)


def _argument_problems(args: argparse.Namespace, out: Path | None, settings: RunSettings) -> list[str]:
    problems = [f"{SETTING_NAMES.get(name, ('', name))[0] or name}: {message}" for name, message in settings.problems()]
    if out is not None and out.suffix.lower() not in OUT_SUFFIXES:
        problems.append(f"--out must end in .json, .csv or .xlsx, not {out.name!r}")
    if args.jobs is not None and args.jobs < 1:
        problems.append("--jobs must be at least 1")
    if settings.replications < 2:
        problems.append("--replications must be at least 2, so that targets can be checked with a confidence level")
    if not 0.5 <= args.confidence < 1.0:
        problems.append("--confidence must be between 0.5 and 1, e.g. 0.95")
    if args.max_occupancy is not None and not 0.0 < args.max_occupancy <= 1.0:
        problems.append("--max-occupancy is a share between 0 and 1, e.g. 0.85")
    if args.max_backlog is not None and args.max_backlog < 0:
        problems.append("--max-backlog must be ≥ 0")
    if not args.time_budget > 0:
        problems.append("--time-budget must be above 0 seconds")
    if args.max_simulations < 1:
        problems.append("--max-simulations must be at least 1")
    if not args.launch_days >= 1:
        problems.append("--launch-days must be at least 1 (days of the launch period, from the launch)")
    return problems


def run_command(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    workflow = pick_workflow(load_workflows(args.path), args.workflow, args.path)
    settings = run_settings(workflow, args)
    problems = _argument_problems(args, out, settings)
    if problems:
        return fail("; ".join(problems))
    scenario = workflow.scenario_by_name(args.scenario) if args.scenario else None
    try:
        settings = period_settings(scenario, settings, args.period, args.launch_days)
    except ModelError as error:
        return fail(error.render())
    if args.period != "run":
        print(f"Staffing {PERIOD_WORDS[args.period]}: targets judged on items created from hour "
              f"{settings.warmup_hours:g} to hour {settings.horizon_hours:g}")
    staffed = apply_scenario(workflow, scenario)
    staffed.scenarios = {}  # only the scenario being staffed matters here
    staffed.run_settings = settings  # checked with the settings this search uses, as simulate and compare do
    issues = validate(staffed)
    for issue in issues:
        print(issue.render(), file=sys.stderr)
    if errors(issues):
        return fail(f"workflow {workflow.name!r} is invalid ({len(errors(issues))} error(s) above); nothing was run",
                     EXIT_INVALID)
    targets = targets_from_model(staffed, max_occupancy=args.max_occupancy,
                                 max_backlog=args.max_backlog, confidence=args.confidence,
                                 day_groups=DAY_CHOICES[args.days])
    jobs = args.jobs if args.jobs is not None else os.cpu_count() or 1
    try:
        plan = recommend_staffing(workflow, scenario.id if scenario else None, targets, settings,
                                  executor=make_executor(jobs=jobs), on_progress=_progress_printer(),
                                  max_evaluations=args.max_simulations, time_budget_s=args.time_budget)
    except SimulationError as error:
        for issue in error.issues:
            print(issue.render(), file=sys.stderr)
        return fail(error.render(), EXIT_INVALID)
    except (KeyboardInterrupt, RunCancelled):
        return fail("cancelled; nothing was written", EXIT_INTERRUPTED)
    print(plan_text(plan))
    if out is not None:
        write_atomically(out, plan_bytes(plan, out.suffix))
        print(f"Wrote {out}")
    return EXIT_OK if plan.status == "met" else EXIT_INVALID


def _progress_printer() -> Callable[[SearchProgress], None]:
    seen: set[tuple[str, int]] = set()

    def show(progress: SearchProgress) -> None:
        if (progress.phase, progress.evaluations) not in seen:
            seen.add((progress.phase, progress.evaluations))
            print(f"Staffing: {progress.message} ({progress.evaluations} of at most {progress.max_evaluations} "
                  "rosters simulated so far)", file=sys.stderr)

    return show


def _share(value: float) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:.1%}"


def _target_value(kind: str, value: float) -> str:
    if kind in ("sla", "occupancy"):
        return _share(value)
    return "n/a" if not math.isfinite(value) else f"{value:,.1f}"


def simulated_text(plan: StaffingPlan) -> str:
    """How much was simulated: rosters by phase, replications, the screening and full horizons, wall time."""
    phases = ", ".join(f"{count} {phase}" for phase, count in plan.rosters_by_phase.items()) or "none"
    screen = plan.screen_settings
    screening = (f"screening {screen.horizon_hours:g} h × up to {screen.replications} replications, "
                 if screen is not None else "")
    return (f"{plan.evaluations} roster(s) simulated ({phases}), {plan.replications_run} replications in all; "
            f"{screening}confirmation {plan.settings.horizon_hours:g} h × up to {plan.settings.replications} "
            f"(warm-up {plan.settings.warmup_hours:g} h, seed {plan.settings.seed}); {plan.wall_seconds:.0f} s.")


def _table(header: list[str], rows: list[list[str]], left: int) -> list[str]:
    widths = [max(len(row[c]) for row in [header, *rows]) for c in range(len(header))]
    lines = []
    for number, row in enumerate([header, *rows]):
        lines.append("  ".join(cell.ljust(w) if c < left else cell.rjust(w)
                               for c, (cell, w) in enumerate(zip(row, widths, strict=True))))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def plan_text(plan: StaffingPlan) -> str:
    """The staffing table (heads and FTE), people per team, the targets achieved and the cost, as plain text."""
    headline = {"met": f"every target met (lower/upper {plan.confidence:.0%} confidence bound)",
                "not_met": "targets still missed when the search stopped",
                "infeasible": f"{len(plan.infeasible)} target(s) no staffing can meet; the others staffed"
                }[plan.status]
    lines = [f"Staffing for {plan.workflow_name} · {plan.scenario_name}: {headline}.", simulated_text(plan)]
    for problem in plan.infeasible:
        lines.append(f"  infeasible  {problem.render()}")
    if plan.rows:
        header = ["Team", "Shift", "Days", "Current", "Recommended", "Delta", "FTE", "Erlang guess", "Pooled guess",
                  "Cost/week now", "Cost/week new"]
        rows = [[r.team_name, r.shift_name, r.days_label,
                 str(r.current_max) if len(set(r.current)) == 1 else f"{min(r.current)}–{r.current_max}",
                 str(r.recommended), f"{r.delta:+d}", f"{r.fte_recommended:.1f}",
                 f"{r.analytic_fractional:.2f} → {r.analytic_rounded}", str(r.pooled_guess),
                 f"{r.cost_current_per_week:,.0f}", f"{r.cost_recommended_per_week:,.0f}"] for r in plan.rows]
        lines += ["", "Heads on shift per team, shift and days (FTE = paid hours ÷ contract hours):"]
        lines += _table(header, rows, 3)
        teams = [[t.team_name, f"{t.contract_hours:g} h", f"{t.shrinkage:.0%}", f"{t.paid_hours_recommended:,.0f}",
                  f"{t.fte_current:.1f}", f"{t.fte_recommended:.1f}", f"{t.fte_recommended - t.fte_current:+.1f}",
                  f"{t.cost_recommended:,.0f}"] for t in plan.team_totals()]
        lines += ["", "People per team (heads on shift already include shrinkage: of them, heads × (1 − shrinkage) "
                      "review):"]
        lines += _table(["Team", "Contract", "Shrinkage", "Paid h/week", "FTE now", "FTE new", "FTE delta",
                         "Cost/week new"], teams, 1)
        lines.append(f"Cost per week: {plan.cost_current_per_week:,.0f} now, {plan.cost_recommended_per_week:,.0f} "
                     f"recommended ({plan.cost_delta_per_week:+,.0f}); FTE {plan.fte_current:.1f} now, "
                     f"{plan.fte_recommended:.1f} recommended.")
    if plan.achieved:
        lines += ["", f"Targets (mean, {plan.confidence:.0%} confidence interval, replications):"]
        for t in plan.achieved:
            lines.append(f"  {'met   ' if t.met else 'MISSED'}  {t.kind} {t.where}: {_target_value(t.kind, t.mean)} "
                         f"({_target_value(t.kind, t.ci_low)} – {_target_value(t.kind, t.ci_high)}, n = {t.n}), "
                         f"target {_target_value(t.kind, t.target)}")
    if plan.trim_checks:
        lines += ["", minimality_summary(plan), "Minimality (one reviewer fewer, same random numbers):"]
        lines += [f"  {c.team_shift} at {c.headcount_tried}: {'holds' if c.met else 'misses ' + ', '.join(c.failing)}"
                  f" ({'full-length confirmation' if c.phase == 'confirm' else 'screening length'})"
                  for c in plan.trim_checks]
    lines += [f"Note: {note}" for note in plan.notes]
    return "\n".join(lines)
