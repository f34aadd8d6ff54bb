"""What the group route proposes when no account coordinates: the selection check behind its member rules.

The group route (``coordgraph.analytics.sparse_groups``) chooses communities for their co-actions, so a
community of independent accounts has more co-actions than the cluster null expects for it: its cluster-level
effect is partly its selection. This script measures how far that goes, on copies of development cases in
which every account is independent by construction: each account's delay on each object is redrawn from its
own delays on objects of the same stratum (the cluster test's own null: real habits, no coordination, the
network's cascades dissolved). On each copy it runs the route (GDS Leiden on the unthresholded co-action
graph) and the cluster test, and prints per copy the groups proposed, how many pass the cluster gates
(q <= alpha with BH over the copy's groups, effect lower bound >= 2) and how many of their members the member
rules would confirm (q, effect lower bound, repeated moments, in step on most moments). Prints figures; not a test.

It uses its own throw-away managed server (Bolt 7746 / HTTP 7756 by default; see ``detect_quality.py``).

Usage:
    .venv/bin/python benchmarks/group_route_null.py --design-seeds 10 14 15 --copies 2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import detect_quality as dq  # noqa: E402

from coordgraph import db  # noqa: E402
from coordgraph.analytics import cluster_effect, fusion, sparse_groups, statistics  # noqa: E402
from coordgraph.analytics.detect import DetectParams  # noqa: E402
from coordgraph.analytics.signals import COACTION, SIGNALS, SignalInputs  # noqa: E402


def case_events(driver, design_seed: int, workdir: Path, params: DetectParams) -> list[statistics.SignalEvents]:
    """Generate and load one development case; its co-action events as the cluster test sees them."""
    from coordgraph.ingest import ingest_paths
    from coordgraph.ingest.targets import add_targets

    scenario = dq.generate(workdir / f"case-{design_seed}", seed=1000 + design_seed, scale=dq.DEFAULT_SCALE,
                           **dq.design_for(design_seed))
    dq.wipe(driver, None)
    ingest_paths(driver, scenario.ingest_paths, progress=False, rejects_dir=workdir / "rejects")
    add_targets(driver, scenario.target_handles)
    inputs = SignalInputs(driver, params)
    for name in COACTION:
        SIGNALS[name].compute(inputs)
    return fusion.null_events(inputs.events, params.window_s)


def independent_copy(events: list[statistics.SignalEvents], rng: np.random.Generator) -> list[statistics.SignalEvents]:
    """Every account's delay on every object redrawn from its own delays in the object's stratum (module doc)."""
    settings = cluster_effect.NullSettings()
    out = []
    for ev in events:
        rows = np.arange(len(ev.obj))
        index, start, size = cluster_effect._delay_pools(ev, rows, settings)
        pick = index[start + (rng.random(len(rows)) * size).astype(np.int64)]
        frame = pd.DataFrame({"obj": ev.objects[ev.obj], "acc": ev.acc, "at": ev.anchor[ev.obj] + ev.delay[pick],
                              "anchor": np.where(ev.posted[ev.obj], ev.anchor[ev.obj].astype(float), np.nan)})
        out.append(statistics.SignalEvents.from_frame(ev.signal, frame, ev.window_ms))
    return out


def check_copy(driver, events: list[statistics.SignalEvents], params: DetectParams, rng: np.random.Generator, name: str) -> dict:
    """The route and the gates on one copy."""
    groups, _ = sparse_groups.find_sparse_groups(driver, name, events, set(), params.seed)
    tests = []
    for _, group in groups.groupby("community"):
        test = cluster_effect.cluster_effect_test(events, sorted(group["account_id"]), params.n_null, rng)
        acc = test.accounts
        acc["q_value"] = statistics.bh_q_values(acc["p_value"].to_numpy())
        confirmed = ((acc["q_value"] <= params.alpha) & (acc["effect_low"] >= params.min_effect)
                     & (acc["moments"] >= params.min_repeat) & cluster_effect.in_step(acc, params.min_repeat, params.min_in_step))
        tests.append((len(group), test.p_value, test.effect_low, int(confirmed.sum())))
    q = statistics.bh_q_values([t[1] for t in tests]) if tests else []
    passing = [t for t, qv in zip(tests, q) if qv <= params.alpha and t[2] >= params.min_effect]
    return {"groups": len(tests), "accounts": int(sum(t[0] for t in tests)), "pass_cluster_gates": len(passing),
            "max_effect_low": max((t[2] for t in tests), default=0.0),
            "confirmed_in_passing": int(sum(t[3] for t in passing)),
            "coordinated": int(sum(1 for t in passing if t[3] >= 2))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--design-seeds", type=int, nargs="+", default=[10, 14, 15])
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--null-draws", type=int, default=500)
    parser.add_argument("--home", help="keep the throw-away server's home here")
    parser.add_argument("--bolt-port", type=int, default=7746)
    parser.add_argument("--http-port", type=int, default=7756)
    args = parser.parse_args()
    params = DetectParams(n_null=args.null_draws)
    print(f"group route on independent copies: design seeds {args.design_seeds}, {args.copies} copies each, "
          f"{args.null_draws} null draws, commit {dq.git_commit()}", flush=True)
    totals = {"groups": 0, "pass_cluster_gates": 0, "confirmed_in_passing": 0, "coordinated": 0}
    with dq.bench_connection(args) as conn, tempfile.TemporaryDirectory(prefix="coordgraph-route-null-") as tmp:
        driver = db.connect(conn)
        try:
            for design_seed in args.design_seeds:
                t0 = time.perf_counter()
                events = case_events(driver, design_seed, Path(tmp), params)
                for copy in range(args.copies):
                    rng = np.random.default_rng(1000 * design_seed + copy)
                    r = check_copy(driver, independent_copy(events, rng), params, rng, f"route-null-{design_seed}-{copy}")
                    for k in totals:
                        totals[k] += r[k]
                    print(f"  d{design_seed} copy {copy}: {r['groups']} groups ({r['accounts']} accounts), "
                          f"{r['pass_cluster_gates']} pass the cluster gates (largest effect lower bound {r['max_effect_low']:.2f}), "
                          f"{r['confirmed_in_passing']} members confirmed in them, {r['coordinated']} coordinated "
                          f"({time.perf_counter() - t0:.0f} s)", flush=True)
        finally:
            driver.close()
    print(f"total: {totals['groups']} groups, {totals['pass_cluster_gates']} pass the cluster gates, "
          f"{totals['confirmed_in_passing']} members confirmed, {totals['coordinated']} coordinated clusters")


if __name__ == "__main__":
    main()
