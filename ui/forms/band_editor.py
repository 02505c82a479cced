"""The branches of a classifier, a probability router or a review stage in one table, with decision quality.

Rules (see :mod:`flowmodel.quality`):
- One row per outgoing branch. At a classifier (its *bands*) and a review stage each branch has a decision,
  picked in a line of its own above the table: auto-action (remove), human review (no decision), auto-approve
  (keep) — ``Edge.decision``.
- "Bands by classifier error" (a classifier) or "Split by truth" (a probability router) switches every branch of
  the node at once to :class:`~flowmodel.quality.TruthSplit` — one undo step that keeps the flow (see
  :mod:`ui.forms.quality_edits`). Each band then states the share of violating items and the share of benign
  items landing in it; each column sums to 100 %. A category picked above the table shows and edits that
  category's own shares (the first edit gives every branch its own copy, so the columns still sum to 100 %).
- A classifier's bands can be entered from a model card: precision and recall. Recall is the share of violating
  items the band takes (the violating column); precision the share of the band's items that violate, at the
  prevalence of the items arriving here (from the sources' ground truth through the routing). Entering precision
  (or recall while precision is held) stores the benign share that gives it
  (:func:`flowmodel.quality.band_split`); the table always shows both ways (:func:`flowmodel.quality.band_figures`).
- At a router after a removal the columns read "removal was right" (violating) and "removal was wrong" (benign).
- A review stage with a remove and a keep branch decides by reviewer accuracy: those branches' shares read
  "decided by reviewer accuracy"; the other branches keep their shares.
- Every edit is a field command on the branch's edge (several edits that belong together are one macro).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.nodes import Edge, ReviewStage, Router
from flowmodel.quality import band_figures
from flowmodel.traffic import decides_by_accuracy
from flowmodel.workflow import Workflow
from ui.forms.branch_words import (
    BAND_DECISIONS,
    BY_ACCURACY,
    ENTRY_MODES,
    STAGE_DECISIONS,
    Kind,
    after_removal,
    explanation,
    header,
    header_tip,
    parse_percent,
    percent,
    summary,
)
from ui.forms.category_table import INHERITED_GREY
from ui.forms.mix_editor import values_in_mixes
from ui.forms.problem_label import PROBLEM_BACKGROUND, PROBLEM_RED
from ui.forms.quality_edits import (
    Edit,
    arrival_prevalence,
    band_share_edits,
    changed_split,
    clear_category_edits,
    decision_edits,
    push_edits,
    shown_workflow,
    truth_split_edits,
)

ROW_HEIGHT = 26
COMBO_CHARACTERS = 10


def narrow(combo: QComboBox) -> QComboBox:
    """A drop-down that does not insist on its longest entry's width (the side panel is narrow)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_CHARACTERS)
    return combo


