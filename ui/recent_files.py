"""Recently opened documents, newest first, kept in the user's settings.

Rules: at most MAX_RECENT entries, no duplicates (re-opening moves a file to the top), files that no
longer exist are dropped when the list is read, so the menu never offers a dead entry.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 10
SETTINGS_KEY = "recent_files"


class RecentFiles:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def paths(self) -> list[Path]:
        raw = self.settings.value(SETTINGS_KEY, [])
        values = [raw] if isinstance(raw, str) else list(raw or [])
        return [Path(v) for v in values if Path(v).exists()]

    def add(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        rest = [str(p) for p in self.paths() if str(p) != resolved]
        self.settings.setValue(SETTINGS_KEY, [resolved, *rest][:MAX_RECENT])

    def clear(self) -> None:
        self.settings.setValue(SETTINGS_KEY, [])
