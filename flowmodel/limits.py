"""Plausibility limits: the largest (or smallest) values Flowmodel accepts, all stated here with their reasons.

Rules:
- A value past a limit is not a model of a moderation operation but a typo or a hostile file, and letting it
  through means a traceback (a number beyond float range), a run that never ends, or a run that takes the
  machine's memory. Each limit is far above any real operation, so no honest model meets one.
- Loading refuses numbers JSON can hold but a float cannot (``10**400``) and non-finite ones; validation
  reports a value past a limit as an error naming the field and the limit; the pre-run estimate refuses a run
  whose events or memory would exceed the budget; the engine stops a run whose backlog passes
  :data:`MAX_BACKLOG_ITEMS` (the model is overloaded) and reports what it measured until then.
- ``docs/reliability.md`` lists these limits for planners; keep the two in step.
"""

from __future__ import annotations

from datetime import date

# -- numbers in any field ---------------------------------------------------------------------------
#: Largest magnitude of any number read from a document or typed as a scenario change value. Far above every
#: real figure (a rate, a headcount, seconds in a year ≈ 3.2e7) and far below float overflow, so sums,
#: products and conversions of valid numbers never overflow.
MAX_ABS_NUMBER = 1e12

# -- the model ---------------------------------------------------------------------------------------------
#: Items per hour from one source (24 million a day): a global platform's whole report volume fits.
MAX_RATE_PER_HOUR = 1_000_000.0
#: A surge multiplies a source's rate by at most this (a viral event is ×2–×50, not ×1e6).
MAX_SURGE_MULTIPLIER = 1_000.0
#: Reviewers rostered on one shift on one weekday (the largest moderation workforces are ~15,000 in all).
MAX_HEADCOUNT = 100_000
#: Any duration parameter (handle time, latency, appeal window, time-to-live, SLA limit): one year.
MAX_DURATION_SECONDS = 366 * 24 * 3600.0
#: Backfill-sized batches and empirical sample lists stay below this many values.
MAX_SAMPLES = 1_000_000
#: Items in one backfill of a launch plan (re-review of existing content): ten million is a large platform's
#: whole re-review after a major policy launch; every item is simulated, so a bigger number is a typo that
#: would make the run take hours. A batch larger than the backlog bound (:data:`MAX_BACKLOG_ITEMS`) stops the
#: replication as the backlog guard does (the engine checks the bound inside the batch).
MAX_BACKFILL_ITEMS = 10_000_000
#: Days in a row back in SLA that count as a launch's recovery: two months is past any launch review.
MAX_RECOVERY_DAYS = 60

# -- run settings ------------------------------------------------------------------------------------------
#: Horizon of a run: three years, past every planning horizon; a horizon of 1e9 days is a typo.
MAX_HORIZON_HOURS = 3 * 366 * 24.0
#: Replications of one run: confidence intervals stop narrowing usefully long before this.
MAX_REPLICATIONS = 1_000
#: Points per time series (horizon ÷ interval): 1-minute points over a month; a chart cannot show more.
MAX_SERIES_POINTS = 50_000
#: Start dates a run may use: the calendar (time zones, weekdays) is exact in this range and a horizon added
#: to it never leaves Python's date range.
EARLIEST_START_DATE = date(1970, 1, 1)
LATEST_START_DATE = date(2200, 12, 31)

# -- what one run may cost ---------------------------------------------------------------------------------
#: Estimated peak memory of one run above which it is refused before it starts (this machine class has 24 GiB;
#: a run must leave room for the app and the other worker processes).
MAX_RUN_MEMORY_BYTES = 4 * 1024**3
#: Estimated memory above which the run starts with a warning.
WARN_RUN_MEMORY_BYTES = 1 * 1024**3
#: Estimated simulation events of one run above which it is refused (at ~1e6 events/s that is hours).
MAX_RUN_EVENTS = 5e9
#: Estimated wall time above which the run starts with a warning that says how long it will take.
WARN_RUN_SECONDS = 10 * 60.0
#: Items waiting at one stage at which the engine stops a replication: the model is overloaded, its backlog
#: would grow without bound and take the machine's memory (a waiting item costs ~300 bytes, ~750 with an expiry
#: timer — measured, see simulations/run_budget.py — so 0.6–1.5 GB per worker process at this bound).
MAX_BACKLOG_ITEMS = 2_000_000
#: The lowest backlog bound a run may ask for (``simulate --backlog-limit``): the guard checks the queues more
#: often the lower its bound, and below this its checks would cost more than the run they protect.
MIN_BACKLOG_LIMIT = 1_000

# -- files ---------------------------------------------------------------------------------------------
#: Largest JSON document (workflow, staffing plan) read into memory: a 5,000-node workflow is ~5 MB; a file
#: past this is not a workflow, and reading it whole (a link to /dev/zero) would take the machine's memory.
MAX_DOCUMENT_BYTES = 64 * 1024**2

#: Items one run may follow through the workflow (item traces, replication 0 of each scenario): enough for a
#: sample of every hour of a fortnight, small enough that the table and the event log stay readable.
MAX_TRACE_ITEMS = 10_000
