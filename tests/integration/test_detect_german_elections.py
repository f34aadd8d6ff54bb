"""Real data (CooRTweet's german_elections sample, W = 30 s, min 2 as in its vignette): the two groups whose
audience is the group itself are flagged, through the timeline shift, and every flagged account's own data
shows repeated co-action; effect sizes are stored on the clusters and memberships."""

from __future__ import annotations

import json

import pytest

from coordgraph.analytics.cluster_effect import MIN_EFFECT, MIN_IN_STEP
from coordgraph.analytics.detect import DetectParams, detect

# 13 Facebook accounts posting the same hashtags and image hashes within the same second at 23 moments
FACEBOOK_GROUP = {"fb_11313", "fb_13394", "fb_14899", "fb_17226", "fb_1855", "fb_18793", "fb_19326", "fb_19569", "fb_2064",
                  "fb_21052", "fb_2230", "fb_3163", "fb_666"}
# three Twitter accounts posting 42 / 37 / 36 identical URLs at a median gap of 0 s
TWITTER_TRIO = {"tw_43746", "tw_47277", "tw_47280"}


@pytest.fixture(scope="module")
def german(german_db):
    result = detect(german_db, DetectParams(window_s=30, min_repeat=2, signals=("co_hashtag", "co_url", "co_domain"), n_null=500,
                                            membership=False))
    return german_db, result


def test_groups_that_are_their_objects_audience_are_flagged(german):
    _, result = german
    flagged = set(result.flagged_accounts)
    assert FACEBOOK_GROUP <= flagged
    assert TWITTER_TRIO <= flagged
    accounts = result.accounts.set_index("account_id")
    assert accounts.loc[sorted(FACEBOOK_GROUP), "number"].nunique() == 1  # one cluster
    assert accounts.loc[sorted(TWITTER_TRIO), "number"].nunique() == 1
    group_cluster = result.clusters.set_index("number").loc[accounts.loc["fb_3163", "number"]]
    assert group_cluster["effect_low"] >= MIN_EFFECT and group_cluster["q_value"] <= 0.05


def test_every_flagged_member_is_large_significant_and_repeated(german):
    driver, result = german
    members = result.accounts[result.accounts["coordinated"]]
    assert len(members) > 0
    assert (members["effect_low"] >= MIN_EFFECT).all()
    assert (members["q_value"] <= 0.05).all()
    clusters = result.clusters[result.clusters["coordinated"]]
    assert (clusters["effect_low"] >= MIN_EFFECT).all()
    with driver.session() as s:
        stored = s.run(
            "MATCH (:Run {id: $id})-[:FOUND]->(c:Cluster {coordinated: true})<-[m:MEMBER_OF {run_id: $id}]-(a:Account) "
            "RETURN min(c.effect_low) AS cluster_low, min(m.effect_low) AS member_low, count(m) AS n",
            id=result.run_id,
        ).single()
    assert stored["n"] == len(members)
    assert stored["cluster_low"] >= MIN_EFFECT and stored["member_low"] >= MIN_EFFECT


def test_every_flagged_member_is_in_step_on_most_of_its_moments(german):
    """Accounts whose few shared moments (two or three, all in step) cannot show a majority at 95 % are not
    accused, and neither are accounts in step with their cluster on a minority of their moments."""
    _, result = german
    bench = [json.loads(e)["benchmark"] for e in result.accounts["evidence"]]
    flagged = [b for b, c in zip(bench, result.accounts["coordinated"]) if c]
    assert flagged
    assert all(b["in_step_low"] >= MIN_IN_STEP for b in flagged)
    assert all(b["moments_in_step"] >= 4 and b["moments_in_step"] <= b["moments_acted"] for b in flagged)
    assert all(b["in_step_share"] >= b["in_step_low"] for b in flagged)
    # the test held accounts back: in clusters strong enough otherwise, members in step on too few moments
    held_back = [b for b, c in zip(bench, result.accounts["coordinated"]) if not c and b["effect_interval_95"][0]
                 and b["effect_interval_95"][0] >= MIN_EFFECT and b["in_step_low"] is not None and b["in_step_low"] < MIN_IN_STEP]
    assert held_back
    assert any(b["moments_acted"] <= 3 for b in held_back)
