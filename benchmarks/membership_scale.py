"""Membership test at ~1M events: which accounts it attaches and why. Prints a diagnosis; not a test.

Runs default ``detect`` once on the database as ``benchmarks/detect_speed.py --scenario`` left it (the scenario
loaded, its targets marked), with ``membership.test_membership`` wrapped so that its inputs and its full frame
(every tested pool account, attached or not) are kept. Each tested account is joined to the scenario's ground
truth (network member, hard-negative kind) and to its activity (actions on the targets' posts from the
benchmark pool; retweets and posts in the graph). Printed:

- attached accounts, true and false, by route and corroborating trace, with their timing and identity figures;
- what separates them (activity, co-actions with members against the null expectation, p-values);
- the independence null's assumption checked on the organic accounts of the pool: how often an organic
  account passes the timing gate, the corroboration gate and both, by activity band, against the count the
  null (gates independent) predicts;
- the Monte-Carlo spread: the same test on the same members and pool with other random seeds.

``--order-check RUN`` instead projects one stored run's evidence edges the way ``detect`` does and twice more in
a fixed order (ascending and descending account ids), runs seeded single-threaded Leiden on each, and prints how
many accounts' communities differ: whether the communities depend on the order the store returns the edges in.

Usage: python benchmarks/membership_scale.py --scenario-dir DIR [--save FILE] [--load FILE] [--seeds 5]
       python benchmarks/membership_scale.py --order-check RUN_ID
``--save`` keeps the captured inputs and frame (pickle) so that ``--load`` can print the diagnosis again
without running ``detect``. Needs a Neo4j + GDS reachable through NEO4J_URI/NEO4J_PASSWORD (or the managed
server) unless ``--load``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd

from coordgraph.analytics import membership

ACTIVITY_BANDS = [0, 5, 20, 50, 100, 200, 10**9]


def capture(scenario_dir: Path) -> dict:
    """Run default ``detect``, keeping the membership test's inputs and frame, the pool and activity counts."""
    from coordgraph import db
    from coordgraph.analytics.detect import DetectParams, detect
    from coordgraph.config import resolve_connection
    from coordgraph.ingest.targets import add_targets

    truth = json.loads((scenario_dir / "ground_truth.json").read_text())
    driver = db.connect(resolve_connection())
    add_targets(driver, [t["username"] for t in truth["targets"]])
    kept: dict = {}
    original = membership.test_membership

    def wrapped(events, results, members, pool, exclude, alpha, n_null=2000, rng=None, identity_route=True):
        frame = original(events, results, members, pool, exclude, alpha, n_null, rng, identity_route)
        kept.update(events=events, results={k: v for k, v in results.items() if k in membership.CORROBORATING},
                    members=list(members), pool=list(pool), exclude=set(exclude), alpha=alpha, n_null=n_null, frame=frame)
        return frame

    membership.test_membership = wrapped
    start = time.perf_counter()
    try:
        result = detect(driver, DetectParams())
    finally:
        membership.test_membership = original
    seconds = time.perf_counter() - start
    pool = membership.benchmark_pool(driver)
    with driver.session() as s:
        total = pd.DataFrame(s.run("MATCH (a:Account)-[r:RETWEETED|POSTED]->() RETURN a.id AS account_id, "
                                   "count(r) AS total_actions").data())
        runs = s.run("MATCH (r:Run) RETURN count(r) AS n").single()["n"]
    driver.close()
    accounts = result.accounts
    flagged = set(accounts.loc[accounts["coordinated"].astype(bool), "account_id"])
    kept.update(truth=truth, pool_frame=pool, total=total, flagged=flagged, run_id=result.run_id, seconds=seconds,
                runs_in_graph=runs, load=os.getloadavg())
    return kept


