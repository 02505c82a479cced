"""Ctrl+C gives one line and exit code 130 at every moment of a command, start-up included.

Rules:
- From the moment ``main.py`` runs until a command starts its work (imports, argument parsing), an interrupt
  ends the process at once with the line below: nothing has been read or written yet, so there is nothing to
  clean up, and a ``KeyboardInterrupt`` raised inside some library's import would print a traceback.
- Worker processes (spawned, so they import ``main.py`` as ``__mp_main__``) ignore interrupts from the
  start: the main process cancels the run and stops them, and says so once.
- Once the command runs, interrupts raise ``KeyboardInterrupt`` again; each command catches it, removes what
  it half-wrote and prints its own line of the same shape (``error: cancelled; …``).
- This module imports nothing but ``os`` (loaded with the interpreter) and the built-in ``_signal`` (the
  ``signal`` module would first import ``enum`` and friends, long enough to be interrupted), so it is in
  force within a millisecond of start; for the same reason neither it nor ``main.py`` imports ``__future__``.
"""

import _signal
import os

EXIT_INTERRUPTED = 130
MESSAGE = "cancelled; nothing was stored or written"


def exit_at_once_on_interrupt() -> None:
    """Start-up: an interrupt prints :data:`MESSAGE` and exits 130 immediately."""
    _signal.signal(_signal.SIGINT, _exit_now)


def ignore_interrupts() -> None:
    """A worker process (spawned, so it imports ``main.py`` again): Ctrl+C reaches the whole process group, and
    the main process cancels the run and stops the workers; a worker must not print a line of its own."""
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def raise_on_interrupt() -> None:
    """Work: an interrupt raises ``KeyboardInterrupt`` for the command to clean up after."""
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)


def _exit_now(signum: int, frame: object) -> None:
    os.write(2, f"error: {MESSAGE}\n".encode())
    os._exit(EXIT_INTERRUPTED)
