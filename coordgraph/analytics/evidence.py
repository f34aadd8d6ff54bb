"""Evidence dossiers: for each cluster member, which signals link it to which other members, on which posts,
when, and how far its synchrony is from the benchmark. Stored as JSON on ``MEMBER_OF``; every number can be
reproduced in Cypher with ``detect/dossier.cypher`` (edges of the run) and :func:`reproduce_pair`
(the underlying actions of one pair for one co-action signal).
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver

from .. import cypher, db
from .signals import coaction

MAX_PARTNERS = 25
MAX_POSTS = 10


def strongest_signals(edges: pd.DataFrame, members: set[str], index: PairIndex | None = None) -> list[tuple[str, int]]:
    """Signals of the evidence edges inside ``members``, with their edge counts, strongest (summed weight) first
    (``index``: a :class:`PairIndex` of ``edges``, which finds the edges without a pass over all of them)."""
    if edges.empty or not members:
        return []
    inside = edges.iloc[(index if index is not None else PairIndex(edges)).inside(members)]
    if inside.empty:
        return []
    # per signal (in name order) its edges and summed weight; the strongest first, ties in name order
    names, code = np.unique(inside["signal"].to_numpy(dtype=object).astype(str), return_inverse=True)
    n = np.bincount(code, minlength=len(names))
    weight = np.array([math.fsum(w) for w in np.split(inside["weight"].to_numpy(dtype=float)[np.argsort(code, kind="stable")],
                                                      np.cumsum(n)[:-1])])
    return [(str(names[i]), int(n[i])) for i in np.argsort(-weight, kind="stable")]


class PairIndex:
    """The rows of a pair frame (columns ``a``, ``b``) by account, so that one member's pairs are found without
    scanning the whole frame (a run can test thousands of accounts against millions of pairs)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        a, b = (frame[end].to_numpy(dtype=object) if end in frame else np.empty(0, dtype=object) for end in ("a", "b"))
        codes, accounts = pd.factorize(np.concatenate([a, b]))
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(accounts) + 1))
        self._span = {account: (bounds[i], bounds[i + 1]) for i, account in enumerate(accounts)}
        self._accounts = pd.Index(accounts)
        self._ends = codes[: len(frame)], codes[len(frame):]
        self._rows = np.tile(np.arange(len(frame)), 2)[order]
        self._partner = np.concatenate([b, a])[order]

    def rows(self, account: str, members: set[str]) -> np.ndarray:
        """Positions of the rows in which ``account`` is one end and a member of ``members`` the other, ascending."""
        lo, hi = self._span.get(account, (0, 0))
        if lo == hi:
            return np.empty(0, dtype=np.int64)
        keep = np.fromiter((p in members for p in self._partner[lo:hi]), dtype=bool, count=hi - lo)
        return np.unique(self._rows[lo:hi][keep])

    def inside(self, members: set[str]) -> np.ndarray:
        """Positions of the rows with both ends in ``members``, ascending."""
        found = self._accounts.get_indexer(list(members))
        mask = np.zeros(len(self._accounts) + 1, dtype=bool)
        mask[found[found >= 0]] = True
        return np.flatnonzero(mask[self._ends[0]] & mask[self._ends[1]])

    def pairs(self, account: str, members: set[str]) -> pd.DataFrame:
        """The rows in which ``account`` is one end and a member of ``members`` the other, in the frame's order."""
        found = self.rows(account, members)
        # most tested accounts of a large run have no row here: no frame work for them
        return self.frame.iloc[found] if len(found) else self.frame.iloc[:0]

    def column(self, name: str) -> np.ndarray:
        """One column of the frame as an array (built once)."""
        cache = self.__dict__.setdefault("_columns", {})
        if name not in cache:
            cache[name] = self.frame[name].to_numpy()
        return cache[name]


def account_scores(results: dict) -> dict[str, dict[str, Any]]:
    """Per account, each account-level signal's score and detail (the first row of the account in the signal's
    result), as the dossiers list them."""
    scores: dict[str, dict[str, Any]] = {}
    for name, result in results.items():
        frame = result.accounts
        if frame is None or frame.empty:
            continue
        first = frame.drop_duplicates("account_id")
        for account, score, detail in zip(first["account_id"], first["score"], first["detail"]):
            scores.setdefault(account, {})[name] = {"score": _num(score), "detail": detail}
    return scores


