"""Every account-level signal on a graph with nothing to find: empty results in the common shape, params kept."""

from __future__ import annotations

import pytest

from coordgraph.analytics.signals import ACCOUNT_COLUMNS, PAIR_COLUMNS
from coordgraph.analytics.signals.exclusivity import exclusivity
from coordgraph.analytics.signals.language import language
from coordgraph.analytics.signals.latency import latency
from coordgraph.analytics.signals.lifecycle import creation_bursts, dormancy_activation
from coordgraph.analytics.signals.profile import profile
from coordgraph.analytics.signals.rhythm import rhythm

SIGNALS = [creation_bursts, dormancy_activation, language, rhythm, profile, exclusivity, latency]


@pytest.mark.parametrize("signal", SIGNALS, ids=lambda f: f.__name__)
def test_signal_on_a_tiny_graph(clean_db, signal):
    # two accounts, one post and one retweet, no targets: too little for any signal
    clean_db.execute_query(
        "CREATE (a:Account {id: '1', username: 'one', created_ms: 1500000000000})"
        "-[:POSTED]->(t:Tweet {id: 't1', created_ms: 1600000000000, text: 'hello world again', kind: 'original'})"
        " CREATE (:Account {id: '2', username: 'two', created_ms: 1500000600000})"
        "-[:RETWEETED {id: 'r1', at_ms: 1600000001000}]->(t)"
    )
    result = signal(clean_db)
    assert list(result.pairs.columns) == PAIR_COLUMNS and result.pairs.empty
    assert list(result.accounts.columns) == ACCOUNT_COLUMNS
    assert (result.accounts["score"] == 0).all()  # nothing anomalous: listed accounts score 0
    assert result.params
