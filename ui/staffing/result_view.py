"""The staffing recommendation as the dialog shows it: outcome, staffing table, targets achieved, cost, notes.

Rules:
- The headline says the outcome in words (every target met / still missed / some infeasible, the rest
  staffed) and is coloured by it; below it, how much was simulated (rosters by phase, replications,
  screening and confirmation horizons). Infeasibility reasons and notes are listed in full, never cut off.
- Staffing table: one row per team × shift × days in heads on shift — current (a range when the days differ),
  recommended, delta (coloured: more people in red-brown, fewer in green), FTE (paid hours ÷ contract hours),
  the per-team Erlang guess, the pooled first guess, cost per week now and new.
- People: one row per team — contract hours, shrinkage (already inside the heads on shift), paid hours, FTE
  now, new and the change, cost per week.
- Targets: each target with the achieved mean, its confidence interval, the replications behind it and
  whether it is met.
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
from simulations.staffing.plan import minimality_summary

STAFF_COLUMNS = ("Team", "Shift", "Days", "Current", "Recommended", "Delta", "FTE", "Erlang guess", "Pooled guess",
                 "Cost/week now", "Cost/week new")
PEOPLE_COLUMNS = ("Team", "Contract", "Shrinkage", "Paid h/week", "FTE now", "FTE new", "FTE change", "Cost/week new")
TARGET_COLUMNS = ("Target", "Goal", "Achieved", "Confidence interval", "Replications", "Met")
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
    missed = sum(1 for t in plan.achieved if not t.met)
    if plan.status == "infeasible":
        rest = "the other targets are met" if not missed else f"{missed} other target(s) still missed"
        return f"{len(plan.infeasible)} target(s) no staffing can meet (below); {rest}, at {plan.confidence:.0%} " \
               "confidence."
    if plan.status == "met":
        return f"Every target met at {plan.confidence:.0%} confidence."
    return "Targets still missed when the search stopped."


def simulated_line(plan: StaffingPlan) -> str:
    """Rosters by phase, replications, the screening and confirmation horizons."""
    phases = ", ".join(f"{count} {phase}" for phase, count in plan.rosters_by_phase.items()) or "none"
    screen = plan.screen_settings
    screening = f"screening {screen.horizon_hours:g} h × up to {screen.replications}; " if screen else ""
    return (f"{plan.evaluations} roster(s) simulated ({phases}), {plan.replications_run} replications in all; "
            f"{screening}confirmation {plan.settings.horizon_hours:g} h × up to {plan.settings.replications} "
            f"replications; {plan.wall_seconds:.0f} s.")


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
        self.simulated = QLabel("")
        self.simulated.setWordWrap(True)
        self.staffing = read_only_table(STAFF_COLUMNS)
        self.people = read_only_table(PEOPLE_COLUMNS)
        self.targets = read_only_table(TARGET_COLUMNS)
        self.cost = QLabel("")
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addWidget(self.simulated)
        layout.addWidget(QLabel("<b>Heads on shift per team, shift and days</b> (FTE = paid hours ÷ contract hours)"))
        layout.addWidget(self.staffing, 3)
        layout.addWidget(QLabel("<b>People per team</b> (heads on shift already include shrinkage)"))
        layout.addWidget(self.people, 1)
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
        self.people.setRowCount(0)
        self.targets.setRowCount(0)
        self.simulated.setText("")
        self.cost.setText("")
        self.notes.setText("")

    def show_plan(self, plan: StaffingPlan) -> None:
        self.clear()
        self.headline.setStyleSheet(f"color: {HEADLINE_COLOURS[plan.status]}; font-weight: bold;")
        self.headline.setText(headline(plan))
        self.simulated.setText(simulated_line(plan))
        self.staffing.setRowCount(len(plan.rows))
        for number, row in enumerate(plan.rows):
            current = str(row.current_max) if len(set(row.current)) == 1 else f"{min(row.current)}–{row.current_max}"
            make = read_only_cell
            cells = [make(row.team_name), make(row.shift_name), make(row.days_label), make(current, True),
                     make(str(row.recommended), True), make(f"{row.delta:+d}" if row.delta else "0", True),
                     make(f"{row.fte_recommended:.1f}", True),
                     make(f"{row.analytic_fractional:.2f} → {row.analytic_rounded}", True),
                     make(str(row.pooled_guess), True),
                     make(f"{row.cost_current_per_week:,.0f}", True),
                     make(f"{row.cost_recommended_per_week:,.0f}", True)]
            if row.delta:
                cells[5].setForeground(QBrush(MORE if row.delta > 0 else FEWER))
                cells[4].setFont(_bold(cells[4]))
            for column, cell in enumerate(cells):
                self.staffing.setItem(number, column, cell)
        totals = plan.team_totals()
        self.people.setRowCount(len(totals))
        for number, total in enumerate(totals):
            cells = [read_only_cell(total.team_name), read_only_cell(f"{total.contract_hours:g} h", True),
                     read_only_cell(f"{total.shrinkage:.0%}", True),
                     read_only_cell(f"{total.paid_hours_recommended:,.0f}", True),
                     read_only_cell(f"{total.fte_current:.1f}", True),
                     read_only_cell(f"{total.fte_recommended:.1f}", True),
                     read_only_cell(f"{total.fte_recommended - total.fte_current:+.1f}", True),
                     read_only_cell(f"{total.cost_recommended:,.0f}", True)]
            for column, cell in enumerate(cells):
                self.people.setItem(number, column, cell)
        self.targets.setRowCount(len(plan.achieved))
        for number, target in enumerate(plan.achieved):
            goal = ("≥ " if target.kind == "sla" else "≤ ") + _figure(target.kind, target.target)
            met = read_only_cell("met" if target.met else "MISSED")
            met.setForeground(QBrush(FEWER if target.met else MORE))
            interval = f"{_figure(target.kind, target.ci_low)} – {_figure(target.kind, target.ci_high)}"
            cells = [read_only_cell(target_label(target)), read_only_cell(goal, True),
                     read_only_cell(_figure(target.kind, target.mean), True), read_only_cell(interval, True),
                     read_only_cell(str(target.n), True), met]
            for column, cell in enumerate(cells):
                self.targets.setItem(number, column, cell)
        if plan.rows:
            self.cost.setText(f"Cost per week: <b>{plan.cost_recommended_per_week:,.0f}</b> recommended, "
                              f"{plan.cost_current_per_week:,.0f} now — change "
                              f"<b>{plan.cost_delta_per_week:+,.0f}</b> per week; "
                              f"<b>{plan.fte_recommended:.1f}</b> FTE "
                              f"({plan.fte_recommended - plan.fte_current:+.1f}).")
        lines = [f"<b>Infeasible</b> — {_escape(p.render())}" for p in plan.infeasible]
        if minimality_summary(plan):
            lines.append(_escape(minimality_summary(plan)))
        lines += [f"Note: {_escape(note)}" for note in plan.notes]
        self.notes.setText("<br>".join(lines))


def _bold(item: QTableWidgetItem) -> QFont:
    font = item.font()
    font.setBold(True)
    return font


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
