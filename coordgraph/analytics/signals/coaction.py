"""Co-action signals: accounts acting on the same object (post, text, hashtag, URL, domain, mention, image) within a
time window, and target-anchored rapid follow-on.

Each signal has an events file ``signals/co_<signal>.cypher`` returning one row per action (``obj, acc, at,
eid``); ``signals/co_pairs.cypher`` turns any such stream into account pairs and is the reference definition
investigators rerun in Cypher (``pairs_query``). Detection streams each signal's events across Bolt once
(:func:`coaction_events`) and pairs them with the same definition in numpy (:func:`window_pair_stats`; a test
checks both give identical pairs, counts and times); ``detect`` hands the same events to the time-shuffled null
in :mod:`coordgraph.analytics.statistics` and to rapid follow-on, so nothing is read twice.

Definition (ours): two distinct accounts co-act on an object when each has an action on it and the two actions
are at most ``window_s`` seconds apart (inclusive). A pair's ``count`` is the number of distinct objects they
co-acted on; pairs below ``min_repeat`` are dropped. ``peer_edges`` reproduces the peers' definitions.
"""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from neo4j import Driver

from ... import cypher
from ...db import read_query
from .base import PAIR_COLUMNS, SignalResult
from .spec import SignalInputs, SignalSpec

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
    "co_image",
)
RAPID_SIGNAL = "rapid_follow_on"
# The co-action exports that together hold every engagement rapid follow-on looks at.
RAPID_SOURCES = ("co_retweet", "co_reply", "co_quote")
# Signals whose objects are posts that gather many actions each: their export is grouped per object.
BY_OBJECT = frozenset({"co_retweet"})
# Signals detection reads with a query of their own, grouped on the server per object (:data:`BY_OBJECT`) or per
# account: the same actions and rows as the events file followed by ``signals/events_by_object.cypher`` (or
# ``events_by_account``), at a fraction of the server's work.
GROUPED_EVENTS = {"co_retweet": "signals/co_retweet_by_post", "co_tweet": "signals/co_tweet_by_account"}
# Groups (accounts or objects with their actions) per record when detection reads events (signals/in_parts.cypher).
PART_ROWS = 2000
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
    _check(signal)
    if signal in GROUPED_EVENTS:
        return _read_events(driver, cypher.load(GROUPED_EVENTS[signal]), database, signal in BY_OBJECT, grouped=True)
    return _read_events(driver, events_query(signal), database, signal in BY_OBJECT)


def coaction_pairs(
    driver: Driver,
    signal: str,
    window_s: float = 60,
    min_repeat: int = 2,
    max_posts: int = DEFAULT_MAX_POSTS,
    database: str | None = None,
    events: pd.DataFrame | None = None,
) -> SignalResult:
    """Pairs of accounts that co-acted on at least ``min_repeat`` distinct objects within ``window_s``.

    Same definition and output as ``pairs_query(signal)`` run in Cypher, computed from one export of the events
    (``events``, when the caller already holds :func:`coaction_events` of this signal)."""
    params = _window_params(window_s)
    if events is None:
        events = coaction_events(driver, signal, database)
    pairs = window_pair_stats(events, params["window_ms"], int(min_repeat), int(max_posts))
    return SignalResult(
        name=signal,
        pairs=pairs,
        directed=False,
        params={"window_s": window_s, "min_repeat": min_repeat},
    )


def rapid_follow_on(
    driver: Driver,
    window_s: float = 60,
    min_repeat: int = 2,
    max_posts: int = DEFAULT_MAX_POSTS,
    database: str | None = None,
    exports: dict[str, pd.DataFrame] | None = None,
) -> SignalResult:
    """Directed pairs A -> B where B engaged a target's post within ``window_s`` after A, on >= ``min_repeat`` posts.

    Same definition and output as ``signals/rapid_follow_on.cypher``, computed from one export of the
    engagements of target posts (``signals/rapid_follow_on_events.cypher``), or taken from ``exports`` when the
    caller holds the co-retweet, co-reply and co-quote events (together they hold every engagement)."""
    params = _window_params(window_s)
    if exports is not None and all(signal in exports for signal in RAPID_SOURCES):
        targets = read_query(driver, cypher.load("signals/target_posts"), {}, database)[0]["posts"]
        frames = [exports[signal][exports[signal]["obj"].isin(targets)] for signal in RAPID_SOURCES]
        events = pd.concat(frames, ignore_index=True)[EVENT_COLUMNS]
    else:
        events = _read_events(driver, cypher.load("signals/rapid_follow_on_events"), database, by_object=True)
    pairs = window_pair_stats(events, params["window_ms"], int(min_repeat), int(max_posts), directed=True)
    return SignalResult(
        name=RAPID_SIGNAL,
        pairs=pairs,
        directed=True,
        params={"window_s": window_s, "min_repeat": min_repeat},
    )


