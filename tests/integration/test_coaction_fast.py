"""The vectorised pairing used by detection equals the reference Cypher queries on real and generated data.

``coaction_pairs`` and ``rapid_follow_on`` pair one export of the events in numpy; investigators rerun
``signals/co_pairs.cypher`` (via ``pairs_query``) and ``signals/rapid_follow_on.cypher``. Both must give the same
pairs, counts, first/last times and gaps; ``posts`` is the same set of objects (Cypher's collect order is not
defined, so when a pair has more objects than ``max_posts`` both sides hold a subset of the pair's objects).
"""

from __future__ import annotations

import pandas as pd
import pytest

from coordgraph import cypher
from coordgraph.analytics.signals import coaction
from coordgraph.db import read_query
from helpers import add_retweets, add_target_posts

T0 = 1_600_000_000_000


def _cypher_pairs(driver, signal, window_s, min_repeat, max_posts=50):
    params = {"window_ms": int(window_s * 1000), "bucket_ms": max(int(window_s * 1000), 1),
              "min_repeat": min_repeat, "max_posts": max_posts}
    query = cypher.load("signals/rapid_follow_on") if signal == coaction.RAPID_SIGNAL else coaction.pairs_query(signal)
    return read_query(driver, query, params)


def _fast_pairs(driver, signal, window_s, min_repeat, max_posts=50):
    if signal == coaction.RAPID_SIGNAL:
        return coaction.rapid_follow_on(driver, window_s, min_repeat, max_posts).pairs
    return coaction.coaction_pairs(driver, signal, window_s, min_repeat, max_posts).pairs


def assert_same_pairs(driver, signal, window_s, min_repeat, max_posts=50, all_objects=None) -> int:
    """Compare both ways of pairing; returns the number of pairs."""
    expected = {(r["a"], r["b"]): r for r in _cypher_pairs(driver, signal, window_s, min_repeat, max_posts)}
    fast = _fast_pairs(driver, signal, window_s, min_repeat, max_posts)
    got = {(r["a"], r["b"]): r for r in fast.to_dict("records")}
    assert set(got) == set(expected), signal
    for key, want in expected.items():
        have = got[key]
        for col in ("count", "first_at", "last_at", "min_gap_ms"):
            assert int(have[col]) == int(want[col]), (signal, key, col)
        assert have["mean_gap_ms"] == pytest.approx(want["mean_gap_ms"], rel=1e-12, abs=1e-9), (signal, key)
        assert have["weight"] == float(want["count"])
        if want["count"] <= max_posts:
            assert sorted(have["posts"]) == sorted(want["posts"]), (signal, key)
        else:
            assert len(have["posts"]) == len(want["posts"]) == max_posts
            assert set(have["posts"]) <= all_objects(key) and set(want["posts"]) <= all_objects(key)
    return len(expected)


@pytest.mark.parametrize("window_s,min_repeat,at_least", [(10, 1, 1000), (60, 2, 20), (0, 1, 20)])
def test_fast_co_retweet_equals_cypher_on_coortweet_sample(russian_sample_db, window_s, min_repeat, at_least):
    assert assert_same_pairs(russian_sample_db, "co_retweet", window_s, min_repeat) > at_least


def test_posts_are_capped_in_time_order(russian_sample_db):
    """Pairs with more objects than ``max_posts``: the first objects in time, never more than the cap."""
    pairs = coaction.coaction_pairs(russian_sample_db, "co_retweet", 60, 1, max_posts=2).pairs
    many = pairs[pairs["count"] > 2]
    assert len(many) > 0 and all(len(p) == 2 for p in many["posts"])
    events = coaction.coaction_events(russian_sample_db, "co_retweet")
    row = many.iloc[0]
    mine = events[events["acc"].isin([row["a"], row["b"]])]
    first_obj = mine.sort_values("at")["obj"]
    assert row["posts"][0] in set(first_obj) and row["first_at"] <= mine.loc[mine["obj"] == row["posts"][1], "at"].max()


def test_pairs_from_given_events_equal_pairs_read_from_the_graph(russian_sample_db):
    events = coaction.coaction_events(russian_sample_db, "co_retweet")
    given = coaction.coaction_pairs(russian_sample_db, "co_retweet", 60, 2, events=events).pairs
    read = coaction.coaction_pairs(russian_sample_db, "co_retweet", 60, 2).pairs
    cols = ["a", "b", "count", "first_at", "last_at"]
    assert len(given) > 0
    assert given[cols].sort_values(cols).reset_index(drop=True).equals(read[cols].sort_values(cols).reset_index(drop=True))


