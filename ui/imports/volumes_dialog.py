"""The "Import arrival volumes" dialog: a planner's history of volumes → a source's rate, weekly profile and mix.

Rules:
- The file (a path argument, or "Choose…"), the source (the history is read in THAT source's time zone: naive
  times in the file are its local times, and the weekly profile is stated in it) and, for a workbook, the sheet.
- Reading (:func:`flowmodel.imports.volumes.read_volumes`) and fitting (:mod:`simulations.forecast`) run off the
  GUI thread (:class:`VolumeFitJob`) with a busy note; a change asked for meanwhile (another outlier ticked) is
  fitted as soon as the running job ends, and a result for an older request is never shown. ``background=False``
  runs the same work on the GUI thread (tests).
- The first fit excludes the detected outlier days (pre-ticked under "Exclude these days"); unticking or ticking
  one fits again. The forecast covers the run's horizon after the end of the history; the new rate is its mean.
- Preview: the chart (:mod:`ui.imports.forecast_chart`), the fit errors (in-sample MAPE and on the hold-out
  week), the fitted weekly profile, and "What will change" (rate, profile, mix before → after) with the notes
  from reading and fitting. The mix is replaced only when "Also replace the mix" is ticked.
- Nothing in the model changes until Apply, which is ONE undo step (:func:`ui.forms.quality_edits.push_edits`,
  the path the forms use, so in scenario mode the edit is recorded as scenario changes or refused with a reason).
  A bad file or a fit that cannot be made is shown in the dialog as the error's own words, never a traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import FlowmodelError
from flowmodel.imports.history import VolumeHistory
from flowmodel.imports.tabular import ImportFileError
from flowmodel.imports.volumes import read_volumes
from flowmodel.limits import MAX_HORIZON_HOURS
from flowmodel.nodes import ArrivalProfile, MixEntry, Source
from flowmodel.workflow import Workflow
from simulations.forecast import ArrivalFit, apply_arrival_fit, detect_outlier_days, fit_arrivals, mix_from_history
from ui.background import BackgroundController, failure_text
from ui.forms.problem_label import PROBLEM_RED
from ui.forms.profile_preview import ProfilePreview
from ui.forms.quality_edits import push_edits, shown_workflow
from ui.imports.forecast_chart import ForecastChart, chart_series

TITLE = "Import arrival volumes"
FILE_FILTER = "Volume history (*.csv *.tsv *.txt *.xlsx);;All files (*)"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MIX_SHOWN = 3
DEFAULT_KEY = (MixEntry.category, MixEntry.language, MixEntry.priority)


@dataclass(frozen=True)
class VolumeRequest:
    """What to read and fit; ``exclude`` None = the first fit: detect outlier days and exclude them."""

    path: Path
    timezone: str
    sheet: str | None
    horizon_hours: int
    exclude: frozenset[date] | None = None

    def same_reading(self, other: VolumeRequest) -> bool:
        return (self.path, self.timezone, self.sheet) == (other.path, other.timezone, other.sheet)


@dataclass(frozen=True)
class VolumePreview:
    request: VolumeRequest
    history: VolumeHistory
    detected: tuple[date, ...]  # outlier days found before anything was excluded
    fit: ArrivalFit
    mix: tuple[MixEntry, ...] = field(default=())  # the history's mix; empty when the file has no key columns


def compute_preview(request: VolumeRequest, previous: VolumePreview | None = None) -> VolumePreview:
    """Read (unless ``previous`` read the same file in the same zone) and fit; raises FlowmodelError."""
    if previous is not None and previous.request.same_reading(request):
        history, detected = previous.history, previous.detected
    else:
        history = read_volumes(request.path, timezone=request.timezone, sheet=request.sheet)
        detected = ()
    exclude = request.exclude
    if exclude is None:
        detected = tuple(detect_outlier_days(history))
        exclude = frozenset(detected)
    fit = fit_arrivals(history, horizon_hours=request.horizon_hours, exclude_days=sorted(exclude))
    keys = set(history.mix)
    mix = tuple(mix_from_history(history)) if keys and keys != {DEFAULT_KEY} else ()
    return VolumePreview(request, history, detected, fit, mix)


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, in its order; raises ImportFileError when it cannot be opened."""
    import openpyxl  # only workbooks need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(f"the workbook cannot be opened ({exc.__class__.__name__})", file=path.name,
                              hint="open it in Excel and save it again as .xlsx") from exc
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


