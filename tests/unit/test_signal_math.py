"""Signal arithmetic that needs no server: log-odds of phrases, rhythm vectors, near-duplicate text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordgraph.analytics.signals import textsim
from coordgraph.analytics.signals.language import count_ngrams, log_odds_z
from coordgraph.analytics.signals.rhythm import bin_label, rhythm_vectors

T0 = 1_600_000_000_000
S = 1000



def test_log_odds_match_the_formula():
    posts = pd.DataFrame(
        {"account_id": ["a", "a", "b", "c"], "post_id": ["1", "2", "3", "4"],
         "text": ["red fox jumps", "red fox", "blue sky", "red fox blue sky"]}
    )
    counts, ids, phrases, tokens, n_posts = count_ngrams(posts, (1, 2))
    assert sorted(phrases) == sorted(["red", "fox", "jumps", "blue", "sky", "red fox", "fox jumps", "blue sky", "sky red"][:8] + ["fox blue"])
    assert list(tokens) == [5, 2, 4] and list(n_posts) == [2, 1, 1]
    z, delta = log_odds_z(counts, prior_mass=10.0)
    coo = counts.tocoo()
    col = list(phrases).index("red fox")
    row = list(ids).index("a")
    k = [i for i in range(len(coo.data)) if coo.row[i] == row and coo.col[i] == col][0]
    y = np.asarray(counts.sum(axis=0)).ravel()
    total = y.sum()
    n_a = counts[row].sum()
    a_w = 10.0 * y[col] / total
    expected = np.log((2 + a_w) / (n_a + 10 - 2 - a_w)) - np.log((1 + a_w) / (total - n_a + 10 - 1 - a_w))
    assert np.isclose(delta[k], expected)
    assert np.isclose(z[k], expected / np.sqrt(1 / (2 + a_w) + 1 / (1 + a_w)))


def test_rhythm_vectors_remove_the_shared_cycle():
    counts = np.array([[4.0, 0, 0, 0], [0, 4, 0, 0], [1, 1, 1, 1]])
    vectors = rhythm_vectors(counts)
    assert np.allclose(vectors.sum(axis=0), 0)
    assert np.allclose(vectors[0], np.sqrt([1, 0, 0, 0]) - np.mean(np.sqrt([[1, 0, 0, 0], [0, 1, 0, 0], [.25] * 4]), axis=0))
    assert bin_label(0) == "Mon 00h" and bin_label(167) == "Sun 23h" and bin_label(26) == "Tue 02h"


def test_near_duplicate_text():
    talking_point = "The so-called reports about the region are fabricated lies spread by hostile media outlets"
    posts = pd.DataFrame(
        [
            {"eid": "1", "acc": "x", "at": T0, "text": talking_point + " #truth"},
            {"eid": "2", "acc": "y", "at": T0 + S, "text": "@someone " + talking_point.replace("lies", "lies!!") + " https://t.co/abc"},
            {"eid": "3", "acc": "x", "at": T0, "text": "Another copied line: the western media never tell the real story here"},
            {"eid": "4", "acc": "y", "at": T0, "text": "another copied line - the western media never tell the real story here"},
            {"eid": "5", "acc": "z", "at": T0, "text": "I had a lovely walk in the park this afternoon with my dog"},
            {"eid": "6", "acc": "z", "at": T0, "text": "short"},
        ]
    )
    pairs = textsim.near_duplicate_pairs(posts, threshold=0.8, min_repeat=2)
    assert [(r["a"], r["b"], r["count"]) for r in pairs.to_dict("records")] == [("x", "y", 2)]
    assert textsim.near_duplicate_pairs(posts, threshold=0.8, min_repeat=3).empty
