"""Import → Handle times…: samples from the review tool's export, fitted, previewed and applied to a review stage.

Rules:
- Reading and fitting happen in :mod:`flowmodel.imports.handle_times` and :mod:`simulations.distribution_fit`;
  the dialog only chooses what they read (file, sheet, column, unit, category column) and shows what they found.
  The column, its unit and the category column are detected from the header first, then the planner may change
  them. A unit written in the header wins over the unit combo (the file says what it holds), so the combo then
  shows that unit and is disabled.
- The fits are expressed in the unit of the target stage's handle time, so before and after read alike.
- The samples list has "All samples" (→ the stage's handle time) and one entry per category of the file
  (→ ``handle_time_by_category``); a ticked entry is applied. Each entry keeps its own chosen family (the best by
  AIC until the planner picks another row of the fit table). A category too small to fit says why and is not
  applied: the stage's handle time covers it.
- Nothing changes until Apply; Apply is one undoable edit (one macro) pushed through
  :func:`ui.forms.quality_edits.push_edits`, the path the forms use, so in scenario mode it becomes scenario
  changes or is refused with the reason. Any error (the file, a fit, the model) is shown in the dialog and leaves
  the model as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.distributions import UNIT_NAMES, Distribution
from flowmodel.errors import FlowmodelError
from flowmodel.imports.handle_times import HandleTimeSamples, header_unit, read_handle_times
from flowmodel.imports.tabular import open_table
from flowmodel.nodes import ReviewStage
from flowmodel.workflow import Workflow
from reports.chart_style import MUTED
from simulations.distribution_fit import (
    FamilyFit,
    HandleTimeFits,
    ImportedFits,
    apply_handle_times,
    density,
    fit_imported,
    histogram,
    qq_points,
)
from ui.forms.mix_editor import values_in_mixes
from ui.forms.quality_edits import push_edits, shown_workflow
from ui.imports.file_row import FileRow, MessageLabel, ask_table_path
from ui.imports.fit_charts import Curve, DensityChart, QQChart, family_colour

ALL = ""  # the samples-list key of all samples (categories are keyed by their name)
NO_CATEGORY = "(none)"
CURVE_POINTS = 160
COLUMNS = ("Family", "Parameters", "AIC", "ΔAIC", "KS")


class HandleTimesDialog(QDialog):
    """The preview and apply dialog (see module rules); ``path`` reads a file at once (tests, a dropped file)."""

    def __init__(self, workflow: Workflow, undo_stack, *, stage_id: str | None = None, path: Path | None = None,
                 folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import handle times")
        self.workflow = workflow
        self.undo_stack = undo_stack
        self.samples: HandleTimeSamples | None = None
        self.fits: ImportedFits | None = None
        self.chosen: dict[str, str] = {}
        self._filling = False
        self.file_row = FileRow("Import handle times", folder or Path.home())
        self.file_row.changed.connect(lambda: self.read(detect=True))
        self.column_combo = QComboBox()
        self.unit_combo = QComboBox()
        for unit in ("s", "min", "h"):
            self.unit_combo.addItem(UNIT_NAMES[unit], unit)
        self.category_combo = QComboBox()
        self.stage_combo = QComboBox()
        for combo in (self.column_combo, self.unit_combo, self.category_combo):
            combo.activated.connect(lambda _index: self.read(detect=False))
        self.stage_combo.activated.connect(lambda _index: self._refit())
        self.message = MessageLabel()
        self.groups = QListWidget()
        self.groups.setFixedWidth(300)
        self.groups.currentItemChanged.connect(lambda *_: self._show_group())
        self.groups.itemChanged.connect(lambda _item: self._show_changes())
        self.fit_table = QTableWidget(0, len(COLUMNS))
        self.fit_table.setHorizontalHeaderLabels(COLUMNS)
        self.fit_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fit_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.fit_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fit_table.verticalHeader().hide()
        self.fit_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.fit_table.itemSelectionChanged.connect(self._family_picked)
        self.fit_table.verticalHeader().setDefaultSectionSize(26)
        self.fit_table.setFixedHeight(30 + 4 * 26 + 4)
        self.groups.setFixedHeight(self.fit_table.height())
        self.density_chart = DensityChart()
        self.qq_chart = QQChart()
        self.changes = QTableWidget(0, 3)
        self.changes.setHorizontalHeaderLabels(("Distribution", "Now", "After import"))
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.changes.verticalHeader().hide()
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changes.setFixedHeight(132)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._fill_stages(stage_id)
        self.resize(1040, 820)
        if path is not None:
            self.file_row.set_path(path)

    # -- layout ----------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        inputs = QGridLayout()
        inputs.addWidget(QLabel("File:"), 0, 0)
        inputs.addWidget(self.file_row, 0, 1, 1, 5)
        for column, (label, widget) in enumerate((("Handle-time column:", self.column_combo),
                                                  ("Numbers in:", self.unit_combo),
                                                  ("Category column:", self.category_combo))):
            inputs.addWidget(QLabel(label), 1, 2 * column)
            inputs.addWidget(widget, 1, 2 * column + 1)
        inputs.addWidget(QLabel("Apply to stage:"), 2, 0)
        inputs.addWidget(self.stage_combo, 2, 1)
        inputs.setColumnStretch(1, 1)
        inputs.setColumnStretch(5, 1)
        samples = QVBoxLayout()
        samples.addWidget(QLabel("Samples (ticked ones are applied):"))
        samples.addWidget(self.groups)
        fits = QVBoxLayout()
        fits.addWidget(QLabel("Fitted families, best (lowest AIC) first — pick one to apply:"))
        fits.addWidget(self.fit_table)
        top = QHBoxLayout()
        top.addLayout(samples)
        top.addLayout(fits, 1)
        charts = QHBoxLayout()
        charts.addWidget(self.density_chart, 3)
        charts.addWidget(self.qq_chart, 2)
        change_box = QGroupBox("What will change")
        QVBoxLayout(change_box).addWidget(self.changes)
        page = QVBoxLayout(self)
        page.addLayout(inputs)
        page.addWidget(self.message)
        page.addLayout(top)
        page.addLayout(charts, 1)
        page.addWidget(change_box)
        page.addWidget(self.buttons)

    def _fill_stages(self, stage_id: str | None) -> None:
        shown = shown_workflow(self.workflow, self.undo_stack)
        for node in shown.nodes.values():
            if isinstance(node, ReviewStage):
                self.stage_combo.addItem(node.name or "(unnamed stage)", node.id)
        index = self.stage_combo.findData(stage_id) if stage_id else 0
        self.stage_combo.setCurrentIndex(max(0, index))
        if self.stage_combo.count() == 0:
            self.message.show_error("The workflow has no review stage to apply handle times to: add one first.")

    # -- reading and fitting ---------------------------------------------------------------------
    @property
    def stage(self) -> ReviewStage | None:
        node = shown_workflow(self.workflow, self.undo_stack).nodes.get(self.stage_combo.currentData())
        return node if isinstance(node, ReviewStage) else None

    def read(self, *, detect: bool) -> None:
        """Read the file with the chosen (or, when ``detect``, the header's) column, unit and categories."""
        path = self.file_row.path
        if path is None or self._filling:
            return
        try:
            headers = open_table(path, sheet=self.file_row.sheet).headers
            column = None if detect else self.column_combo.currentText() or None
            category = None if detect else ("" if self.category_combo.currentText() == NO_CATEGORY
                                            else self.category_combo.currentText())
            samples = read_handle_times(path, unit=self.unit_combo.currentData(), column=column,
                                        category_column=category, sheet=self.file_row.sheet)
        except FlowmodelError as error:
            self._failed(error.render())
            return
        self.samples = samples
        self._show_columns(headers, samples)
        self._refit()

    def _show_columns(self, headers: list[str], samples: HandleTimeSamples) -> None:
        self._filling = True
        try:
            self.column_combo.clear()
            self.column_combo.addItems(headers)
            self.column_combo.setCurrentText(samples.column)
            self.category_combo.clear()
            self.category_combo.addItems([NO_CATEGORY, *(h for h in headers if h != samples.column)])
            self.category_combo.setCurrentText(samples.category_column or NO_CATEGORY)
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(samples.unit)))
            from_header = header_unit(samples.column)[1] is not None
            self.unit_combo.setEnabled(not from_header)
            self.unit_combo.setToolTip(f"The header '{samples.column}' says the unit" if from_header else
                                       "What the column's numbers are in (its header does not say)")
        finally:
            self._filling = False

    def _refit(self) -> None:
        stage = self.stage
        if self.samples is None or stage is None:
            return
        try:
            self.fits = fit_imported(self.samples, unit=stage.handle_time.unit)
        except FlowmodelError as error:
            self._failed(error.render())
            return
        previous = dict(self.chosen)
        self.chosen = {ALL: previous.get(ALL, self.fits.overall.best.family)}
        for name, fits in self.fits.by_category.items():
            self.chosen[name] = previous.get(name, fits.best.family)
        notes = [*self.fits.notes, *self.fits.overall.notes, *self._unknown_categories()]
        self.message.show_notes(notes)
        self._fill_groups()
        self.apply_button.setEnabled(True)

    def _unknown_categories(self) -> list[str]:
        known = set(values_in_mixes(self.workflow, "category"))
        names = [n for n in (self.fits.by_category if self.fits else {}) if known and n not in known]
        if not names:
            return []
        listed = ", ".join(f"'{n}'" for n in names)
        return [f"no source sends {'category' if len(names) == 1 else 'categories'} {listed}: "
                "their handle times are stored, but no item uses them until a source's mix has them"]

    def _failed(self, text: str) -> None:
        self.samples = self.fits = None
        self.chosen = {}
        self.message.show_error(f"{text}\nNothing in the model has changed.")
        self.groups.clear()
        self.fit_table.setRowCount(0)
        self.changes.setRowCount(0)
        self.density_chart.clear("Nothing to draw: the file could not be read")
        self.qq_chart.clear("")
        self.apply_button.setEnabled(False)

    # -- showing ---------------------------------------------------------------------------------
    def _fill_groups(self) -> None:
        fits, samples = self.fits, self.samples
        current = self.groups.currentItem().data(Qt.ItemDataRole.UserRole) if self.groups.currentItem() else ALL
        self.groups.blockSignals(True)
        self.groups.clear()
        self._add_group(ALL, f"All samples ({len(samples.samples_s):,}) → handle time", True)
        for name, values in samples.by_category.items():
            if name in fits.by_category:
                self._add_group(name, f"{name} ({len(values):,}) → per category", True)
            else:
                item = self._add_group(name, f"{name} ({len(values):,}): not fitted", False)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip(f"{fits.skipped.get(name, '')}\nThe stage's handle time applies to it.")
        self.groups.blockSignals(False)
        keys = [self.groups.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.groups.count())]
        self.groups.setCurrentRow(keys.index(current) if current in keys else 0)
        self._show_group()

    def _add_group(self, key: str, text: str, ticked: bool) -> QListWidgetItem:
        item = QListWidgetItem(text, self.groups)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        return item

    @property
    def group(self) -> str:
        item = self.groups.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ALL

    def group_fits(self, key: str | None = None) -> HandleTimeFits | None:
        key = self.group if key is None else key
        if self.fits is None:
            return None
        return self.fits.overall if key == ALL else self.fits.by_category.get(key)

    def group_samples(self, key: str | None = None) -> tuple[float, ...]:
        key = self.group if key is None else key
        if self.samples is None:
            return ()
        return self.samples.samples_s if key == ALL else self.samples.by_category.get(key, ())

    def _show_group(self) -> None:
        fits = self.group_fits()
        self.fit_table.blockSignals(True)
        self.fit_table.setRowCount(0)
        if fits is None:
            self.fit_table.blockSignals(False)
            self.density_chart.clear("This category has too few samples to fit")
            self.qq_chart.clear("")
            self._show_changes()
            return
        best = fits.best.aic
        for row, fit in enumerate(fits):
            self.fit_table.insertRow(row)
            swatch = QPixmap(12, 12)
            swatch.fill(family_colour(fit.family))
            cells = [fit.family, fit.parameters_text.split(", ", 1)[-1], _figure(fit.aic, ",.1f"),
                     _figure(fit.aic - best, "+,.1f"), f"{fit.ks_statistic:.3f}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setIcon(swatch)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if fit.family == "empirical" and column in (2, 3):
                    item.setToolTip("An empirical distribution has no likelihood comparable with the others")
                self.fit_table.setItem(row, column, item)
        self.fit_table.resizeColumnToContents(0)
        self.fit_table.selectRow([f.family for f in fits].index(self.chosen[self.group]))
        self.fit_table.blockSignals(False)
        self._draw_charts()
        self._show_changes()

    def select_family(self, family: str) -> None:
        """Choose ``family`` for the samples shown (as a click on its row does)."""
        fits = self.group_fits()
        if fits is not None:
            self.fit_table.selectRow([f.family for f in fits].index(family))

    def _family_picked(self) -> None:
        fits = self.group_fits()
        rows = self.fit_table.selectionModel().selectedRows()
        if fits is None or not rows:
            return
        self.chosen[self.group] = fits[rows[0].row()].family
        self._draw_charts()
        self._show_changes()

    def chosen_fit(self, key: str | None = None) -> FamilyFit | None:
        key = self.group if key is None else key
        fits = self.group_fits(key)
        return fits.by_family(self.chosen[key]) if fits is not None and key in self.chosen else None

    def _draw_charts(self) -> None:
        fits, fit, data = self.group_fits(), self.chosen_fit(), self.group_samples()
        if fits is None or fit is None:
            return
        unit = fit.distribution.unit
        bars = histogram(data)
        top = bars.edges_s[-1]
        xs = [top * (i + 0.5) / CURVE_POINTS for i in range(CURVE_POINTS)]
        curves = [Curve(f.family, tuple(xs), tuple(density(f, xs))) for f in fits]
        self.density_chart.set_data(bars.edges_s, bars.density, bars.beyond, curves, fit.family, unit)
        theoretical, observed = qq_points(data, fit)
        self.qq_chart.set_data(fit.family, theoretical, observed, unit)

    # -- what will change, and applying it -------------------------------------------------------
    def ticked(self) -> list[str]:
        """The keys of the ticked samples-list entries (ALL for all samples)."""
        items = [self.groups.item(i) for i in range(self.groups.count())]
        return [item.data(Qt.ItemDataRole.UserRole) for item in items
                if item.checkState() == Qt.CheckState.Checked and item.flags() & Qt.ItemFlag.ItemIsEnabled]

    def changed_stage(self) -> ReviewStage | None:
        """The target stage as Apply would leave it (None without a stage or fits)."""
        stage = self.stage
        if stage is None or self.fits is None:
            return None
        ticked = self.ticked()
        overall = self.chosen_fit(ALL).distribution if ALL in ticked else None
        by_category = {k: self.chosen_fit(k).distribution for k in ticked if k != ALL and self.chosen_fit(k)}
        return apply_handle_times(stage, overall, by_category)

    def _show_changes(self) -> None:
        stage, after = self.stage, self.changed_stage()
        self.changes.setRowCount(0)
        if stage is None or after is None:
            return
        rows = [("Handle time", stage.handle_time, after.handle_time)]
        for name, new in after.handle_time_by_category.items():
            rows.append((f"Category '{name}'", stage.handle_time_by_category.get(name), new))
        for before_after in rows:
            self._change_row(*before_after)
        self.changes.resizeRowsToContents()

    def _change_row(self, what: str, before: Distribution | None, after: Distribution) -> None:
        row = self.changes.rowCount()
        self.changes.insertRow(row)
        same = before == after
        now = before.describe() if before is not None else "(the stage's handle time)"
        cells = (what, now, "no change" if same else after.describe())
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if same:
                item.setForeground(QBrush(QColor(MUTED)))
            elif column == 2:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.changes.setItem(row, column, item)

    def apply(self) -> bool:
        """Push the previewed change as one undoable edit; close when it went in, else say why and stay open."""
        stage, after = self.stage, self.changed_stage()
        if stage is None or after is None:
            return False
        edits = [(stage.id, "handle_time", after.handle_time),
                 (stage.id, "handle_time_by_category", after.handle_time_by_category)]
        refusals: list[str] = []
        refused = getattr(self.undo_stack, "refused", None)
        if refused is not None:
            refused.connect(refusals.append)
        try:
            pushed = push_edits(self.undo_stack, self.workflow, f"Import handle times into {stage.name}", edits)
        except FlowmodelError as error:
            self.message.show_error(error.render())
            return False
        finally:
            if refused is not None:
                refused.disconnect(refusals.append)
        if not pushed:
            self.message.show_error(refusals[0] if refusals else
                                    "Nothing to apply: the stage already has these handle times.")
            return False
        self.accept()
        return True


def _figure(value: float, spec: str) -> str:
    return "—" if value != value else format(value, spec)  # NaN (empirical) has no AIC


def open_handle_times(window, path: Path | None = None) -> HandleTimesDialog | None:
    """Import → Handle times…: ask for a file (unless ``path``) and open the dialog for ``window``'s workflow,
    targeting the review stage selected on the canvas if one is. None when the planner cancels the file dialog."""
    if path is None:
        path = ask_table_path(window, "Import handle times", window.dialog_folder())
        if path is None:
            return None
    workflow = window.document.workflow
    selected = [i for i in window.view.canvas_scene.selected_node_ids()
                if isinstance(workflow.nodes.get(i), ReviewStage)]
    dialog = HandleTimesDialog(workflow, window.undo_stack, stage_id=selected[0] if selected else None, path=path,
                               folder=window.dialog_folder(), parent=window)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
