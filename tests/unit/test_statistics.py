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


def _reference_timing_test(events, members, n_null, rng, max_cells=4_000_000):
    """The membership timing null as first written (every row drawn, one bincount per block), kept as reference."""
    from coordgraph.analytics import membership

    frame = membership.timing_test(events, members, n_null=0)  # observed / expected do not depend on the draws
    parts = []
    for ev in events:
        is_member = np.array([a in members for a in ev.acc], dtype=bool)
        touched = np.bincount(ev.obj[is_member], minlength=len(ev.objects))[ev.obj] >= 1
        rows = np.flatnonzero(touched & ~is_member)
        if rows.size == 0:
            continue
        member_times = {}
        for i in np.flatnonzero(is_member):
            member_times.setdefault(ev.obj[i], []).append(ev.at[i])
        hits = [sum(abs(t - ev.at[i]) <= ev.window_ms for t in member_times[ev.obj[i]]) for i in rows]
        parts.append(pd.DataFrame({"account_id": ev.acc[rows], "obj": ev.signal + "\x1f" + ev.objects[ev.obj[rows]].astype(str),
                                   "hits": np.array(hits, dtype=np.int64)}))
    if not parts:
        return frame
    rows = pd.concat(parts, ignore_index=True).sort_values("obj", kind="stable").reset_index(drop=True)
    obj_code, _ = pd.factorize(rows["obj"], sort=True)
    acc_code, accounts = pd.factorize(rows["account_id"])
    hits = rows["hits"].to_numpy()
    size = np.bincount(obj_code)
    start = np.r_[0, np.cumsum(size)[:-1]]
    observed = np.bincount(acc_code, weights=hits, minlength=len(accounts))
    exceed = np.zeros(len(accounts))
    batch = max(1, max_cells // len(hits))
    for b0 in range(0, n_null, batch):
        b = min(batch, n_null - b0)
        draws = hits[start[obj_code] + (rng.random((b, len(hits))) * size[obj_code]).astype(np.int64)]
        keys = (np.arange(b)[:, None] * len(accounts) + acc_code[None, :]).ravel()
        sums = np.bincount(keys, weights=draws.ravel(), minlength=b * len(accounts)).reshape(b, len(accounts))
        exceed += (sums >= observed[None, :]).sum(axis=0)
    index = np.asarray(accounts, dtype=object)
    p = pd.Series(np.where(observed > 0, (1.0 + exceed) / (1.0 + n_null), 1.0), index=index)
    return frame.assign(observed=frame["account_id"].map(pd.Series(observed.astype(np.int64), index=index)).to_numpy(),
                        timing_p=frame["account_id"].map(p).to_numpy())


def _audience(seed, n_obj, n_acc, quiet_share, crowded=False):
    """Posts with a member burst; on a ``quiet_share`` of them nobody else comes near the members; ``crowded``:
    everybody else acts around the burst (nearly every row's draw can change)."""
    rng = np.random.default_rng(seed)
    rows = []
    for o in range(n_obj):
        post = 1_600_000_000_000 + o * 86_400_000
        burst = post + int(rng.uniform(0, 3_600_000))
        quiet = rng.random() < quiet_share
        for a in range(n_acc):
            if a < 6 and rng.random() < 0.7:
                rows.append({"obj": f"p{o:03d}", "acc": f"m{a}", "at": burst + int(rng.integers(0, 30_000)), "anchor": post})
            elif a >= 6 and rng.random() < 0.4:
                delay = int(rng.exponential(1_800_000)) + (7_200_000 if quiet else 0)
                at = burst + int(rng.integers(-90_000, 90_000)) if crowded else post + delay
                rows.append({"obj": f"p{o:03d}", "acc": f"u{a:03d}", "at": at, "anchor": post})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("quiet_share,crowded,max_cells", [(0.0, False, 4_000_000), (0.8, False, 4_000_000), (0.8, False, 500),
                                                            (0.3, False, 2_000), (0.0, True, 4_000_000), (0.2, True, 3_000)])
def test_membership_timing_null_equals_reference(quiet_share, crowded, max_cells):
    from coordgraph.analytics import membership

    frame = _audience(11, 60, 40, quiet_share, crowded)
    events = [statistics.SignalEvents.from_frame("co_retweet", frame, W),
              statistics.SignalEvents.from_frame("co_reply", frame.sample(frac=0.5, random_state=3), W)]
    members = {f"m{a}" for a in range(6)}
    rng_new, rng_ref = np.random.default_rng(5), np.random.default_rng(5)
    got = membership.timing_test(events, members, 300, rng_new, max_cells=max_cells)
    want = _reference_timing_test(events, members, 300, rng_ref, max_cells=max_cells)
    pd.testing.assert_frame_equal(got, want)
    assert rng_new.random() == rng_ref.random()  # the stream continues where the serial draws leave it
    assert (got["timing_p"] < 1).any() and got["observed"].gt(0).any()
    assert crowded or (got["timing_p"] == 1).any()  # accounts never near a member


@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.MT19937])
def test_uniform_blocks_are_the_serial_stream(bit_generator):
    rng, ref = np.random.Generator(bit_generator(3)), np.random.Generator(bit_generator(3))
    blocks = list(statistics.uniform_blocks(rng, 23, 17, 4, lambda u: u.copy()))
    assert [len(b) for b in blocks] == [4, 4, 4, 4, 4, 3]
    np.testing.assert_array_equal(np.vstack(blocks), ref.random((23, 17)))
    assert rng.random() == ref.random()
    statistics.advance_uniforms(rng, 1000)
    ref.random(1000)
    assert rng.random() == ref.random()


def test_concatenated_ranges_are_each_range_in_turn():
    assert statistics.concatenated_ranges(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist() == [5, 6, 9, 10, 11]
    assert statistics.concatenated_ranges(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []
