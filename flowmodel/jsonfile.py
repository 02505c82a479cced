"""One workflow as a readable JSON file (suffix ``.flow.json``), for sharing and for review in git.

Rules:
- The file is :func:`flowmodel.serialization.workflow_to_dict` as UTF-8 JSON, indented, keys in the
  dataclasses' field order, ending in a newline — so the same workflow always gives the same bytes and
  a change shows up as a small diff. NaN and infinity are refused (they are not JSON).
- Reading never raises anything but :class:`LoadError`; its message names the file and the place in it
  (line and column for broken JSON, the field path for wrong content) and says what to do.
- Writing is atomic: the new content goes to a temporary file in the same folder, is flushed and
  fsync'ed, then ``os.replace``'d over the target. On any failure the temporary file is removed, the
  previous file is untouched and :class:`SaveError` names the path.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

from flowmodel.errors import LoadError, SaveError
from flowmodel.safe_files import read_document_bytes
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from flowmodel.workflow import Workflow

JSON_SUFFIX = ".flow.json"


def dumps_workflow(workflow: Workflow) -> str:
    """The file content for ``workflow``: indented, stable JSON text; raises ``ValueError``/``TypeError`` for
    values JSON cannot hold."""
    return json.dumps(workflow_to_dict(workflow), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def parse_json_text(text: str, where: str) -> Any:
    """Parse JSON ``text``; a syntax error becomes a :class:`LoadError` at ``where``, line and column."""
    if not text.strip():
        raise LoadError("the document is empty", where=where,
                        hint="restore it from a backup or export the workflow again")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadError(f"broken JSON: {error.msg}", where=f"{where}, line {error.lineno} column {error.colno}",
                        hint="the file may be truncated or hand-edited; fix it there or restore a backup") from None
    except RecursionError:
        raise LoadError("the JSON is nested too deeply to be a workflow", where=where) from None
    except ValueError:  # an integer of thousands of digits: Python refuses to convert it at all
        raise LoadError(f"the document holds a number of more than {sys.get_int_max_str_digits():,} digits",
                        where=where, hint="correct the number: it is a typo or a damaged value") from None


def read_workflow_json(path: str | os.PathLike[str]) -> Workflow:
    """The workflow stored in the JSON file at ``path``."""
    path = Path(path)
    raw = read_document_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise LoadError(f"the file is not UTF-8 text (byte {error.start} is invalid)",
                        where=f"{path}, line {line} column {column}",
                        hint="the file may be damaged or not a Flowmodel workflow; restore a backup") from None
    data = parse_json_text(text, str(path))
    try:
        return workflow_from_dict(data)
    except LoadError as error:
        where = f"{path} › {error.where}" if error.where else str(path)
        raise LoadError(error.message, where=where,
                        hint=error.hint or "fix that field in the file, or export the workflow again") from None


def write_workflow_json(workflow: Workflow, path: str | os.PathLike[str]) -> None:
    """Write ``workflow`` to ``path`` atomically (see the module rules)."""
    path = Path(path)
    try:
        content = dumps_workflow(workflow).encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError) as error:
        raise SaveError(f"the workflow holds a value that cannot be written as JSON ({error})", where=str(path),
                        hint="check numbers that are not finite and text pasted from elsewhere") from None
    write_atomically(path, content)


def write_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` by ``content`` all at once, or leave it as it was and raise :class:`SaveError`."""
    temp_name = ""
    try:
        fd, temp_name = open_temp_beside(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        if temp_name:
            with contextlib.suppress(OSError):
                os.remove(temp_name)
        raise SaveError(f"could not save: {error.strerror or error}", where=str(path),
                        hint="check the folder exists, is writable and the disk is not full; "
                             "the previous file is unchanged") from None
    sync_folder(path.parent)


def open_temp_beside(path: Path) -> tuple[int, str]:
    """A new empty file next to ``path`` (same folder, so ``os.replace`` is atomic) and its name.

    It gets the target's permissions, or for a new document the usual ones (the umask applies),
    not the owner-only permissions of ``mkstemp``. Its name carries this process's id, so that the temporary
    files of a save that was killed can be told from those of a save still under way (see
    :func:`remove_stale_temps`), which runs first.
    """
    remove_stale_temps(path)
    name = str(path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}{TEMP_SUFFIX}")
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with contextlib.suppress(OSError):
        os.chmod(name, path.stat().st_mode & 0o777)
    return fd, name


TEMP_SUFFIX = ".tmp"
#: A temporary file whose name carries no process id (written before they did) is stale after this long.
UNOWNED_TEMP_AGE_S = 3600.0


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files (and their SQLite ``-journal``) that killed saves of ``path`` left behind.

    A temporary file belongs to a save of ``path`` by its name; it is stale when the process named in it no
    longer runs, or, for an older name without a process id, when it is over an hour old. Never touches the
    document itself or its own journal. Returns what was removed.
    """
    removed: list[Path] = []
    prefix = f".{path.name}."
    try:
        candidates = [p for p in path.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return removed
    for temp in candidates:
        if not _is_stale(temp, temp.name[len(prefix):-len(TEMP_SUFFIX)]):
            continue
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
    return removed


def _is_stale(temp: Path, tag: str) -> bool:
    owner, _, _ = tag.partition("-")
    if owner.isdigit() and "-" in tag:
        return not _process_runs(int(owner))
    try:
        return time.time() - temp.stat().st_mtime > UNOWNED_TEMP_AGE_S
    except OSError:
        return False


def _process_runs(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself survives a power cut (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
