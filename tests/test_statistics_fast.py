"""The vectorised nulls compute exactly what their definitions say (checked against plain loops on small data)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from coordgraph.analytics import statistics

W = 60_000


def _events(seed=4, n_obj=25, n_acc=12):
    rng = np.random.default_rng(seed)
    rows = []
    for o in range(n_obj):
        post = 1_600_000_000_000 + o * 3_600_000
        for a in range(n_acc):
            if rng.random() < 0.6:
                rows.append({"obj": f"p{o:02d}", "acc": f"a{a:02d}", "at": post + int(rng.exponential(90_000)), "anchor": post})
    return pd.DataFrame(rows)


def _brute_null(ev, members, n_null, seed):
    """Member pairs within W per draw when each member's delay on each object is redrawn from its own delays."""
    member_set = set(members)
    obj_count = pd.Series(ev.obj[[a in member_set for a in ev.acc]]).value_counts()
    rows = [i for i in range(len(ev.obj)) if ev.acc[i] in member_set and obj_count.get(ev.obj[i], 0) >= 2]
    own = {a: ev.delay[ev.acc == a] for a in members}
    # the delay pool of an account in the order the implementation indexes it (rows sorted by account code)
    pools = {a: ev.delay[ev.by_acc[ev.acc_start[ev.acc_code[i]]: ev.acc_start[ev.acc_code[i]] + ev.acc_size[ev.acc_code[i]]]]
             for i in rows for a in [ev.acc[i]]}
    assert all(sorted(pools[a]) == sorted(own[a]) for a in pools)
    u = np.random.default_rng(seed).random((n_null, len(rows)))
    totals = np.zeros(n_null)
    per_member = np.zeros((n_null, len(members)))
    for d in range(n_null):
        times = {}
        for k, i in enumerate(rows):
            pool = pools[ev.acc[i]]
            times.setdefault(ev.obj[i], []).append((ev.acc[i], pool[int(u[d, k] * len(pool))]))
        for acts in times.values():
            for (a, ta), (b, tb) in itertools.combinations(acts, 2):
                if abs(ta - tb) <= W:
                    totals[d] += 1
                    per_member[d, members.index(a)] += 1
                    per_member[d, members.index(b)] += 1
    return totals, per_member


@pytest.mark.parametrize("batch", [100, 7])
def test_cluster_null_equals_plain_loops(batch):
    ev = statistics.SignalEvents.from_frame("co_retweet", _events(), W)
    members = ["a01", "a03", "a04", "a07", "a10"]
    n_null = 150
    test = statistics.test_cluster([ev], members, n_null, np.random.default_rng(9), batch=batch)
    totals, per_member = _brute_null(ev, members, n_null, 9)
    assert test.expected["co_retweet"] == pytest.approx(totals.mean())
    assert test.p_value == pytest.approx((1 + np.sum(totals >= test.total_observed)) / (1 + n_null))
    got = test.accounts.set_index("account_id")
    for k, m in enumerate(members):
        assert got.loc[m, "expected"] == pytest.approx(per_member[:, k].mean())
        o = got.loc[m, "observed"]
        assert got.loc[m, "p_value"] == pytest.approx((1 + np.sum(per_member[:, k] >= o)) / (1 + n_null) if o > 0 else 1.0)
    assert test.total_expected > 0 and test.total_observed > 0


def test_attachment_test_equals_plain_loops():
    frame = _events(seed=8)
    ev = statistics.SignalEvents.from_frame("co_retweet", frame, W)
    members = ["a00", "a02", "a05"]
    got = statistics.attachment_test([ev], members, exclude={"a11"}).set_index("account_id")
    first = frame.sort_values(["obj", "acc", "at"]).drop_duplicates(["obj", "acc"])
    obs, exp = {}, {}
    for _, acts in first.groupby("obj"):
        mem_times = acts.loc[acts["acc"].isin(members), "at"].tolist()
        if not mem_times:
            continue
        near = {r.acc: any(abs(r.at - t) <= W for t in mem_times if not (r.acc in members and t == r.at))
                for r in acts.itertuples()}
        share = sum(near.values()) / len(acts)
        for r in acts.itertuples():
            if r.acc not in members:
                obs[r.acc] = obs.get(r.acc, 0) + near[r.acc]
                exp[r.acc] = exp.get(r.acc, 0.0) + share
    expected_ids = sorted(a for a in obs if a != "a11")
    assert list(got.index) == expected_ids
    for a in expected_ids:
        assert got.loc[a, "observed"] == obs[a] and got.loc[a, "expected"] == pytest.approx(exp[a])
        p = stats.poisson.sf(obs[a] - 1, max(exp[a], 1e-12)) if obs[a] > 0 else 1.0
        assert got.loc[a, "p_value"] == pytest.approx(p)
