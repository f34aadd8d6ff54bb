"""Every shipped Cypher file compiles on the server (EXPLAIN), and none pastes values into its text."""

from __future__ import annotations

import pytest

from coordgraph import cypher
from coordgraph.analytics.signals import coaction

QUERY_FILES = [name for name in cypher.names() if name != "schema"]
# Tails are appended to a co-action events query (see coordgraph.analytics.coaction); they compile composed.
TAILS = ("signals/co_pairs", "signals/co_pairs_cnt", "signals/co_pairs_coortweet", "signals/events_by_account", "signals/events_by_object",
         "detect/pair_tail", "network/actions_by_account", "network/actions_by_object", "signals/cnt_events")
# Appended to a grouped events read (coaction.in_parts); compiles composed with each.
PART_TAILS = ("signals/in_parts",)


def _explain(driver, query: str):
    with driver.session() as session:
        # EXPLAIN plans the query without running it; parameters need not be bound for planning
        return session.run("EXPLAIN " + query).consume()


@pytest.mark.parametrize("name", [n for n in QUERY_FILES if n not in TAILS + PART_TAILS])
def test_every_cypher_file_compiles(driver, name):
    assert _explain(driver, cypher.load(name)).plan is not None


@pytest.mark.parametrize("tail", TAILS)
@pytest.mark.parametrize("signal", coaction.COACTION_SIGNALS)
def test_every_coaction_query_compiles_with_each_tail(driver, signal, tail):
    assert _explain(driver, coaction.pairs_query(signal, tail)).plan is not None


@pytest.mark.parametrize("signal", coaction.COACTION_SIGNALS)
def test_every_events_read_compiles_in_parts(driver, signal):
    by_object = signal in coaction.BY_OBJECT
    assert _explain(driver, coaction.in_parts(coaction.events_query(signal), by_object)).plan is not None
    if signal in coaction.GROUPED_EVENTS:
        grouped = coaction.in_parts(cypher.load(coaction.GROUPED_EVENTS[signal]), by_object, grouped=True)
        assert _explain(driver, grouped).plan is not None


def test_schema_file_applies_idempotently(driver):
    from coordgraph import db

    db.ensure_schema(driver)
    names = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    db.ensure_schema(driver)
    again = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert names == again
    assert {"account_id", "tweet_id", "retweet_id", "run_id", "cluster_key"} <= names




