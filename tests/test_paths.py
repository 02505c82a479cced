from __future__ import annotations

import pytest

from flowmodel import Distribution, ModelError, ReviewStage, SlaTarget, Team
from flowmodel.paths import get_path, set_path


def test_list_elements_by_key_and_index():
    stage = ReviewStage(name="T1", sla=[SlaTarget("P0", 1, "h", 0.95), SlaTarget("P2", 24, "h", 0.9)],
                        handle_time_by_category={"hate": Distribution.lognormal(4, 2, "min")})
    assert get_path(stage, "sla.P2.within") == 24
    set_path(stage, "sla.P0.share", 0.99)
    assert stage.sla[0].share == 0.99
    set_path(stage, "handle_time_by_category.hate.mean", 5)
    assert stage.handle_time_by_category["hate"].mean == 5.0
    assert isinstance(stage.handle_time_by_category["hate"].mean, float)


def test_index_into_list_of_numbers_with_repeated_values():
    from flowmodel import Shift

    shift = Shift(headcount=[3, 3, 3, 3, 3, 0, 0])
    set_path(shift, "headcount.2", 7)
    assert shift.headcount == [3, 3, 7, 3, 3, 0, 0]


def test_float_field_holding_int_accepts_fractions():
    stage = ReviewStage(handle_time=Distribution.exponential(5, "min"))
    set_path(stage, "handle_time.mean", 5.5)
    assert stage.handle_time.mean == 5.5


def test_wrong_shapes_are_refused():
    stage = ReviewStage()
    with pytest.raises(ModelError, match="no field"):
        get_path(stage, "handle_time.median")
    with pytest.raises(ModelError, match="must be text"):
        set_path(stage, "name", 3)


def test_an_empty_list_of_records_or_text_takes_records_and_text():
    stage = ReviewStage(name="T1")
    set_path(stage, "sla", [SlaTarget("P0", 1, "h", 0.95)])
    assert stage.sla == [SlaTarget("P0", 1, "h", 0.95)]
    team = Team(name="EN")
    set_path(team, "stages", [stage.id])
    assert team.stages == [stage.id]
    with pytest.raises(ModelError, match="must be a number"):
        set_path(Distribution.empirical([]), "samples", ["ten"])
