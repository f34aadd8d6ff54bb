"""Corroborated route: groups whose timing excess is real but under the floor, confirmed by shared identity traces.

The cluster gate asks the timing excess (observed / expected co-actions within W under the post-conditioned
null) to be at least twofold at 95 % confidence (``cluster_effect.MIN_EFFECT``). A slow network, whose
followers trail the leader by a minute or more, falls just under it: within 60 s its members meet on only
part of the posts, and the post-conditioned null expects much of what they do share. Lowering the floor for
every group would let in independent fans and fan communities (their lower bounds sit at 1.0-1.3, and a piece
of a fan community can reach 2).

The reference study's markers are several and independent: amplification within seconds, but also accounts
created in the same bursts, copied profile templates and templated (near-identical) text. A group is
confirmed here only when *both* kinds of evidence point at it, each tested against its own benchmark:

* **timing** — the group's cluster test (same null, same draws as any cluster) is significant after
  Bonferroni over this route's tests, and its effect's lower bound reaches :data:`MIN_CORROBORATED_EFFECT`
  (1.5: halfway between the independent fans' 1.0-1.2 and the floor of 2);
* **identity** (:func:`group_identity`) — both read on the members its timing supports (significant, effect
  lower bound at least :data:`MIN_CORROBORATED_EFFECT`, repeated: :func:`timing_supported`): the number of them
  linked to another of them by an identity trace (``membership.CORROBORATING``: creation burst, profile
  template or copied bio, near-duplicate text; the traces the membership test also uses, which do not follow
  when or how much an organic account acts) is far above what equally sized random groups of the targets'
  other engagers show (the benchmark pool, :func:`identity_test`; Monte-Carlo p, Bonferroni over this route's
  tests), and at least half of them are linked to another member: the accounts the timing puts in the group
  *as a whole* carry the traces, not a few look-alikes among them. Neither is read on the whole group: a
  community found by the sparse route can hold as many organic engagers as members, swept in by the posts
  they share, with no timing excess of their own; over the whole group they would halve the share of a
  network whose members are nearly all linked, and draw the null at a size where random groups of a pool
  that holds the network's own unfound members are linked too.

Candidates are the tested communities that failed the gates with a significant excess (q at most alpha) and an
effect lower bound of at least :data:`MIN_CORROBORATED_EFFECT`. The edge route cuts a slow network into pure
pieces of three to five accounts, each too small to clear anything on its own, so candidates are first joined
(:func:`join_candidates`) when some pair across them co-acted within W on at least ``min_repeat`` objects
(a candidate pair of the edge calibration) *and* some pair across them shares an identity trace; each joined
group is tested whole. A member is confirmed by the usual member rules (significant, repeated, in step on most
of its moments) with the lowered effect floor, and only when it is itself linked to another member by an
identity trace: a fan swept into the group by its timing alone is not confirmed on the lowered floor. Its in-step share is
read at W and at 300 s (module ``multiscale``), each on all its moments and on the moments answering a post
(module ``cluster_effect``, "Moments on posts": talking points reused for weeks are never in step), and, once at
least :data:`MIN_CONFIRMED` members are confirmed that way, on its moments on the posts those confirmed members
pushed together (module ``bursts``: posts the network did not push are no occasion to be in step with it).
That last reading is also asked of a member with no trace of its own whose timing alone meets the standard
route's full member bar, the effect floor of 2 included (``bursts.timing_strong``).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy import sparse

from . import bursts, cluster_effect, multiscale, statistics
from .membership import CORROBORATING
from .signals import SignalResult
from .statistics import bh_q_values as bh

# The lower floor on the effect's 95 % lower bound for groups corroborated by identity traces: independent fast
# fans sit at 1.0-1.2, fan communities at 1.0-1.3 (module doc); halfway from 1 to the floor of 2.
MIN_CORROBORATED_EFFECT = 1.5
# The share of the members a group's timing supports that must be linked to another member by an identity trace.
MIN_LINKED_SHARE = 0.5
IDENTITY_TRACES: tuple[str, ...] = CORROBORATING
# A group is a claim about several accounts: three at least (a pair is the edge route's to judge), and at least
# three of them confirmed one by one.
MIN_GROUP = 3
MIN_CONFIRMED = 3
# The route's own random stream (mixed with the run's seed), so that the other clusters' draws stay as they were.
ROUTE_STREAM = 13


def identity_links(results: dict[str, SignalResult], traces: tuple[str, ...] = IDENTITY_TRACES) -> pd.DataFrame:
    """Every pair of accounts linked by an identity trace (``a, b``, ``a < b``, deduplicated over traces); a
    signal's ``trace_pairs`` when it keeps them (a single copied reply counts, as in the membership test)."""
    parts = []
    for name in traces:
        result = results.get(name)
        if result is None:
            continue
        pairs = result.trace_pairs if result.trace_pairs is not None else result.pairs
        if pairs is None or pairs.empty:
            continue
        a, b = pairs["a"].astype(str).to_numpy(), pairs["b"].astype(str).to_numpy()
        parts.append(pd.DataFrame({"a": np.where(a < b, a, b), "b": np.where(a < b, b, a)}))
    if not parts:
        return pd.DataFrame({"a": pd.Series(dtype=str), "b": pd.Series(dtype=str)})
    links = pd.concat(parts, ignore_index=True)
    return links[links["a"] != links["b"]].drop_duplicates().sort_values(["a", "b"]).reset_index(drop=True)


