"""What a staffing plan must achieve, and which targets no staffing can achieve.

Rules:
- SLA goals come from the model: one per review stage × :class:`flowmodel.nodes.SlaTarget` ("share of items
  of a priority decided within a time, counted from creation", or on the wait clock "picked up within a time
  of arrival at the stage"), exactly what the simulation reports as ``sla_attainment_share``; a target for a
  priority that never reaches its stage is left out. Optional extra
  targets: a maximum occupancy per team (simulated utilisation) and a
  maximum end-of-horizon backlog (items waiting in all queues together).
- A target counts as met when the bound of its confidence interval on the safe side clears it: the lower
  bound of SLA attainment ≥ the share; the upper bound of occupancy and of backlog ≤ the maximum
  (Student t across replications at ``confidence``). With one replication the mean is used.
- Cost: paid reviewer-hours × the team's ``hourly_cost`` (``hourly_cost`` here overrides it per team id).
- Decision variables are headcount per team × shift × day group. ``day_groups`` are groups of weekdays
  (0 = Monday) that share one headcount: by default weekdays (Mon–Fri) and weekends (Sat–Sun) — what a
  planner rosters; :data:`DAY_GROUPS_ALL_WEEK` gives one figure per shift.
- Infeasible targets, found without simulating: a stage that no team works, or that no team working it can
  review for some item class (skills); a time-to-decision goal whose time is shorter than the handle time
  for more than the allowed share (a wait goal ends when review starts, so enough reviewers always meet
  it) — even with no wait, P(handle time ≤ within) < share, or P(upstream delays + handle time ≤ within) <
  share where every route to the stage passes delays (:mod:`simulations.staffing.upstream`: an appeal
  window counts against a goal from creation) — so no headcount can meet it; an occupancy cap
  of 0 or less. They are reported with the reason, and :func:`feasible_targets` leaves them
  out so that the search still staffs every other target.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from flowmodel.distributions import to_seconds
from flowmodel.errors import ModelError
from flowmodel.nodes import ReviewStage
from flowmodel.traffic import class_rates
from flowmodel.workflow import Workflow
from simulations.staffing.handle_times import class_mix, mixed_share_within
from simulations.staffing.upstream import dominating_delays, upstream_seconds

DAY_GROUPS_WEEKDAY_WEEKEND: tuple[tuple[int, ...], ...] = ((0, 1, 2, 3, 4), (5, 6))
DAY_GROUPS_ALL_WEEK: tuple[tuple[int, ...], ...] = ((0, 1, 2, 3, 4, 5, 6),)
DAY_GROUPS_EACH_DAY: tuple[tuple[int, ...], ...] = tuple((day,) for day in range(7))
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe_days(days: tuple[int, ...]) -> str:
    """``Mon–Fri``, ``Sat–Sun``, ``Mon–Sun`` or a list for gaps."""
    if len(days) > 1 and list(days) == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_NAMES[days[0]]}–{WEEKDAY_NAMES[days[-1]]}"
    return ", ".join(WEEKDAY_NAMES[d] for d in days)


@dataclass(frozen=True)
class SlaGoal:
    stage_id: str
    stage_name: str
    priority: str
    within_s: float
    share: float
    clock: str = "decision"

    @property
    def key(self) -> str:
        """The simulation's scope id of this goal (``<stage id>:<priority>``)."""
        return f"{self.stage_id}:{self.priority}"

    def describe(self) -> str:
        if self.clock == "wait":
            return (f"{self.stage_name} · {self.priority}: {self.share:.0%} picked up within "
                    f"{_duration(self.within_s)} of arrival at the stage")
        return f"{self.stage_name} · {self.priority}: {self.share:.0%} within {_duration(self.within_s)}"


@dataclass(frozen=True)
class StaffingTargets:
    sla: tuple[SlaGoal, ...]
    max_occupancy: float | None = None
    max_backlog: float | None = None
    confidence: float = 0.95
    day_groups: tuple[tuple[int, ...], ...] = DAY_GROUPS_WEEKDAY_WEEKEND
    hourly_cost: dict[str, float] = field(default_factory=dict)

    def cost_per_hour(self, workflow: Workflow, team_id: str) -> float:
        return self.hourly_cost.get(team_id, workflow.teams[team_id].hourly_cost)


@dataclass(frozen=True)
class Infeasibility:
    """A target no staffing can meet: ``where`` names the stage (and priority), ``reason`` says why;
    ``stage_id`` and ``priority`` say which goals it rules out (an empty priority: all of the stage's)."""

    where: str
    reason: str
    stage_id: str = ""
    priority: str = ""

    def render(self) -> str:
        return f"{self.where}: {self.reason}"


