"""Creation bursts and dormancy -> activation on small hand-built graphs."""

from __future__ import annotations

import pandas as pd

from coordgraph.analytics.signals.lifecycle import creation_bursts, dormancy_activation
from helpers import assert_json_ready

DAY = 86_400_000
MIN = 60_000
T0 = 1_500_000_000_000  # 2017-07-14T02:40Z
MIDNIGHT = T0 // DAY * DAY

ACCOUNTS = """
UNWIND $rows AS row
CREATE (a:Account {id: row.id, username: row.id, username_lc: row.id, created_ms: row.created,
                   created_at: datetime({epochMillis: row.created})})
WITH a, row
UNWIND range(0, size(row.posts) - 1) AS i
CREATE (a)-[:POSTED]->(:Tweet {id: row.id + '-' + i, created_ms: row.posts[i], kind: 'original', author_id: row.id,
                               text: 'hello', stub: false})
"""


def _load(driver, rows):
    driver.execute_query(ACCOUNTS, rows=rows)


def test_creation_burst_found_and_spread_accounts_ignored(clean_db):
    rows = []
    # 50 organic accounts spread over ~4 years (one about every 29 days, with an irregular offset)
    for i in range(50):
        created = T0 + i * 29 * DAY + (i * 7919 % 1440) * MIN
        rows.append({"id": f"org{i:02d}", "created": created, "posts": [T0 + 1500 * DAY + i * MIN]})
    # 5 accounts created inside 3 minutes
    burst_at = T0 + 700 * DAY + 13 * 60 * MIN + 17_000
    for i in range(5):
        rows.append({"id": f"net{i}", "created": burst_at + i * 40_000, "posts": [T0 + 1500 * DAY + i * MIN]})
    # two organic accounts created 5 minutes apart: a coincidence, too small to be a burst
    rows.append({"id": "twinA", "created": T0 + 300 * DAY + 5, "posts": [T0 + 1600 * DAY]})
    rows.append({"id": "twinB", "created": T0 + 300 * DAY + 5 * MIN, "posts": [T0 + 1600 * DAY]})
    # created inside the burst window but never active: excluded by active_only
    rows.append({"id": "idle", "created": burst_at + 60_000, "posts": []})
    _load(clean_db, rows)

    result = creation_bursts(clean_db)
    assert_json_ready(result)
    net = {f"net{i}" for i in range(5)}
    assert set(result.accounts["account_id"]) == net
    assert set(map(tuple, result.pairs[["a", "b"]].to_numpy())) == {(a, b) for a in net for b in net if a < b}
    assert (result.accounts["score"] > 5).all()
    detail = result.accounts.set_index("account_id").loc["net0", "detail"]
    assert detail["burst_size"] == 5 and detail["resolution"] == "minute"
    assert set(detail["peers"]) == net - {"net0"}
    assert detail["p_value"] < 1e-6
    assert result.params["window_minutes"] == 10

    with_idle = creation_bursts(clean_db, active_only=False)
    assert "idle" in set(with_idle.accounts["account_id"])


def test_creation_day_spike_when_only_dates_are_known(clean_db):
    rows = []
    for i in range(60):  # one account every 20 days, dates only
        rows.append({"id": f"org{i:02d}", "created": MIDNIGHT + i * 20 * DAY, "posts": [T0 + 1300 * DAY]})
    for i in range(6):  # six accounts registered on one day
        rows.append({"id": f"io{i}", "created": MIDNIGHT + 411 * DAY, "posts": [T0 + 1300 * DAY]})
    _load(clean_db, rows)

    result = creation_bursts(clean_db)
    assert_json_ready(result)
    assert set(result.accounts["account_id"]) == {f"io{i}" for i in range(6)}
    assert len(result.pairs) == 15
    assert result.accounts["detail"].iloc[0]["resolution"] == "day"


def test_dormant_accounts_activating_together(clean_db):
    rows = []
    start = T0
    # 40 organic accounts active every few days over 200 days (never 30 days silent)
    for i in range(40):
        rows.append({"id": f"org{i:02d}", "created": start - 400 * DAY,
                     "posts": [start + d * DAY + i * 37 * MIN for d in range(0, 200, 3 + i % 4)]})
    # 5 network accounts: active early, silent 100 days, then all resume within 20 minutes
    wake = start + 120 * DAY + 5 * 60 * MIN
    for i in range(5):
        rows.append({"id": f"net{i}", "created": start - 400 * DAY,
                     "posts": [start + i * MIN, start + 20 * DAY + i * 97 * MIN, wake + i * 4 * MIN, wake + DAY + i * MIN]})
    # a lone dormant account resuming on its own, weeks away from the others
    rows.append({"id": "lone", "created": start - 400 * DAY,
                 "posts": [start + 2 * DAY, start + 160 * DAY, start + 161 * DAY]})
    _load(clean_db, rows)

    result = dormancy_activation(clean_db)
    assert_json_ready(result)
    net = {f"net{i}" for i in range(5)}
    assert set(result.accounts["account_id"]) == net
    assert len(result.pairs) == 10
    detail = result.accounts.set_index("account_id").loc["net2", "detail"]
    assert 99 < detail["silent_days"] < 101
    assert detail["activated_at"].startswith("2017-11-11T")
    assert set(detail["peers"]) == net - {"net2"}

    # a silence longer than the network's 100 days: nobody qualifies
    longer = dormancy_activation(clean_db, min_silence_days=120)
    assert longer.accounts.empty and longer.pairs.empty
    # the lone account (158 silent days) is an activation, but alone it is never a joint one
    assert "lone" not in set(dormancy_activation(clean_db, min_accounts=2).accounts["account_id"])


