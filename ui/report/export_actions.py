"""Export from the app: one call for an Export menu item or the comparison view's button.

Rules:
- :func:`ask_and_export` asks where to save (the chosen file type decides the format), builds the comparison of
  the picked scenarios (the first is the reference) and writes it; a failed export is shown in a message box
  that names the file and what to do, never as a traceback, and leaves any previous file untouched.
- :func:`export_comparison` is the same dispatch without a dialog: .xlsx, .pdf, .csv, .zip, .json, and the
  workflow picture as .png or .svg. :func:`ask_export_path` (the dialog) and :func:`export_run` (the export and
  its message box) are the two halves of :func:`ask_and_export`, so a window can ask in a method tests answer.
- A dialog starts beside the document (:func:`start_path`), or in the home folder while it has no file: never in
  whatever folder the program was started from.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from flowmodel.errors import FlowmodelError, SaveError
from flowmodel.workflow import Workflow
from reports.comparison import Comparison, build_comparison, restrict_run
from reports.data_export import export_data
from reports.xlsx_export import export_xlsx
from simulations.runner import RunResult
from ui.report.canvas_image import save_canvas
from ui.report.pdf import export_pdf

EXPORT_FILTERS = ("Excel workbook (*.xlsx)", "PDF report (*.pdf)", "CSV, per-replication figures (*.csv)",
                  "CSV tables in a zip (*.zip)", "JSON (*.json)", "Workflow picture, PNG (*.png)",
                  "Workflow picture, SVG (*.svg)")


def export_comparison(comparison: Comparison, path: str | os.PathLike[str], workflow: Workflow | None) -> Path:
    """Write ``comparison`` (or, for .png/.svg, the workflow picture) to ``path`` by its suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return export_xlsx(comparison, path)
    if suffix == ".pdf":
        return export_pdf(comparison, path, workflow)
    if suffix in (".png", ".svg"):
        if workflow is None:
            raise SaveError("there is no workflow to draw", where=str(path), hint="open the run's workflow first")
        return save_canvas(workflow, path)
    return export_data(comparison, path)


def start_path(document_path: Path | None, name: str) -> str:
    """Where an export dialog starts: ``name`` beside the document, or in the home folder for an untitled one."""
    folder = document_path.parent if document_path is not None else Path.home()
    safe = "".join("-" if c in '/\\:' else c for c in name).strip() or "export"
    return str(folder / safe)


def ask_export_path(parent: QWidget | None, title: str, start: str, filters: tuple[str, ...] = EXPORT_FILTERS
                    ) -> Path | None:
    """The save dialog; a name typed without a suffix gets the chosen filter's, so the format is never a guess."""
    name, chosen = QFileDialog.getSaveFileName(parent, title, start, ";;".join(filters))
    if not name:
        return None
    path = Path(name)
    if not path.suffix and chosen:  # some platforms return the name without the filter's suffix
        path = path.with_suffix(chosen.rsplit("*", 1)[1].rstrip(")"))
    return path


def comparison_of(run: RunResult, workflow: Workflow | None, scenario_ids: list[str] | None = None, run_id: str = "",
                  fingerprint: str = "") -> Comparison:
    """The comparison of ``scenario_ids`` of ``run`` (all of them when None or empty; the first is the reference)."""
    ids = scenario_ids or [str(s["id"]) for s in run.scenarios]
    return build_comparison(restrict_run(run, ids), workflow, run_id=run_id, fingerprint=fingerprint)


def export_run(parent: QWidget | None, path: Path, run: RunResult, workflow: Workflow | None,
               scenario_ids: list[str] | None = None, run_id: str = "", fingerprint: str = "") -> Path | None:
    """Export the comparison of ``scenario_ids`` (all of the run's when None or empty) to ``path``; a failure
    is shown in a message box and gives None."""
    try:
        return export_comparison(comparison_of(run, workflow, scenario_ids, run_id, fingerprint), path, workflow)
    except FlowmodelError as error:
        QMessageBox.warning(parent, "Export failed", error.render())
        return None


def ask_and_export(parent: QWidget | None, run: RunResult, workflow: Workflow | None,
                   scenario_ids: list[str] | None = None, run_id: str = "", fingerprint: str = "",
                   document_path: Path | None = None) -> Path | None:
    """Ask for a file (starting beside ``document_path``) and export the comparison of ``scenario_ids`` (all of
    the run's when None) to it; ``fingerprint`` is the one stored with the run, so a workflow changed since then
    is noted as such."""
    path = ask_export_path(parent, "Export comparison",
                           start_path(document_path, f"{run.workflow_name or 'comparison'}.xlsx"))
    return export_run(parent, path, run, workflow, scenario_ids, run_id, fingerprint) if path else None
