"""Group route: communities of accounts whose members each meet others only once or twice.

Evidence edges need ``min_repeat`` shared objects per pair and a pair surprise beyond the edge null, so a large
network whose members act in small rotating cascades (each pair meets once or twice in hundreds of posts) has
almost no edge and no community holds it. The cluster test is group-level (it sums co-actions over all member
pairs), so such a group is far beyond chance *as a group*; what is missing is a way to propose it.

This route proposes groups from the unthresholded co-action graph: every pair of accounts that co-acted at
least once (any co-action signal, window W), weighted by its co-actions in *excess* of the edge null's
expectation (the sum over its shared objects of the chance that two of the object's actions fall within W, or
on small-audience objects without a post time the outside-jitter rate): a co-action on a post with a large fast
audience is worth little, one on a post answered slowly by all but these two is worth almost one. GDS Leiden
(seeded, single-threaded) partitions that graph; the accounts no tested community of the edge route holds form
it, so the two routes never propose the same account. Every community of at least :data:`MIN_GROUP` accounts
is then a candidate for the same cluster test as any other: effect lower bound, significance, and each member
confirmed by its own effect and in-step share. Nothing here decides; it only proposes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from neo4j import Driver

from .. import cypher
from . import cluster_effect, communities, statistics
from .routes import SPARSE_ROUTE

# The smallest group this route proposes: a pair is what the edge route already judges (with its repetition
# and surprise); the route exists for groups, whose evidence is summed over many member pairs.
MIN_GROUP = 3


def sparse_pairs(events: list[statistics.SignalEvents], settings: cluster_effect.NullSettings | None = None) -> pd.DataFrame:
    """Every pair of accounts (ids, ``a < b`` by code) that co-acted within W at least once, per co-action signal:
    ``a, b, signal, count, expected`` (``expected``: the edge null's expectation, module doc)."""
    settings = settings or cluster_effect.NullSettings()
    parts = []
    for ev in events:
        if len(ev.obj) == 0:
            continue
        small = cluster_effect.small_audiences(ev, settings.small_audience)
        rate = cluster_effect.pair_rates(ev, small, cluster_effect.shift_scale(ev, settings)) if small.any() else ev.distinct_pair_rate()
        pairs = statistics.window_pairs(ev, ev.acc_code, 1)
        if pairs.empty:
            continue
        a = pairs["a"].to_numpy(dtype=np.int64)
        b = pairs["b"].to_numpy(dtype=np.int64)
        expected = statistics.shared_rate_sum(ev, a, b, rate)
        parts.append(pd.DataFrame({"a": ev.accounts[a], "b": ev.accounts[b], "signal": ev.signal,
                                   "count": pairs["count"].to_numpy(dtype=np.int64), "expected": expected}))
    if not parts:
        return pd.DataFrame({"a": [], "b": [], "signal": [], "count": [], "expected": []})
    return pd.concat(parts, ignore_index=True)


def excess_weights(pairs: pd.DataFrame, exclude: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """Per unordered account pair: co-actions beyond the null's expectation, summed over signals (each signal's
    excess counted only when positive). Pairs touching ``exclude`` and pairs with no excess are dropped.
    Returns ``a, b, weight`` with ``a < b``."""
    if pairs.empty:
        return pd.DataFrame({"a": [], "b": [], "weight": []})
    keep = ~(pairs["a"].isin(list(exclude)) | pairs["b"].isin(list(exclude))) if exclude else np.ones(len(pairs), dtype=bool)
    frame = pairs[keep]
    a, b = frame["a"].astype(str).to_numpy(), frame["b"].astype(str).to_numpy()
    lo, hi = np.where(a < b, a, b), np.where(a < b, b, a)
    excess = np.clip(frame["count"].to_numpy(dtype=float) - frame["expected"].to_numpy(dtype=float), 0.0, None)
    out = pd.DataFrame({"a": lo, "b": hi, "weight": excess}).groupby(["a", "b"], sort=True, as_index=False)["weight"].sum()
    return out[out["weight"] > 0].reset_index(drop=True)


def leiden_groups(driver: Driver, weights: pd.DataFrame, graph_name: str, seed: int, resolution: float = 1.0,
                  database: str | None = None) -> pd.DataFrame:
    """GDS Leiden on the weighted pair graph ``a, b, weight`` (projected from the pairs themselves, sent as three
    lists with accounts as integer ids; the projection is always dropped). Returns ``account_id, community``."""
    if weights.empty:
        return pd.DataFrame(columns=["account_id", "community"])
    codes, accounts = pd.factorize(pd.concat([weights["a"], weights["b"]], ignore_index=True))
    n = len(weights)
    lists = {"a": codes[:n].tolist(), "b": codes[n:].tolist(), "weight": weights["weight"].to_numpy(dtype=float).tolist()}
    with driver.session(database=database) as session:
        session.run(cypher.load("detect/drop_graph"), graph_name=graph_name).consume()
        try:
            session.run(cypher.load("detect/project_pairs"), **lists, graph_name=graph_name).consume()
            found = [r.data() for r in session.run(cypher.load("detect/communities_pairs"), graph_name=graph_name,
                                                   seed=int(seed), resolution=float(resolution))]
        finally:
            session.run(cypher.load("detect/drop_graph"), graph_name=graph_name).consume()
    frame = pd.DataFrame(found, columns=["node", "community"])
    return communities.canonical_numbers(pd.DataFrame({
        "account_id": np.asarray(accounts, dtype=object)[frame["node"].to_numpy(dtype=np.int64)],
        "community": frame["community"].to_numpy(dtype=np.int64)}))


def find_sparse_groups(driver: Driver, run_id: str, events: list[statistics.SignalEvents], exclude: set[str], seed: int,
                       resolution: float = 1.0, min_size: int = MIN_GROUP, database: str | None = None
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The route's candidate groups (module doc): ``account_id, community`` for the communities of at least
    ``min_size`` accounts among those not in ``exclude`` (the accounts the edge route's tested communities hold),
    and the pairs inside them (:func:`sparse_pairs` rows, the members' evidence)."""
    pairs = sparse_pairs(events)
    groups = leiden_groups(driver, excess_weights(pairs, exclude), f"coordgraph-run-{run_id}-sparse", seed, resolution, database)
    if groups.empty:
        return groups, pairs.iloc[:0]
    sizes = groups.groupby("community")["account_id"].transform("count")
    groups = groups[sizes >= min_size].reset_index(drop=True)
    community = dict(zip(groups["account_id"], groups["community"]))
    of_a, of_b = pairs["a"].map(community), pairs["b"].map(community)
    return groups, pairs[(of_a == of_b) & of_a.notna()].reset_index(drop=True)


def held_by_edge_route(groups: pd.DataFrame, min_cluster_size: int) -> set[str]:
    """Accounts the edge route's communities of at least ``min_cluster_size`` hold (those it tests)."""
    if groups.empty:
        return set()
    sizes = groups.groupby("community")["account_id"].transform("count")
    return set(groups.loc[sizes >= min_cluster_size, "account_id"])


def combine_routes(edge_groups: pd.DataFrame, sparse: pd.DataFrame) -> pd.DataFrame:
    """Both routes' communities in one frame ``account_id, community, route`` (``edges`` / ``sparse``), the group
    route's community numbers moved past the edge route's so that none collide."""
    edges = edge_groups[["account_id", "community"]].assign(route="edges")
    if sparse.empty:
        return edges
    offset = int(edges["community"].max()) + 1 if len(edges) else 0
    moved = sparse[["account_id", "community"]].assign(community=sparse["community"].astype(np.int64) + offset, route=SPARSE_ROUTE)
    return pd.concat([edges, moved], ignore_index=True)