def linked_members(links: pd.DataFrame, group: list[str]) -> np.ndarray:
    """Per member of ``group`` (in its order): whether an identity link ties it to another member."""
    members = set(group)
    inside = links[links["a"].isin(members) & links["b"].isin(members)]
    tied = set(inside["a"]) | set(inside["b"])
    return np.array([m in tied for m in group], dtype=bool)


def identity_peers(links: pd.DataFrame, group: list[str], limit: int = 10) -> list[list[str]]:
    """Per member of ``group`` (in its order): the other members an identity link ties it to (at most ``limit``)."""
    members = set(group)
    inside = links[links["a"].isin(members) & links["b"].isin(members)]
    peers: dict[str, list[str]] = {}
    for a, b in zip(inside["a"], inside["b"]):
        peers.setdefault(a, []).append(b)
        peers.setdefault(b, []).append(a)
    return [sorted(peers.get(m, []))[:limit] for m in group]


class LinkGraph:
    """The identity links among a fixed list of accounts (the benchmark pool plus the groups tested) as a sparse
    symmetric matrix, for counting linked members of many random groups quickly."""

    def __init__(self, links: pd.DataFrame, accounts: list[str]):
        self.accounts = list(dict.fromkeys(accounts))
        self.index = {a: i for i, a in enumerate(self.accounts)}
        n = len(self.accounts)
        ia = links["a"].map(self.index)
        ib = links["b"].map(self.index)
        keep = ia.notna() & ib.notna()
        ia, ib = ia[keep].to_numpy(dtype=np.int64), ib[keep].to_numpy(dtype=np.int64)
        ones = np.ones(2 * len(ia), dtype=np.int8)
        self.matrix = sparse.csr_matrix((ones, (np.r_[ia, ib], np.r_[ib, ia])), shape=(n, n))

    def linked_count(self, rows: np.ndarray) -> int:
        """How many of ``rows`` (indices into :attr:`accounts`) are linked to another of them."""
        return int(self.linked_counts(np.asarray(rows, dtype=np.int64)[None, :])[0])

    def linked_counts(self, groups: np.ndarray) -> np.ndarray:
        """:meth:`linked_count` of each row of ``groups`` (equally sized groups, one per row), all at once: each
        member's stored neighbours read straight from the matrix's arrays and looked up among its group's rows
        (slicing a sparse matrix per random group cost milliseconds, thousands of times per group tested)."""
        n_groups, k = groups.shape
        n = self.matrix.shape[0]
        group_of = np.repeat(np.arange(n_groups, dtype=np.int64), k)
        rows = groups.ravel().astype(np.int64)
        start = self.matrix.indptr[rows]
        length = (self.matrix.indptr[rows + 1] - start).astype(np.int64)
        neighbour = self.matrix.indices[statistics.concatenated_ranges(start, length)]
        owner = np.repeat(np.arange(len(rows)), length)
        # (group, account) as one key: a neighbour counts when its key is among its own group's
        keys = np.sort(group_of * n + rows)
        wanted = group_of[owner] * n + neighbour
        found = np.searchsorted(keys, wanted)
        hit = keys[np.minimum(found, len(keys) - 1)] == wanted if len(keys) else np.zeros(0, dtype=bool)
        linked = np.zeros(len(rows), dtype=bool)
        linked[owner[hit]] = True
        return np.bincount(group_of[linked], minlength=n_groups)


def identity_test(graph: LinkGraph, group: list[str], pool: list[str], n_null: int, rng: np.random.Generator) -> dict:
    """The group's linked members against equally sized random groups of the pool (module doc).

    Returns ``linked`` (members linked to another member), ``share`` (of the group), ``null_mean`` and
    ``p_value`` (Monte-Carlo upper tail, ``(1 + #null >= linked) / (1 + n_null)``; 1 when nothing is linked or
    the pool is smaller than the group)."""
    rows = np.array([graph.index[m] for m in group], dtype=np.int64)
    observed = graph.linked_count(rows)
    pool_rows = np.array(sorted({graph.index[a] for a in pool if a in graph.index}), dtype=np.int64)
    k = len(group)
    out = {"linked": observed, "share": observed / k if k else 0.0, "null_mean": None, "p_value": 1.0, "pool": int(len(pool_rows))}
    if observed == 0 or len(pool_rows) < k or n_null <= 0:
        return out
    null = graph.linked_counts(np.array([rng.choice(pool_rows, size=k, replace=False) for _ in range(n_null)]))
    out["null_mean"] = float(null.mean())
    out["p_value"] = float((1 + np.sum(null >= observed)) / (1 + n_null))
    return out


