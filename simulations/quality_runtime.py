"""Decision quality at run time: truth drawn at the sources, routing by truth, decisions by accuracy, appeals,
overturns, exposure and QA copies (the rules are :mod:`flowmodel.quality`'s).

Composed by the replication only when its spec has quality (:mod:`simulations.quality_spec`): then every router
of the run is built here (:meth:`QualityRuntime.router_for`), so a model without quality runs the engine's own
routers and draws no number of its own. Rules of the run:
- Streams: a source's "truth" (one number per item), a deciding stage's "route" (one number per decision: the
  other branches first, then remove/keep), a sampling stage's "qa" (one per decision), a QA stage's "route".
- An item's standing decision is 0 (none), removed, kept, or removed-under-appeal (from its arrival at a
  deciding stage while removed until that stage decides: upheld or overturned). Counted items only (created
  after the warm-up) are tallied.
- Exposure: a counted violating item is *up* from its creation until its first removal, or until the end of the
  run; views are its category's views per hour × those hours. (A wrongly overturned violating item is not
  counted up again.) Time to action is creation → first removal of violating items.
- A QA copy is a new item of the same class and truth that enters the QA stage, is reviewed there (load), and
  ends its journey after its review: the QA decision is compared with the sampled one. It is no arrival: it
  does not count towards the run's arrival limit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from simulations.quality_spec import KEPT, REMOVED, QualitySpec
from simulations.statistics import Summary

if TYPE_CHECKING:
    from simulations.engine import Item, Replication
    from simulations.spec import Routing

APPEALING = 3


class Tally:
    """Counts of one category (or of one deciding stage)."""

    __slots__ = ("appeals", "correct_removals", "keeps", "overturns", "qa_disagreements", "qa_errors_found",
                 "qa_reviews", "removals", "upheld", "wrong_keeps", "wrongful_removals")

    def __init__(self) -> None:
        for name in Tally.__slots__:
            setattr(self, name, 0)


class CategoryTally(Tally):
    __slots__ = (
        "exposure_s",
        "final",
        "open_count",
        "open_created",
        "open_views",
        "open_views_created",
        "time_to_action",
        "views",
        "violating",
    )

    def __init__(self) -> None:
        super().__init__()
        self.final = [0, 0, 0, 0, 0]  # removed violating, removed benign, kept violating, kept benign, undecided
        self.violating = 0
        self.exposure_s = 0.0
        self.views = 0.0
        self.open_count = 0
        self.open_created = 0.0
        self.open_views = 0.0
        self.open_views_created = 0.0
        self.time_to_action = Summary()


class QualityRuntime:
    def __init__(self, run: Replication, spec: QualitySpec) -> None:
        self.run = run
        self.spec = spec
        self.category_of = spec.category_by_class
        self.categories = [CategoryTally() for _ in spec.categories]
        self.stages: dict[int, Tally] = {}
        #: per stage, the accuracy table in force (a one-item list a launch plan's step replaces the table in)
        self.accuracy = {index: [table] for index, table in spec.accuracy}
        #: per source, [prevalence, views] per class in force
        self.truth = {t.source: [t.prevalence, t.views] for t in spec.truth}
        self.qa = {q.stage: q for q in spec.qa}

    # -- routers ------------------------------------------------------------------------------
    def router_for(self, node_id: str, routing: Routing) -> Callable[[Item], None]:
        run = self.run
        index = run.node_index[node_id]
        node = run.nodes[index]
        if index in self.spec.qa_stages and not routing.tables:
            return self._qa_sink(index)
        route = self._deciding(index, routing) if routing.decide is not None else self._routed(node_id, routing)
        if node.spec.kind == "source":
            return self._tagging(index, route)
        return route

    def _entry(self, target: int) -> Callable[[Item], None]:
        """How an item enters ``target``: through the appeal gate of a deciding stage, the final tally of an
        outcome, or straight in."""
        runtime = self.run.nodes[target]
        spec = runtime.spec
        if spec.kind == "outcome":
            return self._final(runtime.enter)
        if spec.kind == "review_stage" and spec.routing.decide is not None:
            return self._appeal_gate(target, runtime.enter)
        return runtime.enter

    def _routed(self, node_id: str, routing: Routing) -> Callable[[Item], None]:
        marks = dict(routing.decisions)

        def entry(target: int) -> Callable[[Item], None]:
            enter = self._entry(target)
            return self._marking(marks[target], enter) if target in marks else enter

        tables = [([entry(t) for t in targets], cumulative) for targets, cumulative in routing.tables]
        uniform = self.run.stream(node_id, "route").random
        by_class = routing.by_truth if routing.by_truth is not None else (routing.by_class, routing.by_class)
        per_truth = ([tables[t] for t in by_class[0]], [tables[t] for t in by_class[1]])

        def route(item: Item) -> None:
            enters, cumulative = per_truth[item.truth][item.cls]
            if len(enters) == 1:
                enters[0](item)
            else:
                enters[bisect_right(cumulative, uniform())](item)

        return route

    def _deciding(self, index: int, routing: Routing) -> Callable[[Item], None]:
        decide = routing.decide
        assert decide is not None
        run = self.run
        others = [self._entry(t) for t in decide.targets]
        sums = decide.cumulative
        total = sums[-1] if sums else 0.0
        rest = 1.0 - total
        remove, keep = self._entry(decide.remove), self._entry(decide.keep)
        table = self.accuracy[index]
        stage = self.stages.setdefault(index, Tally())
        uniform = run.stream(run.nodes[index].spec.id, "route").random
        decided = self.decided
        qa = self.qa.get(index)
        sample = self._qa_sampler(index, qa.share, qa.qa_stage) if qa is not None else None

        def route(item: Item) -> None:
            u = uniform()
            if u < total:
                others[bisect_right(sums, u)](item)
                return
            on_violating, on_benign = table[0][item.team.spec.index][item.cls]
            code = REMOVED if u - total < (on_violating if item.truth else on_benign) * rest else KEPT
            decided(item, code, stage)
            if sample is not None:
                sample(item, code)
            (remove if code == REMOVED else keep)(item)

        return route

    def _tagging(self, index: int, route: Callable[[Item], None]) -> Callable[[Item], None]:
        truth = self.truth.get(index)
        if truth is None:
            def untagged(item: Item) -> None:
                item.truth = 0
                item.decision = 0
                item.views = -1.0
                route(item)

            return untagged
        return self.tagger(self.run.stream(self.run.nodes[index].spec.id, "truth").random, truth, route)

    def tagger(self, uniform: Callable[[], float], truth: list[tuple[float, ...]],
               route: Callable[[Item], None]) -> Callable[[Item], None]:
        """``route`` preceded by drawing the item's truth (and opening its exposure when it violates); ``truth`` is
        [prevalence, views] per class, as in force."""
        categories = self.categories
        category_of = self.category_of

        def tag(item: Item) -> None:
            cls = item.cls
            prevalence, views = truth
            violating = 1 if uniform() < prevalence[cls] else 0
            item.truth = violating
            item.decision = 0
            item.views = -1.0
            if violating and item.counted:
                tally = categories[category_of[cls]]
                tally.violating += 1
                tally.open_count += 1
                tally.open_created += item.created
                item.views = rate = views[cls]
                tally.open_views += rate
                tally.open_views_created += rate * item.created
            route(item)

        return tag

    def backfill_entry(self, backfill_id: str, enter: Callable[[Item], None]) -> Callable[[Item], None]:
        """A launch plan's backfill items get their truth from the sources' prevalence of their category."""
        return self.tagger(self.run.stream(backfill_id, "truth").random,
                           [self.spec.backfill_prevalence, self.spec.backfill_views], enter)

    def apply(self, kind: str, node: int, payload: object) -> None:
        """A launch plan's step: a stage's accuracy table, or a source's truth, from now on."""
        if kind == "accuracy":
            self.accuracy[node][0] = payload
        else:
            self.truth[node][:] = payload

    # -- decisions ----------------------------------------------------------------------------
    def _marking(self, code: int, enter: Callable[[Item], None]) -> Callable[[Item], None]:
        decided = self.decided

        def mark(item: Item) -> None:
            decided(item, code, None)
            enter(item)

        return mark

    def decided(self, item: Item, code: int, stage: Tally | None) -> None:
        """Record ``item``'s decision ``code`` (at ``stage`` when a deciding stage took it) and make it standing."""
        previous = item.decision
        item.decision = code
        if not item.counted:
            return
        if stage is not None:
            if code == REMOVED:
                stage.removals += 1
                stage.wrongful_removals += 0 if item.truth else 1
            else:
                stage.keeps += 1
                stage.wrong_keeps += 1 if item.truth else 0
        tally = self.categories[self.category_of[item.cls]]
        if previous == APPEALING:
            if code == REMOVED:
                tally.upheld += 1
            else:
                tally.overturns += 1
                if stage is not None:
                    stage.overturns += 1
            return
        if code != REMOVED or previous == REMOVED:
            return
        if item.truth:
            tally.correct_removals += 1
        else:
            tally.wrongful_removals += 1
        if item.views >= 0.0:  # a violating item's first removal ends its exposure
            elapsed = self.run.env._now - item.created
            tally.exposure_s += elapsed
            tally.views += item.views * elapsed / 3600.0
            tally.open_count -= 1
            tally.open_created -= item.created
            tally.open_views -= item.views
            tally.open_views_created -= item.views * item.created
            tally.time_to_action.add(elapsed)
            item.views = -1.0

    def _appeal_gate(self, index: int, enter: Callable[[Item], None]) -> Callable[[Item], None]:
        stage = self.stages.setdefault(index, Tally())
        categories = self.categories
        category_of = self.category_of

        def gate(item: Item) -> None:
            if item.decision == REMOVED:
                item.decision = APPEALING
                if item.counted:
                    categories[category_of[item.cls]].appeals += 1
                    stage.appeals += 1
            enter(item)

        return gate

    def _final(self, enter: Callable[[Item], None]) -> Callable[[Item], None]:
        categories = self.categories
        category_of = self.category_of

        def final(item: Item) -> None:
            if item.counted:
                decision = item.decision
                slot = 4 if decision == 0 else (0 if decision != KEPT else 2) + (0 if item.truth else 1)
                categories[category_of[item.cls]].final[slot] += 1
            enter(item)

        return final

    # -- QA -----------------------------------------------------------------------------------
    def _qa_sampler(self, index: int, share: float, qa_stage: int) -> Callable[[Item, int], None]:
        run = self.run
        uniform = run.stream(run.nodes[index].spec.id, "qa").random
        enter = run.nodes[qa_stage].enter

        def sample(item: Item, code: int) -> None:
            if uniform() < share:
                run.arrival_limit += 1  # a copy is no arrival: the limit counts the sources' items (inf stays inf)
                copy = run.new_item(item.cls, run.env._now, "QA")
                copy.truth = item.truth
                copy.decision = -code
                copy.views = -1.0
                copy.origin = index
                enter(copy)

        return sample

    def _qa_sink(self, index: int) -> Callable[[Item], None]:
        run = self.run
        table = self.accuracy[index]
        uniform = run.stream(run.nodes[index].spec.id, "route").random
        stages = self.stages

        def sink(copy: Item) -> None:
            on_violating, on_benign = table[0][copy.team.spec.index][copy.cls]
            code = REMOVED if uniform() < (on_violating if copy.truth else on_benign) else KEPT
            if copy.counted:
                original = -copy.decision
                tally = stages.setdefault(copy.origin, Tally())
                tally.qa_reviews += 1
                if code != original:
                    tally.qa_disagreements += 1
                    if (code == REMOVED) == bool(copy.truth):
                        tally.qa_errors_found += 1
            run.completed += 1
            run.in_system -= 1
            if run.in_system == 0 and not run.arrivals_open:
                run.maybe_drained()

        return sink

    def close(self, end: float) -> None:
        """Close the exposure of violating items still up at the end of the run."""
        for tally in self.categories:
            tally.exposure_s += tally.open_count * end - tally.open_created
            tally.views += (tally.open_views * end - tally.open_views_created) / 3600.0
            tally.open_count = 0
            tally.open_created = tally.open_views = tally.open_views_created = 0.0
