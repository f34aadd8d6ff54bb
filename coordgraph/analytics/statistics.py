"""Benchmark statistics: is a cluster's co-action more synchronised than chance allows?

Cluster test (:func:`test_cluster`), latency-preserving null: every member keeps the objects it acted on and
its own habits of reaction speed, but its delay after each object's post (or, for objects without a post
time such as hashtags, after the object's first action) is redrawn from the member's own delays on other
objects. Fast fans who always react within seconds keep co-occurring under this null, so speed alone is not
evidence; accounts that land within W of each other at moments that vary from post to post are. The statistic
is the number of (object, member pair) co-actions within W, per signal and summed over signals; p-values are
Monte-Carlo (``(1 + #null >= observed) / (1 + B)``), per member as well (its co-actions with the other
members), and corrected with Benjamini–Hochberg (``scipy.stats.false_discovery_control``).

Edge calibration (:func:`calibrate_pairs`): co-action pairs are kept only above a surprise threshold derived
from the same null. A pair's surprise is the Poisson tail of its count given its expectation under the null
(the sum over the objects both accounts acted on of the chance that two of that object's action times fall
within W). The same pairing is run on the observed data and on ``n_null_pairs`` permuted copies (account
labels shuffled among each object's action times); the threshold is the largest surprise level at which the
null's pairs are at most ``alpha`` of the observed pairs (an empirical false-discovery rate), so that chance
pairs from busy moments do not enter the graph however many accounts the data has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse, stats


@dataclass
class SignalEvents:
    """One signal's actions, one per (object, account) (the first), sorted by object then time."""

    signal: str
    window_ms: int
    obj: np.ndarray  # object codes (int)
    acc: np.ndarray  # account ids (object array of str)
    at: np.ndarray  # epoch ms (int64)
    obj_start: np.ndarray  # first row of each object code
    obj_size: np.ndarray  # rows per object code
    objects: np.ndarray  # object code -> object id
    pair_rate: np.ndarray = field(default=None)  # per object: P(two draws from its times are within W)
    acc_code: np.ndarray = field(default=None)  # account codes (int) per row
    delay: np.ndarray = field(default=None)  # at - the object's anchor (post time, else first action), per row
    by_acc: np.ndarray = field(default=None)  # row indices sorted by account code
    acc_start: np.ndarray = field(default=None)  # first position in by_acc of each account code
    acc_size: np.ndarray = field(default=None)  # rows per account code
    accounts: np.ndarray = field(default=None)  # account code -> account id
    anchor: np.ndarray = field(default=None)  # per object: the time delays are measured from
    posted: np.ndarray = field(default=None)  # per object: True when the anchor is a post time (not the first action)
    _account_index: pd.Index = field(default=None, repr=False)

    @classmethod
    def from_frame(cls, signal: str, events: pd.DataFrame, window_ms: int) -> "SignalEvents":
        """Build from a DataFrame ``obj, acc, at`` (extra columns ignored)."""
        cols = ["obj", "acc", "at"] + (["anchor"] if "anchor" in events else [])
        frame = events[cols].sort_values(["obj", "acc", "at"]).drop_duplicates(["obj", "acc"])
        codes, objects = pd.factorize(frame["obj"], sort=True)
        order = np.lexsort((frame["at"].to_numpy(), codes))
        obj = codes[order]
        acc = frame["acc"].to_numpy(dtype=object)[order]
        at = frame["at"].to_numpy(dtype=np.int64)[order]
        size = np.bincount(obj, minlength=len(objects)).astype(np.int64)
        start = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
        self = cls(signal, int(window_ms), obj, acc, at, start, size, np.asarray(objects, dtype=object))
        self.pair_rate = _pair_rates(at, start, size, int(window_ms))
        codes_acc, accounts = pd.factorize(acc)
        self.acc_code = codes_acc.astype(np.int64)
        self.accounts = np.asarray(accounts, dtype=object)
        first = at[start]  # the object's first action (rows are sorted by time within an object)
        if "anchor" in frame:
            anchor = pd.to_numeric(frame["anchor"], errors="coerce").to_numpy(dtype=float)[order]
            per_obj = np.full(len(objects), np.nan)
            per_obj[obj] = anchor
            posted = ~np.isnan(per_obj)
            per_obj = np.where(np.isnan(per_obj), first, np.minimum(per_obj, first))
        else:
            per_obj = first.astype(float)
            posted = np.zeros(len(objects), dtype=bool)
        self.posted = posted
        self.delay = at - per_obj.astype(np.int64)[obj]
        self.by_acc = np.argsort(self.acc_code, kind="stable")
        self.acc_size = np.bincount(self.acc_code, minlength=len(accounts)).astype(np.int64)
        self.acc_start = np.concatenate([[0], np.cumsum(self.acc_size)[:-1]]).astype(np.int64)
        self.anchor = per_obj.astype(np.int64)
        return self

    def member_positions(self, members: list[str]) -> np.ndarray:
        """Per account code: the account's index in ``members``, or -1 when it is not a member."""
        position = np.full(len(self.accounts), -1, dtype=np.int64)
        codes = self.account_index().get_indexer(pd.Index(members, dtype=object))
        found = codes >= 0
        position[codes[found]] = np.flatnonzero(found)
        return position

    def account_index(self) -> pd.Index:
        """Account id -> code lookup (built once)."""
        if self._account_index is None:
            self._account_index = pd.Index(self.accounts, dtype=object)
        return self._account_index

    def incidence(self) -> sparse.csr_matrix:
        """Account x object 0/1 matrix."""
        return sparse.csr_matrix(
            (np.ones(len(self.obj)), (self.acc_code, self.obj)), shape=(len(self.accounts), len(self.objects))
        )

    def distinct_pair_rate(self) -> np.ndarray:
        """Per object: P(two *different* actions, labels permuted, are within W) = within-W pairs / C(n, 2)."""
        n = self.obj_size.astype(float)
        within_incl_self = self.pair_rate * n**2  # ordered pairs incl. i = j
        pairs = (within_incl_self - n) / 2
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n >= 2, pairs / (n * (n - 1) / 2), 0.0)


