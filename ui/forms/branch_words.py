"""The words of the branch tables: decisions, entry modes, column titles and what each table explains.

Rule: a router after a removal asks about that removal, so its columns read "removal right" (the item violates)
and "removal wrong" (benign); elsewhere they read violating and benign.
"""

from __future__ import annotations

import math
from typing import Literal

from flowmodel.nodes import Edge
from flowmodel.workflow import Workflow

Kind = Literal["classifier", "router", "stage"]
BAND_DECISIONS = (("remove", "auto-action (remove)"), ("", "human review (no decision)"),
                  ("keep", "auto-approve (keep)"))
STAGE_DECISIONS = (("remove", "remove"), ("keep", "keep"), ("", "no decision (e.g. escalate)"))
ENTRY_MODES = (("error", "Shares of violating and benign items (classifier error)"),
               ("model_card", "Precision and recall (as model cards state them)"))
BY_ACCURACY = "decided by reviewer accuracy"
SUM_TOLERANCE = 1e-9


def percent(value: float) -> str:
    return f"{value * 100:.4g} %"


def parse_percent(text: str) -> float | None:
    """A share typed in % (``"62"``, ``"62 %"``, ``"2,5"``) as 0–1, None when it is not one."""
    try:
        number = float(text.strip().rstrip("%").strip().replace(",", ".")) / 100.0
    except ValueError:
        return None
    return number if math.isfinite(number) and 0.0 <= number <= 1.0 else None


def after_removal(workflow: Workflow, node_id: str) -> bool:
    """Whether every branch into ``node_id`` decides "remove" (a router there asks about the removal)."""
    incoming = [e for e in workflow.edges.values() if e.target == node_id]
    return bool(incoming) and all(e.decision == "remove" for e in incoming)


def header(kind: Kind, key: str, removal: bool) -> str:
    """The column title of ``key`` ("violating", "benign", "precision", "share", "branch")."""
    return {"branch": "Band" if kind == "classifier" else "Branch", "share": "Share of items",
            "violating": "Removal right" if removal else "Violating",
            "benign": "Removal wrong" if removal else "Benign", "precision": "Precision"}[key]


def header_tip(kind: Kind, key: str, removal: bool) -> str:
    """The column's tooltip: what its share is a share of."""
    return {"branch": "the outgoing edge (its label, else where it goes)",
            "share": "the share of the node's items taking this branch",
            "violating": ("share of violating items landing in the band — its recall" if kind == "classifier"
                          else "share of items whose removal was right (they violate) taking this branch"
                          if removal else "share of violating items taking this branch"),
            "benign": ("share of benign items landing in the band" if kind == "classifier"
                       else "share of items whose removal was wrong (benign) taking this branch"
                       if removal else "share of benign items taking this branch"),
            "precision": "share of the band's items that truly violate, at the prevalence of items arriving here"
            }[key]


def explanation(kind: Kind, truth: bool, removal: bool) -> str:
    """The line under a table's switch: what its figures mean, in a planner's words."""
    if kind == "stage":
        return ("With a remove and a keep branch, reviewers decide between them by the item's truth and their "
                "accuracy; other branches (escalate, …) keep their shares.")
    if not truth:
        return ""
    if kind == "classifier":
        return ("Per band: the share of violating items and the share of benign items that land in it (each "
                "column sums to 100 %). From a model card, enter each band's precision and recall instead.")
    if removal:
        return ("Per branch: its share of items whose removal was right (they violate) and of items whose "
                "removal was wrong (benign) — e.g. appealed if the removal was wrong 40 %, if right 3 %.")
    return "Per branch: its share of violating items and of benign items (each column sums to 100 %)."


def summary(kind: Kind, edges: list[Edge], truth: bool, deciding: bool, category: str,
            prevalence: float | None) -> tuple[str, bool]:
    """The line under a branch table and whether its shares are complete (False: shown in red)."""
    if truth:
        parts, ok = [], True
        for which in ("violating", "benign"):
            total = sum(getattr(e.by_truth.for_category(category), which) for e in edges if e.by_truth)
            done = math.isclose(total, 1.0, abs_tol=SUM_TOLERANCE)
            ok = ok and done
            parts.append(f"{which} items sum to {percent(total)}" + (" ✓" if done else " — must be 100 %"))
        text = "; ".join(parts)
        if kind == "classifier" and prevalence is not None:
            which = f"{category} items" if category else "items"
            text += f". Of the {which} arriving here {percent(prevalence)} violate (the sources' ground truth)."
        elif kind == "classifier":
            text += ". No item with a ground truth arrives here: give the sources ground truth to see precision."
        return text, ok
    if deciding:
        others = sum(e.probability or 0.0 for e in edges if not e.decision)
        return (f"Other branches take {percent(others)}; the reviewers decide remove or keep for the other "
                f"{percent(max(0.0, 1.0 - others))} by the item's truth and their accuracy.",
                others <= 1.0 + SUM_TOLERANCE)
    total = sum(e.probability or 0.0 for e in edges)
    ok = math.isclose(total, 1.0, abs_tol=SUM_TOLERANCE)
    return f"Shares sum to {percent(total)}" + (" ✓" if ok else " — they must sum to 100 %"), ok