class PairArrays(NamedTuple):
    """Account pairs as arrays (:func:`pair_arrays`): pair ``k`` is ``accounts[a[k]]``, ``accounts[b[k]]``; its
    objects, in time order, are ``objects[object_codes[offsets[k]:offsets[k + 1]]]``."""

    accounts: np.ndarray  # account ids, sorted
    objects: np.ndarray  # object ids
    a: np.ndarray
    b: np.ndarray
    count: np.ndarray
    first_at: np.ndarray
    last_at: np.ndarray
    min_gap_ms: np.ndarray
    mean_gap_ms: np.ndarray
    object_codes: np.ndarray
    offsets: np.ndarray


def window_pair_stats(
    events: pd.DataFrame,
    window_ms: int,
    min_repeat: int = 1,
    max_posts: int = DEFAULT_MAX_POSTS,
    directed: bool = False,
    chunk_pairs: int = 4_000_000,
) -> pd.DataFrame:
    """Account pairs from actions ``obj, acc, at``, vectorised, with the definition of ``signals/co_pairs.cypher``.

    Undirected (``a < b`` by id): two actions of different accounts on one object at most ``window_ms`` apart
    co-act. ``directed``: as ``signals/rapid_follow_on.cypher``, A -> B when B acted 0..W ms after A (ties
    both ways). Per pair and object the smallest gap and the earlier action's earliest time count; a pair's
    ``count`` is its distinct objects (at least ``min_repeat``), ``first_at``/``last_at`` the earliest and latest
    of those times, ``min_gap_ms``/``mean_gap_ms`` over its objects, ``posts`` up to ``max_posts`` objects in
    time order. Candidate pairs are built ``chunk_pairs`` at a time, so memory stays bounded on viral objects.
    """
    pairs = pair_arrays(events, window_ms, min_repeat, directed, chunk_pairs)
    if pairs is None:
        return _pairs_frame([])
    posts_flat = pairs.objects[pairs.object_codes].tolist()
    posts = [posts_flat[i : i + n] for i, n in zip(pairs.offsets[:-1].tolist(), np.minimum(pairs.count, max_posts).tolist())]
    frame = pd.DataFrame(
        {
            "a": pairs.accounts[pairs.a],
            "b": pairs.accounts[pairs.b],
            "count": pairs.count,
            "first_at": pairs.first_at,
            "last_at": pairs.last_at,
            "posts": posts,
            "min_gap_ms": pairs.min_gap_ms,
            "mean_gap_ms": pairs.mean_gap_ms,
        }
    )
    frame["weight"] = frame["count"].astype(float)
    return frame[PAIR_COLUMNS + ["min_gap_ms", "mean_gap_ms"]]


