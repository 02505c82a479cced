"""Decision-quality results in a planner's words: how right the decisions were, per category, per deciding stage,
and the reviewers' wellness hours — the one list every view and export of them reads (no Qt).

Read from a :class:`~simulations.runner.RunResult` alone (its summaries and paired deltas; the definitions are the
engine's records, :mod:`simulations.quality_metrics`, and the wellness records ``wellness`` · ``<team>:<category>``),
so the app, the exports and the command line say the same thing.

Rules:
- A run has quality results when its summaries hold a ``quality`` or ``decision`` record; a run without them gets
  no figures, and every view of it looks as it did before decision quality. Wellness figures exist only where the
  run recorded them (a model with wellness caps).
- Sections, in order: **Per category** (all categories first, then each category in the order the run recorded
  them), **Per deciding stage** (QA figures only for a stage that samples for QA), **Wellness** (team · category).
- A figure's display unit is chosen once per (section, metric) across every scope and scenario, so a column or a
  row reads in one unit: counts in items, shares in %, exposure in item-hours, views as views, reviewer-days,
  hours per reviewer-day in h, and time to action in s, min, h or d by the largest mean.
- Deltas are the run's own paired deltas against its reference (its first scenario); a metric a scenario has no
  finite value for (precision with nothing removed) has no summary and reads "n/a".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports.comparison import ITEMS, OVERALL_QUALITY, SHARE, DisplayUnit
from reports.formatting import number, readable_duration_unit, scaled, suffix
from simulations.aggregate import MetricDelta, MetricSummary
from simulations.runner import RunResult

QUALITY = "quality"
DECISION = "decision"
WELLNESS = "wellness"
OVERALL_ID = OVERALL_QUALITY
SECTIONS: dict[str, str] = {QUALITY: "Per category", DECISION: "Per deciding stage", WELLNESS: "Wellness"}

VIEWS = DisplayUnit("views", 1.0, "#,##0")
ITEM_HOURS = DisplayUnit("item-hours", 1.0, "#,##0.0")
REVIEWER_DAYS = DisplayUnit("reviewer-days", 1.0, "#,##0")
HOURS_A_DAY = DisplayUnit("h", 1.0, "0.00")

#: (metric, label) per section, in table order.
CATEGORY_METRICS: tuple[tuple[str, str], ...] = (
    ("correct_removals_count", "Correct removals"),
    ("wrongful_removals_count", "Wrongful removals"),
    ("missed_violations_count", "Missed violations"),
    ("precision_share", "Precision"),
    ("recall_share", "Recall"),
    ("appeals_count", "Appeals"),
    ("overturns_count", "Overturns"),
    ("overturn_rate_share", "Overturn rate"),
    ("exposure_h", "Exposure"),
    ("views_count", "Views of violating items"),
    ("time_to_action_p50_s", "Time to action, p50"),
    ("time_to_action_p90_s", "Time to action, p90"),
)
DECISION_METRICS: tuple[tuple[str, str], ...] = (
    ("removals_count", "Removals"),
    ("keeps_count", "Keeps"),
    ("wrongful_removals_count", "Wrongful removals"),
    ("missed_violations_count", "Missed violations"),
    ("appeals_count", "Appeals"),
    ("overturns_count", "Overturns"),
    ("removal_share", "Removal share"),
    ("qa_reviews_count", "QA reviews"),
    ("qa_disagreements_count", "QA disagreements"),
    ("qa_errors_found_count", "QA errors found"),
    ("qa_disagreement_share", "QA disagreement"),
)
WELLNESS_METRICS: tuple[tuple[str, str], ...] = (
    ("reviewer_days_count", "Reviewer-days"),
    ("hours_per_day_mean_h", "Hours a day, mean"),
    ("hours_per_day_p90_h", "Hours a day, p90"),
    ("hours_per_day_max_h", "Hours a day, max"),
    ("capped_share", "Reviewer-days at the cap"),
)
METRICS: dict[str, tuple[tuple[str, str], ...]] = {QUALITY: CATEGORY_METRICS, DECISION: DECISION_METRICS,
                                                   WELLNESS: WELLNESS_METRICS}
#: The per-category figures of a short summary (the command line, the comparison's key figures).
HEADLINE_METRICS: tuple[str, ...] = ("wrongful_removals_count", "missed_violations_count", "precision_share",
                                     "recall_share", "appeals_count", "overturns_count", "overturn_rate_share",
                                     "exposure_h", "time_to_action_p90_s")
#: The rows a deciding stage gets in the short listings (the CLI block, the PDF page).
STAGE_METRICS: tuple[str, ...] = ("removals_count", "wrongful_removals_count", "missed_violations_count",
                                  "appeals_count", "overturns_count", "qa_disagreement_share")


def figure_groups(figures: list[QualityFigure], separator: str = " ") -> list[tuple[str, list[QualityFigure]]]:
    """(group title, its rows) for a short listing: all categories in full, then each category's headline figures,
    each deciding stage's :data:`STAGE_METRICS` and each wellness scope, titled "Category<separator><name>"."""
    groups: list[tuple[str, list[QualityFigure]]] = []
    overall = [f for f in figures if f.scope_kind == QUALITY and f.scope_id == OVERALL_ID]
    if overall:
        groups.append(("All categories", overall))
    for kind, title, wanted in ((QUALITY, "Category", HEADLINE_METRICS), (DECISION, "Stage", STAGE_METRICS),
                                (WELLNESS, "Wellness", None)):
        scopes = dict.fromkeys((f.scope_id, f.scope_name) for f in figures
                               if f.scope_kind == kind and f.scope_id != OVERALL_ID)
        for scope_id, name in scopes:
            rows = [f for f in figures if f.scope_kind == kind and f.scope_id == scope_id
                    and (wanted is None or f.metric in wanted)]
            if rows:
                groups.append((f"{title}{separator}{name}", rows))
    return groups


