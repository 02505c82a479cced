"""The replace lock of a workspace: Save As never swaps the file while another connection is using it.

Why: SQLite finds a transaction's rollback journal by name (``<file>-journal``). After a Save As renamed a
new file over a workspace, a connection still open on the old file would take the new file's live journal
for a hot journal of its own: it would play it back into the old file and delete it, and the writer of the
new file would fail with "disk I/O error" (or lose its crash safety). SQLite's own locks cannot prevent that,
because they belong to the file, and the old and new files are different files.

Rules:
- Beside every workspace that has been opened lies a lock file, ``.<name>.lock`` (empty, hidden, left in
  place: removing a lock file while another process waits on it would break the lock), locked with ``flock``.
  It is found from the workspace's real path, so a symlink or a relative path shares the lock.
- Every use of a workspace (opening it, each read, each write transaction) holds it *shared* and, holding it,
  checks that the file at the path is still the one its connection has open (and reopens it if not).
- A Save As holds it *exclusive* from before it takes the old file's write lock until after the rename. So no
  connection is ever used on a replaced file, and the rename never happens under a running transaction.
- Lock order is always this lock first, SQLite's second, so the two cannot deadlock.
- Within one thread the lock is re-entrant: a Save As that copies runs from the workspace it replaces
  already holds it exclusive, and its reads go ahead.
- Waiting is bounded (:data:`flowmodel.workspace.BUSY_TIMEOUT_S`, passed in); past it the operation fails
  with the usual "in use by another program" error. Where ``flock`` does not exist (Windows) the lock is a
  no-op, and the rename relies on the operating system refusing to replace an open file.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

_held = threading.local()


class LockTimeout(OSError):
    """Another program kept the workspace busy past the timeout."""


def lock_path(workspace_path: Path) -> Path:
    real = Path(os.path.realpath(workspace_path))
    return real.with_name(f".{real.name}.lock")


def _holding() -> dict[str, int]:
    if not hasattr(_held, "locks"):
        _held.locks = {}
    return _held.locks


@contextlib.contextmanager
def replace_lock(workspace_path: Path, *, exclusive: bool, timeout_s: float) -> Iterator[None]:
    """Hold the workspace's replace lock (see the module rules) for the block."""
    key = str(lock_path(workspace_path))
    held = _holding()
    if fcntl is None or key in held:
        yield
        return
    try:
        fd = os.open(key, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # a read-only folder: nobody can Save As there either
        yield
        return
    try:
        _acquire(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, timeout_s)
        held[key] = fd
        try:
            yield
        finally:
            del held[key]
    finally:
        os.close(fd)


def _acquire(fd: int, mode: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    delay = 0.001
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout("the workspace is in use by another program") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
