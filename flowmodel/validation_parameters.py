"""Validation of numbers and names a simulation cannot use. Every issue names the field at fault.

Rules (errors unless stated):
- ``invalid-rate``: a source's ``rate_per_hour`` must be a number > 0.
- ``invalid-mix``: a source's item mix needs entries, shares ≥ 0, summing to 1 (within 1e-6).
- ``invalid-profile``: daily profiles have 24 multipliers, weekly 168; none negative, not all zero.
- ``invalid-surge``: surge multiplier ≥ 0, duration > 0, start ≥ 0.
- ``unknown-timezone``: source and team time zones must be IANA names (``Europe/Dublin``).
- ``invalid-distribution``: any duration with impossible parameters (``Distribution.problems``); the
  field is the distribution's path plus the parameter, e.g. ``handle_time.sd``.
- ``invalid-sla``: SLA share in (0, 1], ``within`` > 0, a known unit and clock (decision or wait).
- ``invalid-shrinkage``: in [0, 1). ``invalid-headcount``: 7 whole numbers ≥ 0 per shift.
  ``invalid-shift-hours``: shift length in (0, 24], start hour in [0, 24). ``invalid-cost``: ≥ 0.
  ``invalid-contract``: contract hours per person and week in (0, 168].
- ``team-stage-unknown``: a team's stage list names an id that is not a node;
  ``team-stage-not-review``: it names a node that is not a review stage.
- ``invalid-choice``: a router's mode or attribute, or a stage's queue discipline, that is not one of
  the known choices.
- ``invalid-run-settings``: :meth:`RunSettings.problems`.
- ``scenario-does-not-apply`` (warning): a scenario whose changes cannot be applied any more (a node
  it addresses was deleted); baseline runs are not blocked. (A scenario that applies but makes the model
  invalid is ``scenario-invalid``, see :mod:`flowmodel.validation`.)
- ``invalid-expiry``: a stage's time-to-live must have a mean above 0 (an expiry of 0 would expire every
  item that has to wait at all).
- ``past-limit``: a value past a plausibility limit of :mod:`flowmodel.limits` (a typo or a hostile file, not
  an operation): a source's rate above ``MAX_RATE_PER_HOUR``; a surge's multiplier, or the product of the
  surges overlapping at any hour, above ``MAX_SURGE_MULTIPLIER``; a surge's start or length past
  ``MAX_HORIZON_HOURS``; a shift's headcount on any weekday above ``MAX_HEADCOUNT``; any duration parameter
  a distribution uses (mean, sd, low, mode, high, each empirical sample) or an SLA's ``within`` longer than
  ``MAX_DURATION_SECONDS``; more than ``MAX_SAMPLES`` empirical samples. The message names the field, the
  value, the limit and why it is there. A number past the limit is not also reported by the rules above.
  Run settings past their limits are ``invalid-run-settings`` (horizon, replications, interval, points per
  series, start date range; see :meth:`RunSettings.problems`).
"""

from __future__ import annotations

import math
import zoneinfo

from flowmodel.distributions import PARAMETERS, SECONDS_PER_UNIT, Distribution
from flowmodel.errors import ModelError
from flowmodel.limits import (
    MAX_ABS_NUMBER,
    MAX_DURATION_SECONDS,
    MAX_HEADCOUNT,
    MAX_HORIZON_HOURS,
    MAX_RATE_PER_HOUR,
    MAX_SAMPLES,
    MAX_SURGE_MULTIPLIER,
)
from flowmodel.nodes import (
    ITEM_ATTRIBUTES,
    QUEUE_DISCIPLINES,
    SLA_CLOCKS,
    Classifier,
    Delay,
    Node,
    ReviewStage,
    Router,
    Source,
)
from flowmodel.scenarios import apply_scenario
from flowmodel.teams import HOURS_PER_WEEK, Team
from flowmodel.validation_issues import Issue, node_issue, team_issue
from flowmodel.validation_limits import comparable, finite, fmt, number_problem, past
from flowmodel.workflow import Workflow

MIX_TOLERANCE = 1e-6
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DURATION_LIMIT_TEXT = f"{fmt(MAX_DURATION_SECONDS / 86400.0)} days, the longest duration Flowmodel takes"
DURATION_HINT = "check the number and its unit: no moderation duration lasts a year"


