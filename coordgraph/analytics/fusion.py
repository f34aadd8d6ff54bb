"""Fusion and calibration: the signals' pairs become one weighted evidence graph.

Co-action pairs are kept only where their surprise passes a threshold derived from the time-resampled null
(:func:`calibrate`); every signal's weights are put on one scale and the corroborating signals' pairs are kept
only where a calibrated co-action edge links the pair (:func:`fuse`). Everything here works on DataFrames and
plain dicts; nothing reads or writes the database.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import cluster_effect, statistics
from .signals import COACTION, SignalResult

EDGE_COLUMNS = ["a", "b", "signal", "weight", "raw_weight", "count", "first_at", "last_at", "posts", "expected", "fast_count"]


def fuse(results: dict[str, SignalResult], weight_quantile: float, max_posts: int) -> pd.DataFrame:
    """Evidence edges of every signal (columns :data:`EDGE_COLUMNS`) with comparable weights: a signal's weight
    is its raw strength over its ``weight_quantile`` quantile, capped at 1; corroborating pairs are kept only where
    a co-action signal links the pair; at most ``max_posts`` posts per edge."""
    parts = []
    for name, result in results.items():
        pairs = result.pairs
        if pairs is None or pairs.empty:
            continue
        frame = pairs[["a", "b", "weight", "count", "first_at", "last_at", "posts"]].copy()
        frame["expected"] = pairs["expected"].astype(float) if "expected" in pairs else np.nan
        frame["fast_count"] = pairs["fast_count"] if "fast_count" in pairs else np.nan  # the nested window's count
        frame["signal"] = name
        frame["raw_weight"] = frame["weight"].astype(float)
        ref = float(np.quantile(frame["raw_weight"], weight_quantile)) if len(frame) else 1.0
        frame["weight"] = np.clip(frame["raw_weight"] / (ref if ref > 0 else 1.0), 0.0, 1.0)
        frame["primary"] = name in COACTION
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    edges = pd.concat(parts, ignore_index=True)
    primary = edges[edges["signal"].isin(COACTION)]
    linked = {tuple(sorted(p)) for p in zip(primary["a"], primary["b"])}
    corroborating = np.fromiter((tuple(sorted(p)) in linked for p in zip(edges["a"], edges["b"])), dtype=bool, count=len(edges))
    keep = edges["primary"].to_numpy(dtype=bool) | corroborating
    edges = edges[keep].drop(columns=["primary"]).reset_index(drop=True)
    edges["count"] = edges["count"].fillna(0).astype(int)
    edges["posts"] = [[str(p) for p in (v if isinstance(v, (list, tuple, np.ndarray)) else [])][: max_posts] for v in edges["posts"]]
    edges["raw_weight"] = edges["raw_weight"].astype(float)
    edges["weight"] = edges["weight"].astype(float)
    # one order whatever order the signals listed their pairs in: the evidence's ties (dossiers) follow it
    return edges.sort_values(["a", "b", "signal"], kind="stable").reset_index(drop=True)[EDGE_COLUMNS]


def edge_rows(edges: pd.DataFrame) -> list[dict[str, Any]]:
    """Edges as plain dicts for the driver (ints stay ints; missing times are None)."""
    rows = []
    for e in edges.to_dict("records"):
        for col in ("first_at", "last_at"):
            v = e[col]
            e[col] = None if v is None or (isinstance(v, float) and np.isnan(v)) else int(v)
        e["count"] = int(e["count"])
        fast = e.get("fast_count")
        e["fast_count"] = None if fast is None or fast != fast else int(fast)
        e.pop("expected", None)
        e["weight"], e["raw_weight"] = float(e["weight"]), float(e["raw_weight"])
        rows.append(e)
    return rows


def null_events(exports: dict[str, pd.DataFrame], window_s: float) -> list[statistics.SignalEvents]:
    """The co-action events the signals were computed from, prepared for the time-shuffled null."""
    return [null_event(name, frame, window_s) for name, frame in exports.items() if len(frame)]


def null_event(signal: str, frame: pd.DataFrame, window_s: float) -> statistics.SignalEvents:
    """One co-action signal's events (``obj, acc, at[, anchor]``), prepared for the time-shuffled null."""
    return statistics.SignalEvents.from_frame(signal, frame, int(round(window_s * 1000)))


def calibrate(results: dict[str, SignalResult], events: list[statistics.SignalEvents], min_repeat: int, alpha: float,
              n_null_pairs: int, rng: np.random.Generator) -> dict[str, dict]:
    """Keep only the co-action pairs whose surprise passes the null-derived threshold (statistics module).

    Edits ``results`` in place (each calibrated signal's pairs and params); returns each signal's calibration
    record, including the null replicates' edges and the candidate pairs the cluster test needs."""
    out = {}
    for ev in events:
        result = results.get(ev.signal)
        if result is None:
            continue
        # the label permutation, with the timeline shift on small-audience objects without a post time
        cal = cluster_effect.calibrate_pairs_shift(ev, min_repeat, alpha, n_null_pairs, rng)
        rate = cal.pop("rate")
        pairs = result.pairs
        if len(pairs):
            code = {a: i for i, a in enumerate(ev.accounts)}
            a = np.array([code[x] for x in pairs["a"]], dtype=np.int64)
            b = np.array([code[x] for x in pairs["b"]], dtype=np.int64)
            expected, p = statistics.pair_surprise(ev, a, b, pairs["count"].to_numpy(), rate=rate)
            pairs = pairs.assign(expected=expected, surprise_p=p)
            pairs = pairs[pairs["surprise_p"] <= cal["threshold"]].reset_index(drop=True)
        cal["candidate_pairs"] = result.pairs[["a", "b", "count", "posts"]].assign(signal=ev.signal)
        cal["edges_before"] = int(len(result.pairs))
        cal["edges_kept"] = int(len(pairs))
        result.params = {**result.params, "calibration": cal}
        result.pairs = pairs
        out[ev.signal] = cal
    return out


def null_groups(calibration: dict[str, dict]) -> list[np.ndarray]:
    """Surprise of the groups that chance alone forms from passing edges, per null replicate (all co-action
    signals of a replicate together)."""
    replicates = [c["null_edges"] for c in calibration.values() if c.get("null_edges")]
    if not replicates:
        return []
    merged = [pd.concat(parts, ignore_index=True) for parts in zip(*replicates)]
    return statistics.null_component_surprises(merged)
