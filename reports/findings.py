"""The findings section: short sentences written only from the comparison's numbers.

Rules (per scenario, against the reference, most serious first):
- A stage whose end backlog rises clearly is said to "grow without bound" only when the analytic estimate for
  that scenario marks the stage unstable (offered load ≥ whole reviewers available); otherwise the rise is
  reported as it is. Stages the estimate marks unstable without a clear rise in the run are named too (a
  longer horizon would show the growth).
- Stages the analytic estimate by hour (the estimates' ``interval`` view, :mod:`flowmodel.interval_load`) finds
  with hours of work and nobody able to review it on shift are named once for the reference, with the hours a
  week: those items wait for the next shift whatever the averages say.
- SLA targets missed under the scenario (mean attainment below the target) are named with the target, the
  attainment and the reference's; a target the reference missed and the scenario meets is "restored".
- Time to decision (mean and p90), teams at 95 % utilisation or more (other clear utilisation changes as
  they are), total staff cost and items completed follow; every change carries "clear" or "not clear" from
  the paired 95 % interval.
- Key figures whose interval includes 0 are listed once as "no clear difference"; a figure that is exactly
  equal in every replication is "unchanged". With one replication there is no interval and the text says so.
- A launch plan (:mod:`reports.launch`) adds what happened after its launch: each SLA target that went below
  it and whether and when it was back, and the highest peak backlog and when.
- A run started from today's backlog says when it is cleared (:mod:`reports.start_backlog_words`): the
  reference's sentence among the general points (so it is in the report's "In brief"), each other scenario's
  first among its points and headlines. A backlog item's SLA attainment is in that sentence, never among the
  SLA targets missed or restored.
- A staffing table's note, when one is given, closes the section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports.comparison import Comparison, KeyFigure, ScenarioInfo, duration_unit
from reports.formatting import delta_text, number, readable_duration_unit, relative_text, value_text
from reports.launch import launch_results, peak_text, recovery_text
from reports.start_backlog_words import backlog_sentence
from simulations.aggregate import MetricDelta
from simulations.analytic import StageEstimate

BUSY_SHARE = 0.95


@dataclass(frozen=True)
class ScenarioFindings:
    """Every point about one scenario; ``headlines`` are the ones a title page shows (backlog growth, SLA,
    time to decision, total cost), in the same order."""

    scenario: ScenarioInfo
    points: tuple[str, ...]
    headlines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Findings:
    general: tuple[str, ...]
    by_scenario: tuple[ScenarioFindings, ...]


def write_findings(comparison: Comparison) -> Findings:
    """Every finding of ``comparison`` (see the module rules)."""
    general: list[str] = []
    if comparison.run.options.settings.replications < 2:
        general.append("Only one replication was run, so there are no confidence intervals: treat every "
                       "difference below as indicative.")
    reference = comparison.reference
    unstable = _unstable(comparison, reference.id)
    if unstable:
        general.append(f"Already under '{reference.name}', the analytic estimate finds "
                       f"{_join(unstable)} overloaded: the backlog there grows for as long as the load lasts.")
    unstaffed = _unstaffed(comparison, reference.id)
    if unstaffed:
        general.append(f"Under '{reference.name}', the analytic estimate by hour finds work and nobody able to "
                       f"review it on shift at {_join(unstaffed)}: those items wait for the next shift.")
    backlog = backlog_sentence(comparison, 0)
    if backlog:
        general.append(f"Under '{reference.name}', t{backlog[1:]}" if len(comparison.scenarios) > 1 else backlog)
    by_scenario = [ScenarioFindings(s, *_scenario_points(comparison, position))
                   for position, s in enumerate(comparison.scenarios) if position > 0]
    if comparison.staffing is not None and comparison.staffing.note:
        general.append(f"Staffing: {comparison.staffing.note}")
    return Findings(tuple(general), tuple(by_scenario))


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _unstable(comparison: Comparison, scenario_id: str) -> list[str]:
    estimates = comparison.estimates.get(scenario_id, {})
    return [e.stage_name for e in estimates.values() if not e.stable]


def _unstaffed(comparison: Comparison, scenario_id: str) -> list[str]:
    """``ZH review (56 h a week)`` for each stage whose interval estimate has uncovered hours."""
    estimates = comparison.estimates.get(scenario_id, {})
    return [f"{e.stage_name} ({len(e.interval.uncovered_hours)} h a week)" for e in estimates.values()
            if e.interval is not None and e.interval.uncovered_hours]


def _clear_word(delta: MetricDelta) -> str:
    return "n/a" if not delta.ci_defined else "clear" if delta.clear else "not clear"


def _scenario_points(comparison: Comparison, position: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every point, the headline points) about the scenario at ``position``."""
    scenario = comparison.scenarios[position]
    reference = comparison.reference.name
    points: list[str] = []
    headlines: list[str] = []

    def say(text: str, *, headline: bool = False) -> None:
        points.append(text)
        if headline:
            headlines.append(text)
    quiet: list[str] = []
    backlog = backlog_sentence(comparison, position)
    if backlog:
        say(backlog, headline=True)
    estimates = comparison.estimates.get(scenario.id, {})
    growing: set[str] = set()

    def note_quiet(figure: KeyFigure, delta: MetricDelta | None) -> bool:
        """True (and the figure listed) when there is no clear change to report."""
        if delta is None or not math.isfinite(delta.delta_mean):
            return True
        if delta.delta_mean == 0 and (delta.half_width == 0 or not delta.ci_defined):
            quiet.append(f"{_lower_first(figure.label)} (unchanged)")
            return True
        if delta.ci_defined and not delta.clear:
            quiet.append(f"{_lower_first(figure.label)} ({delta_text(delta, figure.unit, relative=False)})")
            return True
        return False

    for figure in (f for f in comparison.figures if f.scope_kind == "stage" and f.metric == "backlog_end_count"):
        delta = figure.deltas[position]
        estimate = estimates.get(figure.scope_id)
        if note_quiet(figure, delta):
            continue
        assert delta is not None
        relative = relative_text(delta)
        change = (f"end backlog {number(delta.delta_mean, signed=True)} items"
                  f"{f' ({relative})' if relative else ''}, {_clear_word(delta)}")
        if estimate is not None and not estimate.stable and delta.delta_mean > 0:
            growing.add(figure.scope_id)
            say(f"{figure.scope_name}: the backlog grows without bound under '{scenario.name}' ({change}); "
                f"{_overload(estimate, estimates)}.", headline=True)
        else:
            say(f"{figure.scope_name}: {change}.", headline=True)
    backlog_rows = [f for f in comparison.figures if f.scope_kind == "stage" and f.metric == "backlog_end_count"]
    if backlog_rows and not headlines:
        say(f"Backlog at the end: no clear difference from '{reference}' at any stage.", headline=True)
    for estimate in estimates.values():
        if not estimate.stable and estimate.stage_id not in growing:
            points.append(f"{estimate.stage_name}: no clear backlog growth in this run, but "
                          f"{_overload(estimate, estimates)}; a longer horizon would show the backlog growing "
                          "where the teams' priorities put it last.")

    for figure in (f for f in comparison.figures if f.scope_kind == "priority" and f.metric == "sla_attainment_share"):
        point = _sla_point(figure, position, reference)
        delta = figure.deltas[position]
        if point:
            say(point, headline=True)
        else:
            note_quiet(figure, delta)

    ttd = [comparison.figure("system", "system", m) for m in ("time_to_decision_mean_s", "time_to_decision_p90_s")
           if _has(comparison, m)]
    parts = []
    for figure in ttd:
        delta = figure.deltas[position]
        if note_quiet(figure, delta):
            continue
        assert delta is not None
        name = "mean" if figure.metric.endswith("mean_s") else "p90"
        parts.append(f"{name} {_duration_value(delta.baseline_mean)} → {_duration_value(delta.scenario_mean)} "
                     f"({relative_text(delta) or 'no change'}, "
                     f"{_clear_word(delta)})")
    if parts:
        say("Time to decision: " + "; ".join(parts) + ".", headline=True)

    for figure in (f for f in comparison.figures if f.metric == "utilisation_share"):
        summary, delta = figure.summaries[position], figure.deltas[position]
        if summary is not None and summary.mean >= BUSY_SHARE and delta is not None:
            points.append(f"{figure.scope_name} is busy {value_text(summary.mean, figure.unit)} of its available "
                          f"time (reference {value_text(delta.baseline_mean, figure.unit)}): no slack left for a "
                          "surge.")
        elif not note_quiet(figure, delta) and summary is not None and delta is not None:
            say(f"{figure.scope_name}: utilisation {value_text(delta.baseline_mean, figure.unit)} → "
                f"{value_text(summary.mean, figure.unit)} ({delta_text(delta, figure.unit)}, {_clear_word(delta)}).")

    for metric, what in (("cost", "Total staff cost"), ("completed_count", "Items completed")):
        if not _has(comparison, metric):
            continue
        figure = comparison.figure("system", "system", metric)
        delta = figure.deltas[position]
        if not note_quiet(figure, delta):
            assert delta is not None
            say(f"{what}: {delta_text(delta, figure.unit)}, {_clear_word(delta)}.", headline=metric == "cost")

    launch = next((r for r in launch_results(comparison.run) if r.scenario_id == scenario.id and r.is_plan), None)
    if launch is not None:
        points += [f"After launch: {recovery_text(r)}." for r in launch.recoveries if r.dipped]
        if launch.highest_peak is not None:
            points.append(f"After launch: {peak_text(launch.highest_peak)}.")
    if quiet:
        points.append(f"No clear difference from '{reference}': {_join(quiet)}.")
    return tuple(points), tuple(headlines)


