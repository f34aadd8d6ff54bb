"""The cluster test's draws counted: each draw's times of a group's rows, and the co-actions within W among them.

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
        self.arrays = (np.ascontiguousarray(pool_delays, dtype=np.int64), pool_start.astype(np.int64),
                       pool_size.astype(np.int64), on_shift.astype(np.bool_), own_rel.astype(np.int64), who.astype(np.int64),
                       np.argsort(dense, kind="stable").astype(np.int64),
                       np.concatenate([[0], np.cumsum(per_object)]).astype(np.int64))
        self.n, self.n_members, self.shift_ms, self.window_ms = len(obj), n_members, int(shift_ms), int(window_ms)
        self.largest = int(per_object.max(initial=0))

    def count(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For the draws ``u`` (one row of uniforms per draw: one per row, then one per member): per draw the pairs
        within W, per draw and member the partners, and per row the partners summed over the draws."""
        return _count(np.ascontiguousarray(u), *self.arrays, self.n, self.n_members, self.shift_ms, self.window_ms,
                      self.largest, DIRECT_MAX)


@numba.njit(cache=True, nogil=True)
def _count(u, pool_delays, pool_start, pool_size, on_shift, own_rel, who, order, start, n, n_members, shift_ms, window,
           largest, direct_max):  # pragma: no cover - compiled
    draws = u.shape[0]
    totals = np.zeros(draws, dtype=np.int64)
    members = np.zeros((draws, n_members), dtype=np.int64)
    row_sum = np.zeros(n, dtype=np.int64)
    rel = np.empty(n, dtype=np.int64)
    partners = np.empty(n, dtype=np.int64)
    times = np.empty(max(largest, 1), dtype=np.int64)
    for d in range(draws):
        # the same operations, in the same order, as the null's definition in numpy (module cluster_effect)
        for i in range(n):
            if on_shift[i]:
                rel[i] = own_rel[i] + np.int64((u[d, n + who[i]] * 2 - 1) * shift_ms)
            else:
                rel[i] = pool_delays[pool_start[i] + np.int64(u[d, i] * pool_size[i])]
            partners[i] = 0
        for o in range(len(start) - 1):
            s, e = start[o], start[o + 1]
            k = e - s
            if k < 2:
                continue
            if k <= direct_max:
                for i in range(s, e):
                    ti = rel[order[i]]
                    for j in range(i + 1, e):
                        if abs(ti - rel[order[j]]) <= window:
                            partners[order[i]] += 1
                            partners[order[j]] += 1
                continue
            for i in range(k):
                times[i] = rel[order[s + i]]
            ordered = np.sort(times[:k])
            for i in range(s, e):
                ti = rel[order[i]]
                partners[order[i]] = (np.searchsorted(ordered, ti + window, side="right")
                                      - np.searchsorted(ordered, ti - window, side="left") - 1)
        total = 0
        for i in range(n):
            total += partners[i]
            members[d, who[i]] += partners[i]
            row_sum[i] += partners[i]
        totals[d] = total // 2
    return totals, members.astype(np.float64), row_sum.astype(np.float64)
