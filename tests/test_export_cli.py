"""``main.py compare`` end to end on the small triage workflow: run, store, export, reuse, and refuse bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from export_fixtures import SHORT_STAFFED, export_workflow
from pypdf import PdfReader

from flowmodel.documents import save_document
from flowmodel.workspace import Workspace
from main import main

REPO = Path(__file__).resolve().parent.parent
SHORT = ["--horizon", "1d", "--warmup", "2h", "--replications", "2", "--seed", "3", "--jobs", "1"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "triage.flowdb"
    save_document([export_workflow()], path)
    return path


def _runs(path: Path) -> list[dict]:
    with Workspace.open(path) as workspace:
        return workspace.list_runs(workspace.list_workflows()[0][0])


def test_compare_runs_stores_and_exports_every_format(workspace, tmp_path, capsys):
    outs = [tmp_path / name for name in ("c.xlsx", "c.csv", "c.zip", "c.json")]
    argv = ["compare", str(workspace), "--scenarios", f"{SHORT_STAFFED}, Baseline", *SHORT]
    assert main(argv + [arg for out in outs for arg in ("--out", str(out))]) == 0
    captured = capsys.readouterr()
    runs = _runs(workspace)
    assert len(runs) == 1 and runs[0]["settings"]["replications"] == 2
    assert f"Stored as run {runs[0]['id']}" in captured.out
    assert all(f"Wrote {out}" in captured.out for out in outs)
    assert "Simulating" in captured.err and "100%" in captured.err
    data = json.loads(outs[3].read_text(encoding="utf-8"))
    assert data["run_id"] == runs[0]["id"] and [s["name"] for s in data["scenarios"]] == ["Baseline", SHORT_STAFFED]
    rows = list(csv.reader(io.StringIO(outs[1].read_text(encoding="utf-8-sig"))))
    with Workspace.open(workspace) as ws:
        assert len(rows) - 1 == len(ws.run_metrics(runs[0]["id"]))
    assert openpyxl.load_workbook(outs[0]).sheetnames[:4] == ["Summary", "Charts", "1. Baseline",
                                                             f"2. {SHORT_STAFFED}"]


def test_compare_reuses_a_stored_run_for_a_pdf(workspace, tmp_path, capsys, qapp):
    assert main(["compare", str(workspace), "--scenarios", SHORT_STAFFED, *SHORT, "--out",
                 str(tmp_path / "first.json")]) == 0
    run_id = _runs(workspace)[0]["id"]
    capsys.readouterr()
    report = tmp_path / "report.pdf"
    assert main(["compare", str(workspace), "--workflow", "Tiny triage", "--run", run_id, "--out", str(report)]) == 0
    assert len(_runs(workspace)) == 1  # nothing new was run or stored
    text = " ".join(page.extract_text() for page in PdfReader(report).pages)
    assert SHORT_STAFFED in text and run_id in text
    assert "Simulating" not in capsys.readouterr().err


@pytest.mark.parametrize(("extra", "message"), [
    (["--scenarios", "Nope,Short-staffed,Gone", "--out", "x.xlsx"],
     "unknown scenario(s) 'Nope', 'Gone' in workflow 'Tiny triage'"),
    (["--out", "x.docx"], "cannot export as .docx"),
    (["--run", "missing", "--out", "x.csv"], "has no stored run 'missing'"),
    (["--run", "missing", "--horizon", "2d", "--out", "x.csv"], "--horizon cannot apply to a stored run"),
    (["--workflow", "Other", "--out", "x.csv"], "no workflow 'Other' in this workspace"),
    (["--replications", "0", "--out", "x.csv"], "at least one replication is needed"),
])
def test_bad_input_exits_2_with_a_clear_message_and_runs_nothing(workspace, tmp_path, capsys, extra, message):
    outs = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    assert main(["compare", str(workspace), *outs]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert "its scenarios: 'Short-staffed'" in err if "unknown scenario" in message else True
    assert _runs(workspace) == [] and not list(tmp_path.glob("x.*"))


def test_an_unreadable_workspace_and_an_out_over_a_folder(tmp_path, workspace, capsys):
    broken = tmp_path / "broken.flowdb"
    broken.write_bytes(b"not a database at all")
    assert main(["compare", str(broken), "--out", str(tmp_path / "x.csv")]) == 2
    assert "not a Flowmodel workspace" in capsys.readouterr().err
    (tmp_path / "report.pdf").mkdir()
    assert main(["compare", str(workspace), "--out", str(tmp_path / "report.pdf")]) == 2
    assert "a folder has this name" in capsys.readouterr().err and _runs(workspace) == []


def test_the_command_line_entry_point(workspace, tmp_path):
    out = tmp_path / "figures.csv"
    done = subprocess.run([sys.executable, "main.py", "compare", str(workspace), "--scenarios", SHORT_STAFFED,
                           *SHORT, "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8-sig").startswith("run,scenario,replication,metric,scope,value")
