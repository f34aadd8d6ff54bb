"""The cluster test with effect size, without a database: post-dependent fast fans are neither large nor
coordinated, planted groups are, and a group that is a hashtag's whole audience is seen through the timeline
shift."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics import statistics
from coordgraph.analytics.cluster_effect import (
    MIN_EFFECT,
    MIN_IN_STEP,
    cluster_effect_test,
    effect_interval,
    in_step,
    in_step_lower_bound,
)

H = 3_600_000
W = 60_000
FANS = [f"fan{i}" for i in range(26)]
NET = [f"net{i}" for i in range(10)]


def post_dependent_world(seed: int) -> pd.DataFrame:
    """Retweets of 400 posts: 26 independent fans answer a post arriving in their day (08-23 h) within one to
    two minutes, one arriving in their night only after 07 h (all late together); 300 organic accounts answer
    a few posts slowly; a planted network of 10 answers 40 % of the posts inside a 30-s burst at a moment that
    varies from post to post."""
    rng = np.random.default_rng(seed)
    posts = np.sort(rng.integers(0, 60 * 24 * H, 400))
    rows = []
    for p, t in enumerate(posts):
        hour = (t // H) % 24
        for fan in FANS:
            if rng.random() < 0.8:
                if 8 <= hour <= 23:
                    delay = rng.uniform(5_000, 120_000)
                else:
                    delay = ((7 - hour) % 24) * H + rng.uniform(0, H)
                rows.append((p, fan, t + int(delay), t))
        for a in rng.choice(300, 8, replace=False):
            rows.append((p, f"org{a}", t + int(rng.lognormal(np.log(20 * 60_000), 1.2)), t))
        if rng.random() < 0.4:
            burst = t + int(rng.uniform(60_000, 3 * H))
            for m in NET:
                if rng.random() < 0.8:
                    rows.append((p, m, burst + int(rng.uniform(0, 30_000)), t))
    return pd.DataFrame(rows, columns=["obj", "acc", "at", "anchor"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_post_dependent_fans_are_not_a_large_effect_but_a_network_is(seed):
    ev = statistics.SignalEvents.from_frame("co_retweet", post_dependent_world(seed), W)
    fans = cluster_effect_test([ev], FANS, 400, np.random.default_rng(seed))
    assert fans.effect_low < MIN_EFFECT
    assert fans.effect < 1.5
    net = cluster_effect_test([ev], NET, 400, np.random.default_rng(seed))
    assert net.p_value < 0.01 and net.effect_low >= MIN_EFFECT
    assert (net.accounts["effect_low"] >= MIN_EFFECT).all()
    # the old null (own delays, independent of the post) finds the fans' shared night/day structure significant
    old = statistics.test_cluster([ev], FANS, 400, np.random.default_rng(seed))
    assert old.p_value < 0.01 and old.total_observed > 1.1 * old.total_expected


def own_audience_world(seed: int, together: bool) -> pd.DataFrame:
    """Hashtags (no post time) used only by six accounts: either posted by all of them within 2 s at moments
    spread over a month, or by each at its own random moments within the same day."""
    rng = np.random.default_rng(seed)
    group = [f"g{i}" for i in range(6)]
    rows = []
    for tag in range(30):
        moment = int(rng.integers(0, 30 * 24 * H))
        for g in group:
            t = moment + int(rng.uniform(0, 2_000)) if together else moment + int(rng.uniform(0, 24 * H))
            rows.append((f"#tag{tag}", g, t))
    for tag in range(200):  # organic tags: other accounts, random times
        for a in rng.choice(500, 5, replace=False):
            rows.append((f"#org{tag}", f"o{a}", int(rng.integers(0, 30 * 24 * H))))
    return pd.DataFrame(rows, columns=["obj", "acc", "at"])


def test_group_that_is_the_whole_audience_is_seen_by_the_timeline_shift():
    group = [f"g{i}" for i in range(6)]
    ev = statistics.SignalEvents.from_frame("co_hashtag", own_audience_world(5, True), W)
    # the object-conditioned null sees nothing: the object's times are the group's own times
    old = statistics.test_cluster([ev], group, 300, np.random.default_rng(0))
    assert old.p_value > 0.2
    new = cluster_effect_test([ev], group, 300, np.random.default_rng(0))
    assert new.own_audience_objects["co_hashtag"] == 30
    assert new.p_value < 0.01 and new.effect_low >= MIN_EFFECT
    apart = statistics.SignalEvents.from_frame("co_hashtag", own_audience_world(5, False), W)
    loose = cluster_effect_test([apart], group, 300, np.random.default_rng(0))
    assert loose.effect_low < MIN_EFFECT and loose.p_value > 0.01


def test_effect_interval_ratio_groups_and_poisson_floor():
    eff, low, high = effect_interval(np.array([10.0, 10.0]), np.array([5.0, 5.0]))
    assert eff[0] == pytest.approx(2.0)
    # residuals are zero, so the width is the Poisson floor: sd of log R = 1/sqrt(20)
    assert low[0] == pytest.approx(2.0 * np.exp(-1.959964 / np.sqrt(20)), rel=1e-6)
    assert high[0] == pytest.approx(2.0 * np.exp(1.959964 / np.sqrt(20)), rel=1e-6)
    # uneven objects widen the interval beyond the Poisson floor
    _, low2, high2 = effect_interval(np.array([20.0, 0.0]), np.array([5.0, 5.0]))
    assert low2[0] < low[0] and high2[0] > high[0]
    eff, low, high = effect_interval(np.array([3.0, 0.0, 4.0]), np.array([1.0, 2.0, 0.0]), np.array([0, 1, 2]), 3)
    assert eff[0] == pytest.approx(3.0) and eff[1] == 0.0 and low[1] == 0.0 and high[1] == pytest.approx(1.5)
    assert np.isinf(eff[2])


def test_edge_calibration_keeps_a_group_that_is_its_objects_audience_and_not_independent_users():
    from coordgraph.analytics.cluster_effect import (
        NullSettings,
        calibrate_pairs_shift,
        pair_rates,
        shift_scale,
        small_audiences,
    )

    group = {f"g{i}" for i in range(6)}
    for together in (True, False):
        ev = statistics.SignalEvents.from_frame("co_hashtag", own_audience_world(5, together), W)
        pairs = statistics.window_pairs(ev, ev.acc_code, 2)
        in_group = np.isin(ev.accounts[pairs["a"]], list(group)) & np.isin(ev.accounts[pairs["b"]], list(group))
        old = statistics.calibrate_pairs(ev, 2, 0.05, 3, np.random.default_rng(1))
        new = calibrate_pairs_shift(ev, 2, 0.05, 3, np.random.default_rng(1))
        settings = NullSettings()
        assert new["small_objects"] == int(small_audiences(ev, settings.small_audience).sum()) > 0
        assert np.allclose(new["rate"], pair_rates(ev, small_audiences(ev, settings.small_audience), shift_scale(ev, settings)))
        _, p_new = statistics.pair_surprise(ev, pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["count"].to_numpy(),
                                            rate=new["rate"])
        _, p_old = statistics.pair_surprise(ev, pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["count"].to_numpy())
        if together:
            # the permutation among the tags' own times sees nothing; the jitter keeps all 15 group pairs
            assert in_group.sum() == 15
            assert not (p_old[in_group] <= old["threshold"]).any()
            assert (p_new[in_group] <= new["threshold"]).all()
        else:
            assert not (p_new[in_group] <= new["threshold"]).any()


@pytest.mark.parametrize("batch", [1, 7, 64])
def test_the_null_does_not_depend_on_how_its_draws_are_blocked(batch):
    """The draws are counted block by block on two threads (module null_draws): every figure is the one of the
    default blocks, to the last bit, whatever the block size."""
    ev = statistics.SignalEvents.from_frame("co_retweet", post_dependent_world(1), W)
    whole = cluster_effect_test([ev], NET, 200, np.random.default_rng(3))
    blocked = cluster_effect_test([ev], NET, 200, np.random.default_rng(3), batch=batch)
    assert (blocked.total_expected, blocked.p_value, blocked.effect, blocked.effect_low, blocked.expected) == (
        whole.total_expected, whole.p_value, whole.effect, whole.effect_low, whole.expected)
    pd.testing.assert_frame_equal(blocked.accounts, whole.accounts, check_exact=True)


COMMUNITY = [f"fan_c{i}" for i in range(20)]


def cue_community_world(seed: int) -> pd.DataFrame:
    """Retweets of 400 posts: a community of 20 answers a quarter of the posts each (on their own clocks,
    median 25 min); on a third of the posts a shared cue (a link in their group chat) brings half of those who
    answer within seconds of each other. A planted network of 10 answers 40 % of the posts inside a
    30-s burst; 300 organic accounts answer a few posts slowly."""
    rng = np.random.default_rng(seed)
    posts = np.sort(rng.integers(0, 60 * 24 * H, 400))
    rows = []
    for p, t in enumerate(posts):
        who = [f for f in COMMUNITY if rng.random() < 0.25]
        delays = rng.lognormal(np.log(25 * 60_000), 1.1, len(who))
        if rng.random() < 0.35:
            cue = rng.uniform(60_000, 20 * 60_000)
            together = rng.random(len(who)) < 0.5
            delays[together] = cue + rng.exponential(15_000, int(together.sum()))
        rows += [(p, f, t + int(d), t) for f, d in zip(who, delays)]
        for a in rng.choice(300, 8, replace=False):
            rows.append((p, f"org{a}", t + int(rng.lognormal(np.log(20 * 60_000), 1.2)), t))
        if rng.random() < 0.4:
            burst = t + int(rng.uniform(60_000, 3 * H))
            rows += [(p, m, burst + int(rng.uniform(0, 30_000)), t) for m in NET if rng.random() < 0.8]
    return pd.DataFrame(rows, columns=["obj", "acc", "at", "anchor"])


@pytest.mark.parametrize("seed", [1, 2])
def test_a_community_in_step_now_and_then_is_large_but_not_in_step_on_most_moments(seed):
    ev = statistics.SignalEvents.from_frame("co_retweet", cue_community_world(seed), W)
    community = cluster_effect_test([ev], COMMUNITY, 400, np.random.default_rng(seed))
    # the cue makes the community's synchrony far beyond chance: the effect floor alone would accuse it
    assert community.effect_low >= MIN_EFFECT
    assert (community.accounts["effect_low"] >= MIN_EFFECT).sum() >= 2
    # but each member is in step with another on a minority of its moments
    assert (community.accounts["in_step_share"] < 0.4).all()
    assert (community.accounts["in_step_low"] < MIN_IN_STEP).all()
    net = cluster_effect_test([ev], NET, 400, np.random.default_rng(seed))
    assert (net.accounts["in_step_low"] >= MIN_IN_STEP).all()
    assert (net.accounts["acted_moments"] >= net.accounts["moments"]).all()


def test_in_step_lower_bound_needs_more_than_a_few_moments():
    low = in_step_lower_bound(np.array([2, 3, 4, 7, 0, 40]), np.array([2, 3, 4, 8, 0, 100]))
    # two or three moments, all in step, cannot show a majority at 95 %; four can
    assert low[0] < MIN_IN_STEP and low[1] < MIN_IN_STEP and low[2] >= MIN_IN_STEP
    assert low[3] >= MIN_IN_STEP
    assert low[4] == 0.0
    assert low[5] < 0.4 < 0.4 + 1e-9  # 40 of 100: the share's bound stays below its value
    assert np.all(np.diff(in_step_lower_bound(np.arange(1, 9), np.full(8, 8))) > 0)


def test_in_step_lower_bound_is_scipys_wilson_bound_to_the_last_bit():
    from scipy import stats

    k = np.array([a for n in range(120) for a in range(n + 1)])
    n = np.array([n for n in range(120) for _ in range(n + 1)])
    expected = [stats.binomtest(int(a), int(b)).proportion_ci(0.95, method="wilson").low if b else 0.0 for a, b in zip(k, n)]
    assert in_step_lower_bound(k, n).tolist() == expected


def talking_points(accounts: list[str], tags: int, seed: int) -> pd.DataFrame:
    """Each of ``accounts`` posts each of ``tags`` hashtags once, at a time of its own over 60 days (no post time)."""
    rng = np.random.default_rng(seed)
    rows = [(f"tag{k}", a, int(rng.integers(0, 60 * 24 * H))) for a in accounts for k in range(tags)]
    return pd.DataFrame(rows, columns=["obj", "acc", "at"])


@pytest.mark.parametrize("seed", [1, 2])
def test_talking_points_reused_for_weeks_do_not_hide_a_network_in_step_on_the_posts_it_answers(seed):
    retweets = statistics.SignalEvents.from_frame("co_retweet", cue_community_world(seed), W)
    tags = statistics.SignalEvents.from_frame("co_hashtag", talking_points(NET + COMMUNITY, 120, seed), W)
    net = cluster_effect_test([retweets, tags], NET, 200, np.random.default_rng(seed)).accounts
    # read on all its moments, every member is in step on a minority (its talking points are never in step) ...
    assert (net["in_step_low"] < MIN_IN_STEP).all()
    assert (net["acted_moments"] > net["post_acted_moments"]).all()
    # ... on the moments answering a post, on most of them (97.5 % bound)
    assert (net["post_in_step_low"] >= MIN_IN_STEP).all() and (net["post_moments"] <= net["moments"]).all()
    assert in_step(net, 2, MIN_IN_STEP, posts=True).all() and not in_step(net, 2, MIN_IN_STEP).any()
    # the community answering a cue now and then is in step on a minority of its posts too: the reading on posts
    # does not rescue it
    community = cluster_effect_test([retweets, tags], COMMUNITY, 200, np.random.default_rng(seed)).accounts
    assert (community["post_in_step_low"] < MIN_IN_STEP).all()
    assert not in_step(community, 2, MIN_IN_STEP, posts=True).any()


def test_in_step_needs_repeated_moments_on_the_reading_that_confirms():
    figures = pd.DataFrame({"moments": [3, 1, 3, 3], "in_step_low": [0.6, 0.6, 0.1, 0.1],
                            "post_moments": [0, 1, 3, 1], "post_in_step_low": [0.0, 0.9, 0.6, 0.9]})
    assert in_step(figures, 2, 0.5, posts=True).tolist() == [True, False, True, False]
    # the first reading alone (the default, outside the corroborated route), or without the post figures
    assert in_step(figures, 2, 0.5).tolist() == [True, False, False, False]
    assert in_step(figures[["moments", "in_step_low"]], 2, 0.5, posts=True).tolist() == [True, False, False, False]
