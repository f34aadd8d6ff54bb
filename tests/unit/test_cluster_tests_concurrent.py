"""Cluster tests run side by side (``cluster_testing.test_communities``) give exactly the tests run one after the
other: each starts from its own place in the one random stream, and the stream ends where the serial tests leave it."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest
from test_null_screen import CROWD, NET, W, world

from coordgraph.analytics import cluster_testing, statistics
from coordgraph.analytics.cluster_effect import MIN_EFFECT, prepare_effect_test
from coordgraph.analytics.null_screen import Screen

COMMUNITIES = [NET, CROWD, NET[:4] + CROWD[:30], ["nobody1", "nobody2", "nobody3"], CROWD[40:60], NET[5:]]


def never(*figures) -> bool:
    return False


@pytest.mark.parametrize("screen", [None, Screen(MIN_EFFECT, 0.05)])
def test_side_by_side_equals_one_after_the_other(monkeypatch, screen):
    events = [statistics.SignalEvents.from_frame("co_retweet", world(4), W),
              statistics.SignalEvents.from_frame("co_reply", world(7), W)]
    rules = [None, None, never, None, never, None]

    def run(workers: int):
        monkeypatch.setattr(cluster_testing, "TEST_WORKERS", workers)
        rng, done = np.random.default_rng(11), []
        tests = cluster_testing.test_communities(events, COMMUNITIES, 300, rng, screen, rules, done.append)
        return tests, done, rng.random()

    serial, serial_done, serial_next = run(1)
    side, side_done, side_next = run(2)
    assert side_done == serial_done == list(range(len(COMMUNITIES)))
    assert side_next == serial_next  # the next user of the stream draws the same numbers
    for a, b in zip(serial, side):
        fa, fb = asdict(a), asdict(b)
        pd.testing.assert_frame_equal(fa.pop("accounts"), fb.pop("accounts"))
        assert fa == fb
    # the screen stopped some tests early, and the place of the next test did not move with it
    if screen is not None:
        assert any(t.draws < 300 for t in side) and any(t.draws == 300 for t in side)


def test_a_prepared_test_takes_width_uniforms_per_draw():
    events = [statistics.SignalEvents.from_frame("co_retweet", world(4), W)]
    for members in (NET, CROWD[:25], ["nobody1", "nobody2"]):
        prepared = prepare_effect_test(events, members)
        rng = np.random.default_rng(3)
        prepared.run(200, rng)
        assert rng.random() == statistics.generator_at(np.random.default_rng(3), 200 * prepared.width).random()
