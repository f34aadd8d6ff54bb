"""The coordination-network-toolkit's co-action edges (``peer_edges(..., "cnt")``) paired in numpy.

The definition is ``signals/co_pairs_cnt.cypher``'s, which stays the reference text investigators can rerun:
directed rows ``user_1, user_2``; ``weight`` = the number of distinct events of ``user_1`` that have another event
(different id) of ``user_2`` on the same object at most the window apart; self-loops included. Pairing every
object's actions with each other inside one Cypher query costs the server seconds per hundred thousand actions
and more when its page cache is cold (right after a bulk load); exporting the actions grouped per object
(``signals/cnt_events.cypher``; for co-retweet ``signals/cnt_co_retweet.cypher``, read post by post, with
snowflake event ids sent as integers) and pairing them here costs a fraction of that, the same way the native
network export does.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from neo4j import Driver

from ... import cypher
from .coaction import events_query, window_row_pairs

COLUMNS = ["user_1", "user_2", "weight", "first_s", "last_s"]


# Signals read by a query of their own (whole, not a tail of the generic events query): the same actions, several
# objects to a row (``objs, accs, ts, eids``, ``objs`` numbering each action's object).
GROUPED_QUERIES = {"co_retweet": "signals/cnt_co_retweet"}
POSTS_PER_ROW = 1000


def actions_query(signal: str) -> str:
    """The query giving ``signal``'s actions grouped by object (``$since_ms``, ``$until_ms``): the signal's own
    query (rows ``objs, accs, ts, eids``; ``$batch`` objects a row) if it has one (:data:`GROUPED_QUERIES`), else
    its events query with ``signals/cnt_events.cypher`` (rows ``accs, ts, eids``, one object each)."""
    if signal in GROUPED_QUERIES:
        return cypher.load(GROUPED_QUERIES[signal])
    return "CALL () {\n" + events_query(signal) + "\n}\n" + cypher.load("signals/cnt_events")


def cnt_edges(driver: Driver, signal: str, window_s: int, min_weight: int, since_ms: int | None = None,
              until_ms: int | None = None, database: str | None = None) -> pd.DataFrame:
    """The toolkit's edges (:data:`COLUMNS`) of a co-action signal's actions."""
    return frame_of(cnt_arrays(driver, signal, window_s, min_weight, since_ms, until_ms, database))


def cnt_arrays(driver: Driver, signal: str, window_s: int, min_weight: int, since_ms: int | None = None,
               until_ms: int | None = None, database: str | None = None) -> CntEdges:
    """:func:`cnt_edges`' edges as integer arrays (:class:`CntEdges`), for writing them out in parts."""
    query = actions_query(signal)
    # streamed into codes as the records come: each account id is held once, not once per action, and event ids
    # become integers (EventCodes) rather than entries of a dictionary of every one of them
    accounts = AccountCodes()
    event_code = EventCodes()
    obj, acc, t, eid = array("q"), array("q"), array("q"), array("q")

    grouped = signal in GROUPED_QUERIES
    params = {"since_ms": since_ms, "until_ms": until_ms, "batch": POSTS_PER_ROW}

    def work(tx):
        for held in (obj, acc, t, eid):  # a retried transaction starts again
            del held[:]
        accounts.clear()
        event_code.clear()
        pending: list[str] = []
        for n, row in enumerate(tx.run(query, params)):
            if grouped:
                objs, accs, ts, eids = row
                obj.extend(objs)
            else:
                accs, ts, eids = row
                obj.extend(itertools.repeat(n, len(accs)))
            pending.extend(accs)
            if len(pending) >= 1 << 16:
                acc.frombytes(accounts.codes(pending).tobytes())
                pending.clear()
            t.extend(ts)
            extend_codes(eid, eids, event_code)
        acc.frombytes(accounts.codes(pending).tobytes())

    with driver.session(database=database) as session:
        session.execute_read(work)
    event_code.clear()
    names = accounts.names()
    accounts.clear()
    # views of the arrays' buffers, not copies: the pairing sorts them in place
    return arrays_of(*(np.frombuffer(a, dtype=np.int64) for a in (obj, acc, t, eid)), names,
                    int(window_s) * 1000, int(min_weight))


