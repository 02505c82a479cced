"""The staffing recommendation as a planner reads it, and as a scenario the app can apply.

Rules:
- One row per team × shift × day group: the current heads on shift (per day of the group; the row shows the
  largest when they differ), the recommended heads on shift for every day of the group, the delta
  (recommended − largest current), the per-team Erlang guess (fractional and rounded, no pooling), the pooled
  first guess, and the paid cost per week (heads × shift hours × days × the team's hourly cost; shrinkage
  does not reduce paid hours).
- People, not only heads: paid hours per week = heads × shift hours × days; FTE = paid hours ÷ the team's
  contract hours (one person's paid hours a week). Heads on shift already include shrinkage — of them,
  heads × (1 − shrinkage) are available to review — so FTE needs no further shrinkage factor; it is stated
  beside the figure. :meth:`StaffingPlan.team_totals` sums them per team.
- ``status``: ``met`` (every target met with the stated confidence), ``not_met`` (the raise stopped first — at
  the simulation bound, when more reviewers no longer helped, or when a roster left the model unable to run;
  the last plan tried is reported and a note says which), ``infeasible`` (some targets no staffing can meet:
  listed with the reason; every other target was still staffed and ``achieved`` says whether it is met).
- How sure: each achieved target carries its mean, confidence interval (at ``confidence``) and the
  replications behind it; ``evaluations`` counts rosters simulated (``rosters_by_phase``: screen, trim,
  confirm), ``replications_run`` every replication run, ``screen_settings`` the screening horizon.
- ``trim_checks`` are the proof of minimality: for each team-shift with heads, one reviewer fewer and the
  targets that then failed — at screening length in the trim, or at full length where the confirmation raised
  that team-shift. Empty when a bound stopped the trim first.
- :func:`plan_to_scenario` gives a scenario with the base scenario's changes followed by one ``set`` of each
  changed shift's 7-day headcount (path ``shifts.<name>.headcount``), so applying it to the workflow
  reproduces the recommended roster on top of the scenario the plan was made for.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from flowmodel.errors import ModelError
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Change, Scenario, apply_scenario
from flowmodel.teams import DEFAULT_CONTRACT_HOURS
from flowmodel.workflow import Workflow
from simulations.staffing.targets import Infeasibility, describe_days

PlanStatus = Literal["met", "not_met", "infeasible"]


@dataclass(frozen=True)
class StaffingRow:
    team_id: str
    team_name: str
    shift_index: int
    shift_name: str
    days: tuple[int, ...]
    current: tuple[int, ...]
    recommended: int
    analytic_fractional: float
    analytic_rounded: int
    shift_hours: float
    hourly_cost: float
    pooled_guess: int = 0
    shrinkage: float = 0.0
    contract_hours: float = DEFAULT_CONTRACT_HOURS

    @property
    def paid_hours_current_per_week(self) -> float:
        return self.shift_hours * sum(self.current)

    @property
    def paid_hours_recommended_per_week(self) -> float:
        return self.shift_hours * self.recommended * len(self.days)

    @property
    def fte_current(self) -> float:
        return self.paid_hours_current_per_week / self.contract_hours

    @property
    def fte_recommended(self) -> float:
        """People to hire for this row: paid hours ÷ contract hours."""
        return self.paid_hours_recommended_per_week / self.contract_hours

    @property
    def days_label(self) -> str:
        return describe_days(self.days)

    @property
    def current_max(self) -> int:
        return max(self.current, default=0)

    @property
    def delta(self) -> int:
        return self.recommended - self.current_max

    @property
    def cost_current_per_week(self) -> float:
        return self.hourly_cost * self.shift_hours * sum(self.current)

    @property
    def cost_recommended_per_week(self) -> float:
        return self.hourly_cost * self.shift_hours * self.recommended * len(self.days)

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "days_label": self.days_label, "delta": self.delta,
                "cost_current_per_week": self.cost_current_per_week,
                "cost_recommended_per_week": self.cost_recommended_per_week,
                "paid_hours_current_per_week": self.paid_hours_current_per_week,
                "paid_hours_recommended_per_week": self.paid_hours_recommended_per_week,
                "fte_current": self.fte_current, "fte_recommended": self.fte_recommended}


@dataclass(frozen=True)
class TeamTotal:
    """One team's recommendation in people: paid hours, FTE (at its contract hours) and cost per week."""

    team_name: str
    contract_hours: float
    shrinkage: float
    paid_hours_current: float
    paid_hours_recommended: float
    cost_current: float
    cost_recommended: float

    @property
    def fte_current(self) -> float:
        return self.paid_hours_current / self.contract_hours

    @property
    def fte_recommended(self) -> float:
        return self.paid_hours_recommended / self.contract_hours

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "fte_current": self.fte_current, "fte_recommended": self.fte_recommended}


