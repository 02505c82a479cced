"""What the simulating subcommands (simulate, compare, staff) share: choosing the workflow, the run-setting
flags, checking settings and model before anything runs, and running scenarios with a progress bar.

Rules: settings not given on the command line come from the workflow's saved run settings; the model is
validated with the settings the run will actually use (a flag can rescue a bad saved setting); a fault
names the flag when it was given, else "the workflow's saved …"; exit 2 when a given flag is at fault,
1 when only the workflow is.

Before the first replication the run is estimated (:mod:`simulations.run_budget`): its warnings (a long or
large run) are printed as ``warning:`` lines and the run goes ahead; a run past the budget is refused with
one ``error:`` line naming the setting or place and the limit, exit 1. A run the engine's backlog guard cut
short (an overloaded model) is reported with one ``error:`` line, exit 1, and is not stored or written: its
figures cover each replication only up to its stop, which a stored run could not tell.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from typing import Any

from cli.app import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_UNREADABLE
from cli.durations import duration_hours
from cli.progress import ProgressBar
from flowmodel.errors import FlowmodelError
from flowmodel.limits import MAX_BACKLOG_ITEMS
from flowmodel.run_settings import RunSettings
from flowmodel.validation import validate
from flowmodel.validation_issues import errors
from flowmodel.workflow import Workflow
from simulations.executors import make_executor
from simulations.run_budget import RunEstimate
from simulations.runner import RunResult, run_scenarios
from simulations.spec import SimulationError

#: Run-setting field → (command-line flag, what a planner calls it).
SETTING_NAMES: dict[str, tuple[str, str]] = {
    "horizon_hours": ("--horizon", "horizon"), "warmup_hours": ("--warmup", "warm-up"),
    "replications": ("--replications", "replications"), "seed": ("--seed", "seed"),
    "interval_minutes": ("--interval", "time-series interval"), "start_weekday": ("", "start weekday"),
    "start_date": ("", "start date")}


def fail(message: str, code: int = EXIT_UNREADABLE) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def pick_workflow(workflows: list[Workflow], wanted: str | None, path: str) -> Workflow:
    """The workflow named (or with id) ``wanted``, or the only one; an error listing the choices otherwise."""
    if wanted is not None:
        for workflow in workflows:
            if wanted in (workflow.name, workflow.id):
                return workflow
    elif len(workflows) == 1:
        return workflows[0]
    if not workflows:
        raise FlowmodelError("the workspace holds no workflow, so there is nothing to simulate", where=path,
                             hint="add a workflow in the app, or use a .flow.json file")
    names = ", ".join(repr(w.name) for w in workflows) or "none"
    holder = "workspace" if path.endswith(".flowdb") else "file"
    problem = f"no workflow {wanted!r} in this {holder}" if wanted is not None else \
        f"{len(workflows)} workflows to choose from"
    raise FlowmodelError(problem, where=path, hint=f"choose one with --workflow; workflows here: {names}")


def add_run_options(parser: argparse.ArgumentParser, *, horizon_example: str = "14d", interval: bool = True,
                    replications_help: str = "independent runs per scenario") -> None:
    parser.add_argument("--horizon", type=duration_hours, metavar="DURATION",
                        help=f"simulated time, e.g. {horizon_example}")
    parser.add_argument("--warmup", type=duration_hours, metavar="DURATION",
                        help="time before statistics start, e.g. 1d")
    if interval:
        parser.add_argument("--interval", type=duration_hours, metavar="DURATION",
                            help="time-series interval, e.g. 1h")
    parser.add_argument("--replications", type=int, metavar="N", help=replications_help)
    parser.add_argument("--seed", type=int, metavar="N", help="base random seed")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: one per CPU)")


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The run settings given on the command line (the others come from the workflow)."""
    interval = getattr(args, "interval", None)
    given = {"horizon_hours": args.horizon, "warmup_hours": args.warmup, "replications": args.replications,
             "seed": args.seed, "interval_minutes": None if interval is None else interval * 60.0}
    return {name: value for name, value in given.items() if value is not None}


