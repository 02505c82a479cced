"""The PDF report has the expected pages and text; the canvas and the charts export as images."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from export_fixtures import SHORT_STAFFED, StoredComparison, stored  # noqa: F401 (fixture)
from pypdf import PdfReader

from flowmodel.errors import SaveError
from reports.charts import CHARTS, save_chart
from reports.formatting import delta_text, summary_text
from ui.report.canvas_image import save_canvas
from ui.report.pdf import export_pdf, report_page_png

A4_POINTS = (595.3, 841.9)


@pytest.fixture(scope="module")
def report(stored: StoredComparison, tmp_path_factory, qapp) -> PdfReader:  # noqa: F811
    path = export_pdf(stored.comparison, tmp_path_factory.mktemp("pdf") / "report.pdf", stored.workflow)
    return PdfReader(path)


def _text(page) -> str:
    return " ".join(page.extract_text().split())


def test_pages_are_a4_with_numbered_footers(report: PdfReader):
    count = len(report.pages)
    assert 5 <= count <= 9
    for number, page in enumerate(report.pages, start=1):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=1)
        assert f"page {number} of {count}" in _text(page)


def test_sections_and_their_order(report: PdfReader):
    titles = ["Tiny triage", "Findings", "The policy changes", "Comparison of key figures", "Charts",
              "Method and assumptions"]
    pages = [next(i for i, page in enumerate(report.pages) if title in _text(page)) for title in titles]
    assert pages == sorted(pages) and pages[0] == 0
    for title in ("Findings", "Charts", "Method and assumptions"):  # these open a page of their own
        assert _text(report.pages[pages[titles.index(title)]]).startswith(title)


def test_text_holds_the_scenarios_and_key_figures(report: PdfReader, stored: StoredComparison):  # noqa: F811
    text = " ".join(_text(page) for page in report.pages)
    for name in ("Baseline", SHORT_STAFFED, "Same as baseline"):
        assert name in text
    backlog = stored.comparison.figure("stage", "Tier 1", "backlog_end_count")
    assert delta_text(backlog.deltas[1], backlog.unit, with_unit=False) in text
    ttd = stored.comparison.figure("system", "system", "time_to_decision_p90_s")
    assert summary_text(ttd.summaries[1], ttd.unit, with_unit=False) in text
    assert "Tier 1: the backlog grows without bound under 'Short-staffed'" in text
    assert "Generalists · headcount, all day shift → 4 every day" in text
    assert stored.run_id in text


def test_page_preview_is_a_png_of_a4_proportions(stored: StoredComparison, qapp):  # noqa: F811
    data = report_page_png(stored.comparison, stored.workflow, page=1, dpi=50)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (round(210 / 25.4 * 50), round(297 / 25.4 * 50))
    with pytest.raises(ValueError, match="not a page 99"):
        report_page_png(stored.comparison, stored.workflow, page=99)


def test_canvas_as_png_and_svg(stored: StoredComparison, tmp_path, qapp):  # noqa: F811
    png = save_canvas(stored.workflow, tmp_path / "canvas.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") > 800
    svg = ET.parse(save_canvas(stored.workflow, tmp_path / "canvas.svg")).getroot()
    assert svg.tag.endswith("svg")
    text = "".join(svg.itertext())
    assert all(name in text for name in ("User reports", "Tier 1", "Removed", "Kept"))  # text, not pixels
    assert not [e for e in svg.iter() if e.tag.endswith("image")]  # the cards are vector shapes
    with pytest.raises(SaveError, match=r"cannot be saved as \.jpg"):
        save_canvas(stored.workflow, tmp_path / "canvas.jpg")


def test_every_chart_as_png_svg_and_pdf(stored: StoredComparison, tmp_path):  # noqa: F811
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for name, chart in CHARTS.items():
        figure = chart(stored.comparison, 6.0)
        for suffix, start in magic.items():
            assert save_chart(figure, tmp_path / f"{name}.{suffix}").read_bytes().startswith(start)
    legend = [t.get_text() for t in CHARTS["sla_attainment"](stored.comparison, 6.0).legends[0].get_texts()]
    assert legend == ["Baseline", SHORT_STAFFED, "Same as baseline"]
    with pytest.raises(SaveError, match=r"cannot be saved as \.gif"):
        save_chart(figure, tmp_path / "x.gif")


def test_pdf_text_reads_plainly(report: PdfReader):
    text = io.StringIO(" ".join(_text(page) for page in report.pages)).getvalue()
    assert "ﬁ" not in text and "confidence interval" in text