class VolumeFitJob(BackgroundController):
    """Reads and fits one request on a worker thread; ``finished(VolumePreview)``."""

    what = "volume import"
    finished = Signal(object)

    def start(self, request: VolumeRequest, previous: VolumePreview | None) -> None:
        self.launch(lambda _cancel, _progress: compute_preview(request, previous))

    def deliver(self, result: object) -> None:
        self.finished.emit(result)


def profile_words(profile: ArrivalProfile) -> str:
    values = profile.multipliers
    if profile.kind == "flat" or not values:
        return "flat (the same every hour)"
    mean = sum(values) / len(values) or 1.0
    hours = "24 hours" if profile.kind == "daily" else "7 × 24 hours"
    return f"{profile.kind} ({hours}; peak {max(values) / mean:.2f}×, low {min(values) / mean:.2f}× the mean)"


def mix_words(mix: list[MixEntry] | tuple[MixEntry, ...]) -> str:
    if not mix:
        return "none"
    ranked = sorted(mix, key=lambda e: -e.share)
    parts = [f"{e.category} · {e.language} · {e.priority} {e.share:.0%}" for e in ranked[:MIX_SHOWN]]
    more = f" and {len(ranked) - MIX_SHOWN} more" if len(ranked) > MIX_SHOWN else ""
    kinds = "1 kind" if len(ranked) == 1 else f"{len(ranked)} kinds"
    return f"{kinds}: {', '.join(parts)}{more}"


def error_words(fit: ArrivalFit) -> str:
    """"MAPE 6.1 % in sample, 8.4 % on the hold-out week"."""
    text = f"MAPE {fit.mape_fit * 100:.1f} % in sample"
    if math.isfinite(fit.mape_holdout):
        return text + f", {fit.mape_holdout * 100:.1f} % on the hold-out week"
    return text + " (no hold-out week: it needs three weeks of history)"


