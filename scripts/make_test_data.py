"""Regenerate the import test files of ``tests/data/`` from the stated parameters of ``tests/data_gen/``.

Usage: ``python scripts/make_test_data.py [DIRECTORY]`` (default ``tests/data``). Every generator is seeded, so the
files come out the same byte for byte; ``tests/test_test_data.py`` checks that the committed files are exactly what
this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.data_gen import backlog, backtest, handle_times, rosters, volumes  # noqa: E402

GENERATORS = (volumes, handle_times, rosters, backlog, backtest)


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else ROOT / "tests" / "data"
    directory.mkdir(parents=True, exist_ok=True)
    for generator in GENERATORS:
        for path in generator.write(directory):
            print(f"wrote {path.relative_to(directory.parent) if path.is_relative_to(directory.parent) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
