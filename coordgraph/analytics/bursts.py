"""In step with the group when the group acts: a member's moments read against its confirmed members' bursts.

The member rule asks each account to be in step with the other members on most of its moments on the group's
shared objects (module ``cluster_effect``). A network that keeps up an organic front (its members retweet the
targets' posts on their own, hours apart, as any engaged account does) spends many of its moments on posts it
did not push: the targets' posts are shared objects because several members touched them, but no burst happened
there, so there was nothing to be in step with. Measured on a development case of the robustness suite (a
75-member network, followers 7 s behind the leader at the median): the 43 of its members a corroborated group had
not confirmed were in step on 1,022 of their 1,871 moments on shared posts, and on 485 of their 504 moments on the
posts its confirmed members pushed together; the group's 34 other accounts (fans and other independent accounts
swept in by their timing) on 210 of 1,180, and on 3 of 86.

So the corroborated route reads the in-step share a third way (:func:`burst_counts`): of the member's distinct
moments on the posts that the group's *confirmed* members pushed together (two confirmed members acting on
the post within W of each other), the share at which a confirmed member acted within W of it. The question is
still "together, or now and then?", asked where the group acted together. Its Wilson bound is taken at
:data:`BURST_LEVEL` (97.5 %, like the reading on posts), at least ``min_repeat`` of those moments must be in
step, and it is asked (:func:`confirm_in_bursts`) only:

* in the corroborated route, of members that are already strong there (significant, effect lower bound at
  least 1.5, repeated) and linked to another member by an identity trace, in a group that identity traces link
  as a whole: a fan community answering its own cue is in step on its own bursts by construction, and nothing
  but identity tells it from a network on this reading, as for the route's other relaxed readings;
* or of members of such a group that carry no identity trace of their own but whose timing alone meets the
  standard route's full bar (:func:`timing_strong`: significant, repeated, effect lower bound at least
  ``min_effect``, twice what the post-conditioned null expects). Nothing but the in-step rule held them back.
  The bursts still decide: a fan community's accounts can reach that bar inside a group (they co-act among
  themselves), but not the network's moments. Measured on two cases of the robustness suite (a 126-member
  network with followers 6 s behind the leader, a 40-member one 66 s behind): the 8 active members the route's
  groups held but did not confirm were significant with effect lower bounds of 2.1-4.4 and in step on 60-71 %
  of their moments; the 6 of them without a trace were in step on 80-100 % of their moments on the confirmed
  members' bursts (4 of 4 to 23 of 28). Over 100 development cases, the 166 accounts outside a network this
  reading was asked of (43 of them fan-community accounts) reached a Wilson bound of at most 0.29 on it;
* against a core of at least ``min_confirmed`` members confirmed by the other readings: the bursts are those
  of a group the usual rules have already established, never of the accounts being judged.

**The core grows.** A member this reading confirms is a confirmed member, so the reading is asked again with it in
the core, until a round confirms nobody new. A slow network spreads a push over minutes (followers one to three
minutes behind the leader): the first core is its members fast enough for the usual readings, and a member who
trails them by more than W is in step only with the other followers, whom the first reading has just confirmed.
The accounts asked are the same in every round (strong in the group, as above), and what confirms them is still
their own share of moments in step with confirmed members on the posts those members pushed together; a round
can only add members. Measured on a case of the robustness suite (d1000001: a 140-member network, followers 78 s
behind the leader at the median, 189 s at most): four busy members (46-198 moments, effect lower bounds 3.0-4.6)
were in step on 66-88 % of their moments on the first core's bursts, Wilson bounds 0.45-0.48, and the network's
share came out 1.2 points under the truth; with the core grown from 75 to 98 members they reached 0.51-0.61, and
the share 0.6 points under it. Replayed on 26 development cases, no account outside a network was confirmed in
any round (756 readings, the highest Wilson bound 0.28).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import cluster_effect, statistics

# A third reading of the same rule on a subset of the post moments; as for the reading on posts, its Wilson
# bound is taken at 97.5 % (module ``cluster_effect``, "Moments on posts").
BURST_LEVEL = 0.975


def burst_counts(events: list[statistics.SignalEvents], members: list[str], core: list[str],
                 window_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Per member (in ``members`` order): its distinct moments on the posts that ``core`` pushed together (a post
    with a post time, shared by at least two members, on which two core accounts acted within ``window_s`` of
    each other), and those of them within ``window_s`` of a core account's action (another one, for a core
    account). Returns ``(in_step, acted)``."""
    window_ms = int(round(window_s * 1000))
    position = {m: i for i, m in enumerate(members)}
    is_core = np.zeros(len(members), dtype=bool)
    is_core[[position[c] for c in core if c in position]] = True
    in_who, in_at, all_who, all_at = [], [], [], []
    for ev in events:
        rows, who, _ = cluster_effect.shared_rows(ev, members)
        on_post = ev.posted[ev.obj[rows]] if rows.size else np.zeros(0, dtype=bool)
        rows, who = rows[on_post], who[on_post]
        core_rows = is_core[who]
        if int(core_rows.sum()) < 2:
            continue
        obj, at = ev.obj[rows], ev.at[rows]
        _, core_partners = statistics._within(obj[core_rows], at[core_rows], window_ms)
        pushed = np.isin(obj, np.unique(obj[core_rows][core_partners > 0]))
        if not pushed.any():
            continue
        # core actions keyed by (object, time), sorted, to count those within W of each row
        span = int(at.max() - at.min()) + 2 * window_ms + 1
        key = (at - at.min()) + obj.astype(np.int64) * span
        core_key = np.sort(key[core_rows])
        near = (np.searchsorted(core_key, key + window_ms, side="right")
                - np.searchsorted(core_key, key - window_ms, side="left")) - core_rows  # a core row is not its own partner
        in_who.append(who[pushed & (near > 0)])
        in_at.append(at[pushed & (near > 0)])
        all_who.append(who[pushed])
        all_at.append(at[pushed])
    n = len(members)
    return cluster_effect.distinct_moments(in_who, in_at, n), cluster_effect.distinct_moments(all_who, all_at, n)


