"""Today's backlog from known parameters, written as the queues' export a planner would take in the morning.

Known parameters (the truth the import tests recover):
- ``backlog_today.csv`` — one row per item waiting at :data:`NOW_UTC`, for the review stages of
  ``examples/user_report_triage.flow.json`` (by name, :data:`STAGE_COUNTS` items each). Columns ``item_id``,
  ``stage``, ``created`` (``YYYY-MM-DDTHH:MM:SSZ``, UTC), ``category``, ``language``, ``priority``. Ages are
  exponential with mean :data:`MEAN_AGE_H` hours, capped at :data:`MAX_AGE_H`; category and priority drawn from
  :data:`MIX` (the example source's own cells, so every row is a class the workflow knows).
Every draw comes from ``numpy.random.default_rng(SEED)``, so the file is the same on every run.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 1516
NOW_UTC = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
STAGE_COUNTS = {"Tier 1 review": 420, "Specialist review": 80}
MEAN_AGE_H = 6.0
MAX_AGE_H = 72.0
#: (category, priority): share — the example source's mix.
MIX = {("spam", "P2"): 0.33, ("harassment", "P1"): 0.2, ("hate_speech", "P1"): 0.1, ("misinformation", "P2"): 0.15,
       ("violent_extremism", "P0"): 0.03, ("child_safety", "P0"): 0.02, ("other", "P2"): 0.17}
FILE = "backlog_today.csv"


def write(directory: Path) -> list[Path]:
    """Write ``backlog_today.csv`` into ``directory``; returns its path in a list."""
    rng = np.random.default_rng(SEED)
    cells = list(MIX)
    shares = np.array([MIX[c] for c in cells])
    path = Path(directory) / FILE
    number = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item_id", "stage", "created", "category", "language", "priority"])
        for stage, count in STAGE_COUNTS.items():
            ages = np.minimum(rng.exponential(MEAN_AGE_H, count), MAX_AGE_H)
            picks = rng.choice(len(cells), size=count, p=shares / shares.sum())
            for age, pick in zip(ages, picks, strict=True):
                number += 1
                created = NOW_UTC - timedelta(seconds=round(float(age) * 3600))
                category, priority = cells[pick]
                writer.writerow([f"R-{number:05d}", stage, created.strftime("%Y-%m-%dT%H:%M:%SZ"), category, "en",
                                 priority])
    return [path]


if __name__ == "__main__":
    write(Path(__file__).resolve().parents[1] / "data")
