"""Staffing speed on the bundled examples: cold-start ``staff`` runs, and a minimality check on one example.

For each ``examples/*.flow.json`` it staffs the example's scenario (each example has one policy change or
roster change; the baseline when it has none) with the example's saved run settings, ``--jobs 2``, in a
fresh process (cold start: imports, worker start-up and everything), and prints wall seconds, rosters
simulated, replications run, the recommended and Erlang-guess headcount (sums of heads on shift over the
team-shifts), FTE, and how the search ended (every target met, or each unmet or infeasible one with the
reason). ``--repeat`` runs the whole set again (the machine is shared; every run is printed).

``--minimality NAME`` then checks one example's recommendation: for every team-shift with heads on it, the
roster with one reviewer fewer there is judged by the search's own trim rule (refused when the interval
estimate's backlog grows week after week, else replication 0 at screening length paired with the
recommendation's own screening, common random numbers) and must miss a target.

    python benchmarks/staffing_speed.py [--repeat 2] [--minimality classifier_rollout_appeals]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flowmodel.jsonfile import read_workflow_json  # noqa: E402
from simulations.executors import ProcessPoolExecutor  # noqa: E402
from simulations.staffing.search import check_minimality  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.flow.json"))


def staffed_scenario(path: Path) -> str | None:
    """The example's scenario to staff: its first (and only) scenario, or None for the baseline."""
    workflow = read_workflow_json(path)
    return next(iter(workflow.scenarios.values())).name if workflow.scenarios else None


def run_once(path: Path, out: Path) -> dict:
    scenario = staffed_scenario(path)
    command = [sys.executable, str(ROOT / "main.py"), "staff", str(path), "--jobs", "2", "--out", str(out)]
    if scenario:
        command += ["--scenario", scenario]
    started = time.monotonic()
    finished = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.monotonic() - started
    plan = json.loads(out.read_text(encoding="utf-8"))
    return {"example": path.name.removesuffix(".flow.json"), "scenario": scenario or "Baseline", "wall": wall,
            "exit": finished.returncode, "plan": plan}


def ending(plan: dict) -> str:
    missed = [t for t in plan["targets"] if not t["met"]]
    parts = [f"infeasible {i['where']}: {i['reason']}" for i in plan["infeasible"]]
    parts += [f"MISSED {t['where']}" for t in missed]
    if not parts:
        return "every target met"
    return "; ".join(parts) + (f" — {plan['notes'][-1]}" if plan["notes"] else "")


def table(results: list[dict]) -> str:
    header = ["example", "scenario", "wall s", "rosters", "replications", "heads rec.", "heads Erlang",
              "FTE rec.", "ending"]
    rows = []
    for r in results:
        plan = r["plan"]
        rows.append([r["example"], r["scenario"], f"{r['wall']:.1f}", str(plan["simulated"]["rosters"]),
                     str(plan["simulated"]["replications"]), str(sum(x["recommended"] for x in plan["rows"])),
                     str(sum(x["analytic_rounded"] for x in plan["rows"])), f"{plan['fte']['recommended']:.1f}",
                     ending(plan)])
    widths = [max(len(row[c]) for row in [header, *rows]) for c in range(len(header))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    return "\n".join(lines)


def minimality(name: str, plan: dict) -> list[str]:
    """One reviewer fewer on each team-shift with heads, judged by the search's own trim rule: each must miss."""
    workflow = read_workflow_json(ROOT / "examples" / f"{name}.flow.json")
    scenario = workflow.scenario_by_name(plan["scenario"]["name"]) if plan["scenario"]["id"] else None
    roster = {(r["team_id"], r["shift_index"], tuple(r["days"])): r["recommended"] for r in plan["rows"]}
    checks = check_minimality(workflow, scenario.id if scenario else None, roster, executor=ProcessPoolExecutor(2))
    return [f"{c.team_shift} at {c.headcount_tried}: {'misses ' + ', '.join(c.failing) if not c.met else 'STILL HOLDS'}"
            for c in checks]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="how many times to run the whole set")
    parser.add_argument("--minimality", metavar="NAME", help="example to check for minimality after timing")
    parser.add_argument("--only", metavar="NAME", help="time only this example")
    args = parser.parse_args()
    examples = [p for p in EXAMPLES if not args.only or p.name.startswith(args.only)]
    last: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for round_number in range(1, args.repeat + 1):
            results = []
            for path in examples:
                results.append(run_once(path, Path(folder) / f"{path.name}.plan.json"))
                print(f"  {results[-1]['example']}: {results[-1]['wall']:.1f} s", flush=True)
            last.update({r["example"]: r["plan"] for r in results})
            print(f"Run {round_number} of {args.repeat} (cold start per example, --jobs 2):")
            print(table(results), flush=True)
    if args.minimality:
        print(f"\nMinimality of {args.minimality}'s recommendation (one reviewer fewer, screening length):")
        lines = minimality(args.minimality, last[args.minimality])
        print("\n".join(f"  {line}" for line in lines))
        print("minimal: every removal misses a target" if all("STILL HOLDS" not in x for x in lines)
              else "NOT minimal: a removal still holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
