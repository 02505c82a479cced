"""The committed files of tests/data are exactly what scripts/make_test_data.py writes from the stated parameters
of tests/data_gen (so a test's "known truth" is the truth of the file it reads)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_script_regenerates_the_committed_files(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_test_data.py"), str(tmp_path)], check=True,
                   capture_output=True, text=True, timeout=300)
    written = sorted(p.name for p in tmp_path.iterdir())
    committed = ROOT / "tests" / "data"
    assert written and set(written) <= {p.name for p in committed.iterdir()}
    different = [name for name in written if (tmp_path / name).read_bytes() != (committed / name).read_bytes()]
    assert not different, f"regenerate tests/data with scripts/make_test_data.py: {different} differ"
