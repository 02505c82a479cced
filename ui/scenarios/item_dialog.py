"""What the backfill and training dialogs share: labelled rows, then the problem line and OK / Cancel, and the
check that shows the first problem and allows OK only without one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from ui.forms.problem_label import ProblemLabel


def lay_out(dialog: QDialog, rows: list[tuple[str, QWidget]]) -> tuple[ProblemLabel, QDialogButtonBox]:
    """Put ``rows`` on ``dialog`` above a problem line and OK / Cancel (wired to accept and reject)."""
    problem = ProblemLabel()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    form = QFormLayout()
    for label, widget in rows:
        form.addRow(label, widget)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addStretch(1)
    layout.addWidget(problem)
    layout.addWidget(buttons)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return problem, buttons


def check(problem: ProblemLabel, buttons: QDialogButtonBox, build: Callable[[], object]) -> None:
    """Show why ``build`` refuses the entry (a ``ValueError``'s words), or nothing; OK only when it builds."""
    try:
        build()
        text = ""
    except ValueError as error:
        text = str(error)
    problem.show_problem(text)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)
