"""Near-duplicate text: replies and quotes whose normalised texts are near-copies (Jaccard >= 0.8).

Texts are normalised (lower case; URLs, @mentions and punctuation dropped; whitespace collapsed) and cut into
character 5-gram shingles, robust to the small edits of copied talking points. Each distinct text is hashed
once (``rensa``, a compiled MinHash: 128 permutations); LSH with 32 bands of 4 rows proposes candidate pairs
(a pair at Jaccard 0.8 is missed with probability ``(1 - 0.8^4)^32``, about 5e-8), and each candidate's exact
Jaccard similarity of the shingle sets is checked, so the threshold is exact, not approximate. Pairs of posts
by different accounts (optionally within a window) are counted per account pair; at least ``min_repeat``
near-duplicate posts make a pair.

With targets in the graph only the texts of accounts engaging them are read (``engaging_only``, as for the
language signal): the pairs of those accounts are the same either way (a pair depends only on its two
accounts' texts), and the other texts can never link to them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import rensa
from neo4j import Driver
from scipy import sparse

from .base import PAIR_COLUMNS, SignalResult
from .spec import SignalInputs, SignalSpec, engaging_texts

SIGNAL = "near_duplicate"
TEXT_KINDS = ("reply", "quote")  # the posts the signal compares
NUM_PERM = 128
NUM_BANDS = 32
_URL = re.compile(r"https?://\S+")
_MENTION = re.compile(r"@\w+")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, without URLs, @mentions, punctuation or repeated whitespace."""
    text = _URL.sub(" ", text.lower())
    text = _MENTION.sub(" ", text)
    text = _NON_WORD.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def shingles(text: str, k: int = 5) -> set[str]:
    """Character k-gram shingles of a normalised text (the whole text when shorter than k)."""
    if len(text) <= k:
        return {text} if text else set()
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def shingle_ids(texts: list[str], k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """The distinct character k-gram shingles of every text as integer ids (equal ids = equal shingles).

    Returns ``row`` and ``shingle`` (int64 arrays, one entry per distinct shingle of a text, sorted by row then
    id); a text shorter than k is one shingle (itself), an empty text has none. Same sets as :func:`shingles`,
    computed over all texts at once from their code points (a 5-gram's code points, 21 bits each, are packed
    exactly into two integers).
    """
    if k != 5:
        raise ValueError("shingle_ids packs 5-grams; use shingles() for other lengths")
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    count = np.where(lens >= k, lens - k + 1, (lens > 0).astype(np.int64))
    row = np.repeat(np.arange(len(texts), dtype=np.int64), count)
    offset = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    first = (np.cumsum(lens) - lens)[row] + offset
    end = (np.cumsum(lens))[row]
    padded = np.r_[codes, np.zeros(k, dtype=np.uint64)]
    part = []
    for m in range(k):  # a position past the text's end (texts shorter than k) reads as 0, never a character here
        part.append(np.where(first + m < end, padded[first + m], np.uint64(0)))
    high = (part[0] << np.uint64(42)) | (part[1] << np.uint64(21)) | part[2]
    low = (part[3] << np.uint64(21)) | part[4]
    high_id, _ = pd.factorize(high)
    low_id, low_values = pd.factorize(low)
    shingle, _ = pd.factorize(high_id.astype(np.int64) * len(low_values) + low_id)
    width = int(shingle.max()) + 1 if len(shingle) else 1
    key = _distinct(row * width + shingle)
    return key // width, key % width


def similar_texts(texts: list[str], threshold: float = 0.8, num_perm: int = NUM_PERM, num_bands: int = NUM_BANDS,
                  seed: int = 1) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, of distinct texts whose 5-gram shingle sets have Jaccard >= ``threshold``.

    MinHash LSH (``rensa``) proposes the candidates, the exact Jaccard similarity decides; an ``(n, 2)`` int64
    array sorted by ``i``, then ``j``.
    """
    none = np.empty((0, 2), dtype=np.int64)
    if len(texts) < 2:
        return none
    row, shingle = shingle_ids(texts)
    if row.size == 0:
        return none
    offsets = np.searchsorted(row, np.arange(len(texts) + 1)).astype(np.uint64)
    hashes = rensa.RMinHash.digest_matrix_from_flat_token_hashes(_mix64(shingle.astype(np.uint64)), offsets, num_perm, seed)
    digests = np.asarray(hashes.to_rows(), dtype=np.uint64)
    i, j = _band_candidates(digests, num_bands)
    if i.size == 0:
        return none
    size = np.diff(offsets.astype(np.int64))
    inter = _intersection_sizes(row, shingle, offsets.astype(np.int64), i, j)
    union = size[i] + size[j] - inter
    similar = (union > 0) & (inter / np.maximum(union, 1) >= threshold)  # the ratio, as the definition is written
    out = np.c_[i[similar], j[similar]]
    return out[np.lexsort((out[:, 1], out[:, 0]))]


def _intersection_sizes(row: np.ndarray, shingle: np.ndarray, offsets: np.ndarray, i: np.ndarray, j: np.ndarray,
                        chunk: int = 100_000) -> np.ndarray:
    """Exact ``|S_i & S_j|`` for each candidate pair, as floats: the row-wise products of the texts' 0/1 shingle
    rows (a merge of two sorted id lists per pair, in compiled code; chunks of pairs bound the memory)."""
    width = int(shingle.max()) + 1
    incidence = sparse.csr_matrix((np.ones(row.size, dtype=np.int64), shingle, offsets), shape=(len(offsets) - 1, width))
    incidence.has_sorted_indices = True  # shingle ids are sorted within each text (shingle_ids)
    parts = [np.asarray(incidence[i[s:s + chunk]].multiply(incidence[j[s:s + chunk]]).sum(axis=1)).ravel()
             for s in range(0, i.size, chunk)]
    return np.concatenate(parts).astype(float)


def _band_candidates(digests: np.ndarray, num_bands: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of rows equal on all values of at least one band of their MinHash digests (LSH)."""
    n, num_perm = digests.shape
    rows = num_perm // num_bands
    found = []
    for band in range(num_bands):
        part = digests[:, band * rows:(band + 1) * rows]
        key = np.zeros(n, dtype=np.uint64)
        for c in range(rows):  # a hash of the band's values: a collision only adds a candidate, checked exactly later
            key = _mix64(key ^ part[:, c])
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        new_group = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        group_start = np.flatnonzero(new_group)
        group_size = np.diff(np.r_[group_start, n])
        # each member pairs with the members after it in its group
        pos = np.arange(n)
        after = (group_start + group_size)[np.cumsum(new_group) - 1] - pos - 1
        if not after.any():
            continue
        left = np.repeat(pos, after)
        right = left + 1 + (np.arange(left.size) - np.repeat(np.cumsum(after) - after, after))
        a, b = order[left], order[right]
        found.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not found:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    pairs = _distinct(np.concatenate(found))
    return pairs // n, pairs % n


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based: faster here than ``np.unique``'s hashing on large int64 arrays)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if values.size else values


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: well-spread 64-bit token hashes from shingle ids."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def near_duplicate_pairs(
    posts: pd.DataFrame,
    threshold: float = 0.8,
    min_repeat: int = 2,
    window_s: float | None = None,
    min_chars: int = 20,
    max_posts: int = 50,
) -> pd.DataFrame:
    """Account pairs with near-duplicate posts from a DataFrame ``eid, acc, at, text``; columns ``PAIR_COLUMNS``
    (the same whatever order the rows are in)."""
    # in post-id order, not the store's: the shingle numbers, and so the MinHash candidates, follow it
    posts = posts.sort_values("eid", key=lambda s: s.astype(str), kind="stable")
    frame = pd.DataFrame({
        "eid": posts["eid"].astype(str).to_numpy(dtype=object),
        "acc": posts["acc"].to_numpy(dtype=object),
        "at": pd.to_numeric(posts["at"], errors="coerce").to_numpy(dtype=float),
        "norm": [normalise(t) if isinstance(t, str) else "" for t in posts["text"]],
    })
    frame = frame[np.fromiter(map(len, frame["norm"]), dtype=np.int64, count=len(frame)) >= min_chars].reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    # one MinHash per distinct normalised text: copied talking points are hashed once
    frame["text"], texts = pd.factorize(frame["norm"])
    matched = similar_texts(list(texts), threshold)
    same = np.arange(len(texts), dtype=np.int64)
    text_pairs = pd.DataFrame(np.r_[np.c_[same, same], matched], columns=["text_x", "text_y"])
    side = frame[["eid", "acc", "at", "text"]]
    linked = (text_pairs.merge(side.rename(columns=lambda c: c + "_x"), on="text_x")
              .merge(side.rename(columns=lambda c: c + "_y"), on="text_y"))
    linked = linked[linked["acc_x"] != linked["acc_y"]]
    if window_s is not None:
        linked = linked[(linked["at_x"] - linked["at_y"]).abs() <= window_s * 1000]
    if linked.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    flip = (linked["acc_x"] > linked["acc_y"]).to_numpy()
    a = np.where(flip, linked["acc_y"], linked["acc_x"])
    b = np.where(flip, linked["acc_x"], linked["acc_y"])
    # every linked post with its account, per account pair
    ends = pd.concat([
        pd.DataFrame({"a": a, "b": b, "eid": linked["eid_x"].to_numpy(), "acc": linked["acc_x"].to_numpy(), "at": linked["at_x"].to_numpy()}),
        pd.DataFrame({"a": a, "b": b, "eid": linked["eid_y"].to_numpy(), "acc": linked["acc_y"].to_numpy(), "at": linked["at_y"].to_numpy()}),
    ], ignore_index=True).drop_duplicates(["a", "b", "eid"])
    per_side = ends.assign(mine=ends["acc"] == ends["a"]).groupby(["a", "b"])["mine"].agg(["sum", "size"])
    # a pair's count = near-duplicate posts of the less prolific side, so one copied post is not counted twice
    count = np.minimum(per_side["sum"], per_side["size"] - per_side["sum"]).astype(int)
    times = ends.groupby(["a", "b"])["at"].agg(["min", "max"])
    eids = ends.sort_values("eid").groupby(["a", "b"])["eid"].agg(lambda s: list(s)[:max_posts])
    out = pd.DataFrame({"count": count}).join(times).join(eids).reset_index()
    out = out[out["count"] >= min_repeat]
    if out.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    return pd.DataFrame({
        "a": out["a"], "b": out["b"], "weight": out["count"].astype(float), "count": out["count"],
        "first_at": [None if np.isnan(v) else int(v) for v in out["min"]],
        "last_at": [None if np.isnan(v) else int(v) for v in out["max"]],
        "posts": out["eid"],
    }, columns=PAIR_COLUMNS).reset_index(drop=True)