@dataclass(frozen=True)
class QualityFigure:
    """One metric of one scope, per scenario (in the run's order); deltas against the reference (None for it)."""

    section: str
    scope_kind: str
    scope_id: str
    scope_name: str
    metric: str
    label: str
    unit: DisplayUnit
    summaries: tuple[MetricSummary | None, ...]
    deltas: tuple[MetricDelta | None, ...]

    @property
    def label_with_unit(self) -> str:
        """``Time to action, p90 (min)``; counts say nothing (their label is the thing counted)."""
        return self.label if self.unit is ITEMS else f"{self.label} ({self.unit.name})"


def has_quality(run: RunResult | None) -> bool:
    return run is not None and any(s.scope_kind in (QUALITY, DECISION) for s in run.summaries)


def has_wellness(run: RunResult | None) -> bool:
    return run is not None and any(s.scope_kind == WELLNESS for s in run.summaries)


def unit_of(metric: str, largest: float) -> DisplayUnit:
    """The display unit of a quality metric (see the module rules); ``largest`` is its largest mean (seconds)."""
    if metric.endswith("_share"):
        return SHARE
    if metric.endswith("_s"):
        return readable_duration_unit(largest)
    if metric == "exposure_h":
        return ITEM_HOURS
    if metric.endswith("_h"):
        return HOURS_A_DAY
    if metric == "views_count":
        return VIEWS
    if metric == "reviewer_days_count":
        return REVIEWER_DAYS
    return ITEMS


def scopes_of(run: RunResult, kind: str) -> list[tuple[str, str]]:
    """(scope id, name) of ``kind`` in the run's order; for categories the overall scope first."""
    scopes = list(dict.fromkeys((s.scope_id, s.scope_name) for s in run.summaries if s.scope_kind == kind))
    return sorted(scopes, key=lambda scope: scope[0] != OVERALL_ID) if kind == QUALITY else scopes


def quality_figures(run: RunResult | None, kinds: tuple[str, ...] = (QUALITY, DECISION, WELLNESS),
                    metrics: tuple[str, ...] | None = None) -> list[QualityFigure]:
    """Every quality figure of ``run`` (see the module rules), optionally only the ``metrics`` named."""
    if not has_quality(run) and not has_wellness(run):
        return []
    assert run is not None
    order = [str(s["id"]) for s in run.scenarios]
    by_key = {(s.scenario_id, s.scope_kind, s.scope_id, s.metric): s for s in run.summaries}
    deltas = {(d.scenario_id, d.scope_kind, d.scope_id, d.metric): d for d in run.deltas}
    out: list[QualityFigure] = []
    for kind in kinds:
        scopes = scopes_of(run, kind)
        for metric, label in METRICS[kind]:
            if metrics is not None and metric not in metrics:
                continue
            means = [abs(s.mean) for s in run.summaries
                     if s.scope_kind == kind and s.metric == metric and math.isfinite(s.mean)]
            unit = unit_of(metric, max(means, default=0.0))
            for scope_id, scope_name in scopes:
                summaries = tuple(by_key.get((i, kind, scope_id, metric)) for i in order)
                if all(s is None for s in summaries) and not _always_listed(run, kind, scope_id, metric):
                    continue
                if metric == "views_count" and all(s is None or s.mean == 0 for s in summaries):
                    continue  # no views per hour given: exposure in views is not measured, not zero
                out.append(QualityFigure(SECTIONS[kind], kind, scope_id, scope_name, metric, label, unit, summaries,
                                         tuple(deltas.get((i, kind, scope_id, metric)) for i in order)))
    section_order = {name: i for i, name in enumerate(SECTIONS.values())}
    scope_order = {(kind, scope_id): i for kind in kinds for i, (scope_id, _) in enumerate(scopes_of(run, kind))}
    return sorted(out, key=lambda f: (section_order[f.section], scope_order[(f.scope_kind, f.scope_id)]))


