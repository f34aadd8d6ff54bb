"""The null screen without a database: its bounds hold, it stops only clusters that cannot pass the gates, and
a screened test draws the very numbers of the full test (same results when it does not stop, same random
stream afterwards when it does)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics import null_screen, statistics
from coordgraph.analytics.cluster_effect import MIN_EFFECT, cluster_effect_test, effect_interval
from coordgraph.analytics.null_screen import Screen, effect_ceiling, p_side_known, predicted_p, stops

H = 3_600_000
W = 60_000
NET = [f"net{i}" for i in range(10)]
CROWD = [f"org{i}" for i in range(120)]
SCREEN = Screen(MIN_EFFECT, 0.05)


def world(seed: int) -> pd.DataFrame:
    """Retweets of 300 posts: 200 independent accounts each answer a post with chance 0.3 after their own
    lognormal delay (median 3 min); a planted network of 10 answers 40 % of the posts inside a 30-s burst."""
    rng = np.random.default_rng(seed)
    posts = np.sort(rng.integers(0, 60 * 24 * H, 300))
    rows = []
    for p, t in enumerate(posts):
        for a in np.flatnonzero(rng.random(200) < 0.3):
            rows.append((p, f"org{a}", t + int(rng.lognormal(np.log(180_000), 1.0)), t))
        if rng.random() < 0.4:
            burst = t + int(rng.uniform(60_000, 3 * H))
            for m in NET:
                if rng.random() < 0.8:
                    rows.append((p, m, burst + int(rng.uniform(0, 30_000)), t))
    return pd.DataFrame(rows, columns=["obj", "acc", "at", "anchor"])


def test_predicted_p_is_the_usual_p_value_when_every_draw_was_made():
    assert predicted_p(0, 2000, 2000) == 1 / 2001
    assert predicted_p(37, 2000, 2000) == 38 / 2001
    # from a first block of 100: the full run's expected p-value given the block
    assert predicted_p(5, 100, 2000) == pytest.approx(101 / 2001)
    assert predicted_p(0, 100, 2000) == 1 / 2001


@pytest.mark.parametrize("seed", range(5))
def test_effect_ceiling_bounds_the_reported_lower_bound(seed):
    rng = np.random.default_rng(seed)
    exp = rng.uniform(0.1, 3.0, 200)
    obs = rng.poisson(exp * rng.uniform(0.5, 4.0))
    # per-draw null totals whose mean is the summed expectation (what the full test divides by)
    totals = rng.normal(exp.sum(), 0.05 * exp.sum(), 100)
    _, low, _ = effect_interval(obs, exp * totals.mean() / exp.sum())
    assert low[0] <= effect_ceiling(obs.sum(), totals) + 1e-12
    # the ceiling is the Poisson-floor bound over a *lower* bound of the mean: never below the plain ratio bound
    assert effect_ceiling(obs.sum(), totals) >= obs.sum() * np.exp(-1.96 / np.sqrt(obs.sum())) / totals.mean()


def test_p_side_is_known_only_far_from_alpha():
    rng = np.random.default_rng(0)
    totals = rng.normal(1000, 30, 100)
    assert p_side_known(1300, totals, 0.05)  # 10 sd above every draw: the full p is 1 / (N + 1)
    assert not p_side_known(1100, totals, 0.05)  # above every draw of the block, but only 3 sd: undecided
    assert p_side_known(1000, totals, 0.05)  # half the draws reach it: far above alpha
    assert not p_side_known(float(np.quantile(totals, 0.93)), totals, 0.05)  # near alpha: undecided


def test_stops_needs_both_a_small_effect_and_a_known_p_side():
    rng = np.random.default_rng(1)
    totals = rng.normal(1000, 30, 100)
    assert stops(1000, totals, SCREEN)  # as expected: effect about 1
    assert stops(1300, totals, SCREEN)  # 30 % excess, significant, but the effect is far below 2
    assert stops(1900, totals, SCREEN)  # 1.9 x: its lower bound cannot reach 2 (at most 1.85)
    assert not stops(2200, totals, SCREEN)  # 2.2 x: the lower bound could reach the floor: draw everything
    assert not stops(1090, totals, SCREEN)  # effect small but the p-value near alpha: draw everything
    assert stops(0, totals, SCREEN)


def test_a_crowd_of_independent_accounts_stops_after_the_first_block_and_leaves_the_stream_as_the_full_test():
    ev = statistics.SignalEvents.from_frame("co_retweet", world(3), W)
    full_rng, screened_rng = np.random.default_rng(9), np.random.default_rng(9)
    full = cluster_effect_test([ev], CROWD, 2000, full_rng)
    screened = cluster_effect_test([ev], CROWD, 2000, screened_rng, screen=SCREEN)
    assert full.draws == 2000 and screened.draws == null_screen.FIRST_DRAWS
    assert full.effect_low < MIN_EFFECT and screened.effect_low < MIN_EFFECT
    # the p-value lies on the same side of alpha, and the next test draws the same numbers
    assert (full.p_value <= 0.05) == (screened.p_value <= 0.05)
    assert full_rng.random() == screened_rng.random()


def test_a_planted_network_is_not_stopped_and_gets_exactly_the_full_test():
    ev = statistics.SignalEvents.from_frame("co_retweet", world(4), W)
    full_rng, screened_rng = np.random.default_rng(5), np.random.default_rng(5)
    full = cluster_effect_test([ev, ev], NET, 500, full_rng)  # two signals: the stream runs signal after signal
    screened = cluster_effect_test([ev, ev], NET, 500, screened_rng, screen=SCREEN)
    assert screened.draws == 500 and screened.effect_low >= MIN_EFFECT
    assert (full.p_value, full.total_expected, full.effect_low, full.p_values) == (
        screened.p_value, screened.total_expected, screened.effect_low, screened.p_values)
    pd.testing.assert_frame_equal(full.accounts, screened.accounts)
    assert full_rng.random() == screened_rng.random()


def test_a_large_effect_whose_members_cannot_be_confirmed_stops_after_the_first_block():
    """The member rules (figures of the data) say no two members can be confirmed: the network's large effect
    does not keep it drawing once its p-value's side of alpha is known; the data's figures are the full test's,
    and the next test draws the same numbers."""
    ev = statistics.SignalEvents.from_frame("co_retweet", world(4), W)
    seen = []

    def cannot(moments, acted, post_moments, post_acted):
        seen.append((moments.copy(), acted.copy(), post_moments.copy(), post_acted.copy()))
        return False

    full_rng, screened_rng = np.random.default_rng(5), np.random.default_rng(5)
    full = cluster_effect_test([ev, ev], NET, 2000, full_rng, screen=SCREEN)
    screened = cluster_effect_test([ev, ev], NET, 2000, screened_rng, screen=SCREEN, can_confirm=cannot)
    assert full.draws == 2000 and full.effect_low >= MIN_EFFECT  # the effect screen alone does not stop it
    assert screened.draws == null_screen.FIRST_DRAWS
    assert full.p_value <= 0.05 and screened.p_value <= 0.05
    # the rules were asked with the moments the test reports, which no draw changes
    moments, acted, post_moments, post_acted = seen[0]
    assert list(moments) == list(full.accounts["moments"]) and list(acted) == list(full.accounts["acted_moments"])
    assert list(post_moments) == list(full.accounts["post_moments"]) and list(post_acted) == list(full.accounts["post_acted_moments"])
    for column in ("observed", "moments", "acted_moments", "in_step_share", "in_step_low", "post_moments", "post_in_step_low"):
        assert list(screened.accounts[column]) == list(full.accounts[column])
    assert full_rng.random() == screened_rng.random()


def test_members_that_can_be_confirmed_keep_every_draw():
    ev = statistics.SignalEvents.from_frame("co_retweet", world(4), W)
    full = cluster_effect_test([ev], NET, 500, np.random.default_rng(5), screen=SCREEN)
    kept = cluster_effect_test([ev], NET, 500, np.random.default_rng(5), screen=SCREEN, can_confirm=lambda *figures: True)
    assert kept.draws == 500 and (kept.p_value, kept.total_expected) == (full.p_value, full.total_expected)
    pd.testing.assert_frame_equal(full.accounts, kept.accounts)


def test_member_rules_count_members_with_repeated_moments_in_step_on_most_of_them():
    from types import SimpleNamespace

    from coordgraph.analytics.cluster_testing import member_rules

    params = SimpleNamespace(window_s=60.0, wide_window_s=0.0, min_repeat=2, min_in_step=0.5)
    rules = member_rules(params)
    # in step at 20 of 20 moments: the Wilson lower bound clears 0.5; 1 of 1 is not repeated; 10 of 40 is not in step
    assert rules(np.array([20, 20]), np.array([20, 20]))
    assert not rules(np.array([20, 1]), np.array([20, 1]))
    assert not rules(np.array([20, 10, 0]), np.array([20, 40, 5]))
    # the reading on posts is the corroborated route's (its own full draws): it does not keep a community drawing
    assert not rules(np.array([20, 10]), np.array([20, 40]), np.array([20, 10]), np.array([20, 10]))
    # the wider second look can confirm a member outside these rules: no screen on them then
    assert member_rules(SimpleNamespace(**{**vars(params), "wide_window_s": 300.0})) is None
