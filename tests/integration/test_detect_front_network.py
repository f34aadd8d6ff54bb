"""In step with the network when it acts: a network that pushes every other post in bursts and whose members
also retweet the posts it does not push on their own, hours apart (an organic front), is found by the
corroborated route on the posts its confirmed members pushed together; read on every shared post, those members
are in step on a minority of their moments. Front members without an identity trace of their own are confirmed
the same way when their timing alone meets the full effect floor. The fast fans, the fan community answering its
own cue, and the organic accounts created on the network's burst days are not flagged."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coordgraph.analytics.detect import DetectParams, detect
from helpers import (
    FRONT_BURST_DAY,
    FRONT_CORE,
    FRONT_NETWORK,
    FRONT_UNTRACED,
    SLOW_COMMUNITY,
    SLOW_FANS,
    filled,
    plant_front_network,
)

PARAMS = DetectParams(signals=("co_retweet", "creation_burst"), n_null=500)
FRONT = [n for n in FRONT_NETWORK if n not in FRONT_CORE]


@pytest.fixture(scope="module")
def front_network(driver):
    with filled(driver, lambda drv: plant_front_network(drv, np.random.default_rng(5))):
        yield detect(driver, PARAMS)


def test_the_front_is_found_in_the_bursts_of_the_confirmed_members(front_network):
    result = front_network
    flagged = set(result.flagged_accounts)
    assert flagged <= set(FRONT_NETWORK)
    assert len(flagged & set(FRONT)) >= 0.75 * len(FRONT)
    members = result.accounts[result.accounts["coordinated"] & result.accounts["account_id"].isin(FRONT)
                              & ~result.accounts["attached"]]
    benchmarks = [json.loads(e)["benchmark"] for e in members["evidence"]]
    assert len(benchmarks) >= 0.75 * len(FRONT)
    # on every shared post they are in step on a minority (neither reading of the rule confirms them) ...
    assert all(b["post_in_step_low"] < PARAMS.min_in_step and b["in_step_low"] < PARAMS.min_in_step for b in benchmarks)
    # ... and on the posts the confirmed members pushed together on most, at 97.5 %, and repeated
    assert all(b["burst_in_step_low"] >= PARAMS.min_in_step and b["burst_moments_in_step"] >= PARAMS.min_repeat
               for b in benchmarks)
    assert all(b["burst_moments_acted"] < b["post_moments_acted"] for b in benchmarks)
    assert all(b["effect_interval_95"][0] >= 1.5 and b["q_value"] <= PARAMS.alpha for b in benchmarks)


def test_untraced_front_members_need_the_full_floor(front_network):
    accounts = front_network.accounts
    untraced = accounts[accounts["account_id"].isin(FRONT_UNTRACED) & accounts["flagged"]]
    assert sorted(untraced["account_id"]) == sorted(FRONT_UNTRACED) and not untraced["attached"].any()
    for evidence in untraced["evidence"]:
        dossier = json.loads(evidence)
        benchmark = dossier["benchmark"]
        assert not dossier.get("identity_links")
        assert benchmark["effect_interval_95"][0] >= PARAMS.min_effect and benchmark["q_value"] <= PARAMS.alpha
        assert benchmark["in_step_low"] < PARAMS.min_in_step and benchmark["post_in_step_low"] < PARAMS.min_in_step
        assert benchmark["burst_in_step_low"] >= PARAMS.min_in_step


def test_fans_community_and_burst_day_organics_are_not_flagged(front_network):
    accounts = front_network.accounts
    others = accounts[accounts["account_id"].isin(SLOW_FANS + SLOW_COMMUNITY + FRONT_BURST_DAY)]
    assert not others["flagged"].any()
