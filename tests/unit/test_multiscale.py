"""The second in-step look's pure logic: moments counted at a window, the Wilson bound, and which members a
cluster confirms at the wider window."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import stats

from coordgraph.analytics import multiscale
from coordgraph.analytics.cluster_effect import in_step_lower_bound
from coordgraph.analytics.statistics import SignalEvents

PARAMS = SimpleNamespace(alpha=0.05, min_effect=2.0, min_repeat=2, min_in_step=0.5, window_s=60.0, wide_window_s=300.0)
SECOND = 1_000


def relay(posts: int = 40, gap_s: float = 120) -> list[SignalEvents]:
    """A leader ``L`` on every post, ``F`` ``gap_s`` after it, ``G`` twice that; an outsider ``X`` an hour later;
    ``S`` (not in the group) answers half the posts with ``L`` within seconds."""
    rows = []
    for i in range(posts):
        t = i * 86_400 * SECOND
        rows += [("p%d" % i, "L", t), ("p%d" % i, "F", t + gap_s * SECOND), ("p%d" % i, "G", t + 2 * gap_s * SECOND),
                 ("p%d" % i, "X", t + 3_600 * SECOND)]
        if i % 2 == 0:
            rows.append(("p%d" % i, "S", t + 5 * SECOND))
    frame = pd.DataFrame(rows, columns=["obj", "acc", "at"])
    return [SignalEvents.from_frame("co_retweet", frame, 60 * SECOND)]


def test_in_step_counts_depend_on_the_window():
    events = relay()
    moments, acted = multiscale.in_step_counts(events, ["L", "F", "G", "X"], 60)
    assert acted.tolist() == [40, 40, 40, 40]
    assert moments.tolist() == [0, 0, 0, 0]  # 120 s apart: nobody within 60 s of another member
    moments, _ = multiscale.in_step_counts(events, ["L", "F", "G", "X"], 300)
    assert moments.tolist() == [40, 40, 40, 0]  # the relay is in step at 300 s; an hour later is not
    # objects only one member acted on are not the group's shared objects
    moments, acted = multiscale.in_step_counts(events, ["L", "S"], 300)
    assert acted.tolist() == [20, 20] and moments.tolist() == [20, 20]


def test_wilson_bound_is_lower_at_the_stricter_level():
    k, n = np.array([30, 0, 5]), np.array([40, 0, 5])
    at95, at975 = in_step_lower_bound(k, n, 0.95), in_step_lower_bound(k, n, 0.975)
    assert at95[1] == at975[1] == 0.0
    assert (at975[[0, 2]] < at95[[0, 2]]).all()
    assert 0.59 < at95[0] < 0.75  # 30 of 40: Wilson 95 % lower bound about 0.60
    # the second look's level is scipy's Wilson bound at 97.5 % too
    assert at975[0] == stats.binomtest(30, 40).proportion_ci(0.975, method="wilson").low


def members(**columns) -> pd.DataFrame:
    base = {"account_id": ["L", "F", "G", "X"], "q_value": [0.001] * 4, "effect_low": [5.0] * 4, "moments": [3] * 4,
            "acted_moments": [40] * 4, "in_step_share": [0.1] * 4, "in_step_low": [0.05] * 4,
            "confirmed": [False] * 4}
    return pd.DataFrame({**base, **columns})


def test_strong_members_out_of_step_at_w_are_confirmed_in_step_at_the_wider_window():
    acc = members()
    strong = pd.Series([True, True, False, True])
    out = multiscale.confirm_wider(relay(), acc, strong, PARAMS).set_index("account_id")
    assert out["confirmed"].tolist() == [True, True, False, False]  # G is not strong; X is not in step at 300 s
    assert out.loc["L", "in_step_window_s"] == 300 and out.loc["L", "in_step_share"] == 1.0
    assert out.loc["L", "in_step_low"] >= 0.5 and out.loc["L", "moments"] == 40
    assert out.loc["X", "in_step_window_s"] == 60 and out.loc["X", "in_step_low"] == 0.05  # its W figures stay
    assert out.loc["L", "effect_low"] == 5.0  # effect and significance are those at W
    assert not acc["confirmed"].any()  # a new frame


def test_no_second_look_when_the_wider_window_is_off_or_everyone_is_confirmed():
    acc = members()
    strong = pd.Series([True] * 4)
    off = SimpleNamespace(**{**vars(PARAMS), "wide_window_s": 0.0})
    assert not multiscale.confirm_wider(relay(), acc, strong, off)["confirmed"].any()
    done = members(confirmed=[True] * 4, in_step_low=[0.8] * 4)
    out = multiscale.confirm_wider(relay(), done, strong, PARAMS)
    assert (out["in_step_window_s"] == 60).all() and (out["in_step_low"] == 0.8).all()


def test_the_second_look_needs_a_majority_at_its_stricter_level():
    # G and L are 240 s apart, F between: at 300 s each is in step on every post; with 3 posts only the bound is low
    acc = members()
    strong = pd.Series([True, True, True, False])
    out = multiscale.confirm_wider(relay(posts=3), acc, strong, PARAMS)
    assert not out["confirmed"].any()  # 3 of 3 moments: Wilson 97.5 % lower bound below one half


def test_the_second_look_counts_every_strong_member_as_a_partner():
    # F trails L by 120 s on every post; L is already confirmed: F is in step with it at 300 s. G (240 s behind L)
    # is not strong: no partner, so X, an hour behind, and F stay as they are with respect to it
    acc = members(account_id=["L", "F", "X", "G"], confirmed=[True, False, False, False], in_step_low=[0.8, 0.05, 0.05, 0.05])
    strong = pd.Series([True, True, True, False])
    out = multiscale.confirm_wider(relay(), acc, strong, PARAMS).set_index("account_id")
    assert out.loc["F", "confirmed"] and out.loc["F", "in_step_window_s"] == 300
    assert not out.loc["X", "confirmed"] and not out.loc["G", "confirmed"]


def frame_of(events: list[SignalEvents]) -> pd.DataFrame:
    """The rows of one signal's events with their post times (each post's first action) as anchors."""
    ev = events[0]
    return pd.DataFrame({"obj": ev.objects[ev.obj], "acc": ev.acc, "at": ev.at, "anchor": ev.anchor[ev.obj]})


def test_the_second_look_reads_the_moments_answering_a_post_too():
    # the relay answers 40 posts 120 s apart; each member also posts 60 talking-point hashtags at times of its own
    rng = np.random.default_rng(3)
    tags = pd.DataFrame([(f"tag{k}", a, int(rng.integers(0, 40 * 86_400 * SECOND))) for a in "LFG" for k in range(60)],
                        columns=["obj", "acc", "at"])
    events = [SignalEvents.from_frame("co_retweet", frame_of(relay()), 60 * SECOND),
              SignalEvents.from_frame("co_hashtag", tags, 60 * SECOND)]
    moments, acted = multiscale.in_step_counts(events, ["L", "F", "G"], 300)
    assert (moments == 40).all() and (acted == 100).all()  # in step on 40 of 100 moments: a minority
    post_moments, post_acted = multiscale.in_step_counts(events, ["L", "F", "G"], 300, posts_only=True)
    assert (post_moments == 40).all() and (post_acted == 40).all()
    acc = members(account_id=["L", "F", "G", "X"])
    strong = pd.Series([True, True, True, False])
    # outside the corroborated route the second look reads all moments only
    assert not multiscale.confirm_wider(events, acc, strong, PARAMS)["confirmed"].any()
    out = multiscale.confirm_wider(events, acc, strong, PARAMS, posts=True).set_index("account_id")
    assert out.loc[["L", "F", "G"], "confirmed"].all() and not out.loc["X", "confirmed"]
    assert (out.loc[["L", "F", "G"], "post_in_step_low"] >= 0.5).all()
    assert (out.loc[["L", "F", "G"], "in_step_low"] == 0.05).all()  # the reading on all moments did not confirm them