def joined(kept: dict) -> pd.DataFrame:
    """The membership frame with truth and activity per tested account."""
    truth = kept["truth"]
    members = {m["id"] for m in truth["network"]["members"]}
    twins = {m["io_userid"] for m in truth["network"]["members"]}
    kind = {}
    for name, ids in truth["hard_negatives"].items():
        for a in ids:
            kind.setdefault(a, name)
    f = kept["frame"].copy()
    f = f.merge(kept["pool_frame"], on="account_id", how="left").merge(kept["total"], on="account_id", how="left")
    f["total_actions"] = f["total_actions"].fillna(0).astype(int)
    f["member"] = f["account_id"].isin(members)
    f["twin"] = f["account_id"].isin(twins)
    f["kind"] = [("member" if m else "io_twin" if t else kind.get(a, "organic"))
                 for a, m, t in zip(f["account_id"], f["member"], f["twin"])]
    f["timing_ok"] = (f["observed"] >= 1) & (f["observed"] > f["expected"])
    f["corroboration_ok"] = f["corroboration_p"] <= kept["alpha"]
    f["route"] = ["timing+identity" if r["timing_and_identity_q"] <= kept["alpha"] else "two identity traces"
                  for r in f["routes"]]
    f["by"] = [",".join(sorted(k for k in t if k != membership.BEHAVIOURAL)) or "-" for t in f["traces"]]
    return f


def band(values: pd.Series) -> pd.Series:
    return pd.cut(values, ACTIVITY_BANDS, right=False, labels=[f"{a}-{b - 1}" if b < 10**9 else f"{a}+"
                                                              for a, b in zip(ACTIVITY_BANDS, ACTIVITY_BANDS[1:])])


