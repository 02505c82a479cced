"""``simulate`` and ``compare`` on a decision-quality model: the quality block is printed (the same numbers as the
run in-process), the JSON output carries the quality aggregates and deltas, a stored run compared again prints it
too, the exports carry it; a model without quality prints none of it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from cli.quality_summary import quality_block
from flowmodel.documents import save_document
from flowmodel.workflow import Workflow
from main import main
from reports.quality import cell_text, change_text, figure_of, quality_figures
from tests.conftest import make_triage_workflow
from tests.quality_fixtures import V2, V2_ID, quality_run, quality_workflow

SETTINGS = ["--horizon", "24h", "--warmup", "2h", "--replications", "3", "--seed", "5", "--interval", "60m",
            "--jobs", "1"]


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> tuple[Path, Workflow, str]:
    """The quality model saved, the object itself and the block of its run in-process (the ids seed the random
    streams, so the command runs the same numbers)."""
    workflow = quality_workflow()
    path = tmp_path_factory.mktemp("cli") / "quality.flow.json"
    save_document([workflow], path)
    return path, workflow, quality_block(quality_run(workflow))


def test_simulate_prints_the_quality_block(model, capsys):
    path, workflow, block = model
    assert main(["simulate", str(path), "--scenario", V2, *SETTINGS]) == 0
    out = capsys.readouterr().out
    assert block and block in out
    figures = quality_figures(quality_run(workflow))
    wrongful = figure_of(figures, "quality", "quality", "wrongful_removals_count")
    row = next(line for line in out.splitlines() if line.startswith("  Wrongful removals "))
    for summary in wrongful.summaries:
        assert f" {cell_text(summary, wrongful.unit)} " in row
    assert row.endswith(change_text(wrongful.deltas[1], wrongful.unit) + (" *" if wrongful.deltas[1].clear else ""))
    body = out[out.index(block.splitlines()[1]):].splitlines()  # the intro, the header, the rule, then the rows
    assert body[1].split() == ["Figure", "Baseline", "Classifier", "v2", "Δ", "Classifier", "v2"]
    groups = [line for line in body[3:] if line and not line.startswith(" ")]
    assert groups == ["All categories", "Category spam", "Category hate", "Stage Review", "Stage Appeal review"]


def test_the_json_output_carries_the_quality_aggregates_and_deltas(model, tmp_path, capsys):
    path, _, _ = model
    out = tmp_path / "results.json"
    assert main(["simulate", str(path), "--scenario", V2, *SETTINGS, "--out", str(out)]) == 0
    capsys.readouterr()
    data = json.loads(out.read_text(encoding="utf-8"))
    kinds = {a["scope_kind"] for a in data["aggregates"]}
    assert {"quality", "decision"} <= kinds
    spam = next(a for a in data["aggregates"] if a["scope_id"] == "quality:spam" and a["scenario_id"] == V2_ID
                and a["metric"] == "wrongful_removals_count")
    assert spam["n"] == 3 and spam["mean"] > 0
    assert any(d["scope_kind"] == "decision" and d["scope_name"] == "Review" and d["metric"] == "qa_reviews_count"
               for d in data["deltas"])


def test_compare_a_stored_run_prints_the_block_and_exports_the_sheet(model, tmp_path, capsys):
    _, workflow, block = model
    workspace = tmp_path / "quality.flowdb"
    save_document([workflow], workspace)
    assert main(["simulate", str(workspace), "--scenario", V2, *SETTINGS]) == 0
    run_id = capsys.readouterr().out.split("Stored as run ")[1].split()[0]
    xlsx = tmp_path / "quality.xlsx"
    assert main(["compare", str(workspace), "--run", run_id, "--out", str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert block.lstrip("\n") in out  # read back from the workspace: the same figures
    assert out.index("Decision quality:") < out.index(f"Wrote {xlsx}")
    sheet = openpyxl.load_workbook(xlsx)["Decision quality"]
    rows = {(row[1], row[2]): row for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]}
    assert rows[("All categories", "Wrongful removals")][13] in ("clear", "not clear")


def test_a_model_without_quality_prints_no_block(tmp_path, capsys):
    path = tmp_path / "triage.flow.json"
    save_document([make_triage_workflow()], path)
    assert main(["simulate", str(path), "--horizon", "6h", "--warmup", "1h", "--replications", "2", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Decision quality" not in out and "Wrongful removals" not in out
