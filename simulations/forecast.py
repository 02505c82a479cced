"""A source's arrivals fitted from its history of hourly volumes: level, weekly profile, item mix and a forecast.

Rules:
- The history is counts per UTC hour (:class:`~flowmodel.imports.history.VolumeHistory`); the weekly profile is
  stated in the history's zone. Each UTC hour is mapped to its local hour of the week (Monday 00:00 local = 0,
  :mod:`zoneinfo`), so the 20:00 evening peak stays at local 20:00 on both sides of a daylight-saving change.
- Missing hours (NaN) and excluded days (local dates the planner leaves out, such as an incident) are filled by
  the seasonal mean (the mean of the same local hour of the week) before decomposing; they never count in a fit
  error and never feed the profile.
- Decomposition: statsmodels MSTL with periods 24 and 168 on the raw counts, not on log1p: the trend is then the
  arithmetic level in items per hour, the number the engine needs. A trend taken back from the log scale would be
  the geometric level, low by about half the variance of the log profile (10–20 % for an evening peak).
- The weekly profile is multiplicative and local: per local hour of the week, the sum of counts over the sum of
  the MSTL trend (a ratio of sums, so quiet night hours are not dominated by noise), scaled to mean 1.
- The trend is forecast from daily means of the seasonally adjusted series (counts minus MSTL's seasonal parts)
  by statsmodels ETS with an additive damped trend (Holt) when there are three weeks of days; with less, the
  last week's mean level is carried forward. forecast = trend forecast × the local profile multiplier.
- ``level_per_hour`` is the mean forecast level over the horizon: with a weekly profile of mean 1 it is the
  source's mean rate, as :class:`~flowmodel.nodes.ArrivalProfile` defines ``rate_per_hour``.
- Fit errors are MAPE (a share: 0.08 = 8 %) over the hours with at least one item that are neither missing nor
  excluded. The hold-out is the last week (168 hours): the forecast of a fit on the rest against what happened;
  it needs three weeks of history (two to fit a weekly profile, one to check it), NaN otherwise.
- Outlier days are local days whose total departs from a robust seasonal fit (median ratios per local hour of
  the week) by a robust z above the threshold: the z of a day's relative residual against the median and MAD of
  all days' residuals. Days found in a first pass are filled before a second, so an incident does not lift the
  trend under its neighbours. Detection only reports; excluding is the planner's choice (``exclude_days``).
- Refused with :class:`ModelError`: under two weeks of usable hours (a weekly profile needs two of each hour of
  the week), more than 30 % of the hours missing, no items at all, negative or infinite counts.
"""

from __future__ import annotations

import copy
import math
import warnings
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from flowmodel.errors import ModelError
from flowmodel.imports.history import VolumeHistory
from flowmodel.limits import MAX_HORIZON_HOURS
from flowmodel.nodes import ArrivalProfile, MixEntry, Source
from simulations.timebase import load_zone

WEEK_HOURS = 168
MIN_FIT_HOURS = 2 * WEEK_HOURS  # a weekly profile needs two of each local hour of the week
HOLDOUT_MIN_HOURS = 3 * WEEK_HOURS  # two weeks to fit and the hold-out week
MAX_MISSING_SHARE = 0.30
ETS_MIN_DAYS = 21  # Holt on fewer daily levels follows noise; the last week's level is steadier
#: Robust z a day must pass. Iglewicz and Hoaglin's 3.5 flags a normal day in a few of every hundred eight-week
#: histories of pure counting noise (their days are up to z 3 apart); an incident stands at z 20 and more.
OUTLIER_THRESHOLD = 5.0
MIN_DAY_HOURS = 12  # a local day with fewer observed hours is too short to judge


@dataclass(frozen=True)
class HoldOut:
    """The last week of history against the forecast of a fit on the weeks before it (for the chart)."""

    start_utc: datetime
    actual: tuple[float, ...]  # NaN where the history is missing
    predicted: tuple[float, ...]
    mape: float


