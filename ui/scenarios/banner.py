"""The scenario-mode banner: a bright strip saying which scenario edits go to, shown while the mode is on."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ui.scenarios.mode import ScenarioMode

BANNER_STYLE = ("QLabel { background: #f5b700; color: #1f2933; font-weight: bold; padding: 4px 10px;"
                " border-radius: 4px; }")


class ScenarioBanner(QLabel):
    """Follows a :class:`ScenarioMode`; hidden while the mode is off."""

    def __init__(self, mode: ScenarioMode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.setStyleSheet(BANNER_STYLE)
        mode.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self.mode.banner_text()
        self.setText(text)
        self.setVisible(bool(text))
        self.adjustSize()