def run_settings(workflow: Workflow, args: argparse.Namespace) -> RunSettings:
    return dataclasses.replace(workflow.run_settings, **overrides(args))


def settings_failure(settings: RunSettings, problems: list[tuple[str, str]], given: set[str]) -> int:
    """One message naming each faulty setting by its flag when it was given, else as the workflow's saved
    setting; exit 2 when a given flag takes part in the fault, 1 when only the workflow's own settings do."""
    def origin(name: str) -> str:
        flag, label = SETTING_NAMES.get(name, ("", name))
        return flag if name in given else f"the workflow's saved {label}"

    def source(name: str) -> str:
        return SETTING_NAMES[name][0] if name in given else "saved with the workflow"

    used = (f"horizon {settings.horizon_hours:g} h ({source('horizon_hours')}), warm-up "
            f"{settings.warmup_hours:g} h ({source('warmup_hours')})")
    text = "; ".join(f"{origin(name)}: {message}" for name, message in problems)
    flags = [SETTING_NAMES.get(name, ("", ""))[0] for name, _ in problems if name not in given]
    hint = f"; give {' and '.join(f for f in flags if f)} to override" if any(flags) else ""
    involved = {name for name, _ in problems} | ({"horizon_hours"} if any(n == "warmup_hours" for n, _ in problems)
                                                  else set())  # the warm-up is judged against the horizon
    code = EXIT_UNREADABLE if given & involved else EXIT_INVALID
    return fail(f"{text} (used: {used}){hint}", code)


def check_run(workflow: Workflow, settings: RunSettings, args: argparse.Namespace) -> int | None:
    """An exit code when the run cannot start (bad flags or settings, invalid model), else None.
    Validation issues are printed; the model is checked with the settings this run uses."""
    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be at least 1")
    problems = settings.problems()
    if problems:
        return settings_failure(settings, problems, set(overrides(args)))
    checked = workflow.copy()
    checked.run_settings = settings
    issues = validate(checked)
    for issue in issues:
        print(issue.render(), file=sys.stderr)
    if errors(issues):
        return fail(f"workflow {workflow.name!r} is invalid ({len(errors(issues))} error(s) above); nothing was run",
                    EXIT_INVALID)
    return None


def default_jobs(args: argparse.Namespace, tasks: int) -> int:
    jobs = args.jobs if args.jobs is not None else os.cpu_count() or 1
    return max(1, min(jobs, tasks))


def print_estimate(estimate: RunEstimate) -> None:
    """The run estimate's warnings, one ``warning:`` line each, before the run starts."""
    for problem in estimate.warnings():
        print(f"warning: {problem.render()}", file=sys.stderr)


def simulate_with_progress(workflow: Workflow, scenario_ids: list[str | None], settings: RunSettings,
                           args: argparse.Namespace, cluster: str | None = None,
                           backlog_limit: int = MAX_BACKLOG_ITEMS, trace_items: int = 0) -> RunResult | int:
    """Run the scenarios with a progress bar on stderr; an exit code when the run is refused (see the module
    rules), fails or is interrupted."""
    tasks = len(scenario_ids) * settings.replications
    executor = make_executor(jobs=default_jobs(args, tasks), cluster=cluster)
    bar = ProgressBar("Simulating", tasks)
    try:
        return run_scenarios(workflow, scenario_ids, settings, executor=executor,
                             on_progress=lambda p: bar.update(p.fraction, p.replications_done),
                             backlog_limit=backlog_limit, on_estimate=print_estimate, trace_items=trace_items)
    except SimulationError as error:
        bar.close()
        for issue in error.issues:
            print(issue.render(), file=sys.stderr)
        return fail(error.render(), EXIT_INVALID)
    except KeyboardInterrupt:
        bar.close()
        return fail("cancelled; nothing was stored or written", EXIT_INTERRUPTED)
    finally:
        bar.close()


def stopped_failure(run: RunResult, consequence: str) -> int | None:
    """The exit code (after one ``error:`` line) for a run the backlog guard cut short, else None."""
    summary = run.stop_summary()
    if not summary:
        return None
    return fail(f"{summary}; the figures cover each replication only up to its stop, so {consequence}", EXIT_INVALID)
