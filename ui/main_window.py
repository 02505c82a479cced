"""The main window: palette, canvas, property/teams/validation docks, menus, and the file workflow.

Rules:
- One QUndoStack lives as long as the window; opening a document clears it, so the panels keep the
  stack they were built with and only need ``set_workflow``. The title's "*" is the stack's clean state.
  In a workspace with several workflows, undo/redo of an edit to a workflow not on the canvas first
  brings that workflow onto the canvas.
- Opening reads the file completely before anything changes; an unreadable file is reported through
  :meth:`MainWindow.show_error` (which also sets ``last_error``) and the open document stays as it was.
- Unsaved changes are offered Save / Discard / Cancel before New, Open, opening an example and closing.
- Every question and error goes through one small method (``ask_*``, ``show_error``) so tests and
  other front ends can answer them.
- The undo stack is a :class:`~ui.scenarios.mode.ScenarioUndoStack` (scenario mode routes edits through it);
  the Scenarios, Run and Results docks and the canvas overlay are wired by :mod:`ui.run.window_wiring`, the
  Export menu by :mod:`ui.report.window_wiring`, the Run menu's "Recommend staffing…" by
  :mod:`ui.staffing.window_wiring`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QComboBox, QDockWidget, QFileDialog, QMainWindow, QMessageBox, QWidget

from flowmodel.documents import document_kind
from flowmodel.errors import FlowmodelError, LoadError, SaveError
from flowmodel.jsonfile import JSON_SUFFIX
from flowmodel.validation import Issue
from flowmodel.workflow import Workflow
from flowmodel.workspace_schema import WORKSPACE_SUFFIX
from ui.autosave import Autosaver, pending_recovery
from ui.canvas.interactions.delete import delete_selection
from ui.canvas.layout import align, auto_layout
from ui.canvas.overlay import CanvasOverlay
from ui.canvas.palette import NodePalette
from ui.canvas.view import CanvasView
from ui.commands import AlignCommand, AutoLayoutCommand, Point
from ui.dock_sizes import DockSizes
from ui.document import Document
from ui.help_menu import HelpMenu
from ui.panels import PropertyPanel, TeamsPanel
from ui.panels.validation_panel import ValidationPanel
from ui.recent_files import RecentFiles
from ui.report.window_wiring import ExportWiring
from ui.results.view import ResultsView
from ui.run.controller import RunController
from ui.run.history import RunHistory
from ui.run.panel import RunPanel
from ui.run.window_wiring import WhatIfWiring
from ui.scenarios.mode import ScenarioUndoStack
from ui.scenarios.panel import ScenariosPanel
from ui.shortcuts import drop_shadowed_bindings
from ui.staffing.window_wiring import StaffingWiring
from ui.trace.window_wiring import TraceWiring
from ui.window_actions import build_actions
from ui.workflow_name import WorkflowNameField

EXAMPLES_FOLDER = Path(__file__).resolve().parents[1] / "examples"
FILE_FILTER = f"Flowmodel documents (*{JSON_SUFFIX} *{WORKSPACE_SUFFIX});;All files (*)"
STATUS_MS = 8000


def _moves(workflow: Workflow, positions: dict[str, tuple[float, float]]) -> dict[str, tuple[Point, Point]]:
    """Node id → (before, after) for the nodes that ``positions`` actually moves (one undoable step)."""
    moves: dict[str, tuple[Point, Point]] = {}
    for node_id, after in positions.items():
        before = (workflow.nodes[node_id].x, workflow.nodes[node_id].y)
        if before != after:
            moves[node_id] = (before, after)
    return moves


class MainWindow(QMainWindow):
    """The editor window (see module rules)."""

    def __init__(self, settings: QSettings | None = None, untitled_folder: Path | None = None,
                 autosave_seconds: float = 60.0) -> None:
        super().__init__()
        self.settings = settings or QSettings("Flowmodel", "Flowmodel")
        self.recent = RecentFiles(self.settings)
        self.last_error = ""
        self.undo_stack = ScenarioUndoStack(self)
        self.scenario_mode = self.undo_stack.scenario_mode
        self.document = Document([Workflow()], None, self.undo_stack)
        self.view = CanvasView(self.undo_stack)
        self.setCentralWidget(self.view)
        self.palette = NodePalette()
        self.properties = PropertyPanel(self.document.workflow, self.undo_stack)
        self.teams = TeamsPanel(self.document.workflow, self.undo_stack)
        self.validation = ValidationPanel()
        self.scenarios = ScenariosPanel(self.undo_stack)
        self.run_panel = RunPanel()
        self.run_history = RunHistory(self)
        self.runs = RunController(self)
        self.results = ResultsView(self.run_history)
        self.overlay = CanvasOverlay(self.scenario_mode, self)
        self.overlay.attach(self.view.canvas_scene)
        self.workflow_selector = QComboBox()
        self.workflow_selector.setToolTip("Workflow of this workspace shown on the canvas")
        self.workflow_selector.setMinimumContentsLength(24)
        self.name_field = WorkflowNameField(self.undo_stack)
        self.autosaver = Autosaver(untitled_folder, autosave_seconds, self)
        self._dock_widgets: list[QDockWidget] = []
        self._dock("Nodes", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea)
        properties_dock = self._dock("Properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(properties_dock, self._dock("Teams", self.teams, Qt.DockWidgetArea.RightDockWidgetArea))
        properties_dock.raise_()
        validation_dock = self._dock("Validation", self.validation, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.validation_dock = validation_dock
        self.results_dock = self._dock("Results", self.results, Qt.DockWidgetArea.BottomDockWidgetArea)
        # tabbed with the validation list only once both are shown (show_results): tabifying a hidden dock
        # leaves a stray tab bar (Qt 6.11); side by side, both were squeezed to their minimum width
        self.splitDockWidget(validation_dock, self.results_dock, Qt.Orientation.Horizontal)
        self.tabifyDockWidget(properties_dock, self._dock("Scenarios", self.scenarios,
                                                          Qt.DockWidgetArea.RightDockWidgetArea))
        self.tabifyDockWidget(properties_dock, self._dock("Run", self.run_panel, Qt.DockWidgetArea.RightDockWidgetArea))
        properties_dock.raise_()
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.BottomDockWidgetArea)  # the palette is short
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.actions = build_actions(self)
        self.what_if = WhatIfWiring(self)
        self.exports = ExportWiring(self)
        self.staffing = StaffingWiring(self)
        self.staffing.menu.insertAction(self.staffing.action, self.what_if.run_action)
        self.staffing.menu.insertSeparator(self.staffing.action)
        self.traces = TraceWiring(self, self.staffing.menu)
        self.help = HelpMenu(self)  # last: it lists every other action's keys
        drop_shadowed_bindings(self.findChildren(QAction))  # after every part added its actions
        self.view.status_message.connect(self.show_status)
        self.autosaver.failed.connect(self.show_status)
        self.palette.kind_activated.connect(self._add_at_centre)
        self.validation.issue_activated.connect(self.focus_issue)
        self.validation.issues_changed.connect(self._mark_issues)
        self.view.canvas_scene.selectionChanged.connect(self._selection_changed)
        self.undo_stack.cleanChanged.connect(self.update_title)
        self.undo_stack.indexChanged.connect(self.update_title)
        self.undo_stack.indexChanged.connect(self._show_workflow_of_undone_edit)
        self._stack_index = 0
        self.workflow_selector.currentIndexChanged.connect(self._switch_workflow)
        self.actions.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_examples_menu()
        self.resize(1500, 920)
        self.dock_sizes = DockSizes(self, self._dock_widgets[0], properties_dock, validation_dock, self.results_dock)
        self.resizeDocks(self._dock_widgets[3:4], [140], Qt.Orientation.Vertical)
        self._show_document(self.document)
        self._selection_changed()

    # -- layout ----------------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower()}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        self._dock_widgets.append(dock)
        return dock

    def docks(self) -> list[QDockWidget]:
        return list(self._dock_widgets)

    def show_results(self, raise_it: bool = True) -> None:
        """Show the Results dock, at a readable size the first time (:mod:`ui.dock_sizes`)."""
        self.results_dock.show()
        if raise_it:
            self.results_dock.raise_()
        self.dock_sizes.results_shown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.dock_sizes.window_shown()
        if not self.results_dock.isHidden():
            self.show_results(raise_it=False)

    def update_title(self, *_signal_args: object) -> None:
        """The title names the file and the workflow (its name titles exports); the selector follows renames."""
        document = self.document
        star = "*" if document.is_dirty else ""
        name = document.workflow.name
        several = len(document.workflows) > 1
        shown = f" › {name}" if several else f" — {name}" if name and document.path is not None else ""
        self.setWindowTitle(f"{document.display_name}{star}{shown} — Flowmodel")
        for i, workflow in enumerate(document.workflows[:self.workflow_selector.count()]):
            if self.workflow_selector.itemText(i) != workflow.name:
                self.workflow_selector.setItemText(i, workflow.name)

    def rename_workflow(self) -> None:
        """File → Workflow name…: put the cursor in the toolbar's name field, the name selected."""
        self.name_field.setFocus()
        self.name_field.selectAll()

    # -- showing a document ----------------------------------------------------------------------
    def _show_document(self, document: Document) -> None:
        self.document = document
        self.autosaver.set_document(document)
        self.workflow_selector.blockSignals(True)
        self.workflow_selector.clear()
        self.workflow_selector.addItems([w.name for w in document.workflows])
        self.workflow_selector.setCurrentIndex(document.current_index)
        self.workflow_selector.blockSignals(False)
        self.workflow_selector_action.setVisible(len(document.workflows) > 1)
        self._show_workflow()
        QTimer.singleShot(0, self.view.opening_view)

    def _show_workflow(self) -> None:
        workflow = self.document.workflow
        self.view.set_document(workflow, self.undo_stack)
        self.validation.set_workflow(workflow)
        self.properties.set_workflow(workflow)
        self.teams.set_workflow(workflow)
        self.name_field.set_workflow(workflow)
        self.scenarios.set_workflow(workflow)
        self.run_panel.set_workflow(workflow)
        self.overlay.set_workflow(workflow)
        self.run_history.set_document(self.document.path, workflow)
        if self.run_history.entries:
            self.show_results(raise_it=False)
        else:
            self.results_dock.hide()  # no empty results pane before a first run
        self.update_title()

    def _switch_workflow(self, index: int) -> None:
        if 0 <= index < len(self.document.workflows) and index != self.document.current_index:
            self.document.current_index = index
            self._show_workflow()
            QTimer.singleShot(0, self.view.opening_view)

    def _show_workflow_of_undone_edit(self, index: int) -> None:
        """One undo stack serves every workflow of a workspace: when undo or redo changes a workflow
        that is not on the canvas, show that workflow, so no edit happens out of sight."""
        previous, self._stack_index = self._stack_index, index
        if abs(index - previous) != 1:
            return
        command = self.undo_stack.command(min(index, previous))
        while command is not None and not hasattr(command, "workflow") and command.childCount():
            command = command.child(0)
        workflow = getattr(command, "workflow", None)
        if workflow is not None and workflow is not self.document.workflow:
            for i, candidate in enumerate(self.document.workflows):
                if candidate is workflow:
                    self.workflow_selector.setCurrentIndex(i)

    def _selection_changed(self) -> None:
        scene = self.view.canvas_scene
        selected = scene.selected_node_ids() + scene.selected_edge_ids()
        self.properties.show_item(selected[0] if len(selected) == 1 else None)
        actions = self.actions
        for action in (actions.cut, actions.copy, actions.duplicate, actions.delete):
            action.setEnabled(bool(selected))  # nothing selected: nothing to cut, copy, duplicate or delete

    def _mark_issues(self, issues: list[Issue]) -> None:
        levels: dict[str, tuple[str, str]] = {}
        for issue in issues:
            if issue.node_id is None:
                continue
            if issue.node_id not in levels or (issue.severity == "error" and levels[issue.node_id][0] != "error"):
                levels[issue.node_id] = (issue.severity, issue.message)
        self.view.canvas_scene.mark_issues(levels)

    def focus_issue(self, issue: Issue) -> None:
        """Select and centre what a validation issue is about."""
        if issue.node_id is not None:
            self.view.focus_node(issue.node_id)
        elif issue.edge_id is not None and issue.edge_id in self.view.canvas_scene.edge_items:
            self.view.canvas_scene.select_ids([issue.edge_id])
            self.view.centerOn(self.view.canvas_scene.edge_items[issue.edge_id].label_rect().center())

    # -- editing ---------------------------------------------------------------------------------
    def delete_selection(self) -> None:
        delete_selection(self.view)

    def select_all(self) -> None:
        for item in self.view.canvas_scene.items():
            if item.flags() & item.GraphicsItemFlag.ItemIsSelectable:
                item.setSelected(True)

    def _add_at_centre(self, kind: str) -> None:
        self.view.add_node_at(kind, self.view.mapToScene(self.view.viewport().rect().center()))

    def _card_heights(self) -> dict[str, float]:
        return {node_id: item.height for node_id, item in self.view.canvas_scene.node_items.items()}

    def auto_layout(self) -> None:
        workflow = self.document.workflow
        moves = _moves(workflow, auto_layout(workflow, self._card_heights()))
        if moves:
            self.undo_stack.push(AutoLayoutCommand(workflow, moves))
        self.view.zoom_to_fit()

    def align(self, how: str) -> None:
        node_ids = self.view.canvas_scene.selected_node_ids()
        if len(node_ids) < 2:
            self.show_status("Select two or more nodes to align.")
            return
        workflow = self.document.workflow
        moves = _moves(workflow, align(workflow, node_ids, how, self._card_heights()))
        if moves:
            self.undo_stack.push(AlignCommand(workflow, moves, how))

    # -- files -----------------------------------------------------------------------------------
    def new_document(self) -> None:
        if not self.maybe_save():
            return
        self._replace_document(Document([Workflow()], None, self.undo_stack))

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self.ask_open_path()
        if path is not None:
            self.open_path(path, check_unsaved=False)

    def open_example(self, path: Path) -> bool:
        """Open a bundled example as an unsaved copy, so Save asks where to put it."""
        return self.open_path(path, as_copy=True)

    def open_path(self, path: str | Path, *, check_unsaved: bool = True, as_copy: bool = False) -> bool:
        """Open the document at ``path``; an unreadable file is reported and changes nothing."""
        if check_unsaved and not self.maybe_save():
            return False
        path = Path(path)
        try:
            document = Document.read(path, self.undo_stack)
        except LoadError as error:
            self.show_error("Cannot open the file", error.render())
            return False
        if as_copy:
            document.path = None
        self._replace_document(document)
        if not as_copy:
            self.recent.add(path)
            self.offer_recovery()
        self.show_status(f"Opened {path.name}")
        if not as_copy:
            self.offer_kept_runs()
        return True

    def show_workflows(self, workflows: list[Workflow], path: Path | None = None) -> None:
        """Show workflows built in memory (a generated or imported model) as a new, clean document."""
        self._replace_document(Document(workflows, path, self.undo_stack))

    def _replace_document(self, document: Document) -> None:
        self.autosaver.discard()
        self.undo_stack.clear()
        self._show_document(document)

    def offer_recovery(self) -> bool:
        """If the last session left unsaved changes for this document, offer to restore them."""
        found = pending_recovery(self.document.path, self.autosaver.untitled_folder)
        if found is None:
            return False
        if not self.ask_recover(found):
            found.unlink(missing_ok=True)
            return False
        try:
            recovered = Document.read(found, self.undo_stack)
        except LoadError as error:
            self.show_error("Cannot recover the unsaved changes", error.render())
            return False
        document = Document(recovered.workflows, self.document.path, self.undo_stack)
        self._show_document(document)
        self.undo_stack.resetClean()
        self.update_title()
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self, path: str | Path | None = None) -> bool:
        target = Path(path) if path is not None else self.ask_save_path()
        if target is None:
            return False
        if not document_kind(target):
            suffix = WORKSPACE_SUFFIX if len(self.document.workflows) > 1 else JSON_SUFFIX
            target = target.with_name(target.name + suffix)
        return self._save_to(target)

    def _save_to(self, target: Path) -> bool:
        """Save; the recovery file goes only once the document is safely on disk."""
        recovery = self.autosaver.current_path()
        try:
            self.document.save(target)
        except FlowmodelError as error:
            self.show_error("Cannot save", error.render())
            return False
        if recovery is not None:
            recovery.unlink(missing_ok=True)
        try:
            self.run_history.document_saved(target)
        except FlowmodelError as error:
            self.show_error("Saved, but the run results could not be stored", error.render())
        self.recent.add(target)
        self.update_title()
        self.show_status(f"Saved {target.name}")
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded, or nothing to lose)."""
        if not self.document.is_dirty:
            return True
        answer = self.ask_unsaved_changes()
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.autosaver.discard()
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.autosaver.discard()
            self.runs.cancel()
            self.runs.wait()
            self.staffing.stop()
            self.traces.stop()
            event.accept()
        else:
            event.ignore()

    def _fill_recent_menu(self) -> None:
        menu = self.actions.recent_menu
        menu.clear()
        for path in self.recent.paths():
            menu.addAction(path.name, lambda path=path: self.open_path(path)).setStatusTip(str(path))
        if menu.isEmpty():
            menu.addAction("No recent files").setEnabled(False)

    def _fill_examples_menu(self) -> None:
        menu = self.actions.examples_menu
        for path in sorted(EXAMPLES_FOLDER.glob(f"*{JSON_SUFFIX}")):
            title = path.name[: -len(JSON_SUFFIX)].replace("_", " ").capitalize()
            menu.addAction(title, lambda path=path: self.open_example(path))
        menu.setEnabled(not menu.isEmpty())

    # -- questions and errors (one method each, so tests can answer them) --------------------------
    def dialog_folder(self) -> Path:
        """Where file dialogs start: the document's folder, or the home folder (never the program's folder)."""
        return self.document.path.parent if self.document.path is not None else Path.home()

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Open", str(self.dialog_folder()), FILE_FILTER)
        return Path(name) if name else None

    def ask_save_path(self) -> Path | None:
        start = str(self.document.path or self.dialog_folder() / f"{self.document.workflow.name}{JSON_SUFFIX}")
        name, _ = QFileDialog.getSaveFileName(self, "Save As", start, FILE_FILTER)
        return Path(name) if name else None

    def ask_unsaved_changes(self) -> str:
        """"save", "discard" or "cancel"."""
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {self.document.display_name} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")

    def offer_kept_runs(self) -> None:
        """Runs that finished while this workspace could not take them were kept beside it: offer to store them."""
        kept = self.run_history.kept_runs()
        if not kept or not self.ask_store_kept_runs(len(kept)):
            return
        try:
            stored, problems = self.run_history.store_kept_runs()
        except (LoadError, SaveError) as error:
            self.show_error("Cannot store the kept runs", error.render())
            return
        if problems:
            self.show_error("Some kept runs could not be stored", "\n\n".join(problems))
        self.show_status(f"Stored {len(stored)} kept run(s) in {self.document.display_name}")

    def ask_store_kept_runs(self, count: int) -> bool:
        answer = QMessageBox.question(
            self, "Store kept runs?",
            f"{count} run(s) finished earlier could not be stored in this workspace (it was in use or could not "
            "be written), so their results were kept beside it.\nStore them in the workspace now? "
            "(No keeps them beside the workspace for later.)")
        return answer == QMessageBox.StandardButton.Yes

    def ask_recover(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self, "Recover unsaved changes?",
            f"Flowmodel found changes that were not saved when it last closed ({path.name}).\n"
            "Recover them? (No deletes the recovery file.)")
        return answer == QMessageBox.StandardButton.Yes

    def show_status(self, text: str) -> None:
        """A passing message in the status bar (the window's parts all use this one)."""
        self.statusBar().showMessage(text, STATUS_MS)

    def show_error(self, title: str, text: str) -> None:
        self.last_error = text
        self.show_status(text.splitlines()[0])
        QMessageBox.critical(self, title, text)
