"""Run-to-run determinism: one scenario loaded in two store orders, detect on each, every difference counted.

Generates one case of the robustness suite (``--design`` N, scenario seed 1000 + N, ``--scale``), loads it as
written and runs ``detect`` twice (the second run's store also holds the first run's writes), then empties the
database, loads the same files with their lines shuffled and in reverse order (the same graph, its nodes and
relationships stored in another order) and runs ``detect`` once more. Prints, for each later run against the
first: flagged accounts, clusters with the same members, clusters whose figures differ (p, q, effect, ...),
members whose figures differ, members whose evidence differs. Prints figures; not a test
(``tests/integration/test_detect_store_order.py`` is the test).

It wipes the database: point it at a throw-away server (NEO4J_URI / NEO4J_PASSWORD, or the managed server of
``COORDGRAPH_HOME``).

Usage: .venv/bin/python benchmarks/store_order.py [--design 6] [--scale 0.3] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

from coordgraph import db
from coordgraph.analytics.detect import DetectParams, detect
from coordgraph.config import resolve_connection
from coordgraph.ingest import ingest_paths
from coordgraph.ingest.targets import add_targets
from coordgraph.synth import generate
from coordgraph.synth.designs import design_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers import reordered, wipe  # noqa: E402

FIGURES = ("size", "score", "p_value", "q_value", "coordinated", "reason", "observed", "expected", "effect",
           "effect_low", "effect_high", "signals")
MEMBER_FIGURES = ("coordinated", "score", "p_value", "q_value", "observed", "expected", "effect", "effect_low",
                  "effect_high", "flagged", "attached")



def snapshot(result) -> dict:
    """A run's findings keyed by what does not depend on numbering: clusters by their members, members by id."""
    members = result.accounts.groupby("number")["account_id"].agg(lambda s: tuple(sorted(s))).to_dict()
    clusters = {members.get(r["number"], ()): r for r in result.clusters.to_dict("records")}
    accounts = {(r["account_id"], members.get(r["number"], ())): r for r in result.accounts.to_dict("records")}
    return {"flagged": set(result.flagged_accounts), "clusters": clusters, "accounts": accounts}


def same(x, y) -> bool:
    return x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))


def compare(label: str, a: dict, b: dict) -> None:
    shared = set(a["clusters"]) & set(b["clusters"])
    figures = sum(1 for m in shared if not all(same(a["clusters"][m][f], b["clusters"][m][f]) for f in FIGURES))
    both = set(a["accounts"]) & set(b["accounts"])
    member_figures = sum(1 for k in both if not all(same(a["accounts"][k][f], b["accounts"][k][f]) for f in MEMBER_FIGURES))
    evidence = sum(1 for k in both if json.loads(a["accounts"][k]["evidence"]) != json.loads(b["accounts"][k]["evidence"]))
    print(f"{label}: flagged {len(a['flagged'])} vs {len(b['flagged'])} ({len(a['flagged'] ^ b['flagged'])} differ); "
          f"clusters {len(a['clusters'])} vs {len(b['clusters'])}, {len(shared)} with the same members, {figures} of them "
          f"with other figures; members {len(a['accounts'])} vs {len(b['accounts'])}, {len(both)} in the same cluster, "
          f"{member_figures} with other figures, {evidence} with other evidence", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design", type=int, default=6, help="design seed of the robustness suite")
    parser.add_argument("--scale", type=float, default=0.3, help="organic population scale")
    parser.add_argument("--workdir", type=Path, help="where the scenario files go (default: a temporary folder)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="coordgraph-order-"))
    scenario = generate(work / "scenario", seed=1000 + args.design, scale=args.scale, **design_for(args.design))
    driver = db.connect(resolve_connection())
    runs = {}
    for label, paths, n in (("as written", scenario.ingest_paths, 2), ("shuffled", reordered(scenario.ingest_paths, work / "shuffled"), 1)):
        wipe(driver)
        t0 = time.perf_counter()
        ingest_paths(driver, paths, progress=False, rejects_dir=work / f"rejects-{label}")
        add_targets(driver, scenario.target_handles)
        print(f"{label}: loaded in {time.perf_counter() - t0:.0f} s", flush=True)
        for k in range(1, n + 1):
            t0 = time.perf_counter()
            result = detect(driver, DetectParams())
            runs[f"{label}, run {k}"] = snapshot(result)
            print(f"{label}, run {k}: detect {time.perf_counter() - t0:.0f} s, {len(result.flagged_accounts)} flagged", flush=True)
    wipe(driver)
    driver.close()
    first = runs.pop("as written, run 1")
    for label, other in runs.items():
        compare(f"as written, run 1 vs {label}", first, other)


if __name__ == "__main__":
    main()