def _lower_first(text: str) -> str:
    """"Backlog at end" → "backlog at end", but "SLA met" stays as it is."""
    return text if len(text) < 2 or text[1].isupper() else text[0].lower() + text[1:]


def _overload(estimate: StageEstimate, estimates: dict[str, StageEstimate]) -> str:
    """What the analytic estimate says about an unstable stage, naming the stages that share its reviewers."""
    pool_load = estimate.utilisation * estimate.available_reviewers
    others = [estimates[i].stage_name for i in estimate.shared_with if i in estimates]
    shared = f"its staffing pool (shared with {_join(others)})" if others else "its reviewers"
    return (f"the analytic estimate gives {shared} {number(pool_load)} reviewers' worth of work for "
            f"{estimate.servers} available")


def _has(comparison: Comparison, metric: str) -> bool:
    return any(f.scope_kind == "system" and f.metric == metric for f in comparison.figures)


def sla_target_text(figure: KeyFigure) -> str:
    """``90 % within 4 h`` (or just ``90 %`` when the time limit is unknown); a target on the wait clock says
    where its clock starts: ``90 % within 4 h of arrival at the stage``."""
    if figure.target is None:
        return ""
    share = f"{number(figure.target * 100)} %"
    if not figure.within_s:
        return share
    start = " of arrival at the stage" if figure.clock == "wait" else ""
    return f"{share} within {duration_text(figure.within_s)}{start}"