@dataclass
class ClusterTest:
    """The null test of one cluster: per signal observed vs expected, Monte-Carlo p-values, per-account detail."""

    observed: dict[str, int]
    expected: dict[str, float]
    p_values: dict[str, float]
    total_observed: int
    total_expected: float
    p_value: float
    accounts: pd.DataFrame  # account_id, observed, expected, ratio, p_value


def test_cluster(
    events: list[SignalEvents],
    members: list[str],
    n_null: int = 2000,
    rng: np.random.Generator | None = None,
    batch: int = 100,
) -> ClusterTest:
    """Compare a cluster's within-window co-actions with the latency-preserving null (see module doc)."""
    rng = rng or np.random.default_rng(0)
    observed: dict[str, int] = {}
    expected: dict[str, float] = {}
    p_values: dict[str, float] = {}
    null_total = np.zeros(n_null, dtype=np.int64)
    acc_obs = np.zeros(len(members))
    acc_null = np.zeros((n_null, len(members)))
    for ev in events:
        position = ev.member_positions(members)  # per account code: index in members, or -1
        mask = position[ev.acc_code] >= 0
        k = np.bincount(ev.obj[mask], minlength=len(ev.objects))
        rel = np.flatnonzero(k >= 2)
        if rel.size == 0:
            observed[ev.signal], expected[ev.signal], p_values[ev.signal] = 0, 0.0, 1.0
            continue
        rows = np.flatnonzero(mask & (k[ev.obj] >= 2))
        who = position[ev.acc_code[rows]]
        obs_total, partners = _within(ev.obj[rows], ev.at[rows], ev.window_ms)
        np.add.at(acc_obs, who, partners)
        null, null_partners = _null_counts(ev, rows, who, len(members), n_null, rng, batch)
        observed[ev.signal] = int(obs_total)
        expected[ev.signal] = float(null.mean())
        p_values[ev.signal] = float((1 + np.sum(null >= obs_total)) / (1 + n_null))
        null_total += null
        acc_null += null_partners
    total_obs = int(sum(observed.values()))
    total_exp = float(sum(expected.values()))
    p_total = float((1 + np.sum(null_total >= total_obs)) / (1 + n_null)) if total_obs > 0 else 1.0
    acc_rows = []
    for i, m in enumerate(members):
        o, e = acc_obs[i], float(acc_null[:, i].mean())
        p = float((1 + np.sum(acc_null[:, i] >= o)) / (1 + n_null)) if o > 0 else 1.0
        acc_rows.append({"account_id": m, "observed": int(o), "expected": e, "ratio": (o / e) if e > 0 else None, "p_value": p})
    return ClusterTest(observed, expected, p_values, total_obs, total_exp, p_total, pd.DataFrame(acc_rows))


