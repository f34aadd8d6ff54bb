"""Run comparison and the one-line parameters, without a server."""

from __future__ import annotations

import json

from coordgraph.analytics.detect import ALL_SIGNALS
from coordgraph.runview import compare_memberships, params_line


def test_entered_left_split_and_merged():
    a = {"x1": 1, "x2": 1, "x3": 1, "x4": 1, "y1": 2, "y2": 2, "z1": 3, "z2": 3, "gone": 3}
    b = {"x1": 1, "x2": 1, "x3": 4, "x4": 4, "y1": 2, "y2": 2, "z1": 2, "z2": 2, "new": 5}
    d = compare_memberships(a, b)
    assert d["entered"] == ["new"] and d["left"] == ["gone"]
    assert d["stayed"] == ["x1", "x2", "x3", "x4", "y1", "y2", "z1", "z2"]
    assert d["splits"] == {1: [1, 4]}  # cluster 1 of a now sits in clusters 1 and 4 of b
    assert d["merges"] == {2: [2, 3]}  # cluster 2 of b holds a's clusters 2 and 3


def test_same_clusters_renumbered_are_neither_split_nor_merged():
    d = compare_memberships({"a": 1, "b": 1, "c": 2}, {"a": 7, "b": 7, "c": 3})
    assert d == {"entered": [], "left": [], "stayed": ["a", "b", "c"], "splits": {}, "merges": {}}


def test_params_on_one_line():
    params = {"window_s": 60, "min_repeat": 2, "fast_window_s": 10.0, "algorithm": "leiden", "seed": 42, "alpha": 0.05,
              "n_null": 2000, "signals": list(ALL_SIGNALS),
              "time_range": {"since": "2021-08-15T00:00:00.000Z", "until": "2021-08-31T23:59:59.999Z"}}
    line = params_line(json.dumps(params))
    assert line == ("W 60 s, min 2, fast 10 s, leiden, seed 42, alpha 0.05, 2000 draws, all signals, "
                    "2021-08-15T00:00:00 .. 2021-08-31T23:59:59")
    assert "\n" not in line
    assert params_line(json.dumps({"window_s": 30, "signals": ["co_retweet", "rapid_follow_on"]})) == \
        "W 30 s, co_retweet,rapid_follow_on"
    assert params_line(None) == ""
