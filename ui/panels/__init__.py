"""Dockable side panels of the main window: properties of the selected node or edge, and teams."""

from ui.panels.property_panel import PropertyPanel
from ui.panels.teams_panel import TeamsPanel

__all__ = ["PropertyPanel", "TeamsPanel"]
