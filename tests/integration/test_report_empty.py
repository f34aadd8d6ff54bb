"""A run that found nothing, with no targets marked, still gives valid, honest reports."""

from __future__ import annotations

import csv
import json

import jsonschema
import networkx as nx

from coordgraph.report import SCHEMA_PATH, write_report


def test_empty_run_reports(clean_db, tmp_path):
    with clean_db.session() as s:
        s.run("CREATE (:Run {id: 'empty-run', started_at: datetime(), finished_at: datetime(), version: '0.1.0', "
              "params: '{\"window_s\": 60}', status: 'completed'})").consume()
        s.run("CREATE (:Account {id: '1', username: 'lonely'})").consume()
    doc = json.loads(write_report(clean_db, None, "json", tmp_path / "r.json").read_text())
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    assert doc["run"]["id"] == "empty-run" and doc["clusters"] == [] and doc["impact"] == {"period": [], "weekly": []}
    page = write_report(clean_db, None, "html", tmp_path / "r.html").read_text()
    assert "0 flagged as coordinated" in page and "No target accounts are marked" in page
    assert "No target accounts are marked" in write_report(clean_db, None, "md", tmp_path / "r.md").read_text()
    rows = list(csv.reader(write_report(clean_db, None, "takedown", tmp_path / "t.csv").open(newline="")))
    assert rows == [["id", "handle", "cluster", "evidence_summary"]]
    assert nx.read_graphml(write_report(clean_db, None, "graphml", tmp_path / "g.graphml")).number_of_nodes() == 0
