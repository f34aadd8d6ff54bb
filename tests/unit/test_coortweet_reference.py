"""The pandas reading of CooRTweet used as a reference by the peer tests equals the R package's own outputs."""

from __future__ import annotations

import coortweet_reference as ref
import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="module")
def russian_rows(shared_data):
    return ref.read_input(shared_data / "coortweet" / "russian_coord_tweets.csv")


@pytest.mark.parametrize("loops", ["TRUE", "FALSE"])
def test_reference_equals_r_package_outputs(russian_rows, shared_data, loops):
    r_out = shared_data / "coortweet" / "peer-outputs" / "coortweet-r"
    groups = ref.detect_groups(russian_rows, 10, 5, remove_loops=loops == "TRUE")
    expected_groups = pd.read_csv(r_out / f"detect_groups_mp5_tw10_remove_loops_{loops}.csv", dtype=str)
    key = ["object_id", "content_id", "content_id_y", "account_id", "account_id_y"]
    assert sorted(map(tuple, groups[key].to_numpy())) == sorted(map(tuple, expected_groups[key].to_numpy()))
    edges = ref.network_edges(groups).set_index(["from", "to"]).sort_index()
    expected = pd.read_csv(r_out / f"network_edges_mp5_tw10_remove_loops_{loops}.csv", dtype={"from": str, "to": str})
    expected["from"], expected["to"] = np.minimum(expected["from"], expected["to"]), np.maximum(expected["from"], expected["to"])
    expected = expected.set_index(["from", "to"]).sort_index()
    assert list(edges.index) == list(expected.index) and len(edges) == (20 if loops == "TRUE" else 27)
    pd.testing.assert_frame_equal(edges[expected.columns], expected, check_dtype=False)
