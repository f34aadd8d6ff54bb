"""Near-duplicate text: replies and quotes whose normalised texts are near-copies (Jaccard >= 0.8).

Texts are normalised (lower case; URLs, @mentions and punctuation dropped; whitespace collapsed) and cut into
character 5-gram shingles, robust to the small edits of copied talking points. datasketch MinHash LSH finds
candidate post pairs; each candidate's exact Jaccard similarity of the shingle sets is then checked, so the
threshold is exact, not approximate. Pairs of posts by different accounts (optionally within a window) are
counted per account pair; at least ``min_repeat`` near-duplicate posts make a pair.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd
from datasketch import MinHash, MinHashLSH
from neo4j import Driver

from ... import db
from .base import PAIR_COLUMNS, SignalResult
from .spec import SignalInputs, SignalSpec

SIGNAL = "near_duplicate"
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


def near_duplicate_pairs(
    posts: pd.DataFrame,
    threshold: float = 0.8,
    min_repeat: int = 2,
    window_s: float | None = None,
    min_chars: int = 20,
    num_perm: int = 64,
    max_posts: int = 50,
) -> pd.DataFrame:
    """Account pairs with near-duplicate posts from a DataFrame ``eid, acc, at, text``; columns ``PAIR_COLUMNS``."""
    # one MinHash per distinct normalised text: copied talking points are hashed once
    posts_of: dict[str, list[str]] = defaultdict(list)
    meta: dict[str, tuple] = {}
    for row in posts.itertuples(index=False):
        norm = normalise(row.text or "")
        if len(norm) < min_chars:
            continue
        key = str(row.eid)
        posts_of[norm].append(key)
        meta[key] = (row.acc, int(row.at) if row.at is not None and row.at == row.at else None)
    texts = list(posts_of)
    sets = [shingles(t) for t in texts]
    hashes = MinHash.bulk([[x.encode("utf-8") for x in sh] for sh in sets], num_perm=num_perm, seed=1)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, mh in enumerate(hashes):
            session.insert(i, mh)
    window_ms = None if window_s is None else int(window_s * 1000)
    found: dict[tuple[str, str], dict] = defaultdict(lambda: {"posts": set(), "times": []})

    def link(key: str, other: str) -> None:
        acc, at = meta[key]
        acc2, at2 = meta[other]
        if acc2 == acc:
            return
        if window_ms is not None and (at is None or at2 is None or abs(at - at2) > window_ms):
            return
        a, b = (acc, acc2) if acc < acc2 else (acc2, acc)
        entry = found[(a, b)]
        entry["posts"].update((key, other))
        entry["times"].extend(t for t in (at, at2) if t is not None)

    for i, mh in enumerate(hashes):
        group = posts_of[texts[i]]
        for x in range(len(group)):  # identical texts
            for y in range(x + 1, len(group)):
                link(group[x], group[y])
        for j in lsh.query(mh):
            if j <= i:
                continue
            inter = len(sets[i] & sets[j])
            if inter / (len(sets[i]) + len(sets[j]) - inter) < threshold:
                continue
            for key in group:
                for other in posts_of[texts[j]]:
                    link(key, other)
    rows = []
    for (a, b), entry in found.items():
        # a pair's count = near-duplicate posts of the less prolific side, so one copied post is not counted twice
        mine = [p for p in entry["posts"] if meta[p][0] == a]
        theirs = [p for p in entry["posts"] if meta[p][0] == b]
        count = min(len(mine), len(theirs))
        if count < min_repeat:
            continue
        times = entry["times"]
        rows.append(
            {
                "a": a,
                "b": b,
                "weight": float(count),
                "count": count,
                "first_at": min(times) if times else None,
                "last_at": max(times) if times else None,
                "posts": sorted(entry["posts"])[:max_posts],
            }
        )
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def near_duplicate(
    driver: Driver,
    threshold: float = 0.8,
    min_repeat: int = 2,
    window_s: float | None = None,
    database: str | None = None,
) -> SignalResult:
    """The near-duplicate text signal over every reply and quote in the graph."""
    rows = db.read(driver, "signals/co_text_posts", database=database)
    posts = pd.DataFrame(rows, columns=["eid", "acc", "at", "text"])
    pairs = near_duplicate_pairs(posts, threshold=threshold, min_repeat=min_repeat, window_s=window_s)
    return SignalResult(
        name=SIGNAL, pairs=pairs, params={"threshold": threshold, "min_repeat": min_repeat, "window_s": window_s}
    )


def _compute(inputs: SignalInputs) -> SignalResult:
    p = inputs.params
    return near_duplicate(inputs.driver, p.near_duplicate_threshold, p.min_repeat, None, inputs.database)


SPECS: tuple[SignalSpec, ...] = (SignalSpec(SIGNAL, _compute),)
