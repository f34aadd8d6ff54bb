"""Rhythm signal: accounts with the same hour-of-week activity pattern, found with GDS kNN.

Each non-target account with at least ``min_events`` (default 20) posts and retweets gets a 168-bin
hour-of-week histogram (Monday 00:00 UTC first). Vectors are Hellinger-transformed (square roots of the
shares) and centred on the mean vector of all accounts, so the daily cycle everybody shares does not make
every pair alike and only a common deviation from it counts. They are projected as the node property
``rhythm`` of a temporary GDS graph and compared with ``gds.knn`` (cosine, ``top_k`` default 10 neighbours,
seeded and single-threaded for reproducible results); GDS reports ``(cos + 1) / 2``, mapped back to the cosine.
The search stops after ``max_iterations`` (default 20) or when fewer than ``delta_threshold`` (default 1 %) of
the neighbour lists change in an iteration: kNN is approximate either way, and on the speed benchmark (5,000
accounts) this keeps 453 of the 454 strong pairs of GDS's own defaults (100 iterations, 0.1 %) in a quarter
of the time. Hour-of-week counts are aggregated in one pass over the actions (``signals/rhythm_bins.cypher``).

Background: the cosine of ``background_pairs`` (default 20000) random account pairs, Fisher-transformed
(``atanh``) and summarised by mean and standard deviation. A neighbour pair's z is
``(atanh(cos) - mean) / sd``; it is kept when its one-sided normal p-value, Bonferroni-corrected over all
``N (N - 1) / 2`` pairs kNN searched, is at most ``alpha`` (default 0.01). The similarity threshold is thus
derived from the data, not fixed. Pairs: ``weight`` = cosine, ``count`` = hour-of-week bins both use,
``posts`` = the shared busiest bins (``Mon 01h``). Account score: z of its most similar neighbour; ``detail``:
events, peak hours with shares, best neighbour and cosine, the threshold cosine, neighbours above it.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
from neo4j import Driver
from scipy.stats import norm

from ... import cypher, db
from .base import ACCOUNT_COLUMNS, PAIR_COLUMNS, SignalResult
from .spec import SignalSpec, account_level

BINS = 168
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MAX_PEERS = 50


def rhythm(
    driver: Driver,
    *,
    database: str | None = None,
    min_events: int = 20,
    top_k: int = 10,
    sample_rate: float = 0.5,
    alpha: float = 0.01,
    background_pairs: int = 20000,
    random_seed: int = 42,
    max_iterations: int = 20,
    delta_threshold: float = 0.01,
) -> SignalResult:
    """Pairs of accounts whose hour-of-week activity vectors are unusually similar (GDS kNN, cosine).

    ``min_events``: fewest actions for a vector; ``top_k``, ``sample_rate``, ``random_seed``: kNN settings;
    ``alpha``: Bonferroni-corrected level against the random-pair background; ``background_pairs``: how many
    random pairs estimate it; ``max_iterations``, ``delta_threshold``: when the kNN search stops (see module doc).
    """
    params = {
        "min_events": min_events,
        "top_k": top_k,
        "sample_rate": sample_rate,
        "alpha": alpha,
        "background_pairs": background_pairs,
        "random_seed": random_seed,
        "max_iterations": max_iterations,
        "delta_threshold": delta_threshold,
    }
    ids, raw = hour_of_week_counts(driver, database)
    keep = raw.sum(axis=1) >= min_events
    ids, raw = ids[keep], raw[keep]
    if len(ids) < 3:
        return SignalResult(name="rhythm", params=params)
    vectors = rhythm_vectors(raw)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    rng = np.random.default_rng(random_seed)
    n = len(ids)
    i = rng.integers(0, n, background_pairs)
    j = rng.integers(0, n, background_pairs)
    keep = i != j
    background = np.arctanh(np.clip(np.einsum("ij,ij->i", unit[i[keep]], unit[j[keep]]), -0.999999, 0.999999))
    mean, sd = float(background.mean()), float(max(background.std(ddof=1), 1e-9))
    tested = n * (n - 1) / 2
    z_needed = float(norm.isf(alpha / tested))
    cos_threshold = float(np.tanh(mean + z_needed * sd))

    neighbours = _knn(driver, database, ids, vectors, top_k, sample_rate, random_seed, max_iterations, delta_threshold)
    if neighbours.empty:
        return SignalResult(name="rhythm", params=params)
    neighbours["cos"] = 2 * neighbours["similarity"] - 1
    neighbours["z"] = (np.arctanh(neighbours["cos"].clip(-0.999999, 0.999999)) - mean) / sd
    strong = neighbours[neighbours["z"] >= z_needed]

    index = {acc: k for k, acc in enumerate(ids)}
    pair_rows = {}
    for a, b, cos in zip(strong["a"], strong["b"], strong["cos"]):
        key = (a, b) if a < b else (b, a)
        if key in pair_rows:
            continue
        ra, rb = raw[index[a]], raw[index[b]]
        both = np.flatnonzero((ra > 0) & (rb > 0))
        busiest = both[np.argsort(-(ra[both] / ra.sum() + rb[both] / rb.sum()), kind="stable")][:5]
        pair_rows[key] = {
            "a": key[0],
            "b": key[1],
            "weight": float(cos),
            "count": int(len(both)),
            "first_at": None,
            "last_at": None,
            "posts": [bin_label(x) for x in busiest],
        }
    pairs = pd.DataFrame(list(pair_rows.values()), columns=PAIR_COLUMNS)

    best = neighbours.sort_values("cos", ascending=False, kind="stable").drop_duplicates("a")
    best = dict(zip(best["a"], zip(best["b"], best["cos"].astype(float), best["z"].astype(float))))
    above = strong.groupby("a")["b"].apply(lambda s: sorted(s)[:MAX_PEERS]).to_dict()
    shares = raw / raw.sum(axis=1, keepdims=True)
    peaks_of = np.argsort(-shares, axis=1, kind="stable")[:, :3]
    rows = []
    for acc, k in index.items():
        share, peaks = shares[k], peaks_of[k]
        nearest = best.get(acc)
        rows.append(
            {
                "account_id": acc,
                "score": nearest[2] if nearest else 0.0,
                "detail": {
                    "events": int(raw[k].sum()),
                    "peak_hours": {bin_label(p): round(float(share[p]), 3) for p in peaks},
                    "best_neighbour": str(nearest[0]) if nearest else None,
                    "best_cosine": round(nearest[1], 4) if nearest else None,
                    "threshold_cosine": round(cos_threshold, 4),
                    "background_mean_cosine": round(float(np.tanh(mean)), 4),
                    "neighbours_above_threshold": above.get(acc, []),
                },
            }
        )
    accounts = pd.DataFrame(rows, columns=ACCOUNT_COLUMNS)
    accounts = accounts.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    params["threshold_cosine"] = cos_threshold
    return SignalResult(name="rhythm", pairs=pairs, accounts=accounts, params=params)


def hour_of_week_counts(driver: Driver, database: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Account ids (sorted) and their 168-bin hour-of-week action counts (``signals/rhythm_bins.cypher``)."""
    rows = _read_values(driver, "signals/rhythm_bins", database)  # account_id, bins, counts
    ids = np.asarray(sorted(str(r[0]) for r in rows), dtype=object)
    counts = np.zeros((len(ids), BINS))
    if not rows:
        return ids, counts
    row_of = {acc: k for k, acc in enumerate(ids)}
    sizes = [len(r[1]) for r in rows]
    which = np.repeat([row_of[str(r[0])] for r in rows], sizes)
    bins = np.fromiter((b for r in rows for b in r[1]), dtype=np.int64, count=sum(sizes))
    events = np.fromiter((c for r in rows for c in r[2]), dtype=float, count=sum(sizes))
    valid = (bins >= 0) & (bins < BINS)  # times before 1970 fall outside the week's bins
    np.add.at(counts, (which[valid], bins[valid]), events[valid])
    return ids, counts


