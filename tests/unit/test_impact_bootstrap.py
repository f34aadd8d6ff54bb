"""The impact share's bootstrap interval over posts, without a database."""

from __future__ import annotations

import numpy as np

from coordgraph.analytics.impact import bootstrap_shares


def _posts(rng, n_posts, share, crowd=60.0):
    """Engagements per post: a crowd of varying size, of which a group writes ``share`` on average, post by post
    (the group piles onto some posts more than others)."""
    total = rng.poisson(crowd, n_posts) + 1
    post_share = np.clip(rng.beta(4 * share / (1 - share), 4, n_posts), 0, 1)
    group = rng.binomial(total, post_share)
    return group, total


def test_interval_covers_the_true_share_about_95_percent_of_the_time():
    rng = np.random.default_rng(11)
    true = 0.44
    # the share over an unlimited number of posts: the ratio of expected counts
    big_group, big_total = _posts(np.random.default_rng(0), 2_000_000, true)
    truth = big_group.sum() / big_total.sum()
    covered, widths = 0, []
    trials = 200
    for _ in range(trials):
        group, total = _posts(rng, 150, true)
        low, high = bootstrap_shares(group[None, :], total[None, :], 1000, rng)
        covered += low[0] <= truth <= high[0]
        widths.append(high[0] - low[0])
    assert 0.90 <= covered / trials <= 0.99
    assert 0.01 < np.median(widths) < 0.15


def test_fewer_posts_give_a_wider_interval_and_rows_share_draws():
    rng = np.random.default_rng(3)
    group, total = _posts(rng, 1200, 0.3)
    low, high = bootstrap_shares(np.vstack([group, group[:]]), np.vstack([total, total]), 800, np.random.default_rng(1))
    assert low[0] == low[1] and high[0] == high[1]
    share = group.sum() / total.sum()
    assert low[0] < share < high[0]
    few_low, few_high = bootstrap_shares(group[None, :40], total[None, :40], 800, np.random.default_rng(1))
    assert few_high[0] - few_low[0] > 2 * (high[0] - low[0])


def test_no_engagement_gives_no_interval_and_a_zero_share_a_zero_interval():
    rng = np.random.default_rng(0)
    low, high = bootstrap_shares(np.zeros((2, 5)), np.vstack([np.zeros(5), np.full(5, 3.0)]), 200, rng)
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert low[1] == 0 and high[1] == 0
