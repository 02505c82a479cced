"""Where an imported value came from, in one line a planner can defend in a review.

An import writes this line into the ``provenance`` field of the source, stage or team it changed, so the model
(and every export's assumptions) says "rate and weekly profile from volumes_hourly.csv, 16 Feb–12 Apr 2026 …"
instead of leaving a fitted number unexplained.

Rules:
- The line names the file (its name, never a folder), the period or sample size it was fitted on, the method and
  the fit error the dialog showed; it holds no number the engine reads (the fingerprint ignores it).
- Dates are the history's local dates in the source's zone; percentages one decimal; "n/a" when unknown.
- A later import of the same kind replaces the line; an import of another kind into the same node (none today:
  a source takes volumes, a stage handle times, a team a roster) would too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from zoneinfo import ZoneInfo

from flowmodel.imports.history import VolumeHistory
from simulations.distribution_fit import FamilyFit, ImportedFits
from simulations.forecast import ArrivalFit


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %" if math.isfinite(value) else "n/a"


def _day(moment) -> str:
    return f"{moment.day} {moment:%b %Y}"


def volumes_provenance(history: VolumeHistory, fit: ArrivalFit, *, mix_replaced: bool) -> str:
    """The line for a source whose rate and weekly profile (and mix when ``mix_replaced``) were fitted."""
    zone = ZoneInfo(history.timezone)
    first = history.start_utc.astimezone(zone)
    last = (history.start_utc + timedelta(hours=max(history.hours - 1, 0))).astimezone(zone)
    what = "rate, weekly profile and mix" if mix_replaced else "rate and weekly profile"
    excluded = f"; left out {', '.join(d.isoformat() for d in fit.excluded_days)}" if fit.excluded_days else ""
    return (f"{what} from {history.file}, {_day(first)} – {_day(last)} ({history.timezone}); "
            f"MSTL 24/168 h, level: {_level_method(fit)}; MAPE {_percent(fit.mape_fit)} in sample, "
            f"{_percent(fit.mape_holdout)} on the hold-out week{excluded}")


def _level_method(fit: ArrivalFit) -> str:
    """How the fit forecast the level (damped ETS, or the last week carried forward on a short history)."""
    return fit.method.partition("trend forecast: ")[2] or fit.method


def _family(fit: FamilyFit) -> str:
    ks = f", KS {fit.ks_statistic:.3f}" if math.isfinite(fit.ks_statistic) else ""
    return f"{fit.family}{ks}"


def handle_times_provenance(file: str, fits: ImportedFits, chosen: FamilyFit,
                            by_category: Mapping[str, FamilyFit] | None = None) -> str:
    """The line for a stage whose handle time (and per-category times) were fitted from ``file``'s samples."""
    line = f"handle time from {file}: {fits.overall.sample_count:,} samples, {_family(chosen)}"
    if by_category:
        line += "; by category: " + ", ".join(f"{name} {fit.family}" for name, fit in by_category.items())
    return line


def roster_provenance(file: str) -> str:
    """The line for a team whose shifts were imported from ``file``."""
    return f"shifts from {file}"