def known_timezone(name: object) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def check_parameters(workflow: Workflow) -> list[Issue]:
    issues: list[Issue] = []
    for node in workflow.nodes.values():
        if isinstance(node, Source):
            issues += _source(node)
        elif isinstance(node, Classifier):
            issues += _distribution(node, node.latency, "latency")
        elif isinstance(node, ReviewStage):
            issues += _stage(node)
        elif isinstance(node, Delay):
            issues += _distribution(node, node.duration, "duration")
        elif isinstance(node, Router):
            issues += _choice(node, "mode", node.mode, ("attribute", "probability"))
            issues += _choice(node, "attribute", node.attribute, ITEM_ATTRIBUTES)
    for team in workflow.teams.values():
        issues += _team(workflow, team)
    for name, message in workflow.run_settings.problems():
        issues.append(Issue("error", f"Run settings: {message}", "correct the run settings before running",
                            field=f"run_settings.{name}", rule="invalid-run-settings"))
    for scenario in workflow.scenarios.values():
        try:
            apply_scenario(workflow, scenario)
        except ModelError as error:
            place = f"{error.where}: " if error.where else ""
            hint = f"{error.hint}; or fix or remove the change" if error.hint else "fix or remove the change"
            issues.append(Issue("warning", f"Scenario “{scenario.name}” does not apply: {place}{error.message}",
                                f"{hint} in the scenario editor", field="scenarios",
                                rule="scenario-does-not-apply"))
    return issues


def _source(source: Source) -> list[Issue]:
    issues: list[Issue] = []
    rate = finite(source.rate_per_hour)
    if past(source.rate_per_hour, MAX_RATE_PER_HOUR):
        issues.append(node_issue("error", "past-limit", source,
                                 f"the arrival rate of {fmt(source.rate_per_hour)} items per hour is above the "
                                 f"limit of {fmt(MAX_RATE_PER_HOUR)} per hour ({fmt(MAX_RATE_PER_HOUR * 24)} a day, "
                                 "more than a global platform's whole report volume)",
                                 "check the rate for a typo and that it is per hour", field="rate_per_hour"))
    elif rate is None or rate <= 0:
        issues.append(node_issue("error", "invalid-rate", source,
                                 f"arrival rate {source.rate_per_hour!r} per hour must be above 0",
                                 "enter the mean number of items per hour", field="rate_per_hour"))
    if not known_timezone(source.timezone):
        issues.append(node_issue("error", "unknown-timezone", source, f"unknown time zone {source.timezone!r}",
                                 "use a time zone name such as Europe/Dublin or America/New_York",
                                 field="timezone"))
    shares = [finite(entry.share) for entry in source.mix]
    if not source.mix:
        issues.append(node_issue("error", "invalid-mix", source, "the item mix is empty",
                                 "add at least one category × language × priority share", field="mix"))
    for i, share in enumerate(shares):
        if share is None or share < 0:
            issues.append(node_issue("error", "invalid-mix", source,
                                     f"item mix share {source.mix[i].share!r} must be a number ≥ 0",
                                     "enter a share between 0 and 1", field=f"mix.{i}.share"))
    if source.mix and all(s is not None and s >= 0 for s in shares):
        total = sum(s or 0.0 for s in shares)
        if abs(total - 1.0) > MIX_TOLERANCE:
            issues.append(node_issue("error", "invalid-mix", source, f"item mix shares sum to {total:.6g}, not 1",
                                     "adjust the shares so that they add up to 100 %", field="mix"))
    issues += _profile(source)
    for i in range(len(source.surges)):
        issues += _surge(source, i)
    return issues + _overlapping_surges(source)


#: Surge field → (limit, how a value of it is written, the limit and why as the message states it).
SURGE_LIMITS: dict[str, tuple[float, str, str]] = {
    "multiplier": (MAX_SURGE_MULTIPLIER, "×{}", f"×{fmt(MAX_SURGE_MULTIPLIER)} (a viral event multiplies reports "
                                               "by 2 to 50)"),
    "duration_hours": (MAX_HORIZON_HOURS, "{} h", f"{fmt(MAX_HORIZON_HOURS)} h (the longest horizon a run may have)"),
    "start_hour": (MAX_HORIZON_HOURS, "{} h", f"{fmt(MAX_HORIZON_HOURS)} h (the longest horizon a run may have)"),
}


