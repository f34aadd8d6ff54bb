"""The compiled draw counter gives, draw for draw, what the null's definition computed in numpy gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics import null_draws


def reference(u, pool_delays, pool_start, pool_size, on_shift, own_rel, who, n_members, shift_ms, obj, window_ms):
    """The null's definition, written plainly: every row's time, then every pair on an object compared."""
    n = len(obj)
    totals, members, row_sum = [], [], np.zeros(n)
    for draw in u:
        picked = pool_delays[pool_start + (draw[:n] * pool_size).astype(np.int64)]
        shift = ((draw[n:] * 2 - 1) * shift_ms).astype(np.int64)[who]
        rel = np.where(on_shift, own_rel + shift, picked)
        same = obj[:, None] == obj[None, :]
        close = (np.abs(rel[:, None] - rel[None, :]) <= window_ms) & same & ~np.eye(n, dtype=bool)
        partners = close.sum(axis=1)
        totals.append(partners.sum() // 2)
        members.append(np.bincount(who, weights=partners, minlength=n_members))
        row_sum += partners
    return np.array(totals), np.array(members), row_sum


@pytest.mark.parametrize("seed", range(6))
def test_counts_equal_the_definition_on_small_and_crowded_objects(seed):
    rng = np.random.default_rng(seed)
    n_members = 12
    # many objects with two to five rows, and a few crowded ones beyond the direct comparison
    sizes = list(rng.integers(2, 6, 40)) + [null_draws.DIRECT_MAX + 1, 3 * null_draws.DIRECT_MAX, 1]
    obj = np.repeat(rng.permutation(len(sizes)) * 7, sizes)[rng.permutation(int(np.sum(sizes)))]
    n = len(obj)
    who = rng.integers(0, n_members, n)
    pool_delays = rng.integers(0, 400_000, 300)
    pool_size = rng.integers(1, 40, n)
    pool_start = rng.integers(0, 300 - pool_size + 1)
    on_shift = rng.random(n) < 0.3
    own_rel = rng.integers(-200_000, 200_000, n)
    u = rng.random((25, n + n_members))
    counter = null_draws.DrawCounter(pool_delays, pool_start, pool_size, on_shift, own_rel, who, n_members, 90_000, obj, 60_000)
    got = counter.count(u)
    want = reference(u, pool_delays, pool_start, pool_size, on_shift, own_rel, who, n_members, 90_000, obj, 60_000)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    assert got[0].sum() > 0  # the draws do find pairs within W


def test_times_at_exactly_w_apart_are_partners_and_one_more_millisecond_is_not():
    obj = np.array([5, 5, 5, 9, 9])
    delays = np.array([0, 60_000, 120_001, 0, 60_000])
    counter = null_draws.DrawCounter(delays, np.arange(5), np.ones(5, dtype=np.int64), np.zeros(5, dtype=bool),
                                     np.zeros(5, dtype=np.int64), np.arange(5), 5, 1000, obj, 60_000)
    totals, members, row_sum = counter.count(np.full((1, 10), 0.5))
    # rows 0-1 (exactly W apart), 1-2 (W + 1 ms: no), 3-4 (exactly W)
    assert totals.tolist() == [2]
    assert row_sum.tolist() == [1.0, 1.0, 0.0, 1.0, 1.0]
    assert members.tolist() == [[1.0, 1.0, 0.0, 1.0, 1.0]]


def test_no_rows_count_nothing():
    empty = np.zeros(0, dtype=np.int64)
    counter = null_draws.DrawCounter(np.array([1]), empty, empty, np.zeros(0, dtype=bool), empty, empty, 3, 1000, empty, 60_000)
    totals, members, row_sum = counter.count(np.random.default_rng(0).random((4, 3)))
    assert totals.tolist() == [0, 0, 0, 0] and members.shape == (4, 3) and row_sum.size == 0


@pytest.mark.parametrize("seed", range(4))
def test_shared_rate_sums_equal_the_sum_over_shared_objects(seed):
    """The edge calibration's expected co-actions per pair: over the objects both accounts acted on, added in the
    smaller account's object order (the order the numpy version summed in, so the floats are the same)."""
    from coordgraph.analytics import statistics

    rng = np.random.default_rng(seed)
    events = pd.DataFrame({"obj": [f"o{k}" for k in rng.integers(0, 60, 900)],
                           "acc": [f"a{k}" for k in rng.integers(0, 80, 900)],
                           "at": rng.integers(0, 10**7, 900)})
    ev = statistics.SignalEvents.from_frame("co_retweet", events, 60_000)
    rate = ev.distinct_pair_rate()
    n_acc = len(ev.accounts)
    a, b = rng.integers(0, n_acc, 500), rng.integers(0, n_acc, 500)
    objects = [set(ev.obj[ev.acc_code == code].tolist()) for code in range(n_acc)]
    got = statistics.shared_rate_sum(ev, a, b, rate)
    for k in range(len(a)):
        small, large = (a[k], b[k]) if len(objects[a[k]]) <= len(objects[b[k]]) else (b[k], a[k])
        want = 0.0
        for o in sorted(objects[small]):
            if o in objects[large]:
                want += rate[o]
        assert got[k] == want
    assert (got > 0).sum() >= 50  # many pairs share objects
    assert statistics.shared_rate_sum(ev, a[:0], b[:0], rate).shape == (0,)