def extend_codes(codes: array, event_ids: list, event_code: EventCodes) -> None:
    """Append the codes of ``event_ids`` to ``codes``: text through ``event_code``; an integer is an id the query
    read from its canonical decimal text (``signals/cnt_co_retweet.cypher``), so it is its own code, the code
    :class:`EventCodes` gives that text. A list of integers is taken at once."""
    held = len(codes)
    try:
        codes.extend(event_ids)
    except TypeError:  # some ids are text; the integers taken before the first of them are taken again
        del codes[held:]
        codes.extend(e if type(e) is int else event_code(e) for e in event_ids)


class AccountCodes:
    """Account ids to dense int64 codes (0, 1, ... in order of first appearance), given a batch at a time: each
    batch is dictionary-encoded by Arrow, so only its distinct ids are looked up in Python, not every action's."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def clear(self) -> None:
        self.index.clear()

    def codes(self, ids: list[str]) -> np.ndarray:
        """The codes of ``ids`` (text), new ids numbered after those seen before."""
        if not ids:
            return np.empty(0, dtype=np.int64)
        pool = pa.system_memory_pool()  # freed to the C heap, not kept by Arrow's own allocator (see tables)
        encoded = pc.dictionary_encode(pa.array(ids, pa.string(), memory_pool=pool), memory_pool=pool)
        index = self.index
        distinct = encoded.dictionary.to_pylist()
        known = np.fromiter((index.setdefault(a, len(index)) for a in distinct), dtype=np.int64, count=len(distinct))
        return known[encoded.indices.to_numpy()]

    def names(self) -> np.ndarray:
        """The ids seen, by code."""
        return np.asarray(list(self.index), dtype=object)


INT64_MAX = str(2**63 - 1)


class EventCodes:
    """Equal event ids to equal int64 codes, different ids to different codes, holding as few ids as possible.

    An id written as a canonical non-negative decimal that fits in 63 bits (every Twitter id) is its own code;
    any other id gets a negative code from a dictionary, so only those ids are held."""

    def __init__(self) -> None:
        self.others: dict[str, int] = {}

    def clear(self) -> None:
        self.others.clear()

    def __call__(self, event_id: str) -> int:
        n = len(event_id) if isinstance(event_id, str) else 0
        if (0 < n <= 19 and event_id.isascii() and event_id.isdigit() and (event_id[0] != "0" or n == 1)
                and (n < 19 or event_id <= INT64_MAX)):
            return int(event_id)
        return -1 - self.others.setdefault(event_id, len(self.others))


class CntEdges(NamedTuple):
    """The toolkit's edges as integer arrays, rows sorted by ``user_1, user_2``: edge ``k`` goes from
    ``names[pair[k] // len(names)]`` to ``names[pair[k] % len(names)]``; times in whole seconds."""

    names: np.ndarray  # account ids, sorted
    pair: np.ndarray
    weight: np.ndarray
    first_s: np.ndarray
    last_s: np.ndarray

    def __len__(self) -> int:
        return len(self.pair)

    def n_accounts(self) -> int:
        """How many accounts the edges join."""
        seen = np.zeros(len(self.names), dtype=bool)
        for lo in range(0, len(self.pair), 1 << 20):
            pair = self.pair[lo:lo + (1 << 20)]
            seen[pair // len(self.names)] = True
            seen[pair % len(self.names)] = True
        return int(seen.sum())


def edges_of(obj: np.ndarray, acc: np.ndarray, t: np.ndarray, eid: np.ndarray, names: np.ndarray, window_ms: int,
             min_weight: int, chunk_pairs: int = 250_000) -> pd.DataFrame:
    """The toolkit's edges (:data:`COLUMNS`) of actions given as parallel integer arrays: object, account (an index
    into ``names``, the account ids), time (ms) and event codes (equal codes, equal event ids).

    Rows sorted by ``user_1, user_2``; ``first_s``/``last_s`` the earliest and latest counted ``user_1`` time in
    whole seconds (truncated, as Cypher's integer division). Writable arrays are overwritten (see
    :func:`arrays_of`)."""
    return frame_of(arrays_of(obj, acc, t, eid, names, window_ms, min_weight, chunk_pairs))


def arrays_of(obj: np.ndarray, acc: np.ndarray, t: np.ndarray, eid: np.ndarray, names: np.ndarray, window_ms: int,
              min_weight: int, chunk_pairs: int = 250_000, batch_rows: int = 250_000) -> CntEdges:
    """:func:`edges_of`'s edges as :class:`CntEdges`, never a Python object per edge.

    The four arrays are the working space and are overwritten (a read-only one is copied first), so the actions
    are not held twice. Memory beyond them: a few integers per action and per edge."""
    obj, acc, t, eid = (a if a.flags.writeable else a.copy() for a in (obj, acc, t, eid))
    # codes in the order of the ids: pairs sorted by code are sorted by id
    by_name = np.argsort(names, kind="stable")
    rank = np.empty(len(names), dtype=np.int64)
    rank[by_name] = np.arange(len(names))
    names = names[by_name]
    n_acc, n = len(names), len(obj)
    if n == 0:
        return _no_edges(names)
    if n * n_acc >= 2**62:
        raise ValueError("too many actions and accounts to pair in one pass; split the data by period")
    _reorder(np.lexsort((t, obj)), obj, t, acc, eid)
    acc[:] = rank[acc]
    o, tt, c, e = obj, t, acc, eid
    # each action's place among all actions sorted by (account, event, time): a pair row is one int64, that place
    # times n_acc plus the other account's code, from which the row's user_1, event and time are read in the end
    place = np.empty(n, dtype=np.int64)
    place[np.lexsort((tt, e, c))] = np.arange(n)
    held = _pair_rows(o, tt, c, e, place, n_acc, window_ms, chunk_pairs)
    by_place = np.empty(n, dtype=np.int64)
    by_place[place] = np.arange(n)
    del place
    _reorder(by_place, tt, c, e)
    del by_place
    if not held:
        return _no_edges(names)
    rows = np.concatenate(held)
    del held
    rows.sort()
    rows = rows[np.r_[True, rows[1:] != rows[:-1]]]
    # the rows are in user_1 order: batches end where user_1 changes, so no edge is split between two
    user_1 = c[rows // n_acc]
    bounds = [0]
    while bounds[-1] < len(rows):
        end = bounds[-1] + batch_rows
        if end < len(rows):
            end = int(np.searchsorted(user_1, user_1[end], side="left"))
            if end <= bounds[-1]:  # one account has more rows than a batch
                end = int(np.searchsorted(user_1, user_1[bounds[-1]], side="right"))
        bounds.append(min(end, len(rows)))
    del user_1
    # at most one edge per row: filled batch by batch, not gathered and then joined
    out = [np.empty(len(rows), dtype=np.int64) for _ in range(4)]
    filled = 0
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        part = _aggregate(rows[lo:hi], c, e, tt, n_acc, min_weight)
        for column, values in zip(out, part):
            column[filled:filled + len(values)] = values
        filled += len(part[0])
    return CntEdges(names, *(column[:filled] for column in out))


def _pair_rows(o: np.ndarray, tt: np.ndarray, c: np.ndarray, e: np.ndarray, place: np.ndarray, n_acc: int,
               window_ms: int, chunk_pairs: int) -> list[np.ndarray]:
    """The pair rows (user_1's action place * n_acc + user_2's account) of actions sorted by object then time, in
    sorted parts, each part without repeats."""
    held = []
    for i, j in window_row_pairs(o, tt, window_ms, chunk_pairs):
        keep = e[i] != e[j]  # another event, not the same one twice
        i, j = i[keep], j[keep]
        if len(i):
            # each unordered pair of actions within the window once: both directions are rows
            held.append(np.unique(np.concatenate([place[i] * n_acc + c[j], place[j] * n_acc + c[i]])))
    return held


def _reorder(order: np.ndarray, *arrays: np.ndarray) -> None:
    """Put each array in ``order`` in place (one array's worth of scratch at a time)."""
    for values in arrays:
        values[:] = values[order]


def _aggregate(rows: np.ndarray, c: np.ndarray, e: np.ndarray, tt: np.ndarray, n_acc: int,
               min_weight: int) -> tuple[np.ndarray, ...]:
    """The edges (pair, weight, first_s, last_s) of sorted pair rows (action place * n_acc + other account) that
    hold every row of their user_1 accounts; ``c, e, tt`` are the actions' accounts, events and times by place."""
    at = rows // n_acc
    key = c[at] * n_acc + rows % n_acc
    # stable: within a pair the rows stay in (event, time) order
    order = np.argsort(key, kind="stable")
    at, key = at[order], key[order]
    del order
    ex = e[at]
    new_key = np.r_[True, key[1:] != key[:-1]]
    start = np.flatnonzero(new_key)
    # distinct user_1 events per pair (an event seen at two times, were there such, counts once)
    weight = np.add.reduceat((new_key | np.r_[True, ex[1:] != ex[:-1]]).astype(np.int64), start)
    del ex, new_key
    tx = tt[at]
    kept = weight >= min_weight
    return (key[start][kept], weight[kept], _seconds(np.minimum.reduceat(tx, start)[kept]),
            _seconds(np.maximum.reduceat(tx, start)[kept]))


def _no_edges(names: np.ndarray) -> CntEdges:
    empty = np.empty(0, np.int64)
    return CntEdges(names, empty, empty, empty, empty)


def frame_of(edges: CntEdges) -> pd.DataFrame:
    """The edges as a table (:data:`COLUMNS`), ids as Arrow-backed text."""
    if len(edges) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c.startswith("user") else np.int64) for c in COLUMNS})
    table = next(tables(edges, rows=len(edges)))
    return pd.DataFrame({c: pd.arrays.ArrowExtensionArray(table[c]) if c.startswith("user") else table[c].to_numpy()
                         for c in COLUMNS})


