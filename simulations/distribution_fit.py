"""Handle-time samples → candidate distributions: exponential, lognormal, gamma and empirical, ranked by AIC.

Rules:
- Input is handle times in seconds. A negative or non-finite value is an error (:class:`FitError`); a zero is
  dropped with a note (a 0-second review is a logging artefact, and no family here puts mass at 0). Fewer than
  :data:`MIN_SAMPLES` positive samples, or samples that are all the same, are an error: there is nothing to fit.
- Exponential, lognormal and gamma are fitted by maximum likelihood with the location fixed at 0
  (``scipy.stats.<family>.fit(data, floc=0)``): a handle time starts at zero. Each becomes a
  :class:`flowmodel.Distribution` in the caller's unit, given by mean and sd as the engine reads it.
- Empirical keeps the samples themselves, capped at :data:`EMPIRICAL_POINTS`: beyond that it stores that many
  evenly spaced quantiles (at probabilities (k + ½) / N), so a stage's model stays small; the engine draws the
  stored values with equal weight.
- Ranking: AIC = 2·k − 2·log-likelihood (k = 1 for exponential, 2 for lognormal and gamma; loc is fixed, not
  counted), smallest first; ties keep the order exponential, lognormal, gamma. One exception: gamma nests
  exponential (shape 1), so when gamma's AIC is lower than exponential's by less than :data:`NESTED_AIC_MARGIN`
  (2, the usual "substantial support" margin) exponential is ranked just before gamma — the simpler law the
  data cannot tell apart (exponential samples would otherwise give gamma, shape ≈ 1, about one time in six).
  Empirical has no likelihood
  comparable with a density (it is a discrete law over its own data): its log-likelihood, AIC and KS p-value
  are NaN and it is always ranked last.
- KS: the statistic is the largest gap between the samples' CDF and the fitted CDF (for empirical, the stored
  values' step CDF). The p-value treats the parameters as known, so it is optimistic for fitted ones (the
  Lilliefors effect); read it as a ranking aid, not a test.
- An imported file (:func:`fit_imported`) is fitted overall and per category; a category that cannot be fitted
  on its own (too few samples) is listed in ``skipped`` with the reason, and the stage keeps the overall fit for
  it. :func:`apply_handle_times` returns a changed copy of a stage, parameters rounded to 4 significant digits.
- Chart helpers (:func:`qq_points`, :func:`density`, :func:`histogram`) work in seconds; densities are per
  second. The empirical density is a Gaussian kernel estimate over the stored values, for the chart only.
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy import stats

from flowmodel.distributions import SECONDS_PER_UNIT, Distribution
from flowmodel.errors import FlowmodelError
from flowmodel.imports.handle_times import HandleTimeSamples
from flowmodel.nodes import ReviewStage

Family = Literal["exponential", "lognormal", "gamma", "empirical"]
FAMILIES: tuple[Family, ...] = ("exponential", "lognormal", "gamma", "empirical")
PARAMETER_COUNT = {"exponential": 1, "lognormal": 2, "gamma": 2}
MIN_SAMPLES = 20
#: Longer than this is not a review: a unit mix-up or a timestamp in the column (30 days).
MAX_HANDLE_TIME_S = 30 * 86400
EMPIRICAL_POINTS = 1_000
NESTED_AIC_MARGIN = 2.0


class FitError(FlowmodelError):
    """Handle-time samples that cannot be fitted (too few, negative, not numbers, all equal)."""


@dataclass(frozen=True)
class FamilyFit:
    """One family fitted to the samples; ``distribution`` is in the unit asked for."""

    family: Family
    distribution: Distribution
    log_likelihood: float  # of the samples in seconds; NaN for empirical
    aic: float  # NaN for empirical
    ks_statistic: float
    ks_pvalue: float  # NaN for empirical

    @property
    def parameters_text(self) -> str:
        """What the planner reads in the list, e.g. ``lognormal, mean 4.2 min, sd 2.9 min``."""
        d = self.distribution
        unit = d.unit
        if self.family == "exponential":
            return f"exponential, mean {_number(d.mean)} {unit}"
        if self.family in ("lognormal", "gamma"):
            return f"{self.family}, mean {_number(d.mean)} {unit}, sd {_number(d.sd)} {unit}"
        return f"empirical, {len(d.samples):,} values, mean {_number(d.mean_value())} {unit}"


@dataclass(frozen=True)
class HandleTimeFits:
    """The ranked fits (best first) with what fitting left out. Iterates, indexes and sizes like its ``fits``."""

    fits: tuple[FamilyFit, ...]
    notes: tuple[str, ...]
    sample_count: int  # positive samples fitted (after zeros were dropped)

    def __iter__(self):
        return iter(self.fits)

    def __len__(self) -> int:
        return len(self.fits)

    def __getitem__(self, index: int) -> FamilyFit:
        return self.fits[index]

    @property
    def best(self) -> FamilyFit:
        return self.fits[0]

    def by_family(self, family: str) -> FamilyFit:
        for fit in self.fits:
            if fit.family == family:
                return fit
        raise KeyError(family)


def fit_handle_times(samples_s: Sequence[float] | np.ndarray, *, unit: str, what: str = "handle times"
                     ) -> HandleTimeFits:
    """Fit every family to ``samples_s`` (seconds) and rank them; ``what`` names the samples in messages
    (e.g. "handle times of category 'spam' in reviews.csv")."""
    if unit not in SECONDS_PER_UNIT:
        raise FitError(f"unknown time unit {unit!r}", where=what, hint=f"use one of {', '.join(SECONDS_PER_UNIT)}")
    data, notes = _clean(samples_s, what)
    fits = []
    for family in ("exponential", "lognormal", "gamma"):
        fitted = _parametric_or_none(family, data, unit)
        if fitted is None:
            notes.append(f"{family} left out: its fit did not converge on these samples")
        else:
            fits.append(fitted)
    fits.sort(key=lambda f: (f.aic if math.isfinite(f.aic) else math.inf))
    fits = _prefer_exponential(fits)
    fits.append(_empirical(data, unit))
    if data.size > EMPIRICAL_POINTS:
        notes.append(f"the empirical distribution keeps {EMPIRICAL_POINTS:,} evenly spaced quantiles of the "
                     f"{data.size:,} samples")
    return HandleTimeFits(tuple(fits), tuple(notes), int(data.size))


def _prefer_exponential(fits: list[FamilyFit]) -> list[FamilyFit]:
    """Gamma nests exponential (shape 1): when it wins by less than :data:`NESTED_AIC_MARGIN`, exponential goes
    first — the simpler law the data cannot tell apart."""
    order = [f.family for f in fits]
    if "gamma" not in order or "exponential" not in order:
        return fits
    i, j = order.index("gamma"), order.index("exponential")
    if i < j and fits[j].aic - fits[i].aic < NESTED_AIC_MARGIN:
        fits.insert(i, fits.pop(j))
    return fits


def _clean(samples_s: Sequence[float] | np.ndarray, what: str) -> tuple[np.ndarray, list[str]]:
    try:
        data = np.asarray(samples_s, dtype=float).ravel()
    except (TypeError, ValueError):
        raise FitError(f"{what} must be numbers of seconds", where=what,
                       hint="remove text from the samples") from None
    bad = np.flatnonzero(~np.isfinite(data) | (data < 0))
    if bad.size:
        i = int(bad[0])
        raise FitError(f"sample {i + 1:,} of {data.size:,} is {data[i]:g} s; a handle time must be a finite "
                       f"number ≥ 0 ({bad.size:,} such samples)", where=what,
                       hint="remove or correct the negative, infinite or missing values")
    huge = np.flatnonzero(data > MAX_HANDLE_TIME_S)
    if huge.size:
        i = int(huge[0])
        raise FitError(f"sample {i + 1:,} of {data.size:,} is {data[i]:g} s, more than {MAX_HANDLE_TIME_S // 86400} "
                       f"days ({huge.size:,} such samples)", where=what,
                       hint="check the unit (seconds, minutes, hours) and remove timestamps or ids read as times")
    notes: list[str] = []
    zeros = int(np.count_nonzero(data == 0))
    if zeros:
        data = data[data > 0]
        notes.append(f"{zeros:,} zero handle times dropped (a 0-second review is a logging artefact)")
    if data.size < MIN_SAMPLES:
        raise FitError(f"only {data.size:,} positive {what}; fitting needs at least {MIN_SAMPLES}", where=what,
                       hint="import more samples, or type the distribution by hand")
    if float(data.min()) == float(data.max()):
        raise FitError(f"all {data.size:,} {what} are {data[0]:g} s: there is no spread to fit", where=what,
                       hint="use a fixed duration of that length")
    return data, notes


def _parametric_or_none(family: str, data: np.ndarray, unit: str) -> FamilyFit | None:
    """The family's fit, or None when scipy's solver fails or gives parameters that are not finite numbers (samples
    all but equal, or spread over hundreds of orders of magnitude)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fitted = _parametric(family, data, unit)
    except (ValueError, OverflowError, FloatingPointError, ZeroDivisionError):
        return None
    d = fitted.distribution
    sizes = (d.mean,) if family == "exponential" else (d.mean, d.sd)
    if not all(math.isfinite(v) and v > 0 for v in sizes) or not math.isfinite(fitted.aic):
        return None
    return fitted


