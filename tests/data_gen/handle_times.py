"""Handle-time samples from known distributions, written as the planner's review-tool exports.

Known parameters (the truth the fitting tests recover):
- ``handle_times_by_category.csv`` — seconds, one row per review with a category column; each category's handle
  times are lognormal with the mean and sd in :data:`LOGNORMAL_BY_CATEGORY`, :data:`SAMPLES_PER_CATEGORY`
  each, rounded to 0.1 s, plus :data:`ZERO_ROWS` zero-second rows (logging artefacts) that reading keeps and
  fitting drops.
- ``handle_times.xlsx`` — the same three laws, fresh draws, in minutes (3 decimals), sheet ``Samples`` after
  a ``Read me`` sheet, header "Handle time (min)".
- ``handle_times_gamma.csv`` — one column ``handle_time_s``: gamma with :data:`GAMMA_MEAN_S` and
  :data:`GAMMA_SD_S` (shape 4), :data:`SAMPLES_PER_CATEGORY` rows, rounded to 0.1 s.
Every draw comes from ``numpy.random.default_rng`` with the seeds below, so the files are the same on every run.
"""

from __future__ import annotations

import csv
import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import xlsxwriter

#: category → (mean s, sd s) of its lognormal handle time.
LOGNORMAL_BY_CATEGORY: dict[str, tuple[float, float]] = {
    "spam": (45.0, 30.0),
    "hate_speech": (240.0, 180.0),
    "graphic_violence": (360.0, 300.0),
}
GAMMA_MEAN_S = 300.0
GAMMA_SD_S = 150.0
SAMPLES_PER_CATEGORY = 3_000
ZERO_ROWS = 7
CSV_SEED = 1501
XLSX_SEED = 1502
GAMMA_SEED = 1503
START = datetime(2026, 11, 2, 8, 0)


def lognormal(rng: np.random.Generator, mean: float, sd: float, size: int) -> np.ndarray:
    """Lognormal draws with the given mean and sd (not the underlying normal's μ and σ)."""
    sigma2 = math.log1p((sd / mean) ** 2)
    return rng.lognormal(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2), size)


def gamma(rng: np.random.Generator, mean: float, sd: float, size: int) -> np.ndarray:
    return rng.gamma((mean / sd) ** 2, sd * sd / mean, size)


def _reviews(seed: int, divisor: float, digits: int) -> list[tuple[str, float]]:
    """(category, handle time / divisor) rows, categories interleaved as a review tool logs them."""
    rng = np.random.default_rng(seed)
    rows = [(category, round(float(v) / divisor, digits))
            for category, (mean, sd) in LOGNORMAL_BY_CATEGORY.items()
            for v in lognormal(rng, mean, sd, SAMPLES_PER_CATEGORY)]
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]


def write_by_category_csv(path: Path) -> Path:
    rows = _reviews(CSV_SEED, 1.0, 1)
    zeros = {(k + 1) * len(rows) // (ZERO_ROWS + 1) for k in range(ZERO_ROWS)}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_id", "reviewed_at", "reviewer", "category", "handle_time_s"])
        when = START
        for i, (category, seconds) in enumerate(rows):
            if i in zeros:
                writer.writerow([f"R{900000 + i}-0", when.isoformat(sep=" "), f"rv{i % 37:02d}", "spam", 0])
            when += timedelta(seconds=7 + i % 13)
            writer.writerow([f"R{900000 + i}", when.isoformat(sep=" "), f"rv{i % 37:02d}", category, seconds])
    return path


def write_workbook(path: Path) -> Path:
    rows = _reviews(XLSX_SEED, 60.0, 3)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": START})  # the same bytes on every run
    notes = workbook.add_worksheet("Read me")
    notes.write(0, 0, "Handle times exported from the review tool, in minutes.")
    sheet = workbook.add_worksheet("Samples")
    sheet.write_row(0, 0, ["Category", "Handle time (min)"])
    for r, (category, minutes) in enumerate(rows, start=1):
        sheet.write_string(r, 0, category)
        sheet.write_number(r, 1, minutes)
    workbook.close()
    return path


def write_gamma_csv(path: Path) -> Path:
    rng = np.random.default_rng(GAMMA_SEED)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["handle_time_s"])
        for v in gamma(rng, GAMMA_MEAN_S, GAMMA_SD_S, SAMPLES_PER_CATEGORY):
            writer.writerow([round(float(v), 1)])
    return path


def write(directory: Path) -> list[Path]:
    """Write the three handle-time files into ``directory``; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [write_by_category_csv(directory / "handle_times_by_category.csv"),
            write_workbook(directory / "handle_times.xlsx"),
            write_gamma_csv(directory / "handle_times_gamma.csv")]


if __name__ == "__main__":
    for written in write(Path(__file__).resolve().parents[1] / "data"):
        print(written)
