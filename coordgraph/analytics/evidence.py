"""Evidence dossiers: for each cluster member, which signals link it to which other members, on which posts,
when, and how far its synchrony is from the benchmark. Stored as JSON on ``MEMBER_OF``; every number can be
reproduced in Cypher with ``detect/dossier.cypher`` (edges of the run) and :func:`reproduce_pair`
(the underlying actions of one pair for one co-action signal).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver

from .. import cypher, db
from .signals import coaction

MAX_PARTNERS = 25
MAX_POSTS = 10


def strongest_signals(edges: pd.DataFrame, members: set[str]) -> list[tuple[str, int]]:
    """Signals of the evidence edges inside ``members``, with their edge counts, strongest (summed weight) first."""
    if edges.empty or not members:
        return []
    inside = edges[edges["a"].isin(members) & edges["b"].isin(members)]
    if inside.empty:
        return []
    grouped = inside.groupby("signal").agg(n=("weight", "size"), w=("weight", "sum")).sort_values("w", ascending=False)
    return [(str(s), int(n)) for s, n in grouped["n"].items()]


def dossier(row: dict[str, Any], edges: pd.DataFrame, members: set[str], results: dict, params) -> dict[str, Any]:
    """One member's evidence (see module doc); ``row`` holds the member's benchmark numbers."""
    account = row["account_id"]
    mine = edges[((edges["a"] == account) & edges["b"].isin(members)) | ((edges["b"] == account) & edges["a"].isin(members))]
    mine = mine.sort_values(["weight", "count"], ascending=False)
    links = []
    for e in mine.head(MAX_PARTNERS * 3).to_dict("records"):
        partner = e["b"] if e["a"] == account else e["a"]
        links.append(
            {
                "signal": e["signal"],
                "partner": partner,
                "direction": "out" if e["a"] == account else "in",
                "count": int(e["count"]),
                "weight": round(float(e["weight"]), 4),
                "first_at": _iso(e["first_at"]),
                "last_at": _iso(e["last_at"]),
                "posts": list(e["posts"])[:MAX_POSTS],
                "fast_count": _count(e.get("fast_count")),
            }
        )
    by_signal: dict[str, dict[str, Any]] = {}
    for link in links:
        entry = by_signal.setdefault(link["signal"], {"partners": 0, "co_actions": 0})
        entry["partners"] += 1
        entry["co_actions"] += link["count"]
    account_scores = {}
    for name, result in results.items():
        frame = result.accounts
        if frame is None or frame.empty:
            continue
        hit = frame[frame["account_id"] == account]
        if len(hit):
            first = hit.iloc[0]
            account_scores[name] = {"score": _num(first["score"]), "detail": first["detail"]}
    expected = float(row["expected"])
    return {
        "account_id": account,
        "signals": by_signal,
        "links": links,
        "account_signals": account_scores,
        "benchmark": {
            "co_actions_with_members": int(row["observed"]),
            "expected_under_null": round(expected, 3),
            "ratio": None if expected <= 0 else round(row["observed"] / expected, 2),
            "p_value": float(row["p_value"]),
            "q_value": float(row.get("q_value", row["p_value"])),
            "effect": _finite(row.get("effect")),
            "effect_interval_95": [_finite(row.get("effect_low")), _finite(row.get("effect_high"))],
            # moments on the cluster's shared objects, those in step with another member, and the share's lower bound
            "moments_in_step": _count(row.get("moments")),
            "moments_acted": _count(row.get("acted_moments")),
            "in_step_share": _finite(row.get("in_step_share")),
            "in_step_low": _finite(row.get("in_step_low")),
            "null": "own delays redrawn within the post's hour and audience-size stratum; timeline shift on objects "
                    "without a post time whose audience is mostly the cluster",
            "window_s": params.window_s,
        },
    }


def attachment_links(account: str, candidate_pairs: pd.DataFrame, members: set[str]) -> list[dict[str, Any]]:
    """The co-action pairs (before the edge threshold) that tie an attached account to cluster members."""
    mine = candidate_pairs[((candidate_pairs["a"] == account) & candidate_pairs["b"].isin(members))
                           | ((candidate_pairs["b"] == account) & candidate_pairs["a"].isin(members))]
    mine = mine.sort_values("count", ascending=False).head(MAX_PARTNERS)
    return [
        {"signal": r["signal"], "partner": r["b"] if r["a"] == account else r["a"], "count": int(r["count"]),
         "posts": [str(p) for p in list(r["posts"])[:MAX_POSTS]]}
        for r in mine.to_dict("records")
    ]


def route_links(account: str, pairs: pd.DataFrame, members: set[str]) -> list[dict[str, Any]]:
    """The group route's evidence for one member: per signal and partner among ``members``, the objects both acted
    on within the window (``count``, often one) and the edge null's expectation for them; most first. The objects
    themselves: :func:`reproduce_pair`."""
    mine = pairs[((pairs["a"] == account) & pairs["b"].isin(members)) | ((pairs["b"] == account) & pairs["a"].isin(members))]
    mine = mine.sort_values(["count", "expected"], ascending=[False, True]).head(MAX_PARTNERS * 2)
    return [{"signal": r["signal"], "partner": r["b"] if r["a"] == account else r["a"], "count": int(r["count"]),
             "expected": round(float(r["expected"]), 4)} for r in mine.to_dict("records")]


def account_dossier(driver: Driver, run_id: str, account_id: str, database: str | None = None) -> list[dict[str, Any]]:
    """The evidence edges of an account to the other members of its cluster in ``run_id`` (Cypher)."""
    return db.read(driver, "detect/dossier", database=database, run_id=run_id, account_id=account_id)


def reproduce_pair(driver: Driver, signal: str, a: str, b: str, window_s: float = 60, database: str | None = None) -> list[dict[str, Any]]:
    """The objects two accounts acted on within ``window_s`` for a co-action signal, with both times (Cypher)."""
    query = "CALL () {\n" + coaction.events_query(signal) + "\n}\n" + cypher.load("detect/pair_tail")
    with driver.session(database=database) as session:
        return session.execute_read(
            lambda tx: [r.data() for r in tx.run(query, a=a, b=b, window_ms=int(round(window_s * 1000)))]
        )


def _iso(ms) -> str | None:
    if ms is None or (isinstance(ms, float) and ms != ms):
        return None
    return datetime.fromtimestamp(int(ms) / 1000, tz=timezone.utc).isoformat().replace("+00:00", "Z")


def _count(value) -> int | None:
    return None if value is None or value != value else int(value)


def _finite(value):
    """A finite float, else None (JSON has no infinity)."""
    value = _num(value)
    return value if value is not None and np.isfinite(value) else None


def _num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
