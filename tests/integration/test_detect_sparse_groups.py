"""The group route: a large network whose members never meet twice is found, its fast fans and the organic
audience are not, and without the route nothing finds it."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from coordgraph.analytics.detect import DetectParams, detect
from helpers import add_retweets, add_target_posts, background_retweets, filled

T0 = 1_600_000_000_000
MINUTE = 60_000
HOUR = 3_600_000
NETWORK = [f"net{i:02d}" for i in range(40)]
FANS = [f"fan{i:02d}" for i in range(15)]
ORGANIC = [f"org{i:03d}" for i in range(150)]
POSTS = 160


def cascades(rng: np.random.Generator, n: int) -> list[tuple[str, str, str]]:
    """``n`` cascades of three members in which no two members ever meet twice."""
    used: set[frozenset[str]] = set()
    out = []
    while len(out) < n:
        trio = tuple(rng.choice(NETWORK, 3, replace=False))
        pairs = {frozenset(p) for p in itertools.combinations(trio, 2)}
        if pairs & used:
            continue
        used |= pairs
        out.append(trio)
    return out


def plant(driver, seed: int = 3) -> None:
    """160 target posts 4 h apart; 150 organic accounts retweet about a fifth of them at random over hours; 15
    fast fans retweet 70 % of the posts each within a minute or so (independently); the network answers every
    post except a few with a cascade of three of its 40 members, at a moment of its choosing 10 min to 2 h after
    the post, followers 2-20 s after the first. No two members share more than one post, so no pair of members
    repeats and no evidence edge joins them."""
    rng = np.random.default_rng(seed)
    posts = [f"p{i:03d}" for i in range(POSTS)]
    add_target_posts(driver, [{"acc": "ambassador", "eid": p, "at": T0 + i * 4 * HOUR} for i, p in enumerate(posts)])
    trios = iter(cascades(rng, 150))
    rows = []
    for i, p in enumerate(posts):
        t = T0 + i * 4 * HOUR
        rows += background_retweets(rng, p, t, ORGANIC, FANS)
        trio = next(trios, None)
        if trio is None:
            continue
        moment = t + int(rng.uniform(10 * MINUTE, 2 * HOUR))
        for k, n in enumerate(trio):
            at = moment if k == 0 else moment + int(rng.uniform(2_000, 20_000))
            rows.append({"acc": n, "obj": p, "at": int(at), "eid": f"{n}-{p}"})
    add_retweets(driver, rows)


@pytest.fixture(scope="module")
def sparse_network(driver):
    with filled(driver, plant):
        yield driver


PARAMS = DetectParams(signals=("co_retweet",), n_null=500)


def test_group_route_finds_a_network_whose_members_never_meet_twice(sparse_network):
    result = detect(sparse_network, PARAMS)
    flagged = set(result.flagged_accounts)
    assert flagged <= set(NETWORK)  # no fan, no organic account
    assert len(flagged) >= 0.9 * len(NETWORK)
    coordinated = result.clusters[result.clusters["coordinated"]]
    routes = {json.loads(s)["route"] for s in coordinated["signals"]}
    assert routes == {"sparse"}
    assert (coordinated["effect_low"] >= PARAMS.min_effect).all()
    members = result.accounts[result.accounts["coordinated"]]
    assert (members["effect_low"] >= PARAMS.min_effect).all()
    # each member's dossier lists the partners it met within the window, each once (no pair repeats)
    dossier = json.loads(members[~members["attached"]].iloc[0]["evidence"])
    links = dossier["group_route_links"]
    assert links and {link["partner"] for link in links} <= flagged and {link["count"] for link in links} == {1}
    with sparse_network.session() as s:
        graphs = s.run("CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS g").single()["g"]
    assert graphs == []  # both projections are dropped


def test_without_the_group_route_the_network_is_not_found(sparse_network):
    result = detect(sparse_network, DetectParams(signals=("co_retweet",), n_null=500, sparse_groups=False))
    assert not set(result.flagged_accounts) & set(NETWORK)


def test_the_null_screen_stops_the_organic_communities_early_and_changes_no_decision(sparse_network):
    screened = detect(sparse_network, PARAMS)
    full = detect(sparse_network, DetectParams(signals=("co_retweet",), n_null=500, null_screen=False))
    assert screened.flagged_accounts == full.flagged_accounts and screened.flagged_accounts

    def by_members(result):
        rows = {}
        for number, cluster in result.clusters.set_index("number").iterrows():
            members = frozenset(result.accounts.loc[result.accounts["number"] == number, "account_id"])
            rows[members] = (bool(cluster["coordinated"]), cluster["q_value"], json.loads(cluster["signals"])["null"]["draws_made"])
        return rows

    s, f = by_members(screened), by_members(full)
    assert s.keys() == f.keys()
    assert all(s[m][0] == f[m][0] for m in s)  # every cluster's decision is the full test's
    assert all(s[m][1] == f[m][1] for m in s if s[m][0])  # and every coordinated cluster's q-value
    assert all(draws == 500 for _, _, draws in f.values())
    # the communities of organic accounts and fans stopped after the first block; the network got every draw
    stopped = [m for m, (coordinated, _, draws) in s.items() if draws < 500]
    assert stopped and all(not s[m][0] and not (m & set(NETWORK)) for m in stopped)
    assert all(draws == 500 for m, (coordinated, _, draws) in s.items() if coordinated)
