"""Every Cypher file of the account-level signals compiles (EXPLAIN) with the parameters its module sends."""

from __future__ import annotations

import re

import pytest

from coordgraph import cypher

PREFIXES = ("lifecycle", "language", "rhythm", "profile", "exclusivity", "latency")
FILES = [n for n in cypher.names("signals") if n.split("/")[-1].startswith(PREFIXES)]
SAMPLE = {
    "active_only": True,
    "engaging_only": True,
    "min_silence_ms": 30 * 86_400_000,
    "graph_name": "explain-only",
    "rows": [{"id": "1", "vector": [0.0, 1.0]}],
    "top_k": 10,
    "sample_rate": 0.5,
    "random_seed": 42,
    "max_iterations": 20,
    "delta_threshold": 0.01,
}




@pytest.mark.parametrize("name", FILES)
def test_signal_cypher_compiles(driver, name):
    text = cypher.load(name)
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))
    assert used <= set(SAMPLE), f"{name} uses parameters the test does not know: {used - set(SAMPLE)}"
    with driver.session() as session:
        session.run("EXPLAIN " + text, {k: SAMPLE[k] for k in used}).consume()
