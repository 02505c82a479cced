"""The PDF report: the HTML of :mod:`reports.report_html` laid out by QTextDocument, printed by QPdfWriter on A4.

Rules:
- The document is laid out in its own pixels (96 per inch) on pages the size of the A4 text area, with design
  metrics (no hinting), then painted page by page onto the PDF at :data:`PDF_DPI` with a footer (workflow,
  page n of N) in the bottom margin — so the text is vector text, positioned exactly, and searchable.
- Charts are matplotlib PNGs rendered at :data:`CHART_DPI` for the text width; the workflow picture is the real
  canvas scene rendered at 3 pixels per scene unit. Both are shown at the text width.
- Needs a ``QApplication`` (the canvas scene is a widgets scene): :func:`ensure_application` makes an offscreen
  one when there is none. The PDF is built in memory and written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from flowmodel.workflow import Workflow
from reports.charts import charts_for, figure_bytes
from reports.comparison import Comparison
from reports.files import write_file
from reports.quality_charts import quality_charts_for
from reports.report_html import CANVAS_IMAGE, chart_image, report_html
from ui.report.canvas_image import canvas_png, ensure_application

DOC_DPI = 96.0
PDF_DPI = 300
CHART_DPI = 220
CANVAS_SCALE = 3.0
MARGINS_MM = QMarginsF(18.0, 16.0, 18.0, 20.0)  # left, top, right, bottom (the footer sits in the bottom one)
FONT_FAMILIES = ["DejaVu Sans", "Helvetica", "Arial"]
FOOTER_COLOUR = QColor("#7b8794")


def _mm_to_doc(mm: float) -> float:
    return mm / 25.4 * DOC_DPI


def _document(comparison: Comparison, workflow: Workflow | None, page: QSizeF) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setUseDesignMetrics(True)
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(9.5)
    font.setFeature(QFont.Tag("liga"), 0)  # no "ﬁ" ligatures: copied or searched text keeps plain letters
    document.setDefaultFont(font)
    document.setPageSize(page)
    width_px = int(page.width())
    images: list[str] = []
    if workflow is not None and workflow.nodes:
        data, _ = canvas_png(workflow, CANVAS_SCALE)
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(CANVAS_IMAGE), QImage.fromData(data))
        images.append(CANVAS_IMAGE)
    charts = charts_for(comparison.run)  # a static run's launch charts would only say there is no launch
    charts.update(quality_charts_for(comparison.run))  # none without decision-quality results
    for name, chart in charts.items():
        figure = chart(comparison, page.width() / DOC_DPI)
        if len(figure.axes) == 1:  # the report's heading names the chart: drop a single panel's own title
            figure.axes[0].set_title("", loc="left")
        image = QImage.fromData(figure_bytes(figure, "png", CHART_DPI))
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(chart_image(name)), image)
        images.append(chart_image(name))
    document.setHtml(report_html(comparison, width_px, images, charts))
    return document


def _page_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


def _page_size() -> QSizeF:
    """The text area of a page in document pixels."""
    area = _page_layout().paintRect(QPageLayout.Unit.Millimeter)
    return QSizeF(_mm_to_doc(area.width()), _mm_to_doc(area.height()))


def _paint_page(painter: QPainter, document: QTextDocument, index: int, scale: float, footer_left: str) -> None:
    """Page ``index`` of ``document`` at the painter's origin (the text area's top left), then its footer."""
    page = document.pageSize()
    painter.save()
    painter.scale(scale, scale)
    painter.translate(0, -index * page.height())
    # One pixel short of the next page, so the block that starts it is not also drawn (clipped) on this one.
    document.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height() - 1))
    painter.restore()
    painter.save()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(7.5)
    painter.setFont(font)
    painter.setPen(FOOTER_COLOUR)
    footer = QRectF(0, (page.height() + _mm_to_doc(7)) * scale, page.width() * scale, _mm_to_doc(6) * scale)
    painter.drawText(footer, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), footer_left)
    painter.drawText(footer, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                     f"page {index + 1} of {document.pageCount()}")
    painter.restore()


def _footer(comparison: Comparison) -> str:
    return f"{comparison.workflow_name} · scenario comparison · {comparison.created}"


def report_pdf_bytes(comparison: Comparison, workflow: Workflow | None = None) -> bytes:
    """The report as PDF bytes; ``workflow`` (the run's workflow) gives the canvas picture."""
    ensure_application()
    document = _document(comparison, workflow, _page_size())
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(_page_layout())
    writer.setTitle(f"{comparison.workflow_name}: scenario comparison")
    writer.setCreator("Flowmodel")
    painter = QPainter(writer)
    for index in range(document.pageCount()):
        if index:
            writer.newPage()
        _paint_page(painter, document, index, PDF_DPI / DOC_DPI, _footer(comparison))
    painter.end()
    buffer.close()
    return bytes(data.data())


def report_page_png(comparison: Comparison, workflow: Workflow | None = None, page: int = 1,
                    dpi: float = 110.0) -> bytes:
    """One page of the report as a PNG (the same layout and painting as the PDF), e.g. for a preview."""
    ensure_application()
    document = _document(comparison, workflow, _page_size())
    if not 1 <= page <= document.pageCount():
        raise ValueError(f"the report has {document.pageCount()} pages, not a page {page}")
    full = _page_layout().fullRect(QPageLayout.Unit.Millimeter)
    image = QImage(round(full.width() / 25.4 * dpi), round(full.height() / 25.4 * dpi), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.translate(MARGINS_MM.left() / 25.4 * dpi, MARGINS_MM.top() / 25.4 * dpi)
    _paint_page(painter, document, page - 1, dpi / DOC_DPI, _footer(comparison))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def export_pdf(comparison: Comparison, path: str | os.PathLike[str], workflow: Workflow | None = None) -> Path:
    """Write the report to ``path`` atomically."""
    return write_file(Path(path), report_pdf_bytes(comparison, workflow))
