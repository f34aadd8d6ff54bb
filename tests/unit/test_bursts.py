"""The reading in the confirmed members' bursts: which moments count, who is in step, and when it confirms."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from coordgraph.analytics import bursts
from coordgraph.analytics.cluster_effect import in_step_lower_bound
from coordgraph.analytics.statistics import SignalEvents

SECOND = 1_000
DAY = 86_400 * SECOND
PARAMS = SimpleNamespace(min_repeat=2, min_in_step=0.5, window_s=60.0)


def front(posts: int = 20) -> list[SignalEvents]:
    """Core ``A``, ``B``, ``C`` push the even posts within seconds; ``M`` joins every push 10 s after ``A`` and
    retweets every odd post on its own hours later (as do ``A`` and ``B``, who push nothing there); ``F`` answers
    every post 30 min after it, never with the core."""
    rows = []
    for i in range(posts):
        t = i * DAY
        post = f"p{i}"
        if i % 2 == 0:
            rows += [(post, "A", t + 5 * SECOND, t), (post, "B", t + 9 * SECOND, t), (post, "C", t + 20 * SECOND, t),
                     (post, "M", t + 15 * SECOND, t)]
        else:
            rows += [(post, "A", t + 2 * 3_600 * SECOND, t), (post, "B", t + 5 * 3_600 * SECOND, t),
                     (post, "M", t + 8 * 3_600 * SECOND, t)]
        rows.append((post, "F", t + 1_800 * SECOND, t))
    frame = pd.DataFrame(rows, columns=["obj", "acc", "at", "anchor"])
    return [SignalEvents.from_frame("co_retweet", frame, 60 * SECOND)]


def test_moments_on_posts_the_core_did_not_push_are_not_counted():
    members = ["A", "B", "C", "M", "F"]
    in_step, acted = bursts.burst_counts(front(), members, ["A", "B", "C"], 60)
    # M: in step at all 10 pushes; its 10 solo retweets fall on posts the core never pushed together
    assert (in_step[3], acted[3]) == (10, 10)
    # F acts on the pushed posts too, never within a minute of the core
    assert (in_step[4], acted[4]) == (0, 10)
    # a core account needs another core account within W (not itself)
    assert in_step[:3].tolist() == [10, 10, 10] and acted[:3].tolist() == [10, 10, 10]


def test_the_reading_on_all_posts_is_diluted_by_solo_moments():
    # the same M read on every shared post: in step on half of them, under a majority at 97.5 %
    assert in_step_lower_bound(np.array([10]), np.array([20]), 0.975)[0] < 0.5
    assert in_step_lower_bound(np.array([10]), np.array([10]), bursts.BURST_LEVEL)[0] >= 0.5


def test_a_core_that_never_pushes_together_gives_no_bursts():
    in_step, acted = bursts.burst_counts(front(), ["A", "B", "C", "M"], ["B", "C"], 60)
    # B and C are 11 s apart on the pushed posts: those are bursts; with a core of F alone there are none
    assert acted[3] == 10
    in_step, acted = bursts.burst_counts(front(), ["A", "M", "F"], ["F"], 60)
    assert acted.tolist() == [0, 0, 0]


def group(**columns) -> pd.DataFrame:
    base = {"account_id": ["A", "B", "C", "M", "F"], "confirmed": [True, True, True, False, False]}
    return pd.DataFrame({**base, **columns})


def test_confirms_strong_members_in_step_with_the_bursts_only():
    acc = group()
    strong = pd.Series([True, True, True, True, True])
    out = bursts.confirm_in_bursts(front(), acc, strong, PARAMS, min_confirmed=3)
    assert out["confirmed"].tolist() == [True, True, True, True, False]
    assert out["confirmed_in_bursts"].tolist() == [False, False, False, True, False]
    assert out.loc[3, "burst_moments"] == 10 and out.loc[4, "burst_acted_moments"] == 10
    # a member that is not strong (not significant, too small an effect or no identity link) is never confirmed
    out = bursts.confirm_in_bursts(front(), acc, pd.Series([True, True, True, False, True]), PARAMS, min_confirmed=3)
    assert not out.loc[3, "confirmed"]


def test_needs_an_established_core():
    acc = group(confirmed=[True, True, False, False, False])
    out = bursts.confirm_in_bursts(front(), acc, pd.Series([True] * 5), PARAMS, min_confirmed=3)
    assert out["confirmed"].tolist() == [True, True, False, False, False]
    assert not out["confirmed_in_bursts"].any()


def trailing(posts: int = 20) -> list[SignalEvents]:
    """A slow network: core ``A``, ``B``, ``C`` push every post within 20 s; ``M1`` follows 60 s after the post
    (within a minute of ``C``), ``M2`` 110 s after it (within a minute of ``M1`` only, 90 s after ``C``); ``F``
    answers 3 minutes after the post, never within a minute of anyone."""
    rows = []
    for i in range(posts):
        t = i * DAY
        rows += [(f"p{i}", who, t + delay * SECOND, t)
                 for who, delay in (("A", 5), ("B", 9), ("C", 20), ("M1", 60), ("M2", 110), ("F", 180 + 60 * (i % 3)))]
    frame = pd.DataFrame(rows, columns=["obj", "acc", "at", "anchor"])
    return [SignalEvents.from_frame("co_retweet", frame, 60 * SECOND)]


def test_members_confirmed_in_the_bursts_join_the_core_until_nobody_new_is_confirmed():
    acc = pd.DataFrame({"account_id": ["A", "B", "C", "M1", "M2", "F"], "confirmed": [True, True, True, False, False, False]})
    out = bursts.confirm_in_bursts(trailing(), acc, pd.Series([True] * 6), PARAMS, min_confirmed=3)
    # M1 is in step with C; M2 only with M1, so it is confirmed once M1 is in the core; F never
    assert out["confirmed"].tolist() == [True, True, True, True, True, False]
    assert out["confirmed_in_bursts"].tolist() == [False, False, False, True, True, False]
    # each keeps the figures of the reading that confirmed it, with that reading's core
    assert out.loc[3, ["burst_moments", "burst_acted_moments", "burst_core"]].tolist() == [20, 20, 3]
    assert out.loc[4, ["burst_moments", "burst_acted_moments", "burst_core"]].tolist() == [20, 20, 4]
    # F is read against the last core (M2 included) and still never within a minute of a confirmed member
    assert out.loc[5, ["burst_moments", "burst_acted_moments", "burst_core"]].tolist() == [0, 20, 5]
    # M2 alone against the first core: in step nowhere, so one reading would have let it go
    in_step, acted = bursts.burst_counts(trailing(), ["A", "B", "C", "M1", "M2"], ["A", "B", "C"], 60)
    assert (in_step[4], acted[4]) == (0, 20)


def test_a_member_not_strong_neither_joins_nor_carries_others_in():
    acc = pd.DataFrame({"account_id": ["A", "B", "C", "M1", "M2", "F"], "confirmed": [True, True, True, False, False, False]})
    out = bursts.confirm_in_bursts(trailing(), acc, pd.Series([True, True, True, False, True, True]), PARAMS, min_confirmed=3)
    # M1 is not strong: it is never confirmed, so M2, in step only with M1, is not either
    assert out["confirmed"].tolist() == [True, True, True, False, False, False]
