"""The toolkit-compatible mode on twarc2 input: coordination-network-toolkit reads Twitter JSON times from the post
ids (snowflake milliseconds) and compares them unrounded, so a pair 60.05 s apart is outside a 60 s window even
though created_at (whole seconds) puts it 60 s apart. Expected edges come from a pandas reading of the toolkit's
co-retweet query over the file's own rows, not from the graph."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import orjson
import pandas as pd
import pytest

from coordgraph.analytics.signals import coaction
from coordgraph.ingest import ingest_paths
from helpers import wipe

SNOWFLAKE_EPOCH_MS = 1288834974657
T0 = int(datetime(2021, 3, 1, tzinfo=timezone.utc).timestamp() * 1000)


def _snowflake(ms: int, seq: int) -> str:
    return str(((ms - SNOWFLAKE_EPOCH_MS) << 22) | seq)


def _iso_second(ms: int) -> str:  # the API's created_at: whole seconds
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _retweets() -> list[tuple[str, str, int]]:
    """(account, original, ms): boundary cases, then a seeded crowd on a few originals."""
    rows = [("a", "o1", 10_900), ("b", "o1", 70_950),     # 60.05 s apart: outside; created_at says 60 s
            ("c", "o1", 100_100), ("d", "o1", 160_050),   # 59.95 s: inside
            ("e", "o1", 200_000), ("f", "o1", 260_999),   # 60.999 s: outside
            ("g", "o1", 400_000), ("g", "o1", 405_500)]   # one account twice: a self-loop
    rng = random.Random(11)
    rows += [(f"u{rng.randrange(40)}", f"o{rng.randrange(2, 6)}", rng.randrange(0, 1_800_000)) for _ in range(400)]
    return rows


def _write_page(path, rows) -> pd.DataFrame:
    originals = {o: {"id": _snowflake(T0 - 3_600_000, i), "author_id": "999", "text": f"original {o}",
                     "created_at": _iso_second(T0 - 3_600_000)} for i, o in enumerate(sorted({r[1] for r in rows}))}
    data, table = [], []
    for seq, (account, original, ms) in enumerate(rows, start=100):
        tid = _snowflake(T0 + ms, seq)
        data.append({"id": tid, "author_id": account, "created_at": _iso_second(T0 + ms), "text": "RT",
                     "referenced_tweets": [{"type": "retweeted", "id": originals[original]["id"]}]})
        table.append({"message_id": tid, "user_id": account, "repost_id": originals[original]["id"],
                      "timestamp": (int(tid) >> 22) / 1000})  # the toolkit's own timestamp of a v2 tweet
    page = {"data": data, "includes": {"tweets": list(originals.values()),
                                       "users": [{"id": u, "username": f"user_{u}"} for u in {r[0] for r in rows} | {"999"}]},
            "__twarc": {"retrieved_at": "2021-03-02T00:00:00+00:00"}}
    path.write_bytes(orjson.dumps(page) + b"\n")
    return pd.DataFrame(table)


def toolkit_co_retweet(edge: pd.DataFrame, window_s: float, min_weight: int = 1) -> dict[tuple[str, str], int]:
    """The toolkit's co-retweet query: rows of two events on one reposted post (different messages), timestamps
    at most the window apart; weight = distinct messages of user_1."""
    pairs = edge.merge(edge, on="repost_id", suffixes=("_1", "_2"))
    pairs = pairs[(pairs["message_id_1"] != pairs["message_id_2"])
                  & ((pairs["timestamp_2"] - pairs["timestamp_1"]).abs() <= window_s)]
    weights = pairs.groupby(["user_id_1", "user_id_2"])["message_id_1"].nunique()
    return {k: int(v) for k, v in weights.items() if v >= min_weight}


@pytest.fixture(scope="module")
def loaded(driver, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cnt-clock")
    wipe(driver)
    table = _write_page(folder / "page.jsonl", _retweets())
    summary = ingest_paths(driver, [folder / "page.jsonl"], rejects_dir=folder, progress=False)
    assert summary.rejected == 0 and summary.events == len(table)
    yield driver, table
    wipe(driver)


@pytest.mark.parametrize("window", [60, 30])
def test_cnt_mode_equals_the_toolkit_on_twarc2_times(loaded, window):
    driver, table = loaded
    expected = toolkit_co_retweet(table, window)
    got = coaction.peer_edges(driver, "cnt", "co_retweet", window_s=window, min_weight=1)
    assert {(r.user_1, r.user_2): int(r.weight) for r in got.itertuples()} == expected
    # the case is exercised: comparing created_at's whole seconds would add pairs the toolkit does not have
    floored = toolkit_co_retweet(table.assign(timestamp=table["timestamp"] // 1), window)
    assert set(floored) - set(expected)
    if window == 60:
        assert ("a", "b") not in expected and ("c", "d") in expected and ("e", "f") not in expected
        assert expected[("g", "g")] == 2


def test_cnt_mode_minimum_weight(loaded):
    driver, table = loaded
    got = coaction.peer_edges(driver, "cnt", "co_retweet", window_s=60, min_weight=3)
    expected = toolkit_co_retweet(table, 60, 3)
    assert expected and {(r.user_1, r.user_2): int(r.weight) for r in got.itertuples()} == expected
