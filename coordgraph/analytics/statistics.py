"""Benchmark statistics: is a cluster's co-action more synchronised than the other accounts engaging the same posts?

Null model (time-resampled benchmark): every account keeps the objects it acted on, but the time of each of its
actions is redrawn from the times at which *all* accounts (the benchmark) acted on that object. A viral
moment or a fast fandom keeps its burst under the null, so it is not evidence; accounts that repeatedly land
within W of each other when the rest of the audience is spread out are. For a cluster the statistic is the
number of (object, member pair) co-actions within W, per signal and summed over signals; p-values are
Monte-Carlo (``(1 + #null >= observed) / (1 + B)``) and corrected with Benjamini–Hochberg across clusters
(``scipy.stats.false_discovery_control``). Per account, the expected number of co-actions with the other
members follows in closed form, giving a Poisson tail probability (how far from the benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats


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

    @classmethod
    def from_frame(cls, signal: str, events: pd.DataFrame, window_ms: int) -> "SignalEvents":
        """Build from a DataFrame ``obj, acc, at`` (extra columns ignored)."""
        frame = events[["obj", "acc", "at"]].sort_values(["obj", "acc", "at"]).drop_duplicates(["obj", "acc"])
        codes, objects = pd.factorize(frame["obj"], sort=True)
        order = np.lexsort((frame["at"].to_numpy(), codes))
        obj = codes[order]
        acc = frame["acc"].to_numpy(dtype=object)[order]
        at = frame["at"].to_numpy(dtype=np.int64)[order]
        size = np.bincount(obj, minlength=len(objects)).astype(np.int64)
        start = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
        self = cls(signal, int(window_ms), obj, acc, at, start, size, np.asarray(objects, dtype=object))
        self.pair_rate = _pair_rates(at, start, size, int(window_ms))
        return self


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
    """Compare a cluster's within-window co-actions with the time-resampled benchmark (see module doc)."""
    rng = rng or np.random.default_rng(0)
    member_set = set(members)
    observed: dict[str, int] = {}
    expected: dict[str, float] = {}
    p_values: dict[str, float] = {}
    null_total = np.zeros(n_null, dtype=np.int64)
    per_account_obs: dict[str, float] = {m: 0.0 for m in members}
    per_account_exp: dict[str, float] = {m: 0.0 for m in members}
    for ev in events:
        mask = np.fromiter((a in member_set for a in ev.acc), dtype=bool, count=len(ev.acc))
        k = np.bincount(ev.obj[mask], minlength=len(ev.objects))
        rel = np.flatnonzero(k >= 2)
        if rel.size == 0:
            observed[ev.signal], expected[ev.signal], p_values[ev.signal] = 0, 0.0, 1.0
            continue
        rows = np.flatnonzero(mask & np.isin(ev.obj, rel))
        obs_total, per_acc = _observed(ev, rows)
        for acc, n in per_acc.items():
            per_account_obs[acc] += n
        kk = k[rel].astype(float)
        q = ev.pair_rate[rel]
        expected[ev.signal] = float(np.sum(kk * (kk - 1) / 2 * q))
        # each member's expected partners on an object: (k_o - 1) * q_o
        row_obj_q = ev.pair_rate[ev.obj[rows]] * (k[ev.obj[rows]] - 1)
        for acc, e in zip(ev.acc[rows], row_obj_q):
            per_account_exp[acc] += float(e)
        null = _null_counts(ev, rel, k[rel], n_null, rng, batch)
        observed[ev.signal] = int(obs_total)
        p_values[ev.signal] = float((1 + np.sum(null >= obs_total)) / (1 + n_null))
        null_total += null
    total_obs = int(sum(observed.values()))
    total_exp = float(sum(expected.values()))
    p_total = float((1 + np.sum(null_total >= total_obs)) / (1 + n_null)) if total_obs > 0 else 1.0
    acc_rows = []
    for m in members:
        o, e = per_account_obs[m], per_account_exp[m]
        p = float(stats.poisson.sf(o - 1, e)) if o > 0 and e > 0 else (0.0 if o > 0 else 1.0)
        acc_rows.append({"account_id": m, "observed": int(o), "expected": e, "ratio": (o / e) if e > 0 else None, "p_value": p})
    return ClusterTest(observed, expected, p_values, total_obs, total_exp, p_total, pd.DataFrame(acc_rows))


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


def _observed(ev: SignalEvents, rows: np.ndarray) -> tuple[int, dict[str, int]]:
    """Member pairs within W per object (rows: member actions on objects with >= 2 members)."""
    total = 0
    per_acc: dict[str, int] = {}
    obj = ev.obj[rows]
    at = ev.at[rows]
    acc = ev.acc[rows]
    bounds = np.flatnonzero(np.diff(obj)) + 1
    for seg in np.split(np.arange(len(rows)), bounds):
        t = at[seg]
        hi = np.searchsorted(t, t + ev.window_ms, side="right")
        lo = np.searchsorted(t, t - ev.window_ms, side="left")
        partners = hi - lo - 1
        total += int(np.sum(hi - np.arange(len(t)) - 1))
        for a, n in zip(acc[seg], partners):
            if n:
                per_acc[a] = per_acc.get(a, 0) + int(n)
    return total, per_acc


def _null_counts(ev: SignalEvents, rel: np.ndarray, k: np.ndarray, n_null: int, rng: np.random.Generator, batch: int) -> np.ndarray:
    """Member co-actions within W when each member's time is redrawn from the object's action times."""
    starts = ev.obj_start[rel]
    sizes = ev.obj_size[rel]
    draws_obj = np.repeat(np.arange(len(rel)), k)  # which relevant object each member draw belongs to
    base = ev.at.min()
    span = int(ev.at.max() - base)
    gap = span + 2 * ev.window_ms + 1
    n_draws = draws_obj.size
    out = np.empty(n_null, dtype=np.int64)
    obj_offset = draws_obj.astype(np.int64) * gap
    rep_gap = gap * len(rel)
    for b0 in range(0, n_null, batch):
        b = min(batch, n_null - b0)
        pick = starts[draws_obj] + (rng.random((b, n_draws)) * sizes[draws_obj]).astype(np.int64)
        times = (ev.at[pick] - base) + obj_offset + (np.arange(b, dtype=np.int64)[:, None] * rep_gap)
        flat = np.sort(times, axis=1).ravel()  # rows stay in their own block, so a flat sort is per-row
        hi = np.searchsorted(flat, flat + ev.window_ms, side="right")
        pairs = hi - np.arange(flat.size) - 1
        out[b0 : b0 + b] = pairs.reshape(b, n_draws).sum(axis=1)
    return out
