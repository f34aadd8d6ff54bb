"""Co-action signals: accounts acting on the same object (post, text, hashtag, URL, domain, mention) within a
time window, and target-anchored rapid follow-on.

The set work runs in Cypher: each signal has an events file ``signals/co_<signal>.cypher`` returning one row
per action (``obj, acc, at, eid``), and ``signals/co_pairs.cypher`` turns any such stream into account pairs.
The same events feed the time-shuffled null in :mod:`coordgraph.analytics.statistics`.

Definition (ours): two distinct accounts co-act on an object when each has an action on it and the two actions
are at most ``window_s`` seconds apart (inclusive). A pair's ``count`` is the number of distinct objects they
co-acted on; pairs below ``min_repeat`` are dropped. ``peer_edges`` reproduces the peers' definitions.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from neo4j import Driver

from .. import cypher
from ..db import read_query
from .signal import PAIR_COLUMNS, SignalResult

# Signals computed from an events file + the shared pairing query (names are also the Cypher file names).
COACTION_SIGNALS: tuple[str, ...] = (
    "co_retweet",
    "co_reply",
    "co_quote",
    "co_tweet",
    "co_hashtag",
    "co_url",
    "co_domain",
    "co_mention",
)
RAPID_SIGNAL = "rapid_follow_on"
EVENT_COLUMNS = ["obj", "acc", "at", "eid", "anchor"]
DEFAULT_MAX_POSTS = 50


def events_query(signal: str) -> str:
    """The Cypher text returning ``obj, acc, at, eid`` for one co-action signal."""
    _check(signal)
    return cypher.load(f"signals/{signal}")


def pairs_query(signal: str, tail: str = "signals/co_pairs") -> str:
    """The full Cypher query for a co-action signal: its events as a subquery, then the pairing ``tail``.

    Both parts are fixed files; nothing is formatted in, so investigators can rerun the same text with the
    same parameters (``window_ms``, ``bucket_ms``, ``min_repeat``, ``max_posts``).
    """
    return "CALL () {\n" + events_query(signal) + "\n}\n" + cypher.load(tail)


def coaction_events(driver: Driver, signal: str, database: str | None = None) -> pd.DataFrame:
    """Every action behind ``signal`` as a DataFrame ``obj, acc, at, eid, anchor`` (epoch ms; ``anchor`` is the
    object's own post time when it has one, else None)."""
    rows = read_query(driver, events_query(signal), {}, database)
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["at"] = frame["at"].astype("int64")
    return frame


def coaction_pairs(
    driver: Driver,
    signal: str,
    window_s: float = 60,
    min_repeat: int = 2,
    max_posts: int = DEFAULT_MAX_POSTS,
    database: str | None = None,
) -> SignalResult:
    """Pairs of accounts that co-acted on at least ``min_repeat`` distinct objects within ``window_s``."""
    params = _window_params(window_s) | {"min_repeat": int(min_repeat), "max_posts": int(max_posts)}
    rows = read_query(driver, pairs_query(signal), params, database)
    return SignalResult(
        name=signal,
        pairs=_pairs_frame(rows),
        directed=False,
        params={"window_s": window_s, "min_repeat": min_repeat},
    )


def rapid_follow_on(
    driver: Driver,
    window_s: float = 60,
    min_repeat: int = 2,
    max_posts: int = DEFAULT_MAX_POSTS,
    database: str | None = None,
) -> SignalResult:
    """Directed pairs A -> B where B engaged a target's post within ``window_s`` after A, on >= ``min_repeat`` posts."""
    params = _window_params(window_s) | {"min_repeat": int(min_repeat), "max_posts": int(max_posts)}
    rows = read_query(driver, cypher.load("signals/rapid_follow_on"), params, database)
    return SignalResult(
        name=RAPID_SIGNAL,
        pairs=_pairs_frame(rows),
        directed=True,
        params={"window_s": window_s, "min_repeat": min_repeat},
    )


def peer_edges(
    driver: Driver,
    peer: str,
    signal: str = "co_retweet",
    window_s: int = 60,
    min_weight: int = 1,
    min_participation: int = 2,
    remove_loops: bool = True,
    database: str | None = None,
) -> pd.DataFrame:
    """Co-action edges exactly as a peer tool defines them, for comparison and migration.

    ``peer="cnt"``: coordination-network-toolkit (git daa0e11) ``compute <type> --time_window W
    --min_edge_weight N``: directed ``user_1, user_2, weight``, self-loops included.
    ``peer="coortweet"``: CooRTweet ``detect_groups(time_window, min_participation, remove_loops)`` then
    ``generate_coordinated_network``: undirected ``from, to, weight`` (share pairs).
    Both compare times in whole seconds.
    """
    if peer == "cnt":
        rows = read_query(
            driver,
            pairs_query(signal, "signals/co_pairs_cnt"),
            {"window_s": int(window_s), "min_weight": int(min_weight)},
            database,
        )
        return pd.DataFrame(rows, columns=["user_1", "user_2", "weight"])
    if peer == "coortweet":
        rows = read_query(
            driver,
            pairs_query(signal, "signals/co_pairs_coortweet"),
            {"window_s": int(window_s), "min_participation": int(min_participation), "remove_loops": bool(remove_loops)},
            database,
        )
        return pd.DataFrame(rows, columns=["from", "to", "weight"])
    raise ValueError(f"unknown peer {peer!r}; use 'cnt' or 'coortweet'")


def _window_params(window_s: float) -> dict[str, Any]:
    window_ms = int(round(float(window_s) * 1000))
    if window_ms < 0:
        raise ValueError("the window must not be negative")
    return {"window_ms": window_ms, "bucket_ms": max(window_ms, 1)}


def _pairs_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=PAIR_COLUMNS + ["min_gap_ms", "mean_gap_ms"])
    frame["weight"] = frame["count"].astype(float)
    return frame


def _check(signal: str) -> None:
    if signal not in COACTION_SIGNALS:
        raise ValueError(f"unknown co-action signal {signal!r}; known: {', '.join(COACTION_SIGNALS)}")