def rhythm_vectors(counts: np.ndarray) -> np.ndarray:
    """Hellinger-transformed hour-of-week shares centred on the population mean (rows = accounts)."""
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    root = np.sqrt(shares)
    return root - root.mean(axis=0, keepdims=True)


def bin_label(bin_index: int) -> str:
    """``Mon 01h`` for bin 1 (hour-of-week, UTC)."""
    return f"{DAYS[int(bin_index) // 24]} {int(bin_index) % 24:02d}h"


def _knn(driver, database, ids, vectors, top_k, sample_rate, random_seed, max_iterations, delta_threshold) -> pd.DataFrame:
    """Project the vectors into a temporary GDS graph, stream kNN, always drop the graph."""
    graph_name = f"coordgraph_rhythm_{uuid.uuid4().hex}"
    rows = [{"id": acc, "vector": vec.tolist()} for acc, vec in zip(ids, vectors)]
    try:
        db.read(driver, "signals/rhythm_project", database=database, graph_name=graph_name, rows=rows)
        a, b, similarity = _read_values(
            driver,
            "signals/rhythm_knn",
            database,
            graph_name=graph_name,
            top_k=int(min(top_k, len(ids) - 1)),
            sample_rate=float(sample_rate),
            max_iterations=int(max_iterations),
            delta_threshold=float(delta_threshold),
            random_seed=int(random_seed),
        )[0]
    finally:
        db.read(driver, "signals/rhythm_drop", database=database, graph_name=graph_name)
    return pd.DataFrame({"a": a, "b": b, "similarity": similarity}, columns=["a", "b", "similarity"])


def _read_values(driver, name: str, database, **params) -> list[list]:
    """Records of a read query as plain value lists (no per-value conversion of long lists, unlike ``data()``)."""
    query = cypher.load(name)
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: tx.run(query, params).values())


SPECS: tuple[SignalSpec, ...] = (account_level("rhythm", rhythm),)
