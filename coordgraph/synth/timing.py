"""When people post: daily rhythm in local time, sleep, reaction delays."""

from __future__ import annotations

import numpy as np

HOUR_MS = 3_600_000
DAY_MS = 86_400_000

# Share of a day's posts per local hour: quiet at night, peaks late morning and evening.
DIURNAL = np.array([1.2, 0.7, 0.4, 0.3, 0.3, 0.4, 0.9, 2.2, 3.8, 4.6, 5.0, 5.0, 5.2, 5.0, 4.6, 4.4, 4.5, 4.8, 5.4, 6.0,
                    6.3, 5.9, 4.4, 2.6])
DIURNAL = DIURNAL / DIURNAL.sum()
OFFICE = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 1.5, 4.0, 6.0, 6.5, 6.0, 4.5, 5.5, 6.0, 5.5, 5.0, 3.5, 2.0, 1.2,
                   0.8, 0.5, 0.3, 0.2])
OFFICE = OFFICE / OFFICE.sum()


def diurnal_times(rng: np.random.Generator, day_start_ms: np.ndarray, tz_hours: np.ndarray, profile: np.ndarray = DIURNAL) -> np.ndarray:
    """A time on each given UTC day, with the local hour drawn from ``profile``."""
    n = len(day_start_ms)
    local_hour = rng.choice(24, n, p=profile)
    within = rng.integers(0, HOUR_MS, n)
    return np.asarray(day_start_ms, dtype=np.int64) + (local_hour - np.asarray(tz_hours)) * HOUR_MS + within


def random_days(rng: np.random.Generator, start_ms: np.ndarray | int, end_ms: int, n: int) -> np.ndarray:
    """UTC midnights drawn uniformly between ``start_ms`` (per row or scalar) and ``end_ms``."""
    start = np.broadcast_to(np.asarray(start_ms, dtype=np.int64), (n,))
    first = (start // DAY_MS) * DAY_MS
    span_days = np.maximum((end_ms - first) // DAY_MS, 1)
    return first + (rng.random(n) * span_days).astype(np.int64) * DAY_MS


def reaction_delays(rng: np.random.Generator, n: int, median_s: float, sigma: float = 1.3, min_s: float = 4.0) -> np.ndarray:
    """Log-normal delays in ms: typically tens of minutes, occasionally seconds or a day."""
    return (np.maximum(np.exp(rng.normal(np.log(median_s), sigma, n)), min_s) * 1000).astype(np.int64)


def respect_sleep(rng: np.random.Generator, ms: np.ndarray, tz_hours: np.ndarray, keep_awake: float = 0.15) -> np.ndarray:
    """Move actions that would fall in the actor's night (01:00-07:00 local) to the next morning, mostly."""
    ms = np.asarray(ms, dtype=np.int64).copy()
    tz = np.broadcast_to(np.asarray(tz_hours, dtype=np.int64), ms.shape)
    local = ms + tz * HOUR_MS
    hour = (local // HOUR_MS) % 24
    asleep = (hour >= 1) & (hour < 7) & (rng.random(len(ms)) >= keep_awake)
    if asleep.any():
        local_day = (local[asleep] // DAY_MS) * DAY_MS
        wake = local_day + 7 * HOUR_MS + (rng.exponential(1.5, int(asleep.sum())) * HOUR_MS).astype(np.int64)
        ms[asleep] = wake - tz[asleep] * HOUR_MS
    return ms


def into_period(ms: np.ndarray, start_ms: int) -> np.ndarray:
    """Times that a time-zone shift pushed before the period start move one day later."""
    ms = np.asarray(ms, dtype=np.int64)
    return np.where(ms < start_ms, ms + DAY_MS, ms)
