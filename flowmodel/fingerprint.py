"""A fingerprint of the part of a workflow that a simulation depends on — for the "stale results" marker.

Rules: the fingerprint is the sha256 of the canonical JSON (sorted keys, no whitespace) of
:func:`~flowmodel.serialization.workflow_to_dict` without what cannot change a run's results: node
positions (``x``/``y``), notes, where imported values came from (``provenance`` of nodes and teams), the
workflow's name and description, and the scenarios and run settings (a run stores the exact scenarios and
settings it used next to this fingerprint). Everything else counts, including names and the order of nodes
and edges: scenario changes address branches by name, and an attribute router takes the first matching edge.
A false "stale" costs a re-run; a missed one misleads.
Numbers are compared as numbers: a handle time of ``5`` and of ``5.0`` minutes give the same fingerprint.
An SLA target on the default clock (time to decision) fingerprints as it did before targets had a clock.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flowmodel.serialization import workflow_to_dict
from flowmodel.workflow import Workflow

_NOT_SIMULATED_NODE_FIELDS = ("x", "y", "notes", "provenance")
_NOT_SIMULATED_WORKFLOW_FIELDS = ("name", "description", "scenarios", "run_settings")


def workflow_fingerprint(workflow: Workflow) -> str:
    """Hex sha256 of what a simulation of ``workflow`` depends on; equal models give equal fingerprints."""
    data = workflow_to_dict(workflow)
    for key in _NOT_SIMULATED_WORKFLOW_FIELDS:
        data.pop(key, None)
    for node in data["nodes"]:
        for key in _NOT_SIMULATED_NODE_FIELDS:
            node.pop(key, None)
        for target in node.get("sla", []):
            if target.get("clock") == "decision":
                del target["clock"]  # the default: runs stored before SLA clocks existed stay current
    for team in data["teams"]:
        team.pop("provenance", None)
    canonical = json.dumps(_numbers_as_floats(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _numbers_as_floats(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _numbers_as_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_floats(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
