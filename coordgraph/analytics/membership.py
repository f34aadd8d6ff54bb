"""Membership test: which other accounts engaging the targets belong to the confirmed coordinated clusters?

Clusters are found through co-action edges, which need at least ``min_repeat`` shared objects per pair, so a
member with a handful of actions rarely has an edge of its own. Once clusters are confirmed, every other
account in the *benchmark pool* (the accounts engaging a ``:Target``'s posts, ``detect/membership_pool.cypher``;
without targets, the accounts acting on the members' objects) is tested with all its traces, each compared
with the rest of that pool, as in the reference study:

- ``timing`` (behavioural, :func:`timing_test`): its co-actions with members (for each of its actions on an
  object the members acted on, how many members acted within W of it), against the other non-members acting
  on the same objects (the rest of the post's audience): Monte-Carlo p-value of the sum. An account inside
  the members' bursts is within W of many of them; one that is merely fast lands beside one or two;
- corroborating traces, one per account-level *identity* signal (``creation_burst``, ``profile``,
  ``near_duplicate``): the summed strength of the account's links *to the members* in that signal (created in
  the same burst, shared handle/name template or copied bio, near-identical texts; for texts, a single reply
  copying a member's counts, see :func:`links_to_members`, since a quiet member writes one or two). The null below needs
  traces unrelated to when and how much an organic account acts: traces made of action times (weekly rhythm,
  dormancy then activation) are left out, and so are shared distinctive phrases, which in a pool defined by
  engaging the same targets follow the targets' topics and grow with how much an account engages. A trace's
  p-value is empirical, :func:`empirical_p`: the share of the pool accounts without a timing trace (their
  co-actions with members no more than their benchmark expects) whose value is at least as large, the account
  itself counted once among them (1 when it has no link). Under the null a trace is unrelated to timing; the
  quiet members still unfound, linked and near the members, would otherwise crowd the tail and raise each
  other's p-values. The corroboration p-value is the smallest of them, Šidák-corrected for the number of
  traces (``1 - (1 - min p)^k``), so an account is neither penalised for the traces it has no data for nor
  rewarded for trying many.

An account is a candidate only when *both* parts point at the cluster: at least one action within W of a
member and more co-actions with members than its benchmark expects (a look-alike — same profile template,
same sign-up day — without a timing trace is never attached), and a corroboration p-value at most ``alpha``
(a fast fan whose timing overlaps the members but who shares nothing else with them is never attached
either). Candidates are ranked by Fisher's combination of the two p-values. The null is the one the study's
benchmark suggests: in the pool, an account's identity traces are unrelated to its timing, so chance
candidates are what random pairings of corroboration values with timing values produce;
:func:`independence_fdr` computes their expected number at every level and attaches the candidates whose
empirical false-discovery rate (step-up q-value) is at most ``alpha``, both over the whole pool and within
the account's activity class (:func:`activity_strata`, quartiles of the timing accounts' actions;
:func:`chance_pairing_q`): busy fast fans reach small timing p-values without belonging (their speed overlaps
the members' on every post), so a busy account is also weighed against the other busy accounts' chance
pairings, not only carried by the many quiet members found at its level; one busy false account moves the
share as much as dozens of quiet ones. Nothing is tuned on outcomes: the gates are ``alpha`` and the sign of
the timing excess, the threshold comes from the pool itself.

A second route needs no timing (:func:`identity_fdr`): two *different* identity traces pointing at the members
(created in their burst and a reply copying a member's, say), tested per pair of traces against random
pairings of the two traces' values, Bonferroni over the pairs. A quiet member's few actions may include no
fast one, while an organic account linked twice by chance is rare; one identity trace alone never attaches.

Every attached account's dossier lists each trace with its value, p-value and the members behind it, the
combined p-value and q-value; the near actions are reproducible with ``evidence.reproduce_pair`` and the
pool with ``detect/membership_pool.cypher``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver
from scipy import stats

from .. import db
from . import statistics
from .signals import SignalResult

BEHAVIOURAL = "timing"
# Identity traces only: the chance-pairing null assumes they are unrelated to when and how much an organic account
# acts (see the module doc for why rhythm, dormancy and shared phrases are not among them).
CORROBORATING: tuple[str, ...] = ("creation_burst", "profile", "near_duplicate")
MAX_PEERS = 10
# A busy fast fan reaches a small timing p-value more easily than a quiet account (more actions, and a fan's
# speed overlaps the members' on every post), so chance pairings are also counted within classes of activity:
# a busy account must pass against the other busy accounts' chance rate too, not only be carried by the many
# quiet members found at the same level. Quartiles, each of at least 10 timing accounts: a small class is not
# trusted more than a large one, since each adds its strongest passing timing to its own null (independence_fdr).
ACTIVITY_STRATA = 4
MIN_STRATUM = 10

COLUMNS = ["account_id", "actions", "near_actions", "observed", "expected", "timing_p", "corroboration_p", "p_value", "q_value", "attached",
           "traces", "routes"]


def benchmark_pool(driver: Driver, database: str | None = None) -> pd.DataFrame:
    """The accounts engaging a ``:Target``'s posts (``account_id, target_actions, target_posts``)."""
    rows = sorted(db.read(driver, "detect/membership_pool", database=database), key=lambda r: str(r["account_id"]))
    return pd.DataFrame(rows, columns=["account_id", "target_actions", "target_posts"])