_JUMPABLE = (np.random.PCG64, np.random.PCG64DXSM)  # bit generators whose ``advance`` skips n 64-bit outputs


def uniform_blocks(rng: np.random.Generator, n_draws: int, n: int, batch: int,
                   work: Callable[[np.ndarray], Any], workers: int = 2) -> Iterator[Any]:
    """``work(u)`` for each block of up to ``batch`` rows of ``u = rng.random((n_draws, n))``, in block order.

    The blocks are the very numbers the one serial call gives (each double takes one 64-bit output of the bit
    generator), so results do not depend on the block size or on threads. With a PCG64 generator the blocks
    run on ``workers`` threads, each from a copy of the generator advanced to its block (numpy releases the GIL
    in the random fills and array loops); ``rng`` ends where the serial call leaves it.
    """
    blocks = [(b0, min(batch, n_draws - b0)) for b0 in range(0, n_draws, batch)]
    if workers < 2 or len(blocks) < 2 or not can_jump(rng):
        for _, b in blocks:
            yield work(rng.random((b, n)))
        return
    state = rng.bit_generator.state

    def run(block: tuple[int, int]) -> Any:
        return work(generator_at(rng, block[0] * n, state).random((block[1], n)))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run, blocks)
    rng.bit_generator.advance(n_draws * n)


def generator_at(rng: np.random.Generator, count: int, state: dict | None = None) -> np.random.Generator:
    """A new generator where ``rng`` (a PCG64 generator, or its ``state``) will be after ``count`` doubles of
    ``rng.random``; ``rng`` does not move."""
    bit_generator = type(rng.bit_generator)()
    bit_generator.state = state if state is not None else rng.bit_generator.state
    bit_generator.advance(int(count))
    return np.random.Generator(bit_generator)


def can_jump(rng: np.random.Generator) -> bool:
    """Whether :func:`generator_at` can place copies of ``rng`` ahead in its stream."""
    return isinstance(rng.bit_generator, _JUMPABLE)


def advance_uniforms(rng: np.random.Generator, count: int) -> None:
    """Move ``rng`` past ``count`` doubles of ``rng.random`` without using them."""
    if count <= 0:
        return
    if can_jump(rng):
        rng.bit_generator.advance(count)
    else:
        for b0 in range(0, count, 1 << 22):
            rng.random(min(1 << 22, count - b0))