def near_duplicate(
    driver: Driver,
    threshold: float = 0.8,
    min_repeat: int = 2,
    window_s: float | None = None,
    database: str | None = None,
    engaging_only: bool = True,
    rows: list | None = None,
) -> SignalResult:
    """The near-duplicate text signal over the replies and quotes in the graph (with targets and
    ``engaging_only``, those of the accounts engaging the targets). ``rows``: those replies and quotes already
    read (``(eid, acc, at, text)`` each, :func:`text_rows`)."""
    if rows is None:
        rows = text_rows(engaging_texts(driver, database, engaging_only))
    posts = pd.DataFrame(rows, columns=["eid", "acc", "at", "text"])
    every = near_duplicate_pairs(posts, threshold=threshold, min_repeat=1, window_s=window_s)
    pairs = every[every["count"] >= min_repeat].reset_index(drop=True)
    return SignalResult(
        name=SIGNAL, pairs=pairs, trace_pairs=every,
        params={"threshold": threshold, "min_repeat": min_repeat, "window_s": window_s, "engaging_only": engaging_only},
    )


def text_rows(texts: list) -> list[tuple]:
    """The posts :func:`near_duplicate` compares, from the texts the text signals read
    (``signals/engaging_texts.cypher``): ``(eid, acc, at, text)`` of the replies and quotes."""
    return [(post, account, at, text) for account, _, post, kind, at, text in texts if kind in TEXT_KINDS]


def _compute(inputs: SignalInputs) -> SignalResult:
    p = inputs.params
    # the texts the run reads once (the language signal reads the same posts), compared in the run's helper process
    rows = text_rows(inputs.engaging_texts())
    return inputs.apart(near_duplicate, None, p.near_duplicate_threshold, p.min_repeat, None, inputs.database, rows=rows, size=len(rows))


SPECS: tuple[SignalSpec, ...] = (SignalSpec(SIGNAL, _compute, standalone=True),)
