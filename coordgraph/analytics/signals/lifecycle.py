"""Account-lifecycle signals: creation bursts and dormancy followed by joint activation.

**Creation burst** (:func:`creation_bursts`). Accounts created within ``window_minutes`` (default 10) of each
other, in numbers that the background creation rate cannot explain. For every account, the window
``[created, created + W)`` is scanned; given one creation there, the number of other creations in it is
Poisson with mean ``rate * W``, where ``rate`` is the larger of the global rate (accounts / time span) and the
local rate in ``background_days`` (default 30) either side of the window (the window itself excluded, plus one
pseudo-count). The tail probability is Bonferroni-corrected over the distinct windows tested; windows with
corrected ``p <= alpha`` (default 0.01) and at least ``min_accounts`` (default 3) accounts are bursts.
Accounts whose creation time is only known to the day (midnight UTC exactly, e.g. the Information Operations
archive's ``account_creation_date``) are scanned separately per calendar day (per-day spikes).
Pairs: both accounts in one burst window; ``weight`` = -log10 corrected p of the strongest such window.
Account score: -log10 corrected p of the strongest burst holding the account (accounts in no burst are not
listed: score 0); ``detail`` gives
the creation time, resolution, burst start/end/size, the expected count and the burst peers.

**Dormancy -> activation** (:func:`dormancy_activation`). An activation is an account's first action after at
least ``min_silence_days`` (default 30) without posts or retweets ("return"), or its first action at least that
long after its creation ("first appearance", ``include_creation_gap``). The two kinds have very different base
rates and are scanned separately, with windows of ``window_minutes`` (default 60). The null is conditional on
the activity level: every account-hour of activity is an activation with the same local probability
(activations per active account-hour within ``background_days``, default 30, around the window), so the
activations in a window holding ``d`` active account-hours are Binomial(d, rate). A viral moment that brings
many accounts back raises ``d`` as well and is not a burst; accounts coming back together at a quiet moment
are. First appearances within ``min_silence_days`` of the start of the data (where the collection, not the
account, may be what was silent) shape the background but are never tested. Bonferroni over the windows
tested, ``alpha`` 0.01, ``min_accounts`` 3. Pairs: accounts activating inside one significant window;
account score: -log10 corrected p (only accounts in a significant window are listed); ``detail`` gives the
silent days and whether they count from creation or from the last action, the last action before, the
activation time, the expected count and the peers. The test is conservative: in target-driven collections,
where new accounts keep appearing, only a wave well above the inflow of newcomers is reported.

Both functions keep the set work in Cypher (one query each) and the scan in numpy.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver
from scipy.stats import binom, poisson

from ... import db
from .base import ACCOUNT_COLUMNS, PAIR_COLUMNS, SignalResult
from .spec import SignalSpec, account_level

MINUTE_MS = 60_000
DAY_MS = 86_400_000
MAX_PEERS = 50


@dataclass
class BurstScan:
    """Significant windows of one scan: member index arrays (into the sorted input) and corrected p-values."""

    members: list[np.ndarray]
    p_values: list[float]
    expected: list[float]


def creation_bursts(
    driver: Driver,
    *,
    database: str | None = None,
    window_minutes: float = 10,
    background_days: float = 30,
    min_accounts: int = 3,
    alpha: float = 0.01,
    active_only: bool = True,
) -> SignalResult:
    """Accounts created together in bursts unusual versus the background creation rate.

    ``window_minutes``: burst window for minute-resolved creation times; ``background_days``: half-width of the
    surrounding period giving the local background rate; ``min_accounts``: smallest burst; ``alpha``:
    Bonferroni-corrected significance level; ``active_only``: only accounts that posted or retweeted.
    """
    params = {
        "window_minutes": window_minutes,
        "background_days": background_days,
        "min_accounts": min_accounts,
        "alpha": alpha,
        "active_only": active_only,
    }
    rows = db.read_plain(driver, "signals/lifecycle_creation", database=database, active_only=bool(active_only))
    rows.sort(key=lambda r: r["account_id"])  # in id order, not the store's: ties follow it
    frame = pd.DataFrame(rows, columns=["account_id", "created_ms"])
    if frame.empty:
        return SignalResult(name="creation_burst", params=params)
    frame["created_ms"] = frame["created_ms"].astype("int64")
    day_only = (frame["created_ms"] % DAY_MS) == 0
    pair_parts, account_parts = [], []
    for subset, window_ms, resolution in (
        (frame[~day_only], int(window_minutes * MINUTE_MS), "minute"),
        (frame[day_only], DAY_MS, "day"),
    ):
        if len(subset) < min_accounts:
            continue
        ids = subset["account_id"].to_numpy()
        times = subset["created_ms"].to_numpy()
        order = np.argsort(times, kind="stable")
        ids, times = ids[order], times[order]
        scan = scan_bursts(times, window_ms, int(background_days * DAY_MS), min_accounts, alpha)
        pairs, accounts = _burst_outputs(ids, times, scan)
        for account in accounts:
            account["detail"] = {
                "created_at": _iso(account.pop("time")),
                "resolution": resolution,
                **account["detail"],
            }
        pair_parts.append(pairs)
        account_parts.extend(accounts)
    return SignalResult(
        name="creation_burst",
        pairs=_merge_pairs(pair_parts),
        accounts=_accounts_frame(account_parts),
        params=params,
    )


def dormancy_activation(
    driver: Driver,
    *,
    database: str | None = None,
    min_silence_days: float = 30,
    window_minutes: float = 60,
    background_days: float = 30,
    min_accounts: int = 3,
    alpha: float = 0.01,
    include_creation_gap: bool = True,
) -> SignalResult:
    """Accounts that end a long silence together, more than the background of activations explains.

    ``min_silence_days``: the silence that makes the next action an activation; ``window_minutes``: how close
    activations must be; ``background_days``: half-width of the period giving the local activation rate per
    active account-hour; ``min_accounts``, ``alpha``: as in :func:`creation_bursts`; ``include_creation_gap``:
    treat the time from account creation to the first action as a silence too.
    """
    params = {
        "min_silence_days": min_silence_days,
        "window_minutes": window_minutes,
        "background_days": background_days,
        "min_accounts": min_accounts,
        "alpha": alpha,
        "include_creation_gap": include_creation_gap,
    }
    silence_ms = int(min_silence_days * DAY_MS)
    rows = db.read_plain(driver, "signals/lifecycle_activity", database=database, min_silence_ms=silence_ms)
    rows.sort(key=lambda r: r["account_id"])  # in id order, not the store's: ties follow it
    if not rows:
        return SignalResult(name="dormancy_activation", params=params)
    data_start = min(r["first_ms"] for r in rows)
    events: list[tuple[str, int, int, str, bool]] = []  # (account, last action before, activation, kind, testable)
    for r in rows:
        for before, after in r["gaps"]:
            events.append((r["account_id"], int(before), int(after), "return", True))
        created, first = r["created_ms"], r["first_ms"]
        if include_creation_gap and created is not None and first - created >= silence_ms:
            # near the start of the data a first action may only be the collection starting: background only
            events.append((r["account_id"], int(created), int(first), "first_appearance", first - data_start >= silence_ms))
    hours = activity_level(rows)
    all_events = pd.DataFrame(events, columns=["account_id", "before_ms", "at_ms", "kind", "testable"])
    pair_parts, account_rows = [], []
    # first appearances and returns after a silence have very different base rates: scan each on its own
    for kind, ev in all_events.groupby("kind", sort=True):
        if len(ev) < min_accounts:
            continue
        ev = ev.sort_values("at_ms", kind="stable")
        ids, times, before = ev["account_id"].to_numpy(), ev["at_ms"].to_numpy(), ev["before_ms"].to_numpy()
        scan = scan_activations(
            times,
            int(window_minutes * MINUTE_MS),
            hours,
            int(background_days * DAY_MS),
            min_accounts,
            alpha,
            testable=ev["testable"].to_numpy(dtype=bool),
        )
        pairs, accounts = _burst_outputs(ids, times, scan, extra=before)
        for account in accounts:
            at, prior = account.pop("time"), account.pop("extra")
            account["detail"] = {
                "activated_at": _iso(at),
                "last_active_before": _iso(prior),
                "silence_from": "creation" if kind == "first_appearance" else "last action",
                "silent_days": round((at - prior) / DAY_MS, 1),
                **account["detail"],
            }
        pair_parts.append(pairs)
        account_rows.extend(accounts)
    return SignalResult(
        name="dormancy_activation",
        pairs=_merge_pairs(pair_parts),
        accounts=_accounts_frame(account_rows),
        params=params,
    )


def activity_level(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Per hour (epoch ms / 3600000): the number of accounts active in it (``hour, accounts``), from the
    ``hours`` lists of ``signals/lifecycle_activity``."""
    hour, accounts = np.unique(np.fromiter(itertools.chain.from_iterable(r["hours"] for r in rows), dtype=np.int64),
                               return_counts=True)
    return pd.DataFrame({"hour": hour, "accounts": accounts})


def scan_bursts(times: np.ndarray, window_ms: int, background_ms: int, min_accounts: int, alpha: float) -> BurstScan:
    """Scan sorted event ``times`` with windows ``[t_i, t_i + window)`` against a Poisson background.

    Given an event at ``t_i``, the other events in its window are Poisson with mean ``rate * window``; ``rate``
    is the larger of the global rate and the local rate within ``background_ms`` around the window (window
    excluded, one pseudo-count). p-values are Bonferroni-corrected over the distinct windows.
    """
    n = len(times)
    starts = np.arange(n)
    ends = np.searchsorted(times, times + window_ms, side="left")
    counts = ends - starts
    lo = np.searchsorted(times, times - background_ms, side="left")
    hi = np.searchsorted(times, times + window_ms + background_ms, side="left")
    outside = (hi - lo) - counts
    span = max(int(times[-1] - times[0]) + window_ms, window_ms)
    global_rate = n / span
    local_rate = (outside + 1) / (2 * background_ms)
    expected = np.maximum(global_rate, local_rate) * window_ms
    raw_p = poisson.sf(counts - 2, expected)  # P(others >= count - 1)
    # windows starting on tied times are the same window: test (and correct for) each once
    distinct = np.r_[True, times[1:] != times[:-1]]
    tests = int(distinct.sum())
    p_adj = np.minimum(1.0, raw_p * tests)
    members, p_values, mus = [], [], []
    seen: set[tuple[int, int]] = set()
    for i in np.flatnonzero(distinct & (counts >= min_accounts) & (p_adj <= alpha)):
        span_key = (int(starts[i]), int(ends[i]))
        if span_key in seen:
            continue
        seen.add(span_key)
        members.append(np.arange(starts[i], ends[i]))
        p_values.append(float(p_adj[i]))
        mus.append(float(expected[i]))
    return BurstScan(members=members, p_values=p_values, expected=mus)


