"""The group route's pure parts: pairs seen once, their excess over the null, and how the two routes combine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics import cluster_testing, sparse_groups
from coordgraph.analytics.statistics import SignalEvents


def test_excess_weights_sum_positive_excess_over_signals_per_unordered_pair():
    pairs = pd.DataFrame({
        "a": ["x", "y", "x", "p", "q"],
        "b": ["y", "x", "z", "q", "r"],
        "signal": ["co_retweet", "co_reply", "co_retweet", "co_retweet", "co_url"],
        "count": [1, 2, 1, 1, 1],
        "expected": [0.25, 0.5, 1.5, 0.0, 1.0],
    })
    out = sparse_groups.excess_weights(pairs)
    got = {(r.a, r.b): r.weight for r in out.itertuples()}
    # x-y: both directions are one pair, 0.75 + 1.5; x-z is below its expectation (no excess, not an edge);
    # q-r has exactly what the null expects (dropped)
    assert got == {("x", "y"): pytest.approx(2.25), ("p", "q"): pytest.approx(1.0)}


def test_excess_weights_drop_pairs_touching_excluded_accounts():
    pairs = pd.DataFrame({"a": ["x", "p"], "b": ["y", "q"], "signal": ["co_retweet"] * 2, "count": [3, 3], "expected": [0.0, 0.0]})
    out = sparse_groups.excess_weights(pairs, exclude={"y"})
    assert list(zip(out["a"], out["b"])) == [("p", "q")]


def test_sparse_pairs_count_single_meetings_with_the_edge_nulls_expectation():
    # one post each: a and b within 10 s on p1 (c an hour later); a and c within 10 s on p2
    frame = pd.DataFrame({
        "obj": ["p1", "p1", "p1", "p2", "p2"],
        "acc": ["a", "b", "c", "a", "c"],
        "at": [0, 10_000, 3_600_000, 0, 10_000],
        "anchor": [0, 0, 0, 0, 0],
    })
    ev = SignalEvents.from_frame("co_retweet", frame, 60_000)
    out = sparse_groups.sparse_pairs([ev]).sort_values(["a", "b"]).reset_index(drop=True)
    assert [(r.a, r.b, r.count) for r in out.itertuples()] == [("a", "b", 1), ("a", "c", 1)]
    # expectation: the sum over shared objects of the share of the object's action pairs within W: on p1 one of
    # three (1/3), on p2 the only pair (1); a and c share both
    assert out["expected"].tolist() == pytest.approx([1 / 3, 1 / 3 + 1.0])
    assert set(out["signal"]) == {"co_retweet"}


def test_held_by_edge_route_only_counts_tested_communities():
    groups = pd.DataFrame({"account_id": ["a", "b", "c", "d"], "community": [1, 1, 2, 3]})
    assert sparse_groups.held_by_edge_route(groups, 2) == {"a", "b"}
    assert sparse_groups.held_by_edge_route(groups.iloc[:0], 2) == set()


def test_combine_routes_moves_the_group_routes_numbers_past_the_edge_routes():
    edges = pd.DataFrame({"account_id": ["a", "b", "c"], "community": [0, 0, 7]})
    sparse = pd.DataFrame({"account_id": ["x", "y", "z"], "community": [0, 0, 3]})
    both = sparse_groups.combine_routes(edges, sparse)
    assert list(both["route"]) == ["edges"] * 3 + ["sparse"] * 3
    assert list(both["community"]) == [0, 0, 7, 8, 8, 11]
    routes = cluster_testing.community_routes(both)
    assert routes == {0: "edges", 7: "edges", 8: "sparse", 11: "sparse"}
    # without a group route the frame is the edge route's, tagged
    alone = sparse_groups.combine_routes(edges, pd.DataFrame(columns=["account_id", "community"]))
    assert list(alone["route"]) == ["edges"] * 3 and np.array_equal(alone["community"], edges["community"])
