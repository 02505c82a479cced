"""Forms whose rows are bound to fields of one node, edge or team.

Rules:
- A widget shows the model; a planner's edit becomes a :class:`~ui.commands.SetFieldCommand` on the undo
  stack, never a direct write, so every edit is undoable and typing in one field merges into one step.
- Before a value is pushed it is tried on a copy of the item with the model's own path coercion
  (:func:`flowmodel.paths.set_path`) and the row's own check (e.g. :meth:`Distribution.problems`). A value
  the model would refuse is shown inline — red border, message under the field — and not pushed.
- Loading model values into widgets never pushes (``_loading`` guard) and leaves a widget alone when it
  already shows the value, so the refresh that follows the planner's own edit does not move the cursor.
- Typing merges (consecutive edits of one field are one undo step, see SetFieldCommand); a discrete edit —
  a pick from a list, a tick, a unit switch, a row added or a cell committed in a table — is its own step.
- Composite editors (a distribution, an item mix, a roster) follow one protocol: ``set_value(value)``,
  a signal ``edited(field, value)`` where ``field`` is a path below the bound one ("" = the whole value),
  and a signal ``problem(message)`` ("" = none) for drafts they refuse themselves.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from flowmodel.distributions import Distribution
from flowmodel.errors import ModelError
from flowmodel.nodes import Edge, Node
from flowmodel.paths import get_path, set_path
from flowmodel.teams import Team
from flowmodel.workflow import Workflow
from reports.chart_style import MUTED
from ui.commands import SetFieldCommand
from ui.forms.number_box import NumberBox
from ui.forms.problem_label import ProblemLabel, set_invalid

Check = Callable[[Any], str]
SCENARIO_ROW_STYLE = "background: #ffe8a3; font-weight: bold; border-radius: 3px; padding: 0 3px;"


def distribution_problem(value: Distribution | None) -> str:
    """The row check of every duration field: what :meth:`Distribution.problems` says ("" for none)."""
    return "; ".join(message for _, message in value.problems()) if value is not None else ""


def related(bound: str, changed: str) -> bool:
    """Whether a change at path ``changed`` can alter the value bound at path ``bound``."""
    return bound == changed or bound.startswith(changed + ".") or changed.startswith(bound + ".")


class DiscreteEditCommand(SetFieldCommand):
    """A field edit that is its own undo step: Qt never merges commands whose id is -1."""

    def id(self) -> int:
        return -1


class ItemForm(QWidget):
    """Rows ``label | field`` for one item; subclasses add rows in ``__init__`` and call :meth:`refresh`."""

    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workflow = workflow
        self.undo_stack = undo_stack
        self.item_id = item_id
        self._loads: list[tuple[str, Callable[[Any], None]]] = []
        self._fields: dict[str, QWidget] = {}
        self._labels: dict[str, str] = {}
        self._problems: dict[str, ProblemLabel] = {}
        self._checks: dict[str, Check] = {}
        self._editors: set[str] = set()
        self._loading = False
        self.rows = QFormLayout()
        self.rows.setContentsMargins(8, 8, 8, 8)
        self.rows.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addLayout(self.rows)
        page.addStretch(1)  # spare height goes below the last row, not between rows

    # -- reading ---------------------------------------------------------------------------------
    @property
    def item(self) -> Node | Edge | Team | None:
        """The item as shown: in scenario mode (the undo stack's ``scenario_mode``, see
        :mod:`ui.scenarios.mode`) the scenario's version of it, whose edits the stack records as changes."""
        mode = getattr(self.undo_stack, "scenario_mode", None)
        if mode is not None and mode.active and mode.workflow is self.workflow:
            return mode.shown_item(self.item_id)
        return self.workflow.find(self.item_id)

    def field(self, path: str) -> QWidget:
        """The widget bound to ``path`` (tests and panels look fields up by path)."""
        return self._fields[path]

    def problem(self, path: str) -> str:
        """The message shown under the field bound to ``path`` ("" when the value is fine)."""
        return self._problems[path].text()

    # -- model → widgets -------------------------------------------------------------------------
    def refresh(self, changed_path: str | None = None) -> None:
        """Show the model's values in the rows that ``changed_path`` can affect (all rows for ``None``)."""
        item = self.item
        if item is None:
            return
        self._loading = True
        try:
            for path, load in self._loads:
                if changed_path is None or related(path, changed_path):
                    load(get_path(item, path))
                    if path not in self._editors:
                        self.show_problem(path, "")
            self.refresh_context()
            self._mark_scenario_rows()
        finally:
            self._loading = False

    def _mark_scenario_rows(self) -> None:
        """Highlight the labels of rows whose value a scenario changes (scenario mode only)."""
        mode = getattr(self.undo_stack, "scenario_mode", None)
        changed = mode.changed_paths(self.item_id) if mode is not None and mode.active else set()
        for path, widget in self._fields.items():
            label = self.rows.labelForField(widget.parentWidget())
            if label is not None:
                label.setStyleSheet(SCENARIO_ROW_STYLE if any(related(path, c) for c in changed) else "")

    def refresh_context(self) -> None:
        """Update read-only rows that depend on other items (teams working a stage, sums). Override."""

    # -- widgets → model -------------------------------------------------------------------------
    def push(self, row: str, path: str, value: Any, merge: bool = True) -> bool:
        """Push ``value`` for ``path`` as an undoable edit (merging with the previous edit of the same field
        when ``merge``), or show under ``row`` why the model refuses it."""
        item = self.item
        if self._loading or item is None:
            return False
        try:
            trial = copy.deepcopy(item)
            set_path(trial, path, value)
            message = self._checks[row](get_path(trial, row)) if row in self._checks else ""
        except ModelError as error:
            message = error.message
        self.show_problem(row, message)
        if message:
            return False
        if get_path(trial, path) == get_path(item, path):
            return False
        label = self._labels.get(row, path)
        command = SetFieldCommand if merge else DiscreteEditCommand
        self.undo_stack.push(command(self.workflow, self.item_id, path, value, f"Change {label}"))
        return True

    def set_row_visible(self, path: str, visible: bool) -> None:
        self.rows.setRowVisible(self._fields[path].parentWidget(), visible)

    def show_problem(self, row: str, message: str) -> None:
        self._problems[row].show_problem(message)
        if row not in self._editors:
            set_invalid(self._fields[row], bool(message))

    # -- rows ------------------------------------------------------------------------------------
    def add_row(self, label: str, path: str, widget: QWidget, load: Callable[[Any], None],
                check: Check | None = None, wide: bool = False) -> None:
        """A row whose field widget is already connected to :meth:`push`; ``load`` shows a model value.
        A ``wide`` row puts its label above the field, which then spans the form (grids with many columns)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        problem = ProblemLabel()
        column.addWidget(problem)
        if wide:
            self.rows.addRow(QLabel(f"{label}:"))
            self.rows.addRow(box)
        else:
            self.rows.addRow(f"{label}:" if label else "", box)
        widget.setObjectName(path)
        self._fields[path] = widget
        self._labels[path] = label.lower() or path
        self._problems[path] = problem
        self._loads.append((path, load))
        if check is not None:
            self._checks[path] = check

    def add_text_row(self, label: str, path: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda text: self.push(path, path, text))

        def load(value: str) -> None:
            if edit.text() != value:
                edit.setText(value)
        self.add_row(label, path, edit, load)
        return edit

    def add_provenance_row(self) -> QLabel:
        """A read-only row saying where imported values came from (the item's ``provenance``), hidden while it
        is empty. It is written by the Import dialogs, so it is not typed here; the next import replaces it."""
        words = QLabel()
        words.setWordWrap(True)
        words.setStyleSheet(f"color: {MUTED};")
        words.setToolTip("Written by the last import into this item (Import menu); it changes no number")

        def load(value: str) -> None:
            words.setText(value)
            self.set_row_visible("provenance", bool(value))
        self.add_row("Imported", "provenance", words, load)
        return words

    def add_number_row(self, label: str, path: str, *, minimum: float, maximum: float, decimals: int = 2,
                       suffix: str = "", scale: float = 1.0, step: float = 1.0) -> NumberBox:
        """A spin box showing the stored number × ``scale`` (100 for a share shown in %); an unset number
        (``None``, e.g. an edge's probability before it is given) shows as 0."""
        box = NumberBox(minimum, maximum, decimals, suffix, step)
        box.valueChanged.connect(lambda shown: self.push(path, path, shown / scale))
        self.add_row(label, path, box, lambda value: box.show_value((value or 0.0) * scale))
        return box

    def add_choice_row(self, label: str, path: str, choices: Sequence[tuple[str, str]]) -> QComboBox:
        """A combo of ``(stored value, text shown)`` pairs."""
        combo = QComboBox()
        for value, text in choices:
            combo.addItem(text, value)
        combo.activated.connect(lambda index: self.push(path, path, combo.itemData(index), merge=False))

        def load(value: str) -> None:
            combo.setCurrentIndex(combo.findData(value))
        self.add_row(label, path, combo, load)
        return combo

    def add_check_row(self, label: str, path: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.clicked.connect(lambda checked: self.push(path, path, bool(checked), merge=False))
        self.add_row(label, path, box, lambda value: box.setChecked(bool(value)))
        return box

    def add_editor_row(self, label: str, path: str, editor: QWidget, check: Check | None = None,
                       wide: bool = False) -> QWidget:
        """A composite editor (see the module rules); its ``field`` is joined below ``path``. Edits of one
        parameter merge like typing; whole-value edits (kind, unit, rows, ticks) are steps of their own."""
        editor.edited.connect(lambda field, value: self.push(path, f"{path}.{field}" if field else path, value,
                                                             merge=bool(field)))
        editor.problem.connect(lambda message: self.show_problem(path, message))
        self._editors.add(path)
        self.add_row(label, path, editor, editor.set_value, check, wide)
        return editor
