"""Near-duplicate text signal speed: before (datasketch MinHash in Python over every reply and quote) and after
(compiled MinHash, texts of the accounts engaging the targets). Prints figures; not a test.

A generated scenario (organic reply threads, fans, the network's templated replies) is loaded through the real
ingest (skipped with ``--reuse`` when the database already holds it), then:

- *before*: the previous implementation (datasketch, 64 permutations, its own band choice, exact check of the
  candidates) over every reply and quote in the graph;
- *after, all texts*: :func:`coordgraph.analytics.textsim.near_duplicate_pairs` over the same texts;
- *after*: the signal as ``detect`` runs it (:func:`coordgraph.analytics.textsim.near_duplicate`, texts of the
  accounts engaging the targets), read included.

The text pairs each finds are compared with each other and (``--exhaustive``, for moderate sizes) with the
exact definition (every pair of distinct texts, Jaccard of 5-gram sets >= 0.8, from a sparse product).

Usage: python benchmarks/near_duplicate_speed.py [--seed 7] [--scale 1.0] [--reuse] [--exhaustive]
Needs a Neo4j + GDS reachable through NEO4J_URI/NEO4J_PASSWORD (or the managed server); it wipes the database
unless ``--reuse``; the *before* timing needs ``pip install -e '.[bench]'`` (datasketch).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from coordgraph import db
from coordgraph.analytics.signals import textsim
from coordgraph.analytics.signals.spec import engaging_texts
from coordgraph.config import resolve_connection
from coordgraph.ingest import ingest_paths
from coordgraph.ingest.targets import add_targets
from coordgraph.synth import generate


def distinct_texts(posts: pd.DataFrame, min_chars: int = 20) -> list[str]:
    norm = {textsim.normalise(t) for t in posts["text"] if isinstance(t, str)}
    return sorted(t for t in norm if len(t) >= min_chars)


def before_pairs(texts: list[str], threshold: float = 0.8) -> set[tuple[int, int]]:
    """The previous candidate step: datasketch MinHash (64 permutations) + MinHashLSH, exact check after."""
    from datasketch import MinHash, MinHashLSH

    sets = [textsim.shingles(t) for t in texts]
    hashes = MinHash.bulk([[x.encode("utf-8") for x in s] for s in sets], num_perm=64, seed=1)
    lsh = MinHashLSH(threshold=threshold, num_perm=64)
    with lsh.insertion_session() as session:
        for i, mh in enumerate(hashes):
            session.insert(i, mh)
    found = set()
    for i, mh in enumerate(hashes):
        for j in lsh.query(mh):
            if j > i:
                inter = len(sets[i] & sets[j])
                if inter / (len(sets[i]) + len(sets[j]) - inter) >= threshold:
                    found.add((i, j))
    return found


def exhaustive_pairs(texts: list[str], threshold: float = 0.8) -> set[tuple[int, int]]:
    """The definition itself: every pair of texts, exact Jaccard of the shingle sets."""
    sets = [textsim.shingles(t) for t in texts]
    codes, _ = pd.factorize(pd.Series([s for ss in sets for s in ss], dtype=object))
    sizes = np.array([len(s) for s in sets])
    rows = np.repeat(np.arange(len(sets)), sizes)
    matrix = sparse.csr_matrix((np.ones(len(codes), np.int32), (rows, codes)), shape=(len(sets), int(codes.max()) + 1))
    inter = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    jaccard = inter.data / (sizes[inter.row] + sizes[inter.col] - inter.data)
    keep = jaccard >= threshold
    return set(zip(inter.row[keep].tolist(), inter.col[keep].tolist()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--scale", type=float, default=1.0, help="generator scale (1.0: about 150k events)")
    parser.add_argument("--difficulty", default="hard", help="generator level")
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is (already loaded)")
    parser.add_argument("--exhaustive", action="store_true", help="also compare with every pair of texts (quadratic)")
    args = parser.parse_args()
    driver = db.connect(resolve_connection())
    if not args.reuse:
        with tempfile.TemporaryDirectory() as tmp:
            scenario = generate(Path(tmp), seed=args.seed, scale=args.scale, difficulty=args.difficulty)
            with driver.session() as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            t0 = time.perf_counter()
            ingest_paths(driver, scenario.ingest_paths, progress=False)
            add_targets(driver, scenario.target_handles)
            print(f"scenario seed {args.seed}, scale {args.scale}: {scenario.counts['events']:,} events, "
                  f"loaded in {time.perf_counter() - t0:.0f} s")

    t0 = time.perf_counter()
    posts = pd.DataFrame(textsim.text_rows(engaging_texts(driver, engaging_only=False)), columns=["eid", "acc", "at", "text"])
    read_all = time.perf_counter() - t0
    texts = distinct_texts(posts)
    print(f"replies and quotes: {len(posts):,} ({len(texts):,} distinct normalised texts of 20+ characters), read in {read_all:.1f} s")

    try:
        t0 = time.perf_counter()
        old = before_pairs(texts)
        old_s = time.perf_counter() - t0
        print(f"before  datasketch, every text:         {old_s:7.1f} s (+ read {read_all:.1f} s)  text pairs {len(old):,}")
    except ImportError:
        old = None
        print("before  (datasketch not installed: pip install -e '.[bench]')")

    t0 = time.perf_counter()
    new = {tuple(p) for p in textsim.similar_texts(texts).tolist()}
    new_texts_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    every = textsim.near_duplicate_pairs(posts)
    new_all_s = time.perf_counter() - t0
    print(f"after   compiled MinHash, every text:    {new_all_s:7.1f} s (+ read {read_all:.1f} s)  text pairs {len(new):,} "
          f"(candidate step and check alone {new_texts_s:.1f} s), account pairs {len(every):,}")
    t0 = time.perf_counter()
    signal = textsim.near_duplicate(driver)
    signal_s = time.perf_counter() - t0
    engaged = signal.pairs
    print(f"after   as detect runs it (engaging the targets, read included): {signal_s:7.1f} s  account pairs {len(engaged):,}")
    if old is not None:
        speedup = (old_s + read_all) / signal_s if signal_s else float("nan")
        print(f"ratio before / after (as detect runs it): {speedup:.1f}x; text pairs only before {len(old - new)}, only after {len(new - old)}")
    kept = set(map(tuple, every[["a", "b"]].to_numpy().tolist()))
    same = set(map(tuple, engaged[["a", "b", "count"]].to_numpy().tolist())) <= set(map(tuple, every[["a", "b", "count"]].to_numpy().tolist()))
    print(f"account pairs of the engaging accounts equal to those over every text: {same} ({len(kept):,} over every text)")
    if args.exhaustive:
        t0 = time.perf_counter()
        exact = exhaustive_pairs(texts)
        print(f"exhaustive definition: {len(exact):,} text pairs ({time.perf_counter() - t0:.1f} s); after misses {len(exact - new)}, "
              f"before misses {len(exact - old) if old is not None else 'n/a'}")
    driver.close()


if __name__ == "__main__":
    main()