def dossier(row: dict[str, Any], edges: PairIndex, members: set[str], scores: dict[str, dict[str, Any]], params) -> dict[str, Any]:
    """One member's evidence (see module doc); ``row`` holds the member's benchmark numbers, ``edges`` the run's
    evidence edges and ``scores`` the account-level signals (:func:`account_scores`)."""
    account = row["account_id"]
    found = edges.rows(account, members)
    # strongest first: weight, then count, descending, ties in the frame's order (a stable sort; one call per
    # member of every tested cluster, so on arrays rather than a frame)
    weight, count, a, b = (edges.column(name) for name in ("weight", "count", "a", "b"))
    top = found[np.lexsort((-count[found].astype(np.int64), -weight[found].astype(float)))[: MAX_PARTNERS * 3]]
    fast = edges.column("fast_count") if "fast_count" in edges.frame else None
    links = [
        {
            "signal": edges.column("signal")[i],
            "partner": b[i] if a[i] == account else a[i],
            "direction": "out" if a[i] == account else "in",
            "count": int(count[i]),
            "weight": round(float(weight[i]), 4),
            "first_at": _iso(edges.column("first_at")[i]),
            "last_at": _iso(edges.column("last_at")[i]),
            "posts": list(edges.column("posts")[i])[:MAX_POSTS],
            "fast_count": _count(fast[i] if fast is not None else None),
        }
        for i in top
    ]
    by_signal: dict[str, dict[str, Any]] = {}
    for link in links:
        entry = by_signal.setdefault(link["signal"], {"partners": 0, "co_actions": 0})
        entry["partners"] += 1
        entry["co_actions"] += link["count"]
    account_scores = scores.get(account, {})
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
            "in_step_window_s": _finite(row.get("in_step_window_s")),
            # the same read on the moments answering a post only (the second reading, at 97.5 %)
            "post_moments_in_step": _count(row.get("post_moments")),
            "post_moments_acted": _count(row.get("post_acted_moments")),
            "post_in_step_low": _finite(row.get("post_in_step_low")),
            # and on its moments on the posts the confirmed members pushed together (corroborated route, at 97.5 %), with the
            # number of confirmed members that reading's bursts were those of
            "burst_moments_in_step": _count(row.get("burst_moments")),
            "burst_moments_acted": _count(row.get("burst_acted_moments")),
            "burst_in_step_low": _finite(row.get("burst_in_step_low")),
            "burst_core": _count(row.get("burst_core")),
            "null": "own delays redrawn within the post's hour and audience-size stratum; timeline shift on objects "
                    "without a post time whose audience is mostly the cluster",
            "window_s": params.window_s,
        },
    }


def attachment_links(account: str, candidate_pairs: PairIndex, members: set[str]) -> list[dict[str, Any]]:
    """The co-action pairs (before the edge threshold) that tie an attached account to cluster members."""
    mine = candidate_pairs.pairs(account, members).sort_values("count", ascending=False).head(MAX_PARTNERS)
    return [
        {"signal": r["signal"], "partner": r["b"] if r["a"] == account else r["a"], "count": int(r["count"]),
         "posts": [str(p) for p in list(r["posts"])[:MAX_POSTS]]}
        for r in mine.to_dict("records")
    ]


def route_links(account: str, pairs: PairIndex, members: set[str]) -> list[dict[str, Any]]:
    """The group route's evidence for one member: per signal and partner among ``members``, the objects both acted
    on within the window (``count``, often one) and the edge null's expectation for them; most first. The objects
    themselves: :func:`reproduce_pair`."""
    found = pairs.rows(account, members)
    if not len(found):
        return []
    # most first: count descending, then expectation ascending, ties in the frame's order (a stable sort; one
    # call per member of every tested community, so on arrays rather than a frame)
    count, expected = pairs.column("count")[found], pairs.column("expected")[found].astype(float)
    top = found[np.lexsort((expected, -count.astype(np.int64)))[: MAX_PARTNERS * 2]]
    signal, a, b = pairs.column("signal"), pairs.column("a"), pairs.column("b")
    return [{"signal": signal[i], "partner": b[i] if a[i] == account else a[i], "count": int(pairs.column("count")[i]),
             "expected": round(float(pairs.column("expected")[i]), 4)} for i in top]


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
