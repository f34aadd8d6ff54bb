"""The wider window: a network whose followers act two to four minutes after the leader is found; independent
fast fans, a slow fan community answering a shared cue now and then, and the organic audience are not; without
the wider window the network is missed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coordgraph.analytics import multiscale
from coordgraph.analytics.detect import DetectParams, detect
from helpers import SLOW_NETWORK, filled, plant_slow_network

NETWORK = SLOW_NETWORK


def plant(driver, seed: int = 5) -> None:
    """The slow network among fast fans, a cue-answering fan community and an organic audience
    (``helpers.plant_slow_network``)."""
    plant_slow_network(driver, np.random.default_rng(seed))


@pytest.fixture(scope="module")
def slow_network(driver):
    with filled(driver, plant):
        yield driver


PARAMS = DetectParams(signals=("co_retweet",), n_null=500, wide_window_s=multiscale.WIDE_WINDOW_S)


def test_the_wider_window_finds_a_network_two_to_four_minutes_apart(slow_network):
    result = detect(slow_network, PARAMS)
    flagged = set(result.flagged_accounts)
    assert flagged <= set(NETWORK)  # no fast fan, no member of the fan community, no organic account
    assert len(flagged) >= 0.75 * len(NETWORK)  # without the second look: under half (next test)
    coordinated = result.clusters[result.clusters["coordinated"]]
    assert (coordinated["effect_low"] >= PARAMS.min_effect).all()
    # most members are in step only at the wider window: their dossier says so; significance and effect stay at W
    members = result.accounts[result.accounts["coordinated"] & ~result.accounts["attached"]]
    benchmarks = [json.loads(e)["benchmark"] for e in members["evidence"]]
    wide = [b for b in benchmarks if b["in_step_window_s"] == PARAMS.wide_window_s]
    assert len(wide) >= len(NETWORK) / 2
    assert all(b["window_s"] == PARAMS.window_s and b["effect_interval_95"][0] >= PARAMS.min_effect
               and b["in_step_low"] >= PARAMS.min_in_step and b["q_value"] <= PARAMS.alpha for b in wide)


def test_without_the_wider_window_the_network_is_missed(slow_network):
    result = detect(slow_network, DetectParams(signals=("co_retweet",), n_null=500))  # the default: off
    flagged = set(result.flagged_accounts)
    assert flagged <= set(NETWORK)
    assert len(flagged) < 0.5 * len(NETWORK)