def _parametric(family: str, data: np.ndarray, unit: str) -> FamilyFit:
    scale_unit = SECONDS_PER_UNIT[unit]
    if family == "exponential":
        _, scale = stats.expon.fit(data, floc=0)
        law = stats.expon(scale=scale)
        distribution = Distribution.exponential(scale / scale_unit, unit)  # type: ignore[arg-type]
    elif family == "lognormal":
        s, _, scale = stats.lognorm.fit(data, floc=0)
        law = stats.lognorm(s=s, scale=scale)
        mean = scale * math.exp(s * s / 2.0)
        sd = mean * math.sqrt(math.expm1(s * s))
        distribution = Distribution.lognormal(mean / scale_unit, sd / scale_unit, unit)  # type: ignore[arg-type]
    else:
        a, _, scale = stats.gamma.fit(data, floc=0)
        law = stats.gamma(a=a, scale=scale)
        distribution = Distribution.gamma(a * scale / scale_unit, math.sqrt(a) * scale / scale_unit,
                                          unit)  # type: ignore[arg-type]
    log_likelihood = float(np.sum(law.logpdf(data)))
    ks = stats.kstest(data, law.cdf)
    return FamilyFit(family, distribution, log_likelihood, 2.0 * PARAMETER_COUNT[family] - 2.0 * log_likelihood,
                     float(ks.statistic), float(ks.pvalue))  # type: ignore[arg-type]