def timing_strong(acc: pd.DataFrame, params, min_effect: float | None = None) -> pd.Series:
    """Members whose timing alone meets the standard route's member bar but its in-step rule: q at most
    ``params.alpha``, at least ``params.min_repeat`` moments, effect lower bound at least ``min_effect``
    (``params.min_effect`` unless given; module doc). ``acc`` needs ``q_value``, ``moments`` and ``effect_low``."""
    floor = params.min_effect if min_effect is None else min_effect
    return ((acc["q_value"] <= params.alpha) & (acc["moments"] >= params.min_repeat)
            & (acc["effect_low"] >= floor))


def confirm_in_bursts(events: list[statistics.SignalEvents], acc: pd.DataFrame, strong: pd.Series, params,
                      min_confirmed: int) -> pd.DataFrame:
    """The reading in the confirmed members' bursts (module doc) for one group of the corroborated route: each
    strong member (``strong``, aligned with ``acc``) not confirmed by the other readings is confirmed when at
    least ``params.min_repeat`` of its moments on the posts the confirmed members pushed together are in step
    with a confirmed member and the share's Wilson bound at :data:`BURST_LEVEL` reaches ``params.min_in_step``.
    Asked only when at least ``min_confirmed`` members are confirmed already. The members it confirms are
    confirmed members too, so the reading is repeated with them in the core until it confirms nobody new (see
    "The core grows" in the module doc). Adds ``burst_moments``, ``burst_acted_moments``,
    ``burst_in_step_low`` (every member's, the core's included: for a member confirmed here, the reading that
    confirmed it; for the others, the last one), ``burst_core`` (the size of that reading's core) and
    ``confirmed_in_bursts``. Returns a new frame."""
    acc = acc.assign(burst_moments=0, burst_acted_moments=0, burst_in_step_low=0.0, burst_core=0, confirmed_in_bursts=False)
    if int(acc["confirmed"].sum()) < min_confirmed:
        return acc
    members = list(acc["account_id"])
    asked = (strong & ~acc["confirmed"]).to_numpy()
    while True:
        core = list(acc.loc[acc["confirmed"], "account_id"])
        moments, acted = burst_counts(events, members, core, params.window_s)
        low = cluster_effect.in_step_lower_bound(moments, acted, BURST_LEVEL)
        newly = asked & ~acc["confirmed"].to_numpy() & (moments >= params.min_repeat) & (low >= params.min_in_step)
        read = ~acc["confirmed_in_bursts"].to_numpy()  # a member confirmed in an earlier round keeps the figures that confirmed it
        acc.loc[read, "burst_moments"], acc.loc[read, "burst_acted_moments"] = moments[read], acted[read]
        acc.loc[read, "burst_in_step_low"], acc.loc[read, "burst_core"] = low[read], len(core)
        if not newly.any():
            return acc
        acc.loc[newly, "confirmed"] = True
        acc.loc[newly, "confirmed_in_bursts"] = True
