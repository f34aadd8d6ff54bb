"""The coordination-network-toolkit's co-action edges (``peer_edges(..., "cnt")``) paired in numpy.

The definition is ``signals/co_pairs_cnt.cypher``'s, which stays the reference text investigators can rerun:
directed rows ``user_1, user_2``; ``weight`` = the number of distinct events of ``user_1`` that have another event
(different id) of ``user_2`` on the same object at most the window apart; self-loops included. Pairing every
object's actions with each other inside one Cypher query costs the server seconds per hundred thousand actions
and more when its page cache is cold (right after a bulk load); exporting the actions grouped per object
(``signals/cnt_events.cypher``) and pairing them here costs a fraction of that, the same way the native network
export does.
"""

from __future__ import annotations

import itertools
from array import array

import numpy as np
import pandas as pd
import pyarrow as pa
from neo4j import Driver

from ... import cypher
from .coaction import window_row_pairs

COLUMNS = ["user_1", "user_2", "weight", "first_s", "last_s"]


def cnt_edges(driver: Driver, events_query: str, window_s: int, min_weight: int, since_ms: int | None = None,
              until_ms: int | None = None, database: str | None = None) -> pd.DataFrame:
    """The toolkit's edges (:data:`COLUMNS`) of the actions ``events_query`` returns (``obj, acc, at, eid``)."""
    query = "CALL () {\n" + events_query + "\n}\n" + cypher.load("signals/cnt_events")
    # streamed into codes as the records come: each account id is held once, not once per action, and event ids
    # become integers (EventCodes) rather than entries of a dictionary of every one of them
    accounts: dict[str, int] = {}
    event_code = EventCodes()
    obj, acc, t, eid = array("q"), array("q"), array("q"), array("q")

    def work(tx):
        for held in (obj, acc, t, eid):  # a retried transaction starts again
            del held[:]
        accounts.clear()
        event_code.clear()
        for n, (accs, ts, eids) in enumerate(tx.run(query, {"since_ms": since_ms, "until_ms": until_ms})):
            obj.extend(itertools.repeat(n, len(accs)))
            acc.extend(accounts.setdefault(a, len(accounts)) for a in accs)
            t.extend(ts)
            eid.extend(map(event_code, eids))

    with driver.session(database=database) as session:
        session.execute_read(work)
    event_code.clear()
    names = np.asarray(list(accounts), dtype=object)
    accounts.clear()
    # views of the arrays' buffers, not copies
    return edges_of(*(np.frombuffer(a, dtype=np.int64) for a in (obj, acc, t, eid)), names,
                    int(window_s) * 1000, int(min_weight))


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


def edges_of(obj: np.ndarray, acc: np.ndarray, t: np.ndarray, eid: np.ndarray, names: np.ndarray, window_ms: int,
             min_weight: int, chunk_pairs: int = 1_000_000) -> pd.DataFrame:
    """The toolkit's edges of actions given as parallel integer arrays: object, account (an index into
    ``names``, the account ids), time (ms) and event codes (equal codes, equal event ids).

    Rows sorted by ``user_1, user_2``; ``first_s``/``last_s`` the earliest and latest counted ``user_1`` time in
    whole seconds (truncated, as Cypher's integer division)."""
    if len(obj) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c.startswith("user") else np.int64) for c in COLUMNS})
    # codes in the order of the ids: pairs sorted by code are sorted by id
    by_name = np.argsort(names, kind="stable")
    rank = np.empty(len(names), dtype=np.int64)
    rank[by_name] = np.arange(len(names))
    names = names[by_name]
    order = np.lexsort((t, obj))
    o, tt = obj[order], t[order]
    c, e = rank[acc[order]], eid[order]
    del order
    n_acc = len(names)
    keys, ids, times = [], [], []
    for i, j in window_row_pairs(o, tt, window_ms, chunk_pairs):
        keep = e[i] != e[j]  # another event, not the same one twice
        i, j = i[keep], j[keep]
        if len(i) == 0:
            continue
        # each unordered pair of actions within the window once: both directions are rows (x, y)
        x, y = np.concatenate([i, j]), np.concatenate([j, i])
        key, ex, tx = _distinct(c[x] * n_acc + c[y], e[x], tt[x])
        keys.append(key)
        ids.append(ex)
        times.append(tx)
    if not keys:
        empty = np.empty(0, np.int64)
        return edges_of(empty, empty, empty, empty, names, window_ms, min_weight)
    key, ex, tx = np.concatenate(keys), np.concatenate(ids), np.concatenate(times)
    del keys, ids, times, o, tt, c, e
    key, ex, tx = _distinct(key, ex, tx)
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    # distinct user_1 events per pair (an event seen at two times, were there such, counts once)
    weight = np.add.reduceat(np.r_[True, (key[1:] != key[:-1]) | (ex[1:] != ex[:-1])].astype(np.int64), start)
    kept = weight >= min_weight
    pair = key[start][kept]
    first, last = np.minimum.reduceat(tx, start)[kept], np.maximum.reduceat(tx, start)[kept]
    del key, ex, tx, start
    # ids as Arrow text taken from the account list, not a Python string object per row
    accounts = pa.array(names, pa.string())
    return pd.DataFrame({"user_1": pd.arrays.ArrowExtensionArray(accounts.take(pair // n_acc)),
                         "user_2": pd.arrays.ArrowExtensionArray(accounts.take(pair % n_acc)),
                         "weight": weight[kept], "first_s": _seconds(first), "last_s": _seconds(last)})


def _distinct(key: np.ndarray, ex: np.ndarray, tx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (pair, user_1 event, time) rows, sorted by pair then event."""
    order = np.lexsort((tx, ex, key))
    key, ex, tx = key[order], ex[order], tx[order]
    new = np.r_[True, (key[1:] != key[:-1]) | (ex[1:] != ex[:-1]) | (tx[1:] != tx[:-1])]
    return key[new], ex[new], tx[new]


def _seconds(ms: np.ndarray) -> np.ndarray:
    """Whole seconds truncated toward zero, as Cypher divides integers."""
    return np.where(ms >= 0, ms // 1000, -((-ms) // 1000))
