"""Form of a team: skills, time zone, shift roster, shrinkage, cost and the stages it works.

Rules (see :mod:`flowmodel.teams`): empty skill lists mean "any"; shrinkage is the share of paid time not
spent reviewing, shown in % and capped at 95 % (a team that never reviews is a modelling error); the
stages list is in priority order, highest first — a reviewer who becomes free takes work from the first
stage with a waiting item. Contract hours (one person's paid hours a week, 0.5–168) turn rostered hours into
full-time equivalents, the people a planner hires. Decision quality: the team's accuracy ("removes violating
items", "keeps benign items"; optional, and per category) and its wellness caps (hours per shift-day per category).
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget

from flowmodel.nodes import ReviewStage
from flowmodel.teams import Team
from flowmodel.workflow import Workflow
from ui.forms.accuracy_editor import AccuracyByCategory, AccuracyEditor
from ui.forms.binding import ItemForm
from ui.forms.mix_editor import values_in_mixes
from ui.forms.ordered_checklist import OrderedChecklist
from ui.forms.roster_grid import RosterGrid
from ui.forms.tag_list_edit import TagListEdit
from ui.forms.timezone_combo import TimezoneCombo, time_zones
from ui.forms.wellness_editor import WellnessCaps


class TeamForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.add_text_row("Name", "name", "e.g. Spanish generalists")
        self.languages = TagListEdit()
        self.add_editor_row("Languages", "languages", self.languages)
        self.categories = TagListEdit()
        self.add_editor_row("Categories", "categories", self.categories)
        self.add_editor_row("Time zone", "timezone", TimezoneCombo(),
                            check=lambda zone: "" if zone in time_zones() else f"unknown time zone {zone!r}")
        self.add_editor_row("Roster (headcount per weekday)", "shifts", RosterGrid(), wide=True)
        self.add_provenance_row()
        self.add_number_row("Shrinkage", "shrinkage", minimum=0.0, maximum=95.0, decimals=1, suffix=" %",
                            scale=100.0).setToolTip("Share of paid time spent on breaks, training, meetings, absence")
        self.add_number_row("Hourly cost", "hourly_cost", minimum=0.0, maximum=1e5, decimals=2,
                            suffix=" per paid hour")
        self.add_number_row("Contract", "contract_hours", minimum=0.5, maximum=168.0, decimals=1,
                            suffix=" h a week per person").setToolTip(
            "One person's paid hours per week: staffing shows heads on shift and the people (FTE) to hire")
        self.stages = OrderedChecklist()
        self.add_editor_row("Works stages", "stages", self.stages)
        self.add_editor_row("Accuracy", "accuracy", AccuracyEditor("Stated (else always right)"))
        self.accuracy_by_category = AccuracyByCategory()
        self.add_editor_row("Accuracy per category (blank: the team's)", "accuracy_by_category",
                            self.accuracy_by_category, wide=True)
        self.wellness_caps = WellnessCaps()
        self.add_editor_row("Wellness caps (most hours per reviewer and shift-day)",
                            "wellness_caps", self.wellness_caps, wide=True)
        self.capacity = QLabel()
        self.capacity.setWordWrap(True)
        self.rows.addRow("Capacity:", self.capacity)
        self.refresh()

    def refresh_context(self) -> None:
        team = self.item
        if not isinstance(team, Team):
            return
        self.languages.set_known(values_in_mixes(self.workflow, "language"))
        self.categories.set_known(values_in_mixes(self.workflow, "category"))
        known = team.categories or values_in_mixes(self.workflow, "category")
        self.accuracy_by_category.set_known(known)
        self.accuracy_by_category.set_overall(team.accuracy)
        self.wellness_caps.set_known(known)
        self.stages.set_options([(node.id, node.name or "(unnamed stage)") for node in self.workflow.nodes.values()
                                 if isinstance(node, ReviewStage)])
        self.capacity.setText(f"{team.paid_hours_per_week():g} paid hours a week "
                              f"({team.fte(team.paid_hours_per_week()):.1f} FTE at {team.contract_hours:g} h); "
                              f"{team.mean_available_reviewers():.1f} reviewers available on average")
