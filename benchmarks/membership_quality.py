"""Low-activity members: the membership test before and after its quiet-member traces, on the suite's cases.
Prints figures; not a test.

For each (design seed) case of ``benchmarks/detect_quality.py``'s development suite: generate, load, mark the
targets, run ``detect`` once, then run the membership test on the run's confirmed members (the clusters'
own members, attached ones left out) three ways, all on the same clusters:

- *before*: near-duplicate links need ``min_repeat`` copied posts, and only timing + identity attaches;
- *single reply*: a single reply near-copying a member's is an identity link;
- *after*: also the second route, two different identity traces without timing (``membership.identity_fdr``).

Per case and variant: low-activity members found (by the clusters or attached), accounts attached, attached
accounts outside the network (and among the hard negatives), precision and recall of clusters + attached.
Then each variant's worst case first and the median. The clusters themselves (and their false positives) are
the cluster test's, the same in every variant.

Usage: python benchmarks/membership_quality.py [--design-seeds 1 3 5] [--scale 0.5]
Needs a Neo4j + GDS reachable through NEO4J_URI/NEO4J_PASSWORD (or the managed server); it wipes the database.
"""

from __future__ import annotations

import argparse
import copy
import statistics as stats
import tempfile
import time
from pathlib import Path

import numpy as np

from coordgraph import db
from coordgraph.analytics import membership, statistics
from coordgraph.analytics.detect import detect
from coordgraph.analytics.signals import coaction
from coordgraph.config import resolve_connection
from coordgraph.ingest import ingest_paths
from coordgraph.ingest.targets import add_targets
from coordgraph.synth import generate
from coordgraph.synth.designs import describe, design_for

VARIANTS = ("before", "single reply", "after")


def wipe(driver) -> None:
    with driver.session() as session:
        session.run("CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName, false) YIELD graphName AS g RETURN count(*)").consume()
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def run_case(driver, design_seed: int, scale: float, workdir: Path) -> dict:
    design = design_for(design_seed)
    scenario = generate(workdir / f"case-{design_seed}", seed=1000 + design_seed, scale=scale, **design)
    truth = scenario.ground_truth()
    wipe(driver)
    ingest_paths(driver, scenario.ingest_paths, progress=False, rejects_dir=workdir / "rejects")
    add_targets(driver, scenario.target_handles)
    t0 = time.perf_counter()
    result = detect(driver, None)
    seconds = time.perf_counter() - t0
    accounts = result.accounts[result.accounts["coordinated"]]
    core = sorted(accounts.loc[~accounts["attached"].astype(bool), "account_id"])
    window_ms = int(result.params.window_s * 1000)
    events = [statistics.SignalEvents.from_frame(name, coaction.coaction_events(driver, name), window_ms)
              for name in coaction.COACTION_SIGNALS if name in result.signals]
    events = [e for e in events if e.at.size]
    pool = list(membership.benchmark_pool(driver)["account_id"])
    network = {m["id"] for m in truth["network"]["members"]}
    low = set(truth["network"]["low_activity"])
    hard = set().union(*[set(v) for v in truth["hard_negatives"].values()]) - network if truth["hard_negatives"] else set()
    without_single = dict(result.signals)
    if "near_duplicate" in without_single:
        without_single["near_duplicate"] = copy.copy(without_single["near_duplicate"])
        without_single["near_duplicate"].trace_pairs = None
    out = {"case": f"d{design_seed}", "design": describe(design), "network": len(network), "low": len(low),
           "core": len(core), "detect_s": round(seconds)}
    for name, results, identity in (("before", without_single, False), ("single reply", result.signals, False),
                                    ("after", result.signals, True)):
        tested = membership.test_membership(events, results, core, pool, set(core), result.params.alpha, result.params.n_null,
                                            np.random.default_rng(result.params.seed), identity_route=identity)
        attached = set(tested.loc[tested["attached"], "account_id"])
        flagged = set(core) | attached
        out[name] = {
            "low_found": len(flagged & low), "low_recall": len(flagged & low) / len(low) if low else None,
            "attached": len(attached), "attached_outside": len(attached - network), "attached_hard": len(attached & hard),
            "precision": len(flagged & network) / len(flagged) if flagged else 0.0, "recall": len(flagged & network) / len(network),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design-seeds", type=int, nargs="+", default=list(range(1, 9)), help="development design seeds")
    parser.add_argument("--scale", type=float, default=0.5, help="generator scale")
    args = parser.parse_args()
    driver = db.connect(resolve_connection())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for design_seed in args.design_seeds:
            r = run_case(driver, design_seed, args.scale, Path(tmp))
            rows.append(r)
            print(f"{r['case']} ({r['design']}): network {r['network']}, low-activity {r['low']}, cluster members {r['core']}, "
                  f"detect {r['detect_s']} s", flush=True)
            for name in VARIANTS:
                v = r[name]
                print(f"  {name:13s} low-activity found {v['low_found']:3d}/{r['low']:<3d} attached {v['attached']:3d}  "
                      f"outside the network {v['attached_outside']:2d} (hard negatives {v['attached_hard']:2d})  "
                      f"precision {v['precision']:.3f}  recall {v['recall']:.3f}", flush=True)
    with_low = [r for r in rows if r["low"]]
    for name in VARIANTS:
        recalls = sorted((r[name]["low_recall"], r["case"]) for r in with_low)
        outside = sorted(((r[name]["attached_outside"], r["case"]) for r in rows), reverse=True)
        if recalls:
            print(f"{name:13s} low-activity recall worst {recalls[0][0]:.2f} ({recalls[0][1]}), median "
                  f"{stats.median(x for x, _ in recalls):.2f}; attached outside the network worst {outside[0][0]} ({outside[0][1]}), "
                  f"total {sum(x for x, _ in outside)}")
    driver.close()


if __name__ == "__main__":
    main()