@dataclass(frozen=True)
class TargetResult:
    """A target as the final simulation saw it: ``kind`` is ``sla``, ``occupancy`` or ``backlog``."""

    kind: str
    where: str
    target: float
    mean: float
    ci_low: float
    ci_high: float
    n: int
    met: bool


@dataclass(frozen=True)
class TrimCheck:
    team_shift: str
    headcount_tried: int
    met: bool
    failing: tuple[str, ...]
    phase: str = "trim"
    """``trim``: judged at screening length; ``confirm``: the full-length confirmation missed there."""


@dataclass
class StaffingPlan:
    workflow_id: str
    workflow_name: str
    scenario_id: str | None
    scenario_name: str
    settings: RunSettings
    confidence: float
    status: PlanStatus
    rows: list[StaffingRow] = field(default_factory=list)
    achieved: list[TargetResult] = field(default_factory=list)
    infeasible: list[Infeasibility] = field(default_factory=list)
    trim_checks: list[TrimCheck] = field(default_factory=list)
    evaluations: int = 0
    max_evaluations: int = 0
    notes: list[str] = field(default_factory=list)
    screen_settings: RunSettings | None = None
    replications_run: int = 0
    rosters_by_phase: dict[str, int] = field(default_factory=dict)
    wall_seconds: float = 0.0

    def team_totals(self) -> list[TeamTotal]:
        """Per team, in row order: paid hours, FTE and cost per week, now and recommended."""
        totals: dict[str, TeamTotal] = {}
        for row in self.rows:
            before = totals.get(row.team_id) or TeamTotal(row.team_name, row.contract_hours, row.shrinkage,
                                                          0.0, 0.0, 0.0, 0.0)
            totals[row.team_id] = dataclasses.replace(
                before, paid_hours_current=before.paid_hours_current + row.paid_hours_current_per_week,
                paid_hours_recommended=before.paid_hours_recommended + row.paid_hours_recommended_per_week,
                cost_current=before.cost_current + row.cost_current_per_week,
                cost_recommended=before.cost_recommended + row.cost_recommended_per_week)
        return list(totals.values())

    @property
    def fte_recommended(self) -> float:
        return sum(t.fte_recommended for t in self.team_totals())

    @property
    def fte_current(self) -> float:
        return sum(t.fte_current for t in self.team_totals())

    @property
    def bound_hit(self) -> bool:
        return self.status == "not_met"

    @property
    def cost_current_per_week(self) -> float:
        return sum(row.cost_current_per_week for row in self.rows)

    @property
    def cost_recommended_per_week(self) -> float:
        return sum(row.cost_recommended_per_week for row in self.rows)

    @property
    def cost_delta_per_week(self) -> float:
        return self.cost_recommended_per_week - self.cost_current_per_week

    def headcount(self, team_name: str, shift_name: str, day: int = 0) -> int:
        """The recommended headcount of a team's shift on ``day`` (by names: convenient in reports and tests)."""
        for row in self.rows:
            if row.team_name == team_name and row.shift_name == shift_name and day in row.days:
                return row.recommended
        raise KeyError(f"no row for {team_name} · {shift_name} on day {day}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "flowmodel.staffing-plan", "version": 2,
            "workflow": {"id": self.workflow_id, "name": self.workflow_name},
            "scenario": {"id": self.scenario_id, "name": self.scenario_name},
            "settings": dataclasses.asdict(self.settings), "confidence": self.confidence, "status": self.status,
            "rows": [row.to_dict() for row in self.rows],
            "targets": [dataclasses.asdict(t) for t in self.achieved],
            "infeasible": [dataclasses.asdict(i) for i in self.infeasible],
            "trim_checks": [dataclasses.asdict(c) for c in self.trim_checks],
            "cost_per_week": {"current": self.cost_current_per_week, "recommended": self.cost_recommended_per_week,
                              "delta": self.cost_delta_per_week},
            "teams": [t.to_dict() for t in self.team_totals()],
            "fte": {"current": self.fte_current, "recommended": self.fte_recommended},
            "evaluations": self.evaluations, "max_evaluations": self.max_evaluations, "notes": list(self.notes),
            "simulated": {"rosters": self.evaluations, "rosters_by_phase": dict(self.rosters_by_phase),
                          "replications": self.replications_run, "wall_seconds": self.wall_seconds,
                          "screen_settings": dataclasses.asdict(self.screen_settings)
                          if self.screen_settings is not None else None},
        }


