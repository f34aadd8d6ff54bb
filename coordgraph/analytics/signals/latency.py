"""Reaction latency: how fast an account engages the targets' posts, versus the other engaging accounts.

Every retweet, reply or quote of a ``:Target``'s post by a non-target account gives one latency (engagement
time minus post time; the post time falls back to the snowflake id for stub posts). For each account with at
least ``min_engagements`` (default 3) latencies, a one-sided Mann-Whitney U test compares its latencies with
those of all other accounts on the same target (stratified by target: the U statistics, their means and
variances add up over targets), alternative "this account is faster". Normal approximation with continuity
correction. Score: ``-log10 p``. No pairs. ``detail``: number of engagements, median / quartiles / minimum
latency in seconds, the share within ``fast_s`` (default 60 s), the benchmark median (all engaging accounts),
the account's percentile of median latency among scored accounts, U and p.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import pandas as pd
from neo4j import Driver
from scipy.stats import norm

from ... import db
from .base import ACCOUNT_COLUMNS, SignalResult
from .spec import SignalSpec, account_level

COLUMNS = ["account_id", "kind", "target_id", "post_id", "latency_ms"]


def latency(
    driver: Driver, *, database: str | None = None, min_engagements: int = 3, fast_s: float = 60
) -> SignalResult:
    """Score each account engaging the targets by how much faster than the benchmark it reacts.

    ``min_engagements``: fewer latencies than this are not scored; ``fast_s``: the threshold of the reported
    "share of fast reactions".
    """
    params = {"min_engagements": min_engagements, "fast_s": fast_s}
    ev = engagements(driver, database)
    if ev.empty:
        return SignalResult(name="latency", params=params)
    stats = mann_whitney_faster(ev)
    per_account = ev.groupby("account_id")["latency_ms"]
    summary = pd.DataFrame(
        {
            "n": per_account.size(),
            "median": per_account.median(),
            "q25": per_account.quantile(0.25),
            "q75": per_account.quantile(0.75),
            "min": per_account.min(),
            "fast": (ev["latency_ms"] <= fast_s * 1000).groupby(ev["account_id"]).mean(),
        }
    ).join(stats)
    summary = summary[summary["n"] >= min_engagements]
    if summary.empty:
        return SignalResult(name="latency", params=params)
    benchmark_median = float(ev["latency_ms"].median()) / 1000
    pct = summary["median"].rank(pct=True, method="min")
    details = [
        {
            "engagements": int(r.n),
            "median_s": round(r.median / 1000, 3),
            "q25_s": round(r.q25 / 1000, 3),
            "q75_s": round(r.q75 / 1000, 3),
            "min_s": round(r.min / 1000, 3),
            "share_within_fast_s": round(r.fast, 4),
            "benchmark_median_s": round(benchmark_median, 3),
            "median_percentile": round(float(p), 4),
            "u": float(r.u),
            "p_value": float(r.p),
        }
        for r, p in zip(summary.itertuples(), pct)
    ]
    accounts = pd.DataFrame(
        {
            "account_id": summary.index.astype(str),
            "score": -np.log10(np.clip(summary["p"].to_numpy(), 1e-300, 1.0)),
            "detail": details,
        }
    )
    accounts = accounts.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    return SignalResult(name="latency", accounts=accounts[ACCOUNT_COLUMNS], params=params)


def engagements(driver: Driver, database: str | None = None) -> pd.DataFrame:
    """One row per engagement of a target's post (``account_id, kind, target_id, post_id, latency_ms``).

    The query returns one record per post with parallel lists, which are flattened here.
    """
    posts = db.read_plain(driver, "signals/latency", database=database)
    sizes = np.fromiter((len(p["account_ids"]) for p in posts), dtype=np.int64, count=len(posts))
    if not sizes.sum():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "latency_ms" else object) for c in COLUMNS})
    return pd.DataFrame(
        {
            "account_id": list(chain.from_iterable(p["account_ids"] for p in posts)),
            "kind": list(chain.from_iterable(p["kinds"] for p in posts)),
            "target_id": np.repeat([p["target_id"] for p in posts], sizes),
            "post_id": np.repeat([p["post_id"] for p in posts], sizes),
            "latency_ms": np.fromiter(chain.from_iterable(p["latencies_ms"] for p in posts), dtype=np.int64, count=int(sizes.sum())),
        },
        columns=COLUMNS,
    )


def mann_whitney_faster(ev: pd.DataFrame) -> pd.DataFrame:
    """Per account: stratified one-sided Mann-Whitney U (own latencies smaller than others' on each target).

    U counts, over the account's latencies x and the other accounts' latencies y on the same target, the pairs
    with x < y (ties 1/2). Counting is vectorised: ranks in the whole target pool minus ranks among the
    account's own latencies, so no account is compared in a loop. The same whatever order ``ev``'s rows are in.
    """
    # in id order, not the store's: U and its moments are sums of floats, whose last digits follow the order
    ev = ev.sort_values(["target_id", "post_id", "account_id", "latency_ms"], kind="stable")
    parts = []
    for _, grp in ev.groupby("target_id", sort=False):
        pool = np.sort(grp["latency_ms"].to_numpy())
        x = grp["latency_ms"].to_numpy()
        greater_all = len(pool) - np.searchsorted(pool, x, side="right")
        ties_all = np.searchsorted(pool, x, side="right") - np.searchsorted(pool, x, side="left")
        own = grp.groupby("account_id")["latency_ms"]
        n_own = own.transform("size").to_numpy()
        rank_max = own.rank(method="max").to_numpy()
        rank_min = own.rank(method="min").to_numpy()
        greater_own = n_own - rank_max
        ties_own = rank_max - rank_min + 1
        contrib = (greater_all - greater_own) + 0.5 * (ties_all - ties_own)
        frame = pd.DataFrame({"account_id": grp["account_id"].to_numpy(), "u": contrib})
        per = frame.groupby("account_id").agg(u=("u", "sum"), n=("u", "size"))
        m = len(pool) - per["n"]
        per["mean"] = per["n"] * m / 2
        per["var"] = per["n"] * m * (per["n"] + m + 1) / 12
        parts.append(per)
    total = pd.concat(parts).groupby(level=0).sum()
    sd = np.sqrt(total["var"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (total["u"].to_numpy() - total["mean"].to_numpy() - 0.5) / sd, 0.0)
    return pd.DataFrame({"u": total["u"], "p": norm.sf(z)}, index=total.index)


SPECS: tuple[SignalSpec, ...] = (account_level("latency", latency),)
