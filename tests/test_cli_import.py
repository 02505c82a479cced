"""``import`` and ``export``: the planner's files into a workflow from the command line. Each import prints its
preview and writes the target, a dry run writes nothing (the same bytes), a bad file or a change that would break
the workflow writes nothing and says why, a roster exported and imported again leaves the workflow as it was, and a
workspace is written in place."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from flowmodel import Distribution, Source
from flowmodel.documents import load_workflows, save_document
from flowmodel.imports.rosters import read_roster
from flowmodel.workspace import Workspace
from main import main
from tests.conftest import make_triage_workflow
from tests.data_gen.backlog import FILE as BACKLOG_FILE
from tests.data_gen.backlog import MAX_AGE_H, NOW_UTC, STAGE_COUNTS
from tests.data_gen.volumes import BASE_PER_HOUR, TRUE_WEEKLY_PROFILE, ZONE

DATA = Path(__file__).parent / "data"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A triage workflow whose source is in the history's zone."""
    workflow = make_triage_workflow()
    for node in workflow.nodes.values():
        if isinstance(node, Source):
            node.timezone = ZONE
    path = tmp_path / "triage.flow.json"
    save_document([workflow], path)
    return path


def _only(path: Path):
    (workflow,) = load_workflows(path)
    return workflow


def _source(workflow) -> Source:
    return next(n for n in workflow.nodes.values() if isinstance(n, Source))


def test_volumes_set_the_rate_and_the_local_weekly_profile(target, capsys):
    name = _source(_only(target)).name
    assert main(["import", "volumes", str(DATA / "volumes_hourly.csv"), str(target), "--source", name]) == 0
    out = capsys.readouterr().out
    assert "MAPE" in out and "hold-out week" in out and "Left out: 2026-03-11" in out
    source = _source(_only(target))
    assert source.rate_per_hour == pytest.approx(BASE_PER_HOUR, rel=0.05)
    assert source.profile.kind == "weekly" and len(source.profile.multipliers) == 168
    errors = [abs(m - t) / t for m, t in zip(source.profile.multipliers, TRUE_WEEKLY_PROFILE, strict=True)]
    assert max(errors) < 0.15  # 8 weeks of Poisson counts at ~120/h; the forecast module states the fit's tolerance
    words = source.provenance  # the model says where its numbers came from
    assert words.startswith("rate and weekly profile from volumes_hourly.csv, 16 Feb 2026 – ")
    assert "MAPE " in words and "left out 2026-03-11" in words and "/" not in words.split(",")[0]


def test_a_dry_run_writes_nothing(target, capsys):
    before = target.read_bytes()
    name = _source(_only(target)).name
    assert main(["import", "volumes", str(DATA / "volumes_hourly.csv"), str(target), "--source", name, "--mix",
                 "--dry-run"]) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert target.read_bytes() == before


def test_a_messy_file_names_row_and_column_and_writes_nothing(target, capsys):
    before = target.read_bytes()
    name = _source(_only(target)).name
    assert main(["import", "volumes", str(DATA / "volumes_messy.csv"), str(target), "--source", name]) == 2
    err = capsys.readouterr().err
    assert "volumes_messy.csv" in err and "row" in err and "column" in err and "Traceback" not in err
    assert target.read_bytes() == before


def test_an_unknown_source_lists_the_sources(target, capsys):
    assert main(["import", "volumes", str(DATA / "volumes_hourly.csv"), str(target), "--source", "Nope"]) == 2
    err = capsys.readouterr().err
    assert "no source 'Nope'" in err and _source(_only(target)).name in err


def test_handle_times_fit_per_category(target, capsys):
    workflow = _only(target)
    stage = next(n for n in workflow.nodes.values() if n.kind == "review_stage")
    assert main(["import", "handle-times", str(DATA / "handle_times_by_category.csv"), str(target),
                 "--stage", stage.name]) == 0
    out = capsys.readouterr().out
    assert "best first" in out
    changed = _only(target).nodes[stage.id]
    assert changed.handle_time.kind == "lognormal"
    assert set(changed.handle_time_by_category) >= {"spam", "hate_speech", "graphic_violence"}
    assert all(d.kind == "lognormal" for d in changed.handle_time_by_category.values())
    spam = changed.handle_time_by_category["spam"]
    assert spam.mean * {"s": 1, "min": 60, "h": 3600}[spam.unit] == pytest.approx(45, rel=0.05)
    assert changed.provenance.startswith("handle time from handle_times_by_category.csv: ")
    assert "lognormal, KS 0.0" in changed.provenance and "spam lognormal" in changed.provenance


