"""Rhythm signal: matching hour-of-week schedules found with GDS kNN versus ordinary daily cycles."""

from __future__ import annotations

import random

import numpy as np

from coordgraph.analytics.signals.rhythm import BINS, hour_of_week_counts, rhythm
from helpers import assert_json_ready

MONDAY = 1_601_856_000_000  # 2020-10-05T00:00Z, a Monday
HOUR = 3_600_000
WEEK = 168 * HOUR

EVENTS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
WITH a, row
CALL (a, row) {
  WITH a, row WHERE row.kind = 'post'
  CREATE (a)-[:POSTED]->(:Tweet {id: row.eid, created_ms: row.at, kind: 'original', author_id: row.acc})
}
CALL (a, row) {
  WITH a, row WHERE row.kind = 'retweet'
  MERGE (t:Tweet {id: 'orig-' + toString(row.at % 7)})
  CREATE (a)-[:RETWEETED {id: row.eid, at_ms: row.at}]->(t)
}
"""

# an ordinary daily cycle: quiet at night, busiest in the evening (UTC)
DAILY = [1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 8, 9, 8, 7, 7, 8, 9, 11, 13, 13, 11, 7, 3]


def _scenario(driver):
    rnd = random.Random(3)
    rows = []
    eid = iter(range(10**6))

    def add(acc, hour_of_week):
        at = MONDAY + rnd.randint(0, 7) * WEEK + hour_of_week * HOUR + rnd.randint(0, HOUR - 1)
        rows.append({"acc": acc, "eid": f"e{next(eid)}", "at": at, "kind": rnd.choice(["post", "retweet"])})

    for i in range(40):
        for _ in range(rnd.randint(40, 80)):
            add(f"org{i:02d}", rnd.randrange(7) * 24 + rnd.choices(range(24), weights=DAILY)[0])
    # the network works office hours in UTC+8: weekdays 01-03h UTC
    for i in range(5):
        for _ in range(rnd.randint(30, 50)):
            add(f"net{i}", rnd.randrange(5) * 24 + rnd.choice([1, 1, 2, 2, 3]))
    # a night owl with an unusual rhythm of its own, and nobody like it
    for _ in range(40):
        add("owl", rnd.choice([5, 6]) * 24 + rnd.choice([22, 23]))
    # too few events to have a rhythm, though they fit the network's schedule
    for _ in range(5):
        add("sparse", rnd.randrange(5) * 24 + 2)
    driver.execute_query(EVENTS, rows=rows)
    return rows


def test_matching_schedules_are_paired_via_gds_knn(clean_db):
    _scenario(clean_db)
    result = rhythm(clean_db)
    assert_json_ready(result)
    net = {f"net{i}" for i in range(5)}
    scores = result.accounts.set_index("account_id")
    assert "sparse" not in scores.index and len(scores) == 46
    assert set(result.accounts["account_id"].head(5)) == net
    assert set(result.pairs["a"]) | set(result.pairs["b"]) == net
    assert len(result.pairs) == 10
    assert (result.pairs["weight"] > result.params["threshold_cosine"]).all()
    assert set(result.pairs.iloc[0]["posts"]) <= {"Mon 01h", "Tue 01h", "Wed 01h", "Thu 01h", "Fri 01h",
                                                  "Mon 02h", "Tue 02h", "Wed 02h", "Thu 02h", "Fri 02h",
                                                  "Mon 03h", "Tue 03h", "Wed 03h", "Thu 03h", "Fri 03h"}
    detail = scores.loc["net1", "detail"]
    assert detail["best_neighbour"] in net and detail["best_cosine"] > 0.5
    assert set(detail["neighbours_above_threshold"]) == net - {"net1"}
    assert scores.loc["owl", "detail"]["neighbours_above_threshold"] == []
    assert scores.loc["owl", "detail"]["peak_hours"].keys() <= {"Sat 22h", "Sat 23h", "Sun 22h", "Sun 23h"}
    # the temporary GDS graph is gone
    left = clean_db.execute_query("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n").records[0]["n"]
    assert left == 0




def test_hour_of_week_counts_are_one_pass_totals_per_account(clean_db):
    rows = _scenario(clean_db)
    clean_db.execute_query("MERGE (t:Account:Target {id: 'amb'}) CREATE (t)-[:POSTED]->(:Tweet {id: 'tp', created_ms: $at})",
                           at=MONDAY)
    ids, counts = hour_of_week_counts(clean_db)
    expected: dict[str, np.ndarray] = {}
    for r in rows:
        expected.setdefault(r["acc"], np.zeros(BINS))[((r["at"] - MONDAY) // HOUR) % BINS] += 1
    assert list(ids) == sorted(expected)  # the target is left out
    for acc, row in zip(ids, counts):
        assert np.array_equal(row, expected[acc]), acc
