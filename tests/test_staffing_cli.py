"""``main.py staff`` end to end on small models: the table, --out JSON and CSV, exit codes 0 / 1 / 2."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from flowmodel import Distribution, SlaTarget
from flowmodel.documents import save_document
from main import main
from tests.test_staffing_analytic import single_stage

SHORT = ["--horizon", "3d", "--warmup", "2h", "--replications", "8", "--seed", "3", "--jobs", "2",
         "--days", "all-week", "--time-budget", "3600"]


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "single.flow.json"
    save_document([single_stage()], path)
    return path


def test_staff_prints_the_table_and_writes_json_and_csv(model_file, tmp_path, capsys) -> None:
    out = tmp_path / "plan.json"
    assert main(["staff", str(model_file), *SHORT, "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "every target met" in printed.out
    row = next(line for line in printed.out.splitlines() if line.startswith("Reviewers"))
    assert row.split()[:7] == ["Reviewers", "all", "day", "Mon–Sun", "10", "14", "+4"]
    assert "met     sla Review · P2: 85% within 6 min" in printed.out
    assert "Staffing: screen: simulating 1 roster(s)" in printed.err
    assert "People per team" in printed.out and "58.8" in printed.out  # 14 heads × 24 h × 7 days ÷ 40 h
    assert "roster(s) simulated (1 screen, 1 trim, 1 confirm)" in printed.out
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert plan["status"] == "met" and plan["scenario"]["name"] == "Baseline"
    assert [(r["current"], r["recommended"], r["delta"]) for r in plan["rows"]] == [([10] * 7, 14, 4)]
    assert plan["targets"][0]["ci_low"] >= 0.85 and plan["settings"]["replications"] == 8

    table = tmp_path / "plan.csv"
    assert main(["staff", str(model_file), *SHORT, "--out", str(table)]) == 0
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [(r["team"], r["days"], r["recommended"], r["delta"]) for r in rows] == [("Reviewers", "Mon–Sun", "14", "4")]

    book = tmp_path / "plan.xlsx"
    assert main(["staff", str(model_file), *SHORT, "--out", str(book)]) == 0
    sheets = openpyxl.load_workbook(book, read_only=True)
    staffing = list(sheets["Staffing"].iter_rows(values_only=True))
    assert staffing[0][:6] == ("team", "shift", "days", "current", "recommended", "delta")
    assert staffing[1][:6] == ("Reviewers", "all day", "Mon–Sun", "10 10 10 10 10 10 10", 14, 4)
    columns = staffing[0]
    assert staffing[1][columns.index("fte_recommended")] == 58.8 and staffing[1][columns.index("contract_hours")] == 40
    teams = list(sheets["Teams"].iter_rows(values_only=True))
    assert teams[1][0] == "Reviewers" and teams[1][teams[0].index("fte_current")] == 42.0  # 10 × 24 × 7 ÷ 40
    targets = list(sheets["Targets"].iter_rows(values_only=True))
    assert targets[1][targets[0].index("met")] is True and targets[1][targets[0].index("confidence")] == 0.95
    assert targets[1][targets[0].index("replications")] >= 2
    simulated = dict(sheets["Simulated"].iter_rows(values_only=True))
    # two screening replications, one paired trim replication, at least two confirming
    assert simulated["rosters simulated"] == 3 and simulated["replications run"] >= 5
    minimality = list(sheets["Minimality"].iter_rows(values_only=True))
    assert minimality[1][:3] == ("Reviewers · all day · Mon–Sun", 13, False)
    assert minimality[1][4] == "screening length" and "Review · P2" in minimality[1][3]


def test_staff_exits_1_on_an_infeasible_target_and_still_gives_a_staffing_table(tmp_path, capsys) -> None:
    workflow = single_stage(handle=Distribution.fixed(3, "min"), sla=[SlaTarget("P2", 2, "min", 0.95)])
    path = tmp_path / "infeasible.flow.json"
    save_document([workflow], path)
    out = tmp_path / "plan.json"
    assert main(["staff", str(path), *SHORT, "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "infeasible  Review · P2: the target (95% within 2 min) is below the handle time" in printed.out
    assert "Staffing:" not in printed.err  # no target left to simulate
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert plan["status"] == "infeasible" and plan["infeasible"][0]["priority"] == "P2"
    assert [r["recommended"] for r in plan["rows"]] == [r["pooled_guess"] for r in plan["rows"]] and plan["rows"]


@pytest.mark.parametrize("arguments", [
    ["staff", "missing.flow.json"],
    ["staff", "{model}", "--out", "{tmp}/plan.xlsx.txt"],
    ["staff", "{model}", "--replications", "1"],
    ["staff", "{model}", "--scenario", "No such scenario"],
    ["staff", "{model}", "--launch-days", "-3"],
])
def test_staff_exits_2_on_unreadable_input_or_bad_arguments(arguments, model_file, tmp_path, capsys) -> None:
    argv = [a.replace("{model}", str(model_file)).replace("{tmp}", str(tmp_path)) for a in arguments]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err
    assert not (tmp_path / "plan.xlsx.txt").exists()


def test_staff_exits_2_on_a_corrupt_file(tmp_path, capsys) -> None:
    path = tmp_path / "broken.flow.json"
    path.write_text("{ not json", encoding="utf-8")
    assert main(["staff", str(path)]) == 2
    assert "broken.flow.json" in capsys.readouterr().err
