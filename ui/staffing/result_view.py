"""The staffing recommendation as the dialog shows it: outcome, staffing table, targets achieved, cost, notes.

Rules:
- The headline says the outcome in words (every target met / still missed at the bound / infeasible) and is
  coloured by it; infeasibility reasons and notes are listed in full, never cut off.
- Staffing table: one row per team × shift × days — current (a range when the days differ), recommended,
  delta (coloured: more people in red-brown, fewer in green), the Erlang first guess, cost per week now and new.
- Targets: each target with the achieved mean, its confidence interval and whether it is met.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulations.staffing import StaffingPlan, TargetResult

STAFF_COLUMNS = ("Team", "Shift", "Days", "Current", "Recommended", "Delta", "Erlang guess", "Cost/week now",
                 "Cost/week new")
TARGET_COLUMNS = ("Target", "Goal", "Achieved", "Confidence interval", "Met")
MORE = QColor("#9a3412")
FEWER = QColor("#166534")
HEADLINE_COLOURS = {"met": "#166534", "not_met": "#9a3412", "infeasible": "#b91c1c"}


def _figure(kind: str, value: float) -> str:
    if not math.isfinite(value):
        return "n/a"
    return f"{value:.1%}" if kind in ("sla", "occupancy") else f"{value:,.1f}"


def target_label(target: TargetResult) -> str:
    kind = {"sla": "SLA", "occupancy": "Occupancy", "backlog": "Backlog at end"}.get(target.kind, target.kind)
    return f"{kind} · {target.where}" if target.where else kind


def headline(plan: StaffingPlan) -> str:
    if plan.status == "infeasible":
        return "No staffing can meet these targets — nothing was simulated."
    rosters = f"{plan.evaluations} roster(s) simulated, {plan.settings.replications} replications each"
    if plan.status == "met":
        return f"Every target met at {plan.confidence:.0%} confidence ({rosters})."
    return f"Targets still missed when the search stopped ({rosters})."


def read_only_cell(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def read_only_table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # names take the spare width, not a figure
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


class StaffingResultView(QWidget):
    """Shows one :class:`StaffingPlan` (or a list of reasons it could not be made)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel("Set the targets and press Start to recommend staffing.")
        self.headline.setWordWrap(True)
        self.staffing = read_only_table(STAFF_COLUMNS)
        self.targets = read_only_table(TARGET_COLUMNS)
        self.cost = QLabel("")
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addWidget(QLabel("<b>Staffing per team, shift and days</b>"))
        layout.addWidget(self.staffing, 3)
        layout.addWidget(self.cost)
        layout.addWidget(QLabel("<b>Targets achieved</b> (mean and confidence interval over replications)"))
        layout.addWidget(self.targets, 2)
        layout.addWidget(self.notes)

    def show_message(self, text: str, colour: str = "#b91c1c") -> None:
        """A problem found before or instead of a search (infeasible targets, an invalid model, a failure)."""
        self.clear()
        self.headline.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.headline.setText(text)

    def clear(self) -> None:
        self.staffing.setRowCount(0)
        self.targets.setRowCount(0)
        self.cost.setText("")
        self.notes.setText("")

    def show_plan(self, plan: StaffingPlan) -> None:
        self.clear()
        self.headline.setStyleSheet(f"color: {HEADLINE_COLOURS[plan.status]}; font-weight: bold;")
        self.headline.setText(headline(plan))
        self.staffing.setRowCount(len(plan.rows))
        for number, row in enumerate(plan.rows):
            current = str(row.current_max) if len(set(row.current)) == 1 else f"{min(row.current)}–{row.current_max}"
            make = read_only_cell
            cells = [make(row.team_name), make(row.shift_name), make(row.days_label), make(current, True),
                     make(str(row.recommended), True), make(f"{row.delta:+d}" if row.delta else "0", True),
                     make(f"{row.analytic_fractional:.2f} → {row.analytic_rounded}", True),
                     make(f"{row.cost_current_per_week:,.0f}", True),
                     make(f"{row.cost_recommended_per_week:,.0f}", True)]
            if row.delta:
                cells[5].setForeground(QBrush(MORE if row.delta > 0 else FEWER))
                cells[4].setFont(_bold(cells[4]))
            for column, cell in enumerate(cells):
                self.staffing.setItem(number, column, cell)
        self.targets.setRowCount(len(plan.achieved))
        for number, target in enumerate(plan.achieved):
            goal = ("≥ " if target.kind == "sla" else "≤ ") + _figure(target.kind, target.target)
            met = read_only_cell("met" if target.met else "MISSED")
            met.setForeground(QBrush(FEWER if target.met else MORE))
            interval = f"{_figure(target.kind, target.ci_low)} – {_figure(target.kind, target.ci_high)}"
            cells = [read_only_cell(target_label(target)), read_only_cell(goal, True),
                     read_only_cell(_figure(target.kind, target.mean), True), read_only_cell(interval, True), met]
            for column, cell in enumerate(cells):
                self.targets.setItem(number, column, cell)
        if plan.rows:
            self.cost.setText(f"Cost per week: <b>{plan.cost_recommended_per_week:,.0f}</b> recommended, "
                              f"{plan.cost_current_per_week:,.0f} now — change "
                              f"<b>{plan.cost_delta_per_week:+,.0f}</b> per week.")
        lines = [f"<b>Infeasible</b> — {_escape(p.render())}" for p in plan.infeasible]
        lines += [f"Note: {_escape(note)}" for note in plan.notes]
        self.notes.setText("<br>".join(lines))


def _bold(item: QTableWidgetItem) -> QFont:
    font = item.font()
    font.setBold(True)
    return font


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
