"""Validation: ``validate(workflow)`` lists everything that stops a run or deserves a second look.

Validation never raises on a weird model; it reports. The checks, each documented in its module:
- :mod:`flowmodel.validation_graph` — sources and outcomes, reachability, edges, loops with no exit;
- :mod:`flowmodel.validation_routing` — probabilities summing to 1, attribute-router conditions;
- :mod:`flowmodel.validation_parameters` — rates, mixes, profiles, durations, SLAs, rosters, time zones,
  team stage lists, run settings, scenarios;
- :mod:`flowmodel.validation_quality` — ground truth, splits by truth, decisions, accuracy, QA sampling
  (nothing for a model without decision quality);
- :mod:`flowmodel.validation_capacity` — teams and skills per stage; then, only if nothing above is an
  error, offered load against staffed capacity (traffic equations) and SLA feasibility;
- :mod:`flowmodel.validation_sla` — also only without errors: SLA targets on a priority that never
  reaches their stage.
- :mod:`flowmodel.validation_wellness` — wellness caps' range and categories; only without errors, capped hours
  a day below a category's daily work.
- :mod:`flowmodel.validation_start_state` — today's backlog (nothing for a model without a start state).

A check that itself fails on a value no editor can produce becomes an error with rule ``check-failed``
rather than an exception. Issues come in that order. Errors block a run; warnings do not. A stage with
an expiry needs no "expired" outcome: expired items leave the workflow as expired implicitly.

Scenarios: when the baseline has no errors, each scenario that applies is checked the same way (shape,
routing, parameters, staffing — not load, which a scenario is often meant to change). Its errors become
one ``scenario-invalid`` warning per scenario: the baseline can still run, but that scenario cannot
(a scale of −10 on a rate, a shift cut to a negative headcount).

Launch plans (:mod:`flowmodel.validation_launch`), also only when the baseline has no errors, come last: what
the engine would refuse in a plan (errors), and what would make it change nothing or leave the model invalid at a
timed change's launch or settled value (warnings). A model without launch plans gets no issue from them.
"""

from __future__ import annotations

from collections.abc import Callable

from flowmodel.errors import ModelError
from flowmodel.scenarios import apply_scenario
from flowmodel.validation_capacity import check_load, check_staffing
from flowmodel.validation_graph import check_graph
from flowmodel.validation_issues import Issue, errors
from flowmodel.validation_launch import check_launch_plans
from flowmodel.validation_parameters import check_parameters
from flowmodel.validation_quality import check_quality
from flowmodel.validation_routing import check_routing
from flowmodel.validation_sla import check_sla_priorities
from flowmodel.validation_start_state import check_start_state
from flowmodel.validation_wellness import check_wellness_caps, check_wellness_load
from flowmodel.workflow import Workflow

__all__ = ["Issue", "errors", "validate"]

_CHECKS: tuple[tuple[str, Callable[[Workflow], list[Issue]]], ...] = (
    ("the workflow's shape", check_graph),
    ("routing", check_routing),
    ("parameters", check_parameters),
    ("staffing", check_staffing),
    ("decision quality", check_quality),
    ("wellness caps", check_wellness_caps),
    ("today's backlog", check_start_state),
)


def validate(workflow: Workflow) -> list[Issue]:
    """Every issue of ``workflow``: errors (blocking) and warnings, in check order."""
    issues: list[Issue] = []
    for what, check in _CHECKS:
        issues += _guarded(what, check, workflow)
    if not errors(issues):
        issues += _guarded("the load on each stage", check_load, workflow)
        issues += _guarded("the wellness caps' load", check_wellness_load, workflow)
        issues += _guarded("what the SLA targets measure", check_sla_priorities, workflow)
        issues += _guarded("the scenarios", check_scenarios, workflow)
        issues += _guarded("the launch plans", lambda w: check_launch_plans(w, _model_errors), workflow)
    return issues


def _model_errors(model: Workflow) -> list[Issue]:
    """The errors of the checks a scenario's model gets (shape, routing, parameters, staffing)."""
    return errors([issue for what, check in _CHECKS for issue in _guarded(what, check, model)])


#: Errors a scenario causes that a rule of their own already reports for that scenario, with the fix (a branch
#: sum off 100 %: ``scenario-probability-sum``); ``scenario-invalid`` would only say it again.
SAID_PER_SCENARIO = frozenset({"probability-sum"})


def check_scenarios(workflow: Workflow) -> list[Issue]:
    """A ``scenario-invalid`` warning for each scenario that applies but leaves the model with errors."""
    issues: list[Issue] = []
    for scenario in workflow.scenarios.values():
        try:
            model = apply_scenario(workflow, scenario)
        except ModelError:
            continue  # reported as scenario-does-not-apply by the parameter checks
        model.scenarios.clear()
        found = [issue for issue in errors([issue for what, check in _CHECKS for issue in _guarded(what, check, model)])
                 if issue.rule not in SAID_PER_SCENARIO]
        if found:
            listed = "; ".join(issue.message for issue in found[:3])
            more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
            first = found[0]
            issues.append(Issue("warning", f"Scenario “{scenario.name}” makes the model invalid: {listed}{more}",
                                "fix the scenario's changes in the scenario editor; the baseline can still run",
                                node_id=first.node_id, edge_id=first.edge_id, team_id=first.team_id,
                                field="scenarios", rule="scenario-invalid"))
    return issues


def _guarded(what: str, check: Callable[[Workflow], list[Issue]], workflow: Workflow) -> list[Issue]:
    """Run one group of checks; a model so malformed that a check itself fails (a value of a type no
    editor can produce) becomes an error issue instead of a traceback in the planner's face."""
    try:
        return check(workflow)
    except Exception as error:  # validation must report, never raise
        return [Issue("error", f"Could not check {what}: {type(error).__name__}: {error}",
                      "undo the last edit or re-open the file; if it persists, report it with the file",
                      rule="check-failed")]
