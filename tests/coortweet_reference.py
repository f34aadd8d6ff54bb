"""CooRTweet 2.1.3's ``detect_groups`` and ``generate_coordinated_network`` re-read in pandas, for the tests.

An independent reading of the R source (R/detect_groups.R, R/calc_group_combinations.R,
R/generate_coordinated_network.R at commit d31a008), working on the peer's own input rows (``object_id,
account_id, content_id, timestamp_share``), not on the graph. The tests check it against the peer's own outputs
where the shared data has them, then use it where it has not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def detect_groups(x: pd.DataFrame, time_window: int, min_participation: int, remove_loops: bool = True) -> pd.DataFrame:
    """Share pairs ``object_id, content_id, content_id_y, time_delta, account_id, account_id_y``."""
    x = x.reset_index(drop=True)
    # pre-filter: accounts with at least min_participation input rows
    x = x[x.groupby("account_id")["account_id"].transform("size") >= min_participation].reset_index(drop=True)
    # every unordered pair of rows on one object (row order kept: the lower row is content_id) within the window
    x = x.assign(row=np.arange(len(x)))
    pairs = x.merge(x, on="object_id", suffixes=("", "_y"))
    pairs = pairs[pairs["row"] < pairs["row_y"]]
    pairs = pairs.assign(time_delta=pairs["timestamp_share"] - pairs["timestamp_share_y"])
    pairs = pairs[pairs["time_delta"].abs() <= time_window]
    if remove_loops:
        pairs = pairs[(pairs["object_id"] != pairs["content_id"]) & (pairs["object_id"] != pairs["content_id_y"])]
        pairs = pairs[(pairs["content_id"] != pairs["content_id_y"]) & (pairs["account_id"] != pairs["account_id_y"])]
    if min_participation >= 1:
        # rows of the (pre-filtered) input whose content id is in a pair, counted per account
        content_ids = set(pairs["content_id"]) | set(pairs["content_id_y"])
        rows = x[x["content_id"].isin(content_ids)]
        rows = rows[rows.groupby("account_id")["account_id"].transform("size") >= min_participation]
        kept = set(rows["content_id"])
        pairs = pairs[pairs["content_id"].isin(kept) | pairs["content_id_y"].isin(kept)]
    swap = pairs["time_delta"] > 0
    out = pairs.copy()
    for a, b in (("content_id", "content_id_y"), ("account_id", "account_id_y")):
        out.loc[swap, a], out.loc[swap, b] = pairs.loc[swap, b].to_numpy(), pairs.loc[swap, a].to_numpy()
    out["time_delta"] = out["time_delta"].abs()
    return out[["object_id", "content_id", "content_id_y", "time_delta", "account_id", "account_id_y"]].reset_index(drop=True)


def network_edges(groups: pd.DataFrame) -> pd.DataFrame:
    """``generate_coordinated_network`` edges: ``from, to, weight, avg_time_delta, n_content_id, n_content_id_y,
    edge_symmetry_score, weight_threshold`` (edge_weight 0.5)."""
    g = groups.assign(
        a=np.minimum(groups["account_id"], groups["account_id_y"]),
        b=np.maximum(groups["account_id"], groups["account_id_y"]),
    )
    edges = g.groupby(["a", "b"]).agg(
        weight=("time_delta", "size"),
        avg_time_delta=("time_delta", "mean"),
        n_content_id=("content_id", "nunique"),
        n_content_id_y=("content_id_y", "nunique"),
    ).reset_index().rename(columns={"a": "from", "b": "to"})
    edges["edge_symmetry_score"] = edges[["n_content_id", "n_content_id_y"]].min(axis=1) / edges[
        ["n_content_id", "n_content_id_y"]].max(axis=1)
    threshold = np.quantile(edges["weight"], 0.5) if len(edges) else 0
    edges["weight_threshold"] = (edges["weight"] > threshold).astype(int)
    return edges


def read_input(path, object_column: str = "object_id", content_column: str = "content_id",
               time_column: str = "timestamp_share") -> pd.DataFrame:
    """Rows of a CSV with a non-empty ``object_column`` as the peer's four input columns."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw[raw[object_column] != ""]
    return pd.DataFrame({
        "object_id": raw[object_column].to_numpy(),
        "account_id": raw["account_id"].to_numpy(),
        "content_id": raw[content_column].to_numpy(),
        "timestamp_share": raw[time_column].astype(np.int64).to_numpy(),
    })