def pair_arrays(
    events: pd.DataFrame,
    window_ms: int,
    min_repeat: int = 1,
    directed: bool = False,
    chunk_pairs: int = 4_000_000,
) -> PairArrays | None:
    """The pairs of :func:`window_pair_stats` as arrays, every object of each pair kept; None when there are none.

    ``events`` needs only the columns ``obj, acc, at``."""
    if events.empty:
        return None
    # sorted codes: a pair's objects with the same time come in object-id order, not in the order read
    obj_code, objects = pd.factorize(events["obj"], sort=True)
    # sorted codes: comparing codes compares account ids, so a < b by code is a < b by id
    acc_code, accounts = pd.factorize(events["acc"], sort=True)
    at = events["at"].to_numpy(dtype=np.int64)
    order = np.lexsort((at, obj_code))
    o, t, c = obj_code[order].astype(np.int64), at[order], acc_code[order].astype(np.int64)
    n_acc = len(accounts)
    parts: list[tuple[np.ndarray, ...]] = []
    for i, j in window_row_pairs(o, t, window_ms, chunk_pairs):
        ci, cj = c[i], c[j]
        keep = ci != cj
        i, j, ci, cj = i[keep], j[keep], ci[keep], cj[keep]
        gap, first = t[j] - t[i], t[i]
        if directed:
            tie = gap == 0  # same moment: each counts as following the other
            key = np.concatenate([ci * n_acc + cj, cj[tie] * n_acc + ci[tie]])
            ob = np.concatenate([o[i], o[i][tie]])
            gap, first = np.concatenate([gap, gap[tie]]), np.concatenate([first, first[tie]])
        else:
            key = np.minimum(ci, cj) * n_acc + np.maximum(ci, cj)
            ob = o[i]
        parts.append(_min_per_pair_object(key, ob, gap, first))
    if not parts:
        return None
    # one part is already reduced per (pair, object)
    key, ob, gap, first = parts[0] if len(parts) == 1 else _min_per_pair_object(*(np.concatenate(x) for x in zip(*parts)))
    # rows are sorted by pair, then object
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    count = np.diff(np.r_[start, len(key)])
    kept = count >= min_repeat
    if not kept.any():
        return None
    row_kept = np.repeat(kept, count)
    key, ob, gap, first = key[row_kept], ob[row_kept], gap[row_kept], first[row_kept]
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    count = np.diff(np.r_[start, len(key)])
    pair_key = key[start]
    by_time = np.lexsort((first, key))  # each pair's objects in time order
    return PairArrays(
        accounts=np.asarray(accounts, dtype=object),
        objects=np.asarray(objects, dtype=object),
        a=pair_key // n_acc,
        b=pair_key % n_acc,
        count=count.astype(np.int64),
        first_at=np.minimum.reduceat(first, start),
        last_at=np.maximum.reduceat(first, start),
        min_gap_ms=np.minimum.reduceat(gap, start),
        mean_gap_ms=np.add.reduceat(gap.astype(float), start) / count,
        object_codes=ob[by_time],
        offsets=np.r_[start, len(key)],
    )


_SLICE = 1 << 20  # rows per slice where a whole second array as long as the actions is not needed


def window_row_pairs(o: np.ndarray, t: np.ndarray, window_ms: int, chunk_pairs: int):
    """For rows sorted by object then time: every pair of rows ``i < j`` of the same object at most ``window_ms``
    apart, as arrays ``(i, j)`` in chunks of at most ``chunk_pairs`` pairs (at least one row's), so memory stays
    bounded however many pairs there are."""
    partners = _window_ends(o, t, window_ms)
    for lo in range(0, len(o), _SLICE):
        partners[lo:lo + _SLICE] -= np.arange(lo + 1, min(lo + _SLICE, len(o)) + 1)
    ends = np.cumsum(partners)
    lo_row = 0
    while lo_row < len(o):
        # rows [lo_row, hi_row) give at most chunk_pairs pairs (at least one row)
        hi_row = max(int(np.searchsorted(ends, (ends[lo_row - 1] if lo_row else 0) + chunk_pairs, side="right")), lo_row + 1)
        p = partners[lo_row:hi_row]
        total = int(p.sum())
        if total:
            i = np.repeat(np.arange(lo_row, hi_row), p)
            yield i, i + np.arange(total) - np.repeat(np.cumsum(p) - p, p) + 1
        lo_row = hi_row


