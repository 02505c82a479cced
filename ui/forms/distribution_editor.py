"""Editor of one random duration (:class:`flowmodel.distributions.Distribution`).

Rules:
- Only the parameters the chosen kind reads are shown, each with the unit next to the number.
- Changing the kind keeps the mean (a lognormal of mean 3 min becomes an exponential of mean 3 min).
- Changing the unit keeps the duration the same and converts every parameter (90 s → 1.5 min).
- A draft the model would refuse (``Distribution.problems()``, e.g. a lognormal with sd 0) is marked on the
  offending field and not emitted; a valid one-parameter edit is emitted as that field ("mean"), so typing
  merges into one undo step per parameter; kind and unit changes are emitted as the whole value ("").
"""

from __future__ import annotations

import copy
import math
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from flowmodel.distributions import DISTRIBUTION_KINDS, PARAMETERS, Distribution
from ui.forms.number_box import NumberBox
from ui.forms.problem_label import set_invalid
from ui.forms.units import UnitCombo, convert_duration

KIND_LABELS: dict[str, str] = {
    "fixed": "Fixed", "exponential": "Exponential", "lognormal": "Lognormal", "gamma": "Gamma",
    "triangular": "Triangular", "uniform": "Uniform", "empirical": "Empirical (samples)",
}
PARAMETER_LABELS: dict[str, str] = {
    "mean": "Mean", "sd": "Std dev", "low": "Low", "mode": "Most likely", "high": "High", "samples": "Samples",
}
NUMBER_PARAMETERS: tuple[str, ...] = ("mean", "sd", "low", "mode", "high")
DECIMALS = 4


def with_kind(value: Distribution, kind: str) -> Distribution:
    """``value`` as a ``kind`` distribution with the same mean (parameters the old kind lacked are derived)."""
    if kind == value.kind:
        return copy.deepcopy(value)
    mean = value.mean_value() or 1.0
    return Distribution(kind, value.unit, mean=mean, sd=value.sd if value.sd > 0 else mean / 2,  # type: ignore[arg-type]
                        low=mean / 2, mode=mean, high=mean * 1.5, samples=list(value.samples) or [mean])


def in_unit(value: Distribution, unit: str) -> Distribution:
    """``value`` with every parameter converted to ``unit`` (same durations)."""
    out = copy.deepcopy(value)
    for name in NUMBER_PARAMETERS:
        setattr(out, name, convert_duration(getattr(value, name), value.unit, unit))
    out.samples = [convert_duration(s, value.unit, unit) for s in value.samples]
    out.unit = unit  # type: ignore[assignment]
    return out


def parse_samples(text: str) -> list[float] | None:
    """Numbers separated by commas or spaces; ``None`` when one of them is not a number."""
    try:
        return [float(part) for part in text.replace(";", ",").replace(",", " ").split()]
    except ValueError:
        return None


class DistributionEditor(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = Distribution()
        self._loading = False
        self.kind = QComboBox()
        for kind in DISTRIBUTION_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.unit = UnitCombo()
        self.numbers = {name: NumberBox(0.0, 1e7, DECIMALS) for name in NUMBER_PARAMETERS}
        self.samples = QLineEdit()
        self.samples.setPlaceholderText("e.g. 30, 45, 60, 120")
        self.samples_unit = QLabel()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.kind, 1)
        top.addWidget(QLabel("in"))
        top.addWidget(self.unit)
        self.parameters = QFormLayout()
        self.parameters.setContentsMargins(12, 0, 0, 0)
        for name, box in self.numbers.items():
            self.parameters.addRow(PARAMETER_LABELS[name], box)
            box.setObjectName(name)
            box.valueChanged.connect(partial(self._number_edited, name))
        samples_row = QHBoxLayout()
        samples_row.addWidget(self.samples, 1)
        samples_row.addWidget(self.samples_unit)
        self.parameters.addRow(PARAMETER_LABELS["samples"], samples_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(self.parameters)

        self.kind.activated.connect(lambda index: self._emit_whole(with_kind(self._draft(), self.kind.itemData(index))))
        self.unit.unit_switched.connect(lambda old, new: self._emit_whole(in_unit(self._draft(), new)))
        self.samples.editingFinished.connect(self._samples_edited)

    def value(self) -> Distribution:
        """The model value last shown."""
        return copy.deepcopy(self._value)

    def set_value(self, value: Distribution) -> None:
        self._loading = True
        self._value = copy.deepcopy(value)
        self.kind.setCurrentIndex(self.kind.findData(value.kind))
        self.unit.set_unit(value.unit)
        shown = PARAMETERS.get(value.kind, ())
        for row, name in enumerate((*NUMBER_PARAMETERS, "samples")):
            self.parameters.setRowVisible(row, name in shown)
        for name, box in self.numbers.items():
            box.setSuffix(f" {value.unit}")
            box.show_value(getattr(value, name))
        self.samples_unit.setText(value.unit)
        if parse_samples(self.samples.text()) != value.samples:
            self.samples.setText(", ".join(f"{s:g}" for s in value.samples))
        self._report(value.problems())
        self._loading = False

    # -- edits -----------------------------------------------------------------------------------
    def _draft(self) -> Distribution:
        """The model value with the parameters the planner has changed in the fields (possibly invalid)."""
        draft = copy.deepcopy(self._value)
        tolerance = 0.5 * 10 ** -DECIMALS
        for name, box in self.numbers.items():
            if not math.isclose(box.value(), getattr(draft, name), abs_tol=tolerance):
                setattr(draft, name, box.value())
        samples = parse_samples(self.samples.text())
        if samples is not None:
            draft.samples = samples
        return draft

    def _number_edited(self, name: str, value: float) -> None:
        if self._loading:
            return
        draft = self._draft()
        setattr(draft, name, value)
        if self._report(draft.problems()):
            return
        changed = [n for n in NUMBER_PARAMETERS if getattr(draft, n) != getattr(self._value, n)]
        if changed == [name] and draft.samples == self._value.samples:
            self.edited.emit(name, value)
        elif changed or draft.samples != self._value.samples:
            self.edited.emit("", draft)

    def _samples_edited(self) -> None:
        if self._loading:
            return
        samples = parse_samples(self.samples.text())
        if samples is None:
            set_invalid(self.samples, True)
            self.problem.emit("samples must be numbers separated by commas, e.g. 30, 45, 60")
            return
        draft = self._draft()
        if not self._report(draft.problems()) and samples != self._value.samples:
            self.edited.emit("samples", samples)

    def _emit_whole(self, value: Distribution) -> None:
        if not self._loading and not self._report(value.problems()):
            self.edited.emit("", value)

    def _report(self, problems: list[tuple[str, str]]) -> bool:
        """Mark the fields named by ``problems`` and say why; ``True`` when there is something wrong."""
        fields = {name for name, _ in problems}
        for name, box in self.numbers.items():
            set_invalid(box, name in fields)
        set_invalid(self.samples, "samples" in fields)
        self.problem.emit("; ".join(message for _, message in problems))
        return bool(problems)
