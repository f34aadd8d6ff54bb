"""``coordgraph demo``: the pipeline on a generated scenario, its comparison with the ground truth, and its guard
against deleting someone's data."""

from __future__ import annotations

import importlib.util
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from coordgraph.cli.app import app
from coordgraph import db
from coordgraph.synth.demo import STAGES, browser_queries, evaluate, not_demo_data, part_available

SMALL = ["--scale", "0.05", "--days", "35", "--seed", "5"]


def test_evaluate_counts_precision_recall_and_flagged_negatives():
    truth = {
        "network": {"members": [{"id": str(i)} for i in range(10)], "low_activity": ["8", "9"]},
        "hard_negatives": {"superfan": ["s1", "s2"], "fan_community": ["f1"]},
    }
    members = pd.DataFrame(
        [("0", 1, True), ("1", 1, True), ("2", 1, True), ("s1", 1, True), ("3", 2, True), ("8", 2, True),
         ("4", 3, False), ("f1", 3, False)],
        columns=["account_id", "number", "coordinated"],
    )
    ev = evaluate(truth, members)
    assert ev["flagged"] == 6 and ev["true_positives"] == 5 and ev["false_positives"] == 1
    assert ev["precision"] == pytest.approx(5 / 6) and ev["recall"] == pytest.approx(0.5)
    assert ev["recall_without_low_activity"] == pytest.approx(4 / 8) and ev["low_activity_found"] == 1
    assert ev["hard_negatives_flagged"] == {"superfan": 1, "fan_community": 0}  # cluster 3 was not flagged
    assert [(c["number"], c["size"], c["network_members"]) for c in ev["clusters"]] == [(1, 4, 3), (2, 2, 2)]
    empty = evaluate(truth, pd.DataFrame(columns=["account_id", "number", "coordinated"]))
    assert empty["flagged"] == 0 and empty["precision"] is None and empty["recall"] == 0


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
    for stage in STAGES[1:]:
        if not part_available(stage):
            assert re.search(rf"{stage} skipped: .*not available yet", text), text
    if part_available("ingest"):
        assert re.search(r"ingest \(\d+ s\): \d+ events from \d+ files, 0 rejected", text), text
        with clean_db.session() as s:
            targets = s.run("MATCH (t:Target) RETURN t.username AS u ORDER BY u").value()
        if part_available("targets"):
            assert targets == ["AmbHanWeilin", "VeloriaEmbUK"]
    if part_available("detect"):
        # the detection run is compared with the ground truth (or its failure is reported, with a non-zero exit)
        assert ("Found clusters vs ground truth" in text and "precision" in text and ":param run =>" in text) or \
            ("detect failed" in text and result.exit_code != 0), text
    if part_available("report") and "Report:" in text:
        assert (out / "report.html").stat().st_size > 1000
    if all(part_available(s) for s in STAGES[1:]) and "failed" not in text:
        assert result.exit_code == 0, text
    if part_available("ingest"):
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


def test_missing_parts_are_skipped_and_named(clean_db, tmp_path, monkeypatch):
    from coordgraph.synth import demo

    assert part_available("ingest") is (importlib.util.find_spec("coordgraph.ingest") is not None)
    monkeypatch.setitem(demo.REQUIREMENTS, "detect", ("coordgraph.analytics.not_written_yet", "detect"))
    monkeypatch.setitem(demo.REQUIREMENTS, "report", ("coordgraph.report", "no_such_function"))
    assert not part_available("detect") and not part_available("report")
    seen = []
    result = demo.run_demo(clean_db, out_dir=tmp_path / "demo", seed=9, scale=0.03, days=28, progress=False,
                           on_stage=lambda s: seen.append((s.name, s.status)))
    status = {s.name: (s.status, s.detail) for s in result.stages}
    assert status["generate"][0] == "done"
    assert status["detect"] == ("skipped", "coordgraph.analytics.not_written_yet.detect is not available yet")
    assert status["impact"] == ("skipped", "needs a detection run")
    assert status["report"] == ("skipped", "coordgraph.report.no_such_function is not available yet")
    assert result.run_id is None and result.evaluation is None and result.report_path is None
    if part_available("ingest"):
        assert status["ingest"][0] == "done" and result.ingest_summary.rejected == 0
        assert ("ingest", "running") in seen and ("ingest", "done") in seen
    else:
        assert status["ingest"][0] == "skipped"
