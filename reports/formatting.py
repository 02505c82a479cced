"""Numbers as a reader sees them: one rule for every text export (findings, tables, the PDF report).

Rules: counts and money get thousands separators; a figure gets at most three significant digits below 100
and none after the point above it; shares are shown in % and their differences in percentage points (pp);
durations in the figure's own unit (on screen: s, min, h or d by magnitude, :func:`readable_duration_unit`);
a relative change of 10× or more is written ×N rather than a percentage;
anything undefined (NaN, a CI from one replication) is "n/a", never a made-up 0. Minus signs are typographic.
"""

from __future__ import annotations

import math

from reports.comparison import HOURS, MINUTES, SECONDS, SHARE, DisplayUnit, KeyFigure
from simulations.aggregate import MetricDelta, MetricSummary

MINUS = "−"
DAYS = DisplayUnit("d", 86400.0, "0.00")


def readable_duration_unit(seconds: float) -> DisplayUnit:
    """The unit a planner reads a duration in, by its size: s below 2 min, min below 2 h, h below 2 days, d
    above ("3.4 d", not "4,840 min"). Tables and on-screen charts use it; a row or axis picks it once, from its
    largest value, so values side by side share one unit."""
    size = abs(seconds) if math.isfinite(seconds) else 0.0
    return SECONDS if size < 120 else MINUTES if size < 7200 else HOURS if size < 2 * 86400 else DAYS


def number(value: float, *, signed: bool = False) -> str:
    """``value`` with precision by magnitude (see module rules)."""
    if not math.isfinite(value):
        return "n/a"
    size = abs(value)
    whole = abs(value - round(value)) <= 1e-9 * max(size, 1.0)  # 95.00000000000001 % is 95 %
    places = 0 if size >= 100 or whole else 1 if size >= 10 else 2
    text = f"{value:+,.{places}f}" if signed else f"{value:,.{places}f}"
    if signed and float(text.replace(",", "")) == 0:
        text = text.lstrip("+-")
    return text.replace("-", MINUS)


def scaled(value: float, unit: DisplayUnit) -> float:
    return value * 100.0 if unit is SHARE else value / unit.per


def suffix(unit: DisplayUnit, *, delta: bool = False) -> str:
    if unit is SHARE:
        return " pp" if delta else " %"
    return "" if unit.name in ("items", "cost") else f" {unit.name}"


def value_text(value: float, unit: DisplayUnit) -> str:
    """``4.4 min``, ``87.3 %``, ``1,240``."""
    return "n/a" if not math.isfinite(value) else number(scaled(value, unit)) + suffix(unit)


def summary_text(summary: MetricSummary | None, unit: DisplayUnit, *, with_unit: bool = True) -> str:
    """``mean ± half-width`` (the 95 % CI), or the mean alone when the CI is undefined; the unit is left off
    when a table's row label already states it."""
    if summary is None:
        return "—"
    unit_text = suffix(unit) if with_unit else ""
    if not summary.ci_defined:
        return number(scaled(summary.mean, unit)) + unit_text if math.isfinite(summary.mean) else "n/a"
    return f"{number(scaled(summary.mean, unit))} ± {number(scaled(summary.half_width, unit))}{unit_text}"


#: Instants counted from the launch or the run's start: their change is a time, never a percentage.
INSTANT_METRICS = frozenset(("recovery_h", "backlog_peak_after_launch_h", "launch_at_h", "phase_at_h", "run_end_h"))


def relative_text(delta: MetricDelta) -> str:
    """``+34 %`` or ``×17``; empty when the reference is 0, the change is nil or the figure is an instant."""
    relative = delta.relative_delta
    if not math.isfinite(relative) or delta.delta_mean == 0 or delta.metric in INSTANT_METRICS:
        return ""
    if relative >= 9.0:
        return f"×{1.0 + relative:,.0f}"
    return number(relative * 100.0, signed=True) + " %"


def delta_text(delta: MetricDelta | None, unit: DisplayUnit, *, relative: bool = True,
               with_unit: bool = True) -> str:
    """``+101 min (×24)`` — the absolute change, and the relative one where it means something. Without the
    unit (a table row states it), a share's change still says "pp": it is not in the row's unit (%)."""
    if delta is None:
        return "—"
    unit_text = suffix(unit, delta=True) if with_unit or unit is SHARE else ""
    text = number(scaled(delta.delta_mean, unit), signed=True) + unit_text
    rel = relative_text(delta) if relative and unit is not SHARE else ""
    return f"{text} ({rel})" if rel else text


def delta_ci_text(delta: MetricDelta | None, unit: DisplayUnit) -> str:
    """``[+2,653, +2,703]`` — the 95 % interval of the paired delta."""
    if delta is None:
        return "—"
    if not delta.ci_defined:
        return "n/a"
    return f"[{number(scaled(delta.ci_low, unit), signed=True)}, {number(scaled(delta.ci_high, unit), signed=True)}]"


def verdict(delta: MetricDelta | None) -> str:
    """"clear", "not clear", "unchanged" (equal in every replication) or "n/a" (one replication: no interval)."""
    if delta is None:
        return ""
    if delta.delta_mean == 0 and delta.half_width == 0:
        return "unchanged"
    if not delta.ci_defined:
        return "n/a"
    return "clear" if delta.clear else "not clear"


def figure_label(figure: KeyFigure) -> str:
    """The row label with its unit, e.g. ``Time to decision, p90 (min)``."""
    return f"{figure.label} ({figure.unit.name})" if figure.unit.name not in ("items", "cost") else figure.label
