"""Class 3: special files under a document's name are refused at once, with one line saying what they are.

A FIFO would block the read forever, /dev/zero and /dev/urandom never end, /dev/null is always empty; each
is refused before anything is read, through the real command line and the API, within seconds and without
growing memory. A regular file past the size cap is refused too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile_helpers import one_error_line, run_cli

from flowmodel.documents import load_workflows
from flowmodel.errors import LoadError
from flowmodel.safe_files import read_document_bytes
from flowmodel.workspace import Workspace

SPECIALS = [("fifo", "a named pipe"), ("/dev/zero", "a device"), ("/dev/urandom", "a device"),
            ("/dev/null", "a device"), ("folder", "a folder")]


def make_special(tmp_path: Path, what: str, name: str) -> Path:
    path = tmp_path / name
    if what == "fifo":
        os.mkfifo(path)
    elif what == "folder":
        path.mkdir()
    else:
        path.symlink_to(what)
    return path


@pytest.mark.parametrize("suffix", [".flow.json", ".flowdb"])
@pytest.mark.parametrize(("what", "called"), SPECIALS)
def test_the_api_refuses_special_files(tmp_path: Path, what: str, called: str, suffix: str) -> None:
    path = make_special(tmp_path, what, f"model{suffix}")
    with pytest.raises(LoadError) as caught:
        load_workflows(path)
    assert called in caught.value.message
    assert caught.value.where == str(path)
    if suffix == ".flowdb":
        with pytest.raises(LoadError, match=called):
            Workspace.open(path)


@pytest.mark.parametrize(("what", "name"), [("fifo", "a.flow.json"), ("/dev/zero", "z.flow.json"),
                                            ("/dev/urandom", "u.flow.json"), ("fifo", "w.flowdb"),
                                            ("/dev/null", "n.flowdb")])
def test_the_command_line_refuses_special_files_at_once(tmp_path: Path, what: str, name: str) -> None:
    path = make_special(tmp_path, what, name)
    for command in ("validate", "simulate"):
        outcome = run_cli(command, path, timeout=30)
        assert outcome.code == 2
        assert not outcome.has_traceback
        line = one_error_line(outcome)
        assert str(path) in line and ("named pipe" in line or "device" in line)
        assert outcome.peak_rss_bytes < 400 * 1024**2, "a refused file must not be read into memory"


def test_a_document_past_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.flow.json"
    path.write_bytes(b" " * 5000)
    with pytest.raises(LoadError, match="larger than"):
        read_document_bytes(path, limit=4096)
    assert read_document_bytes(path, limit=5000) == b" " * 5000


def test_a_symlink_to_a_real_workflow_still_opens(tmp_path: Path, triage) -> None:
    from flowmodel.jsonfile import write_workflow_json

    real = tmp_path / "real.flow.json"
    write_workflow_json(triage, real)
    link = tmp_path / "link.flow.json"
    link.symlink_to(real)
    assert [w.name for w in load_workflows(link)] == [triage.name]