def bh_q_values(p_values: list[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values)."""
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    return stats.false_discovery_control(np.clip(p, 0.0, 1.0), method="bh")


def _pair_rates(at: np.ndarray, start: np.ndarray, size: np.ndarray, window_ms: int) -> np.ndarray:
    """Per object: the probability that two times drawn (with replacement) from its action times are within W."""
    # Within one object the times are sorted; make objects far apart so one searchsorted serves all.
    obj = np.repeat(np.arange(len(size)), size)
    span = (at.max() - at.min()) if at.size else 0
    shifted = (at - (at.min() if at.size else 0)) + obj.astype(np.int64) * (span + 2 * window_ms + 1)
    hi = np.searchsorted(shifted, shifted + window_ms, side="right")
    lo = np.searchsorted(shifted, shifted - window_ms, side="left")
    within = (hi - lo).astype(float)  # includes the time itself
    sums = np.bincount(obj, weights=within, minlength=len(size))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(size > 0, sums / np.maximum(size, 1) ** 2, 0.0)


def _within(obj: np.ndarray, at: np.ndarray, window_ms: int) -> tuple[int, np.ndarray]:
    """Pairs within W on the same object (rows sorted by object; any order of times within one), and each
    row's number of partners."""
    order = np.lexsort((at, obj))
    o, t = obj[order], at[order]
    span = int(t.max() - t.min()) if t.size else 0
    shifted = (t - (t.min() if t.size else 0)) + o.astype(np.int64) * (span + 2 * window_ms + 1)
    hi = np.searchsorted(shifted, shifted + window_ms, side="right")
    lo = np.searchsorted(shifted, shifted - window_ms, side="left")
    idx = np.arange(len(shifted))
    partners = np.empty(len(shifted), dtype=np.int64)
    partners[order] = hi - lo - 1
    return int(np.sum(hi - idx - 1)), partners


def _null_counts(ev: SignalEvents, rows: np.ndarray, who: np.ndarray, n_members: int, n_null: int,
                 rng: np.random.Generator, batch: int, block_elements: int = 1 << 17) -> tuple[np.ndarray, np.ndarray]:
    """Member co-actions within W (total and per member) when each member's delay after each object's anchor
    is redrawn from that member's own delays."""
    acc = ev.acc_code[rows]
    pool_start, pool_size = ev.acc_start[acc], ev.acc_size[acc]
    obj = ev.obj[rows]
    # objects far apart from each other and replicates far apart from each other, so one sort serves all
    objs, dense = np.unique(obj, return_inverse=True)
    max_delay = int(np.abs(ev.delay).max()) if ev.delay.size else 0
    gap = 2 * max_delay + 2 * ev.window_ms + 1
    obj_offset = dense.astype(np.int64) * gap
    rep_gap = gap * (len(objs) + 1)
    n = len(rows)
    totals = np.empty(n_null, dtype=np.int64)
    per_member = np.zeros((n_null, n_members))
    # The member rides in the low bits of each time key: one plain sort (no argsort) orders the times and
    # carries the members along, and the window searches then run over sorted queries.
    bits = max(int(n_members - 1).bit_length(), 1)
    low = (1 << bits) - 1
    packed = (max_delay + int(obj_offset.max(initial=0)) + gap + (batch + 1) * rep_gap) < (1 << (62 - bits))
    # blocks of draws small enough for the searches to stay in cache (the random stream does not depend on it)
    batch = int(max(1, min(batch, block_elements // max(n, 1))))
    def count(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        b = len(u)
        pick = pool_start + (u * pool_size).astype(np.int64)
        delays = ev.delay[ev.by_acc[pick]]
        times = delays + max_delay + obj_offset + (np.arange(b, dtype=np.int64)[:, None] * rep_gap)
        if packed:
            keys = np.sort(((times << bits) | who).ravel())  # replicates are far apart: one sort sorts each
            hi = np.searchsorted(keys, (((keys >> bits) + ev.window_ms) << bits) | low, side="right")
            partners = _partners_from_ends(hi)
            member = (keys & low) + np.repeat(np.arange(b, dtype=np.int64) * n_members, n)
        else:
            order = np.argsort(times, axis=1)
            flat = np.take_along_axis(times, order, axis=1).ravel()
            partners = (np.searchsorted(flat, flat + ev.window_ms, side="right")
                        - np.searchsorted(flat, flat - ev.window_ms, side="left") - 1)
            member = (who[order] + np.arange(b, dtype=np.int64)[:, None] * n_members).ravel()
        # each pair is counted from both sides
        return (partners.reshape(b, n).sum(axis=1) // 2,
                np.bincount(member, weights=partners, minlength=b * n_members).reshape(b, n_members))

    b0 = 0
    for block_totals, block_members in uniform_blocks(rng, n_null, n, batch, count):
        totals[b0 : b0 + len(block_totals)] = block_totals
        per_member[b0 : b0 + len(block_totals)] = block_members
        b0 += len(block_totals)
    return totals, per_member


def concatenated_ranges(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The positions ``start[i] .. start[i] + length[i] - 1`` of every range, one range after another."""
    length = np.asarray(length, dtype=np.int64)
    return np.repeat(np.asarray(start, dtype=np.int64) - np.cumsum(length) + length, length) + np.arange(int(length.sum()))


def _partners_from_ends(hi: np.ndarray) -> np.ndarray:
    """Per sorted position i, how many others lie within the window, from ``hi`` (one past the last position
    within the window after i): the later ones are ``hi[i] - i - 1``; the earlier ones are the j < i whose
    window reaches i, counted with a difference array instead of a second search."""
    n = len(hi)
    step = -np.bincount(hi, minlength=n + 1)  # a window starting before i stops reaching at its hi
    step[1:] += 1  # ... and starts reaching at the position after its own
    return (hi - np.arange(n) - 1) + np.cumsum(step)[:n]


def window_pairs(ev: SignalEvents, acc_code: np.ndarray, min_repeat: int) -> pd.DataFrame:
    """Account pairs (codes ``a < b``) acting within W on >= ``min_repeat`` distinct objects, given per-row
    account codes (the observed ones or a permutation within objects)."""
    if len(ev.at) == 0:
        return pd.DataFrame({"a": [], "b": [], "count": []})
    span = int(ev.at.max() - ev.at.min())
    shifted = (ev.at - ev.at.min()) + ev.obj.astype(np.int64) * (span + 2 * ev.window_ms + 1)
    hi = np.searchsorted(shifted, shifted + ev.window_ms, side="right")
    idx = np.arange(len(shifted))
    partners = hi - idx - 1
    total = int(partners.sum())
    if total == 0:
        return pd.DataFrame({"a": [], "b": [], "count": []})
    i = np.repeat(idx, partners)
    offsets = np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    j = i + offsets + 1
    a, b = acc_code[i], acc_code[j]
    key = np.minimum(a, b) * len(ev.accounts) + np.maximum(a, b)
    keys, counts = np.unique(key, return_counts=True)
    keep = counts >= min_repeat
    keys, counts = keys[keep], counts[keep]
    return pd.DataFrame({"a": keys // len(ev.accounts), "b": keys % len(ev.accounts), "count": counts})


def pair_surprise(ev: SignalEvents, a_codes: np.ndarray, b_codes: np.ndarray, counts: np.ndarray,
                  incidence: sparse.csr_matrix | None = None, rate: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Expected co-actions under the null and the Poisson tail P(X >= count) for pairs of account codes.

    The expectation is the sum of ``rate`` (default :meth:`SignalEvents.distinct_pair_rate`) over the objects
    both accounts acted on. ``incidence`` is accepted for compatibility; the shared objects are found from the
    events themselves (each pair's smaller object list looked up among the other account's)."""
    if len(a_codes) == 0:
        return np.zeros(0), np.zeros(0)
    rate = ev.distinct_pair_rate() if rate is None else rate
    expected = shared_rate_sum(ev, np.asarray(a_codes, dtype=np.int64), np.asarray(b_codes, dtype=np.int64), rate)
    p = stats.poisson.sf(np.asarray(counts) - 1, np.maximum(expected, 1e-12))
    return expected, p


def shared_rate_sum(ev: SignalEvents, a: np.ndarray, b: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Per pair of account codes: the sum of ``rate`` over the objects both accounts acted on (compiled: each of the
    shorter object list's objects searched in the longer one, :func:`null_draws.shared_rate_sums`)."""
    from .null_draws import shared_rate_sums  # numba is imported when a null first runs, not with the CLI

    size = ev.acc_size
    small = np.where(size[a] <= size[b], a, b)  # walk the shorter object list, look up in the longer one
    large = np.where(size[a] <= size[b], b, a)
    return shared_rate_sums(ev.obj[ev.by_acc], ev.acc_start, size, small, large, rate)


def calibrate_pairs(ev: SignalEvents, min_repeat: int, alpha: float, n_null_pairs: int, rng: np.random.Generator) -> dict:
    """The surprise threshold at which null pairs are at most ``alpha`` of the observed pairs (see module doc).

    Returns ``{"threshold", "observed_pairs", "null_pairs", "kept"}``; pairs with surprise p <= threshold pass.
    """
    incidence, rate = ev.incidence(), ev.distinct_pair_rate()

    def surprises(codes: np.ndarray) -> np.ndarray:
        pairs = window_pairs(ev, codes, min_repeat)
        return pair_surprise(ev, pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["count"].to_numpy(), incidence, rate)[1]

    def scored(codes: np.ndarray) -> pd.DataFrame:
        pairs = window_pairs(ev, codes, min_repeat)
        expected, p = pair_surprise(ev, pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["count"].to_numpy(), incidence, rate)
        return pairs.assign(expected=expected, p=p)

    observed = np.sort(scored(ev.acc_code)["p"].to_numpy())
    null, null_frames = [], []
    for _ in range(n_null_pairs):
        keys = rng.random(len(ev.obj))
        perm = np.lexsort((keys, ev.obj))  # rows shuffled within each object (objects stay in order)
        frame = scored(ev.acc_code[perm])
        null_frames.append(frame)
        null.append(np.sort(frame["p"].to_numpy()))
    threshold = -1.0  # nothing passes unless some level has an acceptable empirical FDR
    if len(observed):
        n_obs = np.searchsorted(observed, observed, side="right")
        n_null = np.mean([np.searchsorted(x, observed, side="right") for x in null], axis=0) if null else np.zeros(len(observed))
        ok = np.flatnonzero(n_null <= alpha * n_obs)
        if ok.size:
            threshold = float(observed[ok.max()])  # step-up: the largest acceptable level
    kept = int(np.searchsorted(observed, threshold, side="right"))
    # the null pairs that pass, by account id, for the cluster-level calibration
    null_edges = [
        pd.DataFrame({"a": ev.accounts[f["a"].to_numpy(dtype=np.int64)], "b": ev.accounts[f["b"].to_numpy(dtype=np.int64)],
                      "count": f["count"].to_numpy(),
                      "expected": f["expected"].to_numpy()})[f["p"].to_numpy() <= threshold]
        for f in null_frames
    ]
    return {
        "threshold": threshold,
        "observed_pairs": int(len(observed)),
        "null_pairs": float(np.mean([len(x) for x in null])) if null else 0.0,
        "kept": kept,
        "null_edges": null_edges,
    }


def cluster_surprise(count: float, expected: float) -> float:
    """Poisson tail of a group's co-actions on its kept co-action edges given their null expectation."""
    if count <= 0:
        return 1.0
    return float(stats.poisson.sf(count - 1, max(expected, 1e-12)))


def null_component_surprises(null_edges_by_replicate: list[pd.DataFrame]) -> list[np.ndarray]:
    """Per null replicate: the surprise of every connected group its passing edges form (sorted)."""
    import networkx as nx

    out = []
    for edges in null_edges_by_replicate:
        graph = nx.Graph()
        for a, b, c, e in edges[["a", "b", "count", "expected"]].itertuples(index=False):
            if graph.has_edge(a, b):
                graph[a][b]["count"] += c
                graph[a][b]["expected"] += e
            else:
                graph.add_edge(a, b, count=c, expected=e)
        values = []
        for comp in nx.connected_components(graph):
            sub = graph.subgraph(comp)
            total = sum(d["count"] for _, _, d in sub.edges(data=True))
            exp = sum(d["expected"] for _, _, d in sub.edges(data=True))
            values.append(cluster_surprise(total, exp))
        out.append(np.sort(np.asarray(values, dtype=float)))
    return out


def empirical_fdr_pass(observed: np.ndarray, null: list[np.ndarray], alpha: float) -> np.ndarray:
    """Which observed surprise values pass a step-up empirical FDR against null replicates' values."""
    observed = np.asarray(observed, dtype=float)
    if observed.size == 0:
        return np.zeros(0, dtype=bool)
    ordered = np.sort(observed)
    n_obs = np.searchsorted(ordered, ordered, side="right")
    n_null = np.mean([np.searchsorted(x, ordered, side="right") for x in null], axis=0) if null else np.zeros(len(ordered))
    ok = np.flatnonzero(n_null <= alpha * n_obs)
    if ok.size == 0:
        return np.zeros(len(observed), dtype=bool)
    return observed <= ordered[ok.max()]


def attachment_test(events: list[SignalEvents], members: list[str], exclude: set[str] | None = None) -> pd.DataFrame:
    """Which accounts outside a coordinated cluster act within W of its members more often than chance?

    For each action of a non-member on an object the members also acted on, ``near`` = some member acted
    within W of it. Under the null the action's time is any of the object's action times, so ``near`` is
    Bernoulli with the share of that object's action times that are near a member. An account's count of
    near actions is then Poisson-binomial; its upper tail is taken from the Poisson law with the same mean
    (conservative for small probabilities). Returns ``account_id, observed, expected, p_value`` for every
    non-member with at least one action on a member object (the whole family, for the BH correction).
    """
    exclude = exclude or set()
    parts: list[pd.DataFrame] = []
    for ev in events:
        if ev.at.size == 0:
            continue
        is_member = ev.member_positions(members)[ev.acc_code] >= 0
        k = np.bincount(ev.obj[is_member], minlength=len(ev.objects))
        touched = k[ev.obj] >= 1
        if not touched.any():
            continue
        gap = int(ev.at.max() - ev.at.min()) + 2 * ev.window_ms + 1
        coord = (ev.at - ev.at.min()) + ev.obj.astype(np.int64) * gap
        member_coord = np.sort(coord[is_member])
        hits = np.searchsorted(member_coord, coord + ev.window_ms, side="right") - np.searchsorted(
            member_coord, coord - ev.window_ms, side="left")
        hits = hits - is_member  # a member's own action is not a neighbour of itself
        near = (hits > 0).astype(float)
        share = np.bincount(ev.obj, weights=near, minlength=len(ev.objects)) / np.maximum(ev.obj_size, 1)
        rows = np.flatnonzero(touched & ~is_member)
        parts.append(pd.DataFrame({"acc": ev.acc[rows], "near": near[rows], "pi": share[ev.obj[rows]]}))
    columns = ["account_id", "observed", "expected", "p_value"]
    if not parts:
        return pd.DataFrame(columns=columns)
    grouped = pd.concat(parts, ignore_index=True).groupby("acc", sort=True)[["near", "pi"]].sum()
    grouped = grouped[~grouped.index.isin(list(exclude))]
    observed, expected = grouped["near"].to_numpy(), grouped["pi"].to_numpy()
    p_value = np.where(observed > 0, stats.poisson.sf(observed - 1, np.maximum(expected, 1e-12)), 1.0)
    out = pd.DataFrame({"account_id": grouped.index.to_numpy(dtype=object), "observed": observed.astype(int),
                        "expected": expected.astype(float), "p_value": p_value.astype(float)})
    return out.reset_index(drop=True)