class VolumeImportDialog(QDialog):
    """See the module rules. ``applied(source_id)`` follows a successful Apply."""

    applied = Signal(str)

    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, parent: QWidget | None = None, *,
                 path: str | Path | None = None, source_id: str | None = None, background: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.workflow = workflow
        self.undo_stack = undo_stack
        self.background = background
        self.path: Path | None = None
        self.preview: VolumePreview | None = None
        self.error = ""
        self._wanted: VolumeRequest | None = None
        self._pending = False
        self.job = VolumeFitJob(self)
        self.job.finished.connect(self._delivered)
        self.job.failed.connect(self._failed)

        self.file_field = QLineEdit()
        self.file_field.setReadOnly(True)
        self.file_field.setPlaceholderText("no file chosen")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_file)
        self.source_combo = QComboBox()
        self.sheet_combo = QComboBox()
        self.sheet_combo.setToolTip("The workbook's sheet that holds the history")
        self.zone_note = QLabel()
        self.zone_note.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = ForecastChart()
        self.outlier_list = QListWidget()
        self.outlier_list.setToolTip("Ticked days are left out of the profile and the level (an incident day)")
        self.errors_label = QLabel("—")
        font = self.errors_label.font()
        font.setBold(True)
        self.errors_label.setFont(font)
        self.errors_label.setWordWrap(True)
        self.method_label = QLabel()
        self.method_label.setWordWrap(True)
        self.method_label.setStyleSheet("color: #52606d;")
        self.profile_preview = ProfilePreview()
        self.profile_preview.setToolTip("The fitted weekly profile in the source's local time, Monday to Sunday")
        self.changes = QTableWidget(3, 2)
        self.changes.setHorizontalHeaderLabels(["Now", "After Apply"])
        self.changes.setVerticalHeaderLabels(["Rate", "Profile", "Mix"])
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changes.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.changes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.changes.setWordWrap(True)
        self.replace_mix = QCheckBox("Also replace the mix with the file's")
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("Apply to source", QDialogButtonBox.ButtonRole.ApplyRole)
        self.apply_button.setToolTip("One undoable edit: Ctrl+Z restores the source")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self._layout()

        self._fill_sources(source_id)
        self.source_combo.currentIndexChanged.connect(self._source_changed)
        self.sheet_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.outlier_list.itemChanged.connect(lambda _item: self.refresh(keep_exclusions=True))
        self.replace_mix.toggled.connect(lambda _on: self._show_changes())
        self._source_changed()
        if path is not None:
            self.set_file(Path(path))
        self.resize(1180, 820)

    def _layout(self) -> None:
        pick = QGridLayout()
        pick.addWidget(QLabel("File"), 0, 0)
        pick.addWidget(self.file_field, 0, 1)
        pick.addWidget(self.choose_button, 0, 2)
        pick.addWidget(QLabel("Source"), 1, 0)
        pick.addWidget(self.source_combo, 1, 1, 1, 2)
        pick.addWidget(QLabel("Sheet"), 2, 0)
        pick.addWidget(self.sheet_combo, 2, 1, 1, 2)
        pick.addWidget(self.zone_note, 3, 1, 1, 2)
        pick.setColumnStretch(1, 1)

        outliers = QGroupBox("Exclude these days")
        box = QVBoxLayout(outliers)
        hint = QLabel("Days far off the weekly pattern (an incident); ticked days are left out of the fit.")
        hint.setWordWrap(True)
        box.addWidget(hint)
        box.addWidget(self.outlier_list)

        fit = QGroupBox("Fit")
        box = QVBoxLayout(fit)
        box.addWidget(self.errors_label)
        box.addWidget(QLabel("Weekly profile (local time, Mon → Sun)"))
        box.addWidget(self.profile_preview)
        box.addWidget(self.method_label)
        box.addStretch(1)

        changes = QGroupBox("What will change")
        box = QVBoxLayout(changes)
        box.addWidget(self.changes, 1)
        box.addWidget(self.replace_mix)
        box.addWidget(self.notes_label)

        lower = QHBoxLayout()
        lower.addWidget(outliers, 2)
        lower.addWidget(fit, 3)
        lower.addWidget(changes, 5)

        page = QVBoxLayout(self)
        page.addLayout(pick)
        page.addWidget(self.status)
        page.addWidget(self.chart, 1)
        page.addLayout(lower)
        page.addWidget(self.buttons)
        self._show_nothing()

    # -- choices ---------------------------------------------------------------------------------
    def _shown(self) -> Workflow:
        return shown_workflow(self.workflow, self.undo_stack)

    def _fill_sources(self, source_id: str | None) -> None:
        sources = [node for node in self._shown().nodes.values() if isinstance(node, Source)]
        for source in sources:
            self.source_combo.addItem(source.name or source.id, source.id)
        if source_id is not None and (index := self.source_combo.findData(source_id)) >= 0:
            self.source_combo.setCurrentIndex(index)
        if not sources:
            self._show_error("The workflow has no source to import volumes into; add a source on the canvas first.")

    def source(self) -> Source | None:
        """The chosen source as the editors show it (the scenario's version in scenario mode)."""
        source_id = self.source_combo.currentData()
        node = self._shown().find(source_id) if source_id is not None else None
        return node if isinstance(node, Source) else None

    def _source_changed(self) -> None:
        source = self.source()
        if source is not None:
            self.zone_note.setText(f"The history is read in this source's time zone, {source.timezone}: times "
                                   "without an offset are its local times, and the weekly profile is stated in it.")
        self.refresh()

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path is not None else ""
        name, _ = QFileDialog.getOpenFileName(self, "Choose a history of volumes", start, FILE_FILTER)
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file_field.setText(str(path))
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        is_workbook = path.suffix.lower() in WORKBOOK_SUFFIXES
        self.sheet_combo.setEnabled(is_workbook)
        if is_workbook:
            try:
                self.sheet_combo.addItems(sheet_names(path))
            except FlowmodelError as error:
                self.sheet_combo.blockSignals(False)
                self._show_error(error.render())
                return
        else:
            self.sheet_combo.addItem("(a text file has one table)")
        self.sheet_combo.blockSignals(False)
        self.refresh()

    def excluded_days(self) -> frozenset[date]:
        days = set()
        for row in range(self.outlier_list.count()):
            item = self.outlier_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                days.add(item.data(Qt.ItemDataRole.UserRole))
        return frozenset(days)

    def request(self, *, keep_exclusions: bool) -> VolumeRequest | None:
        source = self.source()
        if self.path is None or source is None:
            return None
        sheet = self.sheet_combo.currentText() if self.sheet_combo.isEnabled() and self.sheet_combo.count() else None
        horizon = int(min(MAX_HORIZON_HOURS, max(24, math.ceil(self._shown().run_settings.horizon_hours))))
        request = VolumeRequest(self.path, source.timezone, sheet, horizon)
        if keep_exclusions and self.preview is not None and self.preview.request.same_reading(request):
            return VolumeRequest(self.path, source.timezone, sheet, horizon, self.excluded_days())
        return request

    # -- work --------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.job.running

    def refresh(self, *, keep_exclusions: bool = False) -> None:
        """Ask for the preview of the current choices (read and fit again only where something changed)."""
        request = self.request(keep_exclusions=keep_exclusions)
        if request is None:
            return
        self._wanted = request
        if self.preview is not None and self.preview.request == request:
            self._show_preview(self.preview)
            return
        if self.job.running:
            self._pending = True
            return
        self._start(request)

    def _start(self, request: VolumeRequest) -> None:
        self._pending = False
        self.apply_button.setEnabled(False)
        self.status.setStyleSheet("color: #52606d;")
        reading = self.preview is None or not self.preview.request.same_reading(request)
        self.status.setText(f"Reading {request.path.name} and fitting…" if reading else "Fitting again…")
        if not self.background:
            try:
                result = compute_preview(request, self.preview)
            except FlowmodelError as error:
                self._failed(failure_text(error, VolumeFitJob.what))
                return
            self._delivered(result)
            return
        self.job.start(request, self.preview)

    def _delivered(self, result: object) -> None:
        assert isinstance(result, VolumePreview)
        self.preview = result  # kept even when stale: a later request on the same file need not read it again
        if self._pending or result.request != self._wanted:
            self._restart()
            return
        self._show_preview(result)

    def _failed(self, message: str) -> None:
        if self._pending:
            self._restart()
            return
        self.preview = None
        self._show_error(message)

    def _restart(self) -> None:
        if self._wanted is not None:
            self._start(self._wanted)

    # -- showing -------------------------------------------------------------------------------
    def _show_nothing(self) -> None:
        self.apply_button.setEnabled(False)
        self.errors_label.setText("—")
        self.method_label.setText("")
        self.notes_label.setText("")
        self.replace_mix.setEnabled(False)
        for row in range(3):
            for column in range(2):
                self.changes.setItem(row, column, QTableWidgetItem(""))

    def _show_error(self, message: str) -> None:
        self.error = message
        self.status.setStyleSheet(f"color: {PROBLEM_RED};")
        self.status.setText(f"Nothing was changed. {message}")
        self.chart.show_message("No preview: the file could not be read or fitted (see the message above).")
        self.outlier_list.blockSignals(True)
        self.outlier_list.clear()
        self.outlier_list.blockSignals(False)
        self.profile_preview.set_multipliers([])
        self._show_nothing()

    def _show_preview(self, preview: VolumePreview) -> None:
        fit, history = preview.fit, preview.history
        self.error = ""
        self.status.setStyleSheet("color: #52606d;")
        self.status.setText(f"{history.file}: {history.hours} hours ({history.hours / 24:.0f} days) read, "
                            f"{history.total():,.0f} items; forecast {len(fit.forecast) / 24:.0f} days after "
                            "the history (the run's horizon). Nothing changes until you apply.")
        days = tuple(sorted(set(preview.detected) | set(fit.outlier_days) | set(fit.excluded_days)))
        self.outlier_list.blockSignals(True)
        self.outlier_list.clear()
        for day in days:
            item = QListWidgetItem(f"{day:%a %d %b %Y}" + ("" if day in preview.detected else " (found after)"))
            item.setData(Qt.ItemDataRole.UserRole, day)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if day in fit.excluded_days else Qt.CheckState.Unchecked)
            self.outlier_list.addItem(item)
        if not days:
            empty = QListWidgetItem("No outlier day found")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.outlier_list.addItem(empty)
        self.outlier_list.blockSignals(False)
        self.chart.show_fit(chart_series(history, fit, days))
        self.errors_label.setText(error_words(fit))
        self.method_label.setText(fit.method)
        self.profile_preview.set_multipliers(list(fit.weekly_profile))
        self.replace_mix.setEnabled(bool(preview.mix))
        self.replace_mix.setToolTip("" if preview.mix else "The file has no category, language or priority column")
        if not preview.mix:
            self.replace_mix.setChecked(False)
        self._show_changes()
        self.apply_button.setEnabled(self.source() is not None)

    def _show_changes(self) -> None:
        source, preview = self.source(), self.preview
        if source is None or preview is None or self.error:
            return
        changed = self.changed_source()
        rows = ((f"{source.rate_per_hour:.2f} items/h", f"{changed.rate_per_hour:.2f} items/h"),
                (profile_words(source.profile), profile_words(changed.profile)),
                (mix_words(source.mix), mix_words(changed.mix) if self.replace_mix.isChecked()
                 else "unchanged (tick “Also replace the mix”)"))
        for row, (now, after) in enumerate(rows):
            self.changes.setItem(row, 0, QTableWidgetItem(now))
            self.changes.setItem(row, 1, QTableWidgetItem(after))
        notes = [*preview.history.notes, *preview.fit.notes]
        self.notes_label.setText("Notes from reading and fitting:\n" + "\n".join(f"• {n}" for n in notes)
                                 if notes else "Reading and fitting left no notes.")

    # -- applying --------------------------------------------------------------------------------
    def changed_source(self) -> Source:
        """The chosen source as Apply would leave it; raises ModelError when the fit does not fit it."""
        source, preview = self.source(), self.preview
        assert source is not None and preview is not None
        mix = list(preview.mix) if self.replace_mix.isChecked() and preview.mix else None
        return apply_arrival_fit(source, preview.fit, mix)

    def apply(self) -> bool:
        """Apply the preview to the source as one undo step; False (and the reason shown) when nothing changed."""
        source = self.source()
        if source is None or self.preview is None or self.busy:
            return False
        try:
            changed = self.changed_source()
        except FlowmodelError as error:
            self._show_error(error.render())
            return False
        edits = [(source.id, "rate_per_hour", changed.rate_per_hour), (source.id, "profile", changed.profile)]
        if self.replace_mix.isChecked():
            edits.append((source.id, "mix", changed.mix))
        name = source.name or source.id
        if not push_edits(self.undo_stack, self.workflow, f"Import arrival volumes into {name}", edits):
            self.status.setStyleSheet(f"color: {PROBLEM_RED};")
            self.status.setText("Nothing was changed: the source already has these values, or scenario mode "
                                "refused the edit (see the status bar).")
            return False
        self.applied.emit(source.id)
        self.accept()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.wait()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.job.wait()
        super().done(result)


def open_volumes(window, path: str | Path | None = None) -> VolumeImportDialog:
    """Open the dialog on the window's workflow, on the source selected on the canvas when there is one."""
    scene = window.view.canvas_scene
    selected = scene.selected_node_ids()
    dialog = VolumeImportDialog(window.document.workflow, window.undo_stack, window, path=path,
                                source_id=selected[0] if len(selected) == 1 else None)
    dialog.applied.connect(lambda _source_id: window.show_status(
        "Arrival volumes applied to the source (Ctrl+Z undoes)"))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    if path is None:
        dialog.choose_file()
    return dialog