def _window_ends(o: np.ndarray, t: np.ndarray, window_ms: int) -> np.ndarray:
    """For rows sorted by object then time: one past the last row of the same object within ``window_ms``."""
    starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
    sizes = np.diff(np.r_[starts, len(o)])
    # times since each object's first action are >= 0 and at most its last action's
    stride = int((t[starts + sizes - 1] - t[starts]).max()) + int(window_ms) + 1
    n_objects = len(starts)
    if n_objects * stride >= 2**62:
        raise ValueError("time span too large to pair in one pass; split the data by period")
    # objects far apart (object * stride + time since its first action), so one search serves all; built in
    # place, as these arrays are as long as the actions
    coord = np.repeat(np.arange(n_objects, dtype=np.int64) * stride - t[starts], sizes)
    coord += t
    ends = np.empty(len(o), dtype=np.int64)
    for lo in range(0, len(o), _SLICE):
        ends[lo:lo + _SLICE] = np.searchsorted(coord, coord[lo:lo + _SLICE] + window_ms, side="right")
    return ends


def _min_per_pair_object(key, ob, gap, first):
    """Per (pair, object): the smallest gap and earliest time; rows sorted by pair then object."""
    if len(key) == 0:
        return key, ob, gap, first
    n_obj = int(ob.max()) + 1
    if (int(key.max()) + 1) * n_obj < 2**62:  # one integer sort key is much faster than a two-key lexsort
        combined = key * n_obj + ob
        order = np.argsort(combined)
        combined = combined[order]
        start = np.flatnonzero(np.r_[True, combined[1:] != combined[:-1]])
        key, ob = combined[start] // n_obj, combined[start] % n_obj
        return key, ob, np.minimum.reduceat(gap[order], start), np.minimum.reduceat(first[order], start)
    order = np.lexsort((ob, key))
    key, ob, gap, first = key[order], ob[order], gap[order], first[order]
    start = np.flatnonzero(np.r_[True, (key[1:] != key[:-1]) | (ob[1:] != ob[:-1])])
    return key[start], ob[start], np.minimum.reduceat(gap, start), np.minimum.reduceat(first, start)


def in_parts(query: str, by_object: bool = False, grouped: bool = False) -> str:
    """The text detection runs to read an events ``query``: grouped per account or object on the server (unless
    it is a ``grouped`` query of :data:`GROUPED_EVENTS`, which is already), then :data:`PART_ROWS` groups to a
    record (``signals/in_parts.cypher``; parameter ``part_rows``)."""
    if not grouped:
        tail = "signals/events_by_object" if by_object else "signals/events_by_account"
        query = "CALL () {\n" + query + "\n}\n" + cypher.load(tail)
    return "CALL () {\n" + query + "\n}\n" + cypher.load("signals/in_parts")


def _read_events(driver: Driver, query: str, database: str | None, by_object: bool = False,
                 grouped: bool = False) -> pd.DataFrame:
    """Stream an events query (rows ``obj, acc, at, eid, anchor``) into a DataFrame with ``at`` as int64.

    The rows are grouped on the server, per account (``signals/events_by_account.cypher``) or, for actions on
    posts that gather many actions each, per object (``signals/events_by_object.cypher``), sent in parts of many
    groups (:func:`in_parts`) and flattened here: one record per action, or even per group, would cost far more
    to stream than the query costs to run. A ``grouped`` query (:data:`GROUPED_EVENTS`) already returns the rows of
    the tail."""
    query = in_parts(query, by_object, grouped)

    def work(tx):
        return [row for (part,) in tx.run(query, part_rows=PART_ROWS).values() for row in part]

    with driver.session(database=database) as session:
        rows = session.execute_read(work)
    sizes = np.fromiter((len(events) for _, events in rows), dtype=np.int64, count=len(rows))
    inner = ["acc", "at", "eid", "anchor"] if by_object else ["obj", "at", "eid", "anchor"]
    frame = pd.DataFrame(list(itertools.chain.from_iterable(events for _, events in rows)), columns=inner)
    frame.insert(0, "obj" if by_object else "acc", np.repeat(np.asarray([key for key, _ in rows], dtype=object), sizes))
    frame = frame.reindex(columns=EVENT_COLUMNS)
    frame["at"] = frame["at"].astype("int64")
    return frame


