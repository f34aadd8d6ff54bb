"""Snowflake ids consistent with times, and account ids that look like the real ones of their era."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

TWITTER_EPOCH_MS = 1288834974657
# User ids became snowflakes in late 2013; before that they were sequential.
SNOWFLAKE_USERS_FROM_MS = int(datetime(2013, 11, 1, tzinfo=timezone.utc).timestamp() * 1000)
_SEQUENTIAL_ANCHORS_MS = np.array([datetime(y, 1, 1, tzinfo=timezone.utc).timestamp() * 1000 for y in (2006, 2009, 2011, 2012, 2013, 2014)])
_SEQUENTIAL_ANCHORS_ID = np.array([1e4, 1.8e7, 2.3e8, 4.6e8, 1.1e9, 2.3e9])


def snowflake(ms: np.ndarray, low_bits: np.ndarray) -> np.ndarray:
    """``(ms - epoch) << 22 | low_bits`` (low_bits: datacenter, worker and sequence, < 2**22)."""
    return ((np.asarray(ms, dtype=np.int64) - TWITTER_EPOCH_MS) << 22) | np.asarray(low_bits, dtype=np.int64)


def snowflake_ms(ids: np.ndarray) -> np.ndarray:
    """Milliseconds since the Unix epoch encoded in snowflake ids."""
    return (np.asarray(ids, dtype=np.int64) >> 22) + TWITTER_EPOCH_MS


def unique_snowflakes(ms: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Snowflake ids for events at ``ms``: a random worker per event and a per-millisecond sequence, so ids are
    unique and sort like the times."""
    ms = np.asarray(ms, dtype=np.int64)
    order = np.argsort(ms, kind="stable")
    sorted_ms = ms[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_ms)) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(ms)]))
    seq = np.empty(len(ms), dtype=np.int64)
    seq[order] = np.arange(len(ms)) - run_start
    worker = rng.integers(0, 1024, len(ms))
    return snowflake(ms, (worker << 12) | seq)


def account_ids(created_ms: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Ids for accounts created at ``created_ms``: sequential-looking before late 2013, snowflakes after."""
    created_ms = np.asarray(created_ms, dtype=np.int64)
    ids = unique_snowflakes(created_ms, rng)
    old = created_ms < SNOWFLAKE_USERS_FROM_MS
    if old.any():
        base = np.interp(created_ms[old], _SEQUENTIAL_ANCHORS_MS, _SEQUENTIAL_ANCHORS_ID).astype(np.int64)
        raw = base + rng.integers(0, 5000, int(old.sum()))
        # strictly increasing with creation time, hence unique
        order = np.argsort(created_ms[old], kind="stable")
        steps = np.arange(len(order))
        fixed = np.empty_like(raw)
        fixed[order] = np.maximum.accumulate(raw[order] - steps) + steps
        ids[old] = fixed
    return ids
