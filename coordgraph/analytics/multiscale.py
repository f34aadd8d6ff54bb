"""In step at the network's own pace: a member's in-step share also read at a wider window.

A member is confirmed when it is significant, large (the lower bound of its effect at W clears the floor),
repeated, and in step with the other members on most of its moments on their shared objects (the lower bound
of that share at least ``min_in_step``). Within W (60 s) a network whose followers act one to four minutes
after the leader is in step on only about half of its moments: the leader is never within 60 s of a follower
two minutes behind, two followers often are not, so its members fall just short of a majority and are left,
although their co-actions are far beyond chance.

Coordination is still judged at W, where the null separates best: the cluster test, each member's
significance and effect are unchanged. Only the question "in step on most of its moments, or now and then?"
is asked a second time, at :data:`WIDE_WINDOW_S`, for the strong members (significant, large, repeated at W)
of a cluster that passes every cluster gate at W, and only of those not in step at W. At that second look the
share's lower bound is taken at 97.5 % instead of 95 %: two looks, each with half the error of the first.

Why this does not admit what the in-step rule exists to keep out: independent fast fans are in step at any
window but their effect at W is near 1, so they are never strong; a fan community answering a shared cue now
and then is strong but in step on a minority of its moments, and a cue that brings half the community within a
few minutes on some posts leaves its other moments (its own retweets hours later) out of step at 300 s as at
60 s. Not always, though: on one holdout case four fans of a community half in step on cue passed the second
look, so detection leaves it off unless asked (``DetectParams.wide_window_s``, ``--wide-window``). Why 300 s: five minutes is the slowest follower gap of the robustness suite ("followers up to 5 min
apart"); beyond it come the stragglers' actions hours later, which are not in step at any useful window.
Measured figures (the wider window's null effect of the same clusters, and the suite before/after) are in
docs/benchmarks.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import cluster_effect, statistics

WIDE_WINDOW_S = 300.0
WIDE_LEVEL = 0.975  # two-sided level of the second look's Wilson bound (the first look's is 0.95)


def in_step_counts(events: list[statistics.SignalEvents], members: list[str], window_s: float,
                   posts_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Per member (in ``members`` order): its moments with another member within ``window_s`` on objects at
    least two members acted on, and all its moments on those objects (distinct own times over all signals);
    with ``posts_only``, on objects with a post time only (module ``cluster_effect``, "Moments on posts")."""
    window_ms = int(round(window_s * 1000))
    in_step_who, in_step_at, acted_who, acted_at = [], [], [], []
    for ev in events:
        rows, who, _ = cluster_effect.shared_rows(ev, members)
        if rows.size == 0:
            continue
        if posts_only:
            # shared objects are those of the whole group; only the moments on posts are read
            on_post = ev.posted[ev.obj[rows]]
            rows, who = rows[on_post], who[on_post]
            if rows.size == 0:
                continue
        _, partners = statistics._within(ev.obj[rows], ev.at[rows], window_ms)
        in_step_who.append(who[partners > 0])
        in_step_at.append(ev.at[rows][partners > 0])
        acted_who.append(who)
        acted_at.append(ev.at[rows])
    n = len(members)
    return cluster_effect.distinct_moments(in_step_who, in_step_at, n), cluster_effect.distinct_moments(acted_who, acted_at, n)


def confirm_wider(events: list[statistics.SignalEvents], acc: pd.DataFrame, strong: pd.Series, params,
                  posts: bool = False) -> pd.DataFrame:
    """The second look (module doc) for a cluster that passes every gate at W: each strong member not in step at
    W is confirmed when its in-step share at ``params.wide_window_s`` has a lower bound (at :data:`WIDE_LEVEL`) of
    at least ``params.min_in_step``; its in-step figures are then the wider window's. Its partners are all the
    strong members, confirmed at W or not. With ``posts`` (the corroborated route), the share is also read on
    the moments answering a post (module ``cluster_effect``, "Moments on posts"; at least ``params.min_repeat``
    of them in step). Adds ``in_step_window_s`` (the window its in-step figures were read at). ``strong`` is
    aligned with ``acc``. Returns a new frame."""
    acc = acc.assign(in_step_window_s=float(params.window_s))
    second = strong & ~acc["confirmed"]
    if not (params.wide_window_s > params.window_s and second.any()):
        return acc
    partners = list(acc.loc[strong, "account_id"])
    looked = second[strong].to_numpy()
    moments, acted = (x[looked] for x in in_step_counts(events, partners, params.wide_window_s))
    low = cluster_effect.in_step_lower_bound(moments, acted, WIDE_LEVEL)
    on_all = low >= params.min_in_step
    on_posts = np.zeros(len(on_all), dtype=bool)
    if posts:
        post_moments, post_acted = (x[looked] for x in in_step_counts(events, partners, params.wide_window_s, posts_only=True))
        post_low = cluster_effect.in_step_lower_bound(post_moments, post_acted, WIDE_LEVEL)
        on_posts = ~on_all & (post_low >= params.min_in_step) & (post_moments >= params.min_repeat)
    if not (on_all.any() or on_posts.any()):
        return acc
    # the in-step figures at the window they were read at (significance, effect and repetition stay those at W)
    index = acc.index[second][on_all]
    acc.loc[index, "moments"] = moments[on_all]
    acc.loc[index, "acted_moments"] = acted[on_all]
    acc.loc[index, "in_step_share"] = moments[on_all] / acted[on_all]
    acc.loc[index, "in_step_low"] = low[on_all]
    if on_posts.any():
        index = acc.index[second][on_posts]
        acc.loc[index, "post_moments"] = post_moments[on_posts]
        acc.loc[index, "post_acted_moments"] = post_acted[on_posts]
        acc.loc[index, "post_in_step_low"] = post_low[on_posts]
    acc.loc[acc.index[second][on_all | on_posts], "in_step_window_s"] = float(params.wide_window_s)
    acc.loc[acc.index[second][on_all | on_posts], "confirmed"] = True
    return acc