def _empirical(data: np.ndarray, unit: str) -> FamilyFit:
    values = np.sort(data) if data.size <= EMPIRICAL_POINTS else np.quantile(data, _probabilities(EMPIRICAL_POINTS))
    distribution = Distribution.empirical([float(v) / SECONDS_PER_UNIT[unit] for v in values], unit)  # type: ignore
    ks = stats.ks_2samp(data, values)
    return FamilyFit("empirical", distribution, math.nan, math.nan, float(ks.statistic), math.nan)


def _probabilities(points: int) -> np.ndarray:
    return (np.arange(points) + 0.5) / points


def _law(fit: FamilyFit):
    """A frozen scipy law in seconds, or None for empirical."""
    d = fit.distribution
    scale_unit = SECONDS_PER_UNIT[d.unit]
    if fit.family == "exponential":
        return stats.expon(scale=d.mean * scale_unit)
    if fit.family == "lognormal":
        sigma2 = math.log1p((d.sd / d.mean) ** 2)
        return stats.lognorm(s=math.sqrt(sigma2), scale=d.mean * scale_unit * math.exp(-sigma2 / 2.0))
    if fit.family == "gamma":
        mean, sd = d.mean * scale_unit, d.sd * scale_unit
        return stats.gamma(a=(mean / sd) ** 2, scale=sd * sd / mean)
    return None


def _stored_seconds(fit: FamilyFit) -> np.ndarray:
    return np.sort(np.asarray(fit.distribution.samples, dtype=float)) * SECONDS_PER_UNIT[fit.distribution.unit]


