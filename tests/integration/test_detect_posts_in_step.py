"""In step on the moments answering a post: a network in step on every cascade it retweets, which also reuses its
talking points (campaign hashtags posted by every member at times of their own over weeks) and whose accounts
were created in bursts, is found by the corroborated route; a fan community answering a cue now and then, which
also posts its own hashtags (four of its accounts created together), fast fans and the organic audience are not.
Read on all moments, the talking points leave every member in step on a minority of them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coordgraph.analytics.detect import DetectParams, detect
from helpers import TALKING_COMMUNITY, TALKING_NETWORK, filled, plant_talking_point_network

NETWORK = TALKING_NETWORK
PARAMS = DetectParams(signals=("co_retweet", "co_hashtag", "creation_burst"), n_null=500)


@pytest.fixture(scope="module")
def talking_points(driver):
    with filled(driver, lambda drv: plant_talking_point_network(drv, np.random.default_rng(11))):
        yield detect(driver, PARAMS)


def test_a_network_reusing_its_talking_points_is_found_on_the_moments_it_answers_posts(talking_points):
    result = talking_points
    flagged = set(result.flagged_accounts)
    assert flagged <= set(NETWORK)  # no fan of the community, no fast fan, no organic account
    assert len(flagged) >= 0.75 * len(NETWORK)
    routes = result.clusters.assign(route=[json.loads(s)["route"] for s in result.clusters["signals"]])
    assert set(routes.loc[routes["coordinated"], "route"]) == {"corroborated"}
    members = result.accounts[result.accounts["coordinated"] & ~result.accounts["attached"]]
    benchmarks = [json.loads(e)["benchmark"] for e in members["evidence"]]
    # read on all their moments (retweets and talking points), the members are in step on a minority: the rule
    # on all moments confirms none of them
    assert all(b["in_step_low"] < PARAMS.min_in_step for b in benchmarks)
    assert all(b["moments_acted"] > b["post_moments_acted"] for b in benchmarks)
    # on the moments answering a post they are in step on most, at 97.5 %, and repeated
    assert all(b["post_in_step_low"] >= PARAMS.min_in_step and b["post_moments_in_step"] >= PARAMS.min_repeat for b in benchmarks)
    assert all(b["effect_interval_95"][0] >= 1.5 and b["q_value"] <= PARAMS.alpha for b in benchmarks)


def test_the_fan_community_stays_unconfirmed_on_either_reading(talking_points):
    fans = talking_points.accounts[talking_points.accounts["account_id"].isin(TALKING_COMMUNITY)]
    assert not fans["flagged"].any()
