"""Fusion, the per-signal q-values and the stored records, on plain data (no server)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics import cluster_testing, detect, fusion, statistics
from coordgraph.analytics.signals import SignalResult


def _pairs(rows):
    return pd.DataFrame(rows, columns=["a", "b", "weight", "count", "first_at", "last_at", "posts"])


def test_fuse_scales_weights_and_keeps_corroboration_only_on_coaction_links():
    results = {
        "co_retweet": SignalResult("co_retweet", _pairs([
            ("a", "b", 10.0, 10, 1, 2, [f"p{i}" for i in range(8)]),
            ("c", "d", 2.0, 2, 3, 4, ["p1"]),
        ])),
        # profile links a-b (a co-retweet pair, kept) and e-f (no co-action link, dropped)
        "profile": SignalResult("profile", _pairs([("b", "a", 0.5, 1, None, None, []), ("e", "f", 5.0, 1, None, None, [])])),
    }
    edges = fusion.fuse(results, weight_quantile=1.0, max_posts=3)
    assert list(edges.columns) == fusion.EDGE_COLUMNS
    got = {(r.signal, r.a, r.b): r for r in edges.itertuples()}
    assert set(got) == {("co_retweet", "a", "b"), ("co_retweet", "c", "d"), ("profile", "b", "a")}
    # each signal's weight is its raw strength over its quantile (the maximum here), capped at 1
    assert got[("co_retweet", "a", "b")].weight == 1.0 and got[("co_retweet", "c", "d")].weight == pytest.approx(0.2)
    assert got[("profile", "b", "a")].weight == pytest.approx(0.1)  # 0.5 over profile's own maximum, 5.0
    assert got[("co_retweet", "a", "b")].raw_weight == 10.0
    assert got[("co_retweet", "a", "b")].posts == ["p0", "p1", "p2"]  # at most max_posts


def test_fuse_without_pairs_is_an_empty_frame_with_the_edge_columns():
    edges = fusion.fuse({"co_retweet": SignalResult("co_retweet")}, 0.95, 50)
    assert edges.empty and list(edges.columns) == fusion.EDGE_COLUMNS


def test_edge_rows_are_plain_values_for_the_driver():
    edges = pd.DataFrame([{"a": "a", "b": "b", "signal": "co_retweet", "weight": np.float64(0.5), "raw_weight": np.float64(2),
                           "count": np.int64(2), "first_at": np.nan, "last_at": np.int64(7), "posts": ["p"], "expected": 0.1}])
    [row] = fusion.edge_rows(edges)
    assert row == {"a": "a", "b": "b", "signal": "co_retweet", "weight": 0.5, "raw_weight": 2.0, "count": 2,
                   "first_at": None, "last_at": 7, "posts": ["p"]}
    assert type(row["count"]) is int and type(row["last_at"]) is int and type(row["weight"]) is float


def test_signal_q_values_are_benjamini_hochberg_over_every_cluster_and_signal():
    rows = [{"signals": {"p_values": {"co_retweet": 0.01, "co_reply": 0.04}, "q_values": {}}},
            {"signals": {"p_values": {"co_retweet": 0.03}, "q_values": {}}}]
    cluster_testing.add_signal_q_values(rows)
    expected = statistics.bh_q_values([0.01, 0.04, 0.03])
    assert rows[0]["signals"]["q_values"] == {"co_retweet": pytest.approx(expected[0]), "co_reply": pytest.approx(expected[1])}
    assert rows[1]["signals"]["q_values"] == {"co_retweet": pytest.approx(expected[2])}


def test_records_are_encoded_as_json_once_for_storing():
    clusters = [{"number": 1, "size": 2, "score": 3.0, "p_value": 0.001, "q_value": 0.002, "coordinated": True,
                 "observed": 9, "expected": 1.5, "strongest_signals": ["co_retweet"],
                 "signals": {"p_values": {"co_retweet": 0.001}, "q_values": {"co_retweet": 0.002}}}]
    members = [{"account_id": a, "number": 1, "coordinated": True, "score": 3.0, "p_value": 0.001, "q_value": 0.002,
                "observed": 5, "expected": 0.5, "flagged": True, "attached": False, "evidence": {"links": [{"partner": b}]}}
               for a, b in (("a", "b"), ("b", "a"))]
    cluster_frame, account_frame = detect._frames(clusters, members)
    assert list(cluster_frame.columns) == detect.CLUSTER_COLUMNS and list(account_frame.columns) == detect.ACCOUNT_COLUMNS
    assert json.loads(cluster_frame.loc[0, "signals"]) == clusters[0]["signals"]
    assert [json.loads(e) for e in account_frame["evidence"]] == [m["evidence"] for m in members]