def qq_points(samples_s: Sequence[float] | np.ndarray, fit: FamilyFit, points: int = 100
              ) -> tuple[list[float], list[float]]:
    """(theoretical, observed) quantiles in seconds at probabilities (k + ½) / ``points``: on the diagonal when the
    fit describes the samples. Zeros and bad values are left out as :func:`fit_handle_times` leaves them out."""
    data = np.asarray(samples_s, dtype=float)
    data = data[np.isfinite(data) & (data > 0)]
    p = _probabilities(points)
    law = _law(fit)
    theoretical = law.ppf(p) if law is not None else np.quantile(_stored_seconds(fit), p)
    return [float(v) for v in theoretical], [float(v) for v in np.quantile(data, p)]


def density(fit: FamilyFit, xs_s: Sequence[float] | np.ndarray) -> list[float]:
    """The fit's density per second at ``xs_s`` (seconds), to draw over :func:`histogram`."""
    xs = np.asarray(xs_s, dtype=float)
    law = _law(fit)
    if law is not None:
        return [float(v) for v in law.pdf(xs)]
    return [float(v) for v in stats.gaussian_kde(_stored_seconds(fit))(xs)]


@dataclass(frozen=True)
class Histogram:
    """Bins over [0, the ``upper_quantile`` of the samples]; ``density`` is per second over all samples (so it
    overlays :func:`density`); ``beyond`` counts the long tail left off the chart."""

    edges_s: tuple[float, ...]  # bins + 1 edges
    counts: tuple[int, ...]
    density: tuple[float, ...]
    beyond: int


def histogram(samples_s: Sequence[float] | np.ndarray, bins: int = 40, *, upper_quantile: float = 0.995
              ) -> Histogram:
    """A histogram for the chart; the top ``1 − upper_quantile`` of the samples are counted, not drawn."""
    data = np.asarray(samples_s, dtype=float)
    data = data[np.isfinite(data) & (data > 0)]
    if data.size == 0:
        return Histogram((0.0, 1.0), (0,), (0.0,), 0)
    top = float(np.quantile(data, upper_quantile))
    top = top if top > 0 else float(data.max())
    counts, edges = np.histogram(data, bins=bins, range=(0.0, top))
    width = top / bins
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts),
                     tuple(float(c) / (data.size * width) for c in counts), int(np.count_nonzero(data > top)))


def _number(x: float) -> str:
    """Three significant figures, without exponents for the sizes handle times have."""
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}" if x >= 0.001 else f"{x:.2e}"


@dataclass(frozen=True)
class ImportedFits:
    """Fits of an imported file: over all its samples and per category (those with enough samples)."""

    overall: HandleTimeFits
    by_category: dict[str, HandleTimeFits]
    skipped: dict[str, str]  # category → why it has no fit of its own
    notes: tuple[str, ...]  # what reading left out (the fits carry their own notes)


def fit_imported(samples: HandleTimeSamples, *, unit: str) -> ImportedFits:
    """Fit the file's samples overall and per category; only the overall fit failing is an error."""
    overall = fit_handle_times(samples.samples_s, unit=unit, what=f"handle times in {samples.file}")
    fitted: dict[str, HandleTimeFits] = {}
    skipped: dict[str, str] = {}
    for name, values in samples.by_category.items():
        try:
            fitted[name] = fit_handle_times(values, unit=unit, what=f"handle times of '{name}' in {samples.file}")
        except FitError as error:
            skipped[name] = error.message
    return ImportedFits(overall, fitted, skipped, samples.notes)


def apply_handle_times(stage: ReviewStage, handle_time: Distribution | None = None,
                       by_category: Mapping[str, Distribution] | None = None) -> ReviewStage:
    """A changed copy of ``stage``: its handle time replaced when given; each category given replaces or adds
    that category's handle time, the others are kept."""
    changed = copy.deepcopy(stage)
    categories = dict(changed.handle_time_by_category)
    categories.update({name: _rounded(d) for name, d in (by_category or {}).items()})
    new_time = _rounded(handle_time) if handle_time is not None else changed.handle_time
    return replace(changed, handle_time=new_time, handle_time_by_category=categories)


def _rounded(distribution: Distribution) -> Distribution:
    def r(x: float) -> float:
        return float(f"{x:.4g}")

    return replace(distribution, mean=r(distribution.mean), sd=r(distribution.sd),
                   samples=[r(v) for v in distribution.samples])
