"""Charts shown as images rendered off the UI thread, one chart per figure, laid out to fit any pane.

Rules:
- A chart is a :class:`ChartSpec`: a Qt-free function that draws onto a fresh matplotlib ``Figure``. The
  figure is built and rendered with Agg on one background thread (:class:`Renderer`, a one-thread
  QThreadPool, so matplotlib is never used by two threads at once) and handed back as a QImage; the UI thread
  only paints pixmaps, so results appearing never freeze the window.
- Every figure uses the constrained layout at the exact pixel size of its widget; a new or resized chart is
  rendered once its size has been still for :data:`RESIZE_SETTLE_MS` (the old image is scaled meanwhile), so
  titles, ticks and legends never collide and a layout pass does not cost a render.
- A chart never gets smaller than :data:`MINIMUM_CHART` (or its own taller minimum, e.g. an SLA chart with
  many bars): :class:`ChartGrid` puts the charts two per row when the pane is wide enough, one per row
  otherwise, inside a scroll area.
- A result that arrives for an older request (the run or the size changed meanwhile) is dropped.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QScrollArea, QSizePolicy, QWidget

FIGURE_FACE = "#ffffff"
MINIMUM_CHART = QSize(440, 290)
RESIZE_SETTLE_MS = 120
SCREEN_DPI = 100.0
WAIT_S = 30.0

Draw = Callable[[Figure], None]


@dataclass(frozen=True)
class ChartSpec:
    """One chart: ``draw`` fills an empty constrained-layout Figure; ``min_height`` in logical pixels."""

    key: str
    draw: Draw
    min_height: int = MINIMUM_CHART.height()


def message_chart(text: str) -> ChartSpec:
    def draw(figure: Figure) -> None:
        figure.text(0.5, 0.5, text, ha="center", va="center", color="#52606d")
    return ChartSpec("message", draw, 120)


@dataclass
class RenderJob:
    """One figure to build and render; filled in by the render thread."""

    spec: ChartSpec
    size: QSize
    ratio: float
    generation: int
    image: QImage | None = None
    figure: Figure | None = None
    thread_id: int = 0
    error: str = ""
    done: threading.Event = field(default_factory=threading.Event)


def render(job: RenderJob) -> None:
    """Build ``job``'s figure at its pixel size and render it with Agg (runs on the render thread)."""
    job.thread_id = threading.get_ident()
    try:
        dpi = SCREEN_DPI * job.ratio
        figure = Figure(figsize=(job.size.width() / SCREEN_DPI, job.size.height() / SCREEN_DPI), dpi=dpi,
                        facecolor=FIGURE_FACE, layout="constrained")
        job.spec.draw(figure)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        width, height = canvas.get_width_height(physical=True)
        image = QImage(bytes(canvas.buffer_rgba()), width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()
        image.setDevicePixelRatio(job.ratio)
        job.image, job.figure = image, figure
    except Exception as error:  # a chart that cannot be drawn says so in its place, it never kills the thread
        job.error = f"This chart could not be drawn: {error}"
    finally:
        job.done.set()


class _Runnable(QRunnable):
    def __init__(self, job: RenderJob, relay: Renderer) -> None:
        super().__init__()
        self.job, self.relay = job, relay

    def run(self) -> None:
        render(self.job)
        with contextlib.suppress(RuntimeError):  # the application is closing, the relay is gone: nobody waits
            self.relay.rendered.emit(self.job)


class Renderer(QObject):
    """The one render thread of the app; ``rendered(job)`` reaches the UI thread as a queued call."""

    rendered = Signal(object)
    _shared: Renderer | None = None

    def __init__(self) -> None:
        super().__init__()
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def stop(self) -> None:
        """Drop the queued renders and wait for the one under way (the application is closing)."""
        self.pool.clear()
        self.pool.waitForDone()

    @classmethod
    def shared(cls) -> Renderer:
        if cls._shared is None:
            cls._shared = Renderer()
        return cls._shared

    def submit(self, job: RenderJob) -> None:
        self.pool.start(_Runnable(job, self))


class ChartView(QWidget):
    """One chart: paints the latest image of its spec and asks for a new one when its size settles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec: ChartSpec | None = None
        self.pixmap = QPixmap()
        self.figure: Figure | None = None
        self.generation = 0
        self.pending: RenderJob | None = None
        self.render_count = 0
        self.last_thread_id = 0
        self.error = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MINIMUM_CHART)
        self._settle = QTimer(self, singleShot=True, interval=RESIZE_SETTLE_MS)
        self._settle.timeout.connect(self.request)
        Renderer.shared().rendered.connect(self._rendered)

    def set_spec(self, spec: ChartSpec) -> None:
        """Show ``spec``: rendered once the layout has settled (a new chart is usually resized right after)."""
        self.spec = spec
        self.setMinimumSize(MINIMUM_CHART.width(), spec.min_height)
        self._settle.start()

    def request(self) -> None:
        """Render the spec at the current size (in the background)."""
        self._settle.stop()
        if self.spec is None or self.width() < 2 or self.height() < 2:
            return
        self.generation += 1
        job = RenderJob(self.spec, self.size(), self.devicePixelRatioF(), self.generation)
        self.pending = job
        Renderer.shared().submit(job)

    @property
    def shown(self) -> bool:
        """The latest spec is on screen: nothing waits for a render and an image (or its error) is there."""
        return self.pending is None and not self._settle.isActive() and (not self.pixmap.isNull() or bool(self.error))

    def wait(self) -> None:
        """Block until the pending render is shown (tests and exports; the view itself never waits)."""
        if self._settle.isActive():
            self.request()
        job = self.pending
        if job is not None and job.done.wait(WAIT_S):
            self._rendered(job)

    def _rendered(self, job: RenderJob) -> None:
        if job is not self.pending:
            return
        self.pending = None
        self.render_count += 1
        self.last_thread_id = job.thread_id
        self.error = job.error
        self.figure = job.figure
        self.pixmap = QPixmap.fromImage(job.image) if job.image is not None else QPixmap()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.spec is not None:
            self._settle.start()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(FIGURE_FACE))
        if not self.pixmap.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(self.rect(), self.pixmap)
        elif self.error:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.error)
        painter.end()


class ChartGrid(QScrollArea):
    """Charts two per row when the pane allows it, one per row otherwise; scrolls below the minimum size."""

    def __init__(self, most_columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.most_columns = most_columns
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.inner = QWidget()
        self.inner.setAutoFillBackground(True)
        self.grid = QGridLayout(self.inner)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.setWidget(self.inner)
        self.views: list[ChartView] = []
        self.columns = 0

    def show_charts(self, specs: list[ChartSpec]) -> None:
        """Show ``specs`` (one view each), rendered in the background."""
        while len(self.views) > len(specs):
            view = self.views.pop()
            self.grid.removeWidget(view)
            view.deleteLater()
        while len(self.views) < len(specs):
            self.views.append(ChartView(self.inner))
        self.columns = 0
        self._place()
        for view, spec in zip(self.views, specs, strict=True):
            view.set_spec(spec)

    def message(self, text: str) -> None:
        self.show_charts([message_chart(text)])

    def wait(self) -> None:
        """Block until every chart's pending render is shown (tests, the screenshot tool)."""
        for view in self.views:
            view.wait()

    @property
    def figure_(self) -> SimpleNamespace:
        """The first axes of each chart as last rendered (after pending renders), in order."""
        self.wait()
        return SimpleNamespace(axes=[v.figure.axes[0] for v in self.views if v.figure is not None
                                     and v.figure.axes])

    def _fitting_columns(self) -> int:
        spacing = self.grid.spacing()
        width = self.viewport().width()
        fits = max(1, (width + spacing) // (MINIMUM_CHART.width() + spacing))
        return max(1, min(self.most_columns, fits, len(self.views) or 1))

    def _place(self) -> None:
        columns = self._fitting_columns()
        if columns == self.columns:
            return
        self.columns = columns
        for view in self.views:
            self.grid.removeWidget(view)
        for column in range(self.most_columns):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        for i, view in enumerate(self.views):
            self.grid.addWidget(view, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()