@dataclass(frozen=True)
class ArrivalFit:
    """What :func:`fit_arrivals` found; :func:`apply_arrival_fit` turns it into a source's fields."""

    timezone: str  # the history's zone, the one the profile is stated in
    level_per_hour: float
    weekly_profile: tuple[float, ...]  # 168 multipliers, Monday 00:00 local first, mean 1
    fitted: tuple[float, ...]  # per history hour (trend × profile); NaN where the history is NaN
    forecast: tuple[float, ...]  # per UTC hour from forecast_start_utc
    forecast_start_utc: datetime
    mape_fit: float
    mape_holdout: float  # NaN under three weeks of history
    holdout: HoldOut | None
    outlier_days: tuple[date, ...]  # detected and not excluded
    excluded_days: tuple[date, ...]
    method: str
    notes: tuple[str, ...] = ()

    @property
    def horizon_hours(self) -> int:
        return len(self.forecast)


@dataclass(frozen=True)
class _Calendar:
    """Local hour of the week and local date of each UTC hour from a start."""

    how: np.ndarray
    days: tuple[date, ...]


def _calendar(start_utc: datetime, hours: int, zone: ZoneInfo) -> _Calendar:
    how = np.empty(hours, dtype=int)
    days = []
    for i in range(hours):
        local = (start_utc + timedelta(hours=i)).astimezone(zone)
        how[i] = local.weekday() * 24 + local.hour
        days.append(local.date())
    return _Calendar(how, tuple(days))


def _counts(history: VolumeHistory) -> np.ndarray:
    """The counts as floats, refused when no weekly profile can be fitted from them."""
    y = np.asarray(history.counts, dtype=float)
    where = history.file
    if y.size < MIN_FIT_HOURS:
        raise ModelError(f"the history covers {y.size} hours ({y.size / 24:.1f} days); a weekly profile needs at "
                         f"least two weeks ({MIN_FIT_HOURS} hours)", where=where,
                         hint="export at least two full weeks of hourly volumes, better eight")
    observed = ~np.isnan(y)
    if np.any(np.isinf(y)) or np.any(y[observed] < 0):
        raise ModelError("the history has negative or infinite counts", where=where,
                         hint="check the count column of the file")
    missing = 1.0 - observed.mean()
    if missing > MAX_MISSING_SHARE:
        raise ModelError(f"{missing:.0%} of the hours in the history are missing (more than "
                         f"{MAX_MISSING_SHARE:.0%}); the profile would be guessed, not fitted", where=where,
                         hint="export a period the dashboard recorded fully, or fill the gaps at the source")
    if not np.any(y[observed] > 0):
        raise ModelError("the history has no items at all (every hour is 0)", where=where,
                         hint="check that the file holds this source's volumes and the count column is right")
    return y


def _usable(history: VolumeHistory, y: np.ndarray, cal: _Calendar, exclude: frozenset[date]) -> np.ndarray:
    usable = ~np.isnan(y) & np.array([d not in exclude for d in cal.days])
    if usable.sum() < MIN_FIT_HOURS:
        raise ModelError(f"only {int(usable.sum())} hours are usable once missing hours and excluded days are left "
                         f"out; a weekly profile needs at least {MIN_FIT_HOURS}", where=history.file,
                         hint="exclude fewer days or use a longer history")
    return usable


def _seasonal_fill(y: np.ndarray, usable: np.ndarray, how: np.ndarray) -> np.ndarray:
    """Unusable hours take the mean of the same local hour of the week (else of the hour of day, else overall)."""
    filled = y.copy()
    overall = float(y[usable].mean())
    by_how = {}
    for k in range(WEEK_HOURS):
        sel = usable & (how == k)
        if sel.any():
            by_how[k] = float(y[sel].mean())
    for i in np.flatnonzero(~usable):
        k = int(how[i])
        if k in by_how:
            filled[i] = by_how[k]
        else:
            same_hour = [v for h, v in by_how.items() if h % 24 == k % 24]
            filled[i] = float(np.mean(same_hour)) if same_hour else overall
    return filled


