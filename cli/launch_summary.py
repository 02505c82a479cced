"""The launch block the ``simulate`` and ``compare`` commands print for a run with launch results.

Rules: one block per launch plan of the run (:func:`reports.launch.launch_results`), in the run's order — the
recovery of every SLA target (:func:`reports.launch.recovery_text`), the peak backlog per stage and when it was
reached, then the extra paid hours, hours on the floor and staff cost against the reference (paired by
replication; ``*`` = the 95 % interval excludes 0). Nothing at all for a run without launch results, so the
output of a static run is unchanged.
"""

from __future__ import annotations

from reports.formatting import number
from reports.launch import after_launch_text, launch_results, recovery_text
from reports.launch_charts import launch_date_text
from simulations.aggregate import MetricDelta
from simulations.runner import RunResult

TOTALS = (("paid_hours_h", "Extra paid hours", " h"), ("on_floor_hours_h", "Extra hours on the floor", " h"),
          ("cost", "Extra staff cost", ""))


def _delta(delta: MetricDelta, unit: str = "") -> str:
    """``+605 ± 97 items *`` — the paired difference, its 95 % half-width and the clear mark."""
    half = f" ± {number(delta.half_width)}" if delta.ci_defined else " ± n/a"
    return f"{number(delta.delta_mean, signed=True)}{half}{unit}" + (" *" if delta.clear else "")


def launch_block(run: RunResult) -> str:
    """The launch block of ``run`` (see the module rules); "" when it has no launch results."""
    found = launch_results(run)
    plans = [r for r in found if r.is_plan] or found
    if not plans:
        return ""
    reference = run.scenario_names.get(run.baseline_id, "")
    lines: list[str] = []
    for results in plans:
        date = launch_date_text(run, results.launch_at_h)
        against = "" if results.is_reference else f" (against {reference})"
        lines += ["", f"Launch of {results.scenario_name}{against}: {date}, "
                      f"{after_launch_text(results.launch_at_h)} after the run's start"]
        if results.recoveries:
            lines.append("  Recovery per SLA target:")
            lines += [f"    {recovery_text(r)}" for r in results.recoveries]
        if results.peaks:
            lines.append("  Peak backlog after launch:")
            for peak in results.peaks:
                half = f" ± {number(peak.peak.half_width)}" if peak.peak.ci_defined else ""
                when = f", {after_launch_text(peak.after_launch.mean)} after launch" if peak.after_launch else ""
                vs = f"  (Δ {_delta(peak.delta)})" if peak.delta is not None else ""
                lines.append(f"    {peak.scope_name}: {number(peak.peak.mean)}{half} items{when}{vs}")
        for metric, label, unit in TOTALS:
            delta = results.total_deltas.get(metric)
            if delta is not None:
                lines.append(f"  {label}: {_delta(delta, unit)}")
        for name, summary in results.backfills:
            lines.append(f"  {name}: {number(summary.mean)} items")
    return "\n".join(lines)