class BranchTable(QWidget):
    """The branches of one node (see module rules); ``refresh`` re-reads the model, as the scenario has it."""

    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, node_id: str, kind: Kind,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workflow = workflow
        self.undo_stack = undo_stack
        self.node_id = node_id
        self.kind = kind
        self._loading = False
        self._keys: list[str] = []
        self._edge_ids: list[str] = []
        self.prevalence: float | None = None
        self.prevalence_by_category: dict[str, float] = {}
        self.split = QCheckBox("Bands by classifier error" if kind == "classifier" else "Split by truth")
        self.split.setToolTip(
            "Each band states the share of violating items and the share of benign items landing in it" if
            kind == "classifier" else "Each branch states its share of violating and of benign items, e.g. an "
            "appeal that depends on whether the removal was right")
        self.split.setVisible(kind != "stage")
        self.split.clicked.connect(self._toggled)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setEnabled(False)
        self.entry = narrow(QComboBox())
        for value, text in ENTRY_MODES:
            self.entry.addItem(text, value)
        self.entry.setToolTip("Which figures you type: the benign share is stored either way, and the table shows "
                              "precision and recall of what is stored")
        self.entry.activated.connect(lambda _: self.refresh())
        self.category = narrow(QComboBox())
        self.category.setToolTip("Show and edit one category's own shares (blank: the shares of every category)")
        self.category.activated.connect(lambda _: self.refresh())
        self.clear_category = QPushButton("Clear the category's own shares")
        self.clear_category.setToolTip("The category takes the shares of every category again (on every branch)")
        self.clear_category.clicked.connect(self._clear_category)
        self.decisions = QFormLayout()
        self.decisions.setContentsMargins(0, 0, 0, 0)
        self._decision_combos: list[QComboBox] = []
        self.decisions_title = QLabel("Decisions:" if kind == "stage" else "Each band decides:")
        self.decisions_title.setVisible(kind != "router")
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setWordWrap(False)
        self.table.itemChanged.connect(self._cell_changed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {PROBLEM_RED};")
        self.problem.setVisible(False)
        self.entry_row = QWidget()
        entry_line = QHBoxLayout(self.entry_row)
        entry_line.setContentsMargins(0, 0, 0, 0)
        entry_line.addWidget(QLabel("Enter:"))
        entry_line.addWidget(self.entry, 1)
        self.category_row = QWidget()
        category_line = QHBoxLayout(self.category_row)
        category_line.setContentsMargins(0, 0, 0, 0)
        category_line.addWidget(QLabel("Shares for:"))
        category_line.addWidget(self.category, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.decisions_title)
        layout.addLayout(self.decisions)
        for widget in (self.split, self.explain, self.entry_row, self.category_row, self.clear_category, self.table,
                       self.summary, self.problem):
            layout.addWidget(widget)
        self.refresh()

    # -- reading ---------------------------------------------------------------------------------
    def shown(self) -> Workflow:
        return shown_workflow(self.workflow, self.undo_stack)

    def edges(self) -> list[Edge]:
        return self.shown().outgoing(self.node_id)

    def by_truth(self) -> bool:
        edges = self.edges()
        return bool(edges) and all(e.by_truth is not None for e in edges)

    def model_card(self) -> bool:
        return self.kind == "classifier" and self.entry.currentData() == "model_card"

    def picked_category(self) -> str:
        return self.category.currentData() or ""

    def prevalence_here(self) -> float | None:
        category = self.picked_category()
        if category:
            return self.prevalence_by_category.get(category, self.prevalence)
        return self.prevalence

    def cell(self, row: int, key: str) -> QTableWidgetItem:
        """The cell of branch ``row`` in column ``key`` (tests type into it)."""
        return self.table.item(row, self._keys.index(key))

    def decision_combo(self, row: int) -> QComboBox:
        """The decision picker of branch ``row``."""
        return self._decision_combos[row]

    # -- model → widgets -------------------------------------------------------------------------
    def refresh(self) -> None:
        workflow = self.shown()
        node = workflow.nodes.get(self.node_id)
        if node is None:
            return
        self._loading = True
        try:
            edges = workflow.outgoing(self.node_id)
            truth = self.by_truth()
            self.split.setChecked(truth)
            self.split.setEnabled(self.kind != "router" or (isinstance(node, Router) and node.mode == "probability"))
            self.prevalence, self.prevalence_by_category = arrival_prevalence(workflow, self.node_id) \
                if self.kind == "classifier" and truth else (None, {})  # only precision needs it
            self._refresh_choices(truth, edges)
            self._keys = self._columns(truth)
            if self.table.columnCount() != len(self._keys):
                self.table.setColumnCount(len(self._keys))
            self.table.setHorizontalHeaderLabels([self._header(key, workflow) for key in self._keys])
            for col, key in enumerate(self._keys):
                self.table.horizontalHeaderItem(col).setToolTip(header_tip(self.kind, key, self._removal(workflow)))
            self._show_decisions(edges, workflow)
            self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            if self.table.rowCount() != len(edges) or self._edge_ids != [e.id for e in edges]:
                self.table.setRowCount(0)
                self.table.setRowCount(len(edges))
            self._edge_ids = [e.id for e in edges]
            deciding = isinstance(node, ReviewStage) and decides_by_accuracy(edges)
            for row, edge in enumerate(edges):
                self._show_row(row, edge, workflow, deciding)
            self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                      + max(1, len(edges)) * ROW_HEIGHT + 2 * self.table.frameWidth() + 2)
            self.explain.setText(explanation(self.kind, truth, self._removal(workflow)))
            self.explain.setVisible(bool(self.explain.text()))
            self._show_summary(edges, truth, deciding)
        finally:
            self._loading = False

    def _refresh_choices(self, truth: bool, edges: list[Edge]) -> None:
        self.entry_row.setVisible(truth and self.kind == "classifier")
        categories = sorted({c for e in edges if e.by_truth is not None for c in e.by_truth.by_category}
                            | set(values_in_mixes(self.shown(), "category")))
        picked = self.picked_category()
        wanted = [("", "every category"), *((c, c) for c in categories)]
        if [(self.category.itemData(i), self.category.itemText(i)) for i in range(self.category.count())] != wanted:
            self.category.clear()
            for value, text in wanted:
                self.category.addItem(text, value)
        self.category.setCurrentIndex(max(0, self.category.findData(picked)))
        self.category_row.setVisible(truth and len(categories) > 0)
        picked = self.picked_category()
        self.clear_category.setVisible(bool(picked) and any(
            e.by_truth is not None and picked in e.by_truth.by_category for e in edges))

    def _columns(self, truth: bool) -> list[str]:
        keys = ["branch"]
        if truth:
            keys += ["violating", "benign"] + (["precision"] if self.kind == "classifier" else [])
        else:
            keys.append("share")
        return keys

    def _removal(self, workflow: Workflow) -> bool:
        return self.kind == "router" and after_removal(workflow, self.node_id)

    def _header(self, key: str, workflow: Workflow) -> str:
        return header(self.kind, key, self._removal(workflow))

    def _show_row(self, row: int, edge: Edge, workflow: Workflow, deciding: bool) -> None:
        target = workflow.nodes.get(edge.target)
        self._text(row, "branch", self._branch_name(edge, workflow), editable=False,
                   tip=f"to {getattr(target, 'name', '') or '(unnamed)'}")
        if "share" in self._keys:
            if deciding and edge.decision:
                self._text(row, "share", BY_ACCURACY, editable=False,
                           tip="the reviewers decide remove or keep by the item's truth and their accuracy")
            else:
                self._text(row, "share", percent(edge.probability or 0.0), editable=True)
        if edge.by_truth is None or "violating" not in self._keys:
            return
        category = self.picked_category()
        own = not category or category in edge.by_truth.by_category
        split = edge.by_truth.for_category(category)
        model_card = self.model_card()
        self._text(row, "violating", percent(split.violating), editable=True, inherited=not own)
        self._text(row, "benign", percent(split.benign), editable=not model_card, inherited=not own,
                   tip="follows from precision and recall at the prevalence of items arriving here"
                   if model_card else "")
        if "precision" in self._keys:
            prevalence = self.prevalence_here()
            precision = band_figures(prevalence, split)[1] if prevalence is not None else math.nan
            self._text(row, "precision", "—" if math.isnan(precision) else percent(precision),
                       editable=model_card and prevalence is not None, inherited=not own,
                       tip="share of the band's items that truly violate, at the prevalence of items arriving here"
                       if prevalence is not None else "needs ground truth on the sources whose items arrive here")

    def _text(self, row: int, key: str, text: str, editable: bool, inherited: bool = False, tip: str = "") -> None:
        item = self.table.item(row, self._keys.index(key))
        if item is None:
            item = QTableWidgetItem()
            self.table.setItem(row, self._keys.index(key), item)
        if item.text() != text:
            item.setText(text)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags)
        derived = inherited or (not editable and key not in ("branch",))
        item.setForeground(QBrush(QColor(INHERITED_GREY)) if derived else QBrush())
        font = QFont(item.font())
        font.setItalic(derived)
        item.setFont(font)
        item.setBackground(QBrush())
        if key != "branch":
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(tip or ("the shares of every category; type to give this category its own" if inherited
                                else ""))

    def _show_decisions(self, edges: list[Edge], workflow: Workflow) -> None:
        """One "branch decides: [picker]" line per branch (classifiers and review stages)."""
        if self.kind == "router":
            return
        if [c.property("edge_id") for c in self._decision_combos] != [e.id for e in edges]:
            while self.decisions.rowCount():
                self.decisions.removeRow(0)
            self._decision_combos = []
            for edge in edges:
                combo = narrow(QComboBox())
                for value, text in BAND_DECISIONS if self.kind == "classifier" else STAGE_DECISIONS:
                    combo.addItem(text, value)
                combo.setToolTip("What taking this branch decides (for correct and wrongful removals, appeals)")
                combo.setProperty("edge_id", edge.id)
                combo.activated.connect(lambda _, c=combo: self._decided(c))
                self._decision_combos.append(combo)
                self.decisions.addRow(f"{self._branch_name(edge, workflow)}:", combo)
        for edge, combo in zip(edges, self._decision_combos, strict=True):
            combo.setCurrentIndex(max(0, combo.findData(edge.decision)))
            label = self.decisions.labelForField(combo)
            if isinstance(label, QLabel):
                label.setText(f"{self._branch_name(edge, workflow)}:")

    @staticmethod
    def _branch_name(edge: Edge, workflow: Workflow) -> str:
        target = workflow.nodes.get(edge.target)
        return edge.label or f"→ {getattr(target, 'name', '') or '(unnamed)'}"

    def _show_summary(self, edges: list[Edge], truth: bool, deciding: bool) -> None:
        text, ok = summary(self.kind, edges, truth, deciding, self.picked_category(), self.prevalence_here())
        self.summary.setText(text)
        self.summary.setStyleSheet("" if ok else f"color: {PROBLEM_RED};")

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    # -- widgets → model -------------------------------------------------------------------------
    def _toggled(self, checked: bool) -> None:
        words = "bands by classifier error" if self.kind == "classifier" else "split by truth"
        push_edits(self.undo_stack, self.workflow, f"{'Use' if checked else 'Stop using'} {words}",
                   truth_split_edits(self.shown(), self.node_id, checked))
        self.refresh()

    def _decided(self, combo: QComboBox) -> None:
        edge_id = combo.property("edge_id")
        push_edits(self.undo_stack, self.workflow, "Change decision",
                   decision_edits(self.shown(), edge_id, combo.currentData()))
        self.refresh()

    def _clear_category(self) -> None:
        category = self.picked_category()
        push_edits(self.undo_stack, self.workflow, f"Use the shares of every category for {category}",
                   clear_category_edits(self.edges(), category))
        self.refresh()

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        key = self._keys[item.column()]
        edge = self.shown().edges.get(self._edge_ids[item.row()])
        value = parse_percent(item.text())
        if edge is None:
            return
        if value is None:
            self._refuse(item, f"{self._header(key, self.shown()).lower()} must be a share from 0 % to 100 %")
            return
        try:
            edits = self._edits(edge, key, value)
        except ValueError as error:
            self._refuse(item, str(error))
            return
        self._show_problem("")
        push_edits(self.undo_stack, self.workflow, f"Change {self._header(key, self.shown()).lower()}", edits)
        self.refresh()

    def _refuse(self, item: QTableWidgetItem, message: str) -> None:
        self._loading = True
        item.setBackground(QBrush(QColor(PROBLEM_BACKGROUND)))
        item.setToolTip(message)
        self._loading = False
        self._show_problem(message)

    def _edits(self, edge: Edge, key: str, value: float) -> list[Edit]:
        if key == "share":
            return [(edge.id, "probability", value)]
        category = self.picked_category()
        new = changed_split(edge.by_truth.for_category(category), key, value, self.prevalence_here(),
                            hold_precision=self.model_card())
        return band_share_edits(self.edges(), edge, category, new)
