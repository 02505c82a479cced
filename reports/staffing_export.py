"""A staffing plan as files (JSON, CSV, XLSX) and as the comparison exports' staffing table.

Rules:
- One writer per format, shared by the ``staff`` command and the app: JSON holds everything
  (:meth:`StaffingPlan.to_dict`, undefined figures as null), CSV the staffing table, XLSX the sheets
  "Staffing", "Teams" (people: paid hours, FTE at the contract hours, shrinkage, cost), "Targets" (mean,
  confidence interval, replications), "Simulated" (rosters by phase, replications, horizons) and
  "Minimality" (one reviewer fewer on each staffed team-shift and what it missed; empty when the trim was
  stopped first); undefined figures left blank. Files are written atomically (:func:`write_file`).
- Heads and people: every staffing row gives the heads on shift and the FTE (paid hours ÷ contract hours).
- :func:`staffing_table` turns a plan — or the JSON the ``staff`` command wrote, read back by
  :func:`load_staffing_table` — into :class:`reports.comparison.StaffingTable` (team × shift × days: current,
  recommended, delta, FTE now and new, cost per week), with a note that states the outcome, the rosters and
  replications simulated, the targets with their intervals and the cost and FTE delta. Plans written before
  FTE existed (version 1) read with FTE at 40 h contracts.
- A file that is not a staffing plan is refused with a :class:`LoadError` naming the file and what to do.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from flowmodel.errors import LoadError
from flowmodel.safe_files import read_document_bytes
from reports.comparison import StaffingTable
from reports.files import check_target, write_file
from simulations.staffing import StaffingPlan
from simulations.staffing.plan import STATUS_WORDS

PLAN_FORMAT = "flowmodel.staffing-plan"
PLAN_SUFFIXES = (".json", ".csv", ".xlsx")
ROW_COLUMNS = ("team", "shift", "days", "current", "recommended", "delta", "erlang_fractional", "erlang_rounded",
               "cost_per_week_current", "cost_per_week_recommended", "pooled_guess", "paid_hours_per_week",
               "contract_hours", "shrinkage", "fte_current", "fte_recommended")
TEAM_COLUMNS = ("team", "contract_hours", "shrinkage", "paid_hours_current", "paid_hours_recommended", "fte_current",
                "fte_recommended", "cost_per_week_current", "cost_per_week_recommended")
TARGET_COLUMNS = ("kind", "target", "goal", "mean", "ci_low", "ci_high", "replications", "met", "confidence")
TABLE_COLUMNS = ("Team", "Shift", "Days", "Current", "Recommended", "Delta", "FTE now", "FTE new", "Cost/week now",
                 "Cost/week new")


def clean(value: Any) -> Any:
    """JSON has no NaN or infinity: an undefined figure is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def plan_json_text(plan: StaffingPlan) -> str:
    return json.dumps(clean(plan.to_dict()), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _row_values(plan: StaffingPlan) -> list[list[object]]:
    return [[r.team_name, r.shift_name, r.days_label, " ".join(map(str, r.current)), r.recommended, r.delta,
             round(r.analytic_fractional, 4), r.analytic_rounded, round(r.cost_current_per_week, 2),
             round(r.cost_recommended_per_week, 2), r.pooled_guess, round(r.paid_hours_recommended_per_week, 2),
             r.contract_hours, r.shrinkage, round(r.fte_current, 2), round(r.fte_recommended, 2)] for r in plan.rows]


def plan_csv_text(plan: StaffingPlan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ROW_COLUMNS)
    writer.writerows(_row_values(plan))
    return buffer.getvalue()


def plan_xlsx_bytes(plan: StaffingPlan) -> bytes:
    """A workbook with the staffing table and the targets achieved (undefined figures left blank)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    teams = [[t.team_name, t.contract_hours, t.shrinkage, round(t.paid_hours_current, 2),
              round(t.paid_hours_recommended, 2), round(t.fte_current, 2), round(t.fte_recommended, 2),
              round(t.cost_current, 2), round(t.cost_recommended, 2)] for t in plan.team_totals()]
    simulated = [["rosters simulated", plan.evaluations], *[[f"rosters · {phase}", count]
                                                            for phase, count in plan.rosters_by_phase.items()],
                 ["replications run", plan.replications_run], ["confidence", plan.confidence],
                 ["screening horizon (h)", plan.screen_settings.horizon_hours if plan.screen_settings else None],
                 ["confirmation horizon (h)", plan.settings.horizon_hours],
                 ["confirmation replications (most)", plan.settings.replications],
                 ["outcome", STATUS_WORDS.get(plan.status, plan.status)],
                 ["wall seconds", round(plan.wall_seconds, 1)]]
    for title, header, rows in (
            ("Staffing", ROW_COLUMNS, _row_values(plan)),
            ("Teams", TEAM_COLUMNS, teams),
            ("Targets", TARGET_COLUMNS, [[t.kind, t.where, t.target, t.mean, t.ci_low, t.ci_high, t.n, t.met,
                                          plan.confidence] for t in plan.achieved]),
            ("Simulated", ("what", "value"), simulated),
            ("Minimality", ("team_shift", "heads_tried", "met", "failing", "judged_at"),
             [[c.team_shift, c.headcount_tried, c.met, "; ".join(c.failing),
               "full-length confirmation" if c.phase == "confirm" else "screening length"]
              for c in plan.trim_checks])):
        sheet = book.add_worksheet(title)
        sheet.write_row(0, 0, header)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, clean(row))
    book.close()
    return buffer.getvalue()


def plan_bytes(plan: StaffingPlan, suffix: str) -> bytes:
    """The plan in the format ``suffix`` names (one of :data:`PLAN_SUFFIXES`)."""
    suffix = suffix.lower()
    if suffix == ".xlsx":
        return plan_xlsx_bytes(plan)
    return (plan_json_text(plan) if suffix == ".json" else plan_csv_text(plan)).encode("utf-8")


def write_plan(plan: StaffingPlan, path: str | os.PathLike[str]) -> Path:
    """Write the plan to ``path`` in the format its suffix picks, atomically."""
    path = check_target(path)
    if path.suffix.lower() not in PLAN_SUFFIXES:
        raise LoadError(f"cannot write a staffing plan as {path.suffix or 'a file without a suffix'}",
                        where=str(path), hint="end the file name in .json, .csv or .xlsx")
    return write_file(path, plan_bytes(plan, path.suffix))


def _fte(row: dict[str, Any]) -> tuple[float, float]:
    """(FTE now, FTE recommended) of a plan row; rows of version-1 plans at 40 h contracts."""
    if "fte_recommended" in row:
        return round(float(row["fte_current"]), 2), round(float(row["fte_recommended"]), 2)
    hours, contract = float(row["shift_hours"]), 40.0
    return (round(hours * sum(row["current"]) / contract, 2),
            round(hours * float(row["recommended"]) * len(row["days"]) / contract, 2))


def _target_text(target: dict[str, Any]) -> str:
    def figure(value: Any) -> str:
        if value is None:
            return "n/a"
        return f"{float(value):,.1f}" if target["kind"] == "backlog" else f"{float(value):.1%}"

    bound = "≥" if target["kind"] == "sla" else "≤"
    return (f"{target['where'] or target['kind']}: {figure(target['mean'])} "
            f"({figure(target['ci_low'])}–{figure(target['ci_high'])}, n = {target['n']}; needs {bound} "
            f"{figure(target['target'])})")


def staffing_table(plan: StaffingPlan | dict[str, Any]) -> StaffingTable:
    """The plan (or its JSON document) as the comparison exports' staffing table (see the module rules)."""
    data = clean(plan.to_dict()) if isinstance(plan, StaffingPlan) else plan
    scenario = data["scenario"]["name"]
    rows = tuple((r["team_name"], r["shift_name"], r["days_label"],
                  float(max(r["current"], default=0)), float(r["recommended"]), float(r["delta"]),
                  *_fte(r), round(float(r["cost_current_per_week"]), 2),
                  round(float(r["cost_recommended_per_week"]), 2)) for r in data["rows"])
    status = data["status"]
    infeasible = ""
    if data["infeasible"]:
        reasons = "; ".join(f"{i['where']}: {i['reason']}" for i in data["infeasible"])
        infeasible = f" No staffing can meet these targets, left out: {reasons}."
    cost = data["cost_per_week"]
    missed = [t for t in data["targets"] if not t["met"]]
    outcome = (f"every target met at {data['confidence']:.0%} confidence" if not missed
               else f"{len(missed)} target(s) still missed when the search stopped")
    if status == "infeasible":
        outcome += " (of those that can be met)"
    achieved = "; ".join(_target_text(t) for t in data["targets"])
    fte = [_fte(r) for r in data["rows"]]
    people = f"FTE {sum(f[1] for f in fte):,.1f} ({sum(f[1] - f[0] for f in fte):+,.1f})"
    simulated = data.get("simulated") or {}
    how = (f" {simulated['rosters']} roster(s) and {simulated['replications']} replications simulated."
           if simulated else "")
    note = (f"Staffing recommended for {scenario}: {outcome}; cost per week {cost['recommended']:,.0f} "
            f"({cost['delta']:+,.0f} against {cost['current']:,.0f} now); {people}.{how} "
            f"Targets: {achieved}.{infeasible}")
    return StaffingTable(f"Staffing recommendation · {scenario}", TABLE_COLUMNS, rows, note)


def load_staffing_table(path: str | os.PathLike[str]) -> StaffingTable:
    """The staffing table of a plan the ``staff`` command (or the app) wrote as JSON."""
    path = Path(path)
    hint = "write the plan with: staff … --out plan.json, or Export… → JSON in the staffing dialog"
    try:
        data = json.loads(read_document_bytes(path).decode("utf-8"))
    except LoadError as error:
        message = "the staffing plan file does not exist" if error.message == "no such file" else error.message
        raise LoadError(message, where=str(path), hint=hint) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise LoadError(f"cannot read the staffing plan: {error}", where=str(path), hint=hint) from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise LoadError("this is not a staffing plan (JSON with format 'flowmodel.staffing-plan')",
                        where=str(path), hint=hint)
    try:
        return staffing_table(data)
    except (KeyError, TypeError, ValueError) as error:
        raise LoadError(f"the staffing plan is incomplete or damaged ({error})", where=str(path), hint=hint) from None
