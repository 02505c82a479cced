"""CSV, zip and JSON exports of a comparison — for people who load the numbers into their own tools.

Rules:
- ``.csv``: one file, the tidy per-replication scalars (run, scenario, replication, metric, scope, value).
- ``.zip``: one CSV per tidy table (:mod:`reports.tidy`: scalars, series, summary, deltas, and staffing when
  there is one) plus assumptions.csv (run settings, seed, fingerprint, version) and scenario_changes.csv.
- ``.json``: the comparison as a document: assumptions, scenarios with their changes, key figures with
  mean, CI and paired delta per scenario, the findings, every summary and delta.
- A run with launch results (:mod:`reports.launch`) carries them everywhere: its launch metrics are scalars
  and its daily SLA attainment and items due are series like any other; the zip adds ``launch.csv`` and the
  JSON a ``launch`` list (per scenario × figure: mean, CI, "recovered in k of n", paired delta) — the rows of
  the workbook's Launch sheet, in the stored units (hours, items, currency).
- A run with decision-quality results (:mod:`reports.quality`) likewise: its records are scalars like any other
  (``quality:<category>``, ``decision:<stage>``, ``wellness:<team> · <category>``); the zip adds ``quality.csv``
  and the JSON a ``quality`` list (per scenario × figure: mean, CI, n, paired delta), in the stored units.
- Waits and time to decision per priority and per category at each stage (:mod:`reports.class_waits`) are
  scalars too (``stage_priority``, ``stage_category``); the zip adds ``class_waits.csv`` and the JSON a
  ``class_waits`` list (per scenario × stage × priority or category × figure: mean, CI, n), in seconds and counts.
- A run started from today's backlog (:mod:`reports.start_backlog`): its records are scalars like any other
  (kind ``start_backlog``; a replication that did not clear the backlog has an empty ``cleared_h``); the zip adds
  ``start_backlog.csv`` and the JSON a ``start_backlog`` list — the "Today's backlog" key figures per scenario:
  mean, CI, n, the replications not cleared by the end and of how many, the paired delta and the note in words —
  in the stored units (hours, items, 0–1 shares).
- Numbers are written at full precision (Python's shortest round-trip form); no data is an empty cell in CSV
  and null in JSON. Text is UTF-8; CSV files start with a byte-order mark so Excel reads the names right.
- Every file is built in memory and written atomically (:func:`reports.files.write_file`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flowmodel.errors import SaveError
from flowmodel.nodes import SLA_CLOCK_WORDS
from reports.class_waits import TIDY_COLUMNS as CLASS_WAITS_COLUMNS
from reports.class_waits import has_class_waits
from reports.class_waits import tidy_rows as class_waits_rows
from reports.comparison import Comparison, KeyFigure
from reports.files import write_file
from reports.findings import write_findings
from reports.launch import has_launch, launch_figure_rows
from reports.quality import TIDY_COLUMNS as QUALITY_COLUMNS
from reports.quality import has_quality, tidy_rows
from reports.start_backlog import KIND as START_BACKLOG
from reports.start_backlog import has_start_backlog
from reports.start_backlog_words import figure_note
from reports.tidy import SCALAR_COLUMNS, finite, scalar_rows, tables

JSON_FORMAT = "flowmodel.comparison"
JSON_VERSION = 1
LAUNCH_COLUMNS = ("run", "scenario", "figure", "scope", "metric", "mean", "ci_low", "ci_high", "n", "recovered",
                  "delta", "delta_ci_low", "delta_ci_high", "clear")
START_BACKLOG_COLUMNS = ("run", "scenario", "figure", "scope", "metric", "mean", "ci_low", "ci_high", "n",
                         "not_reached", "replications", "delta", "delta_ci_low", "delta_ci_high", "clear", "note")


def start_backlog_rows(comparison: Comparison) -> list[tuple[Any, ...]]:
    """The "Today's backlog" key figures in tidy form (see :data:`START_BACKLOG_COLUMNS`); empty without them."""
    rows = []
    for figure in (f for f in comparison.figures if f.scope_kind == START_BACKLOG):
        for position, scenario in enumerate(comparison.scenarios):
            summary, delta = figure.summaries[position], figure.deltas[position]
            missing, total = figure.not_reached[position] if figure.not_reached else (None, None)
            rows.append((comparison.run_id, scenario.name, figure.label, figure.scope_name, figure.metric,
                         *((finite(summary.mean), finite(summary.ci_low) if summary.ci_defined else None,
                            finite(summary.ci_high) if summary.ci_defined else None, summary.n)
                           if summary is not None else (None, None, None, 0)),
                         missing, total,
                         *((finite(delta.delta_mean), finite(delta.ci_low) if delta.ci_defined else None,
                            finite(delta.ci_high) if delta.ci_defined else None, delta.clear)
                           if delta is not None else (None, None, None, None)),
                         figure_note(figure, position) or None))
    return rows


def launch_rows(comparison: Comparison) -> list[tuple[Any, ...]]:
    """The launch figures in tidy form (see :data:`LAUNCH_COLUMNS`); empty for a run without launch results."""
    rows = []
    for scenario, figure, scope, metric, summary, delta, recovered in launch_figure_rows(comparison.run):
        rows.append((comparison.run_id, scenario, figure, scope, metric,
                     *((finite(summary.mean), finite(summary.ci_low) if summary.ci_defined else None,
                        finite(summary.ci_high) if summary.ci_defined else None, summary.n)
                       if summary is not None else (None, None, None, 0)),
                     recovered or None,
                     *((finite(delta.delta_mean), finite(delta.ci_low) if delta.ci_defined else None,
                        finite(delta.ci_high) if delta.ci_defined else None, delta.clear)
                       if delta is not None else (None, None, None, None))))
    return rows


def csv_text(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else repr(value) if isinstance(value, float) else value
                         for value in row])
    return buffer.getvalue()


def _encoded(text: str) -> bytes:
    return text.encode("utf-8-sig")


def csv_bytes(comparison: Comparison) -> bytes:
    """The single-file CSV: per-replication scalars in tidy long form."""
    return _encoded(csv_text(SCALAR_COLUMNS, scalar_rows(comparison)))


def zip_bytes(comparison: Comparison) -> bytes:
    """A zip of one CSV per table (see the module rules)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (columns, rows) in tables(comparison).items():
            archive.writestr(f"{name}.csv", _encoded(csv_text(columns, rows)))
        if has_launch(comparison.run):
            archive.writestr("launch.csv", _encoded(csv_text(LAUNCH_COLUMNS, launch_rows(comparison))))
        if has_quality(comparison.run):
            archive.writestr("quality.csv", _encoded(csv_text(QUALITY_COLUMNS,
                                                              tidy_rows(comparison.run, comparison.run_id))))
        if has_class_waits(comparison.run):
            archive.writestr("class_waits.csv", _encoded(csv_text(CLASS_WAITS_COLUMNS,
                                                                  class_waits_rows(comparison.run, comparison.run_id))))
        if has_start_backlog(comparison.run):
            archive.writestr("start_backlog.csv", _encoded(csv_text(START_BACKLOG_COLUMNS,
                                                                    start_backlog_rows(comparison))))
        archive.writestr("assumptions.csv", _encoded(csv_text(("setting", "value"), comparison.assumptions)))
        changes = [(s.name, line) for s in comparison.scenarios for line in s.changes]
        archive.writestr("scenario_changes.csv", _encoded(csv_text(("scenario", "change"), changes)))
    return buffer.getvalue()


