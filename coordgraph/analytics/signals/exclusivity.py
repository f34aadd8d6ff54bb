"""Exclusivity: how much of an account's activity is aimed at the targets, versus the other engaging accounts.

For every non-target account that engages a ``:Target`` at least once, ``aimed`` counts its retweets, replies
and quotes of a target's post and its other posts mentioning a target; ``total`` counts all its posts and
retweets in the data. The benchmark is the distribution of ``aimed / total`` over all engaging accounts: a
beta distribution is fitted to it by the method of moments (binomial noise removed; accounts with at least
``min_total_fit`` actions, default 5), and each account's score is ``-log10 P(X >= aimed)`` for
``X ~ BetaBinomial(total, alpha, beta)`` — one action aimed at a target says little, 200 out of 200 says a lot,
and a population of single-minded fans widens the benchmark. When the benchmark share is ``>= 0.99``
(a collection made only of target engagements) every score is 0: the data cannot show exclusivity.
No pairs. ``detail``: aimed, total, share, the counts per kind, the benchmark mean share and the account's
percentile among engaging accounts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from neo4j import Driver
from scipy.stats import betabinom, binom

from ... import db
from .base import ACCOUNT_COLUMNS, SignalResult
from .spec import SignalSpec, account_level

COLUMNS = ["account_id", "total", "aimed", "target_retweets", "target_replies", "target_quotes", "target_mentions"]


def exclusivity(driver: Driver, *, database: str | None = None, min_total_fit: int = 5) -> SignalResult:
    """Score each engaging account by how unusually exclusively it engages the targets.

    ``min_total_fit``: only accounts with at least this many actions shape the fitted benchmark (all
    engaging accounts are scored).
    """
    params = {"min_total_fit": min_total_fit}
    rows = sorted(db.read_plain(driver, "signals/exclusivity", database=database), key=lambda r: r["account_id"])  # in id order, not the store's: ties follow it
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return SignalResult(name="exclusivity", params=params)
    total = frame["total"].to_numpy(dtype=float)
    aimed = frame["aimed"].to_numpy(dtype=float)
    share = aimed / total
    mean, a, b = fit_beta(share, total, min_total_fit)
    if mean >= 0.99:
        tail = np.ones(len(frame))
    elif a is None:
        tail = binom.sf(aimed - 1, total, mean)
    else:
        tail = betabinom.sf(aimed - 1, total, a, b)
    scores = -np.log10(np.clip(tail, 1e-300, 1.0))
    percentile = pd.Series(share).rank(pct=True, method="max").to_numpy()
    details = [
        {
            "aimed": int(row.aimed),
            "total": int(row.total),
            "share": round(float(s), 4),
            "retweets_of_targets": int(row.target_retweets),
            "replies_to_targets": int(row.target_replies),
            "quotes_of_targets": int(row.target_quotes),
            "mentions_of_targets": int(row.target_mentions),
            "benchmark_mean_share": round(float(mean), 4),
            "benchmark_beta": None if a is None else [round(float(a), 4), round(float(b), 4)],
            "percentile": round(float(pct), 4),
            "p_value": float(p),
        }
        for row, s, pct, p in zip(frame.itertuples(index=False), share, percentile, tail)
    ]
    accounts = pd.DataFrame({"account_id": frame["account_id"], "score": np.maximum(scores, 0.0), "detail": details})
    accounts = accounts.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    return SignalResult(name="exclusivity", accounts=accounts[ACCOUNT_COLUMNS], params=params)


def fit_beta(share: np.ndarray, total: np.ndarray, min_total: int) -> tuple[float, float | None, float | None]:
    """Method-of-moments beta fit to per-account shares; ``(mean, alpha, beta)``, alpha/beta None if no spread.

    The observed variance of shares includes binomial noise ``m (1 - m) / n``; only the excess is the spread
    of the accounts' true rates.
    """
    use = total >= min_total
    if use.sum() < 3:
        use = total > 0
    s, n = share[use], total[use]
    mean = float(s.mean())
    if mean <= 0.0 or mean >= 1.0:
        return mean, None, None
    excess = float(s.var(ddof=1) - np.mean(mean * (1 - mean) / n)) if len(s) > 1 else 0.0
    if excess <= 0:
        return mean, None, None
    strength = mean * (1 - mean) / excess - 1
    if strength <= 0:
        strength = 1e-3  # spread as wide as a beta allows
    return mean, mean * strength, (1 - mean) * strength


SPECS: tuple[SignalSpec, ...] = (account_level("exclusivity", exclusivity),)
