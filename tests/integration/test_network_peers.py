"""CooRTweet-compatible edges on the peer's own sample at windows and minimums nobody tuned to, checked against
the pandas reading of the R package (itself checked against the package's outputs in tests/unit)."""

from __future__ import annotations

import pandas as pd
import pytest

import coortweet_reference as ref
from coordgraph.analytics import coaction
from test_detect_fixtures import load_coortweet_csv

EDGE_KEY = ["from", "to"]


@pytest.fixture(scope="module")
def russian_rows(shared_data):
    return ref.read_input(shared_data / "coortweet" / "russian_coord_tweets.csv")


@pytest.fixture(scope="module")
def russian_db(driver, shared_data):
    from conftest import wipe

    wipe(driver)
    load_coortweet_csv(driver, shared_data / "coortweet" / "russian_coord_tweets.csv")
    yield driver
    wipe(driver)


def _ours(driver, window, mp, loops=True):
    return coaction.peer_edges(driver, "coortweet", window_s=window, min_participation=mp, remove_loops=loops)


@pytest.mark.parametrize("window,mp", [(60, 3), (120, 4), (30, 2), (45, 5)])
def test_coortweet_compat_equals_reference(russian_db, russian_rows, window, mp):
    expected = ref.network_edges(ref.detect_groups(russian_rows, window, mp)).set_index(EDGE_KEY).sort_index()
    got = _ours(russian_db, window, mp).set_index(EDGE_KEY).sort_index()
    assert list(got.index) == list(expected.index)
    for column in ("weight", "avg_time_delta", "weight_threshold"):
        assert (got[column].to_numpy() == pytest.approx(expected[column].to_numpy())), column
    # the two sides' content counts differ only where shares at the same second are ordered differently (the
    # peer takes its input row order, which a graph does not keep); their sum never does
    assert (got["n_content_id"] + got["n_content_id_y"]).tolist() == (expected["n_content_id"] + expected["n_content_id_y"]).tolist()


def test_content_ids_on_two_objects_count_as_two_rows(russian_db, russian_rows):
    """The case that differed: accounts whose content ids each appear on two objects. Counting them once per
    content id (as the graph's unique retweet ids would) loses exactly the peer's extra edges."""
    repeated = russian_rows[russian_rows.duplicated(["account_id", "content_id"], keep=False)]
    repeaters = set(repeated["account_id"])
    once = russian_rows.drop_duplicates(["account_id", "content_id"])
    for window, mp in ((60, 3), (120, 4)):
        peer = ref.network_edges(ref.detect_groups(russian_rows, window, mp))
        counted_once = ref.network_edges(ref.detect_groups(once, window, mp))
        lost = set(map(tuple, peer[EDGE_KEY].to_numpy())) - set(map(tuple, counted_once[EDGE_KEY].to_numpy()))
        assert len(lost) == 3 and all(a in repeaters or b in repeaters for a, b in lost)
        got = _ours(russian_db, window, mp)
        assert lost <= set(map(tuple, got[EDGE_KEY].to_numpy()))
        assert len(got) == len(peer)


def test_time_range_bounds_the_rows(russian_db, russian_rows):
    since, until = 1_611_500_000, 1_612_200_000
    inside = russian_rows[(russian_rows.timestamp_share >= since) & (russian_rows.timestamp_share < until)]
    expected = ref.network_edges(ref.detect_groups(inside, 60, 3))
    got = coaction.peer_edges(russian_db, "coortweet", window_s=60, min_participation=3,
                              since_ms=since * 1000, until_ms=until * 1000)
    assert 0 < len(got) < len(_ours(russian_db, 60, 3))
    assert set(map(tuple, got[EDGE_KEY].to_numpy())) == set(map(tuple, expected[EDGE_KEY].to_numpy()))
    assert got["first_s"].min() >= since and got["last_s"].max() < until
