"""The detection run: a planted cluster is found, chance and fast-fan groups are rejected by the null, runs
do not mix, evidence is reproducible in Cypher, and the CLI works."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from coordgraph import cypher
from coordgraph.analytics import evidence, statistics
from coordgraph.analytics.detect import DetectParams, detect
from coordgraph.cli.app import app
from helpers import FANS, NETWORK, ORGANIC, plant


@pytest.fixture
def planted(clean_db):
    plant(clean_db)
    return clean_db


FAST = DetectParams(signals=("co_retweet", "rapid_follow_on"), n_null=500)


def test_planted_cluster_found_and_others_rejected(planted):
    result = detect(planted, FAST)
    assert result.flagged_accounts == NETWORK
    flagged = result.clusters[result.clusters["coordinated"]]
    assert len(flagged) == 1 and flagged.iloc[0]["q_value"] <= 0.05 and flagged.iloc[0]["size"] == len(NETWORK)
    # stored: the run, its cluster and members, with the same numbers
    with planted.session() as s:
        stored = s.run(
            "MATCH (r:Run {id: $id})-[:FOUND]->(c:Cluster {coordinated: true})<-[m:MEMBER_OF {run_id: $id}]-(a) "
            "RETURN r.status AS status, c.q_value AS q, collect(a.id) AS members", id=result.run_id
        ).single()
        graphs = s.run("CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS g").single()["g"]
    assert stored["status"] == "completed" and sorted(stored["members"]) == NETWORK
    assert stored["q"] == pytest.approx(float(flagged.iloc[0]["q_value"]))
    assert graphs == []  # projections are dropped


def test_null_rejects_random_and_fast_fan_groups(planted):
    from coordgraph.analytics.signals import coaction

    frame = coaction.coaction_events(planted, "co_retweet")
    ev = statistics.SignalEvents.from_frame("co_retweet", frame, 60_000)
    rng = np.random.default_rng(5)
    # fans all retweet within a minute or so of each post, independently: bursty, but not beyond the benchmark
    fans = statistics.test_cluster([ev], FANS, 500, rng)
    assert fans.total_observed > 50 and fans.p_value > 0.05
    random_group = list(rng.choice(ORGANIC, 8, replace=False))
    assert statistics.test_cluster([ev], random_group, 500, rng).p_value > 0.05
    network = statistics.test_cluster([ev], NETWORK, 500, rng)
    assert network.p_value < 0.01 and network.total_observed > 5 * network.total_expected
    # no null draw reaches any member's observed co-actions: the Monte-Carlo floor 1/(B + 1)
    assert set(network.accounts["account_id"]) == set(NETWORK) and (network.accounts["p_value"] <= 1 / 501 + 1e-12).all()


def test_runs_do_not_mix(planted):
    first = detect(planted, FAST)
    second = detect(planted, DetectParams(signals=("co_retweet",), window_s=20, n_null=300, algorithm="wcc"))
    assert first.run_id != second.run_id
    with planted.session() as s:
        for result in (first, second):
            n_edges = s.run("MATCH ()-[e:COORDINATED {run_id: $id}]->() RETURN count(e) AS n", id=result.run_id).single()["n"]
            signals = s.run("MATCH ()-[e:COORDINATED {run_id: $id}]->() RETURN collect(DISTINCT e.signal) AS s", id=result.run_id).single()["s"]
            members = s.run(
                "MATCH (a)-[m:MEMBER_OF {run_id: $id}]->(c:Cluster) WHERE c.run_id <> $id RETURN count(m) AS n", id=result.run_id
            ).single()["n"]
            assert n_edges == len(result.edges) and members == 0
            assert set(signals) == set(result.edges["signal"])
        params = json.loads(s.run("MATCH (r:Run {id: $id}) RETURN r.params AS p", id=second.run_id).single()["p"])
    assert params["window_s"] == 20 and params["algorithm"] == "wcc"
    assert "rapid_follow_on" not in set(second.edges["signal"])


def test_dossier_is_reproducible_in_cypher(planted):
    result = detect(planted, FAST)
    member = result.accounts[result.accounts["coordinated"]].iloc[0]
    dossier = json.loads(member["evidence"])
    assert dossier["benchmark"]["co_actions_with_members"] > dossier["benchmark"]["expected_under_null"]
    link = next(link for link in dossier["links"] if link["signal"] == "co_retweet")
    rows = evidence.account_dossier(planted, result.run_id, member["account_id"])
    cypher_link = next(r for r in rows if r["partner"] == link["partner"] and r["signal"] == "co_retweet")
    assert cypher_link["count"] == link["count"]
    pair = evidence.reproduce_pair(planted, "co_retweet", member["account_id"], link["partner"], window_s=60)
    assert len(pair) == link["count"] and all(r["gap_ms"] <= 60_000 for r in pair)
    assert set(link["posts"]) <= {r["obj"] for r in pair}


def test_every_detect_cypher_file_parses(driver):
    from coordgraph.analytics.signals import coaction

    queries = [cypher.load(n) for n in cypher.names("detect") if n != "detect/pair_tail"]
    queries += [cypher.load(n) for n in ("signals/rapid_follow_on", "signals/engaging_texts")]
    for signal in coaction.COACTION_SIGNALS:
        queries += [coaction.events_query(signal), coaction.pairs_query(signal)]
        queries += [coaction.pairs_query(signal, "signals/co_pairs_cnt"), coaction.pairs_query(signal, "signals/co_pairs_coortweet")]
        queries.append("CALL () {\n" + coaction.events_query(signal) + "\n}\n" + cypher.load("detect/pair_tail"))
    with driver.session() as s:
        for query in queries:
            s.run("EXPLAIN " + query).consume()


def test_cli_detect(planted, neo4j_conn):
    runner = CliRunner()
    env = {"NEO4J_URI": neo4j_conn.uri, "NEO4J_USER": neo4j_conn.user, "NEO4J_PASSWORD": neo4j_conn.password}
    ok = runner.invoke(app, ["detect", "--signals", "co_retweet,rapid_follow_on", "--null-draws", "300", "--algorithm", "louvain"], env=env)
    assert ok.exit_code == 0, ok.output
    assert "1 coordinated" in ok.output and "8 account(s) flagged" in ok.output
    bad = runner.invoke(app, ["detect", "--signals", "co_nothing"], env=env)
    assert bad.exit_code == 1 and "unknown signal" in bad.output
