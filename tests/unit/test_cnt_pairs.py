"""The toolkit-compatible edges paired in numpy (``cnt_pairs.edges_of``) against a direct reading of the toolkit's
query (every pair of events on one object, different ids, at most the window apart; weight = distinct events of
user_1) on seeded data with repeated accounts, tied times, repeated event ids and several chunks."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics.signals.cnt_pairs import EventCodes
from coordgraph.analytics.signals.cnt_pairs import edges_of as _edges_of


def edges_of(obj, acc, t, eid, window_ms, min_weight, **kwargs):
    """``cnt_pairs.edges_of`` on ids: accounts and event ids turned into codes as ``cnt_edges`` does."""
    acc_code, names = pd.factorize(pd.Series(list(acc), dtype=object))
    eid_code = np.fromiter(map(EventCodes(), eid), dtype=np.int64, count=len(eid))
    return _edges_of(np.asarray(obj, dtype=np.int64), acc_code.astype(np.int64), np.asarray(t, dtype=np.int64),
                     eid_code, np.asarray(names, dtype=object), window_ms, min_weight, **kwargs)


def _reference(frame: pd.DataFrame, window_ms: int, min_weight: int) -> pd.DataFrame:
    pairs = frame.merge(frame, on="obj", suffixes=("_1", "_2"))
    pairs = pairs[(pairs["eid_1"] != pairs["eid_2"]) & ((pairs["t_1"] - pairs["t_2"]).abs() <= window_ms)]
    grouped = pairs.groupby(["acc_1", "acc_2"]).agg(weight=("eid_1", "nunique"), first=("t_1", "min"), last=("t_1", "max"))
    grouped = grouped[grouped["weight"] >= min_weight].reset_index()
    return pd.DataFrame({"user_1": grouped["acc_1"].astype(str), "user_2": grouped["acc_2"].astype(str),
                         "weight": grouped["weight"].astype(np.int64), "first_s": grouped["first"] // 1000,
                         "last_s": grouped["last"] // 1000})


def _events(seed: int, n: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        # numeric ids (as Twitter's) and others; now and then one event on two rows
        eid = (str(10**18 + k) if k % 3 else f"e{k}") if rng.random() > 0.05 or not rows else rows[-1][3]
        at = rng.randrange(0, 600_000) if rng.random() > 0.1 else 300_000  # ties
        rows.append((rng.randrange(12), f"acc{rng.randrange(30)}", at, eid))
    return pd.DataFrame(rows, columns=["obj", "acc", "t", "eid"])


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("window_ms,min_weight,chunk", [(60_000, 1, 4_000_000), (10_000, 2, 7), (0, 1, 50)])
def test_edges_equal_the_toolkit_query(seed, window_ms, min_weight, chunk):
    frame = _events(seed, 900)
    got = edges_of(frame["obj"].to_numpy(np.int64), frame["acc"].tolist(), frame["t"].to_numpy(np.int64),
                   frame["eid"].tolist(), window_ms, min_weight, chunk_pairs=chunk)
    expected = _reference(frame, window_ms, min_weight).sort_values(["user_1", "user_2"]).reset_index(drop=True)
    assert len(expected) > 0
    assert (got["user_1"] == got["user_2"]).any()  # self-loops are kept, as the toolkit keeps them
    pd.testing.assert_frame_equal(got.reset_index(drop=True).astype({"user_1": str, "user_2": str}), expected,
                                  check_dtype=False)


def test_no_events_or_no_pairs_give_empty_tables():
    assert list(edges_of(np.empty(0, np.int64), [], np.empty(0, np.int64), [], 60_000, 1).columns) == \
        ["user_1", "user_2", "weight", "first_s", "last_s"]
    lonely = edges_of(np.array([0, 1]), ["a", "b"], np.array([0, 0]), ["x", "y"], 60_000, 1)
    assert lonely.empty
    same = edges_of(np.array([0, 0]), ["a", "a"], np.array([0, 5]), ["x", "x"], 60_000, 1)
    assert same.empty  # one event on two rows never pairs with itself


def test_negative_times_truncate_toward_zero_as_cypher():
    got = edges_of(np.array([0, 0]), ["a", "b"], np.array([-1500, -1200]), ["x", "y"], 60_000, 1)
    assert got["first_s"].tolist() == [-1, -1] and got["last_s"].tolist() == [-1, -1]


def test_event_codes_are_equal_exactly_for_equal_ids():
    code = EventCodes()
    ids = ["0", "7", "07", "007", "1400000000000000001", "9223372036854775807", "9223372036854775808",
           "99999999999999999999", "-5", "e7", "", "\u0667", "7 ", "1400000000000000001"]
    codes = [code(i) for i in ids]
    assert codes[4] == codes[-1] == 1400000000000000001  # a Twitter id is its own code, every time
    assert codes[0] == 0 and codes[1] == 7 and codes[5] == 2**63 - 1
    distinct = ids[:-1]
    assert len(set(codes[:-1])) == len(distinct)  # "07", "007", too-large, signed, non-ASCII digits: no collision
    assert all(c < 0 for c in codes[2:4] + codes[6:13])
    assert code(7) != code("7")  # a number is not the text of that number
