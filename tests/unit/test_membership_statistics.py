"""The membership test's statistics on hand-made events (no server)."""

from __future__ import annotations

import numpy as np
import pytest

from coordgraph.analytics import membership


def test_timing_benchmark_is_the_rest_of_the_audience():
    """Timing: co-actions with members, against the counts of the object's other non-member actions."""
    import pandas as pd

    from coordgraph.analytics import statistics

    rows = [{"obj": "p1", "acc": "m1", "at": 1_000}, {"obj": "p1", "acc": "m2", "at": 5_000},
            {"obj": "p1", "acc": "x", "at": 20_000}, {"obj": "p1", "acc": "y", "at": 900_000},
            {"obj": "p1", "acc": "z", "at": 950_000}, {"obj": "p2", "acc": "y", "at": 10}]
    for i in range(6):  # on p3 every non-member acts inside the members' burst: being there says nothing
        rows += [{"obj": "p3", "acc": f"m{i % 2 + 1}", "at": 2_000_000 + i}, {"obj": "p3", "acc": f"f{i}", "at": 2_000_010 + i}]
    ev = statistics.SignalEvents.from_frame("co_retweet", pd.DataFrame(rows), 60_000)
    out = membership.timing_test([ev], {"m1", "m2"}, 4000, np.random.default_rng(1)).set_index("account_id")
    # x is within W of both members on p1; the other non-members there have none: 2 co-actions, null mean 2/3
    assert out.loc["x", "observed"] == 2 and out.loc["x", "near_actions"] == 1
    assert out.loc["x", "expected"] == pytest.approx(2 / 3)
    assert out.loc["x", "timing_p"] == pytest.approx(1 / 3, abs=0.03)  # one in three of p1's non-members
    # y is judged on p1 only (p2 has no member action)
    assert out.loc["y", "actions"] == 1 and out.loc["y", "observed"] == 0 and out.loc["y", "timing_p"] == 1.0
    # on p3 the whole audience is inside the burst: each f has co-actions, none beyond the audience
    assert (out.loc[[f"f{i}" for i in range(6)], "observed"] == 2).all()
    assert (out.loc[[f"f{i}" for i in range(6)], "timing_p"] == 1.0).all()


def test_chance_pairings_do_not_pass_but_joint_traces_do():
    rng = np.random.default_rng(11)
    n = 600
    timing = rng.uniform(size=n)
    corroboration = rng.uniform(size=n)
    ok_t, ok_c = timing < 0.3, corroboration <= 0.05
    # traces unrelated to timing: the accounts that pass both gates are what chance pairings give
    q = membership.independence_fdr(timing, corroboration, ok_t, ok_c)
    assert (q <= 0.05).sum() == 0 and ok_t.sum() > 100 and (ok_t & ok_c).sum() > 0
    # ten accounts strong on both: they pass; chance pairings stay within the false-discovery rate
    timing[:10], corroboration[:10] = 0.002, 0.004
    ok_t, ok_c = timing < 0.3, corroboration <= 0.05
    q = membership.independence_fdr(timing, corroboration, ok_t, ok_c)
    passed = set(np.flatnonzero(q <= 0.05).tolist())
    assert set(range(10)) <= passed and len(passed - set(range(10))) <= 1
    # a strong timing alone (no corroboration) or a corroboration alone never passes
    assert (q[~(ok_t & ok_c)] == 1.0).all()


def test_empirical_p_is_rank_in_pool():
    p = membership.empirical_p(np.array([0.0, 5.0, 5.0, 1.0, 10.0]))
    assert list(p) == [1.0, 0.6, 0.6, 0.8, 0.2]


def test_empirical_p_against_a_reference_counts_each_value_once_among_it():
    values = np.array([0.0, 5.0, 5.0, 1.0, 10.0])
    reference = np.array([True, False, True, True, False])
    p = membership.empirical_p(values, reference=reference)
    # the reference holds 0, 5 and 1; a value outside it is ranked as one more member of it
    assert list(p) == [1.0, 2 / 4, 1 / 3, 2 / 3, 1 / 4]
    assert list(membership.empirical_p(values, reference=np.ones(5, bool))) == list(membership.empirical_p(values))


def test_quiet_members_ranked_against_the_reference_do_not_raise_each_others_p_values():
    # 500 organic accounts, 10 of them linked to the members by chance; 25 quiet members, each linked once
    values = np.r_[np.zeros(490), np.ones(10), np.ones(25)]
    near_members = np.r_[np.zeros(500, bool), np.ones(25, bool)]
    crowded = membership.empirical_p(values)[near_members]
    assert (crowded == 35 / 525).all() and (crowded > 0.05).all()
    ranked = membership.empirical_p(values, reference=~near_members)[near_members]
    assert (ranked == 11 / 501).all()


def _trace_p(values: np.ndarray) -> np.ndarray:
    return membership.empirical_p(values)


def test_two_identity_traces_attach_members_and_keep_chance_pairs_rare():
    """Organic accounts link to members in each identity trace independently (burst-day sign-ups, slogan
    repliers, common templates); members link in several. Chance accounts linked twice stay a small share."""
    false_share, found = [], []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        n_org, n_mem = 1500, 15
        traces = {}
        for name, rate in (("creation_burst", 0.01), ("profile", 0.02), ("near_duplicate", 0.015)):
            organic = np.where(rng.random(n_org) < rate, rng.exponential(2.0, n_org), 0.0)
            members = np.where(rng.random(n_mem) < 0.8, rng.exponential(4.0, n_mem) + 1, 0.0)
            traces[name] = _trace_p(np.r_[organic, members])
        q = membership.identity_fdr(traces)
        attached = q <= 0.05
        is_member = np.r_[np.zeros(n_org, bool), np.ones(n_mem, bool)]
        linked_twice = sum((traces[n] < 1).astype(int) for n in traces)[is_member] >= 2
        if attached.any():
            false_share.append((attached & ~is_member).sum() / attached.sum())
        found.append((attached & is_member).sum() / max(linked_twice.sum(), 1))
    assert np.mean(false_share) <= 0.05
    assert np.mean(found) >= 0.5  # most members linked by two traces are attached


