"""The investigators' saved-query library: every query parses, passes EXPLAIN and runs; key ones return the
known answer on the case graph; the CLI lists and runs them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coordgraph import querylib
from coordgraph.cli.app import app
from coordgraph.errors import CoordgraphError
from helpers import (
    FLAGGED,
    OLD_RUN_ID,
    RUN_ID,
    TARGETS,
    counted_engagements,
    week_of,
)

# Values for the required parameters, valid in the case graph.
REQUIRED = {"account": "@User_M1", "post": "p1"}


def run(driver, name, **params):
    keys, rows = querylib.run(driver, name, params)
    return rows




def test_every_query_passes_explain_and_runs(case):
    for q in querylib.catalogue():
        params = querylib.bind(q, {k: v for k, v in REQUIRED.items() if k in q.parameters})
        with case.session() as s:
            s.run("EXPLAIN " + q.text, params).consume()
        querylib.run(case, q.name, {k: v for k, v in REQUIRED.items() if k in q.parameters})


def test_cluster_members_of_latest_and_older_run(case):
    latest = run(case, "cluster_members", cluster=1)
    assert [r["account_id"] for r in latest] == FLAGGED  # ordered by score: m1 .. m4
    older = run(case, "cluster_members", run_id=OLD_RUN_ID, cluster=1)
    assert {r["account_id"] for r in older} == {"m5", "m6", "b1"}


def test_amplifiers_within_60_s(case):
    rows = run(case, "amplifiers_within", post="p1")
    # m1..m4 retweeted p1 5-30 s after it; b1 and b2 only after an hour; t1's self-reply at 60 s counts
    # as an action on the post (within 60 s of the post) and is listed too.
    assert [r["account_id"] for r in rows] == ["m1", "m2", "m3", "m4", "t1"]
    assert rows[0]["after_post_s"] == 5 and rows[1]["after_previous_s"] == 4
    assert all(r["cluster"] == 1 and r["flagged"] for r in rows[:4])
    assert len(run(case, "amplifiers_within", post="p1", window_s=4000)) == 7


def test_account_timeline_orders_and_measures_gaps(case):
    rows = run(case, "account_timeline", account="@User_M1")
    mine = sorted(at for acc, _k, _p, _t, at in counted_engagements() if acc == "m1")
    assert len(rows) == len(mine)
    assert [r["action"] for r in rows][:2] == ["retweet", "retweet"]
    assert rows[0]["days_since_previous"] is None
    assert rows[1]["days_since_previous"] == pytest.approx(round((mine[1] - mine[0]) / 86_400_000, 2))


def test_target_engagement_weekly_matches_the_known_counts(case):
    rows = run(case, "target_engagement_weekly", target="ambassadorx")
    expected: dict[str, list[int]] = {}
    for account, _kind, _post, target, at in counted_engagements():
        if target == "t1":
            e = expected.setdefault(week_of(at), [0, 0])
            e[0] += 1
            e[1] += account in FLAGGED
    got = {r["week"][:10]: [r["engagements"], r["by_flagged"]] for r in rows}
    assert got == expected
    assert {r["target"] for r in rows} == {TARGETS["t1"]}


def test_cluster_graph_returns_members_and_run_edges(case):
    rows = run(case, "cluster_graph")
    assert {r["a"]["id"] for r in rows} == set(FLAGGED)
    edges = {(r["a"]["id"], r["b"]["id"], r["e"]["signal"]) for r in rows if r["e"]}
    assert len(edges) == 6 and all(r["e"]["run_id"] == RUN_ID for r in rows if r["e"])
    only = run(case, "cluster_graph", signal="rapid_follow_on")
    assert {(r["a"]["id"], r["b"]["id"]) for r in only if r["e"]} == {("m1", "m2")}


def test_strongest_pairs_and_signal_filter(case):
    rows = run(case, "strongest_pairs")
    assert (rows[0]["account_a"], rows[0]["account_b"], rows[0]["weight"]) == ("user_m1", "user_m2", 0.95)
    assert all(r["weight"] < 0.99 for r in rows)  # the older run's 0.99 edge never shows
    rapid = run(case, "strongest_pairs", signal="rapid_follow_on")
    assert [r["signal"] for r in rapid] == ["rapid_follow_on"]


def test_coretweet_evidence_gives_seconds_apart(case):
    rows = run(case, "cluster_coretweet_evidence")
    pair = [r for r in rows if (r["account_a"], r["account_b"], r["post_id"]) == ("user_m1", "user_m2", "p1")]
    assert pair and pair[0]["seconds_apart"] == 4.0  # m1 at +5 s, m2 at +9 s


def test_creation_bursts_find_the_minute_apart_accounts(case):
    rows = run(case, "creation_bursts", minutes=10, min_accounts=3)
    assert rows[0]["created"] == 6 and rows[0]["flagged"] == 4  # m1..m6 created a minute apart


def test_missing_and_unknown_parameters_are_clear_errors(case):
    with pytest.raises(CoordgraphError, match="needs account"):
        querylib.run(case, "account_timeline")
    with pytest.raises(CoordgraphError, match="no parameter"):
        querylib.run(case, "runs", {"nope": 1})
    with pytest.raises(CoordgraphError, match="No saved query"):
        querylib.get("drop_everything")


def test_cli_lists_shows_and_runs(case, neo4j_conn, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_conn.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_conn.password)
    runner = CliRunner()
    listed = runner.invoke(app, ["query", "--list"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0
    for name in querylib.names():
        assert name in listed.output
    shown = runner.invoke(app, ["query", "cluster_members", "--show"])
    assert shown.exit_code == 0 and shown.output.startswith(":param run_id => null\n:param cluster => 1\n")
    result = runner.invoke(app, ["query", "runs", "--format", "json"])
    assert result.exit_code == 0, result.output
    runs = [json.loads(line) for line in result.output.splitlines()]
    assert [r["run_id"] for r in runs] == [RUN_ID, OLD_RUN_ID]
    missing = runner.invoke(app, ["query", "account_timeline"])
    assert missing.exit_code != 0 and "needs account" in missing.output


