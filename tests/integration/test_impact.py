"""Impact shares and member status against a fully known graph (expected numbers computed without Cypher)."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest

from coordgraph import runs
from coordgraph.analytics.impact import (
    ALL_FLAGGED,
    impact,
    impact_of_accounts,
    peak_weeks,
)
from coordgraph.analytics.status import cluster_status, member_status
from coordgraph.errors import CoordgraphError
from helpers import (
    FLAGGED,
    OLD_RUN_ID,
    RUN_ID,
    STATUS,
    TARGETS,
    build_case,
    counted_engagements,
    week_of,
)

KIND_COL = {"retweet": "retweets", "reply": "replies", "quote": "quotes"}


@pytest.fixture
def case(clean_db):
    build_case(clean_db)
    return clean_db


def expected_counts(members: set[str] | None, weekly: bool = False) -> Counter:
    """(target, week, kind) -> engagements by ``members`` (all accounts when None)."""
    out: Counter = Counter()
    for account, kind, _post, target, at in counted_engagements():
        if members is None or account in members:
            out[(target, week_of(at) if weekly else None, kind)] += 1
    return out


def test_latest_run_flagged_cluster_shares_over_the_period(case):
    frame = impact(case, runs.resolve(case, None))
    assert set(frame["run_id"]) == {RUN_ID}  # the latest run
    # Only the flagged cluster and the all-flagged line; the unflagged cluster 2 is no group of its own.
    assert set(frame["group"]) == {"cluster 1", ALL_FLAGGED}
    everyone, flagged = expected_counts(None), expected_counts(set(FLAGGED))
    for _, row in frame.iterrows():
        for kind, col in KIND_COL.items():
            assert row[col] == flagged[(row["target_id"], None, kind)]
            assert row[f"{col}_total"] == everyone[(row["target_id"], None, kind)]
    t1 = frame[(frame["target_id"] == "t1") & (frame["group"] == "cluster 1")].iloc[0]
    # 11 of t1's 21 retweets, 1 of 4 replies (the target's self-reply is not counted), 1 of 2 quotes.
    assert (t1["retweets"], t1["retweets_total"]) == (11, 21)
    assert (t1["replies"], t1["replies_total"]) == (1, 4)
    assert t1["retweets_share"] == pytest.approx(11 / 21)
    assert t1["engagements_share"] == pytest.approx(13 / 27)
    assert t1["members"] == 4 and t1["target"] == TARGETS["t1"]


def test_runs_do_not_mix(case):
    old = impact(case, run_id=OLD_RUN_ID)
    t1 = old[(old["target_id"] == "t1") & (old["group"] == ALL_FLAGGED)].iloc[0]
    expected = expected_counts({"m5", "m6", "b1"})
    assert t1["retweets"] == expected[("t1", None, "retweet")] == 5
    assert set(old["group"]) == {"cluster 1", ALL_FLAGGED}


def test_weekly_shares_are_monday_based_with_peaks(case):
    frame = impact(case, RUN_ID, target="@ambassadorx", weekly=True)
    assert set(frame["target_id"]) == {"t1"}
    rows = frame[frame["group"] == "cluster 1"].set_index("week")
    assert list(rows.index) == ["2020-06-01", "2020-06-08", "2020-06-15"]
    everyone, flagged = expected_counts(None, weekly=True), expected_counts(set(FLAGGED), weekly=True)
    for week, row in rows.iterrows():
        assert pd.Timestamp(week).day_of_week == 0
        for kind, col in KIND_COL.items():
            assert row[col] == flagged[("t1", week, kind)]
            assert row[f"{col}_total"] == everyone[("t1", week, kind)]
    # Week 3 has 1 of 5 engagements by the cluster, weeks 1-2 far more: the top-2 peaks are weeks 1 and 2.
    peaks = peak_weeks(impact(case, RUN_ID, target="t1", weekly=True, peaks=2))
    peaks = peaks[peaks["group"] == "cluster 1"]
    assert set(peaks["week"]) == {"2020-06-01", "2020-06-08"}
    assert peaks["engagements_share"].is_monotonic_decreasing


def test_arbitrary_account_set_needs_no_run(case):
    ids = ["m1", "b4"]
    frame = impact_of_accounts(case, ids)
    assert set(frame["group"]) == {"accounts"} and frame["run_id"].isna().all()
    expected = expected_counts(set(ids))
    for _, row in frame.iterrows():
        for kind, col in KIND_COL.items():
            assert row[col] == expected[(row["target_id"], None, kind)]
    t2 = frame[frame["target_id"] == "t2"].iloc[0]
    assert (t2["retweets"], t2["retweets_total"], t2["replies"], t2["replies_total"]) == (2, 2, 0, 1)


def test_unknown_target_and_run_are_clear_errors(case):
    with pytest.raises(CoordgraphError, match="No target"):
        impact(case, RUN_ID, target="nobody")
    with pytest.raises(CoordgraphError, match="No run"):
        runs.resolve(case, "missing")


def test_no_run_at_all_is_a_clear_error(clean_db):
    with pytest.raises(CoordgraphError, match="no analysis run"):
        runs.resolve(clean_db, None)


def test_cluster_status_counts_latest_and_as_of(case):
    latest = cluster_status(case, RUN_ID).set_index("cluster")
    c1 = latest.loc[1]
    assert (c1["members"], c1["active"], c1["suspended"], c1["deleted"], c1["unknown"]) == (4, 1, 2, 1, 0)
    assert c1["last_checked"].startswith("2021-01-16")
    assert latest.loc[2]["unknown"] == 2  # no snapshot covers m5, m6
    before = cluster_status(case, RUN_ID, as_of="2020-12-31T00:00:00Z").set_index("cluster")
    # On 2020-12-31 only the December checks of m1 and m4 existed: both active.
    assert (before.loc[1]["active"], before.loc[1]["unknown"], before.loc[1]["suspended"]) == (2, 2, 0)
    members = member_status(case, RUN_ID).set_index("account_id")
    for account, (status, _at) in STATUS.items():
        assert members.loc[account, "status"] == status


def test_interval_and_share_without_the_least_certain_members(case):
    # m3 and m4 are the least certain members of the flagged cluster (p above the 0.001 level)
    case.execute_query("""
        UNWIND $rows AS r
        MATCH (:Account {id: r.id})-[m:MEMBER_OF {run_id: $run_id}]->()
        SET m.p_value = r.p
        """, rows=[{"id": "m1", "p": 1e-5}, {"id": "m2", "p": 2e-4}, {"id": "m3", "p": 0.004}, {"id": "m4", "p": 0.03}],
        run_id=RUN_ID)
    frame = impact(case, RUN_ID)
    again = impact(case, RUN_ID)
    pd.testing.assert_frame_equal(frame, again)  # seeded: the same interval every time
    everyone, sure = expected_counts(None), expected_counts({"m1", "m2"})
    for _, row in frame.iterrows():
        for kind, col in KIND_COL.items():
            total = everyone[(row["target_id"], None, kind)]
            if total == 0:
                assert pd.isna(row[f"{col}_share_low"]) and pd.isna(row[f"{col}_share_confident"])
                continue
            assert row[f"{col}_share_confident"] == pytest.approx(sure[(row["target_id"], None, kind)] / total)
            assert row[f"{col}_share_confident"] <= row[f"{col}_share"]
            assert 0 <= row[f"{col}_share_low"] <= row[f"{col}_share"] <= row[f"{col}_share_high"] <= 1
    t1 = frame[(frame["target_id"] == "t1") & (frame["group"] == "cluster 1")].iloc[0]
    # 11 of 21 retweets over a handful of posts: the interval is wide, not a point
    assert t1["retweets_share_high"] - t1["retweets_share_low"] > 0.1
    # an account set has no p-values: no confident share, an interval all the same
    accounts = impact_of_accounts(case, FLAGGED)
    assert accounts["engagements_share_confident"].isna().all()
    assert accounts["engagements_share_low"].notna().any()


def test_share_with_the_accounts_the_cluster_held_back(case):
    # cluster 1 held back m5 (in the unflagged cluster 2), b1 (in no cluster) and m1, whom the run flagged anyway
    case.execute_query("MATCH (c:Cluster {key: $key}) SET c.signals = $signals", key=f"{RUN_ID}/1",
                       signals=json.dumps({"unconfirmed_members": ["m5", "b1", "m1"], "route": "edges"}))
    frame = impact(case, RUN_ID)
    everyone, flagged = expected_counts(None), expected_counts(set(FLAGGED))
    widened = expected_counts({*FLAGGED, "m5", "b1"})
    assert set(frame["unconfirmed"]) == {2}  # m1 is flagged: not held back
    grew = False
    for _, row in frame.iterrows():
        for kind, col in KIND_COL.items():
            total = everyone[(row["target_id"], None, kind)]
            if total == 0:
                assert pd.isna(row[f"{col}_share_with_unconfirmed"])
                continue
            key = (row["target_id"], None, kind)
            assert row[col] == flagged[key]  # the finding itself does not change
            assert row[f"{col}_share_with_unconfirmed"] == pytest.approx(widened[key] / total)
            assert row[f"{col}_share_with_unconfirmed"] <= row[f"{col}_share_with_unconfirmed_high"] <= 1
            assert row[f"{col}_share_with_unconfirmed_high"] >= row[f"{col}_share_high"]
            grew |= widened[key] > flagged[key]
    assert grew  # the held-back accounts engage the targets: the range widens somewhere
    # weekly rows get the same columns; an account set has no clusters, so nothing held back
    weekly = impact(case, RUN_ID, weekly=True)
    assert weekly["engagements_share_with_unconfirmed"].notna().any()
    accounts = impact_of_accounts(case, FLAGGED)
    assert accounts["unconfirmed"].isna().all() and accounts["engagements_share_with_unconfirmed_high"].isna().all()


def test_nothing_held_back_leaves_the_range_at_the_flagged_share(case):
    frame = impact(case, RUN_ID)  # the case's cluster signals list no unconfirmed members
    assert set(frame["unconfirmed"]) == {0}
    rows = frame[frame["retweets_total"] > 0]
    assert (rows["retweets_share_with_unconfirmed"] == rows["retweets_share"]).all()
    assert (rows["retweets_share_with_unconfirmed_high"] == rows["retweets_share_high"]).all()