def test_one_identity_trace_alone_never_attaches():
    p = np.r_[np.ones(500), np.full(5, 0.002)]
    q = membership.identity_fdr({"profile": p, "creation_burst": np.ones(505), "near_duplicate": np.ones(505)})
    assert (q == 1).all()


def test_activity_strata_are_quantile_classes_of_the_timing_accounts():
    actions = np.r_[np.zeros(50), np.arange(1, 201)]
    timing_ok = np.r_[np.zeros(50, bool), np.ones(200, bool)]
    strata = membership.activity_strata(actions, timing_ok, max_strata=4, min_size=50)
    assert list(np.bincount(strata)) == [100, 50, 50, 50]  # accounts without a timing trace sit in the lowest
    assert (np.diff(strata[np.argsort(actions, kind="stable")]) >= 0).all()
    # equal counts stay together; too few timing accounts for two classes of 50 gives one class
    assert len(set(membership.activity_strata(np.r_[np.ones(150), np.full(50, 9)], np.ones(200, bool)))) == 2
    assert (membership.activity_strata(np.arange(90), np.ones(90, bool), min_size=50) == 0).all()
    assert membership.activity_strata(np.arange(40), np.ones(40, bool)).max() == 3  # four classes of 10


def _busy_fans_and_quiet_members(seed: int):
    """A pool of quiet organic accounts, busy fast fans whose speed overlaps the members' (small timing
    p-values without any identity link), quiet unfound members (timing and identity), and one busy fan with a
    chance identity link (the last account). Returns the two p-values, the two gates, actions and the members."""
    rng = np.random.default_rng(seed)
    n_org, n_fan, n_mem = 3000, 60, 80
    timing = np.r_[rng.uniform(size=n_org), rng.uniform(size=n_fan) ** 2, rng.uniform(0.002, 0.06, n_mem), [0.03]]
    corroboration = np.r_[rng.uniform(size=n_org), rng.uniform(size=n_fan), rng.uniform(0.0005, 0.025, n_mem), [0.025]]
    actions = np.r_[rng.integers(1, 12, n_org), rng.integers(100, 300, n_fan), rng.integers(2, 10, n_mem), [206]]
    timing_ok = rng.uniform(size=len(timing)) < 0.2
    timing_ok[n_org:] = True
    members = np.r_[np.zeros(n_org + n_fan, bool), np.ones(n_mem, bool), [False]]
    return timing, corroboration, timing_ok, corroboration <= 0.05, actions, members


def test_a_busy_account_is_judged_against_the_busy_accounts_chance_rate():
    """Pooled, a busy fan with a chance identity link is carried by the many quiet members found at its level;
    within its activity class, among fans whose timing is as strong without any link, it is not."""
    pooled_fan, strata_fan, pooled_found, strata_found, strata_false = [], [], 0, 0, 0
    for seed in range(10):
        timing, corroboration, timing_ok, corroboration_ok, actions, members = _busy_fans_and_quiet_members(seed)
        pooled = membership.independence_fdr(timing, corroboration, timing_ok, corroboration_ok)
        strata = membership.activity_strata(actions, timing_ok)
        by_class = membership.independence_fdr(timing, corroboration, timing_ok, corroboration_ok, strata)
        pooled_fan.append(pooled[-1])
        strata_fan.append(by_class[-1])
        pooled_found += int((pooled[members] <= 0.05).sum())
        strata_found += int((by_class[members] <= 0.05).sum())
        strata_false += int((by_class[~members] <= 0.05).sum())
    assert sum(q <= 0.05 for q in pooled_fan) >= 5 and all(q > 0.05 for q in strata_fan)
    assert strata_found >= pooled_found  # the quiet members are no longer charged for the fans' chance rate
    assert strata_false <= 0.1 * (strata_found + strata_false)


def test_classes_guard_the_pooled_rate_and_do_not_multiply_false_attachments():
    """No member left to find, small pools of about 40 timing accounts in three or four classes (like the benchmark's
    pools): counted per class alone, a chance attachment somewhere is about three times likelier than in one pool;
    the route asks both rates, so it attaches no more often than the pool alone."""
    pooled_any = class_any = route_any = 0
    for seed in range(300):
        rng = np.random.default_rng(seed)
        timing, corroboration, actions = rng.uniform(size=170), rng.uniform(size=170), rng.integers(1, 60, 170)
        timing_ok, corroboration_ok = rng.uniform(size=170) < 0.25, corroboration <= 0.05
        strata = membership.activity_strata(actions, timing_ok)
        pool_q, class_q = membership.chance_pairing_q(timing, corroboration, timing_ok, corroboration_ok, strata)
        pooled_any += bool((pool_q <= 0.05).any())
        class_any += bool((class_q <= 0.05).any())
        route_any += bool((np.maximum(pool_q, class_q) <= 0.05).any())
    assert class_any >= 2 * pooled_any and route_any <= pooled_any <= 0.1 * 300
