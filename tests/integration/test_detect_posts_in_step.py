"""In step on the moments answering a post: a network in step on every cascade it retweets, which also reuses its
talking points (campaign hashtags posted by every member at times of their own over weeks), is found; a fan
community answering a cue now and then, which also posts its own hashtags, fast fans and the organic audience
are not. Read on all moments, the talking points leave every member in step on a minority of them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coordgraph.analytics.detect import DetectParams, detect
from helpers import TALKING_NETWORK, filled, plant_talking_point_network

NETWORK = TALKING_NETWORK
PARAMS = DetectParams(signals=("co_retweet", "co_hashtag"), n_null=500)


@pytest.fixture(scope="module")
def talking_points(driver):
    with filled(driver, lambda drv: plant_talking_point_network(drv, np.random.default_rng(11))):
        yield driver


def test_a_network_reusing_its_talking_points_is_found_on_the_moments_it_answers_posts(talking_points):
    result = detect(talking_points, PARAMS)
    flagged = set(result.flagged_accounts)
    assert flagged <= set(NETWORK)  # no fan of the community, no fast fan, no organic account
    assert len(flagged) >= 0.9 * len(NETWORK)
    members = result.accounts[result.accounts["coordinated"] & ~result.accounts["attached"]]
    benchmarks = [json.loads(e)["benchmark"] for e in members["evidence"]]
    # read on all their moments (retweets and talking points), the members are in step on a minority: the rule
    # before this reading confirmed none of them
    assert all(b["in_step_low"] < PARAMS.min_in_step for b in benchmarks)
    assert all(b["moments_acted"] > b["post_moments_acted"] for b in benchmarks)
    # on the moments answering a post they are in step on most, at 97.5 %, and repeated
    assert all(b["post_in_step_low"] >= PARAMS.min_in_step and b["post_moments_in_step"] >= PARAMS.min_repeat for b in benchmarks)
    assert all(b["effect_interval_95"][0] >= PARAMS.min_effect and b["q_value"] <= PARAMS.alpha for b in benchmarks)


def test_the_fan_community_stays_unconfirmed_on_either_reading(talking_points):
    result = detect(talking_points, PARAMS)
    fans = result.accounts[result.accounts["account_id"].str.startswith("com")]
    assert not fans["flagged"].any()
    for evidence in fans["evidence"]:
        b = json.loads(evidence)["benchmark"]
        low = b["post_in_step_low"]
        assert low is None or low < PARAMS.min_in_step