def tables(edges: CntEdges, columns: list[str] = COLUMNS, rows: int = 500_000) -> Iterator[pa.Table]:
    """The edges' ``columns`` (of :data:`COLUMNS`) as Arrow tables of at most ``rows`` edges each, the ids turned
    from codes into text one table at a time; none when there are no edges."""
    # ids as Arrow text taken from the account list, not a Python string object per row; from the C heap, where
    # the pairing's freed arrays are, rather than from pages of Arrow's own allocator beside them
    pool = pa.system_memory_pool()
    accounts = pa.array(edges.names, pa.string(), memory_pool=pool)
    n_acc = len(edges.names)
    for lo in range(0, len(edges), rows):
        part = slice(lo, lo + rows)
        cells = {"user_1": pc.take(accounts, edges.pair[part] // n_acc, memory_pool=pool),
                 "user_2": pc.take(accounts, edges.pair[part] % n_acc, memory_pool=pool),
                 "weight": edges.weight[part], "first_s": edges.first_s[part], "last_s": edges.last_s[part]}
        yield pa.table({c: cells[c] for c in columns})


def _seconds(ms: np.ndarray) -> np.ndarray:
    """Whole seconds truncated toward zero, as Cypher divides integers."""
    return np.where(ms >= 0, ms // 1000, -((-ms) // 1000))
