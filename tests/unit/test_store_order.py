"""Detection's pure steps give the same result whatever order the store returned their rows in."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordgraph.analytics.communities import canonical_numbers
from coordgraph.analytics.signals import coaction, textsim
from coordgraph.analytics.signals.language import count_ngrams
from coordgraph.analytics.signals.latency import mann_whitney_faster

T0 = 1_600_000_000_000


def shuffled(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def test_communities_are_numbered_by_their_smallest_member_whatever_gds_called_them():
    gds_a = pd.DataFrame({"account_id": ["c", "a", "e", "b", "d"], "community": [7, 3, 3, 7, 9]})
    gds_b = pd.DataFrame({"account_id": ["d", "b", "a", "e", "c"], "community": [0, 5, 2, 2, 5]})  # same partition
    a, b = canonical_numbers(gds_a), canonical_numbers(gds_b)
    pd.testing.assert_frame_equal(a, b)
    assert list(a["account_id"]) == ["a", "b", "c", "d", "e"]
    assert list(a["community"]) == [0, 1, 1, 2, 0]  # {a, e} -> 0, {b, c} -> 1, {d} -> 2
    assert canonical_numbers(gds_a.iloc[:0]).empty


def test_pairs_list_objects_with_the_same_time_in_object_order_whatever_the_read_order():
    # x and y tag the same two posts with three hashtags each: every hashtag is co-acted on at the same moment
    rows = []
    for k, at in enumerate((T0, T0 + 3_600_000)):
        for tag in ("zeta", "alpha", "mid"):
            rows += [{"obj": tag, "acc": "x", "at": at + k, "eid": f"x{k}"}, {"obj": tag, "acc": "y", "at": at + 5_000, "eid": f"y{k}"}]
    events = pd.DataFrame(rows)
    first = coaction.window_pair_stats(events, 60_000, 2)
    assert first.loc[0, "posts"] == ["alpha", "mid", "zeta"]
    for seed in range(5):
        pd.testing.assert_frame_equal(coaction.window_pair_stats(shuffled(events, seed), 60_000, 2), first)


def test_ngram_counts_do_not_depend_on_the_order_of_the_posts():
    posts = pd.DataFrame({
        "account_id": ["b", "a", "c", "a", "b", "c"],
        "post_id": ["6", "1", "3", "2", "5", "4"],
        "text": ["blue sky today", "red fox jumps", "red fox blue sky", "red fox", "blue sky again", "fox jumps high"],
    })
    counts, ids, phrases, tokens, n_posts = count_ngrams(posts, (2, 3))
    for seed in range(5):
        c2, ids2, phrases2, tokens2, n_posts2 = count_ngrams(shuffled(posts, seed), (2, 3))
        assert list(ids2) == list(ids) == ["a", "b", "c"]
        assert list(phrases2) == list(phrases)
        assert (c2 != counts).nnz == 0
        assert list(tokens2) == list(tokens) and list(n_posts2) == list(n_posts)


def test_near_duplicate_pairs_do_not_depend_on_the_order_of_the_posts():
    rng = np.random.default_rng(3)
    base = ["the embassy statement on trade is clear and fair", "we stand with our friends across the sea today",
            "a great day for cooperation between our nations"]
    rows = []
    for i in range(60):
        text = base[i % 3] + (" indeed" if i % 2 else "") + ("" if i % 5 else " and more")
        rows.append({"eid": str(1000 + i), "acc": f"acc{rng.integers(0, 12)}", "at": T0 + i * 1000, "text": text})
    posts = pd.DataFrame(rows)
    first = textsim.near_duplicate_pairs(posts, threshold=0.8, min_repeat=2)
    assert len(first) > 5
    for seed in range(3):
        pd.testing.assert_frame_equal(textsim.near_duplicate_pairs(shuffled(posts, seed), threshold=0.8, min_repeat=2), first)


def test_latency_u_statistics_are_bit_for_bit_the_same_in_any_row_order():
    rng = np.random.default_rng(11)
    n = 4000
    ev = pd.DataFrame({
        "account_id": [f"acc{i}" for i in rng.integers(0, 300, n)],
        "kind": "retweet",
        "target_id": [f"t{i}" for i in rng.integers(0, 7, n)],
        "post_id": [f"p{i}" for i in rng.integers(0, 90, n)],
        "latency_ms": rng.integers(1_000, 3_600_000, n),
    })
    first = mann_whitney_faster(ev).sort_index()
    for seed in range(3):
        again = mann_whitney_faster(shuffled(ev, seed)).sort_index()
        assert np.array_equal(again["u"].to_numpy(), first["u"].to_numpy())
        assert np.array_equal(again["p"].to_numpy(), first["p"].to_numpy())  # exact, not close


def test_impact_intervals_do_not_depend_on_the_order_of_the_engagement_rows():
    from coordgraph.analytics import impact

    rng = np.random.default_rng(5)
    n = 600
    counts = pd.DataFrame({
        "target_id": [f"t{i}" for i in rng.integers(0, 3, n)],
        "kind": rng.choice(list(impact.KINDS), n),
        "week": None,
        "in_set": rng.random(n) < 0.3,
        "post": [f"p{i}" for i in rng.integers(0, 40, n)],
        "n": rng.integers(1, 20, n),
    })
    counts["group"] = counts["in_set"].map({True: impact.ACCOUNT_SET, False: None})
    counts["confident"], counts["cluster"], counts["held"] = None, None, None
    groups, targets = [(impact.ACCOUNT_SET, None)], ["t0", "t1", "t2"]

    def intervals(frame: pd.DataFrame) -> pd.DataFrame:
        result = impact._shares(frame, groups, {impact.ACCOUNT_SET: 10}, {impact.ACCOUNT_SET: None}, targets,
                                {t: t for t in targets}, None, False, 3)
        return impact._uncertainty(result, frame, False, 500, np.random.default_rng(0), False)

    first = intervals(counts)
    assert first["retweets_share_low"].notna().all() and (first["retweets_share_low"] < first["retweets_share_high"]).all()
    for seed in range(3):
        pd.testing.assert_frame_equal(intervals(shuffled(counts, seed)), first, check_exact=True)
