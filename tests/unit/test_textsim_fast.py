"""Near-duplicate text without a database: the compiled MinHash path finds exactly the pairs of the definition."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from coordgraph.analytics.signals import textsim

WORDS = ("the embassy ambassador friendship our peoples cooperation lies media western truth reports region hostile "
         "fabricated story real never tell support proud trade future partners win great wonderful").split()


def _texts(rng: np.random.Generator, n_templates: int = 40, copies: int = 6) -> list[str]:
    """Templates and copies with small edits (a word swapped, dropped or added), plus unrelated texts."""
    out = []
    for _ in range(n_templates):
        base = list(rng.choice(WORDS, int(rng.integers(8, 16))))
        out.append(" ".join(base))
        for _ in range(copies):
            words = list(base)
            for _ in range(int(rng.integers(0, 3))):
                at = int(rng.integers(0, len(words)))
                op = rng.integers(0, 3)
                if op == 0:
                    words[at] = str(rng.choice(WORDS))
                elif op == 1 and len(words) > 3:
                    del words[at]
                else:
                    words.insert(at, str(rng.choice(WORDS)))
            out.append(" ".join(words))
    out += ["ab", "abcde", "abcdef", "é€😀xy", "x" * 30]
    return sorted(set(out))


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def test_shingle_ids_are_the_shingle_sets():
    texts = ["hello world", "abc", "", "abcde", "abcdef", "é€😀xyz€😀", "hello world"]
    row, shingle = textsim.shingle_ids(texts)
    for r, text in enumerate(texts):
        assert (row == r).sum() == len(textsim.shingles(text))
    # equal shingles get equal ids across texts, different ones different ids
    by_text = [set(shingle[row == r].tolist()) for r in range(len(texts))]
    assert by_text[0] == by_text[6]
    assert len(by_text[4] & by_text[3]) == 1  # "abcde"
    assert not by_text[1] & by_text[3]  # "abc" (the whole text) is not the 5-gram "abcde"


def test_intersection_sizes_are_the_shared_shingles_in_every_chunk():
    texts = _texts(np.random.default_rng(5), n_templates=6, copies=3)
    row, shingle = textsim.shingle_ids(texts)
    offsets = np.searchsorted(row, np.arange(len(texts) + 1))
    i, j = (np.array(x, dtype=np.int64) for x in zip(*itertools.combinations(range(len(texts)), 2)))
    sets = [set(shingle[row == r].tolist()) for r in range(len(texts))]
    exact = [len(sets[a] & sets[b]) for a, b in zip(i.tolist(), j.tolist())]
    assert sum(x > 0 for x in exact) > 20
    for chunk in (7, 100_000):  # several chunks of pairs, and one
        assert textsim._intersection_sizes(row, shingle, offsets, i, j, chunk=chunk).tolist() == exact


def test_similar_texts_equal_every_pair_checked_exactly():
    texts = _texts(np.random.default_rng(3))
    sets = [textsim.shingles(t) for t in texts]
    exact = {(i, j) for i, j in itertools.combinations(range(len(texts)), 2) if _jaccard(sets[i], sets[j]) >= 0.8}
    found = {tuple(p) for p in textsim.similar_texts(texts, threshold=0.8).tolist()}
    assert len(exact) > 50
    assert found == exact
    looser = {(i, j) for i, j in itertools.combinations(range(len(texts)), 2) if _jaccard(sets[i], sets[j]) >= 0.6}
    assert {tuple(p) for p in textsim.similar_texts(texts, threshold=0.6).tolist()} == looser


def test_near_duplicate_pairs_equal_the_post_by_post_definition():
    rng = np.random.default_rng(5)
    texts = _texts(rng, n_templates=15, copies=4)
    accounts = [f"acc{i}" for i in range(12)]
    posts = pd.DataFrame({
        "eid": [f"p{i}" for i in range(len(texts) * 2)],
        "acc": rng.choice(accounts, len(texts) * 2),
        "at": rng.integers(0, 3_600_000, len(texts) * 2),
        "text": [("@x " + t + " https://t.co/z") for t in texts] * 2,
    })
    got = textsim.near_duplicate_pairs(posts, threshold=0.8, min_repeat=2)
    # reference: every pair of posts by different accounts, normalised texts of 20+ characters, exact Jaccard
    norm = {r.eid: textsim.normalise(r.text) for r in posts.itertuples()}
    linked: dict[tuple[str, str], set[str]] = {}
    for x, y in itertools.combinations(posts.itertuples(), 2):
        if x.acc == y.acc or len(norm[x.eid]) < 20 or len(norm[y.eid]) < 20:
            continue
        if _jaccard(textsim.shingles(norm[x.eid]), textsim.shingles(norm[y.eid])) >= 0.8:
            a, b = sorted((x.acc, y.acc))
            linked.setdefault((a, b), set()).update((x.eid, y.eid))
    owner = dict(zip(posts["eid"], posts["acc"]))
    expected = {}
    for (a, b), eids in linked.items():
        count = min(sum(owner[e] == a for e in eids), sum(owner[e] == b for e in eids))
        if count >= 2:
            expected[(a, b)] = (count, sorted(eids)[:50])
    assert len(expected) > 5
    assert {(r.a, r.b): (r.count, r.posts) for r in got.itertuples()} == expected
    at = dict(zip(posts["eid"], posts["at"]))
    for r in got.itertuples():
        eids = linked[(r.a, r.b)]
        assert (r.first_at, r.last_at) == (min(at[e] for e in eids), max(at[e] for e in eids))