def _always_listed(run: RunResult, kind: str, scope_id: str, metric: str) -> bool:
    """A share with no data anywhere (precision with nothing removed) is still a row of its scope: it reads n/a.
    QA figures belong only to stages that sample for QA (the records have them)."""
    if metric.startswith("qa_"):
        return False
    return any(s.scope_kind == kind and s.scope_id == scope_id for s in run.summaries)


def figure_of(figures: list[QualityFigure], scope_kind: str, scope: str, metric: str) -> QualityFigure:
    """The figure of ``metric`` for a scope (by id or name)."""
    for figure in figures:
        if figure.scope_kind == scope_kind and figure.metric == metric and scope in (figure.scope_id,
                                                                                     figure.scope_name):
            return figure
    raise KeyError(f"no quality figure {metric!r} for {scope_kind} {scope!r}")


def cell_text(summary: MetricSummary | None, unit: DisplayUnit) -> str:
    """``1,107 ± 80.7`` in the row's unit (the label states it); ``n/a`` without data, the mean alone without a CI."""
    if summary is None or not math.isfinite(summary.mean):
        return "n/a"
    mean = number(scaled(summary.mean, unit))
    return f"{mean} ± {number(scaled(summary.half_width, unit))}" if summary.ci_defined else mean


def change_text(delta: MetricDelta | None, unit: DisplayUnit) -> str:
    """``+412 (+380 to +445)``: the paired change and its 95 % interval, in the row's unit (a share in pp);
    "unchanged" when it is 0 in every replication."""
    if delta is None or not math.isfinite(delta.delta_mean):
        return "n/a"
    if delta.delta_mean == 0 and delta.half_width == 0:
        return "unchanged"
    unit_text = suffix(unit, delta=True) if unit is SHARE else ""
    text = number(scaled(delta.delta_mean, unit), signed=True) + unit_text
    if not delta.ci_defined:
        return text
    low, high = (number(scaled(v, unit), signed=True) for v in (delta.ci_low, delta.ci_high))
    return f"{text} ({low} to {high})"


def change_line(figure: QualityFigure, position: int) -> str:
    """``Classifier v2: wrongful removals +412 (+380 to +445)`` — one scenario's change of one figure, with its unit
    unless it counts items."""
    delta = figure.deltas[position]
    scenario = delta.scenario_name if delta is not None else ""
    unit = "" if figure.unit in (ITEMS, SHARE) else f" {figure.unit.name}"
    what = figure.label if figure.label[1:2].isupper() else figure.label[0].lower() + figure.label[1:]
    scope = "" if figure.scope_id == OVERALL_ID else f" ({figure.scope_name})"
    change = change_text(delta, figure.unit)
    return f"{scenario}: {what}{scope} {change}" + (unit if change not in ("n/a", "unchanged") else "")


#: The tidy form of every quality figure (quality.csv, the JSON's ``quality``), in the stored units.
TIDY_COLUMNS = ("run", "scenario", "section", "scope_kind", "scope", "figure", "metric", "mean", "ci_low",
                "ci_high", "n", "delta", "delta_ci_low", "delta_ci_high", "clear")


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def tidy_rows(run: RunResult, run_id: str = "") -> list[tuple[object, ...]]:
    """One row per scenario × quality figure (see :data:`TIDY_COLUMNS`): values as stored (0–1 shares, seconds,
    hours, counts), None where undefined; the delta columns empty for the reference."""
    names = [str(s["name"]) for s in run.scenarios]
    rows: list[tuple[object, ...]] = []
    for figure in quality_figures(run):
        for name, summary, delta in zip(names, figure.summaries, figure.deltas, strict=True):
            mean = (_finite(summary.mean), _finite(summary.ci_low) if summary.ci_defined else None,
                    _finite(summary.ci_high) if summary.ci_defined else None, summary.n) \
                if summary is not None else (None, None, None, 0)
            change = (_finite(delta.delta_mean), _finite(delta.ci_low) if delta.ci_defined else None,
                      _finite(delta.ci_high) if delta.ci_defined else None, delta.clear) \
                if delta is not None else (None, None, None, None)
            rows.append((run_id, name, figure.section, figure.scope_kind, figure.scope_name, figure.label,
                         figure.metric, *mean, *change))
    return rows
