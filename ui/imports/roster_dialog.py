"""Import → Roster…: a roster file previewed against the model's teams and applied as one edit; Export roster….

Rules:
- Reading and comparing happen in :mod:`flowmodel.imports.rosters` (:func:`read_roster`,
  :func:`roster_changes`, :func:`apply_roster`); the dialog shows, per team the file and the model share, the
  shifts and the weekly paid hours before → after, and lists the file's teams the model has no team for (not
  applied) and the model's teams the file leaves out (kept as they are).
- The preview is taken against the workflow as the editor shows it (the scenario's version in scenario mode).
  Apply replaces the matched teams' shift lists as one undoable edit through
  :func:`ui.forms.quality_edits.push_edits` — the forms' path, so scenario mode records it or says why not.
- A file that cannot be read shows its message (file, row, column, what to do) in the dialog and Apply stays
  off: nothing in the model changes.
- Export writes the shown workflow's teams with :func:`write_roster` in the layout the import reads (CSV, or
  XLSX for a ``.xlsx`` name); an error goes to the window's error message, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import FlowmodelError
from flowmodel.imports.rosters import (
    RosterPreview,
    apply_roster,
    read_roster,
    roster_changes,
    shift_label,
    workflow_roster,
    write_roster,
)
from flowmodel.teams import Shift
from flowmodel.workflow import Workflow
from reports.chart_style import MUTED
from ui.forms.quality_edits import push_edits, shown_workflow
from ui.imports.file_row import FileRow, MessageLabel, ask_table_path

COLUMNS = ("Team", "Shifts now (start–end · heads Mon … Sun)", "Shifts after import", "Paid hours / week", "FTE")
EXPORT_FILTER = "CSV (*.csv);;Excel workbook (*.xlsx)"


def shifts_text(shifts: Sequence[Shift]) -> str:
    """One line per shift: ``early  07:00–15:00 · 12 12 12 12 12 6 6`` (headcounts Monday to Sunday)."""
    if not shifts:
        return "(no shifts)"
    return "\n".join(f"{s.name}  {_times(s)} · {' '.join(map(str, s.headcount))}" for s in shifts)


def _times(shift: Shift) -> str:
    label = shift_label(shift.start_hour, shift.hours)
    return f"{label.split('–')[0]} + 24 h" if shift.hours >= 24 else label


def _hours(value: float) -> str:
    return f"{value:,.1f}".replace(".0", "") if value % 1 else f"{value:,.0f}"


class RosterImportDialog(QDialog):
    """The preview and apply dialog (see module rules); ``path`` reads a file at once."""

    def __init__(self, workflow: Workflow, undo_stack, *, path: Path | None = None, folder: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import roster")
        self.workflow = workflow
        self.undo_stack = undo_stack
        self.preview: RosterPreview | None = None
        self.file_row = FileRow("Import roster", folder or Path.home())
        self.file_row.changed.connect(self.read)
        self.message = MessageLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.only_in_file = QLabel()
        self.only_in_model = QLabel()
        for label in (self.only_in_file, self.only_in_model):
            label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        file_line = QHBoxLayout()
        file_line.addWidget(QLabel("File:"))
        file_line.addWidget(self.file_row, 1)
        page = QVBoxLayout(self)
        page.addLayout(file_line)
        page.addWidget(self.message)
        page.addWidget(QLabel("What will change, team by team (matched by name, any case):"))
        page.addWidget(self.table, 1)
        page.addWidget(self.only_in_file)
        page.addWidget(self.only_in_model)
        page.addWidget(self.buttons)
        self.resize(1100, 520)
        if path is not None:
            self.file_row.set_path(path)

    @property
    def shown(self) -> Workflow:
        return shown_workflow(self.workflow, self.undo_stack)

    def read(self) -> None:
        path = self.file_row.path
        if path is None:
            return
        try:
            roster = read_roster(path, sheet=self.file_row.sheet)
            preview = roster_changes(self.shown, roster)
        except FlowmodelError as error:
            self._failed(error.render())
            return
        self.preview = preview
        self.message.show_notes(preview.notes)
        self._fill(preview)
        changed = any(c.changed for c in preview.changes)
        self.apply_button.setEnabled(changed)
        if not preview.changes:
            self.message.show_error("No team of the file is in the model: nothing to apply. Team names must match "
                                    "the Teams panel's (any case).")
        elif not changed:
            self.message.show_notes([*preview.notes, "The matched teams already have these shifts: nothing changes."])

    def _failed(self, text: str) -> None:
        self.preview = None
        self.message.show_error(f"{text}\nNothing in the model has changed.")
        self.table.setRowCount(0)
        self.only_in_file.clear()
        self.only_in_model.clear()
        self.apply_button.setEnabled(False)

    def _fill(self, preview: RosterPreview) -> None:
        self.table.setRowCount(0)
        for change in preview.changes:
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = change.team_name if change.team_name == change.file_name else \
                f"{change.team_name} (file: {change.file_name})"
            paid = f"{_hours(change.paid_hours_before)} → {_hours(change.paid_hours_after)}"
            fte = f"{change.fte_before:.1f} → {change.fte_after:.1f}"
            after = shifts_text(change.after) if change.changed else "no change"
            for column, text in enumerate((name, shifts_text(change.before), after, paid, fte)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if not change.changed:
                    item.setForeground(QBrush(QColor(MUTED)))
                elif column in (3, 4):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self._list(self.only_in_file, "In the file but not in the model (not applied; add the team first)",
                   preview.not_in_workflow)
        self._list(self.only_in_model, "In the model but not in the file (kept as they are)", preview.not_in_file)

    @staticmethod
    def _list(label: QLabel, title: str, names: Sequence[str]) -> None:
        label.setText(f"{title}: {', '.join(names)}" if names else "")
        label.setVisible(bool(names))

    def apply(self) -> bool:
        """Push the previewed shifts as one undoable edit; close when it went in, else say why and stay open."""
        if self.preview is None:
            return False
        refusals: list[str] = []
        refused = getattr(self.undo_stack, "refused", None)
        if refused is not None:
            refused.connect(refusals.append)
        try:
            new_shifts = apply_roster(self.shown, self.preview)
            edits = [(team_id, "shifts", shifts) for team_id, shifts in new_shifts.items()]
            pushed = push_edits(self.undo_stack, self.workflow, f"Import roster from {self.preview.file}", edits)
        except FlowmodelError as error:
            self.message.show_error(error.render())
            return False
        finally:
            if refused is not None:
                refused.disconnect(refusals.append)
        if not pushed:
            self.message.show_error(refusals[0] if refusals else "Nothing to apply: the teams already have these "
                                    "shifts.")
            return False
        self.accept()
        return True


def open_roster_import(window, path: Path | None = None) -> RosterImportDialog | None:
    """Import → Roster…: ask for a file (unless ``path``) and open the preview for ``window``'s workflow.
    None when the planner cancels the file dialog."""
    if path is None:
        path = ask_table_path(window, "Import roster", window.dialog_folder())
        if path is None:
            return None
    dialog = RosterImportDialog(window.document.workflow, window.undo_stack, path=path,
                                folder=window.dialog_folder(), parent=window)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def open_roster_export(window, path: Path | None = None) -> Path | None:
    """Export roster…: write the shown workflow's teams to ``path`` (asked for when None) as CSV or XLSX by its
    suffix (CSV without one). Returns the file written, or None (cancelled, or the error was shown)."""
    if path is None:
        workflow_name = window.document.workflow.name or "roster"
        start = window.dialog_folder() / f"{workflow_name} roster.csv"
        name, chosen = QFileDialog.getSaveFileName(window, "Export roster", str(start), EXPORT_FILTER)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_name(path.name + (".xlsx" if "xlsx" in chosen else ".csv"))
    path = Path(path)
    try:
        left_out = write_roster(path, workflow_roster(shown_workflow(window.document.workflow, window.undo_stack)))
    except FlowmodelError as error:
        window.show_error("Cannot export the roster", error.render())
        return None
    except OSError as error:
        window.show_error("Cannot export the roster", f"{path.name}: {error.strerror or error}\n"
                          "What to do: choose a folder you can write to, and close the file if it is open.")
        return None
    extra = f" ({', '.join(left_out)} left out: no shifts)" if left_out else ""
    window.show_status(f"Exported the roster to {path.name}{extra}")
    return path