def test_first_appearance_wave_versus_newcomers_and_collection_start(clean_db):
    rows = []
    start = T0
    # 30 regulars active every 2-4 days for 200 days (the first ones open the collection)
    for i in range(30):
        rows.append({"id": f"reg{i:02d}", "created": start - 900 * DAY,
                     "posts": [start + d * DAY + i * 41 * MIN for d in range(0, 200, 2 + i % 3)]})
    # 12 ordinary newcomers: created long ago, first seen on scattered days
    for i in range(12):
        first = start + (40 + i * 13) * DAY + i * 97 * MIN
        rows.append({"id": f"new{i:02d}", "created": start - 500 * DAY, "posts": [first, first + 2 * DAY]})
    # 6 accounts created a year before, first seen within 40 minutes of one another on day 100
    wave = start + 100 * DAY + 3 * 60 * MIN
    for i in range(6):
        rows.append({"id": f"net{i}", "created": start - 365 * DAY + i * DAY,
                     "posts": [wave + i * 7 * MIN, wave + DAY + i * MIN]})
    # 8 accounts first seen together on day 3: the collection starting, not a silence that ended
    for i in range(8):
        rows.append({"id": f"early{i}", "created": start - 700 * DAY,
                     "posts": [start + 3 * DAY + i * 3 * MIN, start + 150 * DAY + i * DAY]})
    _load(clean_db, rows)

    result = dormancy_activation(clean_db)
    assert_json_ready(result)
    net = {f"net{i}" for i in range(6)}
    assert set(result.accounts["account_id"]) == net
    detail = result.accounts.set_index("account_id").loc["net3", "detail"]
    assert detail["silence_from"] == "creation"
    assert round(detail["silent_days"]) == 100 + 365 - 3
    assert len(result.pairs) == 15

    # without creation gaps only returns after a silence count: nothing here
    assert dormancy_activation(clean_db, include_creation_gap=False).accounts.empty


# The activity level as first read, one query of its own: kept as the reference the one-pass read must equal.
REFERENCE_ACTIVE_HOURS = """
MATCH (a:Account)
WHERE NOT a:Target
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  WHERE t.created_ms IS NOT NULL
  RETURN DISTINCT t.created_ms / 3600000 AS hour
  UNION
  MATCH (a)-[r:RETWEETED]->(:Tweet)
  WHERE r.at_ms IS NOT NULL
  RETURN DISTINCT r.at_ms / 3600000 AS hour
}
RETURN hour, count(*) AS accounts
"""


def test_activity_level_read_with_the_gaps_equals_reference(clean_db):
    from coordgraph import db
    from coordgraph.analytics.signals.lifecycle import activity_level

    hour = 3_600_000
    rows = [{"id": f"acc{i}", "created": T0 - 50 * DAY,
             "posts": [T0 + (i % 3) * hour + k * 7 * MIN for k in range(i % 5)] + [T0 + (40 + i) * DAY]} for i in range(12)]
    rows.append({"id": "boss", "created": T0 - 50 * DAY, "posts": [T0, T0 + hour]})
    _load(clean_db, rows)
    clean_db.execute_query("MATCH (b:Account {id: 'boss'}) SET b:Target")
    # retweets of the target's first post: several in one hour, one without a time, one by the target itself
    clean_db.execute_query("""
        UNWIND $rows AS row
        MATCH (a:Account {id: row.acc}), (t:Tweet {id: 'boss-0'})
        CREATE (a)-[:RETWEETED {id: row.acc + '-rt' + row.k, at_ms: row.at}]->(t)""",
                           rows=[{"acc": f"acc{i}", "k": k, "at": T0 + (i + k) * 25 * MIN if k < 3 else None}
                                 for i in range(0, 12, 2) for k in range(4)] + [{"acc": "boss", "k": 0, "at": T0 + 9 * hour}])
    activity = db.read(clean_db, "signals/lifecycle_activity", min_silence_ms=30 * DAY)
    got = activity_level(activity)
    want = pd.DataFrame(clean_db.execute_query(REFERENCE_ACTIVE_HOURS).records, columns=["hour", "accounts"])
    want = want.sort_values("hour").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got["accounts"].max() > 1 and "boss" not in {r["account_id"] for r in activity}
    by_account = {r["account_id"]: r for r in activity}
    assert by_account["acc4"]["gaps"] and by_account["acc4"]["gaps"][0][1] == T0 + 44 * DAY
