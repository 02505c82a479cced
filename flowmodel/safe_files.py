"""Reading the planner's files without trusting what the name promises.

Rules:
- Only a regular file is read (a symlink is followed to what it names). A named pipe would block the read
  forever, a device (``/dev/zero``, ``/dev/urandom``) never ends and ``/dev/null`` is always empty: each is
  refused with :class:`LoadError` saying what the path is, before anything is read.
- The file is opened non-blocking and checked again through the open descriptor, so a path swapped for a
  pipe between the check and the open is still refused, and a read never waits on a writer.
- A document is read whole only up to :data:`~flowmodel.limits.MAX_DOCUMENT_BYTES`; a longer one is refused
  rather than taking the machine's memory.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from flowmodel.errors import LoadError
from flowmodel.limits import MAX_DOCUMENT_BYTES

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def what_it_is(mode: int) -> str:
    """A planner's word for a file that is not a regular file (``"a named pipe (FIFO)"``)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse(path: Path, mode: int) -> LoadError:
    return LoadError(f"this is {what_it_is(mode)}, not a Flowmodel file", where=str(path),
                     hint="choose a .flow.json workflow or a .flowdb workspace saved by Flowmodel")


def check_regular_file(path: Path) -> os.stat_result:
    """The file's status when ``path`` names a regular file; :class:`LoadError` otherwise."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise LoadError("no such file", where=str(path), hint="check the path") from None
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror or error}", where=str(path),
                        hint="check that the file exists and that you may read it") from None
    if not stat.S_ISREG(status.st_mode):
        raise _refuse(path, status.st_mode)
    return status


@contextlib.contextmanager
def open_regular(path: Path) -> Iterator[int]:
    """A read-only descriptor of the regular file at ``path`` (see the module rules); closed on exit."""
    check_regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror or error}", where=str(path),
                        hint="check that the file exists and that you may read it") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _refuse(path, mode)
        yield fd
    finally:
        os.close(fd)


def read_document_bytes(path: str | os.PathLike[str], limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The whole content of the regular file at ``path``, at most ``limit`` bytes."""
    path = Path(path)
    with open_regular(path) as fd:
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            except OSError as error:
                raise LoadError(f"cannot read the file: {error.strerror or error}", where=str(path),
                                hint="check that the file is not damaged and that you may read it") from None
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise LoadError(f"the file is larger than {limit // 1024**2} MB, too large to be a Flowmodel "
                                "document", where=str(path), hint="check that this is the file you meant to open")


def read_header_bytes(path: Path, count: int) -> bytes:
    """The first ``count`` bytes of the regular file at ``path`` (fewer when it is shorter)."""
    with open_regular(path) as fd:
        try:
            return os.read(fd, count)
        except OSError as error:
            raise LoadError(f"cannot read the file: {error.strerror or error}", where=str(path),
                            hint="check that the file is not damaged and that you may read it") from None
