"""An export that cannot be written fails with a SaveError and leaves nothing half-written behind."""

from __future__ import annotations

import os

import pytest
from export_fixtures import StoredComparison, stored  # noqa: F401 (fixture)

from flowmodel.errors import SaveError
from reports.charts import CHARTS, save_chart
from reports.data_export import export_data
from reports.xlsx_export import export_xlsx
from ui.report.pdf import export_pdf


def _exporters(stored: StoredComparison):  # noqa: F811
    comparison = stored.comparison
    return {"report.xlsx": lambda p: export_xlsx(comparison, p), "figures.csv": lambda p: export_data(comparison, p),
            "tables.zip": lambda p: export_data(comparison, p), "data.json": lambda p: export_data(comparison, p),
            "report.pdf": lambda p: export_pdf(comparison, p, stored.workflow),
            "chart.png": lambda p: save_chart(CHARTS["utilisation"](comparison, 5.0), p)}


@pytest.mark.parametrize("name", ["report.xlsx", "figures.csv", "tables.zip", "data.json", "report.pdf",
                                  "chart.png"])
def test_a_folder_in_place_of_the_file_is_refused_and_kept(stored, tmp_path, qapp, name):  # noqa: F811
    (tmp_path / name).mkdir()
    (tmp_path / name / "keep.txt").write_text("mine")
    with pytest.raises(SaveError, match="a folder has this name") as error:
        _exporters(stored)[name](tmp_path / name)
    assert str(tmp_path / name) in error.value.render()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    assert (tmp_path / name / "keep.txt").read_text() == "mine"


def test_a_missing_folder_is_refused(stored, tmp_path):  # noqa: F811
    with pytest.raises(SaveError, match="the folder does not exist"):
        export_xlsx(stored.comparison, tmp_path / "nowhere" / "report.xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["report.xlsx", "tables.zip", "report.pdf"])
def test_a_failed_replace_keeps_the_old_file_and_removes_the_temporary_one(stored, tmp_path, qapp, monkeypatch,  # noqa: F811
                                                                           name):
    """A target held open and locked by another program makes the final rename fail (as on Windows)."""
    target = tmp_path / name
    target.write_bytes(b"previous export")

    def locked(source, destination):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(SaveError, match="being used by another process"):
        _exporters(stored)[name](target)
    assert target.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_folder_is_refused(stored, tmp_path):  # noqa: F811
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="not writable"):
            export_data(stored.comparison, folder / "figures.csv")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_an_export_replaces_the_previous_file_whole(stored, tmp_path):  # noqa: F811
    target = tmp_path / "figures.csv"
    target.write_text("old")
    export_data(stored.comparison, target)
    assert target.read_text(encoding="utf-8-sig").startswith("run,scenario,replication,metric,scope,value\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.csv"]
