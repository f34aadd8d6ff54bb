"""End to end over the real pipeline: generated scenario -> ingest -> targets -> detect -> reports and saved
queries. Report contents must equal what detection stored; every saved query runs on this data."""

from __future__ import annotations

import json

import jsonschema
import networkx as nx
import pytest

from coordgraph import querylib
from coordgraph.analytics.detect import detect
from coordgraph.analytics.impact import ALL_FLAGGED, impact, impact_of_accounts
from coordgraph.report import SCHEMA_PATH, write_report
from helpers import load_scenario, wipe


@pytest.fixture(scope="module")
def detected(driver, tmp_path_factory):
    scenario = load_scenario(driver, tmp_path_factory.mktemp("scenario"), seed=5, scale=0.05)
    # A lighter null than the default keeps the test short; the statistics code is tested elsewhere.
    result = detect(driver, {"n_null": 200, "n_null_pairs": 1})
    yield driver, result, scenario.ground_truth()
    wipe(driver)


def test_json_report_equals_the_stored_run(detected, tmp_path):
    driver, result, _truth = detected
    doc = json.loads(write_report(driver, result.run_id, "json", tmp_path / "r.json").read_text())
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    assert doc["run"]["id"] == result.run_id
    assert doc["run"]["params"]["n_null"] == 200
    assert {s["format"] for s in doc["sources"]} >= {"twarc2"}
    assert all(len(s["sha256"]) == 64 for s in doc["sources"])
    flagged = {a["id"] for c in doc["clusters"] if c["coordinated"] for a in c["accounts"]}
    assert flagged == set(result.flagged_accounts)
    assert len(doc["clusters"]) == len(result.clusters)
    assert sum(len(c["accounts"]) for c in doc["clusters"]) == len(result.accounts)


def test_all_flagged_impact_equals_the_flagged_account_set(detected):
    driver, result, truth = detected
    by_run = impact(driver, result.run_id).set_index("target")
    by_set = impact_of_accounts(driver, result.flagged_accounts).set_index("target")
    rows = by_run[by_run["group"] == ALL_FLAGGED]
    assert set(rows.index) == {t["username"] for t in truth["targets"]}
    for target, row in rows.iterrows():
        for col in ("retweets", "retweets_total", "replies", "quotes", "engagements_total"):
            assert row[col] == by_set.loc[target, col], (target, col)


def test_exports_cover_the_run(detected, tmp_path):
    driver, result, _truth = detected
    graph = nx.read_gexf(write_report(driver, None, "gexf", tmp_path / "r.gexf"))
    assert set(graph.nodes) == set(result.accounts["account_id"].astype(str))
    page = write_report(driver, None, "html", tmp_path / "r.html").read_text()
    assert result.run_id in page and page.count("data:image/png;base64,") >= 2


def test_every_saved_query_runs_on_the_detected_data(detected):
    driver, result, truth = detected
    member = result.flagged_accounts[0] if result.flagged_accounts else truth["network"]["members"][0]["id"]
    with driver.session() as s:
        post = s.run("MATCH (:Target)-[:POSTED]->(p:Tweet) RETURN p.id AS id LIMIT 1").single()["id"]
    given = {"account": member, "post": post}
    for q in querylib.catalogue():
        keys, rows = querylib.run(driver, q.name, {k: v for k, v in given.items() if k in q.parameters})
        assert keys, q.name
    _keys, runs = querylib.run(driver, "runs")
    assert runs[0]["run_id"] == result.run_id
