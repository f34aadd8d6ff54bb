"""``detect`` refuses to make an empty run, says what it skipped and why, and gives each cluster that is not
coordinated its reason (``Run.skipped``, ``Cluster.reason``: read by the reports)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from coordgraph.cli.app import app
from helpers import add_retweets

FAST = ["--null-draws", "99"]


def _login(conn):
    return ["--uri", conn.uri, "--user", conn.user, "--password", conn.password]


def _runs(driver) -> int:
    with driver.session() as s:
        return s.run("MATCH (r:Run) RETURN count(r)").single()[0]


def test_detect_on_an_empty_database_is_refused_and_creates_no_run(clean_db, neo4j_conn):
    result = CliRunner().invoke(app, ["detect", *FAST, *_login(neo4j_conn)])
    assert result.exit_code == 1, result.output
    assert "no posts or engagements" in result.output and "no run was created" in result.output
    assert _runs(clean_db) == 0


def _untargeted_data(driver):
    # five accounts retweeting the same eight posts within seconds, and twenty retweeting them hours apart;
    # no account is marked :Target
    rows = []
    for post in range(8):
        base = 1_600_000_000_000 + post * 86_400_000
        for i in range(5):
            rows.append({"acc": f"fast{i}", "obj": f"post{post}", "at": base + 1000 * (i + 1), "eid": f"rt-f{i}-{post}"})
        for i in range(20):
            if (i + post) % 3 == 0:
                rows.append({"acc": f"slow{i}", "obj": f"post{post}", "at": base + 3_600_000 * (1 + i % 7), "eid": f"rt-s{i}-{post}"})
    add_retweets(driver, rows)


def test_target_signals_alone_without_targets_are_refused(clean_db, neo4j_conn):
    _untargeted_data(clean_db)
    result = CliRunner().invoke(app, ["detect", "--signals", "latency,exclusivity", *FAST, *_login(neo4j_conn)])
    assert result.exit_code == 1, result.output
    assert ":Target" in result.output and "no run was created" in result.output
    assert _runs(clean_db) == 0


def test_detect_without_targets_says_what_it_skipped_and_why_clusters_are_not_coordinated(clean_db, neo4j_conn):
    _untargeted_data(clean_db)
    result = CliRunner().invoke(app, ["detect", "--all", *FAST, *_login(neo4j_conn)])
    assert result.exit_code == 0, result.output
    for stage in ("rapid_follow_on", "exclusivity", "latency", "membership"):
        assert f"Skipped {stage}: no :Target accounts are marked" in result.output, result.output
    with clean_db.session() as s:
        run = s.run("MATCH (r:Run) RETURN r.skipped AS skipped").single()
        clusters = s.run("MATCH (:Run)-[:FOUND]->(c:Cluster) RETURN c.coordinated AS coordinated, c.reason AS reason").data()
    skipped = json.loads(run["skipped"])
    assert [s["stage"] for s in skipped] == ["rapid_follow_on", "exclusivity", "latency", "membership"]
    assert all(s["reason"] for s in skipped)
    assert clusters, "the data should form at least one cluster"
    for c in clusters:
        assert isinstance(c["reason"], str)
        assert (c["reason"] == "") == bool(c["coordinated"]), c
        if not c["coordinated"]:
            assert c["reason"] in result.output