def test_fast_pairing_equals_cypher_on_edge_cases(clean_db):
    """Bucket edges, exact-window gaps, repeats by one account, simultaneous actions, directed ties."""
    add_target_posts(clean_db, [{"acc": "amb", "eid": f"t{i}", "at": T0 + i * 3_600_000} for i in range(4)])
    rows = []
    k = 0
    for i in range(4):
        base = T0 + i * 3_600_000
        for acc, offset in [("a", 0), ("b", 60_000), ("c", 60_001), ("a", 59_999), ("d", 0), ("b", 120_000),
                            ("e", 119_999), ("c", 180_000 + i), ("d", 240_000)]:
            rows.append({"acc": acc, "obj": f"t{i}", "at": base + offset, "eid": f"r{k}"})
            k += 1
    add_retweets(clean_db, rows)
    frame = pd.DataFrame(rows)

    def objects(key):
        return set(frame.loc[frame["acc"].isin(key), "obj"])

    for window in (0, 1, 60, 61):
        for min_repeat in (1, 3):
            assert_same_pairs(clean_db, "co_retweet", window, min_repeat, all_objects=objects)
            assert_same_pairs(clean_db, coaction.RAPID_SIGNAL, window, min_repeat, all_objects=objects)
    assert assert_same_pairs(clean_db, "co_retweet", 60, 1, max_posts=2, all_objects=objects) > 3
    assert coaction.coaction_pairs(clean_db, "co_retweet", 60, 99).pairs.empty


def test_empty_graph_gives_empty_pairs(clean_db):
    assert coaction.coaction_pairs(clean_db, "co_url", 60, 1).pairs.empty
    assert coaction.rapid_follow_on(clean_db, 60, 1).pairs.empty


@pytest.fixture(scope="module")
def scenario_db(driver, tmp_path_factory):
    from coordgraph import synth
    from coordgraph.ingest import ingest_paths
    from coordgraph.ingest.targets import add_targets
    from helpers import wipe

    scenario = synth.generate(tmp_path_factory.mktemp("fast-pairs"), seed=11, scale=0.05)
    wipe(driver)
    ingest_paths(driver, scenario.ingest_paths, progress=False)
    add_targets(driver, scenario.target_handles)
    yield driver
    wipe(driver)


@pytest.mark.parametrize("signal", [*coaction.COACTION_SIGNALS, coaction.RAPID_SIGNAL])
def test_fast_pairing_equals_cypher_on_generated_scenario(scenario_db, signal):
    events = (coaction._read_events(scenario_db, cypher.load("signals/rapid_follow_on_events"), None)
              if signal == coaction.RAPID_SIGNAL else coaction.coaction_events(scenario_db, signal))
    by_acc = events.groupby("acc")["obj"].agg(set).to_dict()

    def objects(key):
        return by_acc.get(key[0], set()) | by_acc.get(key[1], set())

    n = assert_same_pairs(scenario_db, signal, 60, 1, max_posts=5, all_objects=objects)
    if signal in ("co_retweet", "co_reply", "co_hashtag", coaction.RAPID_SIGNAL):
        assert n >= 10, signal  # the scenario exercises these signals


def test_rapid_follow_on_from_kept_exports_equals_cypher(scenario_db, monkeypatch):
    """In a run, rapid follow-on takes the target posts' engagements from the co-retweet/reply/quote exports."""
    exports = {signal: coaction.coaction_events(scenario_db, signal) for signal in coaction.RAPID_SOURCES}

    def no_second_read(*args, **kwargs):
        raise AssertionError("the engagements were read again")

    monkeypatch.setattr(coaction, "_read_events", no_second_read)
    from_exports = coaction.rapid_follow_on(scenario_db, 60, 1, max_posts=5, exports=exports).pairs
    monkeypatch.undo()
    expected = {(r["a"], r["b"]): r for r in _cypher_pairs(scenario_db, coaction.RAPID_SIGNAL, 60, 1, 5)}
    got = {(r["a"], r["b"]): r for r in from_exports.to_dict("records")}
    assert set(got) == set(expected) and len(got) >= 10
    for key, want in expected.items():
        assert [int(got[key][c]) for c in ("count", "first_at", "last_at", "min_gap_ms")] == [
            int(want[c]) for c in ("count", "first_at", "last_at", "min_gap_ms")]
