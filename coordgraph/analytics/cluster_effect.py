"""Cluster test with effect size: how much more do a cluster's members act together than chance allows?

Significance alone is not coordination: with thousands of co-actions, an excess of a few per cent over the
null is "significant" and still means nothing (independent fast fans). The test therefore reports the
**effect** (observed / expected co-actions within W) with a 95 % interval, and a cluster (or a member) is
coordinated only when the interval's *lower* bound clears :data:`MIN_EFFECT`.

The null (per co-action signal, ``n_null`` Monte-Carlo draws) has two parts, chosen per object:

* **Post-conditioned latency** (objects with an audience beyond the group). Each member keeps the objects it
  acted on; its delay after each object's anchor (post time, else first action) is redrawn from its *own*
  delays on objects of the same stratum: the anchor's hour of day (UTC, ``hour_bins`` bins) crossed with the
  object's audience size (below / above the signal's median). Independent fans who answer a post arriving in
  their day within a minute and one arriving in their night hours later do so in the null too, so "everyone
  answers this kind of post fast" stays in the null and only "these accounts answer *together*, more than
  their post-level speed explains" remains. A member with fewer than ``min_pool`` delays in a stratum draws
  from all its delays.
* **Timeline shift from outside the object** (objects without a post time whose audience is mostly the group:
  members are at least ``own_share`` of the accounts acting on it). Conditioning on such an object's own action
  times conditions on the group itself and cannot see it. The comparison comes from outside the object: each
  member's whole timeline on those objects moves by its own uniform offset in ``[-S, +S]`` (one per member and
  draw); each account keeps its objects, its order and its rhythm, only the alignment of different accounts
  within seconds is broken. The question is the cross-correlation one: do these accounts act in step at lag 0
  more than at other lags? Two accounts whose offsets happen to fall within W of each other stay aligned on
  every object at once, so a pair alone can never be more surprising than about W / S however many objects it
  shares in step: the evidence has to come from many members in step, which is what a group is. S is set from
  the data (:func:`shift_scale`): two independently moved actions land within W of each other with probability
  about W / S, and S is chosen so that this equals the rate at which *any* two accounts sharing a
  small-audience object of the signal (at most ``small_audience`` accounts, no post time) share it within W:
  the benchmark of how often unrelated accounts co-share within seconds (news links are shared soon after
  publication by many), never above ``shift_s``. An organic surge around a news event has an audience far
  beyond any one group, so it stays under the first part.

The edge calibration (:func:`calibrate_pairs_shift`) uses an independent offset per *action* instead (jitter):
its null copies must produce chance pairs object by object for the empirical false-discovery rate, and
under a whole-timeline shift aligned pairs reappear in the copies with all their co-actions, so no edge could
pass. Edges are only candidates; the cluster test above decides.

Repetition is counted in moments, not objects: one post carrying a URL, its domain and three hashtags is one
decision. Each member's ``moments`` (distinct times of its own actions with another member within W, over all
signals) are reported; the detector requires at least ``min_repeat`` of them for a member to be confirmed.
Beside them, ``acted_moments`` (distinct times of all its actions on objects at least two members acted on),
``in_step_share`` (the first over the second) and ``in_step_low``, the lower bound of the share's 95 % Wilson
interval: the detector confirms a member only when that bound reaches :data:`MIN_IN_STEP` (in step with the
group on most of its moments there, not now and then).

Moments on posts: the same figures are also counted on the objects with a post time only (the posts a member
retweeted, replied to or quoted): ``post_moments``, ``post_acted_moments`` and ``post_in_step_low``, the Wilson
bound at :data:`POST_LOOK_LEVEL` (97.5 %: a second reading, each with half the error of one). A post is an event
that everyone who answers it answers at its own pace; a text, hashtag, URL, domain or mention has no time of its
own, and each account's use of it is counted once (its first), so a network that reuses its talking points,
slogan hashtag and links for weeks has most of those moments out of step by nature, however closely it moves on
the posts it pushes. With ``posts`` (:func:`in_step`), a member is in step when either reading shows a
majority with at least ``min_repeat`` moments in step. Only the corroborated route asks it (module
``corroborated``): read for every cluster, it also confirmed a few fans of communities in step on cue on about
half the posts they answer, whom the reading on all moments had kept under the majority; there it is asked
only of members linked by identity traces in a group that such traces link as a whole.

Effect interval: the ratio ``R = O / E`` of summed observed and expected (null-mean) co-actions over the
objects; its variance from the linearised ratio estimator over objects (``sum (o_j - R e_j)^2 / O^2`` on the
log scale), never below the Poisson variance ``1 / O``; 95 % interval ``R * exp(+-1.96 sd)``. Per member the
same over the member's own (object) rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

from . import null_draws, null_screen
from .statistics import (
    SignalEvents,
    _within,
    can_jump,
    concatenated_ranges,
    generator_at,
    pair_surprise,
    uniform_blocks,
    window_pairs,
)
from .statistics import calibrate_pairs as statistics_calibrate

# The floor on the effect's lower bound. The reference study's bar is amplification within 60 s *far above*
# what the benchmark of other engagers shows; "far above" is taken as at least twice: at 95 % confidence the
# group acts together at least as often again as its members' own post-level timing explains. Independent fast
# fans sit at 1.0-1.2 (the excess a shared habit the null does not model leaves); planted networks at 5-15.
MIN_EFFECT = 2.0
# The floor on the lower 95 % bound of a member's in-step share: of the moments it acted on objects the cluster's
# members share, the share at which another member acted within W. Coordination is what the account does there
# more often than not; a community that answers a shared cue now and then (a link in a group chat) is in step,
# far beyond chance, on a minority of its actions, and an account with two moments cannot show a majority at 95 %.
MIN_IN_STEP = 0.5
# The second reading of the in-step share, on the moments the member answered a post (module doc, "Moments on
# posts"): two readings, each with half the error of one, so its Wilson bound is taken at 97.5 %.
POST_LOOK_LEVEL = 0.975
Z95 = 1.959963984540054


@dataclass
class NullSettings:
    """How the null draws: strata of the latency part and scale of the outside comparison (see module doc)."""

    hour_bins: int = 6
    size_bins: int = 2
    min_pool: int = 3
    own_share: float = 0.5
    shift_s: float = 3600.0
    small_audience: int = 20


@dataclass
class EffectTest:
    """One cluster's test: per signal and total observed vs expected, Monte-Carlo p, effect with 95 % interval,
    and per member the same (``accounts``: account_id, observed, expected, ratio, p_value, effect, effect_low,
    effect_high, moments)."""

    observed: dict[str, int]
    expected: dict[str, float]
    p_values: dict[str, float]
    own_audience_objects: dict[str, int]
    total_observed: int
    total_expected: float
    p_value: float
    effect: float
    effect_low: float
    effect_high: float
    accounts: pd.DataFrame
    draws: int = 0  # null draws made (fewer than asked when the screen stopped the test)


def effect_interval(obs: np.ndarray, exp: np.ndarray, groups: np.ndarray | None = None, n_groups: int = 1
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio of summed observed to summed expected per group, with a 95 % interval (module doc).

    ``obs``/``exp``: per unit (object or member-object row); ``groups``: group index per unit (default one
    group). Returns ``effect, low, high`` arrays of length ``n_groups``; a group with nothing expected has an
    infinite effect when something was observed and 0 otherwise."""
    obs = np.asarray(obs, dtype=float)
    exp = np.asarray(exp, dtype=float)
    g = np.zeros(len(obs), dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    O = np.bincount(g, weights=obs, minlength=n_groups)
    E = np.bincount(g, weights=exp, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        R = np.where(E > 0, O / np.where(E > 0, E, 1), np.where(O > 0, np.inf, 0.0))
        resid = obs - np.where(np.isfinite(R), R, 0.0)[g] * exp
        var_log = np.bincount(g, weights=resid**2, minlength=n_groups) / np.where(O > 0, O, 1) ** 2
        var_log = np.maximum(var_log, 1.0 / np.where(O > 0, O, 1))
        sd = np.sqrt(var_log)
        low = np.where(O > 0, R * np.exp(-Z95 * sd), 0.0)
        # nothing observed: the upper bound is the 95 % Poisson bound on O (3.0) over what was expected
        high = np.where(O > 0, R * np.exp(Z95 * sd), np.where(E > 0, 3.0 / np.where(E > 0, E, 1), np.inf))
    low = np.where(np.isinf(R), np.inf, low)
    return R, low, high


def cluster_effect_test(events: list[SignalEvents], members: list[str], n_null: int = 2000,
                        rng: np.random.Generator | None = None, settings: NullSettings | None = None,
                        batch: int = 2000, screen: null_screen.Screen | None = None,
                        can_confirm: Callable[..., bool] | None = None) -> EffectTest:
    """A cluster's co-actions against the post-conditioned latency / timeline-shift null, with effect sizes (module doc).

    ``screen``: stop after the screen's first block of draws when the cluster cannot pass the gates (module
    ``null_screen``; ``EffectTest.draws`` says how many were made); ``rng`` ends where the full test leaves it.
    ``can_confirm(moments, acted_moments, post_moments, post_acted_moments)``: whether the member rules could still
    confirm enough members, given each member's moments (figures of the data, not of the draws; the last two
    counted on objects with a post time only); when it says no, the screen also stops the
    draws once the p-value's side of alpha is known (module ``null_screen``)."""
    prepared = prepare_effect_test(events, members, settings, batch)
    return prepared.run(n_null, rng or np.random.default_rng(0), screen, can_confirm)


@dataclass
class PreparedTest:
    """A cluster's test up to its draws (:func:`prepare_effect_test`): what the data alone gives, and the null's
    samplers. :attr:`width` uniforms make one draw, so the test takes ``n_null * width`` numbers of its
    generator, whatever the screen decides; tests can therefore run side by side, each from its own place in one
    stream."""

    events: list[SignalEvents]
    members: list[str]
    observed: dict[str, int]
    samplers: list
    kept: list
    moments: np.ndarray
    acted: np.ndarray
    post_moments: np.ndarray
    post_acted: np.ndarray

    @property
    def width(self) -> int:
        """Uniforms per draw, all signals together."""
        return int(sum(width for width, _ in self.samplers))

    def run(self, n_null: int, rng: np.random.Generator, screen: null_screen.Screen | None = None,
            can_confirm: Callable[..., bool] | None = None) -> EffectTest:
        """The draws and the figures (:func:`cluster_effect_test`'s ``screen`` and ``can_confirm``)."""
        return _run_effect_test(self, n_null, rng, screen, can_confirm)


def prepare_effect_test(events: list[SignalEvents], members: list[str], settings: NullSettings | None = None,
                        batch: int = 2000) -> PreparedTest:
    """The part of :func:`cluster_effect_test` that needs no random number: the group's shared rows, observed
    co-actions and moments, and the null's samplers."""
    settings = settings or NullSettings()
    observed: dict[str, int] = {}
    samplers, kept = [], []
    for ev in events:
        rows, who, k = shared_rows(ev, members)
        if rows.size == 0:
            observed[ev.signal] = 0
            continue
        obs_total, partners = _within(ev.obj[rows], ev.at[rows], ev.window_ms)
        shifted = _own_audience(ev, k, settings.own_share)
        observed[ev.signal] = int(obs_total)
        samplers.append(_null_sampler(ev, rows, who, len(members), shifted, settings, batch))
        kept.append((ev, rows, who, partners, shifted))
    # the members' moments are the data's own: known before any draw
    moments = distinct_moments([who[partners > 0] for _, _, who, partners, _ in kept],
                               [ev.at[rows][partners > 0] for ev, rows, _, partners, _ in kept], len(members))
    acted = distinct_moments([who for _, _, who, _, _ in kept], [ev.at[rows] for ev, rows, _, _, _ in kept], len(members))
    post_moments, post_acted = post_moment_counts(kept, len(members))
    return PreparedTest(events, members, observed, samplers, kept, moments, acted, post_moments, post_acted)


def _run_effect_test(prepared: PreparedTest, n_null: int, rng: np.random.Generator, screen: null_screen.Screen | None,
                     can_confirm: Callable[..., bool] | None) -> EffectTest:
    events, members, observed, kept = prepared.events, prepared.members, prepared.observed, prepared.kept
    moments, acted, post_moments, post_acted = prepared.moments, prepared.acted, prepared.post_moments, prepared.post_acted
    own_objects: dict[str, int] = {ev.signal: 0 for ev in events}
    members_fail = can_confirm is not None and not can_confirm(moments, acted, post_moments, post_acted)
    draws, null_draws = _draw_nulls(prepared.samplers, sum(observed.values()), n_null, rng, screen, members_fail)
    expected: dict[str, float] = {ev.signal: 0.0 for ev in events}
    p_values: dict[str, float] = {ev.signal: 1.0 for ev in events}
    null_total = np.zeros(draws, dtype=np.int64)
    obj_obs, obj_exp = [], []  # per object (all signals): observed and null-mean member pairs within W
    row_obs, row_exp, row_who = [], [], []  # per member row: partners observed and null-mean
    acc_null = np.zeros((draws, len(members)))
    for (ev, rows, who, partners, shifted), (null, row_sum, null_members) in zip(kept, null_draws):
        obs_total = observed[ev.signal]
        per_row_mean = row_sum / max(draws, 1)
        objs, dense = np.unique(ev.obj[rows], return_inverse=True)
        obj_obs.append(np.bincount(dense, weights=partners, minlength=len(objs)) / 2)
        obj_exp.append(np.bincount(dense, weights=per_row_mean, minlength=len(objs)) / 2)
        row_obs.append(partners.astype(float))
        row_exp.append(per_row_mean)
        row_who.append(who)
        expected[ev.signal] = float(null.mean())
        p_values[ev.signal] = float(null_screen.predicted_p(np.sum(null >= obs_total), draws, n_null))
        own_objects[ev.signal] = int(np.sum(shifted[objs]))
        null_total += null
        acc_null += null_members
    total_obs = int(sum(observed.values()))
    total_exp = float(sum(expected.values()))
    p_total = float(null_screen.predicted_p(np.sum(null_total >= total_obs), draws, n_null)) if total_obs > 0 else 1.0
    if obj_obs:
        eff, low, high = (x[0] for x in effect_interval(np.concatenate(obj_obs), np.concatenate(obj_exp)))
        m_eff, m_low, m_high = effect_interval(np.concatenate(row_obs), np.concatenate(row_exp), np.concatenate(row_who), len(members))
        m_obs = np.bincount(np.concatenate(row_who), weights=np.concatenate(row_obs), minlength=len(members))
    else:
        eff = low = high = 0.0
        m_eff = m_low = m_high = m_obs = np.zeros(len(members))
    share_low = in_step_lower_bound(moments, acted)
    post_low = in_step_lower_bound(post_moments, post_acted, POST_LOOK_LEVEL)
    acc_rows = []
    for i, m in enumerate(members):
        o, e = float(m_obs[i]), float(acc_null[:, i].mean())
        p = float(null_screen.predicted_p(np.sum(acc_null[:, i] >= o), draws, n_null)) if o > 0 else 1.0
        acc_rows.append({"account_id": m, "observed": int(o), "expected": e, "ratio": (o / e) if e > 0 else None, "p_value": p,
                         "effect": float(m_eff[i]), "effect_low": float(m_low[i]), "effect_high": float(m_high[i]),
                         "moments": int(moments[i]), "acted_moments": int(acted[i]),
                         "in_step_share": float(moments[i] / acted[i]) if acted[i] else 0.0, "in_step_low": float(share_low[i]),
                         "post_moments": int(post_moments[i]), "post_acted_moments": int(post_acted[i]),
                         "post_in_step_low": float(post_low[i])})
    return EffectTest(observed, expected, p_values, own_objects, total_obs, total_exp, p_total, float(eff), float(low), float(high),
                      pd.DataFrame(acc_rows, columns=ACCOUNT_COLUMNS), draws)


ACCOUNT_COLUMNS = ["account_id", "observed", "expected", "ratio", "p_value", "effect", "effect_low", "effect_high", "moments",
                   "acted_moments", "in_step_share", "in_step_low", "post_moments", "post_acted_moments", "post_in_step_low"]


def shared_rows(ev: SignalEvents, members: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of ``ev`` by ``members`` on objects at least two of them acted on (the group's shared objects):
    ``(rows, each row's position in members, members acting per object)``."""
    position = ev.member_positions(members)
    # the members' rows through the account index, not a pass over every row of the signal
    codes = np.flatnonzero(position >= 0)
    mine = np.sort(ev.by_acc[concatenated_ranges(ev.acc_start[codes], ev.acc_size[codes])])
    per_object = np.bincount(ev.obj[mine], minlength=len(ev.objects))
    rows = mine[per_object[ev.obj[mine]] >= 2]
    return rows, position[ev.acc_code[rows]], per_object


def distinct_moments(who: list[np.ndarray], at: list[np.ndarray], n_members: int) -> np.ndarray:
    """Per member: its distinct own times among the rows ``who``/``at`` (arrays per signal, concatenated), so a
    moment on several signals at once counts once."""
    if not who:
        return np.zeros(n_members, dtype=np.int64)
    who, at = np.concatenate(who).astype(np.int64), np.concatenate(at).astype(np.int64)
    if not len(at):
        return np.zeros(n_members, dtype=np.int64)
    # one integer per (member, time): a plain unique instead of a unique over columns
    span = int(at.max() - at.min()) + 1
    moments = np.unique(who * span + (at - at.min()))
    return np.bincount(moments // span, minlength=n_members)


def post_moment_counts(kept: list, n_members: int) -> tuple[np.ndarray, np.ndarray]:
    """Per member: its in-step and acted moments counted on objects with a post time only (retweets, replies and
    quotes of a post; ``kept``: the test's ``(events, rows, who, partners, shifted)`` per signal)."""
    in_who, in_at, all_who, all_at = [], [], [], []
    for ev, rows, who, partners, _ in kept:
        on_post = ev.posted[ev.obj[rows]]
        in_who.append(who[on_post & (partners > 0)])
        in_at.append(ev.at[rows][on_post & (partners > 0)])
        all_who.append(who[on_post])
        all_at.append(ev.at[rows][on_post])
    return distinct_moments(in_who, in_at, n_members), distinct_moments(all_who, all_at, n_members)


def in_step(accounts: pd.DataFrame, min_repeat: int, min_in_step: float, posts: bool = False) -> pd.Series:
    """Per member row (``accounts``: the test's member columns): in step on most of its moments, read on all its
    moments on the shared objects (lower bound at 95 %) and, with ``posts`` (the corroborated route), also on
    those answering a post (at :data:`POST_LOOK_LEVEL`), each reading with at least ``min_repeat`` moments in
    step (module doc)."""
    def column(name: str, fill: float) -> pd.Series:
        return pd.to_numeric(accounts[name], errors="coerce").fillna(fill) if name in accounts else pd.Series(fill, index=accounts.index)

    on_all = (column("moments", 0) >= min_repeat) & (column("in_step_low", 0.0) >= min_in_step)
    if not posts:
        return on_all
    on_posts = (column("post_moments", 0) >= min_repeat) & (column("post_in_step_low", 0.0) >= min_in_step)
    return on_all | on_posts


def in_step_lower_bound(in_step: np.ndarray, acted: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Lower bound of the two-sided Wilson interval at ``level`` of each member's in-step share: ``in_step`` of
    its ``acted`` moments on the cluster's shared objects had another member within the window (0 when it acted
    at no moment)."""
    # scipy's ``binomtest(k, n).proportion_ci(level, method="wilson").low``, in the same operations (the same
    # doubles), for all members at once: thousands of tested accounts made the per-member call seconds long
    k = np.asarray(in_step, dtype=np.int64)
    n = np.asarray(acted, dtype=np.int64)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 2 * (n + z**2)
        center = (2 * n * p + z**2) / denom
        delta = z / denom * np.sqrt(4 * n * p * (1 - p) + z**2)
        low = center - delta
    return np.where((n > 0) & (k > 0), low, 0.0).astype(float)


def _own_audience(ev: SignalEvents, members_per_object: np.ndarray, own_share: float) -> np.ndarray:
    """Per object: no post time, and the group is at least ``own_share`` of the accounts acting on it."""
    has_post = ev.posted if ev.posted is not None else np.zeros(len(ev.objects), dtype=bool)
    share = members_per_object / np.maximum(ev.obj_size, 1)
    return (~has_post) & (share >= own_share) & (members_per_object >= 2)


def delay_strata(ev: SignalEvents, hour_bins: int, size_bins: int) -> np.ndarray:
    """Per object: its stratum, the anchor's hour-of-day bin (UTC) crossed with the audience-size bin."""
    hour = (ev.anchor // 3_600_000) % 24
    hour_bin = (hour * hour_bins) // 24
    if size_bins > 1 and len(ev.obj_size):
        edges = np.quantile(ev.obj_size, np.linspace(0, 1, size_bins + 1)[1:-1])
        size_bin = np.searchsorted(edges, ev.obj_size, side="right")
    else:
        size_bin = np.zeros(len(ev.obj_size), dtype=np.int64)
    return (hour_bin * size_bins + size_bin).astype(np.int64)


def _delay_pools(ev: SignalEvents, rows: np.ndarray, settings: NullSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each member row, where its delays are drawn from: ``(index, start, size)`` with ``index[start + j]``
    (j < size) the rows whose delays form the pool: the account's delays in the object's stratum, or all its
    delays when that stratum has fewer than ``min_pool``."""
    n_strata = settings.hour_bins * max(settings.size_bins, 1)
    cache = _cache(ev)
    if ("pools", n_strata, settings.size_bins) not in cache:  # the same for every cluster tested on this signal
        stratum = delay_strata(ev, settings.hour_bins, max(settings.size_bins, 1))[ev.obj]
        key = ev.acc_code * n_strata + stratum
        key_size = np.bincount(key, minlength=len(ev.accounts) * n_strata)
        # the rows by (account, stratum), then by account alone for the fallback pools
        index = np.concatenate([np.argsort(key, kind="stable"), ev.by_acc])
        cache[("pools", n_strata, settings.size_bins)] = (key, index, key_size, np.concatenate([[0], np.cumsum(key_size)[:-1]]))
    key, index, key_size, key_start = cache[("pools", n_strata, settings.size_bins)]
    row_key = key[rows]
    start, size = key_start[row_key], key_size[row_key]
    acc = ev.acc_code[rows]
    fallback = size < settings.min_pool
    start = np.where(fallback, len(key) + ev.acc_start[acc], start)
    size = np.where(fallback, ev.acc_size[acc], size)
    return index, start.astype(np.int64), size.astype(np.int64)


def _draw_nulls(samplers: list, observed: int, n_null: int, rng: np.random.Generator, screen: null_screen.Screen | None,
                members_fail: bool = False) -> tuple[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Every signal's null draws, in the order of one serial stream (signal after signal, ``n_null`` draws each):
    ``(draws made, [(totals, row sums, per-member partners)] per signal)``. With a ``screen`` (and a generator
    that can skip ahead) the first block of every signal is drawn first, and the rest only when the screen does
    not stop the test (``members_fail``: the member rules cannot be met, module ``null_screen``); ``rng`` always
    ends where the full serial draws leave it."""
    if screen is None or n_null <= screen.first or not can_jump(rng) or not samplers:
        return n_null, [draw(rng, n_null) for _, draw in samplers]
    state = rng.bit_generator.state
    starts = np.concatenate([[0], np.cumsum([n_null * width for width, _ in samplers])])
    first = [draw(generator_at(rng, start, state), screen.first) for (_, draw), start in zip(samplers, starts)]
    rng.bit_generator.advance(int(starts[-1]))
    if screen.stops(observed, np.sum([f[0] for f in first], axis=0), members_fail):
        return screen.first, first
    rest = [draw(generator_at(rng, start + screen.first * width, state), n_null - screen.first)
            for (width, draw), start in zip(samplers, starts)]
    return n_null, [(np.concatenate([a[0], b[0]]), a[1] + b[1], np.concatenate([a[2], b[2]])) for a, b in zip(first, rest)]


def _null_sampler(ev: SignalEvents, rows: np.ndarray, who: np.ndarray, n_members: int, shifted: np.ndarray,
                  settings: NullSettings, batch: int, block_elements: int = 1 << 18):
    """Monte-Carlo member co-actions within W, as ``(width, draw)``: ``draw(rng, n)`` makes ``n`` draws, each
    taking ``width`` uniforms from ``rng``, and returns per draw the total, per row the partners summed over the
    draws, and per draw and member the partners."""
    pool_delays, pool_start, pool_size = _compact_pools(ev, *_delay_pools(ev, rows, settings))
    obj = ev.obj[rows]
    # per row: a delay picked from its pool; on objects compared from outside (``shifted``), its own time after
    # the anchor moved by its member's shift, one per member and draw (module ``null_draws``)
    counter = null_draws.DrawCounter(pool_delays, pool_start, pool_size, shifted[obj],
                                     ev.at[rows].astype(np.int64) - ev.anchor[obj].astype(np.int64), who, n_members,
                                     int(round(shift_scale(ev, settings) * 1000)), obj, ev.window_ms)
    n = len(rows)
    batch = int(max(1, min(batch, block_elements // max(n, 1))))
    count = counter.count

    def draw(rng: np.random.Generator, n_draws: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        totals = np.empty(n_draws, dtype=np.int64)
        per_member = np.zeros((n_draws, n_members))
        row_sum = np.zeros(n)
        b0 = 0
        for block_totals, block_members, block_rows in uniform_blocks(rng, n_draws, n + n_members, batch, count):
            totals[b0 : b0 + len(block_totals)] = block_totals
            per_member[b0 : b0 + len(block_totals)] = block_members
            row_sum += block_rows
            b0 += len(block_totals)
        return totals, row_sum, per_member

    return n + n_members, draw


def _compact_pools(ev: SignalEvents, index: np.ndarray, start: np.ndarray, size: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The delays of the rows' pools (:func:`_delay_pools`) copied side by side, one copy per distinct pool:
    ``(delays, start, size)`` with ``delays[start + j]`` (j < size) a row's pool. The draws pick from a few
    thousand delays in one place instead of all the signal's rows."""
    pools, row_pool = np.unique(start * (int(size.max(initial=0)) + 1) + size, return_inverse=True)
    first = np.zeros(len(pools), dtype=np.int64)
    first[row_pool] = start
    length = np.zeros(len(pools), dtype=np.int64)
    length[row_pool] = size
    offsets = np.concatenate([[0], np.cumsum(length)[:-1]])
    return ev.delay[index[concatenated_ranges(first, length)]], offsets[row_pool], size


def _cache(ev: SignalEvents) -> dict:
    """Per-signal values every cluster's test reuses, kept on the events object itself."""
    return ev.__dict__.setdefault("_cluster_effect_cache", {})


def shift_scale(ev: SignalEvents, settings: NullSettings) -> float:
    """Seconds S of the outside jitter for this signal (module doc): ``W / r`` where ``r`` is the share of account
    pairs on small-audience objects (no post time) that act within W of each other, at most ``shift_s``."""
    cache = _cache(ev)
    key = ("shift", settings.small_audience, settings.shift_s)
    if key not in cache:
        cache[key] = _shift_scale(ev, settings)
    return cache[key]


def _shift_scale(ev: SignalEvents, settings: NullSettings) -> float:
    small = small_audiences(ev, settings.small_audience)
    n = ev.obj_size[small].astype(float)
    pairs = float(np.sum(n * (n - 1) / 2))
    if pairs <= 0:
        return settings.shift_s
    within = float(np.sum(ev.distinct_pair_rate()[small] * n * (n - 1) / 2))
    rate = within / pairs
    window_s = ev.window_ms / 1000.0
    return float(min(settings.shift_s, window_s / rate)) if rate > 0 else settings.shift_s


def small_audiences(ev: SignalEvents, max_accounts: int) -> np.ndarray:
    """Per object: no post time and at most ``max_accounts`` accounts acting on it (objects whose own action
    times are, for any group among them, mostly the group's own)."""
    posted = ev.posted if ev.posted is not None else np.zeros(len(ev.objects), dtype=bool)
    return (~posted) & (ev.obj_size <= max_accounts)


def pair_rates(ev: SignalEvents, small: np.ndarray, shift_s: float) -> np.ndarray:
    """Per object: the chance that two of its accounts act within W under the edge null: label permutation
    among the object's action times, or, on small-audience objects, the outside jitter (two independent
    uniform offsets in ``[-S, S]``: their difference lands in a window of 2W with probability about W / S)."""
    rate = ev.distinct_pair_rate().copy()
    rate[small] = min(1.0, ev.window_ms / (shift_s * 1000.0))
    return rate


def calibrate_pairs_shift(ev: SignalEvents, min_repeat: int, alpha: float, n_null_pairs: int, rng: np.random.Generator,
                          settings: NullSettings | None = None) -> dict:
    """:func:`statistics.calibrate_pairs` with the outside jitter on small-audience objects without a post time.

    On those objects a null copy moves each action by its own uniform offset in ``[-S, S]`` (:func:`shift_scale`)
    instead of permuting labels among the object's own times, and a pair's expectation uses
    :func:`pair_rates`. Without such objects this is :func:`statistics.calibrate_pairs` (same random stream).
    Adds ``rate`` (per object) and ``small_objects`` to the result."""
    settings = settings or NullSettings()
    small = small_audiences(ev, settings.small_audience)
    if not small.any():
        out = statistics_calibrate(ev, min_repeat, alpha, n_null_pairs, rng)
        out.update(rate=ev.distinct_pair_rate(), small_objects=0, shift_s=settings.shift_s)
        return out
    shift_s = shift_scale(ev, settings)
    rate = pair_rates(ev, small, shift_s)
    shift_ms = int(round(shift_s * 1000))
    on_small = small[ev.obj]

    def scored(view: SignalEvents, codes: np.ndarray) -> pd.DataFrame:
        pairs = window_pairs(view, codes, min_repeat)
        expected, p = pair_surprise(ev, pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["count"].to_numpy(), rate=rate)
        return pairs.assign(expected=expected, p=p)

    observed = np.sort(scored(ev, ev.acc_code)["p"].to_numpy())
    null, null_frames = [], []
    for _ in range(n_null_pairs):
        keys = rng.random(len(ev.obj))
        jitter = ((rng.random(len(ev.obj)) * 2 - 1) * shift_ms).astype(np.int64)
        at = np.where(on_small, ev.at + jitter, ev.at)
        # large objects: labels shuffled among the object's times; small ones: each action's own time, jittered
        perm = np.lexsort((keys, ev.obj))
        codes = np.where(on_small, ev.acc_code, ev.acc_code[perm])
        order = np.lexsort((at, ev.obj))
        view = replace(ev, at=at[order])
        frame = scored(view, codes[order])
        null_frames.append(frame)
        null.append(np.sort(frame["p"].to_numpy()))
    threshold = -1.0
    if len(observed):
        n_obs = np.searchsorted(observed, observed, side="right")
        n_null = np.mean([np.searchsorted(x, observed, side="right") for x in null], axis=0) if null else np.zeros(len(observed))
        ok = np.flatnonzero(n_null <= alpha * n_obs)
        if ok.size:
            threshold = float(observed[ok.max()])
    kept = int(np.searchsorted(observed, threshold, side="right"))
    null_edges = [
        pd.DataFrame({"a": ev.accounts[f["a"].to_numpy(dtype=np.int64)], "b": ev.accounts[f["b"].to_numpy(dtype=np.int64)],
                      "count": f["count"].to_numpy(), "expected": f["expected"].to_numpy()})[f["p"].to_numpy() <= threshold]
        for f in null_frames
    ]
    return {"threshold": threshold, "observed_pairs": int(len(observed)),
            "null_pairs": float(np.mean([len(x) for x in null])) if null else 0.0, "kept": kept, "null_edges": null_edges,
            "rate": rate, "small_objects": int(small.sum()), "shift_s": shift_s}


def finite_or_none(value) -> float | None:
    """A finite float, or None (missing, NaN or infinite: not storable as a meaningful Neo4j property)."""
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None