def join_candidates(candidates: list[list[str]], links: pd.DataFrame, coacting: pd.DataFrame) -> list[list[str]]:
    """Candidate groups joined when some pair of accounts across two of them both co-acted (a row of ``coacting``,
    columns ``a, b``) and shares an identity trace (a row of ``links``, ``a < b``); connected candidates become
    one group. Returns the groups (members sorted), each candidate in exactly one."""
    owner = {m: i for i, group in enumerate(candidates) for m in group}
    parent = list(range(len(candidates)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def crossing(frame: pd.DataFrame) -> set[tuple[int, int]]:
        if frame.empty:
            return set()
        ga, gb = frame["a"].map(owner), frame["b"].map(owner)
        both = ga.notna() & gb.notna() & (ga != gb)
        lo = np.minimum(ga[both], gb[both]).astype(np.int64)
        hi = np.maximum(ga[both], gb[both]).astype(np.int64)
        return set(zip(lo.tolist(), hi.tolist()))

    both = links.merge(coacting[["a", "b"]].astype(str).drop_duplicates(), on=["a", "b"]) if len(links) and len(coacting) else links.iloc[:0]
    for i, j in sorted(crossing(both)):
        parent[find(i)] = find(j)
    joined: dict[int, set[str]] = {}
    for i, group in enumerate(candidates):
        joined.setdefault(find(i), set()).update(group)
    return sorted((sorted(g) for g in joined.values()), key=lambda g: (-len(g), g))


@dataclass
class CorroboratedGroup:
    """One group this route tested: its members, the pieces it was joined from, its cluster test (``test``, an
    ``EffectTest`` under the same null as any cluster), its identity figures (:func:`group_identity`), the
    Bonferroni factor of the route (``tests``), whether it is confirmed, and per member the rule figures
    (``accounts``: the test's member columns plus ``q_value``, ``linked``, ``confirmed``)."""

    members: list[str]
    pieces: int
    test: Any
    identity: dict
    tests: int
    confirmed: bool
    accounts: pd.DataFrame
    reason: str = ""


def candidates(tested: list[tuple[list[str], Any, float, bool]], alpha: float) -> list[list[str]]:
    """The communities this route considers (module doc): ``tested`` holds per tested community its members, its
    cluster test, its q-value and whether it was reported coordinated; kept are those with q at most ``alpha``
    and an effect lower bound of at least :data:`MIN_CORROBORATED_EFFECT`, coordinated ones included (a piece
    joined to a coordinated cluster is tested with it; the route only adds members, see ``assess``)."""
    return [sorted(members) for members, test, q, _coordinated in tested
            if q <= alpha and test.effect_low >= MIN_CORROBORATED_EFFECT]


def assess(tested: list[tuple[list[str], Any, float, bool]], results: dict[str, SignalResult], events, coacting: pd.DataFrame | None,
           pool: list[str], params, test_group: Callable[[list[str], np.random.Generator], Any]) -> list[CorroboratedGroup]:
    """Every group of the route (module doc), tested and decided. ``test_group(members, rng)`` runs the cluster
    test on a group (full draws); the route's draws come from their own generator seeded by ``params.seed``, so
    the other communities' tests are unchanged. ``coacting``: pairs (``a, b``) that co-acted within W on at least
    ``min_repeat`` objects. ``pool``: the benchmark (the accounts engaging the targets; without targets, every
    account of the co-action events)."""
    found = candidates(tested, params.alpha)
    if not found:
        return []
    links = identity_links(results)
    coacting = coacting if coacting is not None else pd.DataFrame({"a": [], "b": []})
    groups = [g for g in join_candidates(found, links, coacting) if len(g) >= MIN_GROUP]
    if not groups:
        return []
    if not len(pool):
        pool = sorted({str(a) for ev in events for a in ev.accounts})
    rng = np.random.default_rng([int(params.seed), ROUTE_STREAM])
    graph = LinkGraph(links, list(pool) + [m for g in groups for m in g])
    pieces = {tuple(g): sum(1 for c in found if set(c) <= set(g)) for g in groups}
    level = params.alpha / len(groups)  # Bonferroni over the route's groups, each asked two questions at that level
    out = []
    for group in groups:
        test = test_group(group, rng)
        acc = test.accounts.copy()
        acc["q_value"] = bh(acc["p_value"].to_numpy())
        acc["linked"] = linked_members(links, group)
        acc["identity_peers"] = identity_peers(links, group)
        identity = group_identity(graph, acc, pool, params, rng)
        strong = timing_supported(acc, params) & acc["linked"]
        # read on all moments and on those answering a post: the relaxed readings are asked only of members whose
        # group and own identity are corroborated (cluster_effect, "Moments on posts")
        acc["confirmed"] = strong & cluster_effect.in_step(acc, params.min_repeat, params.min_in_step, posts=True)
        # a corroborated group is in step at its own pace: the second look of module multiscale (W and 300 s)
        acc = multiscale.confirm_wider(events, acc, strong, SimpleNamespace(
            window_s=params.window_s, wide_window_s=max(params.wide_window_s, multiscale.WIDE_WINDOW_S), min_in_step=params.min_in_step,
            min_repeat=params.min_repeat), posts=True)
        # and in step with the confirmed members on the posts they pushed together (module bursts), asked too of
        # members without a trace of their own whose timing reaches the full floor
        asked = strong | bursts.timing_strong(acc, params)
        acc = bursts.confirm_in_bursts(events, acc, asked, params, MIN_CONFIRMED)
        reason = group_reason(test, identity, level, int(acc["confirmed"].sum()))
        out.append(CorroboratedGroup(group, pieces[tuple(group)], test, identity, len(groups), reason == "", acc, reason))
    return out


def timing_supported(acc: pd.DataFrame, params) -> pd.Series:
    """The members a corroborated group's timing supports on their own: significant (q at most ``alpha``), an
    effect lower bound of at least :data:`MIN_CORROBORATED_EFFECT` and at least ``min_repeat`` moments; the
    population the linked-share gate is read on (module doc): the standard bar of ``bursts.timing_strong`` with
    this route's lower floor."""
    return bursts.timing_strong(acc, params, MIN_CORROBORATED_EFFECT)


def supported_share(acc: pd.DataFrame, params) -> dict:
    """How many members the timing supports (:func:`timing_supported`), how many of them are linked to another
    member by an identity trace, and that share (0 when the timing supports none)."""
    supported = timing_supported(acc, params)
    linked = int((supported & acc["linked"]).sum())
    count = int(supported.sum())
    return {"timing_supported": count, "supported_linked": linked, "supported_share": linked / count if count else 0.0}


def group_identity(graph: LinkGraph, acc: pd.DataFrame, pool: list[str], params, rng: np.random.Generator) -> dict:
    """A group's identity figures (module doc): over the whole group, ``linked`` members and their ``share``;
    over the members its timing supports, :func:`supported_share`'s counts, and the identity test
    (:func:`identity_test`) on those members alone: ``supported_linked_within`` (supported members linked to
    another supported member), ``null_mean`` and ``p_value`` (equally sized random groups of the pool), ``pool``.
    Organic engagers swept into the group are in neither the count nor the size the null is drawn at."""
    linked = int(acc["linked"].sum())
    out = {"linked": linked, "share": linked / len(acc) if len(acc) else 0.0}
    out.update(supported_share(acc, params))
    supported = acc.loc[timing_supported(acc, params).to_numpy(), "account_id"].astype(str).tolist()
    test = identity_test(graph, supported, pool, params.n_null, rng)
    out.update({"supported_linked_within": test["linked"], "null_mean": test["null_mean"], "p_value": test["p_value"],
                "pool": test["pool"]})
    return out


def group_reason(test, identity: dict, level: float, confirmed: int) -> str:
    """Why a group of the route is not confirmed, in words (the first gate it failed), or '' when it is."""
    if not test.p_value <= level:
        return f"timing not significant at the route's level (p = {test.p_value:.2g} > {level:.2g})"
    if not test.effect_low >= MIN_CORROBORATED_EFFECT:
        return (f"excess too small even for a corroborated group: effect lower bound {test.effect_low:.2f} "
                f"< {MIN_CORROBORATED_EFFECT:g}")
    if not identity["supported_share"] >= MIN_LINKED_SHARE:
        return (f"identity traces link {identity['supported_linked']} of the {identity['timing_supported']} members "
                f"its timing supports to another member, under {MIN_LINKED_SHARE:.0%}")
    if not identity["p_value"] <= level:
        return (f"identity traces among the members its timing supports not beyond equally sized groups of the pool "
                f"(p = {identity['p_value']:.2g} > {level:.2g})")
    if confirmed < MIN_CONFIRMED:
        return f"fewer than {MIN_CONFIRMED} members confirmed ({confirmed})"
    return ""