def report(kept: dict, seeds: int) -> None:
    f = joined(kept)
    truth = kept["truth"]
    members = {m["id"] for m in truth["network"]["members"]}
    flagged = kept["flagged"]
    attached = f[f["attached"]]
    print(f"detect run {kept.get('run_id')}: {kept.get('seconds', 0):.0f} s, {len(flagged)} accounts flagged "
          f"({len(flagged & members)} network, {len(flagged - members)} not); runs in the graph {kept.get('runs_in_graph')}; "
          f"load average {' / '.join(f'{x:.1f}' for x in kept.get('load', ()))}")
    print(f"membership test: {len(kept['members'])} confirmed members ({len(set(kept['members']) & members)} in the network), "
          f"pool {len(kept['pool'])}, tested {len(f)} ({int(f['member'].sum())} network members among them), "
          f"alpha {kept['alpha']}, n_null {kept['n_null']}")
    twins = {m["io_userid"] for m in truth["network"]["members"]}
    print(f"flagged by kind: {len(flagged & members)} network (collection ids), {len(flagged & twins)} network under the "
          f"IO archive's hashed ids, {len(flagged - members - twins)} outside the network; precision counting the hashed "
          f"ids as network {len(flagged & (members | twins)) / max(len(flagged), 1):.3f}")
    print(f"attached {len(attached)} by kind: {attached['kind'].value_counts().to_dict()}")
    print(f"tested by kind: {f['kind'].value_counts().to_dict()}")
    print(f"not attached network members in the pool: {int((f['member'] & ~f['attached']).sum())}")
    print("\nattached, by truth and route / corroborating trace:")
    print(attached.groupby(["kind", "route", "by"]).size().to_string())
    cols = ["target_actions", "total_actions", "actions", "near_actions", "observed", "expected", "timing_p",
            "corroboration_p", "q_value"]
    print("\nattached, medians [min-max] by truth:")
    for m, g in attached.groupby("kind"):
        print(f"  {m} ({len(g)}): " + ", ".join(
            f"{c} {g[c].median():.3g} [{g[c].min():.3g}-{g[c].max():.3g}]" for c in cols))
    print("\nattached: observed / expected co-actions with members, ratio:")
    for m, g in attached.groupby("kind"):
        ratio = g["observed"] / g["expected"].clip(lower=1e-9)
        print(f"  {m}: ratio median {ratio.median():.2f}, quartiles {ratio.quantile(.25):.2f}-"
              f"{ratio.quantile(.75):.2f}; excess (observed - expected) median {(g['observed'] - g['expected']).median():.1f}")
    trace_rows = []
    for _, r in attached.iterrows():
        for name, t in r["traces"].items():
            if name != membership.BEHAVIOURAL:
                trace_rows.append({"kind": r["kind"], "trace": name, "strength": t["strength_to_members"],
                                   "p": t["p_value"], "peers": len(t["members"])})
    if trace_rows:
        t = pd.DataFrame(trace_rows)
        print("\nattached accounts' identity traces (strength to members, empirical p, linked members):")
        print(t.groupby(["kind", "trace"]).agg(n=("p", "size"), strength_median=("strength", "median"),
                                                  p_median=("p", "median"), p_max=("p", "max"),
                                                  peers_median=("peers", "median")).to_string())
    organic = f[~f["kind"].isin(["member", "io_twin"])]
    print(f"\npool, organic accounts (tested, outside the network under either id): {len(organic)}")
    for name in membership.CORROBORATING:
        values = np.array([r.get(name, {}).get("strength_to_members", 0.0) for r in organic["traces"]])
        print(f"  {name}: {int((values > 0).sum())} organic accounts with a link to members "
              f"({(values > 0).mean():.1%}); one link's empirical p is at most that share")
    organic = organic.assign(band=band(organic["target_actions"].fillna(0)))
    tab = organic.groupby("band", observed=True).agg(
        n=("account_id", "size"), timing_ok=("timing_ok", "mean"), corroboration_ok=("corroboration_ok", "mean"),
        both=("timing_ok", lambda s: float((s & organic.loc[s.index, "corroboration_ok"]).sum())),
        attached=("attached", "sum"))
    tab["both_if_independent"] = tab["n"] * tab["timing_ok"] * tab["corroboration_ok"]
    print("\norganic pool accounts by actions on the targets' posts: share passing each gate, count passing both, "
          "count the independence null predicts within the band, attached:")
    print(tab.to_string(float_format=lambda x: f"{x:.3f}"))
    n, t_ok, c_ok = len(organic), organic["timing_ok"].mean(), organic["corroboration_ok"].mean()
    both = int((organic["timing_ok"] & organic["corroboration_ok"]).sum())
    print(f"all organic: timing gate {t_ok:.3f}, corroboration gate {c_ok:.3f}; both {both}, independence predicts "
          f"{n * t_ok * c_ok:.1f}; corroboration gate among timing-gate passers "
          f"{organic.loc[organic['timing_ok'], 'corroboration_ok'].mean():.3f} vs among the rest "
          f"{organic.loc[~organic['timing_ok'], 'corroboration_ok'].mean():.3f}")
    print(f"Spearman rank correlation, organic accounts, target actions vs corroboration -log p: "
          f"{organic['target_actions'].rank().corr((-np.log(organic['corroboration_p'])).rank()):.3f}; "
          f"target actions vs timing -log p: {organic['target_actions'].rank().corr((-np.log(organic['timing_p'])).rank()):.3f}")
    fdr_marginals(f, kept["alpha"])
    if seeds:
        seed_spread(kept, f, seeds)


def fdr_marginals(f: pd.DataFrame, alpha: float) -> None:
    """What ``independence_fdr`` sees: the counts behind its marginals and the q at the false attachments."""
    t_ok, c_ok = f["timing_ok"], f["corroboration_ok"]
    print(f"\nindependence_fdr over the whole tested pool ({len(f)}): timing gate {int(t_ok.sum())}, corroboration gate "
          f"{int(c_ok.sum())}, both {int((t_ok & c_ok).sum())} ({(f.loc[t_ok & c_ok, 'kind']).value_counts().to_dict()}); "
          f"null marginals from timing-only {int((t_ok & ~c_ok).sum())} and corroboration-only {int((c_ok & ~t_ok).sum())}")
    both = f[t_ok & c_ok].sort_values("q_value")
    print("accounts passing both gates, in q order (q, timing p, corroboration p, network?):")
    print(" ".join(f"{q:.3f}/{tp:.4f}/{cp:.4f}/{k[:2]}" for q, tp, cp, k in
                   zip(both["q_value"], both["timing_p"], both["corroboration_p"], both["kind"])))
    print("(me: network member, io: a member's IO-archive twin, or: organic, others: a hard-negative kind's first letters)")


