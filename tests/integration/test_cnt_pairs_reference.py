"""``peer_edges(..., "cnt")`` pairs the exported actions in numpy; ``signals/co_pairs_cnt.cypher`` is the same
definition in Cypher, the reference text investigators rerun. Both must give the same rows (accounts, weights,
first and last seconds) on a real twarc2 sample for every co-action signal, and on a generated crowd of retweets
with ties, self-loops and time bounds."""

from __future__ import annotations

import random

import orjson
import pandas as pd
import pytest

from coordgraph import db
from coordgraph.analytics.signals import coaction
from coordgraph.ingest import ingest_paths
from helpers import wipe

COLUMNS = ["user_1", "user_2", "weight", "first_s", "last_s"]


def _reference(driver, signal, window_s, min_weight, since_ms=None, until_ms=None) -> pd.DataFrame:
    rows = db.read_query(driver, coaction.pairs_query(signal, "signals/co_pairs_cnt"),
                         {"window_s": window_s, "min_weight": min_weight, "since_ms": since_ms, "until_ms": until_ms})
    return _sorted(pd.DataFrame(rows, columns=COLUMNS))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[COLUMNS].astype({"user_1": str, "user_2": str, "weight": "int64", "first_s": "int64", "last_s": "int64"})
    return frame.sort_values(["user_1", "user_2"]).reset_index(drop=True)


@pytest.mark.parametrize("signal", coaction.COACTION_SIGNALS)
def test_real_sample_every_signal_equals_the_cypher_reference(twarc_network_db, signal):
    expected = _reference(twarc_network_db, signal, 60, 1)
    got = _sorted(coaction.peer_edges(twarc_network_db, "cnt", signal, window_s=60, min_weight=1))
    pd.testing.assert_frame_equal(got, expected)
    if signal == "co_retweet":
        assert len(got) > 0  # the sample has these networks; an empty pair of tables would prove nothing


def _crowd(path) -> None:
    """Retweets of four originals by 25 accounts: same-second ties, accounts repeating themselves."""
    rng = random.Random(5)
    epoch = 1288834974657
    base = 1_614_556_800_000  # 2021-03-01
    originals = [{"id": str(((base - 3_600_000 - epoch) << 22) | i), "author_id": "900", "text": f"original {i}",
                  "created_at": "2021-02-28T23:00:00.000Z"} for i in range(4)]
    data = []
    for seq in range(600):
        ms = base + (rng.randrange(0, 900_000) if seq % 7 else 450_000 + rng.randrange(0, 3))
        data.append({"id": str(((ms - epoch) << 22) | seq), "author_id": f"{rng.randrange(25)}", "text": "RT",
                     "created_at": pd.Timestamp(ms // 1000 * 1000, unit="ms", tz="UTC").strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                     "referenced_tweets": [{"type": "retweeted", "id": originals[rng.randrange(4)]["id"]}]})
    page = {"data": data, "includes": {"tweets": originals, "users": [{"id": str(u), "username": f"u{u}"} for u in [*range(25), 900]]}}
    path.write_bytes(orjson.dumps(page) + b"\n")


@pytest.fixture(scope="module")
def crowd(driver, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cnt-crowd")
    wipe(driver)
    _crowd(folder / "page.jsonl")
    assert ingest_paths(driver, [folder / "page.jsonl"], rejects_dir=folder, progress=False).events == 600
    yield driver
    wipe(driver)


@pytest.mark.parametrize("window_s,min_weight,bounds", [
    (60, 1, (None, None)), (10, 2, (None, None)), (0, 1, (None, None)),
    (30, 1, (1_614_556_800_000 + 200_000, 1_614_556_800_000 + 600_000)),
])
def test_generated_crowd_equals_the_cypher_reference(crowd, window_s, min_weight, bounds):
    since_ms, until_ms = bounds
    expected = _reference(crowd, "co_retweet", window_s, min_weight, since_ms, until_ms)
    got = _sorted(coaction.peer_edges(crowd, "cnt", "co_retweet", window_s=window_s, min_weight=min_weight,
                                      since_ms=since_ms, until_ms=until_ms))
    assert len(expected) > 0 and (expected["user_1"] == expected["user_2"]).any()
    pd.testing.assert_frame_equal(got, expected)


def _odd_ids(path) -> None:
    """CooRTweet rows whose content ids take every shape the toolkit's time rule tells apart: snowflakes of the
    same second as the share (placed at their millisecond) or of another second, ids with a leading zero, short
    decimals, text, and content ids on two objects (stored as '<content id>#<object id>' beyond the first)."""
    rng = random.Random(11)
    epoch, base = 1288834974657, 1_614_556_800_000
    rows = ["object_id,account_id,content_id,timestamp_share"]
    for seq in range(400):
        ms = base + rng.randrange(0, 240_000)
        shape = seq % 6
        flake = ((ms - epoch) << 22) | seq
        content = {0: str(flake), 1: str(flake), 2: f"0{flake}", 3: str(1000 + seq), 4: f"c-{seq}", 5: str(flake)}[shape]
        second = ms // 1000 + (7 if shape == 1 else 0)  # shape 1: a snowflake of another second than the share's
        first = rng.randrange(3)
        objects = [first] + ([(first + 1 + rng.randrange(2)) % 3] if shape == 5 else [])
        for obj in objects:
            rows.append(f"o{obj},a{rng.randrange(8)},{content},{second}")
    path.write_text("\n".join(rows) + "\n")


def test_content_ids_of_every_shape_equal_the_cypher_reference(driver, tmp_path):
    wipe(driver)
    _odd_ids(tmp_path / "shares.csv")
    try:
        ingest_paths(driver, [tmp_path / "shares.csv"], rejects_dir=tmp_path, progress=False)
        stored = db.read_query(driver, "MATCH ()-[r:RETWEETED]->() WHERE r.id CONTAINS '#' RETURN count(*) AS n", {})
        assert stored[0]["n"] > 0  # content ids on two objects are there
        for window_s, min_weight in ((60, 1), (2, 1), (0, 1)):
            expected = _reference(driver, "co_retweet", window_s, min_weight)
            got = _sorted(coaction.peer_edges(driver, "cnt", "co_retweet", window_s=window_s, min_weight=min_weight))
            assert len(expected) > 0
            pd.testing.assert_frame_equal(got, expected)
    finally:
        wipe(driver)
