"""The null's inner loops, compiled: the cluster test's draws counted (each draw's times of a group's rows, and the
co-actions within W among them), and the edge calibration's expected co-actions per pair (:func:`shared_rate_sums`).

This is the inner loop of the benchmark null (module ``cluster_effect``), run thousands of times per group
tested, so it is compiled (numba) and releases the GIL (the null's two worker threads count at once). For each
draw it makes every row's time from that draw's uniforms exactly as the null defines it (a delay picked from
the row's pool, or the row's own time moved by its member's shift), then counts, object by object, each row's
partners: the other rows on its object with ``|t_j - t_i| <= W``. On an object with few rows every pair is
compared; on a crowded one its times are sorted and each row's window found by two binary searches.
"""

from __future__ import annotations

import numba
import numpy as np

# objects with at most this many rows compare every pair (k (k - 1) / 2 comparisons); larger ones sort
DIRECT_MAX = 32


class DrawCounter:
    """The fixed part of one group's draws on one signal (module doc): per row its delay pool (``pool_delays[start
    + j]``, j < ``size``), whether its object is compared from outside (``on_shift``: its own time relative to the
    object's anchor, ``own_rel``, moved by its member's shift of up to ``shift_ms``), its member (``who``) and its
    object (``obj``)."""

    def __init__(self, pool_delays: np.ndarray, pool_start: np.ndarray, pool_size: np.ndarray, on_shift: np.ndarray,
                 own_rel: np.ndarray, who: np.ndarray, n_members: int, shift_ms: int, obj: np.ndarray, window_ms: int):
        _, dense = np.unique(obj, return_inverse=True)
        per_object = np.bincount(dense) if len(dense) else np.zeros(0, dtype=np.int64)
        # the rows in object order, so that each object's rows lie side by side
        self.order = np.argsort(dense, kind="stable").astype(np.int64)
        o = self.order
        self.arrays = (np.ascontiguousarray(pool_delays, dtype=np.int64), pool_start[o].astype(np.int64),
                       pool_size[o].astype(np.int64), on_shift[o].astype(np.bool_), own_rel[o].astype(np.int64),
                       who[o].astype(np.int64), o, np.concatenate([[0], np.cumsum(per_object)]).astype(np.int64))
        self.n, self.n_members, self.shift_ms, self.window_ms = len(obj), n_members, int(shift_ms), int(window_ms)

    def count(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For the draws ``u`` (one row of uniforms per draw: one per row, then one per member): per draw the pairs
        within W, per draw and member the partners, and per row the partners summed over the draws."""
        totals, members, by_position = _count(np.ascontiguousarray(u), *self.arrays, self.n, self.n_members, self.shift_ms,
                                              self.window_ms, DIRECT_MAX)
        row_sum = np.empty(self.n)
        row_sum[self.order] = by_position
        return totals, members, row_sum


@numba.njit(cache=True, nogil=True)
def _count(u, pool_delays, pool_start, pool_size, on_shift, own_rel, who, order, start, n, n_members, shift_ms, window,
           direct_max):  # pragma: no cover - compiled
    # every per-row array is in object order (position p is row order[p]); u keeps the rows' own order
    draws = u.shape[0]
    totals = np.zeros(draws, dtype=np.int64)
    members = np.zeros((draws, n_members), dtype=np.int64)
    by_position = np.zeros(n, dtype=np.int64)
    rel = np.empty(n, dtype=np.int64)
    partners = np.empty(n, dtype=np.int64)
    for d in range(draws):
        # the same operations, in the same order, as the null's definition in numpy (module cluster_effect)
        for p in range(n):
            if on_shift[p]:
                rel[p] = own_rel[p] + np.int64((u[d, n + who[p]] * 2 - 1) * shift_ms)
            else:
                rel[p] = pool_delays[pool_start[p] + np.int64(u[d, order[p]] * pool_size[p])]
            partners[p] = 0
        for o in range(len(start) - 1):
            s, e = start[o], start[o + 1]
            if e - s < 2:
                continue
            if e - s <= direct_max:
                # counted without a branch, so that the compiler can vectorise the inner loop
                for i in range(s, e):
                    ri = rel[i]
                    near = 0
                    for j in range(i + 1, e):
                        c = np.int64(abs(ri - rel[j]) <= window)
                        near += c
                        partners[j] += c
                    partners[i] += near
                continue
            ordered = np.sort(rel[s:e])
            for i in range(s, e):
                partners[i] = (np.searchsorted(ordered, rel[i] + window, side="right")
                               - np.searchsorted(ordered, rel[i] - window, side="left") - 1)
        total = 0
        for p in range(n):
            total += partners[p]
            members[d, who[p]] += partners[p]
            by_position[p] += partners[p]
        totals[d] = total // 2
    return totals, members.astype(np.float64), by_position.astype(np.float64)


def shared_rate_sums(objs: np.ndarray, acc_start: np.ndarray, acc_size: np.ndarray, small: np.ndarray, large: np.ndarray,
                     rate: np.ndarray) -> np.ndarray:
    """Per pair of accounts (``small[k]``, ``large[k]``): the sum of ``rate`` over the objects both acted on, added
    in the order of ``small[k]``'s objects. ``objs[acc_start[a] : acc_start[a] + acc_size[a]]`` are account
    ``a``'s objects in ascending order; each of the smaller account's objects is searched among the larger's."""
    return _shared_rate_sums(np.ascontiguousarray(objs, dtype=np.int64), acc_start.astype(np.int64), acc_size.astype(np.int64),
                             small.astype(np.int64), large.astype(np.int64), np.ascontiguousarray(rate, dtype=np.float64))


@numba.njit(cache=True, nogil=True)
def _shared_rate_sums(objs, acc_start, acc_size, small, large, rate):  # pragma: no cover - compiled
    out = np.zeros(len(small))
    for k in range(len(small)):
        s0, s1 = acc_start[small[k]], acc_start[small[k]] + acc_size[small[k]]
        lo, l1 = acc_start[large[k]], acc_start[large[k]] + acc_size[large[k]]
        total = 0.0
        for t in range(s0, s1):
            o = objs[t]
            hi = l1  # the first of the larger account's objects at or after o, searched from the last one found
            while lo < hi:
                mid = (lo + hi) // 2
                if objs[mid] < o:
                    lo = mid + 1
                else:
                    hi = mid
            if lo == l1:
                break
            if objs[lo] == o:
                total += rate[o]
        out[k] = total
    return out