def _surge(source: Source, i: int) -> list[Issue]:
    surge = source.surges[i]
    issues: list[Issue] = []
    for field, ok, text in (("multiplier", lambda v: v >= 0, "must be ≥ 0"),
                            ("duration_hours", lambda v: v > 0, "must be above 0"),
                            ("start_hour", lambda v: v >= 0, "must be ≥ 0")):
        raw = getattr(surge, field)
        limit, written, why = SURGE_LIMITS[field]
        if past(raw, limit):
            issues.append(node_issue("error", "past-limit", source,
                                     f"surge {surge.label or i + 1}: {field} {written.format(fmt(raw))} is above the "
                                     f"limit of {why}",
                                     "correct the surge or delete it", field=f"surges.{i}.{field}"))
        elif (value := finite(raw)) is None or not ok(value):
            issues.append(node_issue("error", "invalid-surge", source,
                                     f"surge {surge.label or i + 1}: {field} {raw!r} {text}",
                                     "correct the surge or delete it", field=f"surges.{i}.{field}"))
    return issues


def _overlapping_surges(source: Source) -> list[Issue]:
    """``past-limit`` when the surges overlapping at some hour multiply the rate past ``MAX_SURGE_MULTIPLIER``
    (overlapping surges multiply, :mod:`simulations.arrivals`). One sweep over the surges' starts and ends in
    logarithms, so that a file with thousands of surges is checked at once and no product overflows."""
    events: list[tuple[float, int, float]] = []
    for surge in source.surges:
        start, length, multiplier = (finite(v) for v in (surge.start_hour, surge.duration_hours, surge.multiplier))
        if start is None or length is None or multiplier is None or not 0 <= multiplier <= MAX_SURGE_MULTIPLIER \
                or not 0 < length <= MAX_HORIZON_HOURS or not 0 <= start <= MAX_HORIZON_HOURS:
            continue  # reported above
        events += [(start, 1, multiplier), (start + length, -1, multiplier)]
    zeros, log_product, ceiling = 0, 0.0, math.log(MAX_SURGE_MULTIPLIER) + 1e-9
    for hour, step, multiplier in sorted(events):  # at one instant, ends (−1) come before starts (+1)
        if multiplier == 0:
            zeros += step
        else:
            log_product += step * math.log(multiplier)
        if step > 0 and zeros == 0 and log_product > ceiling:
            exponent = log_product / math.log(10)
            product = fmt(10**exponent) if exponent < 300 else f"1e{math.floor(exponent)}"
            return [node_issue("error", "past-limit", source,
                               f"the surges overlapping at hour {fmt(hour)} multiply the rate by ×{product}, above the "
                               f"limit of {SURGE_LIMITS['multiplier'][2]}; overlapping surges multiply",
                               "shorten, lower or spread out the overlapping surges", field="surges")]
    return []


def _profile(source: Source) -> list[Issue]:
    profile = source.profile
    expected = {"flat": 0, "daily": 24, "weekly": 168}.get(profile.kind)
    if expected is None:
        return [node_issue("error", "invalid-profile", source, f"unknown arrival profile kind {profile.kind!r}",
                           "choose flat, daily or weekly", field="profile.kind")]
    if expected == 0:
        return []
    field = "profile.multipliers"
    values = [finite(v) for v in profile.multipliers]
    if len(values) != expected:
        return [node_issue("error", "invalid-profile", source,
                           f"a {profile.kind} profile needs {expected} hourly multipliers, not {len(values)}",
                           f"enter {expected} multipliers (hour 0 first)", field=field)]
    if any(v is None or v < 0 for v in values):
        return [node_issue("error", "invalid-profile", source, "profile multipliers must be numbers ≥ 0",
                           "replace the negative or missing multipliers", field=field)]
    if not any(values):
        return [node_issue("error", "invalid-profile", source, "every profile multiplier is 0, so nothing arrives",
                           "enter the relative volume of each hour", field=field)]
    return []


def _choice(node: Node, field: str, value: object, choices: tuple[str, ...]) -> list[Issue]:
    if value in choices:
        return []
    return [node_issue("error", "invalid-choice", node, f"{field} {value!r} is not one of {', '.join(choices)}",
                       f"choose one of {', '.join(choices)}", field=field)]


def _distribution(node: Node, distribution: Distribution | None, path: str) -> list[Issue]:
    if distribution is None:
        return []
    if not isinstance(distribution, Distribution):
        return [node_issue("error", "invalid-distribution", node, f"{path}: {distribution!r} is not a duration",
                           "enter the duration again", field=path)]
    too_long = _duration_limits(node, distribution, path) or _unusable_parameters(node, distribution, path)
    if too_long:
        return too_long  # the other checks would only repeat that the number is not usable
    try:
        problems = distribution.problems()
    except (TypeError, ValueError) as error:
        problems = [("kind", f"unreadable duration ({error})")]
    return [node_issue("error", "invalid-distribution", node, f"{path}: {message}",
                       "correct the duration's parameters", field=f"{path}.{name}")
            for name, message in problems]


