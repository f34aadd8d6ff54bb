"""`coordgraph runs list | show | delete | diff` on the two-run case: short references, deleting touches
nothing of the other run, and the diff names the accounts that entered and left the flagged set."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coordgraph.cli.app import app
from helpers import FLAGGED, OLD_RUN_ID, RUN_ID, build_case

COUNTS = """
MATCH (r:Run {id: $run_id})
RETURN COUNT { MATCH (c:Cluster {run_id: $run_id}) } AS clusters,
       COUNT { MATCH ()-[m:MEMBER_OF {run_id: $run_id}]->() } AS memberships,
       COUNT { MATCH ()-[e:COORDINATED {run_id: $run_id}]->() } AS edges
"""
DATA = "MATCH (n) WHERE NOT n:Run AND NOT n:Cluster RETURN count(n) AS nodes"


@pytest.fixture
def case(clean_db):
    build_case(clean_db)
    return clean_db


def _run(neo4j_conn, *args, input=None):
    env = {"NEO4J_URI": neo4j_conn.uri, "NEO4J_USER": neo4j_conn.user, "NEO4J_PASSWORD": neo4j_conn.password,
           "COLUMNS": "250"}
    return CliRunner().invoke(app, ["runs", *args], env=env, input=input)


def _counts(driver, run_id):
    records = driver.execute_query(COUNTS, run_id=run_id).records
    return dict(records[0]) if records else None


def test_list_and_show(case, neo4j_conn):
    listed = _run(neo4j_conn, "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    new = next(line for line in lines if RUN_ID in line)
    old = next(line for line in lines if OLD_RUN_ID in line)
    assert "latest " in new and "latest~1" in old
    assert "W 60 s" in new and "co_retweet,rapid_follow_on" in new and "seed 7" in new
    # clusters, flagged clusters, flagged accounts
    assert [c.strip() for c in new.split("│")[-4:-1]] == ["2", "1", "4"]
    assert [c.strip() for c in old.split("│")[-4:-1]] == ["1", "1", "3"]
    shown = _run(neo4j_conn, "show", "latest~1")
    assert shown.exit_code == 0, shown.output
    assert f"Run {OLD_RUN_ID}" in shown.output and "1 cluster(s), 1 coordinated, 3 account(s) flagged" in shown.output
    assert "co_retweet 1" in shown.output
    ambiguous = _run(neo4j_conn, "show", "run-2020-06")
    assert ambiguous.exit_code != 0 and "matches 2 runs" in ambiguous.output


def test_delete_asks_says_what_and_touches_nothing_else(case, neo4j_conn):
    before, other = _counts(case, RUN_ID), _counts(case, OLD_RUN_ID)
    data = case.execute_query(DATA).records[0]["nodes"]
    refused = _run(neo4j_conn, "delete", "latest", input="n\n")
    assert refused.exit_code == 1 and "Nothing deleted" in refused.output
    assert (f"{before['clusters']} cluster(s), {before['memberships']} membership(s), {before['edges']} evidence edge(s) "
            "would be removed") in refused.output
    assert _counts(case, RUN_ID) == before
    done = _run(neo4j_conn, "delete", RUN_ID[:-1], "--yes")  # a unique prefix
    assert done.exit_code == 0, done.output
    assert f"Deleted run {RUN_ID}: {before['clusters']} cluster(s)" in done.output
    assert _counts(case, RUN_ID) is None
    assert _counts(case, OLD_RUN_ID) == other
    assert case.execute_query(DATA).records[0]["nodes"] == data
    assert _run(neo4j_conn, "delete", RUN_ID, "--yes").exit_code != 0  # it is gone: a clear error, not a crash


def test_diff_names_who_entered_and_left(case, neo4j_conn):
    result = _run(neo4j_conn, "diff", OLD_RUN_ID, "latest")
    assert result.exit_code == 0, result.output
    assert f"entered the flagged set (4): {', '.join(FLAGGED)}" in result.output
    assert "left the flagged set (3): b1, m5, m6" in result.output
    assert "no flagged cluster split or merged" in result.output


def test_diff_sees_a_split(case, neo4j_conn):
    # a third run in which the flagged cluster m1..m4 is found as two flagged clusters
    case.execute_query("""
        CREATE (r:Run {id: 'run-2020-07-10', started_at: datetime('2020-07-10T10:00:00Z'),
                       finished_at: datetime('2020-07-10T10:05:00Z'), params: '{}', status: 'completed'})
        WITH r
        UNWIND [[1, ['m1', 'm2']], [2, ['m3', 'm4']]] AS c
        CREATE (r)-[:FOUND]->(k:Cluster {key: 'run-2020-07-10/' + c[0], run_id: r.id, number: c[0], size: 2,
                                         score: 1.0, p_value: 0.01, q_value: 0.01, coordinated: true})
        WITH k, c UNWIND c[1] AS id
        MATCH (a:Account {id: id}) CREATE (a)-[:MEMBER_OF {run_id: 'run-2020-07-10'}]->(k)
    """)
    result = _run(neo4j_conn, "diff", RUN_ID, "latest")
    assert result.exit_code == 0, result.output
    assert f"split: cluster 1 of {RUN_ID} -> clusters 1, 2 of run-2020-07-10" in result.output
    merged = _run(neo4j_conn, "diff", "latest", RUN_ID)
    assert f"merged: clusters 1, 2 of run-2020-07-10 -> cluster 1 of {RUN_ID}" in merged.output
