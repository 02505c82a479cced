"""The pooled first guess: the cheapest whole-number roster per team-shift that covers every stage's hourly
need, with credit for teams that share stages and for work carried over a few hours.

Rules:
- Need: each stage's reviewers per hour of the first week from :func:`analytic_guess` (Erlang C on wait +
  handle time for the stage's goals, expiry, occupancy cap), in *available* reviewers.
- Pools: a team's available reviewers in an hour (heads of its shifts under way × (1 − shrinkage)) may be
  spread over all the stages it works, in any split (a mixed-integer programme over flows team → stage,
  solved by HiGHS through :func:`scipy.optimize.milp`). That is the credit for shared teams the per-team
  guess does not give: a specialist idle on its own stage covers tier 1's peak.
- Carry-over: a stage may end an hour with unserved need (in reviewer-hours), as long as that backlog is no
  more than the need of its last ``D`` hours — work waits at most ``D`` hours. ``D`` is half the stage's
  tightest goal window (whole hours, at most :data:`MAX_CARRY_HOURS`; stages without goals
  :data:`NO_GOAL_CARRY_HOURS`). Half, because the fluid picture has no queueing noise and the clock also runs
  upstream. The week wraps around (the backlog at its end is the backlog at its start).
- Skills: where only some of a stage's teams can review some of its items (languages, categories), those teams
  together give at least those items' share of the stage's need in every hour (a cut without carry-over), so
  the programme cannot staff an EN and ES stage with the PT team alone.
- Hours with need at a stage but no team working it on shift are left out (they are the coverage gaps
  the plan's notes name; no headcount helps there); a backlog cap that cannot hold is allowed at a heavy
  penalty rather than making the programme infeasible.
- Cost: a reviewer's weekly cost on the team-shift (paid hours when teams have no cost). Every team keeps
  at least one head on some shift (a team with nobody rostered makes the model invalid).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from flowmodel.workflow import Workflow
from simulations.staffing.analytic import HOURS, AnalyticGuess
from simulations.staffing.targets import StaffingTargets, TeamShift

MAX_CARRY_HOURS = 12
NO_GOAL_CARRY_HOURS = 12
PENALTY = 1e4


def carry_hours(workflow: Workflow, targets: StaffingTargets, stage_id: str) -> int:
    """``D`` of the module rules: how many hours a stage's unserved need may wait in the fluid picture."""
    windows = [g.within_s for g in targets.sla if g.stage_id == stage_id]
    if not windows:
        return NO_GOAL_CARRY_HOURS
    return max(0, min(MAX_CARRY_HOURS, math.floor(0.5 * min(windows) / 3600.0)))


def pooled_guess(workflow: Workflow, targets: StaffingTargets, guess: AnalyticGuess,
                 on_shift: dict[tuple[tuple[str, int, tuple[int, ...]], int], bool],
                 weekly_cost: dict[tuple[str, int, tuple[int, ...]], float]
                 ) -> dict[tuple[str, int, tuple[int, ...]], int]:
    """Heads per team-shift (see the module rules); falls back to the per-team guess if HiGHS finds nothing."""
    variables: list[TeamShift] = [g.team_shift for g in guess.shifts]
    fallback = {g.team_shift.key: g.rounded for g in guess.shifts}
    stages = [s for s in guess.stage_reviewers if any(guess.stage_reviewers[s])]
    if not variables or not stages:
        return fallback
    teams = {v.team_id for v in variables}
    flows = [(t, s, k) for t in sorted(teams) for s in workflow.teams[t].stages if s in stages for k in range(HOURS)
             if any(on_shift[(v.key, k)] for v in variables if v.team_id == t)]
    n_x, n_y, n_b = len(variables), len(flows), len(stages) * HOURS
    n = n_x + n_y + 2 * n_b  # x, y, backlog, backlog-cap slack
    flow_index = {f: n_x + i for i, f in enumerate(flows)}
    stage_pos = {s: i for i, s in enumerate(stages)}

    def backlog(s: str, k: int) -> int:
        return n_x + n_y + stage_pos[s] * HOURS + k % HOURS

    served = {(s, k) for _, s, k in flows}
    rows: list[tuple[dict[int, float], float, float]] = []
    for s in stages:
        need = [float(r) if (s, k) in served else 0.0 for k, r in enumerate(guess.stage_reviewers[s])]
        carry = carry_hours(workflow, targets, s)
        for k in range(HOURS):
            # backlog[k+1] = backlog[k] + need[k] − served[k]
            row = {backlog(s, k + 1): 1.0, backlog(s, k): -1.0}
            for t in teams:
                if (t, s, k) in flow_index:
                    row[flow_index[(t, s, k)]] = 1.0
            if backlog(s, k + 1) == backlog(s, k):
                row = {i: v for i, v in row.items() if i != backlog(s, k)}
            rows.append((row, need[k], need[k]))
            recent = sum(need[(k - j) % HOURS] for j in range(1, carry + 1))
            rows.append(({backlog(s, k): 1.0, n_b + backlog(s, k): -1.0}, -np.inf, recent))
    for (s, able), need in guess.skill_needs.items():
        if s not in stage_pos:
            continue
        for k in range(HOURS):
            row = {flow_index[(t, s, k)]: 1.0 for t in able if (t, s, k) in flow_index}
            if row and need[k] > 0:
                rows.append((row, need[k], np.inf))
    for t in teams:
        shrink = 1.0 - workflow.teams[t].shrinkage
        members = [i for i, v in enumerate(variables) if v.team_id == t]
        for k in range(HOURS):
            row = {flow_index[(t, s, k)]: 1.0 for s in stages if (t, s, k) in flow_index}
            if row:
                row.update({i: -shrink for i in members if on_shift[(variables[i].key, k)]})
                rows.append((row, -np.inf, 0.0))
        rows.append(({i: 1.0 for i in members}, 1.0, np.inf))
    matrix = lil_matrix((len(rows), n))
    for r, (row, _, _) in enumerate(rows):
        for i, value in row.items():
            matrix[r, i] = value
    cost = np.zeros(n)
    for i, v in enumerate(variables):
        cost[i] = weekly_cost[v.key]
    cost[n_x + n_y + n_b:] = PENALTY * max(cost[:n_x].max(), 1.0)
    integrality = np.zeros(n)
    integrality[:n_x] = 1
    result = milp(cost, constraints=LinearConstraint(matrix.tocsr(), [r[1] for r in rows], [r[2] for r in rows]),
                  integrality=integrality, bounds=Bounds(0, np.inf), options={"time_limit": 3.0, "mip_rel_gap": 0.02})
    if result.x is None:
        return fallback
    return {v.key: round(float(result.x[i])) for i, v in enumerate(variables)}