def peer_edges(
    driver: Driver,
    peer: str,
    signal: str = "co_retweet",
    window_s: int = 60,
    min_weight: int = 1,
    min_participation: int = 2,
    remove_loops: bool = True,
    database: str | None = None,
    since_ms: int | None = None,
    until_ms: int | None = None,
) -> pd.DataFrame:
    """Co-action edges exactly as a peer tool defines them, for comparison and migration.

    ``peer="cnt"``: coordination-network-toolkit (git daa0e11) ``compute <type> --time_window W
    --min_edge_weight N``: directed ``user_1, user_2, weight``, self-loops included.
    ``peer="coortweet"``: CooRTweet ``detect_groups(time_window, min_participation, remove_loops)`` then
    ``generate_coordinated_network``: undirected ``from, to, weight, avg_time_delta, n_content_id,
    n_content_id_y`` (share pairs).
    CooRTweet compares times in whole seconds; the toolkit compares them unrounded, taking a Twitter post's time
    from its id (snowflake milliseconds) as its Twitter JSON preprocessing does. ``first_s``/``last_s`` give
    each edge's earliest and latest action (epoch seconds). Only actions at ``since_ms`` <= time < ``until_ms`` count (each bound optional).
    """
    bounds = {"since_ms": since_ms, "until_ms": until_ms}
    if peer == "cnt":
        # signals/co_pairs_cnt.cypher's definition, paired in numpy from one export (much faster than in Cypher)
        from .cnt_pairs import cnt_edges

        return cnt_edges(driver, signal, int(window_s), int(min_weight), database=database, **bounds)
    if peer == "coortweet":
        rows = read_query(
            driver,
            pairs_query(signal, "signals/co_pairs_coortweet"),
            {"window_s": int(window_s), "min_participation": int(min_participation),
             "remove_loops": bool(remove_loops), **bounds},
            database,
        )
        frame = pd.DataFrame(rows, columns=PEER_COLUMNS["coortweet"][:6] + ["first_s", "last_s"])
        return _coortweet_scores(frame)
    raise ValueError(f"unknown peer {peer!r}; use 'cnt' or 'coortweet'")


# The peers' own edge-table columns (CooRTweet's generate_coordinated_network with edge_weight 0.5).
PEER_COLUMNS = {
    "cnt": ["user_1", "user_2", "weight"],
    "coortweet": ["from", "to", "weight", "avg_time_delta", "n_content_id", "n_content_id_y", "edge_symmetry_score",
                  "weight_threshold"],
}


def _coortweet_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """CooRTweet's derived edge columns: the symmetry of the two sides' content counts, and whether the weight
    is above the median weight (R's default quantile, which numpy's default equals)."""
    sides = frame[["n_content_id", "n_content_id_y"]].astype(float)
    frame.insert(6, "edge_symmetry_score", sides.min(axis=1) / sides.max(axis=1))
    threshold = float(np.quantile(frame["weight"], 0.5)) if len(frame) else 0.0
    frame.insert(7, "weight_threshold", (frame["weight"] > threshold).astype(int))
    return frame


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


def _in_range(inputs: SignalInputs, signal: str) -> pd.DataFrame:
    """The signal's events inside the run's time range (``DetectParams.since``/``until``), all when unbounded."""
    events = coaction_events(inputs.driver, signal, inputs.database)
    time_range = inputs.params.time_range()
    return events[time_range.contains(events["at"].to_numpy())].reset_index(drop=True) if time_range.bounded else events


def _coaction_spec(signal: str) -> SignalSpec:
    def compute(inputs: SignalInputs) -> SignalResult:
        p = inputs.params
        inputs.events[signal] = _in_range(inputs, signal)
        return coaction_pairs(inputs.driver, signal, p.window_s, p.min_repeat, p.max_posts, inputs.database,
                              events=inputs.events[signal])

    return SignalSpec(signal, compute, coaction=True)


def _rapid(inputs: SignalInputs) -> SignalResult:
    p = inputs.params
    exports = inputs.events
    if p.time_range().bounded:  # the in-range engagements; exports of unchosen signals stay out of the benchmark
        exports = {s: exports[s] if s in exports else _in_range(inputs, s) for s in RAPID_SOURCES}
    return rapid_follow_on(inputs.driver, p.window_s, p.min_repeat, p.max_posts, inputs.database, exports=exports)


SPECS: tuple[SignalSpec, ...] = (*(_coaction_spec(s) for s in COACTION_SIGNALS), SignalSpec(RAPID_SIGNAL, _rapid))
