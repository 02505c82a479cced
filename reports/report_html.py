"""The PDF report's content as HTML for Qt's QTextDocument (no Qt here: :mod:`ui.report.pdf` lays it out).

Rules:
- Order: title page (workflow, date, scenarios, run, in brief, the workflow picture); findings, then the
  policy changes as diff lines and the comparison table (flowing on, its header row repeated on each page);
  the launch (only for a run with launch results: each plan's recovery per SLA target, peak backlog and extra
  hours and cost, then the daily SLA and backlog charts with the launch and phase marks); decision quality
  (only for a run with quality results: :mod:`reports.report_quality`); waits and time to decision by
  priority and category (:mod:`reports.report_class_waits`); the charts; staffing (only with a
  staffing table); method and assumptions. Findings, the launch, charts, staffing and the method
  start on a new page. A plan's launch headline is also in the title page's "In brief".
- Only the CSS QTextDocument understands is used (font sizes in pt, colours, table cell padding and
  backgrounds, ``page-break-before``); widths are in document pixels (96 per inch) given by the caller.
- Pictures are referenced by name (:data:`CANVAS_IMAGE`, :func:`chart_image`); the caller registers an image
  resource under each name. A picture the caller does not provide is left out, with its heading.
- Every number is formatted by :mod:`reports.formatting`, so the report reads like the findings. A backlog
  instant's mean that leaves out replications not cleared by the end says so in its cell
  (:mod:`reports.start_backlog_words`); today's backlog sentence is among the findings and in "In brief".
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from reports.charts import LAUNCH_CHARTS
from reports.comparison import Comparison, KeyFigure
from reports.findings import Findings, write_findings
from reports.formatting import delta_ci_text, delta_text, figure_label, verdict
from reports.launch import after_launch_text, extra_text, launch_headline, launch_results, peak_text, recovery_text
from reports.launch_charts import launch_date_text
from reports.quality_charts import QUALITY_CHARTS
from reports.start_backlog_words import cell_text

CANVAS_IMAGE = "canvas.png"
BRIEF_POINTS = 3
NBSP = "&nbsp;"
ACCENT = "#2f6fbd"
MUTED = "#52606d"
TEXT = "#1f2933"
RULE = "#d5dae1"
CLEAR_FILL = "#fff4cc"
GROUP_FILL = "#eef1f5"
CHART_CAPTIONS: dict[str, tuple[str, str]] = {
    "backlog_over_time": ("Backlog over time", "Items waiting in each stage's queue: mean across replications "
                          "(line) and p5–p95 range (band); the warm-up is shaded."),
    "time_to_decision": ("Time to decision", "From an item's creation to its outcome, over every decided item; "
                         "bars are means across replications with 95 % confidence intervals."),
    "sla_attainment": ("SLA attainment", "Share of items decided within each stage's SLA time (for a target on "
                       "the wait in queue: picked up within it after arriving at the stage); the black tick is "
                       "the target share."),
    "utilisation": ("Reviewer utilisation", "Busy reviewer time as a share of available (on-shift, after "
                    "shrinkage) reviewer time; above 95 % there is no slack for surges."),
    "sla_daily": ("Daily SLA attainment around the launch", "Per SLA target and run day, the share of the items due "
                  "that day that met the target: mean across replications (steps) with its 95 % confidence "
                  "interval (band); the dashed line is the target. The solid vertical line is the launch, dotted "
                  "ones the plan's other dated steps; a gap is a day nothing fell due."),
    "backlog_around_launch": ("Backlog around the launch", "Items waiting in each stage's queue, days from the "
                              "launch: mean across replications (line) and p5–p95 range (band), with the launch "
                              "and the plan's dated steps marked."),
}


def chart_image(name: str) -> str:
    return f"chart-{name}.png"


def _e(text: object) -> str:
    return escape(str(text))


def _heading(text: str, *, new_page: bool = True) -> str:
    brk = "page-break-before: always; margin-top: 0px;" if new_page else "margin-top: 22px;"
    return (f'<h2 style="{brk} font-size: 15pt; color: {TEXT}; margin-bottom: 6px;">{_e(text)}</h2>'
            f'<hr style="color: {RULE};"/>')


def _key_value_table(rows: Iterable[tuple[str, object]]) -> str:
    cells = "".join(f'<tr><td style="color: {MUTED}; padding: 2px 12px 2px 0px;">{_e(k)}</td>'
                    f'<td style="padding: 2px 0px;">{_e(v)}</td></tr>' for k, v in rows)
    return f'<table cellspacing="0" cellpadding="0">{cells}</table>'


def _title_page(comparison: Comparison, findings: Findings, width: int, images: set[str]) -> str:
    run = comparison.run
    s = run.options.settings
    compared = [sc.name for sc in comparison.scenarios[1:]]
    subtitle = (f"{_e(comparison.reference.name)} compared with {_e(', '.join(compared))}" if compared
                else f"{_e(comparison.reference.name)} alone")
    brief = [_e(text) for text in findings.general] + [
        f"<b>{_e(group.scenario.name)}:</b> {_e(point)}" for group in findings.by_scenario
        for point in group.headlines[:BRIEF_POINTS]]
    reference = comparison.reference.name
    for results in launch_results(run):
        if results.is_plan:
            line = launch_headline(results, "" if results.is_reference else reference)
            brief.append(f"<b>After launch ({_e(results.scenario_name)}):</b> "
                         f"{_e(line.removeprefix(results.scenario_name + ': '))}")
    parts = [
        f'<p style="font-size: 9pt; color: {ACCENT}; font-weight: bold; margin-top: 40px;">'
        "FLOWMODEL · SCENARIO COMPARISON</p>",
        f'<h1 style="font-size: 26pt; color: {TEXT}; margin-bottom: 4px;">{_e(comparison.workflow_name)}</h1>',
        f'<p style="font-size: 13pt; color: {MUTED}; margin-top: 0px; margin-bottom: 18px;">{subtitle}</p>',
        _key_value_table([
            ("Date", comparison.created), ("Scenarios", " · ".join(sc.name for sc in comparison.scenarios)),
            ("Simulation", f"{s.replications} replications per scenario, {s.horizon_hours / 24:g} days from "
                           f"{s.start_date} (first {s.warmup_hours:g} h warm-up), seed {s.seed}"),
            ("Run", comparison.run_id or "not stored in a workspace")]),
    ]
    if brief:
        parts.append(f'<h3 style="font-size: 11pt; color: {TEXT}; margin-top: 16px;">In brief</h3>')
        parts.append("<ul>" + "".join(f'<li style="margin-bottom: 3px;">{p}</li>' for p in brief) + "</ul>")
    if CANVAS_IMAGE in images:
        parts.append(f'<h3 style="font-size: 11pt; color: {TEXT}; margin-top: 14px;">The workflow</h3>')
        parts.append(f'<p><img src="{CANVAS_IMAGE}" width="{width}"/></p>')
    return "".join(parts)


def _findings(comparison: Comparison, findings: Findings) -> str:
    parts = [_heading("Findings"),
             f'<p style="color: {MUTED};">Written from the numbers alone. A difference is <b>clear</b> when the '
             "95 % confidence interval of the paired difference excludes zero; otherwise there is no clear "
             "difference at this number of replications.</p>"]
    parts += [f"<p>{_e(text)}</p>" for text in findings.general]
    for group in findings.by_scenario:
        parts.append(f'<h3 style="font-size: 11pt; color: {ACCENT};">{_e(group.scenario.name)} '
                     f'<span style="color: {MUTED}; font-weight: normal;">against {_e(comparison.reference.name)}'
                     "</span></h3>")
        parts.append("<ul>" + "".join(f'<li style="margin-bottom: 4px;">{_e(p)}</li>' for p in group.points)
                     + "</ul>")
    return "".join(parts)


def _policy_changes(comparison: Comparison) -> str:
    parts = [_heading("The policy changes", new_page=False)]
    for scenario in comparison.scenarios:
        lines = scenario.changes or ("no changes — the workflow as drawn",)
        description = f' <span style="color: {MUTED};">— {_e(scenario.description)}</span>' \
            if scenario.description else ""
        parts.append(f'<p style="margin-bottom: 2px;"><b>{_e(scenario.name)}</b>{description}</p>')
        parts.append('<table cellspacing="0" cellpadding="3" width="100%">' + "".join(
            f'<tr><td style="background-color: #f6f7f9; font-family: DejaVu Sans Mono; font-size: 8pt;">'
            f"{_e(line)}</td></tr>" for line in lines) + "</table>")
    return "".join(parts)


def _cell(text: str, *, align: str = "right", style: str = "", width: str = "") -> str:
    """A table cell; a right-aligned (numeric) cell breaks lines only before "(" and "·", never inside a number."""
    html = _e(text)
    if align == "right":
        html = html.replace(" ", NBSP).replace(f"{NBSP}(", " (").replace(f"{NBSP}·{NBSP}", " · ")
    size = f' width="{width}"' if width else ""
    return f'<td align="{align}"{size} style="padding: 3px 5px; border-bottom: 1px solid {RULE}; {style}">{html}</td>'


def _comparison_table(comparison: Comparison) -> str:
    compared = comparison.scenarios[1:]
    with_ci = len(compared) <= 1
    header = ["Key figure", *[s.name for s in comparison.scenarios]]
    for s in compared:
        header.append(f"Δ {s.name}" if len(compared) > 1 else "Δ")
        if with_ci:
            header.append("95 % CI of Δ")
    head = "".join(f'<th align="{"left" if i == 0 else "right"}" style="padding: 4px 5px; background-color: '
                   f'{TEXT}; color: white; font-weight: bold;">{_e(h)}</th>' for i, h in enumerate(header))
    rows, group = [], ""
    for figure in comparison.figures:
        if figure.group != group:
            group = figure.group
            rows.append(f'<tr><td colspan="{len(header)}" style="padding: 5px 5px 2px 5px; background-color: '
                        f'{GROUP_FILL}; color: {ACCENT}; font-weight: bold;">{_e(group)}</td></tr>')
        rows.append("<tr>" + _row(figure, with_ci) + "</tr>")
    legend = (f'<p style="color: {MUTED}; font-size: 8pt;">Values are means across replications ± the half-width '
              "of the 95 % confidence interval. Δ is the scenario minus "
              f"{_e(comparison.reference.name)}, paired replication by replication (same random numbers); "
              "highlighted in bold on yellow when the difference is clear (its 95 % interval excludes zero). "
              "pp = percentage points.</p>")
    return (_heading("Comparison of key figures", new_page=False)
            + f'<table width="100%" cellspacing="0" cellpadding="0" style="font-size: 8pt;"><thead><tr>{head}'
              f'</tr></thead>{"".join(rows)}</table>' + legend)


def _row(figure: KeyFigure, with_ci: bool) -> str:
    cells = [_cell(figure_label(figure), align="left", width="24%")]
    cells += [_cell(cell_text(figure, position, with_unit=False)) for position in range(len(figure.summaries))]
    for delta in figure.deltas[1:]:
        word = verdict(delta)
        style = f"background-color: {CLEAR_FILL}; font-weight: bold;" if delta is not None and delta.clear else \
            f"color: {MUTED};"
        text = delta_text(delta, figure.unit, with_unit=False)
        shown = "unchanged" if word == "unchanged" else f"{text} · {word}" if word and word != "clear" else text
        cells.append(_cell(shown, style=style))
        if with_ci:
            cells.append(_cell(delta_ci_text(delta, figure.unit), style=f"color: {MUTED};"))
    return "".join(cells)


def _chart(name: str, width: int, brk: str = "") -> str:
    title, caption = CHART_CAPTIONS.get(name, (name.replace("_", " ").capitalize(), ""))
    return (f'<h3 style="{brk}font-size: 11pt; color: {TEXT}; margin-bottom: 2px;">{_e(title)}</h3>'
            f'<p style="color: {MUTED}; font-size: 8pt; margin-top: 0px;">{_e(caption)}</p>'
            f'<p><img src="{chart_image(name)}" width="{width}"/></p>')


def _charts(names: list[str], width: int) -> str:
    parts = [_heading("Charts")]
    for index, name in enumerate(names):
        parts.append(_chart(name, width, "page-break-before: always; " if index == 2 else ""))
    return "".join(parts)


def _recovery_days(comparison: Comparison, scenario_id: str) -> int:
    document = next((d for d in comparison.run.scenarios if str(d["id"]) == scenario_id), {})
    return int(document.get("recovery_days") or 3)


def _launch(comparison: Comparison, charts: list[str], width: int) -> str:
    """The launch page: per scenario its recovery per target, peak backlog and extra hours and cost, then the
    launch charts provided ("" for a run without launch results)."""
    found = launch_results(comparison.run)
    if not found:
        return ""
    plan = next((r for r in found if r.is_plan), found[0])
    s = comparison.run.options.settings
    parts = [_heading("The launch"),
             f"<p>Launch on {_e(launch_date_text(comparison.run, plan.launch_at_h))}, "
             f"{_e(after_launch_text(plan.launch_at_h))} after the run's start. A target is back in SLA on the first "
             f"day, after a day below it, from which its daily attainment stays at or above the target for "
             f"{_recovery_days(comparison, plan.scenario_id)} days in a row. The time back is the mean over the "
             f"replications that recovered within the run (of {s.replications}; 95 % CI in brackets); extra hours "
             f"and cost are paired with {_e(comparison.reference.name)} replication by replication.</p>"]
    for results in found:
        points = [recovery_text(r) for r in results.recoveries]
        points += [peak_text(p)[0].upper() + peak_text(p)[1:] for p in results.peaks]
        extra = extra_text(results)
        if extra and not results.is_reference:
            points.append(f"{extra[0].upper()}{extra[1:]} against {comparison.reference.name}")
        points += [f"{name}: {summary.mean:,.0f} items" for name, summary in results.backfills]
        parts.append(f'<h3 style="font-size: 11pt; color: {ACCENT};">{_e(results.scenario_name)}</h3>')
        parts.append("<ul>" + "".join(f'<li style="margin-bottom: 3px;">{_e(p)}</li>' for p in points) + "</ul>")
    parts += [_chart(name, width, "page-break-before: always; ") for name in charts]  # a chart and its heading
    return "".join(parts)


def _staffing(comparison: Comparison) -> str:
    staffing = comparison.staffing
    if staffing is None:
        return ""
    head = "".join(f'<th style="padding: 4px 5px; background-color: {TEXT}; color: white;">{_e(c)}</th>'
                   for c in staffing.columns)
    body = "".join("<tr>" + "".join(_cell(f"{v:,.4g}" if isinstance(v, float) else str(v),
                                          align="left" if isinstance(v, str) else "right") for v in row) + "</tr>"
                   for row in staffing.rows)
    note = f"<p>{_e(staffing.note)}</p>" if staffing.note else ""
    return (_heading(staffing.title or "Staffing") + note
            + f'<table width="100%" cellspacing="0" cellpadding="0" style="font-size: 8.5pt;"><thead><tr>{head}'
              f"</tr></thead>{body}</table>")


def _method(comparison: Comparison) -> str:
    s = comparison.run.options.settings
    text = (f"Each scenario was simulated {s.replications} times over {s.horizon_hours:g} hours with the same "
            "random numbers per replication (common random numbers), so a difference between scenarios comes from "
            "the policy change rather than from chance. Statistics start after the warm-up. Means are taken across "
            "replications; confidence intervals use Student's t. Time to decision runs from an item's creation to "
            "its outcome; items still open at the end of the horizon are counted in the backlog, not in the times. "
            "Utilisation is busy reviewer time over available reviewer time (on shift, after shrinkage). The "
            "analytic estimates (Erlang C per staffing pool) use mean arrival rates and ignore surges and expiry.")
    return (_heading("Method and assumptions") + f"<p>{_e(text)}</p>"
            + _key_value_table((k, f"{v:g}" if isinstance(v, float) else v) for k, v in comparison.assumptions))


def report_html(comparison: Comparison, width: int, images: Iterable[str] = (),
                chart_names: Iterable[str] = ()) -> str:
    """The whole report; ``width`` is the text width in document pixels, ``images`` the picture names provided."""
    provided = set(images)
    findings = write_findings(comparison)
    charts = [n for n in chart_names if chart_image(n) in provided]
    from reports.report_class_waits import class_waits_section  # these modules use this one's helpers
    from reports.report_quality import quality_page

    launch = [n for n in charts if n in LAUNCH_CHARTS]
    quality = [n for n in charts if n in QUALITY_CHARTS]
    charts = [n for n in charts if n not in LAUNCH_CHARTS and n not in QUALITY_CHARTS]
    body = (_title_page(comparison, findings, width, provided) + _findings(comparison, findings)
            + _policy_changes(comparison)
            + _comparison_table(comparison) + _launch(comparison, launch, width)
            + quality_page(comparison, quality, width) + class_waits_section(comparison)
            + (_charts(charts, width) if charts else "") + _staffing(comparison) + _method(comparison))
    return f'<html><body style="color: {TEXT};">{body}</body></html>'
