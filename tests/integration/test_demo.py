"""``coordgraph demo``: the pipeline on a generated scenario, its comparison with the ground truth, and its guard
against deleting someone's data."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from coordgraph import db, demo
from coordgraph.cli.app import app
from coordgraph.demo import browser_queries, not_demo_data

SMALL = ["--scale", "0.05", "--days", "35", "--seed", "5"]




def test_demo_command_runs_the_available_stages_and_compares_with_truth(clean_db, neo4j_conn, tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        app, ["demo", *SMALL, "--out", str(out), "--uri", neo4j_conn.uri, "--user", neo4j_conn.user, "--password", neo4j_conn.password],
        env={"COLUMNS": "200"},
    )
    text = result.output
    assert "generate" in text and (out / "ground_truth.json").exists()
    assert "Paste into Neo4j Browser" in text and ":param target => 'AmbHanWeilin'" in text
    assert "<-[r:RETWEETED]-(a:Account)" in text  # queries are printed verbatim, not eaten as markup
    assert re.search(r"ingest \(\d+ s\): \d+ events from \d+ files, 0 rejected", text), text
    with clean_db.session() as s:
        targets = s.run("MATCH (t:Target) RETURN t.username AS u ORDER BY u").value()
    assert targets == ["AmbHanWeilin", "VeloriaEmbUK"]
    # the detection run is compared with the ground truth (or its failure is reported, with a non-zero exit)
    assert ("Found clusters vs ground truth" in text and "precision" in text and ":param run =>" in text) or \
        ("detect failed" in text and result.exit_code != 0), text
    if "Report:" in text:
        assert (out / "report.html").stat().st_size > 1000
    if "failed" not in text:
        assert result.exit_code == 0, text
    # everything the demo wrote is known as demo data, so the next demo may clear it (and only it)
    assert not_demo_data(db.read(clean_db, "demo/database_contents")[0]) is None


@pytest.mark.parametrize("run_id", [None, "20260101T000000Z-abc123"])
def test_browser_queries_are_valid_cypher(driver, run_id):
    queries = browser_queries(run_id, "AmbHanWeilin")
    params_line, *rest = queries
    assert params_line[1].count(":param") == (2 if run_id else 1)
    assert len(rest) == 3
    with driver.session() as s:
        for _, text in rest:
            s.run("EXPLAIN " + text, {"run": run_id, "target": "AmbHanWeilin"}).consume()


def test_a_failing_detection_is_reported_and_the_stages_needing_it_skipped(clean_db, tmp_path, monkeypatch):
    def broken_detect(*args, **kwargs):
        raise RuntimeError("signal exploded")

    import coordgraph.analytics.detect as detect_module

    monkeypatch.setattr(detect_module, "detect", broken_detect)  # run_demo imports it when it runs
    seen = []
    result = demo.run_demo(clean_db, out_dir=tmp_path / "demo", seed=9, scale=0.03, days=28, progress=False,
                           on_stage=lambda s: seen.append((s.name, s.status)))
    status = {s.name: (s.status, s.detail) for s in result.stages}
    assert status["generate"][0] == "done" and status["targets"][0] == "done"
    assert status["ingest"][0] == "done" and result.ingest_summary.rejected == 0
    assert ("ingest", "running") in seen and ("ingest", "done") in seen
    assert status["detect"] == ("failed", "RuntimeError: signal exploded")
    assert status["impact"] == ("skipped", "needs a detection run")
    assert status["report"] == ("skipped", "needs a detection run")
    assert result.run_id is None and result.evaluation is None and result.report_path is None
    assert [s.name for s in result.failed] == ["detect"]