def _figure_document(figure: KeyFigure, comparison: Comparison) -> dict[str, Any]:
    cells = []
    for scenario, summary, delta in zip(comparison.scenarios, figure.summaries, figure.deltas, strict=True):
        cell: dict[str, Any] = {"scenario": scenario.name}
        if summary is not None:
            cell.update(mean=finite(summary.mean), ci_low=finite(summary.ci_low), ci_high=finite(summary.ci_high),
                        n=summary.n)
        if delta is not None:
            cell.update(delta=finite(delta.delta_mean), delta_ci_low=finite(delta.ci_low),
                        delta_ci_high=finite(delta.ci_high), relative_delta=finite(delta.relative_delta),
                        clear=delta.clear)
        cells.append(cell)
    return {"group": figure.group, "label": figure.label, "scope_kind": figure.scope_kind,
            "scope": figure.scope_name, "metric": figure.metric, "target": figure.target,
            **({"sla_clock": SLA_CLOCK_WORDS[figure.clock]} if figure.metric.startswith("sla_") else {}),
            "scenarios": cells}


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return finite(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def json_bytes(comparison: Comparison) -> bytes:
    findings = write_findings(comparison)
    data = {
        "format": JSON_FORMAT, "version": JSON_VERSION, "workflow": comparison.workflow_name,
        "run_id": comparison.run_id, "exported": comparison.created,
        "assumptions": dict(comparison.assumptions),
        "scenarios": [dataclasses.asdict(s) for s in comparison.scenarios],
        "key_figures": [_figure_document(f, comparison) for f in comparison.figures],
        "findings": {"general": list(findings.general),
                     "by_scenario": {f.scenario.name: list(f.points) for f in findings.by_scenario}},
        "summaries": [dataclasses.asdict(s) for s in comparison.run.summaries],
        "deltas": [dataclasses.asdict(d) for d in comparison.run.deltas],
        "staffing": dataclasses.asdict(comparison.staffing) if comparison.staffing is not None else None,
    }
    if has_launch(comparison.run):
        data["launch"] = [dict(zip(LAUNCH_COLUMNS[1:], row[1:], strict=True)) for row in launch_rows(comparison)]
    if has_quality(comparison.run):
        data["quality"] = [dict(zip(QUALITY_COLUMNS[1:], row[1:], strict=True)) for row in tidy_rows(comparison.run)]
    if has_start_backlog(comparison.run):
        data["start_backlog"] = [dict(zip(START_BACKLOG_COLUMNS[1:], row[1:], strict=True))
                                 for row in start_backlog_rows(comparison)]
    if has_class_waits(comparison.run):
        data["class_waits"] = [dict(zip(CLASS_WAITS_COLUMNS[1:], row[1:], strict=True))
                               for row in class_waits_rows(comparison.run)]
    return (json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def export_data(comparison: Comparison, path: str | os.PathLike[str]) -> Path:
    """Write ``comparison`` as ``.csv``, ``.zip`` or ``.json`` (by the suffix), atomically."""
    path = Path(path)
    builders = {".csv": csv_bytes, ".zip": zip_bytes, ".json": json_bytes}
    build = builders.get(path.suffix.lower())
    if build is None:
        raise SaveError(f"cannot export data as {path.suffix or 'a file without a suffix'}", where=str(path),
                        hint="use .csv, .zip or .json")
    return write_file(path, build(comparison))
