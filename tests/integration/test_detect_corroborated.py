"""The corroborated route: a slow network whose members were created in bursts is found on the default path;
independent fast fans, a fan community answering a shared cue (a few of whose accounts were created together)
and the organic audience are not; without the route the network is mostly missed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coordgraph.analytics import corroborated
from coordgraph.analytics.detect import DetectParams, detect
from helpers import SLOW_COMMUNITY, SLOW_FANS, SLOW_NETWORK, SLOW_ORGANIC, SLOW_T0, filled, plant_slow_network

T0 = SLOW_T0
MINUTE = 60_000
DAY = 86_400_000
NETWORK, FANS, COMMUNITY, ORGANIC = SLOW_NETWORK, SLOW_FANS, SLOW_COMMUNITY, SLOW_ORGANIC

SET_CREATED = """
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
SET a.created_ms = row.created, a.created_at = datetime({epochMillis: row.created})
"""


def plant(driver, seed: int = 5) -> None:
    """The slow network of ``helpers.plant_slow_network`` (its followers 90-240 s after the leader, among fast
    fans, a cue-answering fan community and an organic audience). Identity: the network's accounts were created
    in three bursts of six (each within five minutes); four accounts of the fan community were created within
    ten minutes of each other too (friends signing up together); every other account is spread over four years."""
    rng = np.random.default_rng(seed)
    plant_slow_network(driver, rng)
    spread = ORGANIC + FANS + COMMUNITY[4:]
    created = [{"id": a, "created": T0 - 1500 * DAY + int(rng.uniform(0, 1400 * DAY))} for a in spread]
    for b in range(3):  # the network's bursts, months apart
        start = T0 - (300 + 90 * b) * DAY + int(rng.uniform(0, DAY))
        created += [{"id": a, "created": start + int(rng.uniform(0, 5 * MINUTE))} for a in NETWORK[6 * b: 6 * b + 6]]
    start = T0 - 800 * DAY + int(rng.uniform(0, DAY))
    created += [{"id": a, "created": start + int(rng.uniform(0, 10 * MINUTE))} for a in COMMUNITY[:4]]
    driver.execute_query(SET_CREATED, rows=created)


@pytest.fixture(scope="module")
def corroborated_case(driver):
    with filled(driver, plant):
        yield driver


SIGNALS = ("co_retweet", "creation_burst")


def test_the_route_finds_the_slow_network_and_no_one_else(corroborated_case):
    result = detect(corroborated_case, DetectParams(signals=SIGNALS, n_null=500))
    flagged = set(result.flagged_accounts)
    assert flagged <= set(NETWORK)  # no fast fan, no member of the fan community (not even the four created together)
    assert len(flagged) >= 0.75 * len(NETWORK)
    routes = result.clusters.assign(route=[json.loads(s)["route"] for s in result.clusters["signals"]])
    found = routes[routes["coordinated"] & (routes["route"] == "corroborated")]
    assert len(found) >= 1
    for raw, effect_low, p in zip(found["signals"], found["effect_low"], found["p_value"]):
        c = json.loads(raw)["corroboration"]
        level = DetectParams().alpha / c["route_tests"]
        assert c["supported_share"] >= corroborated.MIN_LINKED_SHARE and c["supported_linked"] <= c["linked_members"] and c["identity_p"] <= level and p <= level
        assert effect_low >= corroborated.MIN_CORROBORATED_EFFECT
    # each member it confirmed carries its own identity link to another member of the group
    members = result.accounts[result.accounts["number"].isin(found["number"]) & ~result.accounts["attached"]]
    assert len(members) >= 3
    assert all(json.loads(e)["identity_links"] for e in members["evidence"])


def test_without_the_route_the_network_is_mostly_missed(corroborated_case):
    result = detect(corroborated_case, DetectParams(signals=SIGNALS, n_null=500, corroborated=False))
    flagged = set(result.flagged_accounts)
    assert flagged <= set(NETWORK)
    assert len(flagged) < 0.5 * len(NETWORK)