def empirical_p(values: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """Per value: the share of the reference values at least as large, each value counted among them once (its
    upper rank in the reference; without ``reference`` (a boolean mask), all values); 1 for values <= 0."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values
    in_reference = np.ones(values.size, dtype=bool) if reference is None else np.asarray(reference, dtype=bool)
    ordered = np.sort(values[in_reference])
    at_least = ordered.size - np.searchsorted(ordered, values, side="left") + ~in_reference
    return np.where(values > 0, at_least / (ordered.size + ~in_reference), 1.0)


def links_to_members(result: SignalResult | None, members: set[str]) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Per account outside ``members``: summed pair strength to members in one signal, and those members.

    Uses the signal's ``trace_pairs`` when it keeps them: a quiet account's one templated reply copying a
    member's is a trace even though a pair needs ``min_repeat`` such posts to become an evidence edge.
    """
    strength: dict[str, float] = {}
    peers: dict[str, list[str]] = {}
    pairs = None if result is None else result.trace_pairs if result.trace_pairs is not None else result.pairs
    if pairs is None or pairs.empty:
        return strength, peers
    a, b, w = pairs["a"].to_numpy(dtype=object), pairs["b"].to_numpy(dtype=object), pairs["weight"].to_numpy(dtype=float)
    in_a = np.fromiter((x in members for x in a), dtype=bool, count=len(a))
    in_b = np.fromiter((x in members for x in b), dtype=bool, count=len(b))
    for outsider, member, weight in zip(np.r_[a[in_b & ~in_a], b[in_a & ~in_b]], np.r_[b[in_b & ~in_a], a[in_a & ~in_b]],
                                        np.r_[w[in_b & ~in_a], w[in_a & ~in_b]]):
        strength[outsider] = strength.get(outsider, 0.0) + float(weight)
        peers.setdefault(outsider, []).append(str(member))
    return strength, peers


def timing_test(events: list[statistics.SignalEvents], members: set[str], n_null: int = 2000,
                rng: np.random.Generator | None = None, max_cells: int = 4_000_000) -> pd.DataFrame:
    """Per non-member acting on the members' objects: its co-actions with members (for each of its actions on
    such an object, how many members acted on it within W), against the rest of that object's audience.

    Null: on each object, the account's co-action count is exchangeable with those of the object's other
    non-member actions (the benchmark: the other accounts engaging the same post, hashtag, ...), so each of its
    actions draws a count from the object's non-member counts, itself included. ``expected`` is the mean of the
    null sum, ``timing_p`` the Monte-Carlo upper tail ``(1 + #null >= observed) / (1 + n_null)`` (1 without a
    co-action). An account acting inside the members' bursts is within W of many of them; an account that is
    merely fast lands beside one or two, like the other fast accounts. Returns ``account_id, actions,
    near_actions, observed, expected, timing_p``.
    """
    rng = rng or np.random.default_rng(0)
    parts = []
    for ev in events:
        if ev.at.size == 0:
            continue
        is_member = np.asarray(pd.Index(ev.acc, dtype=object).isin(list(members)), dtype=bool)
        touched = np.bincount(ev.obj[is_member], minlength=len(ev.objects))[ev.obj] >= 1
        rows = np.flatnonzero(touched & ~is_member)
        if rows.size == 0:
            continue
        gap = int(ev.at.max() - ev.at.min()) + 2 * ev.window_ms + 1
        coord = (ev.at - ev.at.min()) + ev.obj.astype(np.int64) * gap
        member_coord = np.sort(coord[is_member])
        hits = (np.searchsorted(member_coord, coord[rows] + ev.window_ms, side="right")
                - np.searchsorted(member_coord, coord[rows] - ev.window_ms, side="left"))
        parts.append(pd.DataFrame({"account_id": ev.acc[rows], "obj": ev.signal + "\x1f" + ev.objects[ev.obj[rows]].astype(str),
                                   "hits": hits.astype(np.int64)}))
    columns = ["account_id", "actions", "near_actions", "observed", "expected", "timing_p"]
    if not parts:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(parts, ignore_index=True).sort_values("obj", kind="stable").reset_index(drop=True)
    obj_code, _ = pd.factorize(rows["obj"], sort=True)
    acc_code, accounts = pd.factorize(rows["account_id"])
    hits = rows["hits"].to_numpy()
    n_acc = len(accounts)
    size = np.bincount(obj_code)
    start = np.r_[0, np.cumsum(size)[:-1]]
    mean_hits = (np.bincount(obj_code, weights=hits) / size)[obj_code]
    observed = np.bincount(acc_code, weights=hits, minlength=n_acc)
    expected = np.bincount(acc_code, weights=mean_hits, minlength=n_acc)
    exceed = _null_exceedances(hits, obj_code, start, size, acc_code, observed, n_null, rng, max_cells)
    frame = pd.DataFrame({
        "account_id": np.asarray(accounts, dtype=object),
        "actions": np.bincount(acc_code, minlength=n_acc),
        "near_actions": np.bincount(acc_code, weights=(hits > 0), minlength=n_acc).astype(np.int64),
        "observed": observed.astype(np.int64),
        "expected": expected,
        "timing_p": np.where(observed > 0, (1.0 + exceed) / (1.0 + n_null), 1.0),
    })
    return frame.sort_values("account_id").reset_index(drop=True)


def _null_exceedances(hits: np.ndarray, obj_code: np.ndarray, start: np.ndarray, size: np.ndarray, acc_code: np.ndarray,
                      observed: np.ndarray, n_null: int, rng: np.random.Generator, max_cells: int) -> np.ndarray:
    """Per account: in how many of ``n_null`` draws its null sum reaches ``observed``.

    Draw ``d`` gives row ``i`` (rows sorted by object) the count of row ``start + floor(u[d, i] * size)`` of its
    object, ``u`` being ``rng.random((n_null, rows))`` in that order. Only what can change a p-value is
    computed: accounts without a co-action get p = 1 whatever the draws, and a row on an object whose counts
    are all equal always draws that count, so it moves the account's threshold instead of being drawn. Blocks
    of draws run on two threads, each from its place in the same random stream.
    """
    n_acc, n_rows = len(observed), len(hits)
    live = observed > 0
    exceed = np.zeros(n_acc)
    obj_low, obj_high = np.minimum.reduceat(hits, start), np.maximum.reduceat(hits, start)
    keep = (obj_high > obj_low)[obj_code] & live[acc_code]
    if keep.sum() > 0.6 * n_rows:  # taking a subset of each block's numbers costs more than drawing every row
        keep[:] = True
    fixed = np.bincount(acc_code, weights=np.where(keep, 0, obj_low[obj_code]), minlength=n_acc)
    need = (observed - fixed)[live]
    drawn = np.flatnonzero(keep)
    if drawn.size == 0 or n_null == 0:
        exceed[live] = np.where(need <= 0, n_null, 0)  # a null sum that is always the fixed part
        statistics.advance_uniforms(rng, n_null * n_rows)
        return exceed
    n_live = int(live.sum())
    slot = np.full(n_acc, n_live)  # accounts without a co-action share one spare slot, never read
    slot[live] = np.arange(n_live)
    every_row = drawn.size == n_rows
    pick_start, pick_size = start[obj_code[drawn]], size[obj_code[drawn]].astype(float)
    batch = max(1, max_cells // max(n_rows, 1))  # replicates per block, bounding memory on large data
    keys = (np.arange(batch, dtype=np.int64)[:, None] * (n_live + 1) + slot[acc_code[drawn]][None, :]).ravel()

    def count(u: np.ndarray) -> np.ndarray:
        b = len(u)
        u = u if every_row else u[:, drawn]
        pick = np.multiply(u, pick_size, out=u).astype(np.int64)
        pick += pick_start
        sums = np.bincount(keys[: pick.size], weights=hits[pick].ravel(), minlength=b * (n_live + 1))
        return (sums.reshape(b, n_live + 1)[:, :n_live] >= need).sum(axis=0)

    counts = sum(statistics.uniform_blocks(rng, n_null, n_rows, batch, count))
    exceed[live] = counts
    return exceed


def fisher(*p_values: np.ndarray) -> np.ndarray:
    """Fisher's combination of independent p-values (element-wise)."""
    statistic = -2.0 * sum(np.log(np.clip(np.asarray(p, dtype=float), 1e-300, 1.0)) for p in p_values)
    return stats.chi2.sf(statistic, df=2 * len(p_values))


def independence_fdr(timing_p: np.ndarray, corroboration_p: np.ndarray, timing_ok: np.ndarray,
                     corroboration_ok: np.ndarray, strata: np.ndarray | None = None) -> np.ndarray:
    """Empirical false-discovery rate (as q-values) of accounts passing both parts, against chance pairings.

    Null: in the pool, an account's corroborating traces are unrelated to its timing. The expected number of
    accounts passing both gates with a combined p-value at most ``level`` is then ``N`` times the chance that an
    independent (timing, corroboration) pair does. Each marginal is estimated on the accounts that fail the
    *other* gate (under the null they have the same distribution, and the members being sought, who pass
    both, do not inflate it), with the most extreme passing value added once to each side so that a small pool
    is not over-trusted. An account's q-value is the smallest ratio of that expectation to the observed count
    over the levels at or above its own (step-up, as for the co-action edges); 1 for accounts failing a gate.
    Fisher's combination of two p-values is monotone in their product, so levels are products.

    ``strata`` (one label per account, e.g. :func:`activity_strata`): the rate is controlled within each
    stratum (Efron's separate classes): the timing marginal and the observed counts are the stratum's own, the
    corroboration marginal is the whole pool's (identity traces are unrelated to activity under the null).
    """
    n = len(timing_p)
    q = np.ones(n)
    both = timing_ok & corroboration_ok
    if n == 0 or not both.any():
        return q
    timing_p, corroboration_p = np.asarray(timing_p, dtype=float), np.asarray(corroboration_p, dtype=float)
    strata = np.zeros(n, dtype=np.int64) if strata is None else np.asarray(strata)
    null_corroboration = np.r_[corroboration_p[corroboration_ok & ~timing_ok], corroboration_p[corroboration_ok].min()]
    corroboration_share = 1.0 / (int((~timing_ok).sum()) + 1)
    product = timing_p * corroboration_p
    for stratum in np.unique(strata[both]):
        inside = strata == stratum
        passing = both & inside
        levels = np.sort(product[passing])
        null_timing = np.sort(np.r_[timing_p[inside & timing_ok & ~corroboration_ok], timing_p[inside & timing_ok].min()])
        scale = int(inside.sum()) * corroboration_share / (int((inside & ~corroboration_ok).sum()) + 1)
        expected = np.zeros(len(levels))
        for start in range(0, len(levels), 256):
            chunk = levels[start:start + 256]
            bounds = chunk[:, None] / np.maximum(null_corroboration[None, :], 1e-300)
            expected[start:start + 256] = np.searchsorted(null_timing, bounds, side="right").sum(axis=1) * scale
        observed = np.searchsorted(levels, levels, side="right")
        ratio = np.minimum.accumulate((expected / observed)[::-1])[::-1]
        q[passing] = np.minimum(ratio[np.searchsorted(levels, product[passing], side="left")], 1.0)
    return q


def chance_pairing_q(timing_p: np.ndarray, corroboration_p: np.ndarray, timing_ok: np.ndarray,
                     corroboration_ok: np.ndarray, strata: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The timing route's two false-discovery rates (:func:`independence_fdr`): over the whole pool, and within
    each account's activity class. An account is attached on this route only when both are at most alpha: the
    class keeps a busy account from being carried by the quiet members found at its level, the pool keeps the
    classes from multiplying the chances of a false attachment (with four classes and no member left to find,
    a false attachment somewhere would be up to four times likelier than in one pool)."""
    pooled = independence_fdr(timing_p, corroboration_p, timing_ok, corroboration_ok)
    by_class = independence_fdr(timing_p, corroboration_p, timing_ok, corroboration_ok, strata)
    return pooled, by_class


def activity_strata(actions: np.ndarray, timing_ok: np.ndarray, max_strata: int = ACTIVITY_STRATA,
                    min_size: int = MIN_STRATUM) -> np.ndarray:
    """Per account, its activity stratum: quantile classes of ``actions`` among the accounts with a timing trace
    (at most ``max_strata``, each holding at least ``min_size`` of them; equal counts stay in one class)."""
    actions = np.asarray(actions, dtype=float)
    k = int(min(max_strata, int(np.sum(timing_ok)) // max(min_size, 1)))
    if k <= 1:
        return np.zeros(len(actions), dtype=np.int64)
    edges = np.unique(np.quantile(actions[timing_ok], np.arange(1, k) / k))
    return np.searchsorted(edges, actions, side="left").astype(np.int64)


def test_membership(events: list[statistics.SignalEvents], results: dict[str, SignalResult], members: list[str],
                    pool: list[str], exclude: set[str], alpha: float, n_null: int = 2000,
                    rng: np.random.Generator | None = None, identity_route: bool = True) -> pd.DataFrame:
    """Test every pool account not in ``exclude`` for membership of ``members`` (see module doc).

    ``identity_route``: also attach accounts linked to the members by two different identity traces
    (:func:`identity_fdr`), whatever their timing.

    Returns one row per tested account (``COLUMNS``); ``traces`` holds each trace's value, p-value and peers.
    """
    member_set = set(members)
    timing = timing_test(events, member_set, n_null, rng)
    # the benchmark is the accounts engaging the targets; without targets, every account acting on members' objects
    candidates = pool if len(pool) else list(timing["account_id"])
    tested = [a for a in dict.fromkeys(candidates) if a not in exclude and a not in member_set]
    if not tested:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.DataFrame({"account_id": tested}).merge(timing, on="account_id", how="left")
    frame["actions"] = frame["actions"].fillna(0).astype(int)
    frame["near_actions"] = frame["near_actions"].fillna(0).astype(int)
    frame["observed"] = frame["observed"].fillna(0).astype(int)
    frame["expected"] = frame["expected"].fillna(0.0).astype(float)
    frame["timing_p"] = frame["timing_p"].fillna(1.0).astype(float)
    timing_ok = ((frame["observed"] >= 1) & (frame["observed"] > frame["expected"])).to_numpy()
    corroborating = [s for s in CORROBORATING if s in results]
    trace_p, trace_detail = {}, {}
    for name in corroborating:
        strength, peers = links_to_members(results[name], member_set)
        values = np.array([strength.get(a, 0.0) for a in tested])
        # ranked among the accounts whose timing does not point at the members: under the null a trace is unrelated
        # to timing, and the quiet members still unfound (linked, and near the members) would otherwise crowd
        # the pool's tail and raise each other's p-values
        trace_p[name] = empirical_p(values, reference=~timing_ok if (~timing_ok).any() else None)
        trace_detail[name] = (values, peers)
    k = len(corroborating)
    if k:
        best = np.min(np.vstack([trace_p[n] for n in corroborating]), axis=0)
        frame["corroboration_p"] = 1.0 - (1.0 - best) ** k
    else:
        frame["corroboration_p"] = 1.0
    frame["p_value"] = fisher(frame["timing_p"].to_numpy(), frame["corroboration_p"].to_numpy())
    corroboration_ok = (frame["corroboration_p"] <= alpha).to_numpy()
    strata = activity_strata(frame["actions"].to_numpy(), timing_ok)
    pool_q, class_q = chance_pairing_q(frame["timing_p"].to_numpy(), frame["corroboration_p"].to_numpy(), timing_ok,
                                       corroboration_ok, strata)
    timing_q = np.maximum(pool_q, class_q)
    identity_q = identity_fdr(trace_p) if identity_route and k >= 2 else np.ones(len(frame))
    frame["q_value"] = np.minimum(timing_q, identity_q)
    frame["attached"] = frame["q_value"] <= alpha
    frame["traces"] = [_traces(i, row, corroborating, trace_p, trace_detail) for i, row in enumerate(frame.to_dict("records"))]
    classes = int(strata.max()) + 1
    frame["routes"] = [{"timing_and_identity_q": float(tq), "two_identity_traces_q": float(iq), "pool_q": float(pq),
                        "activity_class_q": float(cq), "activity_class": int(stratum) + 1, "activity_classes": classes}
                       for tq, iq, pq, cq, stratum in zip(timing_q, identity_q, pool_q, class_q, strata)]
    return frame[COLUMNS]


def identity_fdr(trace_p: dict[str, np.ndarray]) -> np.ndarray:
    """q-values of the accounts linked to the members by two different identity traces, timing aside.

    For each pair of traces (A, B), the accounts with a link in both are tested as :func:`independence_fdr`
    tests timing with corroboration: under the null an organic account's links in A and in B are unrelated
    (a burst-day sign-up does not make a copied reply or a profile template likelier), so chance candidates are
    what random pairings of the A and B values give, each marginal taken from the accounts linked in one trace
    only. Bonferroni over the pairs of traces; an account's q-value is its smallest.
    """
    names = list(trace_p)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    q = np.ones(len(next(iter(trace_p.values())))) if names else np.ones(0)
    for a, b in pairs:
        pa, pb = trace_p[a], trace_p[b]
        q = np.minimum(q, np.minimum(independence_fdr(pa, pb, pa < 1, pb < 1) * len(pairs), 1.0))
    return q


def _traces(i: int, row: dict[str, Any], corroborating: list[str], trace_p, trace_detail) -> dict[str, Any]:
    out: dict[str, Any] = {
        BEHAVIOURAL: {"near_member_actions": int(row["near_actions"]), "co_actions_with_members": int(row["observed"]),
                      "expected": round(float(row["expected"]), 3), "p_value": float(row["timing_p"])},
    }
    for name in corroborating:
        values, peers = trace_detail[name]
        if values[i] > 0:
            out[name] = {"strength_to_members": round(float(values[i]), 4), "p_value": float(trace_p[name][i]),
                         "members": peers.get(row["account_id"], [])[:MAX_PEERS]}
    return out
