"""``staff`` checks the model with the settings its search uses, as ``simulate`` and ``compare`` do: a flag
can stand in for a bad saved setting."""

from __future__ import annotations

from pathlib import Path

from flowmodel.documents import save_document
from main import main
from tests.test_staffing_analytic import single_stage


def test_a_flag_overrides_a_bad_saved_warmup(tmp_path: Path, capsys) -> None:
    workflow = single_stage()
    workflow.run_settings.horizon_hours = 10.0
    workflow.run_settings.warmup_hours = 48.0  # longer than the saved horizon: invalid as saved
    path = tmp_path / "bad_saved.flow.json"
    save_document([workflow], path)
    code = main(["staff", str(path), "--horizon", "3d", "--warmup", "2h", "--replications", "4", "--seed", "3",
                 "--jobs", "1", "--days", "all-week", "--max-simulations", "3"])
    err = capsys.readouterr().err
    assert "invalid" not in err and "Staffing:" in err  # the search ran instead of refusing the model
    assert code in (0, 1)  # met, or not met within 3 simulations — either way not "unreadable" (2)