def scan_activations(
    times: np.ndarray,
    window_ms: int,
    hours: pd.DataFrame,
    background_ms: int,
    min_accounts: int,
    alpha: float,
    testable: np.ndarray | None = None,
) -> BurstScan:
    """Scan sorted activation ``times`` against the activity level: windows ``[t_i, t_i + window)``.

    Null: each account-hour of activity is an activation with the same probability ``r`` = activations /
    account-hours overall, so the activations in a window holding ``d`` account-hours are Binomial(d, r).
    A moment that brings many accounts back (a viral post) raises ``d`` too and is not a burst; accounts coming
    back together at a quiet moment are. The rate is local: activations per account-hour within
    ``background_ms`` around the window (window excluded, one pseudo-count), at least the global rate.
    ``testable`` marks the events that may start a window (the others only shape the background).
    p-values are Bonferroni-corrected over the distinct windows tested.
    """
    hour_ms = 3_600_000
    hour_index = hours["hour"].to_numpy(dtype=np.int64)
    order = np.argsort(hour_index)
    hour_index = hour_index[order]
    cumulative = np.concatenate([[0], np.cumsum(hours["accounts"].to_numpy(dtype=np.int64)[order])])
    total_hours = int(cumulative[-1])
    n = len(times)
    starts = np.arange(n)
    ends = np.searchsorted(times, times + window_ms, side="left")
    counts = ends - starts
    def account_hours(start_ms: np.ndarray, end_ms: np.ndarray) -> np.ndarray:
        first = np.searchsorted(hour_index, start_ms // hour_ms, side="left")
        last = np.searchsorted(hour_index, (end_ms - 1) // hour_ms, side="right")
        return cumulative[last] - cumulative[first]

    active = np.maximum(account_hours(times, times + window_ms), counts)
    # the local rate: activations per account-hour around the window (window excluded, one pseudo-count)
    lo = np.searchsorted(times, times - background_ms, side="left")
    hi = np.searchsorted(times, times + window_ms + background_ms, side="left")
    around_acts = (hi - lo) - counts
    around_hours = account_hours(times - background_ms, times + window_ms + background_ms) - active
    local = (around_acts + 1) / np.maximum(around_hours + 1, 1)
    rate = np.minimum(np.maximum(local, n / max(total_hours, 1)), 1.0)
    raw_p = binom.sf(counts - 1, active, rate)
    distinct = np.r_[True, times[1:] != times[:-1]]
    if testable is not None:
        distinct &= testable
    tests = max(int(distinct.sum()), 1)
    p_adj = np.minimum(1.0, raw_p * tests)
    members, p_values, mus = [], [], []
    seen: set[tuple[int, int]] = set()
    for i in np.flatnonzero(distinct & (counts >= min_accounts) & (p_adj <= alpha)):
        key = (int(starts[i]), int(ends[i]))
        if key in seen:
            continue
        seen.add(key)
        members.append(np.arange(starts[i], ends[i]))
        p_values.append(float(p_adj[i]))
        mus.append(float(rate[i] * active[i]))
    return BurstScan(members=members, p_values=p_values, expected=mus)


def _burst_outputs(
    ids: np.ndarray, times: np.ndarray, scan: BurstScan, extra: np.ndarray | None = None
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Pairs (strongest window per pair) and per-event account rows from the significant windows."""
    best: dict[int, int] = {}  # event index -> index of its strongest window
    peers: dict[int, set[int]] = {}
    pair_frames = []
    for w, (members, p) in enumerate(zip(scan.members, scan.p_values)):
        for m in members:
            if m not in best or p < scan.p_values[best[m]]:
                best[m] = w
            peers.setdefault(int(m), set()).update(int(x) for x in members if x != m)
        left, right = np.triu_indices(len(members), k=1)
        i, j = members[left], members[right]
        pair_frames.append(
            pd.DataFrame(
                {
                    "i": i,
                    "j": j,
                    "weight": _neglog10(p),
                }
            )
        )
    pairs = pd.DataFrame(columns=PAIR_COLUMNS)
    if pair_frames:
        raw = pd.concat(pair_frames, ignore_index=True)
        raw["ida"], raw["idb"] = ids[raw["i"].to_numpy()], ids[raw["j"].to_numpy()]
        raw = raw[raw["ida"] != raw["idb"]]
        ta, tb = times[raw["i"].to_numpy()], times[raw["j"].to_numpy()]
        swap = raw["ida"].to_numpy() > raw["idb"].to_numpy()
        pairs = pd.DataFrame(
            {
                "a": np.where(swap, raw["idb"], raw["ida"]),
                "b": np.where(swap, raw["ida"], raw["idb"]),
                "weight": raw["weight"].to_numpy(),
                "count": 1,
                "first_at": np.minimum(ta, tb),
                "last_at": np.maximum(ta, tb),
            }
        )
        pairs["posts"] = [[] for _ in range(len(pairs))]
    accounts: list[dict[str, Any]] = []
    for m, w in best.items():
        members = scan.members[w]
        peer_ids = sorted({str(ids[x]) for x in peers[m]} - {str(ids[m])})
        row = {
            "account_id": str(ids[m]),
            "score": _neglog10(scan.p_values[w]),
            "time": int(times[m]),
            "detail": {
                "burst_start": _iso(int(times[members[0]])),
                "burst_end": _iso(int(times[members[-1]])),
                "burst_size": int(len(members)),
                "expected_others": round(scan.expected[w], 6),
                "p_value": scan.p_values[w],
                "peers": peer_ids[:MAX_PEERS],
                "peer_count": len(peer_ids),
            },
        }
        if extra is not None:
            row["extra"] = int(extra[m])
        accounts.append(row)
    return pairs, accounts


def _merge_pairs(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per pair: the strongest window's weight, widest time span."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    allpairs = pd.concat(parts, ignore_index=True)
    merged = allpairs.groupby(["a", "b"], as_index=False).agg(
        weight=("weight", "max"), count=("count", "max"), first_at=("first_at", "min"), last_at=("last_at", "max")
    )
    merged["posts"] = [[] for _ in range(len(merged))]
    return merged[PAIR_COLUMNS]


def _accounts_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Keep each account's strongest row (an account may have several activations)."""
    if not rows:
        return pd.DataFrame(columns=ACCOUNT_COLUMNS)
    frame = pd.DataFrame(rows)[ACCOUNT_COLUMNS]
    frame = frame.sort_values("score", ascending=False, kind="stable").drop_duplicates("account_id")
    return frame.reset_index(drop=True)


def _neglog10(p: float) -> float:
    return float(-np.log10(max(p, 1e-300)))


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat().replace("+00:00", "Z")


SPECS: tuple[SignalSpec, ...] = (
    account_level("creation_burst", creation_bursts),
    account_level("dormancy", dormancy_activation),
)