def _duration_limit(unit: str) -> tuple[float, str] | None:
    """``MAX_DURATION_SECONDS`` in ``unit`` and as the message states it; None for an unknown unit (reported
    as such). Values are compared in their own unit, so a number beyond float range is never converted."""
    factor = SECONDS_PER_UNIT.get(unit) if isinstance(unit, str) else None
    if factor is None:
        return None
    limit = MAX_DURATION_SECONDS / factor
    return limit, f"{fmt(limit)} {unit} ({DURATION_LIMIT_TEXT})"


def _duration_limits(node: Node, distribution: Distribution, path: str) -> list[Issue]:
    """``past-limit`` for each parameter the distribution's kind uses that is longer than a year, and for an
    empirical sample list longer than ``MAX_SAMPLES``."""
    limit = _duration_limit(distribution.unit)
    if limit is None:
        return []
    longest, why = limit
    unit = distribution.unit
    issues: list[Issue] = []
    for name in _used_parameters(distribution):
        if name != "samples":
            value = getattr(distribution, name)
            if past(value, longest):
                issues.append(node_issue("error", "past-limit", node,
                                         f"{path}: the {name} of {fmt(value)} {unit} is above the limit of {why}",
                                         DURATION_HINT, field=f"{path}.{name}"))
            continue
        samples = distribution.samples
        if len(samples) > MAX_SAMPLES:
            issues.append(node_issue("error", "past-limit", node,
                                     f"{path}: {fmt(len(samples))} samples are more than the limit of "
                                     f"{fmt(MAX_SAMPLES)} (a sample list that long is a data dump, not a duration)",
                                     "fit a distribution to the data, or keep a random subset of the samples",
                                     field=f"{path}.samples"))
        elif (i := next((i for i, v in enumerate(samples) if past(v, longest)), None)) is not None:
            issues.append(node_issue("error", "past-limit", node,
                                     f"{path}: sample {i + 1} of {fmt(len(samples))} is {fmt(samples[i])} {unit}, "
                                     f"above the limit of {why}", DURATION_HINT, field=f"{path}.samples"))
    return issues


def _used_parameters(distribution: Distribution) -> tuple[str, ...]:
    """The parameters the distribution's kind reads; none for an unknown kind (reported as such)."""
    kind = distribution.kind
    return PARAMETERS.get(kind, ()) if isinstance(kind, str) else ()


def _unusable_parameters(node: Node, distribution: Distribution, path: str) -> list[Issue]:
    """``invalid-distribution`` for a parameter beyond ±``MAX_ABS_NUMBER`` that is not past a duration limit (a
    negative one), which :meth:`Distribution.problems` could not even compare (``-10**400`` overflows a float)."""
    for name in _used_parameters(distribution):
        values = distribution.samples if name == "samples" else [getattr(distribution, name)]
        for value in values:
            if (usable := comparable(value)) is not None and abs(usable) > MAX_ABS_NUMBER:
                return [node_issue("error", "invalid-distribution", node, f"{path}: {name}: {number_problem(value)}",
                                   "correct the duration's parameters", field=f"{path}.{name}")]
    return []


def _stage(stage: ReviewStage) -> list[Issue]:
    issues = _choice(stage, "discipline", stage.discipline, QUEUE_DISCIPLINES)
    issues += _distribution(stage, stage.handle_time, "handle_time")
    for category, distribution in stage.handle_time_by_category.items():
        issues += _distribution(stage, distribution, f"handle_time_by_category.{category}")
    expiry = _distribution(stage, stage.expiry, "expiry")
    issues += expiry
    if isinstance(stage.expiry, Distribution) and not expiry and not stage.expiry.mean_value() > 0:
        issues.append(node_issue("error", "invalid-expiry", stage, "expiry: the time-to-live must be longer than 0",
                                 "enter how long an item may wait before it expires, or remove the expiry",
                                 field="expiry.mean"))
    for target in stage.sla:
        where = f"sla.{target.priority}"
        share, within = finite(target.share), finite(target.within)
        if share is None or not 0 < share <= 1:
            issues.append(node_issue("error", "invalid-sla", stage,
                                     f"SLA for {target.priority}: share {target.share!r} must be above 0 and ≤ 1",
                                     "enter the share that must meet the target, e.g. 0.9", field=f"{where}.share"))
        limit = _duration_limit(target.unit)
        if limit is not None and past(target.within, limit[0]):
            issues.append(node_issue("error", "past-limit", stage,
                                     f"SLA for {target.priority}: the time limit of {fmt(target.within)} {target.unit} "
                                     f"is above the limit of {limit[1]}",
                                     DURATION_HINT, field=f"{where}.within"))
        elif within is None or within <= 0:
            issues.append(node_issue("error", "invalid-sla", stage,
                                     f"SLA for {target.priority}: time limit {target.within!r} must be above 0",
                                     "enter the time to decision, e.g. 24 h", field=f"{where}.within"))
        if target.unit not in SECONDS_PER_UNIT:
            issues.append(node_issue("error", "invalid-sla", stage,
                                     f"SLA for {target.priority}: unknown unit {target.unit!r}",
                                     "use s, min, h or d", field=f"{where}.unit"))
        if target.clock not in SLA_CLOCKS:
            issues.append(node_issue("error", "invalid-sla", stage,
                                     f"SLA for {target.priority}: unknown clock {target.clock!r}",
                                     "time either the decision (from creation) or the wait in the queue",
                                     field=f"{where}.clock"))
    return issues


