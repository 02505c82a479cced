"""Class 7: Ctrl+C at any moment of ``simulate`` — start-up included — is one line and exit code 130.

The interrupt goes to the child's whole process group, as a terminal's Ctrl+C does, at moments spread over
start-up (imports, argument parsing, loading), the worker processes' start-up (they import ``main.py`` too)
and the run itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_helpers import MAIN, ROOT

EXAMPLE = ROOT / "examples" / "user_report_triage.flow.json"


def interrupt_after(delay: float, *args: str) -> tuple[int, str]:
    child = subprocess.Popen([sys.executable, str(MAIN), *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    time.sleep(delay)
    os.killpg(child.pid, signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    return child.returncode, stderr


@pytest.mark.parametrize("delay", [0.15, 0.3, 0.5, 0.8, 1.2, 2.0, 3.0, 4.5])
def test_ctrl_c_during_start_up_is_one_line(delay: float, tmp_path: Path) -> None:
    code, stderr = interrupt_after(delay, "simulate", str(EXAMPLE), "--replications", "4", "--jobs", "2",
                                   "--horizon", "60d", "--out", str(tmp_path / "results.json"))
    if code == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert code == 130, stderr
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith("error:")] == \
        ["error: cancelled; nothing was stored or written"]
    assert not (tmp_path / "results.json").exists()
