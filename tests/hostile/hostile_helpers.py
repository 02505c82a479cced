"""Run Flowmodel's real command line in a child process, as a hostile user would, and measure it.

Each call returns the exit code, stdout, stderr, the wall time and the child's peak resident memory
(from ``wait4``'s resource usage, so it is the child's own figure, not the test process's).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_bytes: int

    @property
    def has_traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr or "Traceback" in self.stdout


def run_cli(*args: str | os.PathLike[str], timeout: float = 60.0, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Outcome:
    """Run ``python main.py ARGS`` and wait for it (killed after ``timeout`` seconds, which fails the test)."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    start = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, str(MAIN), *map(str, args)], stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err, text=True, cwd=cwd or ROOT, env=environment)
        code, peak_kib = _wait(child, timeout, args)
        out.seek(0)
        err.seek(0)
        return Outcome(code, out.read(), err.read(), time.monotonic() - start, peak_kib * 1024)


def _wait(child: subprocess.Popen, timeout: float, args: tuple) -> tuple[int, int]:
    """Reap ``child`` with ``wait4`` (its own peak RSS in KiB comes with it); kill it past ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage.ru_maxrss
        if time.monotonic() > deadline:
            child.kill()
            os.wait4(child.pid, 0)
            child.returncode = -9
            raise AssertionError(f"flowmodel {' '.join(map(str, args))} did not finish within {timeout} s")
        time.sleep(0.02)


def one_error_line(outcome: Outcome) -> str:
    """The error line of a failed command (the line starting with 'error:'), checking there is exactly one."""
    lines = [line for line in outcome.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, f"expected one error line, got:\n{outcome.stderr}"
    return lines[0]
