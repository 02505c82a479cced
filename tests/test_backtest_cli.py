"""``flowmodel backtest`` and the back-test exports (reports.backtest): the printed tables, the XLSX sheet, the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from flowmodel.documents import save_document
from flowmodel.errors import SaveError
from flowmodel.imports.actuals import read_actuals
from flowmodel.imports.volumes import read_volumes
from main import main
from reports.backtest import backtest_csv_bytes, error_rows, export_backtest
from simulations.backtest import run_backtest
from tests.data_gen.backtest import ZONE, true_model

DATA = Path(__file__).parent / "data"


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "fortnight.flow.json"
    save_document([true_model()], path)
    return path


def test_backtest_prints_days_and_errors_and_writes_a_workbook(model_file, tmp_path, capsys) -> None:
    out = tmp_path / "back-test.xlsx"
    code = main(["backtest", str(model_file), "--volumes", f"Reports={DATA / 'backtest_volumes.csv'}",
                 "--actuals", str(DATA / "backtest_actuals.csv"), "--replications", "5", "--seed", "3",
                 "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Workflow · decided per day" in printed and "Workflow · backlog at the end of the day" in printed
    assert "2026-03-08" in printed and "Error figures" in printed and "MAPE" in printed
    assert printed.count("\n  2026-03-") == 3 * 14  # 14 days for each of the three figures
    book = openpyxl.load_workbook(out, read_only=True)
    sheet = book["Back-test"]
    cells = [row for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "Back-test of Back-test fortnight"
    header = next(i for i, row in enumerate(cells) if row[0] == "Day")
    daily = [row for row in cells[header + 1:] if row[0] is not None]
    assert len(daily) == 3 * 14
    assert daily[0][1] == "decided per day" and daily[0][3] == 703
    figures = next(i for i, row in enumerate(cells) if row[0] == "Figure")
    assert cells[figures + 1][0] == "Workflow · decided per day" and cells[figures + 1][1] == 14


def test_a_single_source_needs_no_name_and_csv_out(model_file, tmp_path, capsys) -> None:
    out = tmp_path / "back-test.csv"
    code = main(["backtest", str(model_file), "--volumes", str(DATA / "backtest_volumes.csv"),
                 "--actuals", str(DATA / "backtest_actuals.csv"), "--replications", "3", "--out", str(out)])
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 42 and rows[0]["day"] == "2026-03-02" and rows[0]["actual"] == "703.0"
    assert {r["figure"] for r in rows} == {"decided", "backlog", "created"}
    capsys.readouterr()


@pytest.mark.parametrize(("args", "words"), [
    (["--volumes", "Tickets=x.csv"], "no source 'Tickets'"),
    (["--volumes", "missing.csv"], "no such file"),
    (["--out", "x.docx"], ".xlsx, .csv, .pdf or .png"),
    (["--replications", "1"], "at least 2 replications"),
])
def test_bad_arguments_are_one_message(model_file, capsys, args, words) -> None:
    base = {"--volumes": str(DATA / "backtest_volumes.csv"), "--actuals": str(DATA / "backtest_actuals.csv"),
            "--replications": "3"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        base[key] = value
    argv = ["backtest", str(model_file)] + [part for pair in base.items() for part in pair]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_exports_from_rows(tmp_path) -> None:
    history = read_volumes(DATA / "backtest_volumes.csv", timezone=ZONE)
    result = run_backtest(true_model(), {"reports": history}, read_actuals(DATA / "backtest_actuals.csv"), 3)
    rows = list(csv.DictReader(io.StringIO(backtest_csv_bytes(result).decode("utf-8"))))
    assert len(rows) == len(result.comparisons)
    inside = [r for r in rows if r["figure"] == "decided" and r["inside_band"] == "True"]
    assert len(inside) / 14 == pytest.approx(result.error("decided").within_band_share)
    assert [r["figure"] for r in error_rows(result)] == ["decided", "backlog", "created"]
    with pytest.raises(SaveError, match=r"\.xlsx, \.csv, \.pdf or \.png"):
        export_backtest(result, tmp_path / "back-test.docx")
    assert not (tmp_path / "back-test.docx").exists()
    pdf = export_backtest(result, tmp_path / "back-test.pdf")
    pages = PdfReader(pdf).pages
    text = pages[0].extract_text()
    assert len(pages) == 1 and "Back-test of Back-test fortnight" in text
    decided = result.error("decided")
    assert f"Workflow · decided per day: MAPE {decided.mape_pct:.1f} %" in text  # the panel carries its errors
    assert f"{decided.within_band_share:.0%} of 14 days inside the band" in text
    png = export_backtest(result, tmp_path / "back-test.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