def targets_from_model(workflow: Workflow, *, max_occupancy: float | None = None, max_backlog: float | None = None,
                       confidence: float = 0.95,
                       day_groups: tuple[tuple[int, ...], ...] = DAY_GROUPS_WEEKDAY_WEEKEND) -> StaffingTargets:
    """Every SLA target of every review stage, plus the optional caps."""
    rates = class_rates(workflow)
    goals = [SlaGoal(node.id, node.name, target.priority, to_seconds(target.within, target.unit), target.share,
                     target.clock)
             for node in workflow.nodes.values() if isinstance(node, ReviewStage) for target in node.sla
             if any(rate > 0 and c.priority == target.priority for c, rate in rates.get(node.id, {}).items())]
    days = sorted(d for group in day_groups for d in group)
    if days != list(range(7)):
        raise ModelError("day groups must list every weekday exactly once", where="staffing targets · day_groups",
                         hint="use weekdays and weekends, the whole week, or each day on its own")
    if not 0.5 <= confidence < 1.0:
        raise ModelError(f"the confidence level must be between 0.5 and 1, not {confidence}",
                         where="staffing targets · confidence", hint="use e.g. 0.95")
    return StaffingTargets(tuple(goals), max_occupancy, max_backlog, confidence, day_groups)


#: Equally likely upstream delays the feasibility check averages over (its answer is in the tail).
FEASIBILITY_POINTS = 512


def infeasible_targets(workflow: Workflow, targets: StaffingTargets) -> list[Infeasibility]:
    """The targets no staffing can meet, with the reason (see the module docstring); quick, no simulation."""
    rates = class_rates(workflow)
    out: list[Infeasibility] = []
    for node in workflow.nodes.values():
        if not isinstance(node, ReviewStage) or not rates.get(node.id):
            continue
        teams = workflow.teams_for_stage(node.id)
        if not teams:
            out.append(Infeasibility(node.name, "no team works this stage, so its items are never reviewed",
                                     node.id))
            continue
        for item_class, rate in rates[node.id].items():
            if rate > 0 and not any(t.can_review(item_class.language, item_class.category) for t in teams):
                out.append(Infeasibility(node.name, f"no team working it can review {item_class.language}/"
                                                    f"{item_class.category} items (skills)", node.id))
    for goal in targets.sla:
        stage = workflow.nodes.get(goal.stage_id)
        if not isinstance(stage, ReviewStage) or goal.clock == "wait":
            continue
        mix = class_mix(stage, rates.get(goal.stage_id, {}), goal.priority)
        if not mix:
            continue
        upstream = upstream_seconds(workflow, goal.stage_id, FEASIBILITY_POINTS)
        if upstream is None:
            best = mixed_share_within(mix, goal.within_s)
            why = (f"the target ({goal.share:.0%} within {_duration(goal.within_s)}) is below the handle time: even "
                   f"with no wait only {best:.1%} of reviews end within {_duration(goal.within_s)}")
        else:
            best = float(np.mean([mixed_share_within(mix, goal.within_s - u) for u in upstream]))
            names = ", ".join(d.name for d in dominating_delays(workflow, goal.stage_id))
            why = (f"the target ({goal.share:.0%} within {_duration(goal.within_s)} of creation) is below what the "
                   f"delays before the stage ({names}) and the handle time allow: even with no wait only "
                   f"{best:.1%} of items are decided in time")
        if best < goal.share:
            out.append(Infeasibility(f"{goal.stage_name} · {goal.priority}", why, goal.stage_id, goal.priority))
    if targets.max_occupancy is not None and targets.max_occupancy <= 0:
        out.append(Infeasibility("maximum occupancy", "must be above 0 %"))
    return out


def feasible_targets(workflow: Workflow, targets: StaffingTargets, infeasible: list[Infeasibility]
                     ) -> StaffingTargets:
    """``targets`` without the ones ``infeasible`` rules out, so that the rest can still be staffed."""
    ruled_out = {(i.stage_id, i.priority) for i in infeasible if i.stage_id}
    goals = tuple(g for g in targets.sla
                  if (g.stage_id, "") not in ruled_out and (g.stage_id, g.priority) not in ruled_out)
    occupancy = targets.max_occupancy if targets.max_occupancy is None or targets.max_occupancy > 0 else None
    return replace(targets, sla=goals, max_occupancy=occupancy)


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds / 60:g} min" if seconds >= 120 else f"{seconds:g} s"


@dataclass(frozen=True)
class TeamShift:
    """One decision variable: the headcount of ``team``'s shift on the weekdays of ``days``."""

    team_id: str
    team_name: str
    shift_index: int
    shift_name: str
    days: tuple[int, ...]

    @property
    def key(self) -> tuple[str, int, tuple[int, ...]]:
        return self.team_id, self.shift_index, self.days

    def describe(self) -> str:
        return f"{self.team_name} · {self.shift_name} · {describe_days(self.days)}"

    def covers(self, workflow: Workflow, local_hour_of_week: float) -> bool:
        """Whether this shift, started on one of ``days``, is under way at the team's local hour of the week."""
        shift = workflow.teams[self.team_id].shifts[self.shift_index]
        return any((local_hour_of_week - (day * 24 + shift.start_hour)) % 168 < shift.hours for day in self.days)


def team_shifts(workflow: Workflow, day_groups: tuple[tuple[int, ...], ...]) -> list[TeamShift]:
    """Every team × shift × day group of teams that work at least one stage (shifts of 0 hours left out)."""
    return [TeamShift(team.id, team.name, index, shift.name, tuple(days))
            for team in workflow.teams.values() if team.stages
            for index, shift in enumerate(team.shifts) if shift.hours > 0
            for days in day_groups]