def test_a_chosen_family_is_applied(target, capsys):
    workflow = _only(target)
    stage = next(n for n in workflow.nodes.values() if n.kind == "review_stage")
    assert main(["import", "handle-times", str(DATA / "handle_times_gamma.csv"), str(target), "--stage", stage.id,
                 "--family", "exponential"]) == 0
    assert _only(target).nodes[stage.id].handle_time.kind == "exponential"


def test_a_roster_round_trip_leaves_the_workflow_as_it_was(target, tmp_path, capsys):
    before = target.read_bytes()
    out = tmp_path / "roster.xlsx"
    assert main(["export", "roster", str(target), "--out", str(out)]) == 0
    assert main(["import", "roster", str(out), str(target)]) == 0
    assert ": unchanged (" in capsys.readouterr().out
    assert target.read_bytes() == before


def test_a_roster_changes_the_named_team(target, tmp_path, capsys):
    workflow = _only(target)
    team = next(iter(workflow.teams.values()))
    roster = tmp_path / "roster.csv"
    roster.write_text("team,shift,start,hours,Mon,Tue,Wed,Thu,Fri,Sat,Sun\n"
                      f"{team.name.upper()},early,06:00,8,3,3,3,3,3,1,1\n"
                      "Nobody here,late,14:00,8,1,1,1,1,1,1,1\n", encoding="utf-8")
    assert main(["import", "roster", str(roster), str(target)]) == 0
    out = capsys.readouterr().out
    assert "not in the workflow, left out: Nobody here" in out
    shifts = _only(target).teams[team.id].shifts
    assert [(s.name, s.start_hour, s.hours, s.headcount) for s in shifts] == [
        ("early", 6.0, 8.0, [3, 3, 3, 3, 3, 1, 1])]
    assert _only(target).teams[team.id].provenance == "shifts from roster.csv"
    assert read_roster(roster).teams[team.name.upper()][0].headcount == [3, 3, 3, 3, 3, 1, 1]


def test_an_import_that_breaks_the_workflow_is_refused(target, tmp_path, capsys):
    before = target.read_bytes()
    rows = "".join(f"{team.name},x,09:00,8,0,0,0,0,0,0,0\n" for team in _only(target).teams.values())
    roster = tmp_path / "nobody.csv"
    roster.write_text("team,shift,start,hours,Mon,Tue,Wed,Thu,Fri,Sat,Sun\n" + rows, encoding="utf-8")
    assert main(["import", "roster", str(roster), str(target)]) == 1
    err = capsys.readouterr().err
    assert "1 new error(s); nothing was written" in err and "nobody is rostered" in err
    assert target.read_bytes() == before


def test_a_workspace_is_written_in_place(target, tmp_path, capsys):
    workflow = _only(target)
    space = tmp_path / "w.flowdb"
    save_document([workflow], space)
    stage = next(n for n in workflow.nodes.values() if n.kind == "review_stage")
    assert main(["import", "handle-times", str(DATA / "handle_times_gamma.csv"), str(space), "--stage", stage.name,
                 "--family", "gamma"]) == 0
    with Workspace.open(space) as opened:
        (stored,) = opened.load_all()
    assert stored.nodes[stage.id].handle_time.kind == "gamma"
    assert not math.isnan(stored.nodes[stage.id].handle_time.mean)
    assert isinstance(stored.nodes[stage.id].handle_time, Distribution)


def test_a_backlog_becomes_the_start_state(tmp_path, capsys):
    target = tmp_path / "triage.flow.json"
    save_document(load_workflows(Path(__file__).parents[1] / "examples" / "user_report_triage.flow.json"), target)
    assert main(["import", "backlog", str(DATA / BACKLOG_FILE), str(target), "--now", NOW_UTC.isoformat()]) == 0
    out = capsys.readouterr().out
    assert f"{sum(STAGE_COUNTS.values()):,} waiting item(s) at 2 stage(s)" in out
    workflow = _only(target)
    by_name = {workflow.nodes[stage].name: count for stage, count in workflow.start_state.by_stage().items()}
    assert by_name == STAGE_COUNTS
    ages = [age for entry in workflow.start_state.entries for age in entry.ages_h]
    assert min(ages) >= 0 and max(ages) <= MAX_AGE_H


def test_a_backlog_of_creation_times_needs_an_instant_with_an_offset(target, capsys):
    assert main(["import", "backlog", str(DATA / BACKLOG_FILE), str(target), "--now", "2026-03-09 09:00"]) == 2
    assert "has no offset" in capsys.readouterr().err


def test_a_day_not_written_as_an_iso_date_is_refused_with_its_format(target, capsys):
    before = target.read_bytes()
    assert main(["import", "volumes", str(DATA / "volumes_hourly.csv"), str(target), "--source", "x",
                 "--exclude-day", "11/03/2026"]) == 2
    assert "'11/03/2026' is not a day: write it YYYY-MM-DD" in capsys.readouterr().err
    assert target.read_bytes() == before
