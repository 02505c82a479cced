"""The .flow.json file: stable diff-friendly text, located load errors, and saves that never half-write."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from conftest import make_triage_workflow

from flowmodel import Change, LoadError, SaveError, Scenario
from flowmodel.jsonfile import read_workflow_json, write_workflow_json


def test_file_is_indented_utf8_json_in_field_order_ending_in_a_newline(tmp_path: Path) -> None:
    workflow = make_triage_workflow()
    workflow.name = "Révision — triage"
    path = tmp_path / "triage.flow.json"
    write_workflow_json(workflow, path)
    text = path.read_bytes().decode("utf-8")
    assert text.endswith("}\n")
    assert "Révision — triage" in text  # readable in a diff, not \u-escaped
    assert text.splitlines()[1] == '  "format": "flowmodel.workflow",'
    assert list(json.loads(text))[:4] == ["format", "schema_version", "id", "name"]


def test_saving_an_unchanged_workflow_again_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.flow.json", tmp_path / "b.flow.json"
    write_workflow_json(read_workflow_json(_written(tmp_path)), first)
    write_workflow_json(read_workflow_json(first), second)
    assert first.read_bytes() == second.read_bytes()


def test_round_trip_keeps_ids_and_equality(tmp_path: Path) -> None:
    workflow = make_triage_workflow()
    path = tmp_path / "triage.flow.json"
    write_workflow_json(workflow, path)
    loaded = read_workflow_json(path)
    assert loaded == workflow
    assert list(loaded.nodes) == list(workflow.nodes)


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path: Path) -> None:
    workflow = make_triage_workflow()
    path = tmp_path / "triage.flow.json"
    write_workflow_json(workflow, path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_workflow_json(path) == workflow


def test_missing_file_is_a_load_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.flow.json"
    with pytest.raises(LoadError) as caught:
        read_workflow_json(path)
    assert str(path) in str(caught.value)
    assert "What to do:" in str(caught.value)


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.flow.json"
    path.write_text('{\n  "format": "flowmodel.workflow",\n  "name": oops\n}\n', encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_workflow_json(path)
    assert caught.value.where == f"{path}, line 3 column 11"
    assert "broken JSON" in caught.value.message


def test_a_wrong_field_names_the_file_and_the_field(tmp_path: Path) -> None:
    data = json.loads(_written(tmp_path).read_text(encoding="utf-8"))
    data["nodes"][1]["handle_time"]["mean"] = "five minutes"
    path = tmp_path / "wrong.flow.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_workflow_json(path)
    assert caught.value.where == f"{path} › nodes[1] (Tier 1).handle_time.mean"
    assert caught.value.message == "expected a number, found 'five minutes'"


# -- failed saves leave the old file ----------------------------------------------------------------
def _written(folder: Path) -> Path:
    path = folder / "triage.flow.json"
    write_workflow_json(make_triage_workflow(), path)
    return path


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failing_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   failing: str) -> None:
    path = _written(tmp_path)
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    changed = make_triage_workflow()
    changed.name = "Changed"
    with pytest.raises(SaveError) as caught:
        write_workflow_json(changed, path)
    monkeypatch.undo()
    assert str(path) in str(caught.value) and "No space left on device" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["triage.flow.json"]


def test_a_value_json_cannot_hold_fails_before_touching_the_disk(tmp_path: Path) -> None:
    path = _written(tmp_path)
    before = path.read_bytes()
    workflow = make_triage_workflow()
    workflow.put_scenario(Scenario(name="bad", changes=[Change(target="x", path="rate_per_hour", value=math.nan)]))
    with pytest.raises(SaveError, match="cannot be written as JSON"):
        write_workflow_json(workflow, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["triage.flow.json"]


def test_saving_into_a_missing_folder_is_a_save_error(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "triage.flow.json"
    with pytest.raises(SaveError) as caught:
        write_workflow_json(make_triage_workflow(), path)
    assert str(path) in str(caught.value)
    assert not path.parent.exists()


def test_saving_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = _written(tmp_path)
    os.chmod(path, 0o640)
    write_workflow_json(make_triage_workflow(), path)
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_new_file_gets_the_usual_permissions_not_owner_only(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = _written(tmp_path)
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644