def _team(workflow: Workflow, team: Team) -> list[Issue]:
    issues: list[Issue] = []
    shrinkage = finite(team.shrinkage)
    if shrinkage is None or not 0 <= shrinkage < 1:
        issues.append(team_issue("error", "invalid-shrinkage", team,
                                 f"shrinkage {team.shrinkage!r} must be at least 0 and below 1",
                                 "enter the share of paid time not spent reviewing, e.g. 0.3", field="shrinkage"))
    if not known_timezone(team.timezone):
        issues.append(team_issue("error", "unknown-timezone", team, f"unknown time zone {team.timezone!r}",
                                 "use a time zone name such as Europe/Dublin or Asia/Manila", field="timezone"))
    cost = finite(team.hourly_cost)
    if cost is None or cost < 0:
        issues.append(team_issue("error", "invalid-cost", team, f"hourly cost {team.hourly_cost!r} must be ≥ 0",
                                 "enter the cost of one reviewer hour, or 0", field="hourly_cost"))
    contract = finite(team.contract_hours)
    if contract is None or not 0 < contract <= HOURS_PER_WEEK:
        issues.append(team_issue("error", "invalid-contract", team,
                                 f"contract hours {team.contract_hours!r} must be above 0 and at most 168 a week",
                                 "enter one person's paid hours per week, e.g. 40", field="contract_hours"))
    for shift in team.shifts:
        where = f"shifts.{shift.name}"
        counts = shift.headcount
        if len(counts) != 7 or any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in counts):
            issues.append(team_issue("error", "invalid-headcount", team,
                                     f"shift {shift.name}: headcount {counts!r} must be 7 whole numbers ≥ 0 (Mon–Sun)",
                                     "enter the rostered reviewers for each weekday", field=f"{where}.headcount"))
        elif (day := next((d for d, c in enumerate(counts) if c > MAX_HEADCOUNT), None)) is not None:
            issues.append(team_issue("error", "past-limit", team,
                                     f"shift {shift.name}: the headcount of {fmt(counts[day])} on {WEEKDAYS[day]} is "
                                     f"above the limit of {fmt(MAX_HEADCOUNT)} reviewers on one shift (the largest "
                                     "moderation workforces have about 15,000 people in all)",
                                     "enter the reviewers rostered on this shift for each weekday",
                                     field=f"{where}.headcount"))
        hours, start = finite(shift.hours), finite(shift.start_hour)
        if hours is None or not 0 < hours <= 24:
            issues.append(team_issue("error", "invalid-shift-hours", team,
                                     f"shift {shift.name}: length {shift.hours!r} h must be above 0 and at most 24",
                                     "enter the shift length in hours", field=f"{where}.hours"))
        if start is None or not 0 <= start < 24:
            issues.append(team_issue("error", "invalid-shift-hours", team,
                                     f"shift {shift.name}: start hour {shift.start_hour!r} must be from 0 to below 24",
                                     "enter the local start time in hours, e.g. 9 or 21.5",
                                     field=f"{where}.start_hour"))
    for stage_id in team.stages:
        node = workflow.nodes.get(stage_id)
        if node is None:
            issues.append(team_issue("error", "team-stage-unknown", team,
                                     f"works a stage that does not exist ({stage_id[:8]})",
                                     "remove it from the team's stage list", field="stages"))
        elif not isinstance(node, ReviewStage):
            issues.append(team_issue("error", "team-stage-not-review", team,
                                     f"lists “{node.name}”, which is a {node.kind.replace('_', ' ')}, "
                                     "not a review stage", "remove it from the team's stage list", field="stages"))
    return issues