def _sla_point(figure: KeyFigure, position: int, reference: str) -> str:
    summary, delta = figure.summaries[position], figure.deltas[position]
    base = delta.baseline_mean if delta is not None else math.nan
    if summary is None or figure.target is None or not math.isfinite(summary.mean):
        return ""
    target = sla_target_text(figure)
    change = f"; {delta_text(delta, figure.unit)}, {_clear_word(delta)}" if delta is not None else ""
    if summary.mean < figure.target:
        return (f"SLA missed at {figure.scope_name}: {value_text(summary.mean, figure.unit)} on time against a target "
                f"of {target} ({reference}: {value_text(base, figure.unit)}{change}).")
    if math.isfinite(base) and base < figure.target:
        return (f"SLA restored at {figure.scope_name}: {value_text(summary.mean, figure.unit)} on time against a "
                f"target of {target} ({reference}: {value_text(base, figure.unit)}{change}).")
    return ""


def _duration_value(seconds: float) -> str:
    """A measured duration in its own readable unit (a 5-minute baseline is not "0.09 h" next to a 6-hour one)."""
    return value_text(seconds, duration_unit(seconds))


def duration_text(seconds: float) -> str:
    """A time limit as people state it: ``4 h``, ``90 min``."""
    if seconds >= 3600:
        return f"{number(seconds / 3600)} h"
    return f"{number(seconds / 60)} min"


def headline(comparison: Comparison, position: int) -> str:
    """One line a planner reads before any chart: the scenario's biggest SLA change, the backlog at the end
    and the mean time to decision, reference → scenario, e.g. ``Hate-speech change (against Baseline): Tier 1
    review · P1 SLA 85.6 % → 0 %, backlog at end 725 → 41,453, time to decision 4.5 min → 3.2 d``. A figure that
    reads the same in both is left out; if all do, the line says the key figures are unchanged."""
    scenario = comparison.scenarios[position]
    parts: list[tuple[str, str]] = []  # (reference, scenario) as read
    names: list[str] = []
    sla = [f for f in comparison.figures if f.scope_kind == "priority" and f.metric == "sla_attainment_share"
           and f.deltas[position] is not None
           and math.isfinite(f.deltas[position].delta_mean)]
    if sla:
        worst = max(sla, key=lambda f: abs(f.deltas[position].delta_mean))
        delta = worst.deltas[position]
        names.append(f"{worst.scope_name} SLA")
        parts.append((value_text(delta.baseline_mean, worst.unit), value_text(delta.scenario_mean, worst.unit)))
    for metric, words in (("in_queue_end_count", "backlog at end"), ("time_to_decision_mean_s", "time to decision")):
        delta = next((f.deltas[position] for f in comparison.figures
                      if f.scope_kind == "system" and f.metric == metric), None)
        if delta is None or not math.isfinite(delta.delta_mean):
            continue
        names.append(words)
        if metric.endswith("_s"):
            parts.append((_readable_duration(delta.baseline_mean), _readable_duration(delta.scenario_mean)))
        else:
            parts.append((number(delta.baseline_mean), number(delta.scenario_mean)))
    changed = [f"{name} {before} → {after}" for name, (before, after) in zip(names, parts, strict=True)
               if before != after]
    same = [f"{name} {before}" for name, (before, after) in zip(names, parts, strict=True) if before == after]
    if changed:  # a figure that reads the same in both is no news: it never leads, and is left out
        text = ", ".join(changed)
    else:
        text = f"key figures unchanged ({', '.join(same)})" if same else "no key figure to compare"
    return f"{scenario.name} (against {comparison.reference.name}): {text}"


def _readable_duration(seconds: float) -> str:
    return value_text(seconds, readable_duration_unit(seconds))
