"""Same data, same findings: one generated scenario loaded in two store orders gives the same detection.

The second load reads the same files with their lines shuffled and in reverse order, so the store holds the
same graph with its nodes and relationships in another order (checked below); a further run on the first
graph, whose store then also holds the first run's writes, must agree too. Every field is compared exactly:
communities and their numbers, each cluster's figures and decision, each member's scores and evidence, and the
flagged share of each target's engagement with its bootstrap interval.
"""

from __future__ import annotations

import pandas as pd
import pytest

from coordgraph.analytics.detect import DetectParams, detect
from coordgraph.analytics.impact import impact
from coordgraph.ingest import ingest_paths
from coordgraph.ingest.targets import add_targets
from coordgraph.synth import generate
from coordgraph.synth.designs import design_for
from helpers import reordered, wipe

DESIGN, SEED, SCALE = 6, 1006, 0.1



def store_order(driver) -> tuple[list[str], list[str]]:
    """Account ids and retweet ids in the order the store returns them."""
    with driver.session() as session:
        accounts = [r["id"] for r in session.run("MATCH (a:Account) RETURN a.id AS id")]
        retweets = [r["id"] for r in session.run("MATCH (:Account)-[r:RETWEETED]->(:Tweet) RETURN r.id AS id")]
    return accounts, retweets


def run(driver) -> tuple:
    """The store's order, a default detect and the impact of its run."""
    order = store_order(driver)
    result = detect(driver, DetectParams())
    return order, result, impact(driver, run_id=result.run_id)


@pytest.fixture(scope="module")
def two_orders(driver, tmp_path_factory):
    folder = tmp_path_factory.mktemp("store-order")
    scenario = generate(folder / "scenario", seed=SEED, scale=SCALE, **design_for(DESIGN))
    loads = {}
    for label, paths in (("written", scenario.ingest_paths), ("shuffled", reordered(scenario.ingest_paths, folder / "shuffled"))):
        wipe(driver)
        ingest_paths(driver, paths, progress=False, rejects_dir=folder / f"rejects-{label}")
        add_targets(driver, scenario.target_handles)
        loads[label] = run(driver)
    loads["shuffled, second run"] = run(driver)
    wipe(driver)
    return loads


def test_the_two_loads_hold_the_same_graph_in_another_order(two_orders):
    (accounts_a, retweets_a), _, _ = two_orders["written"]
    (accounts_b, retweets_b), _, _ = two_orders["shuffled"]
    assert sorted(accounts_a) == sorted(accounts_b) and sorted(retweets_a) == sorted(retweets_b)
    assert accounts_a != accounts_b and retweets_a != retweets_b


@pytest.mark.parametrize("other", ["shuffled", "shuffled, second run"])
def test_the_same_events_in_another_store_order_give_the_same_detection(two_orders, other):
    _, first, first_impact = two_orders["written"]
    _, second, second_impact = two_orders[other]
    assert first.flagged_accounts and (first.clusters["coordinated"]).any()
    assert len(first.clusters) >= 5  # several communities, so their order and numbers are exercised
    assert second.flagged_accounts == first.flagged_accounts
    pd.testing.assert_frame_equal(second.clusters, first.clusters, check_exact=True)
    pd.testing.assert_frame_equal(second.accounts, first.accounts, check_exact=True)
    pd.testing.assert_frame_equal(second.edges, first.edges, check_exact=True)
    assert first_impact["retweets_share_low"].notna().any()
    pd.testing.assert_frame_equal(second_impact.drop(columns="run_id"), first_impact.drop(columns="run_id"), check_exact=True)
