"""Writing an export: all at once or not at all.

Rules: the content is built in memory first, then written to a temporary file in the target's folder and
renamed over the target (:func:`flowmodel.jsonfile.write_atomically`), so a failed export leaves the previous
file untouched and no temporary file behind. A target that is a folder, or a folder that does not exist, is
refused with a :class:`SaveError` that names the path before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from flowmodel.errors import SaveError
from flowmodel.jsonfile import write_atomically


def check_target(path: str | os.PathLike[str]) -> Path:
    """``path`` if an export can be written there; a :class:`SaveError` that says why not otherwise."""
    path = Path(path)
    if path.is_dir():
        raise SaveError("a folder has this name, so the export cannot replace it", where=str(path),
                        hint="choose a file name, e.g. report.pdf")
    if not path.parent.is_dir():
        raise SaveError("the folder does not exist", where=str(path.parent), hint="create it or choose another one")
    if not os.access(path.parent, os.W_OK):
        raise SaveError("the folder is not writable", where=str(path.parent),
                        hint="choose a folder you may write to")
    return path


def write_file(path: str | os.PathLike[str], content: bytes) -> Path:
    """Replace ``path`` by ``content`` atomically (see the module rules) and return the path."""
    path = check_target(path)
    write_atomically(path, content)
    return path
