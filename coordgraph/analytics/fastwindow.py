"""The faster nested window: which co-action pairs and cluster members also co-act inside a narrower window.

Next to the main window W (default 60 s), pairs are also counted inside a narrower window F (default 10 s,
``detect --fast-window``): CooRTweet's users call this the faster network and use it to tell automation from
quick humans. A pair's ``fast_count`` is the number of its shared objects on which the two acted at most F
apart (by the same definition as the main count, :func:`coaction.window_pair_stats`, so
``fast_count <= count``). It is descriptive: it flags, it never adds or removes an edge, cluster or member.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .evidence import PairIndex
from .signals import coaction

DEFAULT_FAST_WINDOW_S = 10.0


def fast_counts(pairs: pd.DataFrame, events: pd.DataFrame, fast_window_s: float, directed: bool = False) -> np.ndarray:
    """For each row of ``pairs`` (columns ``a, b``), the number of shared objects co-acted on within the fast
    window, from the same ``events`` (``obj, acc, at``) the pairs came from."""
    if pairs.empty:
        return np.zeros(0, dtype=np.int64)
    fast = coaction.window_pair_stats(events, int(round(fast_window_s * 1000)), 1, 1, directed=directed)
    counts = {(a, b): int(n) for a, b, n in zip(fast["a"], fast["b"], fast["count"])}
    return np.fromiter((counts.get((a, b), 0) for a, b in zip(pairs["a"], pairs["b"])), dtype=np.int64, count=len(pairs))


def member_summary(account: str, fast_edges: PairIndex, members: set[str], fast_window_s: float) -> dict[str, Any]:
    """One member's fast co-actions with the other members (``fast_edges``: the edges with a fast count, indexed):
    ``fast`` is true when it shares at least one object with another member inside the fast window; partners and
    co-actions per signal."""
    mine = fast_edges.pairs(account, members)
    if mine.empty:
        return {"window_s": fast_window_s, "fast": False, "partners": 0, "co_actions": 0, "by_signal": {}}
    partners = set(np.where(mine["a"] == account, mine["b"], mine["a"]))
    by_signal = {str(s): int(n) for s, n in mine.groupby("signal")["fast_count"].sum().items()}
    return {
        "window_s": fast_window_s,
        "fast": bool(partners),
        "partners": len(partners),
        "co_actions": int(mine["fast_count"].sum()),
        "by_signal": by_signal,
    }


def annotate_clusters(cluster_rows: list[dict[str, Any]], account_rows: list[dict[str, Any]], edges: pd.DataFrame,
                      fast_window_s: float) -> None:
    """Add the fast-window summary to each member's evidence (``evidence["fast_window"]``) and each cluster's
    fast members to its signals (``signals["fast_window"]``); the rows are the cluster test's, edited in place."""
    members: dict[Any, set[str]] = {}
    for row in account_rows:
        members.setdefault(row["number"], set()).add(row["account_id"])
    fast: dict[Any, list[str]] = {}
    has_fast = "fast_count" in edges and not edges.empty
    fast_edges = PairIndex(edges[edges["fast_count"].fillna(0) > 0] if has_fast else edges.iloc[:0])
    for row in account_rows:
        summary = member_summary(row["account_id"], fast_edges, members[row["number"]], fast_window_s)
        row["evidence"]["fast_window"] = summary
        if summary["fast"]:
            fast.setdefault(row["number"], []).append(row["account_id"])
    for row in cluster_rows:
        row["signals"]["fast_window"] = {"window_s": fast_window_s, "members": sorted(fast.get(row["number"], []))}
