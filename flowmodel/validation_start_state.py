"""Validation of today's backlog (:mod:`flowmodel.start_state`): what the engine would refuse, said in planner words.

Every message names the backlog's row (1 = the first entry, as the editor's table numbers them), its stage and the
field at fault. Rules (errors unless stated):
- ``start-stage-unknown``: the row's stage is not a node of the workflow; ``start-stage-not-review``: it is a node,
  but not a review stage (only review stages have queues).
- ``start-count-invalid``: the count is not a whole number ≥ 0; ``start-total-too-large``: more than
  :data:`flowmodel.limits.MAX_BACKLOG_ITEMS` items over all rows (the engine's backlog bound).
- ``start-ages-invalid``: an age below 0 or not a usable number, a range whose minimum is above its maximum, or a list
  of ages whose length is not the count.
- ``start-class-unknown`` (warning): a category or priority no source's mix produces: the items are reviewed by
  the stage's rules, but nothing like them arrives later — often a typo or another naming in the file.
- ``start-warmup`` (warning): the run has a warm-up: statistics leave out items created before it, so the backlog's
  items do not count in the stages' waits, SLA attainment and outcomes (the start-backlog figures still do).
- ``start-with-quality``: the model has decision quality (ground truth per item), which backlog items cannot carry
  yet.
A workflow without a start state gets no issue from here.
"""

from __future__ import annotations

import math

from flowmodel.limits import MAX_BACKLOG_ITEMS
from flowmodel.nodes import ReviewStage, Source
from flowmodel.start_state import BacklogEntry
from flowmodel.validation_issues import Issue, node_label
from flowmodel.validation_limits import fmt, number_problem
from flowmodel.validation_quality import uses_quality
from flowmodel.workflow import Workflow


def check_start_state(workflow: Workflow) -> list[Issue]:
    """The issues of ``workflow.start_state`` (none without one)."""
    state = workflow.start_state
    if state is None:
        return []
    issues: list[Issue] = []
    categories = {e.category for n in workflow.nodes.values() if isinstance(n, Source) for e in n.mix}
    priorities = {e.priority for n in workflow.nodes.values() if isinstance(n, Source) for e in n.mix}
    total = 0
    for row, entry in enumerate(state.entries, start=1):
        node = workflow.nodes.get(entry.stage)
        where = f"Today's backlog, row {row}"
        if node is None:
            issues.append(Issue("error", f"{where}: the stage {entry.stage!r} is not in the workflow",
                                "pick one of the workflow's review stages for the row, or remove the row",
                                field="stage", rule="start-stage-unknown"))
            stage_id = None
        elif not isinstance(node, ReviewStage):
            kind = node.kind.replace("_", " ")
            article = "an" if kind[0] in "aeiou" else "a"
            issues.append(Issue("error", f"{where}: {node_label(node)} is {article} {kind}, not a review stage — "
                                         "only review stages have items waiting",
                                "pick a review stage for the row", node_id=node.id, field="stage",
                                rule="start-stage-not-review"))
            stage_id = node.id
        else:
            where = f"{where} ({node_label(node)})"
            stage_id = node.id
        count_ok = isinstance(entry.count, int) and not isinstance(entry.count, bool) and entry.count >= 0
        if not count_ok:
            issues.append(Issue("error", f"{where}: the count {entry.count!r} is not a whole number of items ≥ 0",
                                "enter how many items of this kind are waiting", node_id=stage_id, field="count",
                                rule="start-count-invalid"))
        else:
            total += entry.count
        issues += _ages(entry, where, stage_id, count_ok)
        if entry.count and categories and entry.category not in categories:
            issues.append(_unknown(where, "category", entry.category, categories, stage_id))
        if entry.count and priorities and entry.priority not in priorities:
            issues.append(_unknown(where, "priority", entry.priority, priorities, stage_id))
    if total > MAX_BACKLOG_ITEMS:
        issues.append(Issue("error", f"Today's backlog holds {total:,} items, more than the {MAX_BACKLOG_ITEMS:,} a "
                                     "stage may hold in a run", "check the counts for a typo (or a file read twice)",
                            field="entries", rule="start-total-too-large"))
    if state.entries and workflow.run_settings.warmup_hours > 0:
        issues.append(Issue("warning", f"The run has a warm-up of {fmt(workflow.run_settings.warmup_hours)} h: "
                                       "today's backlog is created before it, so its items are left out of the "
                                       "stages' waits, SLA attainment and outcomes",
                            "set the warm-up to 0 in the run settings to count them (the start-backlog figures "
                            "count them either way)", field="run_settings.warmup_hours", rule="start-warmup"))
    if state.entries and uses_quality(workflow):
        issues.append(Issue("error", "Today's backlog cannot be used with decision quality (ground truth): its items "
                                     "have no truth to be decided on",
                            "remove the start state, or the ground truth of the sources", rule="start-with-quality"))
    return issues


def _ages(entry: BacklogEntry, where: str, stage_id: str | None, count_ok: bool) -> list[Issue]:
    def issue(message: str, hint: str, field: str) -> Issue:
        return Issue("error", f"{where}: {message}", hint, node_id=stage_id, field=field, rule="start-ages-invalid")

    hint = "an age is how many hours the item has already existed: a number ≥ 0"
    if entry.ages_h:
        for position, age in enumerate(entry.ages_h):
            if not _usable(age):
                return [issue(f"age {position + 1} ({age!r}) is {number_problem(age) or 'not a number ≥ 0'}", hint,
                              f"ages_h[{position}]")]
        if count_ok and len(entry.ages_h) != entry.count:
            return [issue(f"{len(entry.ages_h)} ages are given for {entry.count} items",
                          "give one age per item, or clear the ages and give a range", "ages_h")]
        return []
    for name in ("age_min_h", "age_max_h"):
        value = getattr(entry, name)
        if not _usable(value):
            return [issue(f"the {name.replace('_h', '').replace('_', ' ')} {value!r} h is not a number ≥ 0", hint,
                          name)]
    if entry.age_min_h > entry.age_max_h:
        return [issue(f"the youngest age ({fmt(entry.age_min_h)} h) is above the oldest ({fmt(entry.age_max_h)} h)",
                      "swap the two ends of the range", "age_min_h")]
    return []


def _usable(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and value >= 0 and not number_problem(value))


def _unknown(where: str, what: str, value: str, known: set[str], stage_id: str | None) -> Issue:
    listed = ", ".join(sorted(known))
    return Issue("warning", f"{where}: no source produces items of {what} {value!r}",
                 f"check the {what} (the sources produce {listed}); such items are reviewed by the stage's rules, "
                 "but none like them arrive later", node_id=stage_id, field=what, rule="start-class-unknown")