def _shift_path(workflow: Workflow, team_id: str, shift_index: int) -> str:
    """``shifts.<name>.headcount`` when the name picks this shift, else by index."""
    shifts = workflow.teams[team_id].shifts
    name = shifts[shift_index].name
    first = next(i for i, s in enumerate(shifts) if s.name == name)
    return f"shifts.{name}.headcount" if first == shift_index and not name.isdigit() else \
        f"shifts.{shift_index}.headcount"


#: A plan's ``status`` in a planner's words (exports and the command line).
STATUS_WORDS = {"met": "every target met", "not_met": "targets still missed when the search stopped",
                "infeasible": "some targets no staffing can meet; the others staffed"}


def minimality_summary(plan: StaffingPlan) -> str:
    """How the plan proves it is minimal, in one sentence (empty when the trim did not finish)."""
    if not plan.trim_checks:
        return ""
    stability = sum(1 for c in plan.trim_checks if c.failing and c.failing[0].startswith("stability:"))
    confirmed = sum(1 for c in plan.trim_checks if c.phase == "confirm")
    parts = [f"{len(plan.trim_checks) - stability - confirmed} by a screening simulation"] if \
        len(plan.trim_checks) - stability - confirmed else []
    if stability:
        parts.append(f"{stability} because the backlog would then grow week after week (interval estimate)")
    if confirmed:
        parts.append(f"{confirmed} by the full-length confirmation")
    return (f"Minimal: one reviewer fewer on any of the {len(plan.trim_checks)} staffed team-shifts misses a target "
            f"— {'; '.join(parts)}.")


def roster_changes(workflow: Workflow, headcounts: dict[tuple[str, int, tuple[int, ...]], int]) -> list[Change]:
    """``set`` changes giving each (team, shift, days) its headcount on those days (other days unchanged)."""
    merged: dict[tuple[str, int], list[int]] = {}
    for (team_id, shift_index, days), count in headcounts.items():
        week = merged.setdefault((team_id, shift_index),
                                 list(workflow.teams[team_id].shifts[shift_index].headcount))
        for day in days:
            week[day] = int(count)
    return [Change(team_id, _shift_path(workflow, team_id, shift_index), "set", week, note="staffing recommendation")
            for (team_id, shift_index), week in merged.items()
            if week != list(workflow.teams[team_id].shifts[shift_index].headcount)]


def plan_to_scenario(workflow: Workflow, plan: StaffingPlan, name: str) -> Scenario:
    """A new scenario: the plan's base scenario plus the recommended roster (see the module docstring)."""
    base = workflow.scenarios.get(plan.scenario_id) if plan.scenario_id else None
    if plan.scenario_id and base is None:
        raise ModelError(f"the plan was made for scenario {plan.scenario_name!r}, which this workflow no longer has",
                         where=workflow.name, hint="recommend staffing again for an existing scenario")
    for row in plan.rows:
        team = workflow.teams.get(row.team_id)
        if team is None or row.shift_index >= len(team.shifts):
            raise ModelError(f"the plan staffs {row.team_name} · {row.shift_name}, which this workflow no longer has",
                             where=workflow.name, hint="recommend staffing again for the current workflow")
    staffed = apply_scenario(workflow, base)
    changes = roster_changes(staffed, {(r.team_id, r.shift_index, r.days): r.recommended for r in plan.rows})
    described = f"Staffing recommended for {plan.scenario_name} ({plan.status}); cost per week " \
                f"{plan.cost_recommended_per_week:,.0f} ({plan.cost_delta_per_week:+,.0f})."
    return Scenario(name=name, description=described,
                    changes=copy.deepcopy(base.changes if base else []) + changes)
