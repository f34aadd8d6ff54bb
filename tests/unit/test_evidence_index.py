"""The dossiers' look-ups by account give what a scan of the whole pair frame gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordgraph.analytics.evidence import PairIndex, account_scores
from coordgraph.analytics.signals.base import SignalResult


def scan(frame: pd.DataFrame, account: str, members: set[str]) -> pd.DataFrame:
    return frame[((frame["a"] == account) & frame["b"].isin(members)) | ((frame["b"] == account) & frame["a"].isin(members))]


def test_pairs_of_an_account_equal_a_scan_of_the_frame():
    rng = np.random.default_rng(5)
    accounts = [f"u{i}" for i in range(40)]
    a = rng.choice(accounts, 600)
    b = rng.choice(accounts, 600)
    keep = a != b
    frame = pd.DataFrame({"a": a[keep], "b": b[keep], "signal": rng.choice(["co_retweet", "co_reply"], keep.sum()),
                          "count": rng.integers(1, 9, keep.sum())})
    frame.index = frame.index * 3 + 7  # labels that are not positions
    index = PairIndex(frame)
    for account in accounts + ["absent"]:
        members = set(rng.choice(accounts, 15))
        got, want = index.pairs(account, members), scan(frame, account, members)
        pd.testing.assert_frame_equal(got, want)
        assert got.empty == want.empty


def test_pairs_of_an_empty_frame_are_empty():
    frame = pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype=object)})
    assert PairIndex(frame).pairs("u1", {"u2"}).empty


def test_account_scores_take_each_signals_first_row_of_the_account():
    results = {
        "profile": SignalResult("profile", accounts=pd.DataFrame({"account_id": ["u1", "u2", "u1"], "score": [0.5, 1.0, 0.9],
                                                       "detail": ["first", "only", "second"]})),
        "language": SignalResult("language", accounts=pd.DataFrame({"account_id": ["u2"], "score": [2.0], "detail": ["x"]})),
        "co_retweet": SignalResult("co_retweet"),
    }
    scores = account_scores(results)
    assert scores["u1"] == {"profile": {"score": 0.5, "detail": "first"}}
    assert scores["u2"]["profile"]["detail"] == "only" and scores["u2"]["language"]["score"] == 2.0
    assert "u3" not in scores


def test_a_frame_without_pair_columns_has_no_pairs():
    assert PairIndex(pd.DataFrame()).pairs("u1", {"u2"}).empty


def test_route_links_are_the_frame_sort_of_the_members_pairs():
    from coordgraph.analytics import evidence

    rng = np.random.default_rng(1)
    n = 3000
    frame = pd.DataFrame({"a": [f"u{i}" for i in rng.integers(0, 30, n)], "b": [f"u{i}" for i in rng.integers(30, 60, n)],
                          "signal": rng.choice(["co_retweet", "co_reply"], n), "count": rng.integers(1, 3, n),
                          "expected": rng.choice([0.1, 0.2, 0.5], n)})  # many ties: the order among them matters
    index = evidence.PairIndex(frame)
    members = {f"u{i}" for i in range(0, 60, 2)}
    for account in [f"u{i}" for i in range(62)]:
        mine = index.pairs(account, members).sort_values(["count", "expected"], ascending=[False, True]).head(evidence.MAX_PARTNERS * 2)
        reference = [{"signal": r["signal"], "partner": r["b"] if r["a"] == account else r["a"], "count": int(r["count"]),
                      "expected": round(float(r["expected"]), 4)} for r in mine.to_dict("records")]
        assert evidence.route_links(account, index, members) == reference
    assert evidence.route_links("nobody", index, members) == [] and index.pairs("nobody", members).empty


def test_inside_and_strongest_signals_equal_a_scan_of_the_frame():
    from coordgraph.analytics import evidence

    rng = np.random.default_rng(3)
    n = 4000
    frame = pd.DataFrame({"a": [f"u{i}" for i in rng.integers(0, 80, n)], "b": [f"u{i}" for i in rng.integers(0, 80, n)],
                          "signal": rng.choice(["co_retweet", "co_reply", "co_url", "profile"], n),
                          "weight": rng.choice([0.5, 1.0, 2.0], n)})  # ties in summed weight happen
    index = evidence.PairIndex(frame)
    for size in (0, 1, 5, 30, 80):
        members = {f"u{i}" for i in rng.choice(90, size, replace=False)}
        scan = frame[frame["a"].isin(members) & frame["b"].isin(members)]
        assert index.inside(members).tolist() == [frame.index.get_loc(i) for i in scan.index]
        grouped = scan.groupby("signal").agg(n=("weight", "size"), w=("weight", "sum")).sort_values("w", ascending=False, kind="stable")
        want = [(str(s), int(c)) for s, c in grouped["n"].items()] if members else []
        assert evidence.strongest_signals(frame, members, index) == want
        assert evidence.strongest_signals(frame, members) == want