def seed_spread(kept: dict, f: pd.DataFrame, seeds: int) -> None:
    """The same test with other random seeds for the timing null: attached counts and how many change."""
    base = set(f.loc[f["attached"], "account_id"])
    members = {m["id"] for m in kept["truth"]["network"]["members"]} | {m["io_userid"] for m in kept["truth"]["network"]["members"]}
    print(f"\nthe same membership test with other seeds (seed 42 as in detect: {len(base)} attached):")
    for seed in range(1, seeds + 1):
        other = membership.test_membership(kept["events"], kept["results"], kept["members"], kept["pool"], kept["exclude"],
                                           kept["alpha"], kept["n_null"], np.random.default_rng(seed))
        got = set(other.loc[other["attached"], "account_id"])
        print(f"  seed {seed}: attached {len(got)} ({len(got & members)} network under either id, {len(got - members)} not), "
              f"{len(got - base)} new, {len(base - got)} dropped")


ORDER_PROJECTION = """
MATCH (a:Account)-[e:COORDINATED {run_id: $run_id}]->(b:Account)
WITH CASE WHEN a.id < b.id THEN a ELSE b END AS source, CASE WHEN a.id < b.id THEN b ELSE a END AS target,
     sum(e.weight) AS weight
WITH source, target, weight ORDER BY source.id %(dir)s, target.id %(dir)s
WITH gds.graph.project($graph_name, source, target, {relationshipProperties: {weight: weight}},
                       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes
"""


def order_check(run_id: str, seed: int = 42) -> None:
    """Leiden on one run's edges projected in the store's order (as ``detect``) and in two fixed orders."""
    from coordgraph import db
    from coordgraph.analytics import communities
    from coordgraph.config import resolve_connection

    driver = db.connect(resolve_connection())
    parts = {"as detect projects": communities.find_communities(driver, run_id, "leiden", seed, 1.0)}
    leiden = ("CALL gds.leiden.stream($g, {relationshipWeightProperty: 'weight', randomSeed: $seed, concurrency: 1, "
              "gamma: 1.0}) YIELD nodeId, communityId RETURN gds.util.asNode(nodeId).id AS account_id, "
              "communityId AS community")
    for label, direction in (("ascending ids", "ASC"), ("descending ids", "DESC")):
        name = f"order-check-{direction}"
        with driver.session() as s:
            s.run("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", g=name).consume()
            s.run(ORDER_PROJECTION % {"dir": direction}, run_id=run_id, graph_name=name).consume()
            parts[label] = pd.DataFrame(s.run(leiden, g=name, seed=seed).data())
            s.run("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", g=name).consume()
    driver.close()

    def sets(frame: pd.DataFrame) -> dict[str, frozenset]:
        groups = frame.groupby("community")["account_id"].agg(frozenset)
        return {a: groups[c] for a, c in zip(frame["account_id"], frame["community"])}

    base_label = next(iter(parts))
    base = sets(parts[base_label])
    for label, frame in parts.items():
        other = sets(frame)
        moved = sum(1 for a in base if base[a] != other.get(a))
        print(f"{label}: {frame['community'].nunique()} communities of {len(frame)} accounts; accounts whose community "
              f"differs from '{base_label}': {moved}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario-dir", type=Path, help="the scenario detect_speed.py generated and loaded")
    parser.add_argument("--save", type=Path, help="keep the captured inputs and frame here")
    parser.add_argument("--load", type=Path, help="print the diagnosis from a saved capture, without detect")
    parser.add_argument("--seeds", type=int, default=5, help="other seeds for the timing null (0: none)")
    parser.add_argument("--order-check", metavar="RUN", help="Leiden on RUN's edges in three orders (module doc)")
    args = parser.parse_args()
    if args.order_check:
        order_check(args.order_check)
        return
    if args.load:
        kept = pickle.loads(args.load.read_bytes())
    else:
        kept = capture(args.scenario_dir)
        if args.save:
            args.save.write_bytes(pickle.dumps(kept))
    report(kept, args.seeds)


if __name__ == "__main__":
    main()