def _decompose(filled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MSTL (24 h, 168 h) on the raw counts: its trend, and the series minus its seasonal parts.

    MSTL drops a period that is not shorter than half the series; with exactly two weeks the level is taken as
    flat (their mean), which is all two weeks can say about a trend under a weekly cycle."""
    if filled.size <= 2 * WEEK_HOURS:
        return np.full(filled.size, float(filled.mean())), filled.copy()
    from statsmodels.tsa.seasonal import MSTL

    result = MSTL(filled, periods=(24, WEEK_HOURS)).fit()
    seasonal = np.asarray(result.seasonal).reshape(filled.size, -1).sum(axis=1)
    return np.asarray(result.trend, dtype=float), filled - seasonal


def _profile(y: np.ndarray, usable: np.ndarray, trend: np.ndarray, how: np.ndarray, *, median: bool) -> np.ndarray:
    """168 local multipliers of mean 1: Σcount/Σtrend per local hour of the week (or the median ratio)."""
    values = np.full(WEEK_HOURS, np.nan)
    for k in range(WEEK_HOURS):
        sel = usable & (how == k)
        if not sel.any():
            continue
        if median:
            ratios = y[sel] / np.maximum(trend[sel], 1e-9)
            values[k] = float(np.median(ratios))
        elif trend[sel].sum() > 0:
            values[k] = float(y[sel].sum() / trend[sel].sum())
    for k in np.flatnonzero(np.isnan(values)):  # an hour never seen: the same hour on the other days
        same_hour = values[k % 24::24]
        values[k] = float(np.nanmean(same_hour)) if np.any(~np.isnan(same_hour)) else 1.0
    mean = values.mean()
    return values / mean if mean > 0 else np.ones(WEEK_HOURS)


def _level_forecast(adjusted: np.ndarray, hours: int) -> tuple[np.ndarray, str]:
    """The trend level per hour for ``hours`` after the history, and how it was forecast."""
    days = adjusted.size // 24
    daily = adjusted[adjusted.size - days * 24:].reshape(days, 24).mean(axis=1)
    if days < ETS_MIN_DAYS:
        level = max(float(adjusted[-WEEK_HOURS:].mean()), 0.0)
        return np.full(hours, level), "the last week's mean level carried forward (under three weeks of days)"
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():  # convergence chatter on near-flat levels; the damped fit is still usable
        warnings.simplefilter("ignore")
        model = ETSModel(daily, error="add", trend="add", damped_trend=True).fit(disp=False)
    per_day = np.asarray(model.forecast(math.ceil(hours / 24)), dtype=float)
    return np.maximum(np.repeat(per_day, 24)[:hours], 0.0), "ETS (additive damped trend, Holt) on daily levels"


def _mape(actual: np.ndarray, predicted: np.ndarray, usable: np.ndarray) -> float:
    sel = usable & (actual > 0) & ~np.isnan(predicted)
    if not sel.any():
        return math.nan
    return float(np.mean(np.abs(actual[sel] - predicted[sel]) / actual[sel]))


@dataclass(frozen=True)
class _Core:
    profile: np.ndarray
    trend: np.ndarray
    level_ahead: np.ndarray
    level_method: str


def _fit_core(y: np.ndarray, usable: np.ndarray, how: np.ndarray, hours_ahead: int) -> _Core:
    filled = _seasonal_fill(y, usable, how)
    trend, adjusted = _decompose(filled)
    profile = _profile(y, usable, trend, how, median=False)
    level_ahead, level_method = _level_forecast(adjusted, hours_ahead)
    if y.size <= 2 * WEEK_HOURS:
        level_method += "; with exactly two weeks the trend under the profile is taken as flat"
    return _Core(profile, trend, level_ahead, level_method)


def _excluded(history: VolumeHistory, cal: _Calendar, exclude_days: object) -> tuple[frozenset[date], list[str]]:
    wanted = frozenset(exclude_days)  # type: ignore[arg-type]
    present = set(cal.days)
    outside = sorted(d for d in wanted if d not in present)
    notes = [f"{', '.join(d.isoformat() for d in outside)} not in the history; nothing excluded for "
             f"{'them' if len(outside) > 1 else 'it'}"] if outside else []
    return wanted & present, notes


def detect_outlier_days(history: VolumeHistory, threshold: float = OUTLIER_THRESHOLD, *,
                        exclude_days: tuple[date, ...] | list[date] | set[date] = ()) -> list[date]:
    """Local days (in the history's zone) whose total departs from the seasonal fit by a robust z over
    ``threshold``; days already excluded are neither judged nor used."""
    y = _counts(history)
    cal = _calendar(history.start_utc, y.size, load_zone(history.timezone, history.file))
    exclude, _ = _excluded(history, cal, exclude_days)
    return _outliers(history, y, cal, _usable(history, y, cal, exclude), threshold)


def _outliers(history: VolumeHistory, y: np.ndarray, cal: _Calendar, base: np.ndarray, threshold: float,
              first_trend: np.ndarray | None = None) -> list[date]:
    """Two passes of :func:`detect_outlier_days`; ``first_trend`` is the MSTL trend of ``base`` when known."""
    if not threshold > 0:
        raise ModelError(f"the outlier threshold must be a number > 0, not {threshold}", where=history.file)
    day_index = np.array([d.toordinal() for d in cal.days])
    flagged: set[date] = set()
    trend = first_trend
    for _ in range(2):
        usable = base & np.array([d not in flagged for d in cal.days])
        if usable.sum() < MIN_FIT_HOURS:
            break
        if trend is None:
            trend, _adjusted = _decompose(_seasonal_fill(y, usable, cal.how))
        fitted = trend * _profile(y, usable, trend, cal.how, median=True)[cal.how]
        days, residuals, totals = [], [], []
        for ordinal in np.unique(day_index[base]):
            sel = base & (day_index == ordinal)
            expected = float(fitted[sel].sum())
            if sel.sum() < MIN_DAY_HOURS or expected <= 0:
                continue
            days.append(date.fromordinal(int(ordinal)))
            residuals.append(float(y[sel].sum()) / expected - 1.0)
            totals.append(expected)
        if len(days) < 3:
            return []
        r = np.array(residuals)
        centre = float(np.median(r))
        poisson = 1.0 / math.sqrt(max(float(np.median(totals)), 1.0))  # the least spread counting noise allows
        scale = max(1.4826 * float(np.median(np.abs(r - centre))), poisson)
        found = {d for d, z in zip(days, np.abs(r - centre) / scale, strict=True) if z > threshold}
        if found == flagged:
            break
        flagged, trend = found, None
    return sorted(flagged)


def fit_arrivals(history: VolumeHistory, *, horizon_hours: int, exclude_days: tuple[date, ...] | list[date]
                 | set[date] = (), forecast_start_utc: datetime | None = None) -> ArrivalFit:
    """Fit level and local weekly profile from ``history`` and forecast ``horizon_hours`` UTC hours from
    ``forecast_start_utc`` (default: the end of the history; a later start extrapolates the trend across the gap).
    ``exclude_days`` (local dates) are treated as missing."""
    where = history.file
    if not isinstance(horizon_hours, int) or not 1 <= horizon_hours <= MAX_HORIZON_HOURS:
        raise ModelError(f"the forecast horizon must be a whole number of hours from 1 to {MAX_HORIZON_HOURS:.0f}, "
                         f"not {horizon_hours!r}", where=where)
    y = _counts(history)
    zone = load_zone(history.timezone, where)
    cal = _calendar(history.start_utc, y.size, zone)
    exclude, notes = _excluded(history, cal, exclude_days)
    usable = _usable(history, y, cal, exclude)
    end_utc = history.hour_start(y.size)
    start = end_utc if forecast_start_utc is None else forecast_start_utc.astimezone(UTC)
    gap_s = (start - end_utc).total_seconds()
    if gap_s < 0 or gap_s % 3600:
        raise ModelError(f"the forecast must start on a whole UTC hour at or after the end of the history "
                         f"({end_utc:%Y-%m-%d %H:%M} UTC), not {start:%Y-%m-%d %H:%M} UTC", where=where,
                         hint="start the forecast at the end of the history or at the run's start")
    gap = int(gap_s // 3600)
    if gap > 4 * WEEK_HOURS:
        notes.append(f"the forecast starts {gap / 24:.0f} days after the history ends; its level is the damped "
                     "trend carried across that gap, so a newer history would be a better guide")

    core = _fit_core(y, usable, cal.how, gap + horizon_hours)
    fitted = np.where(np.isnan(y), np.nan, core.trend * core.profile[cal.how])
    ahead = _calendar(start, horizon_hours, zone)
    level = core.level_ahead[gap:]
    forecast = level * core.profile[ahead.how]
    mape_fit = _mape(y, fitted, usable)

    holdout = None
    cut = y.size - WEEK_HOURS
    if y.size >= HOLDOUT_MIN_HOURS and usable[:cut].sum() >= MIN_FIT_HOURS:
        train = _fit_core(y[:cut], usable[:cut], cal.how[:cut], WEEK_HOURS)
        predicted = train.level_ahead * train.profile[cal.how[cut:]]
        mape = _mape(y[cut:], predicted, usable[cut:])
        holdout = HoldOut(history.hour_start(cut), tuple(float(v) for v in y[cut:]),
                          tuple(float(v) for v in predicted), mape)
    else:
        notes.append("no hold-out week: it needs three weeks of history (two usable weeks to fit, one to check)")

    outliers = _outliers(history, y, cal, usable, OUTLIER_THRESHOLD, core.trend)
    missing = int(np.isnan(y).sum())
    if missing:
        notes.append(f"{missing} missing hours filled by the seasonal mean for the decomposition")
    if exclude:
        notes.append(f"excluded as missing: {', '.join(d.isoformat() for d in sorted(exclude))}")
    if outliers:
        notes.append(f"outlier days still in the fit: {', '.join(d.isoformat() for d in outliers)}; exclude them "
                     "to keep them out of the profile and the level")
    rates = np.maximum(fitted[usable & (y > 0)], 1e-9)
    if rates.size:  # E|N − λ|/N for Poisson N is about √(2/(πλ)): what noise alone costs the MAPE
        notes.append(f"counting noise alone gives a MAPE of about {float(np.mean(np.sqrt(2 / (math.pi * rates)))):.1%}")
    method = (f"MSTL (periods 24 h and 168 h) on raw hourly counts; weekly profile Σcount/Σtrend per local hour "
              f"of the week in {history.timezone}; trend forecast: {core.level_method}")
    return ArrivalFit(
        timezone=history.timezone, level_per_hour=float(level.mean()),
        weekly_profile=tuple(float(v) for v in core.profile), fitted=tuple(float(v) for v in fitted),
        forecast=tuple(float(v) for v in forecast), forecast_start_utc=start, mape_fit=mape_fit,
        mape_holdout=holdout.mape if holdout else math.nan, holdout=holdout, outlier_days=tuple(outliers),
        excluded_days=tuple(sorted(exclude)), method=method, notes=tuple(notes))


def mix_from_history(history: VolumeHistory) -> list[MixEntry]:
    """The item mix as shares of the history's items per (category, language, priority), largest first."""
    items = {key: float(n) for key, n in history.mix.items()}
    if any(not math.isfinite(n) or n < 0 for n in items.values()):
        raise ModelError("the history's mix has a negative or non-numeric count", where=history.file,
                         hint="check the count column of the file")
    total = math.fsum(items.values())
    if total <= 0:
        raise ModelError("the history has no category, language or priority counts to take a mix from",
                         where=history.file, hint="keep the source's mix, or import a file with those columns")
    ranked = sorted(((n, key) for key, n in items.items() if n > 0), key=lambda e: (-e[0], e[1]))
    return [MixEntry(category=c, language=lang, priority=p, share=n / total) for n, (c, lang, p) in ranked]


def apply_arrival_fit(source: Source, fit: ArrivalFit, mix: list[MixEntry] | None = None) -> Source:
    """A changed copy of ``source``: the fitted rate, the weekly profile and (when given) the mix."""
    if source.timezone != fit.timezone:
        raise ModelError(f"the profile was fitted in {fit.timezone} but the source's time zone is "
                         f"{source.timezone}", where=f"source {source.name or source.id} · timezone",
                         hint=f"set the source's time zone to {fit.timezone}, or read the history again in "
                              f"{source.timezone}")
    changed = copy.deepcopy(source)
    profile = ArrivalProfile("weekly", [round(v, 4) for v in fit.weekly_profile])
    new_mix = [replace(entry) for entry in mix] if mix is not None else changed.mix
    return replace(changed, rate_per_hour=round(fit.level_per_hour, 3), profile=profile, mix=new_mix)
