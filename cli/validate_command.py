"""``flowmodel validate PATH [--workflow NAME]``: check a workflow file or a workspace before running it.

Prints every issue as one row of an aligned table (severity, workflow, where, field, message, hint), then
one summary line per workflow ("2 errors, 1 warning in 'User report triage'").
Exit codes: 0 no issues or warnings only, 1 at least one error, 2 the file cannot be read (a
:class:`~flowmodel.errors.LoadError`: one line on stderr saying where, what and what to do).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.app import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE
from flowmodel.documents import load_workflows
from flowmodel.errors import LoadError
from flowmodel.validation import Issue, validate
from flowmodel.workflow import Workflow

COLUMNS: tuple[str, ...] = ("SEVERITY", "WORKFLOW", "WHERE", "FIELD", "MESSAGE", "HINT")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate", help="check a workflow file or workspace for errors and warnings",
        description="List everything that blocks a run (errors) or deserves a second look (warnings). "
                    "Exit code 0: no errors; 1: errors; 2: the file cannot be read.")
    parser.add_argument("path", metavar="PATH", help="a .flow.json workflow or a .flowdb workspace")
    parser.add_argument("--workflow", metavar="NAME", help="check only this workflow of a workspace (name or id)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        workflows = select(load_workflows(args.path), args.workflow, args.path)
    except LoadError as error:
        place = f"{error.where}: " if error.where else ""
        hint = f" (what to do: {error.hint})" if error.hint else ""
        print(f"error: {place}{error.message}{hint}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not workflows:
        print(f"no workflows in {args.path}")
        return EXIT_OK
    rows: list[tuple[str, ...]] = []
    summaries: list[str] = []
    has_errors = False
    for workflow in workflows:
        issues = validate(workflow)
        rows += [issue_row(workflow, issue) for issue in issues]
        summaries.append(summary(workflow, issues))
        has_errors = has_errors or any(issue.severity == "error" for issue in issues)
    if rows:
        print(format_table([COLUMNS, *rows]))
        print()
    print("\n".join(summaries))
    return EXIT_INVALID if has_errors else EXIT_OK


def select(workflows: list[Workflow], wanted: str | None, path: str) -> list[Workflow]:
    """The workflow named (or with the id) ``wanted``, or all of them when no name is given."""
    if wanted is None:
        return workflows
    chosen = [w for w in workflows if wanted in (w.name, w.id)]
    if not chosen:
        names = ", ".join(repr(w.name) for w in workflows) or "none"
        raise LoadError(f"no workflow named {wanted!r}", where=path, hint=f"workflows in this file: {names}")
    return chosen


def where(workflow: Workflow, issue: Issue) -> str:
    """The name a planner finds on the canvas: the team, else the node, else the edge's two ends."""
    if issue.team_id and issue.team_id in workflow.teams:
        return workflow.teams[issue.team_id].name or f"unnamed team {issue.team_id[:8]}"
    if issue.node_id and issue.node_id in workflow.nodes:
        node = workflow.nodes[issue.node_id]
        return node.name or f"unnamed {node.kind.replace('_', ' ')} {node.id[:8]}"
    if issue.edge_id and issue.edge_id in workflow.edges:
        edge = workflow.edges[issue.edge_id]
        ends = [workflow.nodes[end].name if end in workflow.nodes else "?" for end in (edge.source, edge.target)]
        return " → ".join(ends)
    return "(workflow)"


def issue_row(workflow: Workflow, issue: Issue) -> tuple[str, ...]:
    place = where(workflow, issue)
    message = issue.message
    for prefix in (f"“{place}”: ", f"team “{place}”: "):  # the WHERE column already names it
        message = message.removeprefix(prefix)
    return (issue.severity, workflow.name, place, issue.field or "", message, issue.hint)


def format_table(rows: list[tuple[str, ...]]) -> str:
    """Columns padded to their widest cell, two spaces apart; the last column is not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]).rstrip()
             for row in rows]
    return "\n".join(lines)


def summary(workflow: Workflow, issues: list[Issue]) -> str:
    errors = sum(issue.severity == "error" for issue in issues)
    warnings = len(issues) - errors
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {workflow.name!r}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
